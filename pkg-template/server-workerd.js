// `bdpay/server` in a Worker: the wasm imported statically, as Workers require.
import wasmModule from './bdpay_bg.wasm';
import { initSync } from './bdpay.js';

initSync({ module: wasmModule });

export * from './server.js';
