// Per-client limits at scale. Each Worker isolate keeps its own windows, so
// two isolates let one client through twice as often: shown here with two
// Workers (two isolates) of the same code. With the BdpayProxy Durable Object
// bound as BDPAY_PROXY, each client's requests run in that client's object,
// wherever they arrive, and the limit holds across isolates. Last, a
// merchant's own Worker (examples/worker/rate-limited.js) that puts Workers'
// rate-limiting binding in front of createProxy.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startSandbox } from '../clients/sandbox.mjs';
import { INTENT_KEY, PATHS, Record, exampleVars, intentFor, post, sandboxAdmin, startProxy, startTap } from './harness.mjs';

const LIMIT = 3;
const record = new Record();
let sandbox;
let admin;
let token;
let tap;

before(async () => {
  sandbox = await startSandbox();
  admin = sandboxAdmin(sandbox.url);
  token = await admin.account({ rate_limit: false });
  tap = await startTap(sandbox.url, token);
});

after(async () => {
  await tap?.stop();
  await sandbox?.stop();
});

const bindings = (extra = {}) => ({
  ...exampleVars(),
  BDPAY_UPSTREAM_URL: tap.url,
  BDPAY_TOKEN: token,
  BDPAY_INTENT_KEY: INTENT_KEY,
  BDPAY_CLIENT_PAYMENTS_PER_MINUTE: String(LIMIT),
  ...extra,
});

/**
 * Two edge Workers of the same code; with `durableObject`, both bound to the
 * first one's BdpayProxy class; with `main: 'rate-limited.js'` (and
 * `ratelimits`), the example Worker behind the rate-limiting binding.
 */
async function twoEdges(durableObject, { main, ratelimits, extra } = {}) {
  const durableObjects = durableObject ? { BDPAY_PROXY: { className: 'BdpayProxy', scriptName: 'proxy' } } : undefined;
  const p = await startProxy(record, {
    bindings: bindings(extra),
    durableObjects,
    ratelimits,
    main,
    // Routed by host name; miniflare's getWorker() refuses an Origin header.
    workers: [{ name: 'edge-b', routes: ['edge-b.test/*'], bindings: bindings(extra), durableObjects, ratelimits }],
  });
  const edges = [
    (target, init) => p.fetch(target, init),
    async (target, init) => {
      const res = await p.mf.dispatchFetch(`http://edge-b.test${target}`, init);
      await record.answer(res, `edge-b ${init.method} ${target}`);
      return res;
    },
  ];
  return { edges, stop: () => p.stop() };
}

/** `n` payments (each with its intent) from one client, alternating between the two edges: their statuses. */
async function payments(edges, ip, n, tag, amount = 10) {
  const statuses = [];
  for (let i = 0; i < n; i += 1) {
    const body = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount, ref_id: `ORD-${tag}-${i}` };
    const res = await edges[i % 2](PATHS.request, post(body, { origin: 'https://shop.example.com', ip, intent: intentFor(body) }));
    statuses.push(res.status);
  }
  return statuses;
}

test('without the Durable Object, each isolate counts alone: one client pays twice the limit through two isolates', async () => {
  const { edges, stop } = await twoEdges(false);
  try {
    const calls = tap.calls.length;
    const statuses = await payments(edges, '192.0.2.101', 2 * LIMIT + 2, 'ISO');
    assert.deepEqual(statuses, [...Array(2 * LIMIT).fill(200), 429, 429]);
    assert.equal(tap.calls.length - calls, 2 * LIMIT, `${2 * LIMIT} payments went upstream for a limit of ${LIMIT}`);
  } finally {
    await stop();
  }
});

test('with the BdpayProxy Durable Object bound, the limit holds across isolates; other clients have their own', async () => {
  const { edges, stop } = await twoEdges(true);
  try {
    const calls = tap.calls.length;
    const statuses = await payments(edges, '192.0.2.102', 2 * LIMIT + 2, 'DO');
    assert.deepEqual(statuses, [...Array(LIMIT).fill(200), ...Array(LIMIT + 2).fill(429)]);
    assert.equal(tap.calls.length - calls, LIMIT, 'only the limit went upstream');
    const other = await payments(edges, '192.0.2.103', LIMIT, 'DO2');
    assert.deepEqual(other, Array(LIMIT).fill(200), 'another client has its own object');
    // A browser's call through the object keeps its CORS answer and policy.
    const refused = await edges[1](PATHS.balance, { method: 'GET', headers: { origin: 'https://shop.example.com', 'cf-connecting-ip': '192.0.2.104' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  } finally {
    await stop();
  }
});

test("a Worker of one's own behind Workers' rate-limiting binding (examples/worker/rate-limited.js) limits payments before the proxy", async () => {
  // The proxy's own payment limit far above the binding's, so that the binding decides.
  const { edges, stop } = await twoEdges(false, {
    main: 'rate-limited.js',
    ratelimits: { PAYMENT_LIMIT: { simple: { limit: 2, period: 60 } } },
  });
  try {
    const calls = tap.calls.length;
    const statuses = await payments([edges[0], edges[0]], '192.0.2.111', 4, 'RL');
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    assert.equal(tap.calls.length - calls, 2, 'the refused payments never reached the proxy or the upstream');
    const body = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10 };
    const refused = await edges[0](
      PATHS.request,
      post(body, { origin: 'https://shop.example.com', ip: '192.0.2.111', intent: intentFor(body) }),
    );
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.equal(refused.headers.get('retry-after'), '60');
    const paid = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: 'ORD-RL-0' };
    const read = await edges[0](
      PATHS.status,
      post({ ref_id: 'ORD-RL-0' }, { origin: 'https://shop.example.com', ip: '192.0.2.111', intent: intentFor(paid) }),
    );
    assert.equal(read.status, 200, 'reads are not counted by the binding');
    const other = await payments([edges[0]], '192.0.2.112', 1, 'RL2');
    assert.deepEqual(other, [200], 'another client has its own count');
    // Not shown here: at one Cloudflare location the binding's count is shared
    // by every isolate (its namespace_id); miniflare gives each Worker its own.
  } finally {
    await stop();
  }
});

test("the shop's spending ceiling without the Durable Object counts per isolate: two isolates spend it twice", async () => {
  // 25 taka an hour, payments of 10: two fit in one isolate.
  const { edges, stop } = await twoEdges(false, { extra: { BDPAY_BUDGET_PER_HOUR: '25', BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '100' } });
  try {
    const calls = tap.calls.length;
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push(...(await payments([edges[i % 2]], `192.0.2.${120 + i}`, 1, `CEIL-ISO-${i}`)));
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    assert.equal(tap.calls.length - calls, 4, 'each isolate let its own 20 taka through');
  } finally {
    await stop();
  }
});

test("with the Durable Object bound, the shop's ceiling holds across isolates and clients, then refuses clearly", async () => {
  const { edges, stop } = await twoEdges(true, { extra: { BDPAY_BUDGET_PER_HOUR: '25', BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '100' } });
  try {
    const calls = tap.calls.length;
    const statuses = [];
    let last;
    for (let i = 0; i < 6; i += 1) {
      const body = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: `ORD-CEIL-DO-${i}` };
      last = await edges[i % 2](
        PATHS.request,
        post(body, { origin: 'https://shop.example.com', ip: `192.0.2.${140 + i}`, intent: intentFor(body) }),
      );
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 429, 429, 429, 429], 'two payments of 10 under a ceiling of 25, whichever isolate and client');
    assert.equal(tap.calls.length - calls, 2);
    const e = JSON.parse(await last.text());
    assert.equal(e.code, 'budget_hour_reached');
    assert.match(e.message, /spending limit for this hour/);
    assert.match(e.message_bn, /[\u0980-\u09ff]/);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
    assert.equal(last.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  } finally {
    await stop();
  }
});

for (const durableObject of [false, true]) {
  test(`a payment the gateway refuses before committing gives its reservation back${durableObject ? ', in the Durable Object' : ''}`, async () => {
    // 50 taka an hour: a paid intent of 20, replayed three times (each
    // refused upstream as a duplicate), leaves 30 for the next customer.
    const { edges, stop } = await twoEdges(durableObject, { extra: { BDPAY_BUDGET_PER_HOUR: '50', BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '100' } });
    try {
      const tag = durableObject ? 'DO' : 'ISO';
      const pay = (body, i) =>
        edges[durableObject ? i % 2 : 0](
          PATHS.request,
          post(body, { origin: 'https://shop.example.com', ip: `192.0.2.${durableObject ? 160 : 170}`, intent: intentFor(body) }),
        );
      const first = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 20, ref_id: `ORD-GIVEBACK-${tag}` };
      const statuses = [(await pay(first, 0)).status];
      for (let i = 1; i <= 3; i += 1) {
        const replay = await pay(first, i);
        statuses.push(replay.status);
        if (replay.status !== 429) assert.match(await replay.text(), /Duplicate transaction/);
      }
      const next = { type: 'recharge', operator_code: 'GP', phone: '01812345678', amount: 25, ref_id: `ORD-GIVEBACK-${tag}-2` };
      statuses.push((await pay(next, 4)).status);
      // Before: the replays kept 20 each, so the second met the ceiling and so did the next customer.
      assert.deepEqual(statuses, [200, 422, 422, 422, 200]);
      // And a payment past what is left is still refused: 20 + 25 spent, 10 more does not fit.
      const over = { type: 'recharge', operator_code: 'GP', phone: '01912345678', amount: 10, ref_id: `ORD-GIVEBACK-${tag}-3` };
      assert.equal((await pay(over, 5)).status, 429);
    } finally {
      await stop();
    }
  });
}

test("with the Durable Object's SQLite storage, the shop's ceilings survive a restart", async () => {
  // 60 taka an hour; the object restarted (miniflare disposed and started
  // again on the same storage) after 40 was spent, and again after a refused
  // payment gave its reservation back.
  const persist = mkdtempSync(path.join(tmpdir(), 'bdpay-books-'));
  const options = {
    bindings: bindings({ BDPAY_BUDGET_PER_HOUR: '60', BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '100' }),
    durableObjects: { BDPAY_PROXY: { className: 'BdpayProxy', useSQLite: true } },
    persist,
  };
  const pay = (p, amount, ref) => {
    const body = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount, ref_id: ref };
    return p.fetch(PATHS.request, post(body, { origin: 'https://shop.example.com', intent: intentFor(body) }));
  };
  let p = await startProxy(record, options);
  try {
    const calls = tap.calls.length;
    assert.deepEqual([(await pay(p, 20, 'ORD-BOOKS-1')).status, (await pay(p, 20, 'ORD-BOOKS-2')).status], [200, 200]);
    await p.stop();
    p = await startProxy(record, options);
    // Before: a restarted object counted from nothing, and this was paid.
    const over = await pay(p, 30, 'ORD-BOOKS-3');
    assert.equal(over.status, 429);
    assert.equal(JSON.parse(await over.text()).code, 'budget_hour_reached');
    assert.equal((await pay(p, 10, 'ORD-BOOKS-4')).status, 200);
    // Its replay, refused upstream as a duplicate, gives its 10 back.
    assert.equal((await pay(p, 10, 'ORD-BOOKS-4')).status, 422);
    await p.stop();
    p = await startProxy(record, options);
    assert.equal((await pay(p, 10, 'ORD-BOOKS-5')).status, 200, 'the 10 given back before the restart is still free');
    assert.equal((await pay(p, 10, 'ORD-BOOKS-6')).status, 429, '60 of 60 spent, whatever the restarts');
    assert.equal(tap.calls.length - calls, 5, 'four payments and one replay went upstream');
  } finally {
    await p.stop();
    rmSync(persist, { recursive: true, force: true });
  }
});

test('the example wrangler.toml names the binding and class that bdpay/worker exports', async () => {
  const { readFileSync } = await import('node:fs');
  const toml = readFileSync(new URL('../../examples/worker/wrangler.toml', import.meta.url), 'utf8');
  assert.match(toml, /name = "BDPAY_PROXY"/);
  assert.match(toml, /class_name = "BdpayProxy"/);
  assert.match(toml, /new_sqlite_classes = \["BdpayProxy"\]/);
  const index = readFileSync(new URL('../../examples/worker/index.js', import.meta.url), 'utf8');
  assert.match(index, /export \{ default, BdpayProxy \} from 'bdpay\/worker';/);
});

test('no answer and no log line of this file holds the token', async () => {
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(record.answers.length >= 20, `checked ${record.answers.length} answers`);
  assert.ok(record.proxyLines().length >= 20, `checked ${record.proxyLines().length} log lines`);
  record.assertNothingHolds([token, INTENT_KEY]);
});
