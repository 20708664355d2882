// The page through a proxy (?api=<URL>): it sends no token at all, the proxy
// adds it, and a payment still goes through. The proxy here is a few lines of
// Node on another port (so the calls are cross-origin, as they would be to a
// Worker), standing in for the Workers proxy of a later issue.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { expectText, openPage, panel, start, TEXT, type } from './support.mjs';

let env;
let proxy;
let proxyUrl;
let proxyToken;
const seen = [];

before(async () => {
  env = await start();
  proxyToken = await env.admin.account();
  proxy = createServer(async (req, res) => {
    const cors = {
      'access-control-allow-origin': env.base,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
      'access-control-expose-headers': 'retry-after',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    seen.push({ path: req.url.split('?')[0], authorization: req.headers.authorization ?? null });
    const upstream = await fetch(env.base + req.url, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: `Bearer ${proxyToken}` },
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    res
      .writeHead(upstream.status, { ...cors, 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
      .end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
});
after(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await env?.stop();
});

test('with ?api= the page sends no token, says so, and pays through the proxy', async () => {
  const T = TEXT.en;
  const { page, problems, close } = await openPage(env, { query: { api: proxyUrl } });
  try {
    const direct = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${env.base}/api/`)) direct.push(r.url());
    });
    await expectText(page.getByText('through a proxy'), `Connected to ${proxyUrl} through a proxy: this page holds no token.`);
    await type(page.getByRole('textbox', { name: T.phone }), '01812345678');
    await type(page.getByRole('textbox', { name: T.amount }), '30');
    await page.getByRole('button', { name: T.recharge, exact: true }).click();
    await expectText(panel(page).getByRole('status'), T.success);

    // The bill tab loads its billers through the proxy too.
    await page.getByRole('tab', { name: T.tabs[3] }).click();
    await page.getByRole('radio', { name: T.gas }).waitFor();

    assert.ok(seen.some((s) => s.path === '/api/gateway/v1/request'), 'the payment went through the proxy');
    assert.ok(seen.some((s) => s.path.endsWith('/utility/billers')), 'and the billers');
    assert.deepEqual(seen.filter((s) => s.authorization !== null), [], 'no request from the page carried a token');
    assert.deepEqual(direct, [], 'nothing went to the API around the proxy');
    const held = (await env.admin.transactions(proxyToken)).transactions;
    assert.equal(held.length, 1, "paid on the proxy's account");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
