// Server errors as a person should see them, in the chosen language: not
// enough balance (a fresh account with ৳20, used through ?token=), a rate
// limit with its retry time counted down, and a failing service. Never a
// stack, never a second payment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoEnglish, definition, expectText, LANGS, openPage, panel, shot, start, TEXT, type, until } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

const GATEWAY = '/api/gateway/v1/request';

/** The ref_id of every payment the page sends. */
function sentRefIds(page) {
  const seen = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === GATEWAY) seen.push(JSON.parse(r.postData()).ref_id);
  });
  return seen;
}

async function fillRecharge(page, T) {
  await type(page.getByRole('textbox', { name: T.phone }), '01712345678');
  await type(page.getByRole('textbox', { name: T.amount }), '50');
}

const noStack = (text) => !/\bat \S+ \(|Error:|BdpayError|https?:\/\//.test(text);

for (const lang of LANGS) {
  test(`insufficient balance (${lang}) is explained with the balance, and nothing is charged`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account({ balances: { flexiload_balance: '20.00' } });
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      await fillRecharge(page, T);
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      const alert = panel(page).getByRole('alert');
      const text = await expectText(alert, T.notEnough, T.nothingCharged, T.balance);
      assert.ok(noStack(text), `no stack or raw error: ${text}`);
      if (lang === 'bn') assertNoEnglish(text);
      await until(async () => !(await submit.isDisabled()), 'the button to be usable again');
      assert.equal(await panel(page).getByRole('status').count(), 0, 'no payment status shown');
      await shot(page, `error-${lang}-insufficient-balance`);
      assert.equal((await env.admin.transactions(token)).transactions.length, 0);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`a rate limit (${lang}) shows its retry time, counts down, and the retry pays once`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      const refs = sentRefIds(page);
      await fillRecharge(page, T);
      await env.admin.fault({ kind: 'rate_limit', secs: 1, path: GATEWAY, token });
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      const alert = panel(page).getByRole('alert');
      const text = await expectText(alert, T.tooMany, T.waitSecs, T.nothingCharged);
      assert.ok(noStack(text), text);
      if (lang === 'bn') assertNoEnglish(text);
      assert.equal(await submit.isDisabled(), true, 'no submit during the wait');
      await shot(page, `error-${lang}-rate-limited`);
      await expectText(alert, T.tryNow);
      await until(async () => !(await submit.isDisabled()), 'the button to be usable after the wait');
      assert.equal((await env.admin.transactions(token)).transactions.length, 0, 'nothing held after the 429');

      await submit.click();
      await expectText(panel(page).getByRole('status'), T.success);
      assert.equal(await alert.isVisible(), false, 'the error is gone');
      const held = (await env.admin.transactions(token)).transactions;
      assert.equal(held.length, 1, 'one payment');
      assert.equal(refs.length, 2, 'the refused request and the retry');
      assert.deepEqual([refs[1], held[0].ref_id], [refs[0], refs[0]], 'the retry kept its ref_id');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

for (const lang of LANGS) {
  test(`a failing service (${lang}) is explained, and trying again pays once with the same ref_id`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      const refs = sentRefIds(page);
      await fillRecharge(page, T);
      await env.admin.fault({ kind: 'status', code: 500, phase: 'before', path: GATEWAY, token });
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      const text = await expectText(panel(page).getByRole('alert'), T.serviceProblem);
      assert.ok(noStack(text), text);
      if (lang === 'bn') assertNoEnglish(text);
      await until(async () => !(await submit.isDisabled()), 'the button to be usable again');
      await shot(page, `error-${lang}-server`);
      await submit.click();
      await expectText(panel(page).getByRole('status'), T.success);
      const held = (await env.admin.transactions(token)).transactions;
      assert.equal(held.length, 1, 'one payment');
      assert.equal(refs.length, 2, 'the failed request and the retry');
      assert.deepEqual([refs[1], held[0].ref_id], [refs[0], refs[0]], 'the retry kept its ref_id');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`when the status cannot be read (${lang}), the page shows the payment pending and keeps checking until it ends`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      await fillRecharge(page, T);
      await env.admin.fault({ kind: 'status', code: 503, path: '/api/gateway/v1/status', token, count: 50 });
      await page.getByRole('button', { name: T.recharge, exact: true }).click();
      const status = panel(page).getByRole('status');
      const text = await expectText(status, T.pending);
      assert.ok(noStack(text), text);
      if (lang === 'bn') assertNoEnglish(text);
      assert.match(await definition(panel(page), T.trxId).innerText(), /^TRX\d+$/, 'the trx_id to ask about');
      // Reads failing for a while (several retries each) do not end the wait.
      await until(async () => (await env.admin.faults()).faults[0]?.remaining < 40, 'status asked through failures', 20_000);
      assert.equal(await page.getByRole('button', { name: T.recharge, exact: true }).isDisabled(), true, 'still in flight: no second payment');
      assert.doesNotMatch(await panel(page).innerText(), T.tryAgain);
      await shot(page, `error-${lang}-status-unknown`);
      await env.admin.clearFaults();
      // Checked again without a press, as soon as status answers.
      await expectText(status, T.success);
      await until(async () => !(await page.getByRole('button', { name: T.recharge, exact: true }).isDisabled()), 'the button back once final');
      assert.equal((await env.admin.transactions(token)).transactions.length, 1, 'one payment');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`a ref_id another payment already used (${lang}) is explained as a duplicate, and nothing more is paid`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    // An earlier order of the merchant took the reference ORD-7 for another number.
    const earlier = await fetch(`${env.base}${GATEWAY}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'recharge', operator_code: 'RB', phone: '01812345678', amount: '20', ref_id: 'ORD-7' }),
    });
    assert.equal(earlier.status, 200);
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      // The page makes its own ref_ids; this stands in for a checkout that reuses order ids.
      await page.route(`**${GATEWAY}`, (route) => route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), ref_id: 'ORD-7' }) }));
      await fillRecharge(page, T);
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      const text = await expectText(panel(page).getByRole('alert'), T.alreadyUsed, T.nothingNew);
      assert.ok(noStack(text), text);
      if (lang === 'bn') assertNoEnglish(text);
      await until(async () => !(await submit.isDisabled()), 'the button to be usable again');
      await shot(page, `error-${lang}-duplicate`);
      assert.equal((await env.admin.transactions(token)).transactions.length, 1, 'only the earlier payment');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`a token the gateway refuses (${lang}) is explained in the page's language, not shown`, async () => {
    const T = TEXT[lang];
    const { page, problems, close } = await openPage(env, { query: { token: 'sandbox-inactive-token', lang } });
    try {
      await fillRecharge(page, T);
      await page.getByRole('button', { name: T.recharge, exact: true }).click();
      const text = await expectText(panel(page).getByRole('alert'), T.notAllowed, T.accountInactive);
      assert.ok(!text.includes('sandbox-inactive-token'));
      if (lang === 'bn') assertNoEnglish(text);
      await shot(page, `error-${lang}-forbidden`);
      const html = await page.content();
      assert.ok(!html.includes('sandbox-inactive-token'), 'the token is nowhere in the page');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`an unreachable payment service (${lang}) is explained, and nothing was charged`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      await fillRecharge(page, T);
      // The connection is cut before the gateway sees the payment.
      await page.route(`**${GATEWAY}`, (route) => route.abort('connectionrefused'));
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      const text = await expectText(panel(page).getByRole('alert'), T.noConnection);
      assert.ok(noStack(text), text);
      if (lang === 'bn') assertNoEnglish(text);
      await shot(page, `error-${lang}-network`);
      assert.equal((await env.admin.transactions(token)).transactions.length, 0, 'nothing held');
      assert.deepEqual(problems.filter((p) => !p.includes('net::ERR')), []);
    } finally {
      await close();
    }
  });
}
