// The client scenarios against the running sandbox, written once and run in
// two runtimes: Node (tests/node/clients.test.mjs) and headless Chromium
// (tests/clients/index.html, driven by tests/node/clients-browser.test.mjs).
// Each scenario makes its own sandbox account, so none shares a balance, a
// rate limit or a transaction count with another. Every payment scenario
// ends by counting what the sandbox holds: exactly one per intended payment.

import { sandboxAdmin } from './admin.mjs';

const GATEWAY = '/api/gateway/v1/request';
const EXECUTE = '/api/v1/private/wallet/utility-bill-pay/execute';

class Failure extends Error {}

function ok(cond, message) {
  if (!cond) throw new Failure(message);
}

function eq(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Failure(`${message}: expected ${e}, got ${a}`);
}

/** The BdpayError a promise rejects with; fails if it resolves. */
async function rejection(promise, BdpayError) {
  try {
    const value = await promise;
    throw new Failure(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (e) {
    if (e instanceof Failure) throw e;
    ok(e instanceof BdpayError, `a BdpayError, not ${e}`);
    return e;
  }
}

/**
 * `[{ name, run }]` for the given package exports and sandbox base URL.
 */
export function scenarios(bdpay, base) {
  const { GatewayClient, BillPayClient, BdpayError } = bdpay;
  const admin = sandboxAdmin(base);
  const fast = { pollIntervalMs: 50, waitTimeoutMs: 10000 };
  const gateway = (token, extra = {}) => new GatewayClient({ baseUrl: base, token, ...fast, ...extra });
  const wallet = (token, extra = {}) => new BillPayClient({ baseUrl: base, token, ...extra });
  const trxCount = admin.count;
  const payCount = async (token) => (await admin.transactions(token)).payments.length;
  const recharge = (extra = {}) => ({ operator_code: 'GP', phone: '+880 1712-345678', amount: '100.50', ...extra });

  async function bakhrabad(client) {
    const types = await client.billers();
    const biller = types.flatMap((t) => t.billers).find((b) => b.biller_id === 'b451');
    ok(biller, 'the Bakhrabad Gas biller is listed');
    return biller;
  }

  const list = [
    ['balance is exact and packages come with price and commission', async () => {
      const token = await admin.account({ balances: { flexiload_balance: '1234.56' } });
      const c = gateway(token);
      const b = await c.balance();
      eq(b.flexiload_balance, '1234.56', 'balance as an exact string');
      const data = await c.packages({ operator_code: 'gp', type: 'data' });
      ok(data.length > 0, 'GP has data packages');
      ok(data.every((p) => p.type === 'data' && /^\d+\.\d\d$/.test(p.price) && /^\d+\.\d\d$/.test(p.commission)), 'typed packages');
      const drive = await c.packages({ operator_code: 'BL', type: 'drive' });
      ok(drive.every((p) => p.type === 'drive'), 'the drive filter');
    }],

    ['each of the five request types goes through once and settles', async () => {
      const token = await admin.account();
      const c = gateway(token);
      const pkg = (await c.packages({ operator_code: 'GP', type: 'data' }))[0];
      const drive = (await c.packages({ operator_code: 'BL', type: 'drive' }))[0];
      const sent = [
        await c.recharge(recharge({ sub_type: 'prepaid' })),
        await c.data({ operator_code: 'GP', phone: '01711111111', package_id: pkg.id }),
        await c.drive({ operator_code: 'BL', phone: '01911111111', package_id: drive.id }),
        await c.mfs({ operator_code: 'RK', phone: '017-1234-5678-9', amount: 500 }),
        await c.bill({ operator_code: 'DESCO', bill_number: '1234567890', month: '4', amount: 850 }),
      ];
      eq(sent.map((t) => t.type), ['recharge', 'data', 'drive', 'mfs', 'bill'], 'types');
      ok(sent.every((t) => typeof t.ref_id === 'string' && t.ref_id.length > 0), 'every request got a ref_id');
      eq(sent[0].phone, '01712345678', 'the phone went canonical');
      eq(sent[3].phone, '017123456789', "Rocket's 12-digit account");
      const final = await Promise.all(sent.map((t) => c.waitForFinal(t)));
      eq(final.map((t) => t.trx_status), ['Success', 'Success', 'Success', 'Success', 'Success'], 'settled');
      eq(await trxCount(token), 5, 'five transactions held');
    }],

    ['a number ending in 99 fails and waitForFinal reports Failed', async () => {
      const token = await admin.account();
      const c = gateway(token);
      const t = await c.recharge(recharge({ phone: '01712345699' }));
      eq((await c.waitForFinal({ trx_id: t.trx_id })).trx_status, 'Failed', 'final status');
    }],

    ['status by trx_id and by ref_id, and not_found', async () => {
      const token = await admin.account();
      const c = gateway(token);
      const t = await c.recharge(recharge({ ref_id: 'ORD-S-1' }));
      eq((await c.status({ trx_id: t.trx_id })).ref_id, 'ORD-S-1', 'by trx_id');
      eq((await c.status({ ref_id: 'ORD-S-1' })).trx_id, t.trx_id, 'by ref_id');
      const e = await rejection(c.status({ ref_id: 'NOPE-1' }), BdpayError);
      eq([e.kind, e.status], ['not_found', 404], 'unknown ref_id');
    }],

    ['bad input is refused before anything is sent', async () => {
      const token = await admin.account();
      const c = gateway(token);
      const e = await rejection(c.recharge({ operator_code: 'GP', phone: '01112345678', amount: 100.005 }), BdpayError);
      eq(e.kind, 'validation', 'kind');
      eq(e.fieldErrors.map((f) => [f.field, f.code]), [['phone', 'invalid_phone'], ['amount', 'too_many_decimals']], 'every field');
      ok(e.fieldErrors.every((f) => f.message && f.message_bn), 'messages in both languages');
      await rejection(c.mfs({ operator_code: 'BK', phone: '017123456789', amount: 50 }), BdpayError);
      await rejection(c.packages({ operator_code: 'BK' }), BdpayError);
      eq(await trxCount(token), 0, 'nothing reached the sandbox');
    }],

    ['unauthorized, forbidden and insufficient balance are typed', async () => {
      const bad = await rejection(gateway('not-a-token').balance(), BdpayError);
      eq([bad.kind, bad.status], ['unauthorized', 401], 'bad token');
      const inactive = await admin.account({ active: false });
      const off = await rejection(gateway(inactive).balance(), BdpayError);
      eq([off.kind, off.status], ['forbidden', 403], 'inactive account');
      const poor = await admin.account({ balances: { flexiload_balance: '50.00' } });
      const e = await rejection(gateway(poor).recharge(recharge()), BdpayError);
      eq([e.kind, e.status], ['insufficient_balance', 422], 'over the balance');
      eq(await trxCount(poor), 0, 'no transaction');
    }],

    ['reads surface rate_limited, timeout, server and bad_response once retries are spent', async () => {
      const token = await admin.account();
      const c = gateway(token, { timeoutMs: 400, maxRetries: 1 });
      const BALANCE = '/api/gateway/v1/balance';
      const rows = [
        [{ kind: 'rate_limit', secs: 1, count: 2 }, 'rate_limited', 429],
        [{ kind: 'latency', ms: 1200, phase: 'before', count: 2 }, 'timeout', 0],
        [{ kind: 'status', code: 503, count: 2 }, 'server', 503],
        [{ kind: 'malformed_json' }, 'bad_response', 200],
      ];
      for (const [fault, kind, status] of rows) {
        await admin.fault({ ...fault, path: BALANCE, token });
        const e = await rejection(c.balance(), BdpayError);
        eq([e.kind, e.status ?? 0], [kind, status], JSON.stringify(fault));
        if (kind === 'rate_limited') eq(e.retryAfterMs, 1000, 'Retry-After in ms');
      }
      eq((await c.balance()).flexiload_balance.endsWith('.00'), true, 'answers again once the faults are spent');
    }],

    ['a repeated ref_id returns the same payment; a different payment is a ref_id conflict', async () => {
      const token = await admin.account();
      const c = gateway(token);
      const first = await c.recharge(recharge({ ref_id: 'ORD-D-1' }));
      const again = await c.recharge(recharge({ ref_id: 'ORD-D-1' }));
      eq(again.trx_id, first.trx_id, 'the existing payment');
      const e = await rejection(c.recharge(recharge({ ref_id: 'ORD-D-1', phone: '01812345678' })), BdpayError);
      eq(e.kind, 'ref_id_conflict', 'kind');
      ok(e.message.includes('ORD-D-1') && e.message.includes('phone'), e.message);
      eq(await trxCount(token), 1, 'paid once');
    }],

    ['after an unknown outcome, another payment held under the ref_id is a conflict, not a success', async () => {
      const token = await admin.account();
      const c = gateway(token);
      await c.recharge(recharge({ ref_id: 'ORD-C-1', phone: '01812345678', amount: 20 }));
      // This order's answer is lost (a 503 before the gateway ran it); status by
      // ORD-C-1 finds the earlier order's payment.
      await admin.fault({ kind: 'status', code: 503, phase: 'before', path: GATEWAY, token });
      const e = await rejection(c.recharge(recharge({ ref_id: 'ORD-C-1' })), BdpayError);
      eq([e.kind, e.notCommitted], ['ref_id_conflict', false], 'kind');
      ok(e.message.includes('phone, amount'), e.message);
      eq(await trxCount(token), 1, 'only the earlier payment');
    }],

    ['a redirect is never followed: the payment does not go again to its Location', async () => {
      // The Location is the same gateway path on the same origin: a client that
      // followed it would resend the payment, token and all, and it would commit.
      // (Node sees the 307/308 itself; a browser an "opaqueredirect" with status 0.)
      const token = await admin.account();
      for (const code of [307, 308]) {
        await admin.fault({ kind: 'redirect', code, location: `${base}${GATEWAY}`, path: GATEWAY, token });
        const e = await rejection(gateway(token).recharge(recharge({ ref_id: `ORD-R-${code}` })), BdpayError);
        eq([e.kind, e.notCommitted], ['bad_response', true], `${code}: kind, and known not committed`);
      }
      eq(await trxCount(token), 0, 'nothing followed the redirect');
    }],

    ['a 429 is waited out and the payment goes once', async () => {
      const token = await admin.account();
      await admin.fault({ kind: 'rate_limit', secs: 1, path: GATEWAY, token });
      const started = Date.now();
      const t = await gateway(token).recharge(recharge());
      ok(Date.now() - started >= 900, 'waited Retry-After');
      eq(t.trx_status, 'Pending', 'submitted');
      eq(await trxCount(token), 1, 'one transaction');
    }],

    ['the limiter spreads a burst instead of collecting 429s', async () => {
      const token = await admin.account();
      const c = gateway(token, { rateLimit: { requestPerMinute: 2, periodMs: 1500 } });
      const started = Date.now();
      const sent = await Promise.all([1, 2, 3, 4, 5].map((i) => c.recharge(recharge({ ref_id: `ORD-L-${i}` }))));
      const took = Date.now() - started;
      eq(sent.length, 5, 'all sent');
      ok(took >= 3000, `five at two per 1.5 s take at least 3 s (took ${took} ms)`);
      eq(await trxCount(token), 5, 'five transactions');
    }],

    ['after every unknown outcome the client asks status instead of resending', async () => {
      const cases = [
        [{ kind: 'drop_after_commit' }, 1],
        [{ kind: 'drop_after_commit', close: 'fin' }, 1],
        [{ kind: 'latency', ms: 1500, phase: 'after' }, 1],
        [{ kind: 'status', code: 502, phase: 'after', body: 'html' }, 1],
        [{ kind: 'malformed_json' }, 1],
        [{ kind: 'truncated' }, 1],
        [{ kind: 'wrong_content_type' }, 1],
        // Nothing committed, but a browser may resend a POST by itself when a
        // reused connection is reset before any answer (Chromium does): then
        // one payment is held and the client must report it.
        [{ kind: 'reset' }, 'either'],
        [{ kind: 'status', code: 500, phase: 'before' }, 0],
      ];
      for (const [fault, held] of cases) {
        const token = await admin.account();
        await admin.fault({ ...fault, path: GATEWAY, token });
        const c = gateway(token, { timeoutMs: 700 });
        const label = JSON.stringify(fault);
        const outcome = await c.recharge(recharge({ ref_id: 'ORD-F-1' })).then(
          (t) => ({ t }),
          (e) => ({ e }),
        );
        const count = await trxCount(token);
        if (outcome.t) {
          ok(held !== 0, `${label}: resolved, but nothing may commit`);
          eq(outcome.t.ref_id, 'ORD-F-1', `${label}: the committed payment is returned`);
          eq(count, 1, `${label}: transactions held`);
        } else {
          const e = outcome.e;
          ok(e instanceof BdpayError, `${label}: a BdpayError, not ${e}`);
          ok(held !== 1, `${label}: the payment committed, yet the client said ${e.kind}: ${e.message}`);
          ok(['network', 'server'].includes(e.kind), `${label}: kind ${e.kind}`);
          eq(e.notCommitted, true, `${label}: known not committed`);
          eq(count, 0, `${label}: transactions held`);
        }
      }
    }],

    ['bill payment: billers, summary, wrong PIN, execute once, histories, beneficiaries', async () => {
      const token = await admin.account({ pin: '1234' });
      const w = wallet(token);
      const biller = await bakhrabad(w);
      const values = { bllr_accno: 'ACC12345', bill_mobno: '01812345678', bll_typ: 'M' };
      const s = await w.summary(biller, values);
      ok(typeof s.request_id === 'string' && s.request_id.length > 0, 'a request id');
      ok(/^\d+\.\d\d$/.test(s.amount.amount) && /^\d+\.\d\d$/.test(s.total_payable.amount), 'exact amounts');
      eq(
        (Math.round(Number(s.amount.amount) * 100) + Math.round(Number(s.charge.amount) * 100)),
        Math.round(Number(s.total_payable.amount) * 100),
        'amount + charge = total',
      );
      const pin = await rejection(w.execute({ request_id: s.request_id, pin: '9999' }), BdpayError);
      eq([pin.kind, pin.title], ['validation', 'E_PIN_ERROR'], 'wrong PIN');
      const receipt = await w.execute({ request_id: s.request_id, pin: '1234' });
      eq(receipt.total_payable.amount, s.total_payable.amount, 'paid the summary total');
      const twice = await w.execute({ request_id: s.request_id, pin: '1234' });
      eq(twice.total_payable.amount, receipt.total_payable.amount, 'executing a paid id again gives its receipt');
      ok(twice.history && twice.history.amount.amount === s.amount.amount, 'with the history record');
      const h = await w.histories(s.request_id);
      ok(h.amount && /^\d+\.\d\d$/.test(h.amount.amount), 'the history record');
      const list = await w.beneficiaries();
      ok(Array.isArray(list), 'beneficiaries');
      const missing = await rejection(w.summary(biller, { ...values, bllr_accno: '404000' }), BdpayError);
      eq([missing.kind, missing.message], ['validation', 'Bill not found.'], 'unknown bill');
      const invalid = await rejection(w.summary(biller, { ...values, bill_mobno: '01112345678' }), BdpayError);
      eq(invalid.fieldErrors.map((f) => f.code), ['invalid_phone'], 'checked against the schema first');
      eq(await payCount(token), 1, 'one payment held');
    }],

    ['a PIN with a leading zero survives the trip', async () => {
      const token = await admin.account({ pin: '0420' });
      const w = wallet(token);
      const s = await w.summary(await bakhrabad(w), { bllr_accno: 'ACC777', bill_mobno: '01812345678', bll_typ: 'NM' });
      await w.execute({ request_id: s.request_id, pin: '0420' });
      eq(await payCount(token), 1, 'paid');
    }],

    ['execute after a dropped answer is settled through histories', async () => {
      const token = await admin.account({ pin: '1234' });
      const w = wallet(token);
      const s = await w.summary(await bakhrabad(w), { bllr_accno: 'ACC888', bill_mobno: '01812345678', bll_typ: 'M' });
      await admin.fault({ kind: 'drop_after_commit', path: EXECUTE, token });
      const r = await w.execute({ request_id: s.request_id, pin: '1234' });
      eq(r.total_payable.amount, s.total_payable.amount, 'the receipt has the summary total');
      ok(r.history, 'and the history record that proves the payment');
      eq(await payCount(token), 1, 'paid once');
    }],

    ['every error says itself in Bangla too, with the server\'s own words beside', async () => {
      const token = await admin.account({ pin: '1234', balances: { flexiload_balance: '20.00' } });
      const c = gateway(token);
      const w = wallet(token);
      const BN = /[\u0980-\u09FF]/;
      // Bangla with no Latin letters but the names and codes it was handed.
      const bangla = (e, what, allowed = []) => {
        ok(typeof e.code === 'string' && e.code.length > 0, `${what}: a code`);
        let rest = e.messageBn;
        for (const a of allowed) rest = rest.split(a).join(' ');
        ok(BN.test(e.messageBn) && !/[A-Za-z]/.test(rest), `${what}: Bangla only, got ${e.messageBn}`);
        for (const f of e.fieldErrors) ok(BN.test(f.message_bn), `${what}: ${f.field} in Bangla`);
      };
      const errors = [];
      const refused = async (what, promise) => {
        const e = await rejection(promise, BdpayError);
        errors.push([what, e]);
        return e;
      };

      const invalid = await refused('validation', c.recharge(recharge({ phone: '017' })));
      eq([invalid.code, invalid.messageBn], ['validation', '১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।'], 'checked before sending');
      const poor = await refused('insufficient balance', c.recharge(recharge({ amount: 50 })));
      eq([poor.kind, poor.code, poor.messageBn], ['insufficient_balance', 'insufficient_balance', 'ব্যালেন্স যথেষ্ট নয়।'], 'the gateway refused');
      eq(poor.serverMessage, 'Insufficient balance', 'the server\'s words beside');
      const missing = await refused('not found', c.status({ ref_id: 'NOPE-BN' }));
      eq([missing.code, missing.messageBn], ['transaction_not_found', 'লেনদেনটি পাওয়া যায়নি।'], 'no such transaction');
      const stranger = await refused('unauthenticated', gateway('sbx_nope').balance());
      eq([stranger.kind, stranger.code], ['unauthorized', 'unauthenticated'], 'a wrong token');
      const biller = await bakhrabad(w);
      const values = { bllr_accno: 'ACC12345', bill_mobno: '01812345678', bll_typ: 'M' };
      const s = await w.summary(biller, values);
      const pin = await refused('wrong PIN', w.execute({ request_id: s.request_id, pin: '9999' }));
      eq([pin.code, pin.messageBn, pin.serverMessage], ['pin_mismatch', 'দুঃখিত, পিন মেলেনি।', 'Sorry! PIN does not match.'], 'wrong PIN');
      const bill = await refused('bill not found', w.summary(biller, { ...values, bllr_accno: '404000' }));
      eq([bill.message, bill.messageBn], ['Bill not found.', 'বিলটি পাওয়া যায়নি।'], 'unknown bill');
      await admin.fault({ kind: 'status', code: 500, path: '/api/gateway/v1/balance', token, count: 1 });
      const failing = await refused('server', gateway(token, { maxRetries: 0 }).balance());
      eq(failing.kind, 'server', 'a 500');
      const away = await refused('network', new GatewayClient({ baseUrl: 'http://127.0.0.1:9', token, maxRetries: 0 }).balance());
      eq([away.kind, away.code], ['network', 'network'], 'nobody there');
      try {
        new GatewayClient({ baseUrl: 'http://example.com', token });
        throw new Failure('plain http off loopback must be refused');
      } catch (e) {
        if (e instanceof Failure) throw e;
        errors.push(['config', e]);
        eq([e.code, e.fieldErrors[0].code], ['validation', 'invalid_url'], 'a token over plain http');
      }
      for (const [what, e] of errors) bangla(e, what, ['http://', 'https://', 'allowInsecureHttp', 'baseUrl', e.serverMessage ?? '\u0000']);
    }],

    ['the token never shows in an error, a string or a rejected config', async () => {
      const token = await admin.account();
      const c = gateway(token);
      const errors = [
        await rejection(c.recharge({ operator_code: 'GP', phone: 'x', amount: 1 }), BdpayError),
        await rejection(c.status({ ref_id: 'NOPE-2' }), BdpayError),
      ];
      try {
        new GatewayClient({ baseUrl: 'http://example.com', token });
        throw new Failure('plain http off loopback must be refused');
      } catch (e) {
        if (e instanceof Failure) throw e;
        errors.push(e);
        eq(e.kind, 'validation', 'refused config');
      }
      for (const e of errors) {
        const text = [String(e), e.message, e.stack, JSON.stringify(e), JSON.stringify(e.fieldErrors)].join(' ');
        ok(!text.includes(token), 'no token in the error');
      }
      ok(!String(c).includes(token) && !JSON.stringify(c).includes(token), 'no token in the client');
      const allowed = new GatewayClient({ baseUrl: 'http://example.com', token, allowInsecureHttp: true });
      ok(allowed instanceof GatewayClient, 'explicit opt-in');
    }],
  ];
  return list.map(([name, run]) => ({ name, run }));
}
