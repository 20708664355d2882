// The built package imported by a plain page (no bundler) in headless Chromium:
// a tiny static server on 127.0.0.1 serves pkg/ at /pkg/ and the page at /,
// and playwright-core drives Debian's /usr/bin/chromium (never a downloaded browser).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../clients/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = realpathSync(path.join(root, 'pkg'));
const page = readFileSync(new URL('./index.html', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

const served = [];
// How the wasm is served, changed by a test: its Content-Type, or a 404.
let wasmAnswer = { type: 'application/wasm' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  served.push(url.pathname);
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  const name = url.pathname.startsWith('/pkg/') ? url.pathname.slice('/pkg/'.length) : '';
  const wasm = path.extname(name) === '.wasm';
  const type = wasm ? wasmAnswer.type : TYPES[path.extname(name)];
  if (wasm && wasmAnswer.status) {
    res.writeHead(wasmAnswer.status).end();
    return;
  }
  if (!/^[\w.-]+$/.test(name) || !type) {
    res.writeHead(404).end();
    return;
  }
  try {
    res.writeHead(200, { 'content-type': type }).end(readFileSync(path.join(pkgDir, name)));
  } catch {
    res.writeHead(404).end();
  }
});

let browser;
let origin;

before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server.close();
});

test('a page imports normalizePhone from /pkg/browser.js, awaits ready and shows the result', async () => {
  const tab = await browser.newPage();
  const problems = [];
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  await tab.goto(`${origin}/`);
  await tab.waitForSelector('body[data-ready="yes"]', { timeout: 15_000 });

  assert.equal(await tab.textContent('#early'), 'true not_ready not_ready true true');
  assert.equal(await tab.textContent('#phone'), '01712345678');
  assert.equal(await tab.textContent('#operator'), 'Grameenphone');
  assert.equal(await tab.textContent('#amount'), '100.50');
  assert.equal(
    await tab.textContent('#error'),
    '০১১ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।',
  );
  // No warning either: a wrong MIME type would make the glue fall back with one.
  assert.deepEqual(problems, []);
  assert.ok(served.includes('/pkg/bdpay_bg.wasm'), `served: ${served.join(' ')}`);

  const artifacts = path.join(root, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  await tab.screenshot({ path: path.join(artifacts, 'browser-import.png') });
  await tab.close();
});

test('the wasm loads when the server does not say application/wasm, and a missing one rejects ready', async () => {
  const tab = await browser.newPage();
  const warnings = [];
  tab.on('console', (m) => warnings.push(`${m.type()}: ${m.text()}`));
  await tab.goto(`${origin}/`);
  await tab.waitForSelector('body[data-ready="yes"]', { timeout: 15_000 });
  // A fresh module URL per case (`?n`), so each evaluates and loads again.
  const load = (n) =>
    tab.evaluate(async (url) => {
      const m = await import(url);
      try {
        await m.ready;
        return `ready ${m.normalizePhone('০১৭১২৩৪৫৬৭৮')}`;
      } catch (e) {
        let after;
        try {
          m.normalizePhone('01712345678');
        } catch (e2) {
          after = `${e2.code} ${e2.cause === e}`;
        }
        return `rejected ${/HTTP 404/.test(e.message)} ${after}`;
      }
    }, `/pkg/browser.js?${n}`);
  try {
    wasmAnswer = { type: 'application/octet-stream' };
    assert.equal(await load(1), 'ready 01712345678');
    wasmAnswer = { type: 'application/wasm', status: 404 };
    assert.equal(await load(2), 'rejected true not_ready true');
  } finally {
    wasmAnswer = { type: 'application/wasm' };
  }
  assert.deepEqual(warnings.filter((w) => !w.includes('404')), []);
  await tab.close();
});
