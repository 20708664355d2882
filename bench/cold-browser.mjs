// Cold start in headless Chromium: a tiny static server on 127.0.0.1 serves
// pkg/ and the peers' bundles with `Cache-Control: no-store`; each sample is a
// fresh browser context (empty HTTP and code caches) whose page times, with
// performance.now(), from just before `import(url)` (fetch + compile +
// instantiate) to the first validation result. Targets take turns, sample by
// sample, so background load falls on all of them alike.

import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { bundleFile } from './sizes.mjs';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const SERVED = ['/pkg/', '/bench-results/bundles/'];

function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const headers = { 'cache-control': 'no-store' };
    if (path === '/') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
      return;
    }
    if (!SERVED.some((p) => path.startsWith(p))) {
      res.writeHead(404, headers).end();
      return;
    }
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What each target imports, and the call that gives its first result. */
export const TARGETS = [
  { name: 'bdpay (pkg/browser.js)', url: '/pkg/browser.js', call: 'normalizePhone' },
  { name: 'bdpay bundled by esbuild', url: '/bench-results/bundles/bdpay.js', call: 'normalizePhone' },
  ...['libphonenumber-js/min', 'libphonenumber-js/max', 'google-libphonenumber'].map((name) => ({
    name: `${name} (esbuild bundle)`,
    url: `/bench-results/bundles/${bundleFile(name)}`,
    call: 'isValid',
  })),
  // The floors: the same dynamic import of a module that does nothing, and
  // of one that fetches, compiles and calls an empty wasm as bdpay does its own.
  { name: 'nothing (an empty module)', url: '/bench-results/bundles/nothing.js', call: 'isValid' },
  { name: 'an empty wasm (one module, one wasm of one function)', url: '/bench-results/bundles/nothing-wasm.js', call: 'isValid' },
];

// The smallest wasm with a function: `() -> i32` returning 1, exported as `f`.
const EMPTY_WASM = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f], // types: () -> i32
  ...[0x03, 0x02, 0x01, 0x00], // functions: one, of type 0
  ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00], // exports: "f" = function 0
  ...[0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b], // code: i32.const 1
]);

// As pkg/browser.js loads its wasm: fetched beside the module and compiled
// as it streams, `ready` exported, no top-level await.
const EMPTY_WASM_MODULE = `let f;
export const ready = WebAssembly.instantiateStreaming(fetch(new URL('./nothing.wasm', import.meta.url))).then((r) => {
  f = r.instance.exports.f;
});
export const isValid = () => f() === 1;
`;

const SAMPLE_TIMEOUT_MS = 30_000;

async function sample(browser, base, target) {
  const context = await browser.newContext();
  let timer;
  try {
    const page = await context.newPage();
    await page.goto(`${base}/`, { timeout: SAMPLE_TIMEOUT_MS });
    const stuck = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${target.name}: no result within ${SAMPLE_TIMEOUT_MS / 1000} s`)), SAMPLE_TIMEOUT_MS);
    });
    const measured = page.evaluate(async ({ url, call }) => {
      const t0 = performance.now();
      const m = await import(url);
      await m.ready; // the wasm (bdpay's, or the empty one); undefined (no wait) for the peers
      const result = m[call]('01712345678');
      const ms = performance.now() - t0;
      const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
      return {
        ms,
        result,
        // The phases, for pages that fetch a wasm: JS modules until the wasm is
        // asked for, the wasm's fetch (compiled as it streams in), then what is
        // left of compile + instantiate + the first call.
        beforeWasmMs: wasm ? wasm.startTime - t0 : null,
        wasmFetchMs: wasm ? wasm.responseEnd - wasm.startTime : null,
        afterWasmMs: wasm ? t0 + ms - wasm.responseEnd : null,
      };
    }, target);
    return await Promise.race([measured, stuck]);
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function coldBrowser(root, samples = 11) {
  await writeFile(join(root, 'bench-results', 'bundles', 'nothing.js'), 'export const isValid = () => true;\n');
  await writeFile(join(root, 'bench-results', 'bundles', 'nothing.wasm'), EMPTY_WASM);
  await writeFile(join(root, 'bench-results', 'bundles', 'nothing-wasm.js'), EMPTY_WASM_MODULE);
  const server = await serve(root);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const version = browser.version();
    const runs = new Map(TARGETS.map((t) => [t.name, []]));
    for (const t of TARGETS) await sample(browser, base, t); // warm the OS file cache, not the browser's
    for (let i = 0; i < samples; i += 1) {
      for (const t of TARGETS) runs.get(t.name).push(await sample(browser, base, t));
    }
    return {
      chromium: version,
      samples,
      targets: TARGETS.map((t) => {
        const list = runs.get(t.name);
        const phase = (k) => {
          const xs = list.map((r) => r[k]).filter((x) => x !== null);
          return xs.length ? median(xs) : null;
        };
        return {
          name: t.name,
          url: t.url,
          result: list[0].result,
          medianMs: median(list.map((r) => r.ms)),
          minMs: Math.min(...list.map((r) => r.ms)),
          maxMs: Math.max(...list.map((r) => r.ms)),
          beforeWasmMedianMs: phase('beforeWasmMs'),
          wasmFetchMedianMs: phase('wasmFetchMs'),
          afterWasmMedianMs: phase('afterWasmMs'),
          samplesMs: list.map((r) => Math.round(r.ms * 10) / 10),
        };
      }),
    };
  } finally {
    await browser.close();
    server.close();
  }
}
