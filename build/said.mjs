// The sentences pkg-template/util.js says itself (when the wasm could not
// say them), taken from the Rust tables that own them, so the JS side never
// keeps a copy: ./build.sh writes them into pkg/said.js.
//
//   node build/said.mjs    prints the module

import { readFileSync } from 'node:fs';

/** code → the Rust file whose table holds its row. */
const ROWS = {
  network: 'crates/api/src/error/wording.rs',
  not_signed: 'crates/api/src/error/wording.rs',
  proxy_failed: 'crates/proxy/src/refusal.rs',
  upstream_withheld: 'crates/proxy/src/refusal.rs',
};

/** A Rust string literal's text (the tables use `\"` and `\\` at most). */
const unescape = (s) => s.replace(/\\(.)/g, '$1');

/** `{ code: [English, Bangla] }` from the Rust tables under `root`. */
export function said(root) {
  const out = {};
  for (const [code, file] of Object.entries(ROWS)) {
    const rust = readFileSync(new URL(file, root), 'utf8');
    const row = new RegExp(`"${code}",\\s*"((?:[^"\\\\]|\\\\.)*)",\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(rust);
    if (!row) throw new Error(`build/said.mjs: no row "${code}" in ${file}`);
    out[code] = [unescape(row[1]), unescape(row[2])];
  }
  return out;
}

/** pkg/said.js. */
export function saidModule(root) {
  const rows = Object.entries(said(root)).map(([code, pair]) => `  ${code}: ${JSON.stringify(pair)},`);
  return [
    `// Written by build/said.mjs from ${[...new Set(Object.values(ROWS))].join(' and ')}.`,
    '/** What the package says itself, by code: `[English, Bangla]`. */',
    'export const SAID = /* @__PURE__ */ Object.freeze({',
    ...rows,
    '});',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(saidModule(new URL('../', import.meta.url)));
}
