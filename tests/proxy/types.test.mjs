// bdpay/worker's types, as a merchant's TypeScript Worker sees them through
// the exports map (the `types` condition of `./worker`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { root } from './harness.mjs';

test('a TypeScript Worker over createProxy and the default export type-checks; misuse does not', () => {
  const r = spawnSync(`${root}node_modules/.bin/tsc`, ['-p', 'tests/proxy/types/tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});
