// The same client scenarios inside headless Chromium (Debian's), against a
// sandbox that serves the scenario page, /pkg/ and the APIs on one origin.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { launchChromium } from '../clients/chromium.mjs';
import { startSandbox } from '../clients/sandbox.mjs';

const sandbox = await startSandbox(['--www', 'tests/clients', '--pkg', 'pkg']);
const browser = await launchChromium();
after(async () => {
  await browser.close();
  await sandbox.stop();
});

const page = await browser.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(String(e)));
await page.goto(`${sandbox.url}/index.html`);
await page.waitForFunction(() => Array.isArray(window.__results), null, { timeout: 240_000 });
const results = await page.evaluate(() => window.__results);

test('the page ran without uncaught errors', () => {
  assert.deepEqual(problems, []);
  assert.ok(results.length >= 10, `ran ${results.length} scenarios`);
});

for (const r of results) {
  test(`chromium: ${r.name}`, () => {
    assert.ok(r.ok, r.error);
  });
}
