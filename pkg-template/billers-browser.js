// Browser and bundler entry of `bdpay/billers`: starts fetching and compiling the wasm
// beside this file as soon as it is evaluated (bundlers see `new URL(...,
// import.meta.url)` and ship the file) and exports `ready`. No top-level
// await, which some bundlers' default targets refuse (Vite 6).
import * as glue from './bdpay_billers.js';
import { gateOf } from './util.js';

/** Settles once the wasm module can be used; rejects with the error that stopped it loading. */
export const ready = gateOf(glue).start(
  glue.default({ module_or_path: new URL('./bdpay_billers_bg.wasm', import.meta.url) }),
);

export * from './billers-entry.js';
