// `bdpay/server` in a Worker: the wasm imported statically, as Workers require.
import wasmModule from './bdpay_server_bg.wasm';
import { initSync } from './bdpay_server.js';

initSync({ module: wasmModule });

export * from './server.js';
