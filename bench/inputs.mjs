// The inputs every benchmark and the disagreement list share: one fixed mixed
// set for throughput, and a systematic set (every 01X prefix × every form a
// person or a form field produces) for comparing answers. Pure data: no I/O.

const BENGALI = '০১২৩৪৫৬৭৮৯';
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const FULLWIDTH = '０１２３４５６７８９';

const inScript = (digits, script) => digits.replace(/[0-9]/g, (d) => script[d]);
export const bengali = (s) => inScript(s, BENGALI);

/**
 * The fixed mixed set timed by the throughput benchmark: valid numbers on
 * every live prefix, `+880` forms, Bengali digits, dead and unallocated
 * prefixes, wrong lengths and letters. About half are valid.
 */
export const MIXED = Object.freeze([
  '01712345678',
  '01312345678',
  '01412345678',
  '01512345678',
  '01612345678',
  '01812345678',
  '01912345678',
  '+8801712345678',
  '+880 1812-345678',
  '008801912345678',
  '8801512345678',
  '(017) 12.34.56.78',
  bengali('01712345678'),
  `+${bengali('8801312345678')}`,
  '01112345678', // 011: Citycell, dead since 2016
  '01212345678', // 012: not allocated
  '01012345678', // 010: not allocated
  '0171234567', // 10 digits
  '017123456789', // 12 digits (a Rocket account, not a phone)
  '0171234567890', // 13 digits
  '1712345678', // no trunk 0
  '0171234567a',
  'O1712345678', // letter O
  '+1 212 555 0100', // not Bangladeshi
]);

/**
 * Each form a number can be written in, as `(n) => text` over the 11-digit
 * national form `n`. The name is what the disagreement list groups by.
 */
export const FORMS = Object.freeze({
  national: (n) => n,
  plus880: (n) => `+880${n.slice(1)}`,
  '880': (n) => `880${n.slice(1)}`,
  '00880': (n) => `00880${n.slice(1)}`,
  spaced: (n) => `+880 ${n.slice(1, 5)}-${n.slice(5)}`,
  bengali: (n) => bengali(n),
  bengaliPlus880: (n) => `+${bengali(`880${n.slice(1)}`)}`,
  arabicIndic: (n) => inScript(n, ARABIC_INDIC),
  fullwidth: (n) => inScript(n, FULLWIDTH),
  noTrunkZero: (n) => n.slice(1), // 10 digits, national significant number
  trunkZeroAfter880: (n) => `+880 ${n}`, // +880 0 17…
  short10: (n) => n.slice(0, 10),
  long12: (n) => `${n}9`, // a Rocket account: mobile number + one digit
  long13: (n) => `${n}90`,
  letterAtEnd: (n) => `${n.slice(0, 10)}a`,
  letterO: (n) => `O${n.slice(1)}`,
  inText: (n) => `call ${n} now`,
});

/** Number ranges outside 01X that libphonenumber knows for BD, one sample each. */
export const OTHER_RANGES = Object.freeze([
  { range: 'landline-02', n: '0255012345' }, // Dhaka fixed line
  { range: 'landline-031', n: '031712345' }, // Chattogram fixed line
  { range: 'mobile-037', n: '03721234567' }, // libphonenumber: (3[78]|44|66)[02-9]\d{7}
  { range: 'mobile-044', n: '04421234567' },
  { range: 'mobile-066', n: '06621234567' },
  { range: 'mobile-064', n: '06412345678' }, // libphonenumber: 64\d{8}
  { range: 'voip-096', n: '09612345678' }, // IP telephony
  { range: 'tollfree-0800', n: '08001234567' },
]);

/** `{ input, prefix, form }` for every 01X prefix × every form, then the other ranges. */
export function systematic() {
  const rows = [];
  for (let x = 0; x <= 9; x += 1) {
    const n = `01${x}12345678`;
    for (const [form, write] of Object.entries(FORMS)) {
      rows.push({ input: write(n), prefix: `01${x}`, form });
    }
  }
  for (const { range, n } of OTHER_RANGES) {
    rows.push({ input: n, prefix: range, form: 'national' });
    rows.push({ input: FORMS.plus880(n), prefix: range, form: 'plus880' });
  }
  rows.push({ input: '+1 212 555 0100', prefix: 'foreign', form: 'international' });
  for (const input of ['', '+', '   ', '+880', '01', 'not a number']) {
    rows.push({ input, prefix: 'junk', form: 'junk' });
  }
  return rows;
}
