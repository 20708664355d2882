// Every policy rule of the proxy, in workerd (miniflare) in front of the
// sandbox. Between the Worker and the sandbox sits a counting tap, so each
// refusal is checked twice: the tap saw no call, and the sandbox holds no new
// transaction. The Worker is the example (examples/worker) with its
// wrangler.toml variables; only the upstream and the token are overridden.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSandbox } from '../clients/sandbox.mjs';
import {
  INTENT_KEY,
  PATHS,
  Record,
  exampleVars,
  intentFor,
  get,
  post,
  resolveWorker,
  sandboxAdmin,
  sleep,
  startProxy,
  startTap,
  unseenBy,
} from './harness.mjs';

const SHOP = 'https://shop.example.com';
const record = new Record();
const secrets = [INTENT_KEY];
let sandbox;
let admin;
let token;
let tap;
let proxy;

const RECHARGE = { type: 'recharge', operator_code: 'gp', phone: '+880 1712-345678', amount: 100 };

before(async () => {
  sandbox = await startSandbox();
  admin = sandboxAdmin(sandbox.url);
  token = await admin.account({
    rate_limit: false,
    balances: { flexiload_balance: '100000.00', wallet_balance: '100000.00', bank_balance: '100000.00' },
  });
  secrets.push(token);
  tap = await startTap(sandbox.url, token);
  proxy = await startProxy(record, {
    bindings: { ...exampleVars(), BDPAY_UPSTREAM_URL: tap.url, BDPAY_TOKEN: token, BDPAY_INTENT_KEY: INTENT_KEY },
  });
});

after(async () => {
  await proxy?.stop();
  await tap?.stop();
  await sandbox?.stop();
});

const held = async (t = token) => (await admin.transactions(t)).transactions.length;

const unseen = unseenBy(() => tap, () => held());

const json = async (res) => JSON.parse(await res.clone().text());

/** The English message and the code of a refusal. */
const refusal = async (res) => {
  const e = await json(res);
  assert.equal(e.status, false);
  assert.match(e.message_bn ?? '', /[\u0980-\u09ff]/, 'a Bangla message beside');
  return [e.code, e.message];
};

/** A payment of `body` with its intent. */
const pay = (body, opts = {}) => post(body, { ...opts, intent: intentFor(body) });

test('bdpay/worker resolves to worker.js under workerd and worker, and is not exported to plain Node', () => {
  assert.equal(resolveWorker(['workerd']).split('/').pop(), 'worker.js');
  assert.equal(resolveWorker(['worker']).split('/').pop(), 'worker.js');
  assert.equal(resolveWorker(['workerd', 'worker', 'browser']).split('/').pop(), 'worker.js');
  assert.throws(() => resolveWorker([]), /ERR_PACKAGE_PATH_NOT_EXPORTED|not exported/);
});

test('an allowed page gets the answer with CORS headers; the upstream gets the canonical request and the token', async () => {
  const calls = tap.calls.length;
  const intent = intentFor(RECHARGE);
  const res = await proxy.fetch(PATHS.request, post(RECHARGE, { origin: SHOP, intent }));
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('access-control-allow-origin'), SHOP);
  assert.match(res.headers.get('vary') ?? '', /Origin/);
  const body = await json(res);
  assert.equal(body.trx_status, 'Pending');
  assert.equal(tap.calls.length, calls + 1, 'one call upstream');
  const sent = tap.calls.at(-1);
  assert.equal(sent.path, PATHS.request);
  assert.equal(sent.authorized, true, 'the Authorization header was added on the way out');
  const upstreamBody = JSON.parse(sent.body);
  assert.equal(upstreamBody.phone, '01712345678', 'the canonical phone');
  assert.equal(upstreamBody.operator_code, 'GP');
  assert.match(upstreamBody.ref_id, /^bdp-\d+-[0-9a-f]{16}$/, "the intent's ref_id, made by the merchant's server");
  assert.equal(body.ref_id, upstreamBody.ref_id);
  assert.equal(body.balance, undefined, "the merchant's balance is not the page's business");
  assert.equal(await held(), 1);
});

test('a page from another origin is refused (403, no CORS headers) and never reaches the sandbox', async () => {
  for (const origin of ['https://evil.example', 'https://shop.example.com.evil.example', 'null', 'http://shop.example.com']) {
    const res = await unseen(() => proxy.fetch(PATHS.request, post(RECHARGE, { origin })));
    assert.equal(res.status, 403, origin);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.deepEqual(await refusal(res), ['origin_not_allowed', 'This origin may not use the proxy.']);
    const pre = await unseen(() =>
      proxy.fetch(PATHS.request, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }),
    );
    assert.equal(pre.status, 403, `preflight from ${origin}`);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  }
});

test('preflight: an exposed operation gets 204 with its method and headers; balance and unknown paths get 404', async () => {
  const headers = {
    origin: SHOP,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  };
  const res = await unseen(() => proxy.fetch(PATHS.request, { method: 'OPTIONS', headers }));
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), SHOP);
  assert.equal(res.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
  assert.match(res.headers.get('access-control-allow-headers'), /content-type/);
  assert.match(res.headers.get('access-control-allow-headers'), /bdpay-intent/, 'a page may send its intent');
  assert.equal(res.headers.get('access-control-max-age'), '600');
  assert.equal(await res.text(), '');
  const billers = await unseen(() =>
    proxy.fetch(PATHS.billers, { method: 'OPTIONS', headers: { ...headers, 'access-control-request-method': 'GET' } }),
  );
  assert.equal(billers.headers.get('access-control-allow-methods'), 'GET, OPTIONS');
  for (const target of [PATHS.balance, PATHS.beneficiaries, '/admin']) {
    const r = await unseen(() => proxy.fetch(target, { method: 'OPTIONS', headers }));
    assert.equal(r.status, 404, target);
  }
});

test('balance is server-side only: refused from a browser and from a server, reaching nothing', async () => {
  for (const origin of [SHOP, undefined]) {
    const res = await unseen(() => proxy.fetch(PATHS.balance, get({ origin })));
    assert.equal(res.status, 403);
    assert.deepEqual(await refusal(res), ['operation_not_exposed', 'This operation is not available through the proxy.']);
    assert.equal(res.headers.get('access-control-allow-origin'), origin ?? null);
  }
  const b = await unseen(() => proxy.fetch(PATHS.beneficiaries, get({ origin: SHOP })));
  assert.equal(b.status, 403);
  const e = await unseen(() => proxy.fetch(PATHS.execute, post({ request_id: 'r-1' }, { origin: SHOP })));
  assert.deepEqual(await refusal(e), ['operation_not_exposed', 'This operation is not available through the proxy.'], 'execute too, by default');
});

test('unknown paths (404) and wrong methods (405) reach nothing', async () => {
  assert.equal((await unseen(() => proxy.fetch('/api/gateway/v1/nope', get({ origin: SHOP })))).status, 404);
  assert.equal((await unseen(() => proxy.fetch('/', get()))).status, 404);
  assert.equal((await unseen(() => proxy.fetch(PATHS.request, get({ origin: SHOP })))).status, 405);
  const put = await unseen(() => proxy.fetch(PATHS.status, { ...post({ ref_id: 'X' }, { origin: SHOP }), method: 'PUT' }));
  assert.equal(put.status, 405);
});

test('an amount over BDPAY_MAX_AMOUNT (5000) is refused with amount_too_large; 5000 goes through', async () => {
  assert.equal(exampleVars().BDPAY_MAX_AMOUNT, '5000');
  const over = [
    { type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: '5000.01' },
    { type: 'bill', operator_code: 'DESCO', bill_number: '1234567890', month: 4, amount: 6000 },
  ];
  for (const body of over) {
    const res = await unseen(() => proxy.fetch(PATHS.request, pay(body, { origin: SHOP, ip: '192.0.2.20' })));
    assert.equal(res.status, 422, body.type);
    const e = await json(res);
    assert.equal(e.status, false);
    assert.deepEqual(e.field_errors.map((f) => [f.field, f.code]), [['amount', 'amount_too_large']]);
    assert.match(e.field_errors[0].message, /5,?000\.00/);
    assert.ok(e.field_errors[0].message_bn, 'a Bangla message');
    assert.ok(Array.isArray(e.errors.amount), 'the Laravel-style errors beside');
  }
  const before = await held();
  const ok = await proxy.fetch(
    PATHS.request,
    pay({ type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 5000 }, { origin: SHOP, ip: '192.0.2.20' }),
  );
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.equal(await held(), before + 1);
});

test('a bad phone is refused with every field error, in English and Bangla, before anything is sent', async () => {
  const res = await unseen(() =>
    proxy.fetch(
      PATHS.request,
      post({ type: 'recharge', operator_code: 'GP', phone: '01112345678', amount: 100.005 }, { origin: SHOP, intent: intentFor(RECHARGE) }),
    ),
  );
  assert.equal(res.status, 422);
  assert.equal(res.headers.get('access-control-allow-origin'), SHOP, 'a page can read why');
  const e = await json(res);
  assert.deepEqual(e.field_errors.map((f) => [f.field, f.code]), [
    ['phone', 'invalid_phone'],
    ['amount', 'too_many_decimals'],
  ]);
  assert.ok(e.field_errors.every((f) => f.message && /[\u0980-\u09ff]/.test(f.message_bn)));
  const wallet = await unseen(() =>
    proxy.fetch(PATHS.request, post({ type: 'mfs', operator_code: 'BK', phone: '017123456789', amount: 50 }, { origin: SHOP, intent: intentFor(RECHARGE) })),
  );
  assert.equal(wallet.status, 422);
  const pkgs = await unseen(() => proxy.fetch(PATHS.packages, post({ operator_code: 'BK' }, { origin: SHOP })));
  assert.equal(pkgs.status, 422);
});

test('JSON only: a wrong or missing content type is 415, malformed JSON 422, and neither is sent', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', null]) {
    // Bytes, so that fetch adds no content type of its own when there is none.
    const init = { ...post(RECHARGE, { origin: SHOP, type }), body: new TextEncoder().encode(JSON.stringify(RECHARGE)) };
    const res = await unseen(() => proxy.fetch(PATHS.request, init));
    assert.equal(res.status, 415, String(type));
    assert.equal((await json(res)).message, 'Send JSON (Content-Type: application/json).');
  }
  const charset = await proxy.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP, type: 'application/json; charset=utf-8' }));
  assert.equal(charset.status, 200, 'a charset parameter is fine (the sandbox answered)');
  for (const body of ['{"type":', '[1,2]', '"text"', '']) {
    const res = await unseen(() => proxy.fetch(PATHS.request, post(body, { origin: SHOP })));
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal((await json(res)).field_errors[0].code, 'not_an_object');
  }
});

test('a body over BDPAY_MAX_BODY_BYTES is 413, whether declared or streamed, and is not read whole', async () => {
  const big = JSON.stringify({ ...RECHARGE, ref_id: 'ORD-BIG', pad: 'x'.repeat(9000) });
  const declared = await unseen(() => proxy.fetch(PATHS.request, post(big, { origin: SHOP })));
  assert.equal(declared.status, 413);
  assert.equal((await json(declared)).message, 'The request body is too large.');

  // No Content-Length: the Worker counts while reading and stops past the cap.
  let sent = 0;
  const chunk = new TextEncoder().encode(`{"pad":"${'y'.repeat(1000)}`);
  const stream = new ReadableStream({
    async pull(controller) {
      if (sent >= 1000) return controller.close();
      sent += 1;
      controller.enqueue(chunk);
      if (sent % 50 === 0) await sleep(5);
    },
  });
  const streamed = await unseen(() =>
    proxy.fetch(PATHS.request, { ...post('', { origin: SHOP }), body: stream, duplex: 'half' }),
  );
  assert.equal(streamed.status, 413);
  assert.ok(sent < 1000, `the client was not made to send the whole megabyte (sent ${sent} KB)`);

  const justUnder = JSON.stringify({ ...RECHARGE, phone: '0'.repeat(8100) });
  assert.ok(justUnder.length <= 8192);
  const fits = await unseen(() => proxy.fetch(PATHS.request, post(justUnder, { origin: SHOP, intent: intentFor(RECHARGE) })));
  assert.equal(fits.status, 422, 'under the cap it is read and validated');
});

test('the per-client payment limit answers 429 with Retry-After, reaching nothing; other clients go on', async () => {
  const limit = Number(exampleVars().BDPAY_CLIENT_PAYMENTS_PER_MINUTE);
  assert.equal(limit, 10);
  const ip = '203.0.113.50';
  const before = await held();
  for (let i = 0; i < limit; i += 1) {
    const r = await proxy.fetch(PATHS.request, pay({ ...RECHARGE, amount: 20, ref_id: `ORD-RL-${i}` }, { origin: SHOP, ip }));
    assert.equal(r.status, 200, `payment ${i + 1} of ${limit}`);
  }
  assert.equal(await held(), before + limit);
  const res = await unseen(() =>
    proxy.fetch(PATHS.request, pay({ ...RECHARGE, amount: 20, ref_id: 'ORD-RL-X' }, { origin: SHOP, ip })),
  );
  assert.equal(res.status, 429);
  assert.deepEqual(await refusal(res), ['too_many_attempts', 'Too Many Attempts.']);
  const wait = Number(res.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${res.headers.get('retry-after')}`);
  assert.equal(res.headers.get('access-control-allow-origin'), SHOP, 'a page can read the refusal');
  assert.match(res.headers.get('access-control-expose-headers') ?? '', /retry-after/i, 'and the wait');
  // Reads have their own window; another client its own.
  const read = await proxy.fetch(
    PATHS.status,
    post({ ref_id: 'ORD-RL-0' }, { origin: SHOP, ip, intent: intentFor({ ...RECHARGE, amount: 20, ref_id: 'ORD-RL-0' }) }),
  );
  assert.equal(read.status, 200);
  const other = await proxy.fetch(PATHS.request, pay({ ...RECHARGE, amount: 20, ref_id: 'ORD-RL-Y' }, { origin: SHOP, ip: '203.0.113.51' }));
  assert.equal(other.status, 200);
  // One IPv6 site (a /48) is one client, whichever address and /64 it uses.
  const v6 = (n) => `2001:db8:aa:${n.toString(16)}::1`;
  const statuses = [];
  for (let i = 0; i <= limit; i += 1) {
    const r = await proxy.fetch(PATHS.request, post({ ...RECHARGE, phone: '0171', ref_id: `ORD-V6-${i}` }, { origin: SHOP, ip: v6(i) }));
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [...Array(limit).fill(403), 429], 'the eleventh address of the /48 is over the limit');
});

test('the per-client read limit (60 a minute) is its own window', async () => {
  const ip = '203.0.113.60';
  for (let i = 0; i < 60; i += 1) {
    const r = await proxy.fetch(PATHS.packages, post({}, { origin: SHOP, ip }));
    assert.equal(r.status, 422, `read ${i + 1}: refused for its body, counted all the same`);
  }
  const res = await unseen(() => proxy.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP, ip })));
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) >= 1);
});

/** A second proxy in front of the sandbox itself, for one test. */
async function withProxy(bindings, run) {
  const p = await startProxy(record, {
    bindings: { ...exampleVars(), BDPAY_UPSTREAM_URL: sandbox.url, BDPAY_INTENT_KEY: INTENT_KEY, ...bindings },
  });
  try {
    return await run(p);
  } finally {
    await p.stop();
  }
}

/** The same call straight to the sandbox with the token, for comparison. */
async function direct(target, init, t) {
  const res = await fetch(sandbox.url + target, {
    ...init,
    headers: { ...init.headers, authorization: `Bearer ${t}` },
  });
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
}

test('upstream errors pass through unchanged: 401, 404, 422 insufficient balance, 429 with Retry-After', async () => {
  // 404: an unknown ref_id.
  const lookup = post({ ref_id: 'NOPE-404' }, { origin: SHOP, ip: '192.0.2.70', intent: intentFor({ ...RECHARGE, ref_id: 'NOPE-404' }) });
  const notFound = await proxy.fetch(PATHS.status, lookup);
  const want404 = await direct(PATHS.status, lookup, token);
  assert.equal(notFound.status, 404);
  assert.deepEqual([notFound.status, await notFound.text()], [want404.status, want404.body]);

  // 429: the gateway's throttle, with its Retry-After.
  await admin.fault({ kind: 'rate_limit', secs: 2, path: PATHS.status, token });
  const throttled = await proxy.fetch(PATHS.status, lookup);
  await admin.fault({ kind: 'rate_limit', secs: 2, path: PATHS.status, token });
  const want429 = await direct(PATHS.status, lookup, token);
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers.get('retry-after'), '2');
  assert.equal(throttled.headers.get('access-control-allow-origin'), SHOP);
  assert.match(throttled.headers.get('access-control-expose-headers') ?? '', /retry-after/i);
  assert.deepEqual([throttled.status, await throttled.text()], [want429.status, want429.body]);

  // 401: a proxy holding a token the gateway does not know.
  const bogus = 'sbx_not_a_token_0123456789abcdef';
  secrets.push(bogus);
  await withProxy({ BDPAY_TOKEN: bogus }, async (p) => {
    const res = await p.fetch(PATHS.status, lookup);
    const want = await direct(PATHS.status, lookup, bogus);
    assert.equal(res.status, 401);
    assert.deepEqual([res.status, await res.text()], [want.status, want.body]);
  });

  // 422: a payment over the account's balance.
  const poor = await admin.account({ balances: { flexiload_balance: '50.00' } });
  secrets.push(poor);
  await withProxy({ BDPAY_TOKEN: poor }, async (p) => {
    const res = await p.fetch(PATHS.request, pay({ ...RECHARGE, ref_id: 'ORD-POOR-1' }, { origin: SHOP }));
    const want = await direct(PATHS.request, post({ ...RECHARGE, ref_id: 'ORD-POOR-2' }), poor);
    assert.equal(res.status, 422);
    assert.match(await res.clone().text(), /Insufficient balance/);
    assert.deepEqual([res.status, await res.text()], [want.status, want.body]);
    assert.equal(await held(poor), 0);
  });
});

test('an upstream that is down answers 502, a slow one 504 (BDPAY_UPSTREAM_TIMEOUT_MS)', async () => {
  await withProxy({ BDPAY_TOKEN: token, BDPAY_UPSTREAM_URL: 'http://127.0.0.1:9' }, async (p) => {
    const res = await p.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP }));
    assert.equal(res.status, 502);
    assert.deepEqual(await refusal(res), ['upstream_unreachable', 'The upstream could not be reached.']);
    assert.equal(res.headers.get('access-control-allow-origin'), SHOP);
    // A payment that got no answer may have paid: never "unreachable", which reads as "not sent".
    const paid = await p.fetch(PATHS.request, pay({ ...RECHARGE, ref_id: 'ORD-DOWN-1' }, { origin: SHOP }));
    assert.equal(paid.status, 502);
    const [code, message] = await refusal(paid);
    assert.equal(code, 'outcome_unknown');
    assert.match(message, /may have gone through\. Do not pay again/);
  });
  await withProxy({ BDPAY_TOKEN: token, BDPAY_UPSTREAM_TIMEOUT_MS: '300' }, async (p) => {
    await admin.fault({ kind: 'latency', ms: 1500, phase: 'before', path: PATHS.packages, token });
    const started = Date.now();
    const res = await p.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP }));
    assert.equal(res.status, 504);
    assert.ok(Date.now() - started < 1400, 'answered at the timeout, not when the upstream did');
    assert.deepEqual(await refusal(res), ['upstream_timeout', 'The upstream timed out.']);
  });
  // A timeout past the most (ten minutes, crates/proxy/src/config.rs) is held there: it waits, not none at all.
  await withProxy({ BDPAY_TOKEN: token, BDPAY_UPSTREAM_TIMEOUT_MS: '3000000000' }, async (p) => {
    await admin.fault({ kind: 'latency', ms: 300, phase: 'before', path: PATHS.packages, token });
    const res = await p.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP }));
    assert.equal(res.status, 200, await res.clone().text());
  });
});

test('an upstream answer holding the token is withheld (502), in the body or in a header', async () => {
  for (const where of ['body', 'header']) {
    tap.echoNext(where);
    const calls = tap.calls.length;
    const res = await proxy.fetch(PATHS.packages, post({ operator_code: 'GP' }, { origin: SHOP }));
    assert.equal(tap.calls.length, calls + 1, 'the call went upstream');
    assert.equal(res.status, 502, where);
    assert.deepEqual(await refusal(res), ['upstream_withheld', 'The upstream answer was withheld.']);
    assert.equal(res.headers.get('access-control-allow-origin'), SHOP, 'a page can read why');
  }
});

test('a bad configuration answers an opaque 500 and logs the setting by name, never its value', async () => {
  const lines = record.logs.length;
  await withProxy({ BDPAY_TOKEN: token, BDPAY_UPSTREAM_URL: 'ftp://gateway.example', BDPAY_MAX_AMOUNT: 'lots' }, async (p) => {
    const res = await p.fetch(PATHS.status, post({ ref_id: 'X-3' }, { origin: SHOP }));
    assert.equal(res.status, 500);
    assert.deepEqual(await json(res), { status: false, message: 'The proxy failed.', message_bn: 'প্রক্সিতে সমস্যা হয়েছে।', code: 'proxy_failed' });
  });
  await sleep(200);
  const logged = record.logs.slice(lines).join('\n');
  assert.match(logged, /bdpay-proxy config: the Worker's bindings are refused: BDPAY_UPSTREAM_URL: /);
  assert.ok(!logged.includes('ftp://gateway.example') && !logged.includes('lots'), 'values stay out of the log');
  await withProxy({ BDPAY_TOKEN: '' }, async (p) => {
    const res = await p.fetch(PATHS.status, post({ ref_id: 'X-4' }, { origin: SHOP }));
    assert.equal(res.status, 500);
  });
  await sleep(200);
  // A missing secret is named by its binding, with where to set it.
  assert.match(
    record.logs.slice(lines).join('\n'),
    /BDPAY_TOKEN: [^;\n]+ \(a secret: `npx wrangler secret put BDPAY_TOKEN`; for `wrangler dev`, a line BDPAY_TOKEN=… in \.dev\.vars\)/,
  );
});

test('the Worker logs one line per request: method, path, status, forwarded or answered, ms; no query, header or body', async () => {
  await sleep(200);
  // Besides the request lines, only the config errors and withheld answers of the tests above.
  const lines = record.proxyLines().filter((l) => !/^bdpay-proxy config: |withheld$/.test(l));
  const shape = /^bdpay-proxy (GET|POST|PUT|OPTIONS) \/[^\s?]* \d{3} (forwarded|answered) \d+ms$/;
  assert.ok(lines.length >= 100, `logged ${lines.length} lines`);
  for (const l of lines) assert.match(l, shape);
  const proxied = record.answers.length;
  assert.equal(lines.length, proxied, 'one line for each answer');
  const all = record.logs.join('\n');
  for (const needle of ['01712345678', 'ORD-', 'shop.example.com', '198.51.', '192.0.2', 'application/json', 'bllr']) {
    assert.ok(!all.includes(needle), `the log holds ${needle}`);
  }
  assert.ok(lines.some((l) => / 200 forwarded /.test(l)) && lines.some((l) => / 403 answered /.test(l)));
});

test('no answer (status, header, body) and no log line of this file holds a token', () => {
  assert.ok(record.answers.length > 100, `checked ${record.answers.length} answers`);
  assert.ok(record.logs.length > 100, `checked ${record.logs.length} log lines`);
  record.assertNothingHolds(secrets);
  // The check itself can fail: a planted token is found.
  const planted = new Record();
  planted.answers.push({ where: 'x', status: 200, headers: [['x-a', `1${token}2`]], body: '' });
  assert.throws(() => planted.assertNothingHolds([token]), /holds a token/);
});
