// A real browser in front of the proxy: headless Chromium (Debian's) opens a
// checkout page on the sandbox's origin, which imports the package's browser
// entry and calls the Worker on another origin (another port) with no token.
// Chromium itself sends the Origin header and the CORS preflights, and
// refuses answers without permission. A page on an origin that is not
// allowed gets nothing through, and the sandbox sees nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchChromium } from '../clients/chromium.mjs';

import { startSandbox } from '../clients/sandbox.mjs';
import { createExecuteIntent } from 'bdpay/server';

import { INTENT_KEY, Record, exampleVars, intentFor, sandboxAdmin, startProxy } from './harness.mjs';

const record = new Record();
let sandbox;
let admin;
let token;
let proxy;
let browser;

before(async () => {
  sandbox = await startSandbox(['--www', 'tests/proxy/page', '--pkg', 'pkg']);
  admin = sandboxAdmin(sandbox.url);
  token = await admin.account({ pin: '1234', rate_limit: false });
  proxy = await startProxy(record, {
    bindings: {
      ...exampleVars(),
      BDPAY_UPSTREAM_URL: sandbox.url,
      BDPAY_TOKEN: token,
      BDPAY_INTENT_KEY: INTENT_KEY,
      BDPAY_WALLET_TOKEN: token,
      BDPAY_WALLET_PIN: '1234',
      BDPAY_OPERATIONS: `${exampleVars().BDPAY_OPERATIONS},execute`,
      // The page's origin only: http://localhost:PORT is the same server, another origin.
      BDPAY_ALLOWED_ORIGINS: sandbox.url,
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
  await sandbox?.stop();
});

/**
 * A page at `origin`, with every proxy answer it receives put in the record;
 * `close()` waits for those to be read first.
 */
async function checkoutPage(origin) {
  const page = await browser.newPage();
  const errors = [];
  const reading = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (!r.url().startsWith(proxy.url)) return;
    reading.push(
      (async () => {
        const headers = Object.entries(await r.allHeaders());
        const body = await r.text().catch(() => '');
        record.answers.push({ where: `chromium ${r.request().method()} ${r.url()}`, status: r.status(), headers, body });
      })(),
    );
  });
  await page.goto(`${origin}/index.html`);
  const close = async () => {
    const results = await Promise.allSettled(reading);
    await page.close();
    const failed = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(failed.map((r) => String(r.reason)), [], 'every answer was read into the record');
  };
  return { page, errors, close };
}

test('a checkout page on an allowed origin pays through the proxy with its intents: recharge to Success, and a bill', async () => {
  const before = await admin.transactions(token);
  const { page, errors, close } = await checkoutPage(sandbox.url);
  // What the merchant's server hands the page: the recharge's intent.
  const intent = intentFor({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, ref_id: 'ORD-B-1' });
  const summary = await page.evaluate(async (base) => {
    const { ready, BillPayClient } = await import('/pkg/clients-browser.js');
    await ready;
    const w = new BillPayClient({ baseUrl: base });
    const biller = (await w.billers()).flatMap((x) => x.billers).find((b) => b.biller_id === 'b451');
    const s = await w.summary(biller, { bllr_accno: 'ACC4242', bill_mobno: '01812345678', bll_typ: 'M' });
    return { request_id: s.request_id, total: s.total_payable.display, due: s.total_payable.amount };
  }, proxy.url);
  // ... and, for the bill, the execute intent of the summary's total.
  const billIntent = createExecuteIntent({ request_id: summary.request_id, total: summary.total }, INTENT_KEY);
  const out = await page.evaluate(
    async ([base, intent, billIntent, requestId]) => {
      const { ready, GatewayClient, BillPayClient } = await import('/pkg/clients-browser.js');
      await ready;
      const c = new GatewayClient({ baseUrl: base, pollIntervalMs: 50, waitTimeoutMs: 10000 });
      // The page types the number its own way: normalised, the same payment.
      const t = await c.recharge({ operator_code: 'GP', phone: '০১৭১২৩৪৫৬৭৮', amount: 100, ref_id: 'ORD-B-1', intent });
      const final = await c.waitForFinal(t);
      const balance = await c.balance().then(
        () => 'answered',
        (e) => `${e.kind} ${e.status}`,
      );
      // The same payment again, confirmed past the repeat guard: the proxy refuses it unsigned.
      const unsigned = await c.recharge({ operator_code: 'GP', phone: '01712345678', amount: 100, confirm_repeat: true }).then(
        () => 'answered',
        (e) => `${e.kind} ${e.status}`,
      );
      const w = new BillPayClient({ baseUrl: base });
      const receipt = await w.execute({ request_id: requestId, intent: billIntent });
      return { ref: t.ref_id, phone: t.phone, final: final.trx_status, balance, unsigned, paid: receipt.total_payable.amount };
    },
    [proxy.url, intent, billIntent, summary.request_id],
  );
  out.due = summary.due;
  await close();
  assert.deepEqual(errors, []);
  assert.deepEqual(
    { ...out, paid: undefined, due: undefined },
    { ref: 'ORD-B-1', phone: '01712345678', final: 'Success', balance: 'forbidden 403', unsigned: 'forbidden 403', paid: undefined, due: undefined },
  );
  assert.equal(out.paid, out.due);
  const after = await admin.transactions(token);
  assert.equal(after.transactions.length, before.transactions.length + 1);
  assert.equal(after.payments.length, before.payments.length + 1);
  // Playwright does not report preflights; the Worker's log does.
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(
    record.proxyLines().some((l) => l.startsWith('bdpay-proxy OPTIONS /api/gateway/v1/request 204 answered')),
    'Chromium preflighted the JSON POST, and the proxy allowed it',
  );
  assert.ok(
    record.answers.some((a) => a.where.startsWith('chromium POST') && a.where.endsWith('/api/gateway/v1/status') && a.status === 200),
    'the status reads carried the intent',
  );
});

test('a page on another origin gets nothing through, and the sandbox sees nothing', async () => {
  const other = sandbox.url.replace('127.0.0.1', 'localhost');
  const before = await admin.transactions(token);
  const logged = record.proxyLines().length;
  const { page, errors, close } = await checkoutPage(other);
  const out = await page.evaluate(async (base) => {
    const { ready, GatewayClient } = await import('/pkg/clients-browser.js');
    await ready;
    const c = new GatewayClient({ baseUrl: base, timeoutMs: 3000 });
    const outcome = (p) =>
      p.then(
        () => 'answered',
        (e) => e.kind,
      );
    return {
      recharge: await outcome(c.recharge({ operator_code: 'GP', phone: '01712345678', amount: 100, ref_id: 'ORD-B-EVIL' })),
      packages: await outcome(c.packages({ operator_code: 'GP' })),
    };
  }, proxy.url);
  await close();
  assert.deepEqual(errors, []);
  assert.notEqual(out.recharge, 'answered');
  assert.notEqual(out.packages, 'answered');
  const after = await admin.transactions(token);
  assert.equal(after.transactions.length, before.transactions.length, 'no transaction');
  assert.ok(!after.transactions.some((t) => t.ref_id === 'ORD-B-EVIL'));
  await new Promise((r) => setTimeout(r, 200));
  const lines = record.proxyLines().slice(logged);
  assert.ok(lines.some((l) => /^bdpay-proxy OPTIONS \/api\/gateway\/v1\/request 403 answered \d+ms$/.test(l)), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes(' forwarded ')), `nothing forwarded: ${lines.join('; ')}`);
});

// Retry-After is not a CORS-safelisted response header: a page reads it only
// when the answer lists it in Access-Control-Expose-Headers.
test('a page can read Retry-After from a 429 through the proxy', async () => {
  await admin.fault({ kind: 'rate_limit', secs: 2, path: '/api/gateway/v1/packages', token });
  const { page, close } = await checkoutPage(sandbox.url);
  const seen = await page.evaluate(async (base) => {
    const r = await fetch(`${base}/api/gateway/v1/packages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"operator_code":"GP"}',
    });
    return [r.status, r.headers.get('retry-after')];
  }, proxy.url);
  await close();
  assert.deepEqual(seen, [429, '2']);
});

test('no answer Chromium received and no log line of this file holds the token', async () => {
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(record.answers.length >= 6, `checked ${record.answers.length} answers`);
  assert.ok(record.proxyLines().length >= 10, `checked ${record.proxyLines().length} log lines`);
  record.assertNothingHolds([token, INTENT_KEY]);
});
