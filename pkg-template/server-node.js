// `bdpay/server` in Node.js (>= 20): the wasm beside this file, read synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './bdpay_server.js';

initSync({ module: readFileSync(new URL('./bdpay_server_bg.wasm', import.meta.url)) });

export * from './server.js';
