// The demo's real flow (`./build.sh demo`, demo/run.mjs) in Chromium: the
// page is served by the merchant server (examples/merchant-server), which
// signs each payment as an intent; the page pays it through the example
// Worker in workerd, which holds the token and the wallet PIN, in front of
// the sandbox. The page never sends a token or a PIN, nothing goes around
// the shop and the proxy, and each payment is made exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoEnglish, definition, expectInvalid, expectText, LANGS, openPage, panel, shot, startShop, TEXT, type, until } from './support.mjs';

let env;

before(async () => {
  // A dozen payments and the status polls of the unknown outcomes, all from
  // one page address within a minute or two: the per-minute limits of the
  // gateway and of the proxy (tested in tests/proxy) would stand in the way.
  env = await startShop({ rate_limit: false }, { paymentsPerMinute: 60, readsPerMinute: 600 });
});
after(() => env?.stop());

const REQUEST = '/api/gateway/v1/request';
const STATUS = '/api/gateway/v1/status';
const EXECUTE = '/api/v1/private/wallet/utility-bill-pay/execute';

const held = async () => (await env.admin.transactions(env.token)).transactions.length;
const paid = async () => (await env.admin.transactions(env.token)).payments.length;

/** The requests the page sent to `path` of the proxy (or of the shop, with `shop`). */
const sent = (requests, path, { shop = false } = {}) => requests.filter((r) => r.url === `${shop ? env.base : env.proxyUrl}${path}`);

/** Nothing the page sent holds a token, the key or a PIN, and everything went to the shop or the proxy. */
function assertClean(requests) {
  assert.ok(requests.length > 5, `checked ${requests.length} requests`);
  for (const r of requests) {
    const where = `${r.method} ${r.url}`;
    const text = [r.url, JSON.stringify(r.headers), r.body ?? ''].join('\n');
    for (const secret of [env.token, env.intentKey]) assert.ok(!text.includes(secret), `${where} holds a secret`);
    assert.equal(r.authorization, null, `${where} carries no Authorization`);
    assert.ok(!new URL(r.url).searchParams.has('pin'), `${where} has no PIN in its query`);
    if (r.body) assert.ok(!/"pin"/.test(r.body), `${where} has no PIN in its body`);
    assert.ok(
      r.url.startsWith(`${env.base}/`) || r.url.startsWith(`${env.proxyUrl}/`) || r.url.startsWith('data:'),
      `${where}: only the shop and the proxy`,
    );
  }
}

for (const lang of LANGS) {
  test(`shop (${lang}): a recharge signed by the shop and paid through the proxy, once, with no token`, async () => {
    const T = TEXT[lang];
    const before = await held();
    const { page, problems, requests, close } = await openPage(env, { query: { lang } });
    try {
      await expectText(page.locator('#notice'), T.noticeShop);
      await type(page.getByRole('textbox', { name: T.phone }), lang === 'bn' ? '০১৮১২৩৪৫৬৭৮' : '01812345678');
      await type(page.getByRole('textbox', { name: T.amount }), lang === 'bn' ? '৩০' : '30');
      await page.getByRole('button', { name: T.recharge, exact: true }).click();
      await expectText(panel(page).getByRole('status'), T.success);
      const steps = await panel(page).getByRole('listitem').allInnerTexts();
      assert.deepEqual(steps.map((s) => s.split(' — ')[0]), [T.pending, T.success], 'followed from Pending to Success');
      const refId = await definition(panel(page), T.refId).innerText();
      await shot(page, `shop-${lang}-recharge`);

      assert.equal(await held(), before + 1, 'exactly one transaction');
      const trx = (await env.admin.transactions(env.token)).transactions.at(-1);
      assert.deepEqual([trx.ref_id, trx.phone, Number(trx.amount), trx.trx_status], [refId, '01812345678', 30, 'Success']);
      assert.equal(sent(requests, '/intents', { shop: true }).length, 1, 'the shop signed it once');
      const [payment] = sent(requests, REQUEST);
      assert.ok(payment?.headers['bdpay-intent'], 'the payment carried its intent');
      const reads = sent(requests, STATUS).filter((r) => r.method === 'POST');
      assert.ok(reads.length >= 1, 'its status was followed');
      for (const r of reads) assert.equal(r.headers['bdpay-intent'], payment.headers['bdpay-intent'], 'each status read with the same intent');
      assertClean(requests);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`shop (${lang}): a bill read and signed by the shop, paid through the proxy with no PIN field`, async () => {
    const T = TEXT[lang];
    const before = await paid();
    const { page, problems, requests, close } = await openPage(env, { query: { lang }, hash: '#bill' });
    try {
      await page.getByRole('radio', { name: T.gas }).check();
      await page.getByRole('radio', { name: 'Bakhrabad Gas' }).check();
      await type(page.getByRole('textbox', { name: T.accountNo }), 'ACC12345');
      await type(page.getByRole('textbox', { name: T.mobileNo }), '01812345678');
      await page.getByRole('combobox', { name: T.billTypeField }).selectOption({ label: T.meter });
      await page.getByRole('button', { name: T.getBill }).click();
      await page.getByRole('heading', { name: T.summary }).waitFor();
      await expectText(panel(page), T.noPin);
      assert.equal(await page.getByLabel(T.pin).count(), 0, 'no PIN field');
      assert.equal(await page.locator('input[type=password]').count(), 0, 'no password field at all');
      const total = await definition(panel(page), T.total).innerText();
      await shot(page, `shop-${lang}-bill-summary`);

      await page.getByRole('button', { name: T.payTotal }).click();
      const receipt = await expectText(panel(page).getByRole('status'), T.receipt);
      assert.ok(receipt.includes(total), `the receipt shows the total (${total})`);
      await shot(page, `shop-${lang}-bill-paid`);

      assert.equal(await paid(), before + 1, 'exactly one bill payment');
      assert.equal(sent(requests, '/bill-intents', { shop: true }).length, 1, 'the shop read the bill and signed it');
      assert.equal(requests.filter((r) => r.url.includes('/utility-bill-pay/summary')).length, 0, 'the page asked for no summary itself');
      const [execute] = sent(requests, EXECUTE);
      assert.ok(execute?.headers['bdpay-intent'], 'the execute carried its intent');
      assert.deepEqual(Object.keys(JSON.parse(execute.body)), ['request_id'], 'and only the request_id');
      assertClean(requests);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test("shop: a package is paid at the gateway's price, which the shop looked up itself", async () => {
  const T = TEXT.en;
  const before = await held();
  const { page, problems, requests, close } = await openPage(env, { hash: '#packages' });
  try {
    await type(page.getByRole('textbox', { name: T.phone }), '01712345678');
    const choice = page.getByRole('radio', { name: /3 GB – 7 Days/ });
    await choice.check();
    await expectText(panel(page), 'Package 2: you pay ৳65.00.');
    const label = await choice.evaluate((el) => el.closest('label').textContent);
    assert.ok(label.includes('Price ৳65.00') && !label.includes(T.commission), `the price, and no merchant's commission: ${label}`);
    await page.getByRole('button', { name: T.buy }).click();
    await expectText(panel(page).getByRole('status'), T.success);
    await shot(page, 'shop-en-package');
    assert.equal(await held(), before + 1);
    const trx = (await env.admin.transactions(env.token)).transactions.at(-1);
    assert.deepEqual([trx.type, trx.package_id, trx.phone, Number(trx.amount)], ['data', 2, '01712345678', 65]);
    const intent = sent(requests, REQUEST)[0].headers['bdpay-intent'];
    const { readIntent } = await import('bdpay/server');
    assert.equal(readIntent(intent).spend, '65.00', "the intent spends the gateway's price");
    assertClean(requests);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

for (const lang of LANGS) {
  test(`shop (${lang}): an amount over the shop's own cap is refused by the shop, and nothing reaches the proxy`, async () => {
    const T = TEXT[lang];
    const before = await held();
    const { page, problems, requests, close } = await openPage(env, { query: { lang }, hash: '#mfs' });
    try {
      const amount = page.getByRole('textbox', { name: T.amount });
      await expectText(panel(page), T.mfsHint);
      await page.getByRole('radio', { name: T.bkash }).check();
      await type(page.getByRole('textbox', { name: T.walletNumber }), '01712345678');
      await type(amount, lang === 'bn' ? '৬০০০' : '6000');
      await page.getByRole('button', { name: T.send }).click();
      await expectInvalid(amount, T.shopCap);
      await shot(page, `shop-${lang}-over-cap`);
      assert.equal(sent(requests, '/intents', { shop: true }).length, 1, 'the shop was asked');
      assert.equal(sent(requests, REQUEST).length, 0, 'the proxy saw no payment');
      assert.equal(await held(), before);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('shop: a rate limit through the proxy is waited out, and the retry resends the same intent: one payment', async () => {
  const T = TEXT.en;
  const { page, problems, requests, close } = await openPage(env);
  try {
    await type(page.getByRole('textbox', { name: T.phone }), '01912345678');
    await type(page.getByRole('textbox', { name: T.amount }), '40');
    const before = await held();
    await env.admin.fault({ kind: 'rate_limit', secs: 2, path: REQUEST, token: env.token });
    const submit = page.getByRole('button', { name: T.recharge, exact: true });
    await submit.click();
    const text = await expectText(panel(page).getByRole('alert'), T.tooMany, T.nothingCharged);
    // The Worker sends Retry-After: 2. The page may say 2 s (if it can read
    // the header) or "a few seconds", but no other number.
    const secs = /try again in (\d+) s\./.exec(text);
    assert.ok(secs === null ? text.includes('in a few seconds') : Number(secs[1]) === 2, text);
    await shot(page, 'shop-en-rate-limited');
    await until(async () => !(await submit.isDisabled()), 'the button to be usable again', 15_000);
    await submit.click();
    await expectText(panel(page).getByRole('status'), T.success);
    assert.equal(await held(), before + 1, 'one more payment');
    assert.equal(sent(requests, '/intents', { shop: true }).length, 1, 'one intent for both attempts');
    const attempts = sent(requests, REQUEST);
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0].headers['bdpay-intent'], attempts[1].headers['bdpay-intent'], 'the same intent, so the same ref_id');
    assertClean(requests);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

for (const lang of LANGS) {
  test(`shop (${lang}): pressing Pay again after a success asks first; "Do not pay" sends nothing, "Pay again" pays once more`, async () => {
    const T = TEXT[lang];
    const { page, problems, requests, close } = await openPage(env, { query: { lang } });
    try {
      await type(page.getByRole('textbox', { name: T.phone }), '01912345671');
      await type(page.getByRole('textbox', { name: T.amount }), '40');
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      const before = await held();
      await submit.click();
      await expectText(panel(page).getByRole('status'), T.success);
      await until(async () => !(await submit.isDisabled()), 'Pay usable again');
      // The same order again: the customer is asked, and nothing is sent.
      await submit.click();
      const alert = panel(page).getByRole('alert');
      const said = await expectText(alert, T.repeatTitle, T.repeatSaid);
      if (lang === 'bn') {
        assertNoEnglish(said);
        assert.doesNotMatch(said, /[0-9]/, 'Bengali digits in Bangla, the number too');
      }
      assert.equal(await held(), before + 1, 'not paid again by the press');
      assert.equal(sent(requests, REQUEST).length, 1, 'nothing sent');
      await shot(page, `shop-${lang}-repeat`);
      await alert.getByRole('button', { name: T.dontPay }).click();
      assert.equal(await alert.isVisible(), false, 'the question goes');
      assert.equal(await held(), before + 1, 'still one payment');
      // Asked again, and this time meant: paid once more, once.
      await submit.click();
      await expectText(alert, T.repeatTitle);
      await alert.getByRole('button', { name: T.payAgain }).click();
      await until(async () => (await held()) === before + 2, 'the second payment');
      await expectText(panel(page).getByRole('status'), T.success);
      assert.equal(await held(), before + 2, 'exactly one more');
      assert.equal(sent(requests, REQUEST).length, 2, 'two payments sent in all');
      assertClean(requests);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

for (const lang of LANGS) {
  test(`shop (${lang}): a payment whose answer is lost while status cannot be read is said as unknown, then followed to Success by itself: never "try again", never a second payment`, async () => {
    const T = TEXT[lang];
    const { page, problems, requests, close } = await openPage(env, { query: { lang } });
    try {
      await type(page.getByRole('textbox', { name: T.phone }), '01712345670');
      await type(page.getByRole('textbox', { name: T.amount }), '60');
      const before = await held();
      // The payment commits but its answer is lost, and status cannot be read
      // while the client reconciles: the page knows only that it does not know.
      await env.admin.fault({ kind: 'drop_after_commit', path: REQUEST, token: env.token });
      await env.admin.fault({ kind: 'status', code: 503, phase: 'before', path: STATUS, token: env.token, count: 500 });
      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      const status = panel(page).getByRole('status');
      const said = await expectText(status, T.outcomeUnknown);
      assert.equal(await held(), before + 1, 'the payment did land');
      assert.equal(await submit.isDisabled(), true, 'Pay stays disabled while the outcome is unknown');
      const shown = await panel(page).innerText();
      assert.doesNotMatch(shown, T.tryAgain, 'never told to try again');
      assert.doesNotMatch(shown, new RegExp(T.nothingCharged), 'never told nothing was charged');
      if (lang === 'bn') assertNoEnglish(said);
      await shot(page, `shop-${lang}-outcome-unknown`);
      // Status answers again: the page shows the payment's end without a press.
      await env.admin.clearFaults();
      await expectText(status, T.success);
      assert.equal(await held(), before + 1, 'still one payment');
      assert.equal(sent(requests, REQUEST).length, 1, 'sent once');
      assert.equal(sent(requests, '/intents', { shop: true }).length, 1, 'one intent');
      assert.ok(sent(requests, STATUS).length >= 2, 'followed by status');
      await until(async () => !(await submit.isDisabled()), 'Pay usable again once final');
      assertClean(requests);
      assert.deepEqual(problems.filter((p) => !/503/.test(p)), []);
    } finally {
      await close();
    }
  });
}

test('the shop serves like production: compressed, the wasm under its hash cached for a year, the rest revalidated', async () => {
  const get = (path, headers = {}) => fetch(`${env.base}${path}`, { headers: { 'accept-encoding': 'br, gzip', ...headers } });
  const page = await get('/');
  assert.equal(page.headers.get('content-encoding'), 'br');
  assert.equal(page.headers.get('cache-control'), 'no-cache', 'the page names the hashed wasm: never cached for good');
  const html = await page.text();
  const wasmPath = /href="(\/pkg\/bdpay_clients_bg\.[0-9a-f]{16}\.wasm)"/.exec(html)?.[1];
  assert.ok(wasmPath, 'the page preloads the wasm by its hashed name');
  const module = await get('/pkg/clients-browser.js', { 'accept-encoding': 'gzip' });
  assert.equal(module.headers.get('content-encoding'), 'gzip');
  assert.equal(module.headers.get('cache-control'), 'no-cache');
  assert.ok((await module.text()).includes(`"./${wasmPath.slice(5)}"`), 'the module names the same file');
  const etag = module.headers.get('etag');
  const again = await get('/pkg/clients-browser.js', { 'accept-encoding': 'gzip', 'if-none-match': etag });
  assert.equal(again.status, 304, 'revalidated, not sent again');
  for (const encoding of ['br', 'gzip']) {
    const wasm = await fetch(`${env.base}${wasmPath}`, { headers: { 'accept-encoding': encoding } });
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal(wasm.headers.get('content-encoding'), encoding);
    assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(wasm.headers.get('vary'), 'accept-encoding');
    const sent = Number(wasm.headers.get('content-length'));
    const bytes = Buffer.from(await wasm.arrayBuffer()); // fetch decodes it
    assert.ok(WebAssembly.validate(bytes), 'a valid module once decoded');
    assert.ok(sent < bytes.length * 0.5, `${encoding}: ${sent} bytes sent for ${bytes.length}`);
  }
  const plain = await fetch(`${env.base}${wasmPath}`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null, 'no encoding the browser did not ask for');
  assert.equal((await get('/pkg/../server.js')).status, 404);
  assert.equal((await get('/pkg/bdpay_clients_bg.0000000000000000.wasm')).status, 404);

  // And the browser: one fetch of the hashed wasm, from the preload.
  const { requests, close } = await openPage(env);
  try {
    const wasms = requests.filter((r) => r.url.endsWith('.wasm')).map((r) => new URL(r.url).pathname);
    assert.deepEqual(wasms, [wasmPath]);
  } finally {
    await close();
  }
});

test('no log line of the sandbox, the proxy or the merchant server holds the token or the intent key', () => {
  assert.ok(env.logs.some((l) => l.startsWith('[proxy] bdpay-proxy POST /api/gateway/v1/request 200')), 'the proxy logged the payments');
  assert.ok(env.logs.some((l) => l.startsWith('[merchant server] POST /intents 200')), 'the shop logged its intents');
  for (const line of env.logs) {
    for (const secret of [env.token, env.intentKey]) assert.ok(!line.includes(secret), `a log line holds a secret: ${line.slice(0, 60)}`);
  }
});
