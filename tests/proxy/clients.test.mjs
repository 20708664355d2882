// The package's own GatewayClient and BillPayClient, with `baseUrl` = the
// Worker's loopback URL and no token, as a checkout page uses them: every
// call carries the page's Origin, and an answer without the matching
// Access-Control-Allow-Origin is a failure, as in a browser. Then the
// exactly-once cases through the proxy: the sandbox's faults behind it, one
// transaction per intended payment, none when nothing committed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BdpayError, BillPayClient, GatewayClient } from 'bdpay/clients';
import { createExecuteIntent } from 'bdpay/server';

import { startSandbox } from '../clients/sandbox.mjs';
import { INTENT_KEY, PATHS, Record, exampleVars, intentFor, pageFetch, sandboxAdmin, startProxy } from './harness.mjs';

const SHOP = 'http://shop.test:8080';
const record = new Record();
let sandbox;
let admin;
let token;
let proxy;
const realFetch = globalThis.fetch;

before(async () => {
  sandbox = await startSandbox();
  admin = sandboxAdmin(sandbox.url);
  token = await admin.account({ pin: '1234', rate_limit: false });
  proxy = await startProxy(record, {
    bindings: {
      ...exampleVars(),
      BDPAY_UPSTREAM_URL: sandbox.url,
      BDPAY_TOKEN: token,
      BDPAY_INTENT_KEY: INTENT_KEY,
      // The sandbox serves both APIs under one account; the proxy still needs the wallet's token by name.
      BDPAY_WALLET_TOKEN: token,
      BDPAY_WALLET_PIN: '1234',
      BDPAY_OPERATIONS: `${exampleVars().BDPAY_OPERATIONS},execute`,
      BDPAY_ALLOWED_ORIGINS: `https://shop.example.com, ${SHOP}`,
      BDPAY_UPSTREAM_TIMEOUT_MS: '1200',
      // Every call here comes from 127.0.0.1: the limits are tested in policy.test.mjs.
      BDPAY_CLIENT_READS_PER_MINUTE: '5000',
      BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '1000',
    },
  });
  // A page's fetch: the Origin header on every call to the proxy, and CORS enforced.
  globalThis.fetch = pageFetch(realFetch, proxy.url, SHOP, record);
});

after(async () => {
  globalThis.fetch = realFetch;
  await proxy?.stop();
  await sandbox?.stop();
});

const fast = { pollIntervalMs: 50, waitTimeoutMs: 10_000 };
const gateway = (extra = {}) => new GatewayClient({ baseUrl: proxy.url, ...fast, ...extra });
const wallet = (extra = {}) => new BillPayClient({ baseUrl: proxy.url, ...extra });
const heldFor = async (refId) => (await admin.transactions(token)).transactions.filter((t) => t.ref_id === refId).length;
const payments = async () => (await admin.transactions(token)).payments.length;

async function rejection(promise) {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error) => ({ error }),
  );
  assert.ok(outcome.error, `expected a rejection, got ${JSON.stringify(outcome.value)}`);
  assert.ok(outcome.error instanceof BdpayError, `a BdpayError, not ${outcome.error}`);
  return outcome.error;
}

/** A recharge's intent, as the merchant's server signs it. */
const recharge = (fields) => intentFor({ type: 'recharge', operator_code: 'GP', ...fields });

test('recharge through the proxy with no token in the page: the intent alone, then waitForFinal', async () => {
  const c = gateway();
  const intent = recharge({ phone: '+880 1712-345678', amount: '100.50', ref_id: 'ORD-C-1' });
  const t = await c.request({ intent });
  assert.equal(t.ref_id, 'ORD-C-1');
  assert.equal(t.phone, '01712345678');
  assert.equal(t.trx_status, 'Pending');
  assert.equal(t.intent, intent, 'the transaction keeps its intent for the status reads');
  const final = await c.waitForFinal(t);
  assert.equal(final.trx_status, 'Success');
  assert.equal(await heldFor('ORD-C-1'), 1);
  const failed = await c.recharge({ phone: '01712345699', amount: 20, intent: recharge({ phone: '01712345699', amount: 20 }) });
  assert.equal((await c.waitForFinal({ trx_id: failed.trx_id, intent: failed.intent })).trx_status, 'Failed');
});

test('a payment without its intent is refused as forbidden, and nothing is held', async () => {
  const c = gateway();
  const before = (await admin.transactions(token)).transactions.length;
  const e = await rejection(c.recharge({ operator_code: 'GP', phone: '01712345678', amount: 20, ref_id: 'ORD-C-NOINTENT' }));
  assert.deepEqual([e.kind, e.status], ['forbidden', 403]);
  assert.match(e.message, /intent/);
  // The proxy's own code and Bangla, as it said them.
  assert.deepEqual(
    [e.code, e.messageBn],
    ['intent_required', 'এই পেমেন্টের জন্য মার্চেন্টের পেমেন্ট ইনটেন্ট লাগবে (Bdpay-Intent হেডার)।'],
  );
  const wrong = await rejection(
    c.recharge({ operator_code: 'GP', phone: '01712345678', amount: 21, intent: recharge({ phone: '01712345678', amount: 20 }) }),
  );
  assert.deepEqual([wrong.kind, wrong.status], ['forbidden', 403]);
  assert.match(wrong.message, /differs from its intent: amount/);
  assert.deepEqual([wrong.code, wrong.messageBn], ['intent_mismatch', 'পেমেন্টটি ইনটেন্টের সাথে মেলে না: টাকার পরিমাণ।']);
  assert.equal((await admin.transactions(token)).transactions.length, before);
});

test('packages, a data package and status by trx_id and ref_id, through the proxy', async () => {
  const c = gateway();
  const data = await c.packages({ operator_code: 'gp', type: 'data' });
  assert.ok(data.length > 0 && data.every((p) => p.type === 'data' && /^\d+\.\d\d$/.test(p.price)));
  const intent = intentFor({ type: 'data', operator_code: 'GP', phone: '01711111111', package_id: data[0].id, price: data[0].price, ref_id: 'ORD-C-2' });
  const t = await c.data({ intent });
  assert.equal((await c.status({ trx_id: t.trx_id, intent })).ref_id, 'ORD-C-2');
  assert.equal((await c.status({ ref_id: 'ORD-C-2', intent })).trx_id, t.trx_id);
  const e = await rejection(c.status({ ref_id: 'NOPE-C', intent: recharge({ phone: '01711111111', amount: 20, ref_id: 'NOPE-C' }) }));
  assert.deepEqual([e.kind, e.status], ['not_found', 404]);
  const other = await rejection(c.status({ ref_id: 'ORD-C-1', intent }));
  assert.deepEqual([other.kind, other.status], ['forbidden', 403], "another payment's status is not this intent's");
});

test("the proxy's refusals reach the client as typed errors: balance 403, an amount over the proxy's maximum 422", async () => {
  const c = gateway();
  const before = (await admin.transactions(token)).transactions.length;
  const b = await rejection(c.balance());
  assert.deepEqual([b.kind, b.status], ['forbidden', 403]);
  assert.match(b.message, /not available through the proxy/);
  assert.deepEqual([b.code, b.messageBn], ['operation_not_exposed', 'এই কাজটি প্রক্সির মাধ্যমে করা যায় না।']);
  // 6000 passes the client's own MFS rules (up to 25,000); the proxy's cap is 5000.
  const bigPayment = { type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 6000, ref_id: 'ORD-C-BIG' };
  const big = await rejection(c.mfs({ ...bigPayment, intent: intentFor(bigPayment) }));
  assert.equal(big.kind, 'validation');
  assert.deepEqual(big.fieldErrors.map((f) => [f.field, f.code]), [['amount', 'amount_too_large']]);
  assert.deepEqual([big.code, big.messageBn], ['validation', 'টাকার পরিমাণ ৳৫,০০০.০০ বা তার কম হতে হবে।']);
  assert.equal((await admin.transactions(token)).transactions.length, before, 'the sandbox holds nothing new');
  const w = await rejection(wallet().beneficiaries());
  assert.deepEqual([w.kind, w.status], ['forbidden', 403]);
});

test('a bill payment through the proxy: billers, summary, wrong PIN, execute once, histories', async () => {
  const w = wallet();
  const types = await w.billers();
  const biller = types.flatMap((t) => t.billers).find((b) => b.biller_id === 'b451');
  assert.ok(biller, 'Bakhrabad Gas is listed');
  const before = await payments();
  const s = await w.summary(biller, { bllr_accno: 'ACC12345', bill_mobno: '01812345678', bll_typ: 'M' });
  assert.ok(s.request_id);
  // A page cannot try PINs: without an intent execute is refused before the wallet sees it.
  const pin = await rejection(w.execute({ request_id: s.request_id, pin: '9999' }));
  assert.deepEqual([pin.kind, pin.status, pin.title], ['forbidden', 403, undefined]);
  // The merchant's server signs the summary's total; the proxy adds the PIN.
  const intent = createExecuteIntent({ request_id: s.request_id, total: s.total_payable.display }, INTENT_KEY);
  const receipt = await w.execute({ request_id: s.request_id, intent });
  assert.equal(receipt.total_payable.amount, s.total_payable.amount);
  const h = await w.histories(s.request_id);
  assert.equal(h.amount.amount, s.amount.amount);
  assert.equal(await payments(), before + 1, 'paid once');
});

test('exactly once through the proxy: one transaction per payment whose outcome was unknown, none when nothing committed', async () => {
  // [fault, client options, transactions held]
  const cases = [
    [{ kind: 'drop_after_commit' }, {}, 1],
    [{ kind: 'drop_after_commit', close: 'rst' }, {}, 1],
    // The client gives up at 700 ms; the proxy still gets the answer at 1000 ms.
    [{ kind: 'latency', ms: 1000, phase: 'after' }, { timeoutMs: 700 }, 1],
    // The proxy gives up first (BDPAY_UPSTREAM_TIMEOUT_MS=1200): 504 to the client.
    [{ kind: 'latency', ms: 2500, phase: 'after' }, { timeoutMs: 5000 }, 1],
    // Held upstream before committing: the client gives up at 400 ms and asks
    // status once, while the proxy is still sending it; the gateway commits
    // at 900 ms. "Not found" then would have been "not committed" said too
    // early; the proxy says payment_in_flight (503, Retry-After) instead.
    [{ kind: 'latency', ms: 900, phase: 'before' }, { timeoutMs: 400, reconcileChecks: 1 }, 1],
    [{ kind: 'status', code: 502, phase: 'after', body: 'html' }, {}, 1],
    [{ kind: 'malformed_json' }, {}, 1],
    [{ kind: 'truncated' }, {}, 1],
    [{ kind: 'wrong_content_type' }, {}, 1],
    [{ kind: 'reset' }, {}, 0],
    [{ kind: 'reset', close: 'fin' }, {}, 0],
    [{ kind: 'status', code: 500, phase: 'before' }, {}, 0],
    // The proxy answers 504 before the gateway has run. The sandbox drops a call
    // whose connection closed while it waited, so nothing commits here; a real
    // gateway might still commit later, hence either, but never two.
    [{ kind: 'latency', ms: 2500, phase: 'before' }, { timeoutMs: 5000 }, 'either'],
  ];
  const problems = [];
  for (const [i, [fault, options, want]] of cases.entries()) {
    const ref = `ORD-X-${i}`;
    const label = `${JSON.stringify(fault)} ${JSON.stringify(options)}`;
    await admin.fault({ ...fault, path: PATHS.request, token });
    const outcome = await gateway(options)
      .request({ intent: recharge({ phone: '01712345678', amount: 30, ref_id: ref }) })
      .then(
        (t) => ({ t }),
        (e) => ({ e }),
      );
    // A late commit (latency before, past the proxy's timeout) lands after the answer.
    if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms));
    const count = await heldFor(ref);
    const said = outcome.t ? `resolved ${outcome.t.trx_status}` : `rejected ${outcome.e.kind}: ${outcome.e.message} (notCommitted ${outcome.e.notCommitted})`;
    if (count > 1) problems.push(`${label}: ${count} transactions for one payment`);
    if (want !== 'either' && count !== want) problems.push(`${label}: held ${count}, want ${want}; the client ${said}`);
    if (outcome.t && count !== 1) problems.push(`${label}: the client resolved, but the sandbox holds ${count}`);
    if (outcome.t && outcome.t.ref_id !== ref) problems.push(`${label}: resolved with another ref_id ${outcome.t.ref_id}`);
    if (outcome.e && count !== 0) problems.push(`${label}: the payment committed, yet the client ${said}`);
    if (outcome.e && !(outcome.e instanceof BdpayError)) problems.push(`${label}: not a BdpayError: ${outcome.e}`);
    if (outcome.e && count === 0 && outcome.e.notCommitted !== true) problems.push(`${label}: ${said}, not known as not committed`);
  }
  await admin.clearFaults();
  assert.deepEqual(problems, []);
});

test('execute after a dropped answer is settled through histories, through the proxy', async () => {
  const w = wallet();
  const biller = (await w.billers()).flatMap((t) => t.billers).find((b) => b.biller_id === 'b451');
  const s = await w.summary(biller, { bllr_accno: 'ACC888', bill_mobno: '01812345678', bll_typ: 'M' });
  const before = await payments();
  await admin.fault({ kind: 'drop_after_commit', path: PATHS.execute, token });
  const intent = createExecuteIntent({ request_id: s.request_id, total: s.total_payable.display }, INTENT_KEY);
  const r = await w.execute({ request_id: s.request_id, intent });
  assert.equal(r.total_payable.amount, s.total_payable.amount);
  assert.ok(r.history, 'the history record that proves the payment');
  assert.equal(await payments(), before + 1, 'paid once');
});

test('no answer the clients saw and no log line of this file holds the token', async () => {
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(record.answers.length >= 40, `checked ${record.answers.length} answers`);
  assert.ok(record.proxyLines().length >= 40, `checked ${record.proxyLines().length} log lines`);
  record.assertNothingHolds([token, INTENT_KEY]);
});
