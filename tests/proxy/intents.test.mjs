// Money safety: the proxy spends only what the merchant's server signed.
// The example Worker in workerd, in front of a counting tap and the sandbox;
// every refusal asserts that nothing reached the upstream and that the
// sandbox holds no new transaction. Each attack is one test row.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { BillPayClient } from 'bdpay/clients';
import { createExecuteIntent, createIntent, intentKeyId } from 'bdpay/server';

import { startSandbox } from '../clients/sandbox.mjs';
import {
  INTENT_KEY,
  PATHS,
  Record,
  exampleVars,
  freshIp,
  intentFor,
  post,
  sandboxAdmin,
  sleep,
  startProxy,
  startTap,
  unseenBy,
} from './harness.mjs';

const SHOP = 'https://shop.example.com';
const OTHER_KEY = 'another-merchants-intent-key-0123456789abcdef';
const NEXT_KEY = 'the-next-intent-key-after-rotation-0123456789';
const record = new Record();
let sandbox;
let admin;
let token;
let tap;
let proxy;

const RECHARGE = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100 };

before(async () => {
  sandbox = await startSandbox();
  admin = sandboxAdmin(sandbox.url);
  token = await admin.account({ rate_limit: false, balances: { flexiload_balance: '100000.00', bank_balance: '100000.00' } });
  tap = await startTap(sandbox.url, token);
  proxy = await startProxy(record, {
    bindings: {
      ...exampleVars(),
      BDPAY_UPSTREAM_URL: tap.url,
      BDPAY_TOKEN: token,
      BDPAY_INTENT_KEY: INTENT_KEY,
      BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '1000',
    },
  });
});

after(async () => {
  await proxy?.stop();
  await tap?.stop();
  await sandbox?.stop();
});

const held = async () => admin.count(token);
const json = async (res) => JSON.parse(await res.clone().text());

const unseen = unseenBy(() => tap, () => held());

/** A proxy of the example's settings with `bindings` over them, for one test. */
async function withProxy(bindings, run, extra = {}) {
  const p = await startProxy(record, {
    bindings: { ...exampleVars(), BDPAY_UPSTREAM_URL: tap.url, BDPAY_TOKEN: token, ...bindings },
    ...extra,
  });
  try {
    return await run(p);
  } finally {
    await p.stop();
  }
}

let orders = 0;
const order = (payment = RECHARGE) => ({ ...payment, ref_id: `ORD-INT-${(orders += 1)}` });

test('deployed as the README says with no intent key, the proxy spends nothing: page, script, forged Origin, execute', async () => {
  const logs = record.logs.length;
  await withProxy({ BDPAY_OPERATIONS: 'packages,request,status,execute', BDPAY_WALLET_TOKEN: token, BDPAY_WALLET_PIN: '1234' }, async (p) => {
    const mfs = { type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 5000 };
    const attempts = [
      ['a checkout page', PATHS.request, post(mfs, { origin: SHOP })],
      ['a script with no Origin', PATHS.request, post(mfs)],
      ['a script forging the allowed Origin', PATHS.request, post(mfs, { origin: SHOP, headers: { referer: `${SHOP}/` } })],
      ['a made-up intent', PATHS.request, post(mfs, { origin: SHOP, intent: intentFor(mfs, OTHER_KEY) })],
      ['execute', PATHS.execute, post({ request_id: 'r-1' }, { origin: SHOP })],
      ['execute with a PIN', PATHS.execute, post({ request_id: 'r-1', pin: 1234 })],
      ['status', PATHS.status, post({ ref_id: 'ORD-1' })],
    ];
    for (const [who, target, init] of attempts) {
      const res = await unseen(() => p.fetch(target, init));
      assert.equal(res.status, 403, who);
      const e = await json(res);
      assert.equal(e.code, 'authorization_not_configured', who);
      assert.match(e.message, /BDPAY_INTENT_KEY/, `${who}: the message names the missing setting`);
    }
    // Reads still work.
    assert.equal((await p.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP }))).status, 200);
  });
  await sleep(200);
  const startup = record.logs.slice(logs).filter((l) => /payments are refused/.test(l));
  assert.equal(startup.length, 1, 'one line at start-up says payments are refused and why');
  assert.match(startup[0], /BDPAY_INTENT_KEY/);
});

test('a valid intent gives exactly one upstream transaction; the page sees no balance', async () => {
  const payment = order();
  const intent = intentFor(payment);
  const calls = tap.calls.length;
  const before = await held();
  const res = await proxy.fetch(PATHS.request, post(payment, { origin: SHOP, intent }));
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(tap.calls.length, calls + 1);
  assert.equal(await held(), before + 1);
  const trx = await json(res);
  assert.equal(trx.ref_id, payment.ref_id);
  assert.ok(!('balance' in trx), 'no merchant balance in a page answer');
  // The page may send the intent alone with the body it holds: same payment, other spelling.
  const spelled = { ...payment, phone: '+880 1712-345678', amount: '100.00', ref_id: `${payment.ref_id}-b` };
  const res2 = await proxy.fetch(PATHS.request, post(spelled, { origin: SHOP, intent: intentFor({ ...payment, ref_id: spelled.ref_id }) }));
  assert.equal(res2.status, 200, 'normalised, the same payment');
});

test('every alteration of a signed payment is refused before anything goes upstream', async () => {
  const payment = order();
  const intent = intentFor(payment);
  const tamper = (change) => ({ ...payment, ...change });
  const parts = intent.split('.');
  const expired = createIntent(order(), INTENT_KEY, { now: Date.now() - 20 * 60 * 1000 });
  const rows = [
    ['amount + 1 paisa', tamper({ amount: 100.01 }), intent, 403, 'intent_mismatch'],
    ['another phone', tamper({ phone: '01812345678' }), intent, 403, 'intent_mismatch'],
    ['another operator', tamper({ operator_code: 'BL', phone: '01912345678' }), intent, 403, 'intent_mismatch'],
    ['another type', tamper({ type: 'mfs', operator_code: 'BK' }), intent, 403, 'intent_mismatch'],
    ['a sub_type added', tamper({ sub_type: 'Postpaid' }), intent, 403, 'intent_mismatch'],
    ['another ref_id', tamper({ ref_id: 'ORD-MINE' }), intent, 403, 'intent_mismatch'],
    ['an extra field', tamper({ note: 'hi' }), intent, 422, 'validation'],
    ['expired', payment, expired, 403, 'intent_expired'],
    ['signed with another key', payment, intentFor(payment, OTHER_KEY), 403, 'intent_unknown_key'],
    ['an unknown key id', payment, [parts[0], 'AAAAAAAAAAA', parts[2], parts[3]].join('.'), 403, 'intent_unknown_key'],
    ['truncated', payment, intent.slice(0, -4), 403, 'intent_bad_signature'],
    ['garbled signature', payment, `${parts.slice(0, 3).join('.')}.${'A'.repeat(43)}`, 403, 'intent_bad_signature'],
    ['claims swapped in', payment, [parts[0], parts[1], intentFor(tamper({ amount: 50 })).split('.')[2], parts[3]].join('.'), 403, 'intent_bad_signature'],
    ['not an intent', payment, 'hello', 403, 'intent_malformed'],
    ['no intent at all', payment, undefined, 403, 'intent_required'],
  ];
  for (const [name, body, sent, status, code] of rows) {
    const res = await unseen(() => proxy.fetch(PATHS.request, post(body, { origin: SHOP, intent: sent })));
    const e = await json(res);
    assert.deepEqual([res.status, e.code], [status, code], name);
    assert.match(e.message_bn, /[\u0980-\u09ff]/, `${name}: Bangla too`);
  }
  const mismatch = await json(await proxy.fetch(PATHS.request, post(tamper({ amount: 100.01 }), { origin: SHOP, intent })));
  assert.equal(mismatch.message, 'The payment differs from its intent: amount.');
});

test('a used intent replayed meets the gateway duplicate check and never pays twice', async () => {
  const payment = order();
  const intent = intentFor(payment);
  const first = await proxy.fetch(PATHS.request, post(payment, { origin: SHOP, intent }));
  assert.equal(first.status, 200);
  const before = await held();
  for (let i = 0; i < 3; i += 1) {
    const again = await proxy.fetch(PATHS.request, post(payment, { origin: SHOP, intent, ip: freshIp() }));
    assert.equal(again.status, 422, 'the gateway refuses the duplicate ref_id');
    assert.match(await again.text(), /Duplicate/i);
  }
  assert.equal(await held(), before, 'no new transaction');
});

test('an intent for one merchant key is refused by a proxy holding another', async () => {
  const payment = order();
  await withProxy({ BDPAY_INTENT_KEY: OTHER_KEY }, async (p) => {
    const res = await unseen(() => p.fetch(PATHS.request, post(payment, { origin: SHOP, intent: intentFor(payment) })));
    assert.equal((await json(res)).code, 'intent_unknown_key');
  });
});

test('key rotation: the previous key is accepted beside the new one, and refused once removed', async () => {
  const old = order();
  const oldIntent = intentFor(old);
  const fresh = order();
  await withProxy({ BDPAY_INTENT_KEY: NEXT_KEY, BDPAY_INTENT_KEY_PREVIOUS: INTENT_KEY }, async (p) => {
    assert.equal((await p.fetch(PATHS.request, post(old, { origin: SHOP, intent: oldIntent }))).status, 200, 'an intent of the old key');
    assert.equal(
      (await p.fetch(PATHS.request, post(fresh, { origin: SHOP, intent: createIntent(fresh, NEXT_KEY) }))).status,
      200,
      'an intent of the new key',
    );
  });
  await withProxy({ BDPAY_INTENT_KEY: NEXT_KEY }, async (p) => {
    const late = order();
    const res = await unseen(() => p.fetch(PATHS.request, post(late, { origin: SHOP, intent: intentFor(late) })));
    assert.equal((await json(res)).code, 'intent_unknown_key');
  });
  assert.notEqual(intentKeyId(NEXT_KEY), intentKeyId(INTENT_KEY), 'each key has its own id');
  assert.equal(oldIntent.split('.')[1], intentKeyId(INTENT_KEY));
});

test('status answers only the ref_id the caller holds an intent for', async () => {
  const payment = order();
  const intent = intentFor(payment);
  const paid = await json(await proxy.fetch(PATHS.request, post(payment, { origin: SHOP, intent })));
  const own = await proxy.fetch(PATHS.status, post({ ref_id: payment.ref_id }, { origin: SHOP, intent }));
  assert.equal(own.status, 200);
  assert.equal((await json(own)).trx_id, paid.trx_id);
  const byTrx = await proxy.fetch(PATHS.status, post({ trx_id: paid.trx_id }, { origin: SHOP, intent }));
  assert.equal(byTrx.status, 200, 'by its trx_id too');
  const stranger = order();
  await proxy.fetch(PATHS.request, post(stranger, { origin: SHOP, intent: intentFor(stranger) }));
  const strangerTrx = (await admin.transactions(token)).transactions.at(-1).trx_id;
  const refused = [
    ['no intent', post({ ref_id: stranger.ref_id }, { origin: SHOP })],
    ['no intent, no Origin', post({ ref_id: stranger.ref_id })],
    ["another payment's intent", post({ ref_id: stranger.ref_id }, { origin: SHOP, intent })],
  ];
  for (const [name, init] of refused) {
    const res = await unseen(() => proxy.fetch(PATHS.status, init));
    assert.equal(res.status, 403, name);
  }
  const other = await proxy.fetch(PATHS.status, post({ trx_id: strangerTrx }, { origin: SHOP, intent }));
  assert.equal(other.status, 404, "another payment's trx_id under this intent is not shown");
});

test('the wallet gets its own token, execute its intent and the proxy PIN; a page PIN never passes', async () => {
  const walletToken = token; // the sandbox serves both APIs under one account
  const calls = () => tap.calls.filter((c) => c.path === PATHS.execute).length;
  await withProxy({ BDPAY_OPERATIONS: 'billers,summary,execute' }, async (p) => {
    const res = await unseen(() => p.fetch(PATHS.billers, { method: 'GET', headers: { origin: SHOP, 'cf-connecting-ip': freshIp() } }));
    assert.equal((await json(res)).code, 'wallet_token_missing', 'the gateway token never goes to the wallet');
  });
  await withProxy(
    { BDPAY_OPERATIONS: 'billers,summary,execute', BDPAY_WALLET_TOKEN: walletToken, BDPAY_INTENT_KEY: INTENT_KEY, BDPAY_WALLET_PIN: '1234' },
    async (p) => {
      // The merchant's server reads the summary itself (its own wallet
      // token, no proxy), then signs an execute intent of its total.
      const server = new BillPayClient({ baseUrl: sandbox.url, token: walletToken });
      const biller = (await server.billers()).flatMap((t) => t.billers).find((b) => b.biller_id === 'b451');
      const s = await server.summary(biller, { bllr_accno: 'ACC777', bill_mobno: '01812345678', bll_typ: 'M' });
      const requestId = s.request_id;
      const intent = createExecuteIntent({ request_id: requestId, total: s.total_payable.display }, INTENT_KEY);
      const before = calls();
      for (const [name, body, code] of [
        ['a page PIN', { request_id: requestId, pin: 1111 }, 'pin_not_allowed'],
        ['another request id', { request_id: 'another-request' }, 'intent_mismatch'],
      ]) {
        const res = await p.fetch(PATHS.execute, post(body, { origin: SHOP, intent }));
        assert.deepEqual([res.status, (await json(res)).code], [403, code], name);
      }
      const wrongOp = await p.fetch(PATHS.execute, post({ request_id: requestId }, { origin: SHOP, intent: intentFor(order()) }));
      assert.equal((await json(wrongOp)).code, 'intent_other_operation');
      assert.equal(calls(), before, 'no execute went upstream');
      const ok = await p.fetch(PATHS.execute, post({ request_id: requestId }, { origin: SHOP, intent }));
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.equal(calls(), before + 1);
      const sent = JSON.parse(tap.calls.filter((c) => c.path === PATHS.execute).at(-1).body);
      assert.deepEqual(sent, { request_id: requestId, pin: 1234 }, "the proxy's PIN, never the page's");
    },
  );
});

test('the authorize hook decides payments that come without an intent (point of sale)', async () => {
  const script = `
    import { createProxy } from 'bdpay/worker';
    export default {
      fetch(request, env) {
        const proxy = createProxy({
          upstreamUrl: env.BDPAY_UPSTREAM_URL, token: env.BDPAY_TOKEN, allowInsecureHttp: true,
          clientPaymentsPerMinute: 100,
          // A stand-in for a session check: the header a logged-in operator's app adds.
          authorize: (req, payment) => req.headers.get('x-operator') === 'alice' && Number(payment.payment?.amount ?? 0) <= 200,
        });
        return proxy.fetch(request);
      },
    };`;
  await withProxy({}, async (p) => {
    const payment = order();
    const denied = await unseen(() => p.fetch(PATHS.request, post(payment)));
    assert.deepEqual([denied.status, (await json(denied)).code], [403, 'denied']);
    const tooMuch = await unseen(() => p.fetch(PATHS.request, post({ ...order(), amount: 500 }, { headers: { 'x-operator': 'alice' } })));
    assert.equal((await json(tooMuch)).code, 'denied', 'the hook sees the validated payment');
    const before = await held();
    const ok = await p.fetch(PATHS.request, post(payment, { headers: { 'x-operator': 'alice' } }));
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.equal(await held(), before + 1);
  }, { script });
});

test('a flood of 20,000 client keys does not reset an attacker window', async () => {
  await withProxy({ BDPAY_INTENT_KEY: INTENT_KEY, BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '3' }, async (p) => {
    // node:http with keep-alive: the flood must fill the table well within the attacker's minute.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const body = JSON.stringify(RECHARGE);
    const attempt = (ip) =>
      new Promise((resolve, reject) => {
        const req = http.request(
          `${p.url}${PATHS.request}`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'cf-connecting-ip': ip } },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, code: JSON.parse(Buffer.concat(chunks).toString()).code }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const attacker = '203.0.113.66';
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) assert.equal((await attempt(attacker)).status, 403, 'refused, and counted');
    assert.equal((await attempt(attacker)).code, 'too_many_attempts', 'at its limit');
    // While the attacker's minute lasts, it stays limited after every batch,
    // the ones that fill the table (10,000 clients) and the refused ones after.
    let busy = 0;
    let checkedWhileFull = 0;
    const batch = 200;
    for (let i = 0; i < 20_000; i += batch) {
      const answers = await Promise.all(
        Array.from({ length: batch }, (_, j) => attempt(`10.${(i + j) >> 16}.${((i + j) >> 8) & 255}.${(i + j) & 255}`)),
      );
      busy += answers.filter((a) => a.code === 'proxy_busy').length;
      if (Date.now() - started < 55_000) {
        const again = await attempt(attacker);
        assert.equal(again.code, 'too_many_attempts', `the attacker is still limited after ${i + batch} fresh keys`);
        if (busy > 0) checkedWhileFull += 1;
      }
    }
    agent.destroy();
    assert.ok(busy >= 20_000 - 10_000, `once full the limiter refuses newcomers (${busy} refused as proxy_busy)`);
    assert.ok(checkedWhileFull > 0, `the table filled within the attacker's minute (${Date.now() - started} ms in all)`);
  });
});

test('a 307 or 308 from the upstream goes nowhere: no body, no token to the other host', async () => {
  let elsewhere = 0;
  const other = http.createServer((req, res) => {
    elsewhere += 1;
    res.end('{"status":true}');
  });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  const location = `http://127.0.0.1:${other.address().port}/stolen`;
  const redirector = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url.includes('packages') ? 308 : 307, { location });
      res.end();
    });
  });
  await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
  try {
    await withProxy({ BDPAY_UPSTREAM_URL: `http://127.0.0.1:${redirector.address().port}`, BDPAY_INTENT_KEY: INTENT_KEY }, async (p) => {
      const payment = order();
      const paid = await p.fetch(PATHS.request, post(payment, { origin: SHOP, intent: intentFor(payment) }));
      assert.ok(paid.status >= 500, `an unreadable answer (${paid.status})`);
      const read = await p.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP }));
      assert.ok(read.status >= 500, `an unreadable answer (${read.status})`);
    });
    assert.equal(elsewhere, 0, 'the redirect target got nothing');
  } finally {
    other.close();
    redirector.close();
  }
});

test('no answer and no log line of this file holds a token or a key', async () => {
  await sleep(200);
  assert.ok(record.answers.length > 25, `checked ${record.answers.length} answers`);
  record.assertNothingHolds([token, INTENT_KEY, OTHER_KEY, NEXT_KEY]);
});
