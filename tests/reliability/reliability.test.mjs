// Reliability and secret hygiene, against the running sandbox:
// - the fault matrix (5 request types × 9 faults) through GatewayClient;
// - hostile input: each gets a structured error and no upstream call;
// - every account of this suite has a marked token, every response the
//   clients receive and every line the sandbox logs is recorded, and none of
//   them may contain the marker.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as bdpay from 'bdpay/clients';
import { targetDir } from '../../build/target-dir.mjs';
import { root, startSandbox } from '../clients/sandbox.mjs';
import { FAULTS, TYPES, admin, cellRef, runCell } from './matrix.mjs';

const MARKER = 'bdpayMARKEDsecret';

// Record what the clients see: the package's send (send.js) calls the global fetch.
const seen = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  // send.js passes a URL; a Request is read by its own.
  const url = String(input?.url ?? input);
  if (!url.includes('/__sandbox/')) {
    const body = await res.clone().text().catch(() => '');
    seen.push(`${res.status} ${url} ${JSON.stringify([...res.headers])} ${body}`);
  }
  return res;
};

const sandbox = await startSandbox(['--settle-ms', '100'], { captureLog: true });
after(() => sandbox.stop());
const sb = admin(sandbox.url);
const gateway = (token, extra = {}) =>
  new bdpay.GatewayClient({ baseUrl: sandbox.url, token, timeoutMs: 700, pollIntervalMs: 50, ...extra });

const probe = gateway(await sb.account(MARKER));
const packages = {
  data: (await probe.packages({ operator_code: 'GP', type: 'data' }))[0].id,
  drive: (await probe.packages({ operator_code: 'BL', type: 'drive' }))[0].id,
};

const errors = [];

for (const type of TYPES) {
  for (const [name, fault, commits] of FAULTS) {
    test(`fault matrix: ${type} × ${name}`, { timeout: 30_000 }, async () => {
      const token = await sb.account(MARKER);
      const heldFor = (ref) => sb.heldFor(token, ref);
      const problem = await runCell({ bdpay, client: gateway(token), sandbox: sb, token, type, fault, commits, packages, heldFor });
      assert.equal(problem, null);
      assert.equal(await sb.count(token), await heldFor(cellRef(type, fault)), 'nothing else held');
    });
  }
}

// Each row: a request that must be refused before anything is sent, and the
// field codes expected.
const hostile = [
  ['oversized field', { type: 'recharge', operator_code: 'GP', phone: '0'.repeat(1_000_000), amount: 10 }, ['phone:invalid_phone']],
  ['oversized body', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, note: 'x'.repeat(5_000_000) }, [':too_large']],
  ['deep JSON', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: JSON.parse('['.repeat(100) + ']'.repeat(100)) }, [':too_deep']],
  // JSON.stringify itself overflows V8's stack here: the value cannot cross at all.
  ['JSON too deep to stringify', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: JSON.parse('['.repeat(20000) + ']'.repeat(20000)) }, [':not_an_object']],
  ['lone surrogate (invalid UTF-16)', { type: 'recharge', operator_code: 'GP', phone: '0171234567\uD800', amount: 10 }, ['phone:invalid_phone']],
  ['Arabic-Indic look-alike digits', { type: 'recharge', operator_code: 'GP', phone: '٠١٧١٢٣٤٥٦٧٨', amount: 10 }, ['phone:invalid_phone']],
  ['full-width digits', { type: 'recharge', operator_code: 'GP', phone: '０１７１２３４５６７８', amount: 10 }, ['phone:invalid_phone']],
  ['RTL mark', { type: 'recharge', operator_code: 'GP', phone: '\u200F01712345678', amount: 10 }, ['phone:invalid_phone']],
  ['zero-width space', { type: 'recharge', operator_code: 'GP', phone: '0171\u200B2345678', amount: 10 }, ['phone:invalid_phone']],
  ['10 digits', { type: 'recharge', operator_code: 'GP', phone: '0171234567', amount: 10 }, ['phone:invalid_phone']],
  ['12 digits (not Rocket)', { type: 'recharge', operator_code: 'GP', phone: '017123456789', amount: 10 }, ['phone:invalid_phone']],
  ['13 digits', { type: 'mfs', operator_code: 'RK', phone: '0171234567890', amount: 10 }, ['phone:invalid_wallet']],
  ['negative amount', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: -10 }, ['amount:amount_not_positive']],
  ['NaN amount', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: Number.NaN }, ['amount:required']],
  ['Infinity amount', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: Number.POSITIVE_INFINITY }, ['amount:required']],
  ['huge amount', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 1e300 }, ['amount:amount_too_large']],
  ['three decimals', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10.005 }, ['amount:too_many_decimals']],
  ['BigInt amount', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10n }, [':not_an_object']],
  ['__proto__ key', JSON.parse('{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":10,"__proto__":{"admin":true}}'), ['__proto__:unknown_field']],
  ['header injection in ref_id', { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: 'x\r\nAuthorization: Bearer evil' }, ['ref_id:invalid_ref_id']],
];

for (const [name, request, codes] of hostile) {
  test(`hostile input: ${name}`, async () => {
    const token = await sb.account(MARKER);
    const c = gateway(token);
    const checked = bdpay.validateRequest(request);
    assert.equal(checked.ok, false);
    assert.deepEqual(checked.errors.map((e) => `${e.field}:${e.code}`), codes);
    for (const e of checked.errors) assert.ok(e.message && e.message_bn, 'messages in both languages');
    const before = seen.length;
    const err = await c.request(request).then(
      () => assert.fail('a hostile request was accepted'),
      (e) => e,
    );
    assert.ok(err instanceof bdpay.BdpayError, String(err));
    assert.equal(err.kind, 'validation');
    errors.push(err);
    assert.equal(seen.length, before, 'nothing was sent');
    assert.equal(await sb.count(token), 0);
  });
}

test('the marked token is in no response, error or sandbox log line', () => {
  assert.ok(seen.length > 50, `recorded ${seen.length} responses`);
  assert.ok(sandbox.log.length > 50, `recorded ${sandbox.log.length} log lines`);
  const leaks = seen.filter((s) => s.includes(MARKER));
  assert.deepEqual(leaks, []);
  assert.deepEqual(sandbox.log.filter((l) => l.includes(MARKER)), []);
  for (const e of errors) {
    assert.ok(![String(e), e.stack, JSON.stringify(e)].join(' ').includes(MARKER));
  }
});

test('the marked token is in no file the build or the tests wrote', () => {
  const dirs = [...['pkg', 'test-artifacts', 'bench-results'].map((d) => join(root, d)), join(targetDir(), 'pkg-stage')];
  const hits = [];
  let files = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.size < 50_000_000) {
        files += 1;
        if (readFileSync(path).includes(MARKER)) hits.push(path);
      }
    }
  };
  dirs.forEach(walk);
  assert.ok(files > 0, 'scanned some files');
  assert.deepEqual(hits, []);
});
