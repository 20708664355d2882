// Memory of a batch call (checkPhones, or checkPhoneList) as the list grows,
// in a fresh process per size:
//
//   node bench/memory.mjs <numbers> [checkPhones|checkPhoneList]
//
// Prints one line of JSON: the wasm module's memory before and after, and the
// process's resident memory (peak, from the OS) over the list itself. The
// list and the results are the caller's; what must stay flat is the wasm's
// memory and what the call holds besides its results.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { MIXED } from './inputs.mjs';

const n = Number(process.argv[2]);
const call = process.argv[3] ?? 'checkPhones';
if (call !== 'checkPhones' && call !== 'checkPhoneList') throw new Error(`no batch call '${call}'`);
const batch = (await import('bdpay'))[call];
// The glue returns the running instance's exports (memory included) when it is already initialised.
const pkgDir = dirname(createRequire(import.meta.url).resolve('bdpay/package.json'));
const glue = await import(join(pkgDir, 'bdpay.js'));
const wasm = glue.initSync({ module: readFileSync(join(pkgDir, 'bdpay_bg.wasm')) });
batch(MIXED); // warm: the hints and the first chunk

const list = Array.from({ length: n }, (_, i) => MIXED[i % MIXED.length]);
const wasmBefore = wasm.memory.buffer.byteLength;
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const maxBefore = process.resourceUsage().maxRSS * 1024;
const t0 = performance.now();
const results = batch(list);
const ms = performance.now() - t0;
const maxAfter = process.resourceUsage().maxRSS * 1024;
console.log(
  JSON.stringify({
    call,
    numbers: n,
    valid: [...results].filter(Boolean).length,
    ms,
    wasmMemoryBefore: wasmBefore,
    wasmMemoryAfter: wasm.memory.buffer.byteLength,
    rssBefore,
    peakRssGrowth: Math.max(0, maxAfter - Math.max(maxBefore, rssBefore)),
  }),
);
