// The package README's proxy section, held to the code: its "Your own Worker"
// snippet runs in workerd as written, its settings table lists exactly the
// bindings that worker.js reads, and its refusal table every refusal. And the
// project README's local steps: the Worker with examples/worker's
// .dev.vars.example in front of the sandbox, paid by its curl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startSandbox } from '../clients/sandbox.mjs';
import { EXAMPLE, INTENT_KEY, PATHS, Record, exampleVars, intentFor, post, resolveWorker, root, sandboxAdmin, startProxy } from './harness.mjs';

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

test("the README's refusal table names every refusal the proxy gives", () => {
  const rust = readFileSync(path.join(root, 'crates/proxy/src/refusal.rs'), 'utf8');
  const codes = [...new Set([...rust.matchAll(/\(Refusal::\w+, \d+, "([a-z_]+)"/g)].map((m) => m[1]))];
  assert.ok(codes.length >= 25, `read ${codes.length} refusals from refusal.rs`);
  const checks = section('### What it checks').split('\n### ')[0];
  const missing = [...codes, 'proxy_failed'].filter((code) => !checks.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
});

test("the README's local steps run as written: .dev.vars.example in front of the sandbox, paid by its curl", async () => {
  const project = readFileSync(path.join(root, 'README.md'), 'utf8');
  const local = project.slice(project.indexOf('**Run it locally'));
  const [steps, byHand] = [...local.matchAll(/```sh\n([\s\S]*?)```/g)].slice(0, 2).map((m) => m[1]);
  assert.match(steps, /cargo run --release -p bdpay-sandbox/);
  assert.match(steps, /cp \.dev\.vars\.example \.dev\.vars/);
  assert.match(readFileSync(path.join(EXAMPLE, '.gitignore'), 'utf8'), /^\.dev\.vars$/m, '.dev.vars stays out of git');
  // What `wrangler dev` gives the Worker: wrangler.toml's [vars], then .dev.vars over them.
  const devVars = Object.fromEntries(
    readFileSync(path.join(EXAMPLE, '.dev.vars.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.equal(devVars.BDPAY_UPSTREAM_URL, 'http://127.0.0.1:8282', "the sandbox's address as terminal 1 starts it");
  // The sandbox of this test listens on a free port (8282 may be taken here); the rest is as written.
  const own = await startSandbox();
  const localRecord = new Record();
  const worker = await startProxy(localRecord, { bindings: { ...exampleVars(), ...devVars, BDPAY_UPSTREAM_URL: own.url } });
  try {
    // The intent, by the README's node command, run as written where bdpay resolves.
    const script = /node --input-type=module -e "([\s\S]*?)"\)/.exec(byHand)[1];
    assert.ok(script.includes(devVars.BDPAY_INTENT_KEY), "it signs with .dev.vars.example's key");
    const intent = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim();
    // The curl, as a fetch: its path on the Worker's address, its headers, its body.
    const target = /curl -s http:\/\/127\.0\.0\.1:8787(\S+)/.exec(byHand)[1];
    const body = /-d '([^']*)'/.exec(byHand)[1];
    const headers = Object.fromEntries(
      [...byHand.matchAll(/-H ['"]([^:'"]+): ([^'"]+)['"]/g)].map(([, k, v]) => [k, v.replace('$INTENT', intent)]),
    );
    const paid = await worker.fetch(target, { method: 'POST', headers, body });
    const answer = JSON.parse(await paid.text());
    assert.equal(paid.status, 200, JSON.stringify(answer));
    const { readIntent } = await import('bdpay/clients');
    assert.equal(answer.status, true, JSON.stringify(answer));
    assert.equal(answer.ref_id, readIntent(intent).ref_id, "the intent's ref_id went upstream");
    assert.match(answer.trx_id, /\S/);
    // The same body without the header: refused at the edge.
    const { 'bdpay-intent': _, ...bare } = headers;
    const refused = await worker.fetch(target, { method: 'POST', headers: bare, body });
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(await refused.text()).code, 'intent_required');
    localRecord.assertNothingHolds([devVars.BDPAY_TOKEN, devVars.BDPAY_INTENT_KEY]);
  } finally {
    await worker.stop();
    await own.stop();
  }
});
