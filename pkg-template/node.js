// Node.js (>= 20) entry: reads the wasm beside this file synchronously, so
// `import('bdpay')` is ready to use with no loading step; `ready` is already
// resolved, for code that also runs in browsers.
import { readFileSync } from 'node:fs';
import { initSync } from './bdpay.js';
import { wasmLoaded } from './util.js';

initSync({ module: readFileSync(new URL('./bdpay_bg.wasm', import.meta.url)) });
wasmLoaded();

/** Already resolved: the wasm module was initialised when this module was evaluated. */
export const ready = Promise.resolve();

export * from './api.js';
