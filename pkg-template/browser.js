// Browser and bundler entry of `bdpay`: starts fetching and compiling the wasm
// beside this file as soon as it is evaluated (bundlers see `new URL(...,
// import.meta.url)` and ship the file) and exports `ready`. No top-level
// await, which some bundlers' default targets refuse (Vite 6).
// Named imports, not the glue's namespace: the bundle then leaves out what
// this entry never calls (`initSync`). The gate is keyed by the glue's
// `Validator` class, as in validation.js.
import init, { Validator } from './bdpay.js';
import { gateOf } from './util.js';

/** Settles once the wasm module can be used; rejects with the error that stopped it loading. */
export const ready = gateOf(Validator).start(
  init({ module_or_path: new URL('./bdpay_bg.wasm', import.meta.url) }),
);

export * from './validation.js';
