// The same fault matrix (5 request types × 9 faults), with the client in
// front of the Workers proxy (workerd, via miniflare) in front of the
// sandbox: a browser-style GatewayClient with no token, the proxy holding it.
// Each cell asserts the caller's outcome against what the sandbox holds under
// that cell's ref_id: exactly one per committed payment, none otherwise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as bdpay from 'bdpay/clients';
import { startSandbox } from '../clients/sandbox.mjs';
import { INTENT_KEY, Record, exampleVars, intentFor, pageFetch, startProxy } from '../proxy/harness.mjs';
import { listen, lookalike } from './listen.mjs';
import { FAULTS, REQUEST_PATH, TYPES, admin, runCell } from './matrix.mjs';

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
      BDPAY_INTENT_KEY: INTENT_KEY,
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

/**
 * A page's client whose payments carry the intent the merchant's server
 * signed for exactly those arguments (a package's price is the merchant's
 * note to the proxy's ceilings).
 */
function withIntents(client) {
  const pay = (type) => ({ confirm_repeat, ...args }) => {
    const price = type === 'data' || type === 'drive' ? { price: 100 } : {};
    return client[type]({ ...args, confirm_repeat, intent: intentFor({ type, ...args, ...price }) });
  };
  return Object.fromEntries([...TYPES.map((t) => [t, pay(t)]), ['status', (q) => client.status(q)]]);
}

for (const type of TYPES) {
  for (const [name, fault, commits] of FAULTS) {
    test(`through the proxy: ${type} × ${name}`, { timeout: 30_000 }, async () => {
      const client = withIntents(new bdpay.GatewayClient({ baseUrl: proxy.url, timeoutMs: 700, pollIntervalMs: 50 }));
      const heldFor = (ref) => sb.heldFor(token, ref);
      const problem = await runCell({ bdpay, client, sandbox: sb, token, type, fault, commits, packages, heldFor });
      assert.equal(problem, null);
    });
  }
}

test('through the proxy, an upstream redirect is not followed and the client settles by status', { timeout: 30_000 }, async () => {
  const elsewhere = await listen(lookalike);
  try {
    const client = withIntents(new bdpay.GatewayClient({ baseUrl: proxy.url, timeoutMs: 2000, pollIntervalMs: 50 }));
    for (const [code, phase, held] of [[307, 'before', 0], [308, 'after', 1]]) {
      const ref = `PX-RD-${code}-${phase}`;
      await sb.fault({ kind: 'redirect', code, location: `${elsewhere.url}/taken`, phase, path: REQUEST_PATH, token });
      const outcome = await client.recharge({ operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: ref }).then(
        (t) => ({ t }),
        (e) => ({ e }),
      );
      assert.deepEqual(elsewhere.hits, [], `${code} ${phase}: nothing reached the Location, token or body`);
      assert.equal(await sb.heldFor(token, ref), held);
      if (held) {
        assert.equal(outcome.t?.ref_id, ref, 'the committed payment, confirmed by status');
      } else {
        // The proxy answers 502 for an answer it will not pass on.
        assert.deepEqual([outcome.e?.kind, outcome.e?.status, outcome.e?.notCommitted], ['server', 502, true]);
      }
    }
  } finally {
    await elsewhere.close();
  }
});

test('through the proxy, an upstream answer over 1 MiB is not passed on', { timeout: 30_000 }, async () => {
  const client = withIntents(new bdpay.GatewayClient({ baseUrl: proxy.url, timeoutMs: 2000, pollIntervalMs: 50 }));
  for (const length of ['declared', 'chunked']) {
    const ref = `PX-OS-${length}`;
    await sb.fault({ kind: 'oversized', length, path: REQUEST_PATH, token });
    // The same payment twice on purpose (two ways to send a big answer): past the repeat guard.
    const t = await client.recharge({ operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: ref, confirm_repeat: true });
    assert.equal(t.ref_id, ref, `${length}: the committed payment, confirmed by status`);
    assert.equal(await sb.heldFor(token, ref), 1);
  }
  const big = record.answers.filter((a) => a.body.length > 1024 * 1024);
  assert.deepEqual(big.map((a) => a.where), [], 'no answer over 1 MiB reached the page');
});

test('through the proxy, the marked token is in no answer, proxy log line or sandbox log line', async () => {
  assert.ok(record.answers.length > 45, `checked ${record.answers.length} answers`);
  record.assertNothingHolds([token, INTENT_KEY]);
  assert.deepEqual(sandbox.log.filter((l) => l.includes(MARKER)), []);
});
