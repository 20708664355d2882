// The built package imported by a plain page (no bundler) in headless Chromium:
// a tiny static server on 127.0.0.1 serves pkg/ at /pkg/ and the page at /,
// and playwright-core drives Debian's /usr/bin/chromium (never a downloaded browser).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { root, servePkg } from './serve.mjs';

const page = readFileSync(new URL('./index.html', import.meta.url));

// How the wasm is served, changed by a test: its Content-Type, or a 404.
let wasmAnswer = { type: 'application/wasm' };
let env;
let browser;
let origin;
let served;

before(async () => {
  env = await servePkg(page, { wasm: () => wasmAnswer });
  ({ browser, origin, served } = env);
});

after(() => env?.close());

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
