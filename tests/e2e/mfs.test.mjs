// The MFS transfer tab: bKash, Nagad and Rocket; Rocket alone takes a
// 12-digit account; the transfer is followed to Success, or to Failed for a
// number ending in 99.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { definition, expectInvalid, expectNoErrorYet, expectText, expectValid, leave, openPage, panel, shot, start, TEXT, type } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

test('mfs (en): a 12-digit account is refused for bKash, accepted for Rocket, and settles', async () => {
  const T = TEXT.en;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token }, hash: '#mfs' });
  try {
    const wallet = page.getByRole('radiogroup', { name: T.wallet, exact: true });
    const names = await wallet.getByRole('radio').evaluateAll((els) => els.map((e) => e.closest('label').textContent));
    assert.deepEqual(names, [T.bkash, T.nagad, T.rocket]);
    await page.getByRole('radio', { name: T.bkash }).check();
    const number = page.getByRole('textbox', { name: T.walletNumber });
    await type(number, '017-1234-5678-9');
    // Twelve digits are more than a bKash wallet has: the error shows at once, as the number is whole.
    assert.equal(await number.inputValue(), '01712-345678-9');
    await expectInvalid(number, T.wallet11);
    await expectText(panel(page), T.network);
    const amount = page.getByRole('textbox', { name: T.amount });
    await type(amount, '5');
    await expectNoErrorYet(amount);
    await leave(amount);
    await expectInvalid(amount, T.amountTooSmall);
    await shot(page, 'mfs-en-validation');

    await page.getByRole('radio', { name: T.rocket }).check();
    await expectValid(number, T.wallet11);
    await type(amount, '00');
    await expectValid(amount, T.amountTooSmall);
    await shot(page, 'mfs-en-filled');

    const send = page.getByRole('button', { name: T.send });
    await send.click();
    assert.equal(await send.isDisabled(), true);
    await expectText(panel(page).getByRole('status'), T.success);
    const steps = await panel(page).getByRole('listitem').allInnerTexts();
    assert.deepEqual(steps.map((s) => s.split(' — ')[0]), [T.pending, T.success]);
    const trxId = await definition(panel(page), T.trxId).innerText();
    await shot(page, 'mfs-en-completed');

    const held = (await env.admin.transactions(token)).transactions;
    assert.equal(held.length, 1);
    assert.equal(held[0].trx_id, trxId);
    assert.equal(held[0].operator_code, 'RK');
    assert.equal(held[0].phone, '017123456789', "Rocket's 12-digit account, canonical");
    assert.equal(Number(held[0].amount), 500);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('mfs (bn): Bengali digits to Nagad, a number ending in 99 is followed to Failed', async () => {
  const T = TEXT.bn;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token, lang: 'bn' }, hash: '#mfs' });
  try {
    await page.getByRole('radio', { name: T.nagad }).check();
    const number = page.getByRole('textbox', { name: T.walletNumber });
    await type(number, '০১৭১২৩');
    await expectNoErrorYet(number);
    await leave(number);
    await expectInvalid(number, T.wallet11);
    await expectText(panel(page), T.network);
    const amount = page.getByRole('textbox', { name: T.amount });
    await type(amount, '৫');
    await leave(amount);
    await expectInvalid(amount, T.amountTooSmall);
    await shot(page, 'mfs-bn-validation');

    await type(number, '৪৫৬৯৯');
    await expectValid(number, T.wallet11);
    await type(amount, '০০');
    await expectValid(amount, T.amountTooSmall);
    await shot(page, 'mfs-bn-filled');

    await page.getByRole('button', { name: T.send }).click();
    await expectText(panel(page).getByRole('status'), T.failed, T.unreachable);
    const steps = await panel(page).getByRole('listitem').allInnerTexts();
    assert.deepEqual(steps.map((s) => s.split(' — ')[0]), [T.pending, T.failed]);
    assert.match(await definition(panel(page), T.refId).innerText(), /^bdp-/);
    await shot(page, 'mfs-bn-completed');

    const held = (await env.admin.transactions(token)).transactions;
    assert.equal(held.length, 1);
    assert.equal(held[0].operator_code, 'NG');
    assert.equal(held[0].phone, '01712345699');
    assert.equal(held[0].trx_status, 'Failed');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
