// Browser and bundler entry of `bdpay`: starts fetching and compiling the wasm
// beside this file as soon as it is evaluated (bundlers see `new URL(...,
// import.meta.url)` and ship the file) and exports `ready`. No top-level
// await, which some bundlers' default targets refuse (Vite 6).
// Named imports, not the glue's namespace: the bundle then leaves out what
// this entry never calls (the glue's async loader: `loadWasm` below is
// smaller). The gate is keyed by the glue's `Validator` class, as in
// validation.js.
import { initSync, Validator } from './bdpay.js';
import { gateOf } from './util.js';

/**
 * The wasm at `url`: compiled while it streams in (or from the whole body,
 * when the server does not label it `application/wasm`), then instantiated
 * by the glue's `initSync`, which answers the wasm's exports. The glue's own
 * async loader does the same with more code (deprecated call forms, console
 * warnings): about 270 bytes gzip of this entry's 3.9 KB of JS. The other
 * entries import the glue's namespace, which keeps that loader anyway.
 */
async function loadWasm(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const type = response.headers.get('Content-Type') ?? '';
  const module =
    type.split(';')[0].trim() === 'application/wasm'
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  return initSync({ module });
}

/** Settles once the wasm module can be used; rejects with the error that stopped it loading. */
export const ready = gateOf(Validator).start(
  loadWasm(new URL('./bdpay_bg.wasm', import.meta.url)),
);

export * from './validation.js';
