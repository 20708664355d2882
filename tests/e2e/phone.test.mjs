// The phone field as a customer types it (bindPhoneInput under the demo's
// Recharge tab), driven by real key events in headless Chromium: a table of
// edits, each step checked for the field's value, the caret, the operator
// the note names, and the error shown (none before the number is whole or
// the field is left). These are the complaints of intl-tel-input's and
// react-phone-number-input's trackers, turned into rows:
//   - the caret jumps to the end after an edit in the middle
//     (react-phone-input-2 #435, react-phone-number-input #223, intl-tel-input #111);
//   - backspace "stuck" on a separator (text-mask #658, cleave.js #106);
//   - the country code doubled by autofill or a paste (intl-tel-input #2003,
//     react-phone-number-input #437, react-international-phone #236);
//   - an autofill without the trunk 0 (react-phone-input-2 #340);
//   - digits of a non-ASCII keyboard refused (intl-tel-input #2105,
//     react-phone-input-2 #459): Bengali digits here, and Arabic-Indic ones;
//   - an IME's composition reformatted under it (input-format #2).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, shot, start } from './support.mjs';

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

// What the operator note says, by a short name: '-' nothing yet, 'x011' no
// operator on that prefix, 'GP/SK' Grameenphone with Skitto beside it, ''
// nothing at all (the error says it).
const NAMES = {
  en: { GP: 'Grameenphone', SK: 'Skitto', AT: 'Airtel', RB: 'Robi', BL: 'Banglalink', TT: 'Teletalk' },
  bn: { GP: 'গ্রামীণফোন', SK: 'স্কিটো', AT: 'এয়ারটেল', RB: 'রবি', BL: 'বাংলালিংক', TT: 'টেলিটক' },
};
const BN = (s) => s.replace(/[0-9]/g, (d) => '০১২৩৪৫৬৭৮৯'[d]);
function noteSays(lang, op) {
  if (op === '') return [];
  if (op === '-') return [lang === 'bn' ? 'প্রথম অঙ্কগুলো থেকে অপারেটর শনাক্ত হয়।' : 'The operator is detected from the first digits.'];
  if (op.startsWith('x')) {
    const p = op.slice(1);
    return [lang === 'bn' ? `${BN(p)} দিয়ে শুরু নম্বর কোনো অপারেটর দেয় না।` : `No operator issues numbers starting ${p}.`];
  }
  const [main, alt] = op.split('/');
  const n = NAMES[lang];
  const says = [lang === 'bn' ? `নম্বর থেকে শনাক্ত: ${n[main]}।` : `Detected from the number: ${n[main]}.`];
  if (alt) says.push(n[alt]);
  return says;
}

const INVALID = {
  en: 'Enter an 11-digit Bangladeshi mobile number, like 01712345678.',
  bn: '১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।',
};
const UNUSED = { en: "No operator's numbers start with 011.", bn: '০১১ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।' };

// Each row: the language, then steps of [action, expected value, caret, operator, error].
// Actions: ['type', 'x'] one key (a character), ['press', 'Key'], ['paste', text]
// (the clipboard and Ctrl+V), ['autofill', text, inputType] (the value set
// at once and one input event, as Chrome's autofill and iOS's suggestions
// do), ['compose', text] / ['commit', text] (an IME, through CDP), ['blur'].
// `error`: null for none shown, else the message the field must show.
const ROWS = [
  {
    name: 'typed digit by digit: dashed after five, the operator named at three',
    lang: 'en',
    steps: [
      [['type', '0'], '0', 1, '-', null],
      [['type', '1'], '01', 2, '-', null],
      [['type', '7'], '017', 3, 'GP', null],
      [['type', '1'], '0171', 4, 'GP', null],
      [['type', '2'], '01712', 5, 'GP', null],
      [['type', '3'], '01712-3', 7, 'GP', null],
      [['type', '4'], '01712-34', 8, 'GP', null],
      [['type', '5'], '01712-345', 9, 'GP', null],
      [['type', '6'], '01712-3456', 10, 'GP', null],
      [['type', '7'], '01712-34567', 11, 'GP', null],
      [['type', '8'], '01712-345678', 12, 'GP', null],
      [['blur'], '01712-345678', null, 'GP', null],
    ],
  },
  {
    name: 'backspace just after the dash takes the digit before it, and the caret stays there',
    lang: 'en',
    steps: [
      ...[...'0171234'].map((d) => [['type', d], null, null, null, null]),
      [['press', 'ArrowLeft'], '01712-34', 7, 'GP', null],
      [['press', 'ArrowLeft'], '01712-34', 6, 'GP', null],
      [['press', 'Backspace'], '01713-4', 4, 'GP', null],
      [['press', 'Backspace'], '01734', 3, 'GP', null],
      [['type', '1'], '01713-4', 4, 'GP', null],
    ],
  },
  {
    name: 'delete just before the dash takes the digit after it',
    lang: 'en',
    steps: [
      ...[...'01712345678'].map((d) => [['type', d], null, null, null, null]),
      [['press', 'Home'], '01712-345678', 0, 'GP', null],
      ...[1, 2, 3, 4, 5].map((n) => [['press', 'ArrowRight'], '01712-345678', n, 'GP', null]),
      [['press', 'Delete'], '01712-45678', 5, 'GP', null],
      [['press', 'Delete'], '01712-5678', 5, 'GP', null],
    ],
  },
  {
    name: 'an edit in the middle keeps the caret there, and a new prefix names its operator',
    lang: 'en',
    steps: [
      ...[...'01712345678'].map((d) => [['type', d], null, null, null, null]),
      [['press', 'Home'], '01712-345678', 0, 'GP', null],
      ...[1, 2, 3].map((n) => [['press', 'ArrowRight'], '01712-345678', n, 'GP', null]),
      [['press', 'Backspace'], '01123-45678', 2, 'x011', null],
      [['type', '8'], '01812-345678', 3, 'RB', null],
      [['press', 'ArrowRight'], '01812-345678', 4, 'RB', null],
      [['type', '9'], '01819-234567-8', 5, 'RB', INVALID.en],
      [['press', 'Backspace'], '01812-345678', 4, 'RB', null],
    ],
  },
  {
    name: 'a paste of "+880 1712-345678" into the empty field',
    lang: 'en',
    steps: [[['paste', '+880 1712-345678'], '01712-345678', 12, 'GP', null]],
  },
  {
    name: 'a paste of a whole number after a typed 0: no prefix twice',
    lang: 'en',
    steps: [
      [['type', '0'], '0', 1, '-', null],
      [['paste', '+880 1712-345678'], '01712-345678', 12, 'GP', null],
    ],
  },
  {
    name: 'a paste with words around the number ("Tel: 017-1234-5678")',
    lang: 'en',
    steps: [[['paste', 'Tel: 017-1234-5678'], '01712-345678', 12, 'GP', null]],
  },
  {
    name: 'autofill of 8801712345678 (insertReplacementText)',
    lang: 'en',
    steps: [[['autofill', '8801712345678', 'insertReplacementText'], '01712-345678', 12, 'GP', null]],
  },
  {
    name: '+880 typed key by key collapses to 0; then autofill with no inputType over it',
    lang: 'en',
    steps: [
      [['type', '+'], '+', 1, '-', null],
      [['type', '8'], '+8', 2, '-', null],
      [['type', '8'], '+88', 3, '-', null],
      [['type', '0'], '0', 1, '-', null],
      [['type', '1'], '01', 2, '-', null],
      [['autofill', '+8801712345678', null], '01712-345678', 12, 'GP', null],
    ],
  },
  {
    name: 'autofill of 00880… and of a number without its 0 (1712345678)',
    lang: 'en',
    steps: [
      [['autofill', '008801912345678', 'insertReplacementText'], '01912-345678', 12, 'BL', null],
      [['autofill', '1712345678', null], '01712-345678', 12, 'GP', null],
    ],
  },
  {
    name: 'Bengali digits stay Bengali as they are typed; 013 names Skitto beside Grameenphone',
    lang: 'bn',
    steps: [
      [['type', '০'], '০', 1, '-', null],
      [['type', '১'], '০১', 2, '-', null],
      [['type', '৩'], '০১৩', 3, 'GP/SK', null],
      [['type', '১'], '০১৩১', 4, 'GP/SK', null],
      [['type', '২'], '০১৩১২', 5, 'GP/SK', null],
      [['type', '৩'], '০১৩১২-৩', 7, 'GP/SK', null],
      ...[...'৪৫৬৭'].map((d, i) => [['type', d], `০১৩১২-৩${'৪৫৬৭'.slice(0, i + 1)}`, 8 + i, 'GP/SK', null]),
      [['type', '৮'], '০১৩১২-৩৪৫৬৭৮', 12, 'GP/SK', null],
      [['blur'], '০১৩১২-৩৪৫৬৭৮', null, 'GP/SK', null],
    ],
  },
  {
    name: '016 names Airtel, with Robi beside it (numbers may be ported)',
    lang: 'en',
    steps: [
      [['type', '0'], '0', 1, '-', null],
      [['type', '1'], '01', 2, '-', null],
      [['type', '6'], '016', 3, 'AT/RB', null],
      [['type', '1'], '0161', 4, 'AT/RB', null],
    ],
  },
  ...['en', 'bn'].map((lang) => ({
    name: `an unused prefix (${lang}): named as typed, its error only once the number is whole`,
    lang,
    steps: [
      ...[...'0111234567'].map((d, i) => [['type', d], null, null, i >= 2 ? 'x011' : '-', null]),
      // Whole: the error says it, and the note no longer repeats it.
      [['type', '8'], '01112-345678', 12, '', UNUSED[lang]],
    ],
  })),
  {
    name: 'an unfinished number: no error while typing, its error once the field is left, gone at the next key',
    lang: 'en',
    steps: [
      ...[...'0171'].map((d) => [['type', d], null, null, null, null]),
      [['blur'], '0171', null, 'GP', INVALID.en],
      [['focus'], '0171', 4, 'GP', INVALID.en],
      [['type', '2'], '01712', 5, 'GP', null],
      ...[...'34567'].map((d) => [['type', d], null, null, 'GP', null]),
      [['type', '8'], '01712-345678', 12, 'GP', null],
    ],
  },
  {
    name: 'Arabic-Indic digits (an Arabic keyboard) are read, shown as ASCII',
    lang: 'en',
    steps: [
      ...[...'٠١٧١٢٣٤٥٦٧'].map((d) => [['type', d], null, null, null, null]),
      [['type', '٨'], '01712-345678', 12, 'GP', null],
    ],
  },
  {
    name: 'select all, then a key replaces the number',
    lang: 'en',
    steps: [
      ...[...'01712345678'].map((d) => [['type', d], null, null, null, null]),
      [['press', 'Control+A'], '01712-345678', null, 'GP', null],
      [['type', '0'], '0', 1, '-', null],
    ],
  },
  {
    name: 'an IME composes Bengali digits: nothing is reformatted under it, all is once it commits',
    lang: 'bn',
    steps: [
      ...[...'01712'].map((d) => [['type', d], null, null, null, null]),
      [['compose', '৩৪'], '01712৩৪', 7, 'GP', null],
      [['commit', '৩৪'], '০১৭১২-৩৪', 8, 'GP', null],
      [['type', '5'], '01712-345', 9, 'GP', null],
    ],
  },
];

/** The field's state: value, caret (null unless focused and collapsed), what the note and the error say. */
const read = (phone) =>
  phone.evaluate((el) => {
    const root = el.closest('.field');
    const error = root.querySelector('.error');
    const focused = document.activeElement === el;
    return {
      value: el.value,
      caret: focused && el.selectionStart === el.selectionEnd ? el.selectionStart : null,
      note: root.querySelector('.detected').textContent,
      invalid: el.getAttribute('aria-invalid') === 'true',
      error: error.hidden ? null : error.textContent,
      describedBy: el.getAttribute('aria-describedby') ?? '',
      errorId: error.id,
    };
  });

async function act(page, phone, cdp, [what, text, inputType]) {
  switch (what) {
    case 'type':
      return page.keyboard.type(text);
    case 'press':
      return page.keyboard.press(text);
    case 'paste':
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      return page.keyboard.press('Control+V');
    case 'autofill':
      return phone.evaluate(
        (el, [t, type]) => {
          el.value = t;
          el.dispatchEvent(type ? new InputEvent('input', { bubbles: true, inputType: type, data: t }) : new Event('input', { bubbles: true }));
        },
        [text, inputType],
      );
    case 'compose':
      return cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    case 'commit':
      return cdp.send('Input.insertText', { text });
    case 'blur':
      return page.keyboard.press('Tab');
    case 'focus':
      await page.keyboard.press('Shift+Tab');
      return page.keyboard.press('End');
    default:
      throw new Error(`no action ${what}`);
  }
}

for (const row of ROWS) {
  test(`phone field: ${row.name}`, async () => {
    const { page, problems, close } = await openPage(env, { query: { lang: row.lang }, viewport: { width: 390, height: 844 } });
    try {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.base });
      const cdp = await page.context().newCDPSession(page);
      const phone = page.getByRole('textbox', { name: row.lang === 'bn' ? 'মোবাইল নম্বর' : 'Mobile number' });
      assert.equal(await phone.getAttribute('inputmode'), 'tel');
      assert.equal(await phone.getAttribute('autocomplete'), 'tel');
      await phone.click();
      for (const [i, [action, value, caret, op, error]] of row.steps.entries()) {
        await act(page, phone, cdp, action);
        const got = await read(phone);
        const where = `step ${i + 1} ${JSON.stringify(action)}: ${JSON.stringify(got)}`;
        if (value !== null) assert.equal(got.value, value, `value after ${where}`);
        if (caret !== null) assert.equal(got.caret, caret, `caret after ${where}`);
        if (op === '') assert.equal(got.note, '', `an empty note after ${where}`);
        else if (op !== null) for (const says of noteSays(row.lang, op)) assert.ok(got.note.includes(says), `note "${says}" after ${where}`);
        if (error === null) {
          assert.equal(got.error, null, `no error shown after ${where}`);
          assert.equal(got.invalid, false, `not marked invalid after ${where}`);
        } else {
          assert.equal(got.error, error, `the error after ${where}`);
          assert.equal(got.invalid, true, `marked invalid after ${where}`);
          assert.ok(got.describedBy.split(' ')[0] === got.errorId, `the error is read first after ${where}`);
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

for (const lang of ['en', 'bn']) {
  test(`phone field (${lang}): screenshots of each state, on a phone`, async () => {
    const { page, close } = await openPage(env, { query: { lang }, viewport: { width: 390, height: 844 } });
    try {
      const phone = page.getByRole('textbox', { name: lang === 'bn' ? 'মোবাইল নম্বর' : 'Mobile number' });
      await phone.click();
      await page.keyboard.type(lang === 'bn' ? '০১৩১' : '0131');
      await shot(page, `phone-${lang}-typing`);
      await page.keyboard.press('Tab');
      await shot(page, `phone-${lang}-left-unfinished`);
      await phone.click();
      await page.keyboard.press('End');
      await page.keyboard.type(lang === 'bn' ? '২৩৪৫৬৭৮' : '2345678');
      await shot(page, `phone-${lang}-whole`);
      await page.keyboard.press('Control+A');
      await page.keyboard.type(lang === 'bn' ? '০১১১২৩৪৫৬৭৮' : '01112345678');
      await shot(page, `phone-${lang}-unused-prefix`);
    } finally {
      await close();
    }
  });
}
