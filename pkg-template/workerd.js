// Cloudflare Workers (workerd) entry: Workers only run wasm imported
// statically as a `WebAssembly.Module`, never fetched or read at run time.
// `ready` is already resolved, for code that also runs in browsers.
import wasmModule from './bdpay_bg.wasm';
import { initSync } from './bdpay.js';
import { wasmLoaded } from './util.js';

initSync({ module: wasmModule });
wasmLoaded();

/** Already resolved: the wasm module was initialised when this module was evaluated. */
export const ready = Promise.resolve();

export * from './api.js';
