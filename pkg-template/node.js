// Node.js (>= 20) entry: reads the wasm beside this file synchronously, so
// `import('bdpay')` is ready to use with no loading step.
import { readFileSync } from 'node:fs';
import { initSync } from './bdpay.js';

initSync({ module: readFileSync(new URL('./bdpay_bg.wasm', import.meta.url)) });

export * from './api.js';
