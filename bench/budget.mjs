// Each npm entry's size, as its user downloads it: the entry module, the
// package modules it imports, the wasm-bindgen glue and the wasm, each file
// compressed alone (gzip -9, brotli quality 11), summed. The files are each
// entry's `size` in build/entries.mjs, the budgets bench/budget.json's. Run by
// `./build.sh test size` (fails when an entry is over its budget or has
// none), by `./build.sh` with --report, and by the bench.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

import { ENTRIES, filesOf } from '../build/entries.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const BUDGET = JSON.parse(readFileSync(join(ROOT, 'bench', 'budget.json'), 'utf8'));

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 64 << 20 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/**
 * `[{ entry, files, raw, gzip, brotli, wasm: {raw, gzip, brotli}, budget }]`
 * for the built pkg/; `budget` is undefined for an entry bench/budget.json
 * does not list.
 */
export function entrySizes(pkg = join(ROOT, 'pkg')) {
  return ENTRIES.map((row) => {
    const { entry } = row;
    const files = filesOf(row).size;
    const total = { raw: 0, gzip: 0, brotli: 0 };
    let wasm;
    for (const f of files) {
      const s = sizes(readFileSync(join(pkg, f)));
      for (const k of Object.keys(total)) total[k] += s[k];
      if (f.endsWith('.wasm')) wasm = s;
    }
    return { entry, files, ...total, wasm, budget: BUDGET.entries[entry]?.gzipBytes };
  });
}

const int = (n) => n.toLocaleString('en-US');

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = entrySizes();
  const over = rows.filter((r) => r.gzip > r.budget);
  const unbudgeted = rows.filter((r) => r.budget === undefined);
  console.log('entry            raw     gzip   brotli   (wasm gzip)  budget (gzip)');
  for (const r of rows) {
    console.log(
      `${r.entry.padEnd(14)} ${int(r.raw).padStart(8)} ${int(r.gzip).padStart(8)} ${int(r.brotli).padStart(8)}` +
        `   (${int(r.wasm.gzip).padStart(7)})  ${r.budget === undefined ? '    none' : int(r.budget).padStart(8)}${r.gzip > r.budget ? '  OVER' : ''}`,
    );
  }
  if (!process.argv.includes('--report') && over.length + unbudgeted.length > 0) {
    if (over.length > 0) {
      console.error(
        `over the size budget: ${over.map((r) => `${r.entry} by ${int(r.gzip - r.budget)} bytes`).join(', ')}; ` +
          'shrink it, or raise bench/budget.json and say why',
      );
    }
    if (unbudgeted.length > 0) console.error(`no size budget in bench/budget.json for ${unbudgeted.map((r) => r.entry).join(', ')}`);
    process.exit(1);
  }
}
