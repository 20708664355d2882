// The Bill payment tab on the wallet API: biller types (inactive ones shown
// as unavailable) → biller → the form generated from its params → summary
// with amount, charge and total → a wrong PIN → the right PIN → receipt.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoEnglish, definition, expectInvalid, expectNoErrorYet, expectText, expectValid, LANGS, leave, openPage, panel, shot, start, TEXT, type } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

const CASES = {
  en: { account: 'ACC12345', mobile: ['+880 181', '2-345678'], pin: ['9999', '1234'], network: 'Mobile network: Robi.' },
  bn: { account: 'ACC৬৭৮৯', mobile: ['০১৮১', '২৩৪৫৬৭৮'], pin: ['৯৯৯৯', '১২৩৪'], network: 'মোবাইল নেটওয়ার্ক: রবি।' },
};

/** "৳১,২৩৪.৫০" or "৳1,234.50" → 123450 (paisa). */
const paisa = (text) => {
  const ascii = text.replace(/[০-৯]/g, (d) => String('০১২৩৪৫৬৭৮৯'.indexOf(d)));
  const m = /৳([\d,]+)\.(\d\d)/.exec(ascii);
  assert.ok(m, `an amount in ${JSON.stringify(text)}`);
  return Number(m[1].replaceAll(',', '')) * 100 + Number(m[2]);
};

for (const lang of LANGS) {
  test(`bill (${lang}): billers, generated form, summary, wrong PIN, right PIN, receipt`, async () => {
    const T = TEXT[lang];
    const c = CASES[lang];
    const token = await env.admin.account({ pin: '1234' });
    const { page, problems, close } = await openPage(env, { query: { token, lang }, hash: '#bill' });
    try {
      const types = page.getByRole('radiogroup', { name: T.billType, exact: true });
      await types.getByRole('radio', { name: T.gas }).waitFor();
      const unavailable = types.getByRole('radio', { name: T.unavailable });
      assert.equal(await unavailable.count(), 3, 'DTH, Education and Insurance are listed as unavailable');
      for (const radio of await unavailable.all()) assert.equal(await radio.isDisabled(), true);

      await types.getByRole('radio', { name: T.gas }).check();
      const billers = page.getByRole('radiogroup', { name: T.biller, exact: true });
      const names = await billers.getByRole('radio').evaluateAll((els) => els.map((e) => e.closest('label').textContent));
      assert.deepEqual(names, ['Jalalabad Gas Transmission Limited', 'Bakhrabad Gas']);
      await billers.getByRole('radio', { name: 'Bakhrabad Gas' }).check();

      // The form from the biller's params: text, mobile and select.
      const account = page.getByRole('textbox', { name: T.accountNo });
      const mobile = page.getByRole('textbox', { name: T.mobileNo });
      const billType = page.getByRole('combobox', { name: T.billTypeField });
      await type(mobile, c.mobile[0]);
      await expectNoErrorYet(mobile);
      await leave(mobile);
      await expectInvalid(mobile, T.invalidPhone);
      await page.getByRole('button', { name: T.getBill }).click();
      await expectInvalid(account, T.accountRequired);
      await shot(page, `bill-${lang}-validation`);

      await type(account, c.account);
      await expectValid(account, T.accountRequired);
      await type(mobile, c.mobile[1]);
      await expectValid(mobile, T.invalidPhone);
      await expectText(panel(page), c.network);
      await billType.selectOption({ label: T.meter });
      await expectValid(billType);
      await shot(page, `bill-${lang}-filled`);

      await page.getByRole('button', { name: T.getBill }).click();
      const summary = page.getByRole('heading', { name: T.summary });
      await summary.waitFor();
      const amount = paisa(await definition(panel(page), T.billAmount).innerText());
      const charge = paisa(await definition(panel(page), T.charge).innerText());
      const total = paisa(await definition(panel(page), T.total).innerText());
      assert.equal(charge, 500, 'the ৳5.00 charge');
      assert.equal(amount + charge, total, 'amount + charge = total');

      const pin = page.getByLabel(T.pin, { exact: true });
      assert.equal(await pin.evaluate((el) => el === document.activeElement), true, 'the PIN field has focus');
      await type(pin, c.pin[0]);
      // "Pay ৳105.00", "৳১০৫.০০ পরিশোধ করুন": the amount where each language puts it.
      const pay = page.getByRole('button', { name: T.payTotal });
      assert.equal(paisa(await pay.innerText()), total, 'the button says the total');
      await pay.click();
      await expectInvalid(pin, T.pinWrong);
      assert.equal(await pin.inputValue(), '', 'the wrong PIN is cleared');
      await shot(page, `bill-${lang}-wrong-pin`);

      await type(pin, c.pin[1]);
      await expectValid(pin, T.pinWrong);
      await pay.click();
      const done = await expectText(panel(page).getByRole('status'), T.receipt);
      assert.equal(paisa(done), total, 'the receipt shows the total paid');
      assert.ok((await definition(panel(page), T.trxId).innerText()).length > 10, 'a transaction id');
      const paidAt = await definition(panel(page), T.paidAt).innerText();
      // The wallet writes "30/11/2026 08:41 PM"; a Bangla page, "৩০/১১/২০২৬ ০৮:৪১ অপরাহ্ণ".
      if (lang === 'bn') {
        assertNoEnglish(paidAt);
        assert.ok(/[০-৯]/.test(paidAt) && !/[0-9]/.test(paidAt), `Bengali digits: ${paidAt}`);
      } else {
        assert.match(paidAt, /\d\d:\d\d (AM|PM)$/);
      }
      await shot(page, `bill-${lang}-completed`);

      const { payments } = await env.admin.transactions(token);
      assert.equal(payments.length, 1, 'paid once');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

const EXECUTE = '/api/v1/private/wallet/utility-bill-pay/execute';
const HISTORIES = '/api/v1/private/wallet/utility-bill-pay/histories';

for (const lang of LANGS) {
  test(`bill (${lang}): a payment whose answer is lost while its history cannot be read is said as unknown, then its receipt comes; never "try again"`, async () => {
    const T = TEXT[lang];
    const c = CASES[lang];
    const token = await env.admin.account({ pin: '1234' });
    const { page, problems, close } = await openPage(env, { query: { token, lang }, hash: '#bill' });
    try {
      await page.getByRole('radiogroup', { name: T.billType, exact: true }).getByRole('radio', { name: T.gas }).check();
      await page.getByRole('radiogroup', { name: T.biller, exact: true }).getByRole('radio', { name: 'Bakhrabad Gas' }).check();
      await type(page.getByRole('textbox', { name: T.accountNo }), c.account);
      await type(page.getByRole('textbox', { name: T.mobileNo }), c.mobile.join(''));
      await page.getByRole('combobox', { name: T.billTypeField }).selectOption({ label: T.meter });
      await page.getByRole('button', { name: T.getBill }).click();
      await page.getByRole('heading', { name: T.summary }).waitFor();
      await type(page.getByLabel(T.pin, { exact: true }), c.pin[1]);
      await env.admin.fault({ kind: 'drop_after_commit', path: EXECUTE, token });
      await env.admin.fault({ kind: 'status', code: 503, path: HISTORIES, token, count: 200 });
      await page.getByRole('button', { name: T.payTotal }).click();
      const said = await expectText(panel(page).getByRole('alert'), T.notConfirmed, T.mayHaveGone);
      assert.doesNotMatch(said, T.tryAgain, 'never told to try again');
      assert.doesNotMatch(said, new RegExp(T.nothingCharged), 'never told nothing was charged');
      // It names the payment by the wallet's request id.
      const requestId = /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/.exec(said)?.[0];
      assert.ok(requestId, said);
      if (lang === 'bn') assertNoEnglish(said, [requestId]);
      await shot(page, `bill-${lang}-outcome-unknown`);
      assert.equal((await env.admin.transactions(token)).payments.length, 1, 'it did pay, once');
      assert.equal(await page.getByRole('button', { name: T.payTotal }).isDisabled(), true, 'Pay stays off');
      // The history answers again: the receipt comes without a press.
      await env.admin.clearFaults();
      await expectText(panel(page).getByRole('status'), T.receipt);
      assert.equal((await env.admin.transactions(token)).payments.length, 1, 'still once');
      assert.deepEqual(problems.filter((p) => !/503/.test(p)), []);
    } finally {
      await close();
    }
  });
}

for (const lang of LANGS) {
  test(`bill (${lang}): an unknown bill is explained in the page's language`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang }, hash: '#bill' });
    try {
      await page.getByRole('radio', { name: T.water }).check();
      await page.getByRole('radio', { name: 'Chattogram WASA' }).check();
      await type(page.getByRole('textbox', { name: T.billNo }), '404123');
      await page.getByRole('button', { name: T.getBill }).click();
      const text = await expectText(panel(page).getByRole('alert'), T.refused, T.billNotFound);
      if (lang === 'bn') assertNoEnglish(text);
      await shot(page, `error-${lang}-bill-not-found`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('bill: read-only params are shown, not editable; hidden fields are not shown; an unknown bill is explained', async () => {
  const T = TEXT.en;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token }, hash: '#bill' });
  try {
    await page.getByRole('radio', { name: T.water }).check();
    await page.getByRole('radio', { name: 'Chattogram WASA' }).check();
    const zone = page.getByRole('textbox', { name: 'Zone' });
    assert.equal(await zone.inputValue(), 'CTG');
    assert.equal(await zone.isEditable(), false, 'read-only');
    assert.equal(await page.getByRole('textbox').count(), 2, 'Bill No and Zone: no hidden field is shown');
    await type(page.getByRole('textbox', { name: 'Bill No' }), '404123');
    await page.getByRole('button', { name: T.getBill }).click();
    await expectText(panel(page).getByRole('alert'), 'Not accepted', 'Bill not found.');

    // Electricity has one biller: it is chosen at once.
    await page.getByRole('radio', { name: 'Electricity' }).check();
    assert.equal(await page.getByRole('radio', { name: /DESCO/ }).isChecked(), true);
    await page.getByRole('textbox', { name: 'Bill No' }).waitFor();
    assert.equal(await panel(page).getByRole('alert').isVisible(), false, 'the old error went with its biller');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('bill: a param the schema does not show stays off the form and is still sent with its value', async () => {
  const T = TEXT.en;
  const token = await env.admin.account();
  const { page, problems, close } = await openPage(env, { query: { token }, hash: '#bill' });
  try {
    // The seed has no such param: add one to the billers answer, as a wallet may.
    await page.route('**/api/v1/private/wallet/utility/billers', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      const wasa = json.data.types.flatMap((t) => t.billers).find((b) => b.biller_id === 'b099');
      wasa.params.push({
        field_type: 'alphanumeric', label: 'Area', key: 'area', value: 'DHK', placeholder: '', input: true,
        type: 'alphanumeric', required: true, is_read_only: false, visibility: 'hide', options: [],
      });
      await route.fulfill({ response, json });
    });
    await page.reload();
    await page.getByRole('radio', { name: T.water }).check();
    await page.getByRole('radio', { name: 'Dhaka WASA' }).check();
    await type(page.getByRole('textbox', { name: 'Bill No' }), '9876543210');
    assert.equal(await page.getByRole('textbox').count(), 1, 'only Bill No is shown');
    const summary = page.waitForRequest((r) => r.url().includes('/utility-bill-pay/summary'));
    await page.getByRole('button', { name: T.getBill }).click();
    const sent = new URL((await summary).url()).searchParams;
    assert.deepEqual(
      [sent.get('bil_no'), sent.get('area'), sent.get('biller_id'), sent.get('mode')],
      ['9876543210', 'DHK', 'b099', 'SAPI'],
      'the typed value, the unseen default and the hidden fields',
    );
    // The sandbox knows no "area" and refuses it: shown as its sentence, nothing paid.
    await expectText(panel(page).getByRole('alert'), 'Not accepted', 'area is not part of this request.');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
