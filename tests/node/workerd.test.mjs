// The package under the `workerd` export condition, run inside a real Worker
// (miniflare's workerd), unbundled: the package's files go in as modules, the
// .wasm as a `CompiledWasm` module, exactly as Workers receive them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Miniflare } from 'miniflare';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where `import 'bdpay'` leads under the given conditions, by Node's own exports-map resolver. */
function resolveWith(conditions) {
  const flags = conditions.map((c) => `--conditions=${c}`);
  const url = execFileSync(
    process.execPath,
    [...flags, '--input-type=module', '-e', "console.log(import.meta.resolve('bdpay'))"],
    { cwd: root, encoding: 'utf8' },
  ).trim();
  return realpathSync(fileURLToPath(url));
}

const WORKER = (entry) => `
import * as bdpay from ${JSON.stringify(entry)};

export default {
  async fetch() {
    let configError;
    try {
      bdpay.createValidator({ colour: 'red' });
    } catch (e) {
      configError = { isBdpayError: e instanceof bdpay.BdpayError, kind: e.kind, fields: e.fieldErrors.map((f) => f.field) };
    }
    // Already resolved: portable code's \`await ready\` waits for nothing here.
    const ready = await Promise.race([bdpay.ready.then(() => 'resolved'), Promise.resolve().then(() => 'pending')]);
    const body = {
      ready,
      phone: bdpay.normalizePhone('+880 1712-345678'),
      detected: bdpay.detectOperator('01312345678'),
      ok: bdpay.validateRequest({ type: 'mfs', operator_code: 'rk', phone: '017-1234-5678-9', amount: 500.5 }),
      bad: bdpay.validateRequest({ type: 'bill', operator_code: 'DESCO', bill_number: '12', month: 13, amount: 0 }),
      bigint: bdpay.validateRequest({ type: 'bill', amount: 10n }),
      configError,
      // No DOM in a Worker: the element is not defined, and the field controller works on no input.
      element: bdpay.definePhoneElement() ?? 'undefined',
      field: (() => {
        const phone = bdpay.bindPhoneInput(undefined);
        phone.value = '+880 1712-345678';
        return [phone.value, phone.number, phone.operator?.code];
      })(),
    };
    return Response.json(body);
  },
};
`;

let mf;
let entry;

before(async () => {
  entry = resolveWith(['workerd']);
  const pkgDir = path.dirname(entry);
  const files = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).files;
  const modules = [
    {
      type: 'ESModule',
      path: path.join(pkgDir, '__worker.mjs'),
      contents: WORKER(`./${path.basename(entry)}`),
    },
  ];
  for (const file of files) {
    const type = file.endsWith('.wasm') ? 'CompiledWasm' : file.endsWith('.js') ? 'ESModule' : undefined;
    if (type) modules.push({ type, path: path.join(pkgDir, file) });
  }
  mf = new Miniflare({ modules, modulesRoot: pkgDir, compatibilityDate: '2026-04-01' });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
});

test('the workerd condition resolves to the Worker entry, ahead of worker, node and browser', () => {
  assert.equal(path.basename(entry), 'workerd.js');
  assert.equal(path.basename(resolveWith(['worker'])), 'workerd.js');
  assert.equal(path.basename(resolveWith(['workerd', 'worker', 'browser'])), 'workerd.js');
});

test('inside a Worker, the package validates with the statically imported wasm', async () => {
  const res = await mf.dispatchFetch('http://localhost/');
  assert.equal(res.status, 200, await res.clone().text());
  const body = await res.json();
  assert.equal(body.ready, 'resolved');
  assert.equal(body.phone, '01712345678');
  assert.deepEqual(body.detected, {
    code: 'GP',
    name: 'Grameenphone',
    name_bn: 'গ্রামীণফোন',
    alternatives: [{ code: 'SK', name: 'Skitto', name_bn: 'স্কিটো' }],
  });
  assert.deepEqual(body.ok, {
    ok: true,
    value: { type: 'mfs', operator_code: 'RK', phone: '017123456789', amount: '500.50' },
  });
  assert.deepEqual(body.bad.errors.map((e) => [e.field, e.code]), [
    ['bill_number', 'invalid_bill_number'],
    ['month', 'invalid_month'],
    ['amount', 'amount_not_positive'],
  ]);
  assert.equal(body.bad.errors[1].message_bn, 'মাস ০১ থেকে ১২-এর মধ্যে হতে হবে।');
  assert.deepEqual(body.bigint.errors.map((e) => [e.field, e.code]), [['', 'not_an_object']], 'BigInt inside a Worker');
  assert.deepEqual(body.configError, { isBdpayError: true, kind: 'validation', fields: ['colour'] });
  assert.equal(body.element, 'undefined', 'definePhoneElement does nothing where there are no custom elements');
  assert.deepEqual(body.field, ['01712-345678', '01712345678', 'GP']);
});
