// Cloudflare Workers (workerd) entry: Workers only run wasm imported
// statically as a `WebAssembly.Module`, never fetched or read at run time.
import wasmModule from './bdpay_bg.wasm';
import { initSync } from './bdpay.js';

initSync({ module: wasmModule });

export * from './api.js';
