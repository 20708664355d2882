// bdpay/server, imported by name as a merchant's Node server does: intents
// are signed only for valid payments, never leak the key, and are exported
// to server runtimes only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { BdpayError, readIntent as readIntentInPage } from 'bdpay/clients';
import { createExecuteIntent, createIntent, INTENT_HEADER, intentKeyId, readIntent } from 'bdpay/server';

const root = fileURLToPath(new URL('../../', import.meta.url));
const KEY = 'node-test-intent-key-0123456789abcdefghijkl';
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

test('bdpay/server resolves for node, workerd and worker, never for a browser', () => {
  const resolve = (conditions) =>
    spawnSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', "console.log(import.meta.resolve('bdpay/server'))"], {
      cwd: root,
      encoding: 'utf8',
    });
  assert.match(resolve([]).stdout, /server-node\.js/);
  assert.match(resolve(['workerd']).stdout, /server-workerd\.js/);
  // Node always adds its own `node` condition, so the browser case is read from the map:
  // a bundler building for browsers finds no entry and fails the import.
  const pkg = JSON.parse(readFileSync(new URL('pkg/package.json', `file://${root}`), 'utf8'));
  assert.deepEqual(Object.keys(pkg.exports['./server']), ['types', 'workerd', 'worker', 'node']);
});

test('an intent says what was signed, normalised, with a generated ref_id when none was given', () => {
  const intent = createIntent({ type: 'recharge', operator_code: 'gp', phone: '+880 1712-345678', amount: 100.5 }, KEY, { now: NOW });
  assert.match(intent, /^bdpi1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.equal(intent.split('.')[1], intentKeyId(KEY));
  const claims = readIntent(intent);
  assert.deepEqual(
    { ...claims, ref_id: undefined, body: { ...claims.body, ref_id: undefined } },
    {
      operation: 'request',
      ref_id: undefined,
      expires: NOW / 1000 + 900,
      spend: '100.50',
      body: { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100.5, ref_id: undefined },
    },
  );
  assert.match(claims.ref_id, /^bdp-\d+-[0-9a-f]{16}$/);
  assert.equal(claims.body.ref_id, claims.ref_id);
  assert.deepEqual(readIntentInPage(intent), claims, 'the page reads the same claims');
  assert.equal(readIntent('not an intent'), undefined);
  assert.equal(INTENT_HEADER, 'Bdpay-Intent');
  const bill = readIntent(createExecuteIntent({ request_id: 'req-1', total: '$105.00', expiresIn: 60 }, KEY, { now: NOW }));
  assert.deepEqual(bill, { operation: 'execute', ref_id: 'req-1', expires: NOW / 1000 + 60, spend: '105.00', body: { request_id: 'req-1' } });
});

test('a bad payment or a weak key is refused with field errors in both languages, never signed, never showing the key', () => {
  const rows = [
    [{ type: 'recharge', operator_code: 'GP', phone: '0171', amount: 100 }, KEY, ['phone']],
    [{ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 1.005 }, KEY, ['amount']],
    [{ type: 'drive', operator_code: 'BL', phone: '01912345678', package_id: 4 }, KEY, ['price']],
    [{ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, expiresIn: 5 }, KEY, ['expiresIn']],
    [{ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100 }, 'too-short-key', ['intentKey']],
    [{ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100 }, undefined, ['intentKey']],
  ];
  for (const [payment, key, fields] of rows) {
    let thrown;
    try {
      createIntent(payment, key);
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof BdpayError, JSON.stringify(payment));
    assert.equal(thrown.kind, 'validation');
    assert.deepEqual(thrown.fieldErrors.map((f) => f.field), fields);
    assert.ok(thrown.fieldErrors.every((f) => /[\u0980-\u09ff]/.test(f.message_bn)));
    assert.equal(thrown.messageBn, thrown.fieldErrors[0].message_bn, 'the error says its first field in Bangla');
    const shown = JSON.stringify({ message: thrown.message, fieldErrors: thrown.fieldErrors, stack: thrown.stack });
    if (key) assert.ok(!shown.includes(key), 'the key is in no error');
  }
  const weak = (() => {
    try {
      createIntent({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100 }, 'short');
    } catch (e) {
      return e.fieldErrors[0];
    }
  })();
  assert.equal(weak.code, 'weak_key');
  assert.match(weak.message, /at least 32 characters/);
  assert.equal(weak.message_bn, 'ইনটেন্ট কী এক লাইনে কমপক্ষে ৩২ অক্ষরের এলোমেলো লেখা হতে হবে।');
});
