// ./build.sh under CARGO_TARGET_DIR: each entry's wasm is the one cargo has
// just built there, never one an earlier build left at a fixed path. Run by
// `./build.sh test build`, after the build.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { targetDir } from '../../build/target-dir.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WASM = path.join('wasm32-unknown-unknown', 'release', 'bdpay.wasm');

test('with CARGO_TARGET_DIR set, build.sh packages the wasm cargo built there', () => {
  // A target directory of its own, kept between runs: only the first run
  // compiles from scratch (about 20 s on 2 cores).
  const elsewhere = path.join(targetDir(), 'target-dir-test');
  const usual = path.join(targetDir(), WASM);
  const usualBefore = existsSync(usual) ? statSync(usual).mtimeMs : undefined;
  const stage = mkdtempSync(path.join(tmpdir(), 'bdpay-stage-'));
  try {
    // Two entries one after the other, as ./build.sh builds them: each must
    // get its own wasm, not the last one left in the usual place.
    const r = spawnSync(
      'bash',
      ['-c', 'source ./build.sh && build_entry bdpay "" "$1" && build_entry bdpay_billers billers "$1"', 'bash', stage],
      { cwd: root, env: { ...process.env, CARGO_TARGET_DIR: elsewhere }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);

    const staged = (name) => readFileSync(path.join(stage, name));
    assert.ok(staged('bdpay_billers_bg.wasm').includes('parseBillers'), 'the billers entry has its biller code');
    assert.ok(!staged('bdpay_bg.wasm').includes('parseBillers'), 'the validation entry has none');

    // The last wasm cargo wrote there, through wasm-bindgen as build.sh runs
    // it, is byte for byte what was staged for the last entry.
    const again = mkdtempSync(path.join(tmpdir(), 'bdpay-again-'));
    try {
      execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', again, '--out-name', 'bdpay_billers', path.join(elsewhere, WASM)]);
      assert.ok(readFileSync(path.join(again, 'bdpay_billers_bg.wasm')).equals(staged('bdpay_billers_bg.wasm')));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
    assert.equal(existsSync(usual) ? statSync(usual).mtimeMs : undefined, usualBefore, 'nothing was built in the usual place');
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
});
