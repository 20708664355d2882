// The Data / Drive packages tab: the operator detected from the number picks
// the packages shown (with price and commission), a package must be chosen,
// and the bought package is followed to its final status.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { definition, expectInvalid, expectNoErrorYet, expectText, expectValid, LANGS, leave, openPage, panel, shot, start, TEXT, type, until } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

// en: +880 form, Grameenphone data. bn: Bengali digits, Banglalink drive.
const CASES = {
  en: {
    start: '+880 17',
    rest: '12-345678',
    canonical: '01712345678',
    operator: 'GP',
    name: 'Grameenphone',
    kind: null,
    listed: ['1 GB – 30 Days', '3 GB – 7 Days', '10 GB – 30 Days'],
    pick: '3 GB – 7 Days',
    price: 'Price ৳65.00 · your commission ৳2.00',
    chosen: 'Package 2: you pay ৳65.00, your commission is ৳2.00.',
    id: 2,
    type: 'data',
  },
  bn: {
    start: '০১৯',
    rest: '১২৩৪৫৬৭৮',
    canonical: '01912345678',
    operator: 'BL',
    name: 'বাংলালিংক',
    kind: 'drive',
    listed: ['Drive 15 GB – 30 Days'],
    pick: 'Drive 15 GB – 30 Days',
    price: 'দাম ৳৩৪৯.০০ · আপনার কমিশন ৳১৩.০০',
    chosen: 'প্যাকেজ ২৩: আপনি দেবেন ৳৩৪৯.০০, আপনার কমিশন ৳১৩.০০।',
    id: 23,
    type: 'drive',
  },
};

for (const lang of LANGS) {
  test(`packages (${lang}): detected operator's packages with price and commission, one bought and settled`, async () => {
    const T = TEXT[lang];
    const c = CASES[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang }, hash: '#packages' });
    try {
      assert.equal(await page.getByRole('tab', { name: T.tabs[1] }).getAttribute('aria-selected'), 'true', '#packages opens the tab');
      const phone = page.getByRole('textbox', { name: T.phone });
      const operator = page.getByRole('combobox', { name: T.operator });
      const packages = page.getByRole('radiogroup', { name: T.package, exact: true });

      await type(phone, c.start);
      await expectNoErrorYet(phone);
      await leave(phone);
      await expectInvalid(phone, T.invalidPhone);
      await until(async () => (await operator.inputValue()) === c.operator, `the operator ${c.operator} detected`);
      if (c.kind) await page.getByRole('radio', { name: T.drive }).check();
      // Each package is a radio named by its name, price and commission.
      for (const name of c.listed) await packages.getByRole('radio', { name }).waitFor();
      const choice = packages.getByRole('radio', { name: c.pick });
      assert.ok((await choice.evaluate((el) => el.closest('label').textContent)).includes(c.price), 'price and commission shown');
      const shown = await packages.getByRole('radio').count();
      assert.equal(shown, c.listed.length, `only ${c.type} packages of ${c.operator}`);

      // Buying before choosing: the package group is marked.
      await type(phone, c.rest);
      await expectValid(phone, T.invalidPhone);
      await page.getByRole('button', { name: T.buy }).click();
      await expectInvalid(packages, T.packageRequired);
      await shot(page, `packages-${lang}-validation`);

      await choice.check();
      await expectValid(packages, T.packageRequired);
      await expectText(packages, c.chosen);
      await shot(page, `packages-${lang}-filled`);

      const buy = page.getByRole('button', { name: T.buy });
      await buy.click();
      assert.equal(await buy.isDisabled(), true, 'disabled while in flight');
      await expectText(panel(page).getByRole('status'), T.success);
      const steps = await panel(page).getByRole('listitem').allInnerTexts();
      assert.deepEqual(steps.map((s) => s.split(' — ')[0]), [T.pending, T.success]);
      const trxId = await definition(panel(page), T.trxId).innerText();
      assert.match(await definition(panel(page), T.refId).innerText(), /^bdp-/);
      await shot(page, `packages-${lang}-completed`);

      const held = (await env.admin.transactions(token)).transactions;
      assert.equal(held.length, 1);
      assert.equal(held[0].trx_id, trxId);
      assert.equal(held[0].type, c.type);
      assert.equal(held[0].package_id, c.id);
      assert.equal(held[0].operator_code, c.operator);
      assert.equal(held[0].phone, c.canonical);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('packages: changing the operator or the type reloads the list', async () => {
  const T = TEXT.en;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token }, hash: '#packages' });
  try {
    const packages = page.getByRole('radiogroup', { name: T.package, exact: true });
    await expectText(packages, 'Enter the number or choose an operator to see its packages.');
    await page.getByRole('combobox', { name: T.operator }).selectOption({ label: T.robi });
    await packages.getByRole('radio', { name: '2 GB – 7 Days' }).waitFor();
    await page.getByRole('radio', { name: T.drive }).check();
    await packages.getByRole('radio', { name: 'Drive 6 GB – 7 Days' }).waitFor();
    assert.equal(await packages.getByRole('radio').count(), 1);
    // A number of another operator takes over from the manual choice.
    await type(page.getByRole('textbox', { name: T.phone }), '0171');
    await packages.getByRole('radio', { name: 'Drive 20 GB – 30 Days' }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: T.operator }).inputValue(), 'GP');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

