// The package README's proxy section, held to the code: its "Your own Worker"
// snippet runs in workerd as written, and its settings table lists exactly
// the bindings that worker.js reads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startSandbox } from '../clients/sandbox.mjs';
import { INTENT_KEY, PATHS, Record, exampleVars, intentFor, post, resolveWorker, sandboxAdmin, startProxy } from './harness.mjs';

const pkgDir = path.dirname(resolveWorker(['workerd']));
const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
const section = (title) => {
  const at = readme.indexOf(title);
  assert.ok(at >= 0, `the README has "${title}"`);
  return readme.slice(at);
};
const record = new Record();
let sandbox;
let token;
let proxy;

before(async () => {
  sandbox = await startSandbox();
  token = await sandboxAdmin(sandbox.url).account({ rate_limit: false });
  const snippet = /```js\n([\s\S]*?)```/.exec(section('### Your own Worker'))[1];
  proxy = await startProxy(record, {
    script: snippet,
    bindings: { ...exampleVars(), BDPAY_UPSTREAM_URL: sandbox.url, BDPAY_TOKEN: token, BDPAY_INTENT_KEY: INTENT_KEY },
  });
});

after(async () => {
  await proxy?.stop();
  await sandbox?.stop();
});

test('the "Your own Worker" snippet runs as written: its own route, its maxAmount, the proxy for the rest', async () => {
  const health = await proxy.fetch('/health', { method: 'GET' });
  assert.equal(await health.text(), 'ok');
  const origin = 'https://shop.example.com';
  const pay = (body) => post(body, { origin, intent: intentFor(body) });
  const over = await proxy.fetch(PATHS.request, pay({ type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 2500 }));
  assert.equal(over.status, 422);
  assert.match(JSON.parse(await over.text()).field_errors[0].message, /2,?000\.00/);
  const unsigned = await proxy.fetch(PATHS.request, post({ type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 2000 }, { origin }));
  assert.equal(unsigned.status, 403, 'no intent, no payment');
  const ok = await proxy.fetch(PATHS.request, pay({ type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 2000 }));
  assert.equal(ok.status, 200, await ok.clone().text());
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(record.proxyLines().some((l) => /^bdpay-proxy POST \/api\/gateway\/v1\/request 200 forwarded \d+ms$/.test(l)));
  record.assertNothingHolds([token, INTENT_KEY]);
});

test("the README's intent snippets run as written: the server's createIntent, the page's request({ intent })", async () => {
  const [server, page] = [...section('### Payment intents').matchAll(/```js\n([\s\S]*?)```/g)].slice(0, 2).map((m) => m[1]);
  const { createIntent } = await import('bdpay/server');
  const { GatewayClient, ready } = await import('bdpay/clients');
  const order = { id: 'ORD-README-1', phone: '01712345678', amount: 100 };
  const process = { env: { BDPAY_INTENT_KEY: INTENT_KEY } };
  const intent = new Function('createIntent', 'order', 'process', `${server.replace(/^import .*$/m, '')}; return intent;`)(createIntent, order, process);
  const body = page.replace(/^import .*$/m, '').replace('https://bdpay-proxy.example.workers.dev', proxy.url);
  const run = new Function('GatewayClient', 'ready', 'intent', `return (async () => { ${body}; return final; })();`);
  const final = await run(GatewayClient, ready, intent);
  assert.equal(final.ref_id, 'ORD-README-1');
  assert.ok(['Success', 'Failed'].includes(final.trx_status));
});

test("the README's settings table lists exactly the bindings worker.js reads", () => {
  const code = readFileSync(path.join(pkgDir, 'worker.js'), 'utf8');
  const read = [...new Set(code.match(/'BDPAY_[A-Z_]+'/g).map((s) => s.slice(1, -1)))].sort();
  const table = section('### Settings').split('\n### ')[0];
  const listed = [...new Set(table.match(/`BDPAY_[A-Z_]+`/g).map((s) => s.slice(1, -1)))].sort();
  assert.deepEqual(listed, read);
  const types = readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8');
  const env = /export interface ProxyEnv \{([\s\S]*?)\n\}/.exec(types)[1];
  assert.deepEqual([...new Set(env.match(/BDPAY_[A-Z_]+/g))].sort(), read, 'and ProxyEnv types them all');
});
