// The Recharge tab, typed like a person types: a partial number shows its
// error and the detected operator, the finished number clears it, the
// operator can be changed, and the payment is followed to its final status.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { definition, expectInvalid, expectNoErrorYet, expectText, expectValid, LANGS, leave, openPage, panel, shot, start, TEXT, type, until } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

// en types the +880 form and picks Skitto; bn types Bengali digits and keeps the detection.
const CASES = {
  en: { start: '+880 131', rest: '2-345678', canonical: '01312345678', pick: 'Skitto', code: 'SK', amount: ['5', '0'], sent: '50' },
  bn: { start: '০১৩১', rest: '২৩৪৫৬৭৮', canonical: '01312345678', pick: null, code: 'GP', amount: ['৭', '৫'], sent: '75' },
};

for (const lang of LANGS) {
  test(`recharge (${lang}): typed number, detected operator, live validation, Pending then Success`, async () => {
    const T = TEXT[lang];
    const c = CASES[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang } });
    try {
      const tab = page.getByRole('tab', { name: T.tabs[0], exact: true });
      assert.equal(await tab.getAttribute('aria-selected'), 'true');
      const phone = page.getByRole('textbox', { name: T.phone });
      const operator = page.getByRole('combobox', { name: T.operator });
      const amount = page.getByRole('textbox', { name: T.amount });
      assert.equal(await phone.getAttribute('aria-invalid'), null, 'no error before typing');

      await type(phone, c.start);
      // No error while the number is being typed: only once the field is left.
      await expectNoErrorYet(phone);
      await leave(phone);
      await expectInvalid(phone, T.invalidPhone);
      await expectText(panel(page), T.detected, T.skitto);
      assert.equal(await operator.inputValue(), 'GP', 'the select is pre-filled with the detection');
      const suggested = await operator.evaluate((s) => [...s.querySelector('optgroup').children].map((o) => o.textContent));
      assert.deepEqual(suggested, [T.gp, T.skitto], '013 offers Grameenphone and Skitto first');

      await type(amount, c.amount[0]);
      await expectNoErrorYet(amount);
      await leave(amount);
      await expectInvalid(amount, T.amountTooSmall);
      await shot(page, `recharge-${lang}-validation`);

      await type(phone, c.rest);
      await expectValid(phone, T.invalidPhone);
      await type(amount, c.amount[1]);
      await expectValid(amount, T.amountTooSmall);
      if (c.pick) {
        await operator.selectOption({ label: c.pick });
        // Typing more of the same number keeps a manual choice.
        await phone.press('End');
        await phone.press('Backspace');
        await type(phone, c.rest.slice(-1));
        assert.equal(await operator.inputValue(), c.code, 'the manual choice stays');
      }
      await shot(page, `recharge-${lang}-filled`);

      const submit = page.getByRole('button', { name: T.recharge, exact: true });
      await submit.click();
      assert.equal(await submit.isDisabled(), true, 'disabled while the payment is in flight');
      // A second submit (Enter in a field) while in flight sends nothing more.
      await amount.press('Enter');

      const status = panel(page).getByRole('status');
      await expectText(status, T.success);
      const steps = await panel(page).getByRole('listitem').allInnerTexts();
      assert.deepEqual(steps.map((s) => s.split(' — ')[0]), [T.pending, T.success], 'followed from Pending to Success');
      const trxId = await definition(panel(page), T.trxId).innerText();
      const refId = await definition(panel(page), T.refId).innerText();
      assert.match(trxId, /^TRX\d+$/);
      assert.match(refId, /^bdp-\d+-[0-9a-f]{16}$/);
      await until(async () => !(await submit.isDisabled()), 'the button to be enabled again');
      await shot(page, `recharge-${lang}-completed`);

      const held = (await env.admin.transactions(token)).transactions;
      assert.equal(held.length, 1, 'exactly one payment, whatever was pressed');
      assert.equal(held[0].trx_id, trxId);
      assert.equal(held[0].ref_id, refId);
      assert.equal(held[0].phone, c.canonical);
      assert.equal(Number(held[0].amount), Number(c.sent));
      assert.equal(held[0].trx_status, 'Success');
      assert.equal(held[0].operator_code, c.code);
      assert.equal(held[0].sub_type, 'Prepaid');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('recharge: a number ending in 99 is followed to Failed, with the reason', async () => {
  const T = TEXT.en;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token } });
  try {
    await type(page.getByRole('textbox', { name: T.phone }), '01812345699');
    await expectText(panel(page), 'Detected from the number: Robi.');
    await type(page.getByRole('textbox', { name: T.amount }), '20');
    await page.getByRole('button', { name: T.recharge, exact: true }).click();
    const status = panel(page).getByRole('status');
    await expectText(status, T.failed, T.unreachable);
    const steps = await panel(page).getByRole('listitem').allInnerTexts();
    assert.deepEqual(steps.map((s) => s.split(' — ')[0]), [T.pending, T.failed]);
    await shot(page, 'recharge-en-failed');
    const held = (await env.admin.transactions(token)).transactions;
    assert.deepEqual(held.map((t) => t.trx_status), ['Failed']);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('recharge: submitting an empty form marks every field and sends nothing', async () => {
  const T = TEXT.en;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token } });
  try {
    await page.getByRole('button', { name: T.recharge, exact: true }).click();
    await expectText(panel(page).getByRole('alert'), 'Please correct the 3 highlighted fields.');
    const phone = page.getByRole('textbox', { name: T.phone });
    await expectInvalid(phone, 'Phone number is required.');
    await expectInvalid(page.getByRole('combobox', { name: T.operator }), 'Operator is required.');
    await expectInvalid(page.getByRole('textbox', { name: T.amount }), 'Amount is required.');
    assert.equal(await phone.evaluate((el) => el === document.activeElement), true, 'focus on the first bad field');
    assert.equal((await env.admin.transactions(token)).transactions.length, 0);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
