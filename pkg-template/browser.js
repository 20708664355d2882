// Browser and bundler entry: starts fetching and compiling the wasm beside
// this file as soon as it is evaluated (bundlers see `new URL(...,
// import.meta.url)` and ship the file), and exports `ready`, which settles
// when that is done. No top-level await, which some bundlers' default
// targets refuse (Vite 6).
import init from './bdpay.js';
import { wasmFailed, wasmLoaded } from './util.js';

/** Resolves once the wasm module can be used; rejects with the error that stopped it loading. */
export const ready = init({ module_or_path: new URL('./bdpay_bg.wasm', import.meta.url) }).then(
  () => wasmLoaded(),
  (error) => {
    wasmFailed(error);
    throw error;
  },
);

export * from './api.js';
