// Where bdpay and libphonenumber disagree on whether an input is a valid
// Bangladeshi number, each with the reason. Compares bdpay's `normalizePhone`
// with libphonenumber-js/max `isValid()` (region BD) over every 01X prefix ×
// every form (inputs.mjs), with google-libphonenumber's answer beside it.
//
//   node bench/disagreements.mjs          print the list
//   node bench/disagreements.mjs --json   print it as JSON
//
// An input whose disagreement no rule below explains is listed as UNEXPLAINED:
// that is a finding to look into, never something to hide.

import { normalizePhone, normalizeWallet } from 'bdpay';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import glp from 'google-libphonenumber';
import { systematic } from './inputs.mjs';

const LIVE = new Set(['013', '014', '015', '016', '017', '018', '019']);

const GOOGLE = glp.PhoneNumberUtil.getInstance();
const GOOGLE_TYPES = Object.fromEntries(Object.entries(glp.PhoneNumberType).map(([k, v]) => [v, k]));

function libphonenumberJs(input) {
  const p = parsePhoneNumberFromString(input, 'BD');
  return p ? { valid: p.isValid(), type: p.getType() ?? null } : { valid: false, type: null, error: 'NOT_A_NUMBER' };
}

function google(input) {
  try {
    const p = GOOGLE.parse(input, 'BD');
    return { valid: GOOGLE.isValidNumber(p), type: GOOGLE_TYPES[GOOGLE.getNumberType(p)] ?? null };
  } catch (e) {
    return { valid: false, type: null, error: String(e.message ?? e) };
  }
}

// Why bdpay refuses a form that libphonenumber reads.
const FORM_REASONS = {
  arabicIndic:
    'Arabic-Indic digits: libphonenumber folds them to ASCII; bdpay refuses them as look-alikes a Bangladeshi keyboard does not produce (crates/core/src/text.rs).',
  fullwidth:
    'Full-width digits: libphonenumber folds them to ASCII; bdpay refuses them as look-alikes (crates/core/src/text.rs).',
  noTrunkZero:
    '10 digits with neither the trunk 0 nor +880: libphonenumber reads them as the national significant number; bdpay wants 0 or +880 in front, so a number missing its first digit is not taken as complete.',
  trunkZeroAfter880:
    '+880 followed by the trunk 0 (+880 017…): libphonenumber drops the national prefix after the country code; bdpay refuses the extra 0 (the digits after 880 must be 10).',
  letterO:
    'A letter O typed for the leading 0: libphonenumber skips what comes before the first digit and reads the rest as the 10-digit national number; bdpay refuses letters (O is not 0).',
  inText:
    'The number inside other text: libphonenumber-js extracts a number from surrounding text by default; bdpay refuses any letter rather than strip it.',
};

// Why bdpay refuses a range that libphonenumber calls valid.
const RANGE_REASONS = {
  '011':
    '011 was Citycell: its network closed in November 2016 and its licence was cancelled in 2023; libphonenumber\'s BD metadata still lists 011 as mobile, so it accepts numbers no one can recharge or pay.',
  'landline-02': 'A Dhaka fixed line: valid for libphonenumber (FIXED_LINE); bdpay validates mobile numbers only (recharge, MFS).',
  'landline-031': 'A Chattogram fixed line: valid for libphonenumber (FIXED_LINE); bdpay validates mobile numbers only.',
  'voip-096': '096 IP telephony: valid for libphonenumber (VOIP); not a mobile number an operator recharges.',
  'tollfree-0800': '0800 toll-free: valid for libphonenumber (TOLL_FREE); not a mobile number.',
  foreign:
    'A foreign number with its own country code: isValid() checks it against its own country (here the US), the BD region is only the default; bdpay takes Bangladeshi mobile numbers only.',
};
for (const r of ['mobile-037', 'mobile-044', 'mobile-066', 'mobile-064']) {
  RANGE_REASONS[r] =
    `A ${r.slice(7)}… number: libphonenumber's BD metadata types (3[78]|44|66)[02-9]\\d{7} and 64\\d{8} as MOBILE; they are outside the 01X plan of the mobile operators (01 + 3–9 + 8 digits), so no operator here recharges them and bdpay refuses them.`;
}

const BENGALI_REASON =
  'Bengali digits (U+09E6–U+09EF), what a Bangla keyboard types: bdpay folds them to ASCII; libphonenumber does not read them (NOT_A_NUMBER).';

function explain(row, bd, lib) {
  const reasons = [];
  if (bd === undefined && lib.valid) {
    if (FORM_REASONS[row.form]) reasons.push(FORM_REASONS[row.form]);
    if (RANGE_REASONS[row.prefix]) reasons.push(RANGE_REASONS[row.prefix]);
  } else if (bd !== undefined && !lib.valid) {
    if (row.form === 'bengali' || row.form === 'bengaliPlus880') reasons.push(BENGALI_REASON);
  }
  return reasons.length ? reasons.join(' ') : 'UNEXPLAINED: look into this one.';
}

/** Every input where the two disagree on validity, explained, plus Rocket accounts. */
export function findDisagreements() {
  const rows = systematic();
  const disagreements = [];
  const walletOnly = [];
  let bothValid = 0;
  let bothInvalid = 0;
  for (const row of rows) {
    const bd = normalizePhone(row.input);
    const lib = libphonenumberJs(row.input);
    const g = google(row.input);
    if ((bd !== undefined) !== lib.valid) {
      disagreements.push({
        ...row,
        bdpay: bd ?? null,
        libphonenumberJs: lib,
        googleLibphonenumber: g,
        explanation: explain(row, bd, lib),
      });
    } else if (lib.valid) {
      bothValid += 1;
    } else {
      bothInvalid += 1;
      const wallet = normalizeWallet(row.input, 'RK');
      if (wallet !== undefined) {
        walletOnly.push({
          ...row,
          bdpayRocketWallet: wallet,
          libphonenumberJs: lib,
          explanation:
            'A Rocket (DBBL) account: the 11-digit mobile number plus one check digit whose rule is not public. Neither library takes it as a phone number; bdpay accepts it as a Rocket wallet (normalizeWallet(…, "RK")).',
        });
      }
    }
  }
  const unexplained = disagreements.filter((d) => d.explanation.startsWith('UNEXPLAINED')).length;
  return {
    compared: "bdpay normalizePhone(input) !== undefined vs libphonenumber-js/max parsePhoneNumberFromString(input, 'BD')?.isValid()",
    inputs: rows.length,
    agree: { bothValid, bothInvalid },
    disagreements,
    unexplained,
    walletOnly,
  };
}

const show = (v) => (v === null || v === undefined ? '—' : v);

/** The list as markdown, grouped by explanation. */
export function disagreementsMarkdown(result) {
  const lines = [
    `${result.disagreements.length} disagreements in ${result.inputs} inputs ` +
      `(both valid: ${result.agree.bothValid}, both invalid: ${result.agree.bothInvalid}, unexplained: ${result.unexplained}).`,
    '',
  ];
  const groups = new Map();
  for (const d of result.disagreements) {
    if (!groups.has(d.explanation)) groups.set(d.explanation, []);
    groups.get(d.explanation).push(d);
  }
  for (const [why, list] of groups) {
    lines.push(`- ${why}`);
    for (const d of list) {
      const lib = `${d.libphonenumberJs.valid ? 'valid' : 'invalid'} ${show(d.libphonenumberJs.type ?? d.libphonenumberJs.error)}`;
      const g = `${d.googleLibphonenumber.valid ? 'valid' : 'invalid'}`;
      lines.push(
        `  - \`${JSON.stringify(d.input)}\` (${d.prefix}, ${d.form}): bdpay ${show(d.bdpay)}; libphonenumber-js ${lib}; google-libphonenumber ${g}`,
      );
    }
  }
  if (result.walletOnly.length) {
    lines.push('', `Rocket accounts (no disagreement on phone validity; ${result.walletOnly.length} inputs):`);
    lines.push(`- ${result.walletOnly[0].explanation}`);
    for (const w of result.walletOnly) {
      lines.push(`  - \`${JSON.stringify(w.input)}\` (${w.prefix}, ${w.form}): bdpay Rocket wallet ${w.bdpayRocketWallet}`);
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = findDisagreements();
  console.log(process.argv.includes('--json') ? JSON.stringify(result, null, 2) : disagreementsMarkdown(result));
}
