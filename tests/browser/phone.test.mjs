// `<bdpay-phone>` and `bindPhoneInput` on a plain page that imports
// /pkg/browser.js (no bundler, no framework), in headless Chromium: the
// element makes or takes its input, names the operator in its page's
// language, says the library's error only when fair, with aria-invalid and
// aria-describedby; a wallet field takes Rocket's 12 digits; defining twice
// is harmless; a detached input is taken; axe-core finds nothing serious.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { root, servePkg } from './serve.mjs';

const html = readFileSync(new URL('./phone.html', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env;
let browser;
let origin;
before(async () => {
  env = await servePkg(html);
  ({ browser, origin } = env);
});
after(() => env?.close());

async function open() {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 15_000 });
  return { page, problems };
}

const state = (page, id) =>
  page.evaluate((id) => {
    const el = document.getElementById(id);
    const input = el.querySelector('input');
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return {
      value: input.value,
      number: el.number ?? null,
      operator: el.querySelector('.bdpay-phone-operator').textContent,
      error: el.error?.code ?? null,
      shown: el.querySelector('.bdpay-phone-error').hidden ? null : el.querySelector('.bdpay-phone-error').textContent,
      invalid: input.getAttribute('aria-invalid'),
      described: ids.map((i) => document.getElementById(i)?.textContent ?? `(missing ${i})`),
      inputmode: input.getAttribute('inputmode'),
      autocomplete: input.getAttribute('autocomplete'),
    };
  }, id);

test('<bdpay-phone> makes a labelled tel input, names the operator as it is typed, and says its error when it is fair', async () => {
  const { page, problems } = await open();
  assert.deepEqual(await page.evaluate(() => window.defined), ['bdpay-phone', 'bdpay-phone'], 'defining twice is harmless');
  const input = page.getByRole('textbox', { name: 'Mobile number' });
  await input.click();
  await page.keyboard.type('0131');
  let s = await state(page, 'made');
  assert.equal(s.value, '0131');
  assert.equal(s.operator, 'Operator: Grameenphone (or Skitto: numbers can be ported).');
  assert.deepEqual([s.error, s.shown, s.invalid], [null, null, null], 'no error while typing');
  assert.deepEqual([s.inputmode, s.autocomplete], ['tel', 'tel']);
  await page.keyboard.press('Tab');
  s = await state(page, 'made');
  assert.deepEqual([s.error, s.invalid], ['invalid_phone', 'true'], 'left unfinished');
  assert.equal(s.shown, 'Enter an 11-digit Bangladeshi mobile number, like 01712345678.');
  assert.equal(s.described[0], s.shown, 'the error is read first');
  await input.click();
  await page.keyboard.press('End');
  await page.keyboard.type('2345678');
  s = await state(page, 'made');
  assert.deepEqual([s.value, s.number, s.error, s.invalid], ['01312-345678', '01312345678', null, null]);
  assert.equal(await page.evaluate(() => new FormData(document.getElementById('form')).get('phone')), '01312-345678', 'the input is the form’s');
  assert.deepEqual(problems, []);
  mkdirSync(path.join(root, 'test-artifacts/screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'test-artifacts/screenshots/element-en.png'), fullPage: true });
  await page.close();
});

test('<bdpay-phone> in a Bangla page speaks Bangla and keeps Bengali digits; an unused prefix is said', async () => {
  const { page, problems } = await open();
  const input = page.getByRole('textbox', { name: 'মোবাইল নম্বর' });
  await input.click();
  await page.keyboard.type('০১১১২৩৪৫৬৭');
  let s = await state(page, 'bangla');
  assert.equal(s.value, '০১১১২-৩৪৫৬৭');
  assert.equal(s.operator, '০১১ দিয়ে শুরু হওয়া নম্বর কোনো অপারেটর ব্যবহার করে না।');
  assert.equal(s.shown, null);
  await page.keyboard.type('৮');
  s = await state(page, 'bangla');
  assert.equal(s.shown, '০১১ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।', 'whole: the error, at once');
  assert.equal(s.operator, '', 'and the hint does not say it twice');
  assert.equal(s.invalid, 'true');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('০১৬১২৩৪৫৬৭৮');
  s = await state(page, 'bangla');
  assert.deepEqual([s.value, s.number, s.shown], ['০১৬১২-৩৪৫৬৭৮', '01612345678', null]);
  assert.equal(s.operator, 'অপারেটর: এয়ারটেল (নম্বর পোর্ট করা হলে রবি-ও হতে পারে)।');
  assert.deepEqual(problems, []);
  await page.screenshot({ path: path.join(root, 'test-artifacts/screenshots/element-bn.png'), fullPage: true });
  await page.close();
});

test('a wallet field takes Rocket’s 12 digits; the bare controller, a detached input and a form reset are handled', async () => {
  const { page, problems } = await open();
  await page.getByRole('textbox', { name: 'Rocket wallet' }).click();
  await page.keyboard.type('017123456789');
  let s = await state(page, 'rocket');
  assert.deepEqual([s.value, s.number, s.error], ['01712-345678-9', '017123456789', null]);
  await page.evaluate(() => document.getElementById('rocket').setAttribute('wallet', 'BK'));
  s = await state(page, 'rocket');
  assert.equal(s.error, 'invalid_wallet', 'bKash takes 11 digits: the field says so when its wallet changes');
  assert.equal(s.shown, 'Enter the wallet number: 11 digits.');

  await page.getByRole('textbox', { name: 'Plain input' }).click();
  await page.keyboard.type('8801912345678');
  assert.deepEqual(await page.evaluate(() => [plain.value, plain.number, plain.operator.code]), ['01912-345678', '01912345678', 'BL']);
  assert.deepEqual(await page.evaluate(() => [loose.value, loose.number]), ['01812-345678', '01812345678'], 'a detached input');
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.waitForFunction(() => plain.value === '' && plain.number === undefined);
  assert.deepEqual(problems, []);
  await page.close();
});

test('axe-core finds no serious or critical violation on the page, blank or with errors shown', async () => {
  const { page } = await open();
  const run = async () => {
    await page.addScriptTag({ path: AXE });
    const found = await page.evaluate(async () => (await window.axe.run(document)).violations);
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);
  };
  assert.deepEqual(await run(), []);
  await page.getByRole('textbox', { name: 'Mobile number' }).click();
  await page.keyboard.type('017');
  await page.keyboard.press('Tab');
  await page.getByRole('textbox', { name: 'মোবাইল নম্বর' }).click();
  await page.keyboard.type('01012345678');
  assert.deepEqual(await run(), []);
  await page.close();
});
