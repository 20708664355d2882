// Cloudflare Workers (workerd) entry of `bdpay/billers`: Workers only run wasm
// imported statically as a `WebAssembly.Module`, never fetched at run time.
import wasmModule from './bdpay_billers_bg.wasm';
import * as glue from './bdpay_billers.js';
import { gateOf } from './util.js';

gateOf(glue).loaded(glue.initSync({ module: wasmModule }));

/** Already settled: the wasm module was initialised when this module was evaluated. */
export const ready = Promise.resolve();

export * from './billers-entry.js';
