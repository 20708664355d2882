// Cloudflare Workers (workerd) entry of `bdpay/clients`: Workers only run wasm
// imported statically as a `WebAssembly.Module`, never fetched at run time.
import wasmModule from './bdpay_clients_bg.wasm';
import * as glue from './bdpay_clients.js';
import { gateOf } from './util.js';

gateOf(glue).loaded(glue.initSync({ module: wasmModule }));

/** Already settled: the wasm module was initialised when this module was evaluated. */
export const ready = Promise.resolve();

export * from './clients-entry.js';
