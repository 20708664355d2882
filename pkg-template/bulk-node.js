// Node.js (>= 20) entry of `bdpay/bulk`: reads the wasm beside this file
// synchronously, so it is usable at once, and adds `fileStore`, the store
// that keeps a job's state in a file.
import { readFileSync } from 'node:fs';
import * as glue from './bdpay_bulk.js';
import { gateOf } from './util.js';

gateOf(glue).loaded(glue.initSync({ module: readFileSync(new URL('./bdpay_bulk_bg.wasm', import.meta.url)) }));

/** Already settled: the wasm module was initialised when this module was evaluated. */
export const ready = Promise.resolve();

export * from './bulk-entry.js';
export { fileStore } from './file-store.js';
