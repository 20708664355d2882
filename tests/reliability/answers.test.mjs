// Answers the clients must not act on, through the built package in Node:
// - a redirect is never followed: nothing reaches its Location, and a
//   payment is settled by status like any unreadable answer;
// - a body past the transport's 1 MiB cap is not read to the end.
// The sandbox's `redirect` and `oversized` faults make most of them; small
// node:http servers (listen.mjs) stand for the redirect target and for an
// upstream whose answer never ends. through-proxy.test.mjs has the same
// answers met by the Workers proxy.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as bdpay from 'bdpay/clients';
import { startSandbox } from '../clients/sandbox.mjs';
import { listen, lookalike } from './listen.mjs';
import { REQUEST_PATH, admin } from './matrix.mjs';

const MARKER = 'bdpayMARKEDanswers';
const STATUS_PATH = '/api/gateway/v1/status';
const BALANCE_PATH = '/api/gateway/v1/balance';

const sandbox = await startSandbox(['--settle-ms', '100']);
const elsewhere = await listen(lookalike);
after(async () => {
  await elsewhere.close();
  await sandbox.stop();
});
const sb = admin(sandbox.url);
const gateway = (token, extra = {}) =>
  new bdpay.GatewayClient({ baseUrl: sandbox.url, token, timeoutMs: 5000, pollIntervalMs: 50, ...extra });
const recharge = (ref_id) => ({ operator_code: 'GP', phone: '01712345678', amount: '100.50', ref_id });
const settle = (promise) => promise.then((t) => ({ t }), (e) => ({ e }));

test('a 307 or 308 answer to a payment is never followed; status settles it', { timeout: 60_000 }, async () => {
  const rows = [
    [307, 'before', 0],
    [308, 'before', 0],
    [307, 'after', 1],
    [308, 'after', 1],
  ];
  for (const [code, phase, held] of rows) {
    const label = `${code} ${phase}`;
    const token = await sb.account(MARKER);
    const ref = `RD-${code}-${phase}`;
    const location = `${elsewhere.url}/taken/${code}/${phase}`;
    await sb.fault({ kind: 'redirect', code, location, phase, path: REQUEST_PATH, token });
    const outcome = await settle(gateway(token).recharge(recharge(ref)));
    assert.deepEqual(elsewhere.hits, [], `${label}: nothing reached the Location`);
    assert.equal(await sb.heldFor(token, ref), held, `${label}: held`);
    if (held) {
      assert.equal(outcome.t?.ref_id, ref, `${label}: the committed payment, confirmed by status`);
      assert.equal(outcome.t.trx_id.startsWith('TRX'), true);
      assert.notEqual(outcome.t.trx_id, 'TRX-ELSEWHERE');
    } else {
      const e = outcome.e;
      assert.ok(e instanceof bdpay.BdpayError, `${label}: ${e ?? JSON.stringify(outcome.t)}`);
      assert.deepEqual([e.kind, e.status, e.notCommitted], ['bad_response', code, true], label);
      assert.match(e.message, /redirect/);
    }
  }
});

test('a redirect on status while reconciling confirms nothing and is not followed', { timeout: 60_000 }, async () => {
  const token = await sb.account(MARKER);
  await sb.fault({ kind: 'drop_after_commit', path: REQUEST_PATH, token });
  await sb.fault({ kind: 'redirect', code: 307, location: `${elsewhere.url}/status`, path: STATUS_PATH, token, count: 10 });
  const outcome = await settle(gateway(token).recharge(recharge('RD-STATUS')));
  assert.deepEqual(elsewhere.hits, []);
  assert.ok(outcome.e instanceof bdpay.BdpayError, `not a success: ${JSON.stringify(outcome.t)}`);
  assert.deepEqual([outcome.e.kind, outcome.e.notCommitted], ['outcome_unknown', false], 'the outcome stays unknown');
  assert.equal(await sb.heldFor(token, 'RD-STATUS'), 1);
  await sb.clearFaults();
});

test('a redirect on a read is an error, not followed', async () => {
  const token = await sb.account(MARKER);
  await sb.fault({ kind: 'redirect', code: 308, location: `${elsewhere.url}/balance`, path: BALANCE_PATH, token });
  const { e } = await settle(gateway(token).balance());
  assert.ok(e instanceof bdpay.BdpayError, String(e));
  assert.deepEqual([e.kind, e.status], ['bad_response', 308]);
  assert.deepEqual(elsewhere.hits, []);
  assert.ok(!JSON.stringify([e.message, e.messages]).includes(MARKER), 'no token in the error');
});

test('an answer over 1 MiB is not read: a read fails, a payment is settled by status', { timeout: 60_000 }, async () => {
  const token = await sb.account(MARKER);
  const c = gateway(token);
  for (const length of ['declared', 'chunked']) {
    await sb.fault({ kind: 'oversized', bytes: 1024 * 1024 + 1, length, path: BALANCE_PATH, token });
    const { e } = await settle(c.balance());
    assert.ok(e instanceof bdpay.BdpayError, `${length}: ${e}`);
    assert.deepEqual([e.kind, e.status], ['bad_response', 200], length);
    assert.match(e.message, /over 1 MiB/);
    // Just under the cap, in many chunks, is read whole.
    await sb.fault({ kind: 'oversized', bytes: 1024 * 1024, length, path: BALANCE_PATH, token });
    assert.match((await c.balance()).flexiload_balance, /^\d+\.\d\d$/, `${length}: 1 MiB exactly is read`);

    const ref = `OS-${length}`;
    await sb.fault({ kind: 'oversized', length, path: REQUEST_PATH, token });
    // The same payment twice on purpose (two ways to send a big answer): past the repeat guard.
    const t = await c.recharge({ ...recharge(ref), confirm_repeat: true });
    assert.equal(t.ref_id, ref, `${length}: the payment, from status`);
    assert.equal(await sb.heldFor(token, ref), 1);
  }
});

test('an answer that never ends is cut at the cap, not at the timeout', { timeout: 30_000 }, async () => {
  let closed = false;
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const endless = await listen((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.on('close', () => {
      closed = true;
    });
    const pump = () => {
      while (!closed && res.write(chunk)) sent += chunk.length;
      if (!closed) res.once('drain', pump);
    };
    pump();
  });
  try {
    const c = new bdpay.GatewayClient({ baseUrl: endless.url, token: `${MARKER}-endless`, timeoutMs: 20_000, maxRetries: 0 });
    const started = Date.now();
    const { e } = await settle(c.balance());
    assert.ok(e instanceof bdpay.BdpayError, String(e));
    assert.deepEqual([e.kind, e.message], ['bad_response', 'Unexpected response: a body over 1 MiB']);
    assert.ok(Date.now() - started < 10_000, `cut after ${Date.now() - started} ms`);
    const deadline = Date.now() + 5000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(closed, 'the client closed the connection');
    assert.ok(sent < 64 * 1024 * 1024, `the server wrote ${sent} bytes`);
    assert.equal(endless.hits.length, 1);
  } finally {
    await endless.close();
  }
});
