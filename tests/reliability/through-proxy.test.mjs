// The same fault matrix (5 request types × 9 faults), with the client in
// front of the Workers proxy (workerd, via miniflare) in front of the
// sandbox: a browser-style GatewayClient with no token, the proxy holding it.
// Each cell asserts the caller's outcome against what the sandbox holds under
// that cell's ref_id: exactly one per committed payment, none otherwise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as bdpay from 'bdpay';
import { startSandbox } from '../clients/sandbox.mjs';
import { Record, exampleVars, pageFetch, startProxy } from '../proxy/harness.mjs';
import { FAULTS, TYPES, admin, runCell } from './matrix.mjs';

const MARKER = 'bdpayMARKEDproxy';
const SHOP = 'http://shop.test:8080';
const record = new Record();
const realFetch = globalThis.fetch;
let sandbox;
let sb;
let token;
let proxy;
let packages;

before(async () => {
  sandbox = await startSandbox(['--settle-ms', '100'], { captureLog: true });
  sb = admin(sandbox.url);
  token = await sb.account(MARKER, {
    rate_limit: false,
    balances: { flexiload_balance: '1000000.00', drive_balance: '1000000.00', bank_balance: '1000000.00' },
  });
  proxy = await startProxy(record, {
    bindings: {
      ...exampleVars(),
      BDPAY_UPSTREAM_URL: sandbox.url,
      BDPAY_TOKEN: token,
      BDPAY_ALLOWED_ORIGINS: SHOP,
      BDPAY_UPSTREAM_TIMEOUT_MS: '5000',
      BDPAY_CLIENT_READS_PER_MINUTE: '5000',
      BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '1000',
    },
  });
  // As a page on the shop's origin calls it.
  globalThis.fetch = pageFetch(realFetch, proxy.url, SHOP, record);
  const probe = new bdpay.GatewayClient({ baseUrl: proxy.url });
  packages = {
    data: (await probe.packages({ operator_code: 'GP', type: 'data' }))[0].id,
    drive: (await probe.packages({ operator_code: 'BL', type: 'drive' }))[0].id,
  };
});

after(async () => {
  globalThis.fetch = realFetch;
  await proxy?.stop();
  await sandbox?.stop();
});

for (const type of TYPES) {
  for (const [name, fault, commits] of FAULTS) {
    test(`through the proxy: ${type} × ${name}`, { timeout: 30_000 }, async () => {
      const client = new bdpay.GatewayClient({ baseUrl: proxy.url, timeoutMs: 700, pollIntervalMs: 50 });
      const heldFor = (ref) => sb.heldFor(token, ref);
      const problem = await runCell({ bdpay, client, sandbox: sb, token, type, fault, commits, packages, heldFor });
      assert.equal(problem, null);
    });
  }
}

test('through the proxy, the marked token is in no answer, proxy log line or sandbox log line', async () => {
  assert.ok(record.answers.length > 45, `checked ${record.answers.length} answers`);
  record.assertNothingHolds([token]);
  assert.deepEqual(sandbox.log.filter((l) => l.includes(MARKER)), []);
});
