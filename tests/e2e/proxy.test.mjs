// The page through the Workers proxy (?api=<URL>), unchanged: the example
// Worker of bdpay/worker runs in workerd (miniflare, started by the proxy
// tests' harness) in front of the sandbox, holding the token. The page,
// served by the sandbox, calls it cross-origin and never sends a token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exampleVars, Record, startProxy } from '../proxy/harness.mjs';
import { expectText, openPage, panel, shot, start, TEXT, type, until } from './support.mjs';

let env;
let proxy;
let token;

before(async () => {
  env = await start();
  token = await env.admin.account();
  proxy = await startProxy(new Record(), {
    bindings: { ...exampleVars(), BDPAY_UPSTREAM_URL: env.base, BDPAY_TOKEN: token, BDPAY_ALLOWED_ORIGINS: env.base },
  });
});
after(async () => {
  await proxy?.stop();
  await env?.stop();
});

test('with ?api= the page sends no token, says so, and pays and lists billers through the Worker', async () => {
  const T = TEXT.en;
  const { page, problems, requests: seen, close } = await openPage(env, { query: { api: proxy.url } });
  try {
    await expectText(page.getByText('through a proxy'), `Connected to ${proxy.url} through a proxy: this page holds no token.`);
    await type(page.getByRole('textbox', { name: T.phone }), '01812345678');
    await type(page.getByRole('textbox', { name: T.amount }), '30');
    await page.getByRole('button', { name: T.recharge, exact: true }).click();
    await expectText(panel(page).getByRole('status'), T.success);

    await page.getByRole('tab', { name: T.tabs[3] }).click();
    await page.getByRole('radio', { name: T.gas }).waitFor();

    const api = seen.filter((s) => s.url.includes('/api/'));
    assert.ok(api.some((s) => s.url === `${proxy.url}/api/gateway/v1/request` && s.method === 'POST'), 'the payment went to the proxy');
    assert.ok(api.some((s) => s.url.startsWith(`${proxy.url}/api/v1/private/wallet/utility/billers`)), 'and the billers');
    assert.deepEqual(api.filter((s) => !s.url.startsWith(proxy.url)), [], 'nothing went around the proxy');
    assert.deepEqual(seen.filter((s) => s.authorization !== null), [], 'no request carried a token');
    assert.equal((await env.admin.transactions(token)).transactions.length, 1, "paid on the proxy's account");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('a rate limit through the Worker is shown without a wrong wait, and nothing is paid twice', async () => {
  const T = TEXT.en;
  const { page, problems, close } = await openPage(env, { query: { api: proxy.url } });
  try {
    await type(page.getByRole('textbox', { name: T.phone }), '01912345678');
    await type(page.getByRole('textbox', { name: T.amount }), '40');
    const before = (await env.admin.transactions(token)).transactions.length;
    await env.admin.fault({ kind: 'rate_limit', secs: 2, path: '/api/gateway/v1/request', token });
    const submit = page.getByRole('button', { name: T.recharge, exact: true });
    await submit.click();
    const text = await expectText(panel(page).getByRole('alert'), T.tooMany, T.nothingCharged);
    // The Worker sends Retry-After: 2. The page may say 2 s (if it can read
    // the header) or "a few seconds", but no other number.
    const secs = /try again in (\d+) s\./.exec(text);
    assert.ok(secs === null ? text.includes('in a few seconds') : Number(secs[1]) === 2, text);
    await shot(page, 'proxy-en-rate-limited');
    await until(async () => !(await submit.isDisabled()), 'the button to be usable again', 15_000);
    await submit.click();
    await expectText(panel(page).getByRole('status'), T.success);
    assert.equal((await env.admin.transactions(token)).transactions.length, before + 1, 'one more payment');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
