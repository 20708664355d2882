// Focus and state, as a keyboard or screen-reader user meets them: the focus
// never falls to the top of the page when a button is disabled under it, and
// goes to the result when a payment ends; the last order's panels go when a
// new one starts; a required field is not flagged before it was asked; and
// numbers in Bangla are said in Bengali digits (an alert's count, the steps).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectText, LANGS, openPage, panel, shot, start, TEXT, type, until } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

/** What has the focus: `{ tag, text, onBody }`. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent.trim().slice(0, 60), onBody: !el || el === document.body };
  });

for (const lang of LANGS) {
  test(`recharge (${lang}): Pay from the keyboard keeps the focus while it goes, gives it to the result, and a new order clears the panel`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      await type(page.getByRole('textbox', { name: T.phone }), '01712345678');
      await type(page.getByRole('textbox', { name: T.amount }), '50');
      const pay = page.getByRole('button', { name: T.recharge, exact: true });
      await pay.focus();
      await page.keyboard.press('Enter');
      // While the payment goes the button is disabled: the focus is never on the page itself.
      const seen = [];
      await until(async () => {
        const f = await focused(page);
        seen.push(f);
        return (await panel(page).getByRole('status').innerText()).includes(T.success);
      }, 'the payment to end');
      assert.ok(seen.every((f) => !f.onBody), `the focus fell to the page: ${JSON.stringify(seen)}`);
      const heading = lang === 'bn' ? 'পেমেন্টের অবস্থা' : 'Payment status';
      assert.deepEqual(await focused(page), { tag: 'h3', text: heading, onBody: false }, 'the result has the focus');
      await until(async () => !(await pay.isDisabled()), 'Pay to be usable again');
      // The steps are numbered in the page's digits.
      const marker = await panel(page).locator('ol.steps').evaluate((ol) => getComputedStyle(ol).listStyleType);
      assert.equal(marker, lang === 'bn' ? 'bengali' : 'decimal');
      await shot(page, `focus-${lang}-result`);

      // A new order: the last one's result goes as soon as the customer edits.
      await type(page.getByRole('textbox', { name: T.amount }), '0');
      assert.equal(await panel(page).getByRole('status').count(), 0, 'the old status panel is gone');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('recharge (bn): an alert counts in Bengali digits, also after a switch of language', async () => {
  const { page, problems, close } = await openPage(env);
  try {
    await page.getByRole('button', { name: TEXT.en.recharge, exact: true }).click();
    await expectText(panel(page).getByRole('alert'), 'Please correct the 3 highlighted fields.');
    await page.getByRole('button', { name: 'বাংলা' }).click();
    await expectText(panel(page).getByRole('alert'), 'চিহ্নিত ৩টি ঘর ঠিক করুন।');
    // Required, in the words a Bangladeshi customer reads: typed fields "লিখুন", chosen ones "বেছে নিন".
    const text = await panel(page).innerText();
    for (const said of ['মোবাইল নম্বর লিখুন।', 'অপারেটর বেছে নিন।', 'টাকার পরিমাণ লিখুন।']) assert.ok(text.includes(said), said);
    assert.ok(!text.includes('দিতে হবে'), text);
    await shot(page, 'focus-bn-required');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

for (const lang of LANGS) {
  test(`packages (${lang}): another package type is not flagged as required before one is chosen`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang }, hash: '#packages' });
    try {
      await type(page.getByRole('textbox', { name: T.phone }), '01912345678');
      const packages = page.getByRole('radiogroup', { name: T.package, exact: true });
      await packages.getByRole('radio').first().check();
      await page.getByRole('radio', { name: T.drive }).check();
      await packages.getByRole('radio').first().waitFor();
      assert.equal(await packages.getAttribute('aria-invalid'), null, 'the drive list is not flagged');
      assert.ok(!(await panel(page).innerText()).includes(T.packageRequired));
      // After a Buy without a package, a new list is a new question too.
      await page.getByRole('button', { name: T.buy }).click();
      await until(async () => (await packages.getAttribute('aria-invalid')) === 'true', 'the package flagged after Buy');
      await page.getByRole('radio', { name: T.data }).check();
      await packages.getByRole('radio').first().waitFor();
      assert.equal(await packages.getAttribute('aria-invalid'), null, 'the data list, asked anew, is not flagged');
      assert.equal(await panel(page).getByRole('alert').isVisible(), false, '"correct the highlighted field" goes with the last highlight');
      await shot(page, `focus-${lang}-package-type-switched`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

for (const lang of LANGS) {
  test(`bill (${lang}): a "Get the bill" error leaves the focus on its button; a payment gives it to the receipt`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account({ pin: '1234' });
    const { page, problems, close } = await openPage(env, { query: { token, lang }, hash: '#bill' });
    try {
      await page.getByRole('radio', { name: T.water }).check();
      await page.getByRole('radio', { name: 'Chattogram WASA' }).check();
      await type(page.getByRole('textbox', { name: T.billNo }), '404123');
      const get = page.getByRole('button', { name: T.getBill });
      await get.focus();
      await page.keyboard.press('Enter');
      await expectText(panel(page).getByRole('alert'), T.refused);
      const f = await focused(page);
      assert.equal(f.onBody, false, 'not on the page');
      assert.equal(f.text, T.getBill, 'back on Get the bill');

      // A bill that exists, paid: the receipt takes the focus, in the page's words.
      await page.getByRole('textbox', { name: T.billNo }).fill('');
      await type(page.getByRole('textbox', { name: T.billNo }), '123456');
      await get.click();
      await page.getByRole('heading', { name: T.summary }).waitFor();
      await type(page.getByLabel(T.pin, { exact: true }), '1234');
      await page.getByRole('button', { name: T.payTotal }).focus();
      await page.keyboard.press('Enter');
      await expectText(panel(page).getByRole('status'), T.receipt);
      assert.deepEqual(await focused(page), { tag: 'h3', text: T.receiptHeading, onBody: false }, 'the receipt has the focus');
      const status = await panel(page).getByRole('status').innerText();
      assert.match(status, lang === 'bn' ? /^বিল পরিশোধ হয়েছে: ৳[০-৯,]+\.[০-৯]{2}$/ : /^Bill paid: ৳[\d,]+\.\d\d$/);
      await page.getByRole('button', { name: lang === 'bn' ? 'আরেকটি বিল পরিশোধ করুন' : 'Pay another bill' }).waitFor();
      await shot(page, `focus-${lang}-bill-receipt`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}
