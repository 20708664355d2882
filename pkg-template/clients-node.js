// Node.js (>= 20) entry of `bdpay/clients`: reads the wasm beside this file
// synchronously, so it is usable at once; `ready` is already settled, for
// code that also runs in browsers.
import { readFileSync } from 'node:fs';
import * as glue from './bdpay_clients.js';
import { gateOf } from './util.js';

gateOf(glue).loaded(glue.initSync({ module: readFileSync(new URL('./bdpay_clients_bg.wasm', import.meta.url)) }));

/** Already settled: the wasm module was initialised when this module was evaluated. */
export const ready = Promise.resolve();

export * from './clients-entry.js';
