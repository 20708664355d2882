// Shared by the end-to-end tests of the demo page (www/): a sandbox serving
// www/ and pkg/ on one origin, or the demo shop (sandbox, proxy in workerd,
// merchant server: demo/run.mjs), Debian's Chromium driven by
// playwright-core (never a downloaded browser), the sandbox's admin calls,
// and small waiting helpers (playwright-core has no `expect`). Tests find
// things by role and accessible name, in the language the page is in.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { launchChromium } from '../clients/chromium.mjs';
import { sandboxAdmin } from '../clients/admin.mjs';
import { root, sandboxBin, startSandbox } from '../clients/sandbox.mjs';
import { startDemo } from '../../demo/run.mjs';

export const SHOTS = `${root}test-artifacts/screenshots/`;

/** What the page says, per language: the tests' own copy, so a wrong string fails. */
export const TEXT = {
  en: {
    tabs: ['Recharge', 'Data / Drive packages', 'MFS transfer', 'Bill payment', 'Bulk'],
    phone: 'Mobile number',
    operator: 'Operator',
    amount: 'Amount (৳)',
    recharge: 'Recharge',
    invalidPhone: 'Enter an 11-digit Bangladeshi mobile number, like 01712345678.',
    amountTooSmall: 'Amount must be at least ৳10.00.',
    detected: 'Detected from the number: Grameenphone.',
    gp: 'Grameenphone',
    skitto: 'Skitto',
    robi: 'Robi',
    banglalink: 'Banglalink',
    pending: 'Pending',
    success: 'Success',
    failed: 'Failed',
    unreachable: 'Recipient not reachable',
    trxId: 'Transaction ID (trx_id)',
    refId: 'Your reference (ref_id)',
    packageType: 'Package type',
    data: 'Data',
    drive: 'Drive (offer)',
    package: 'Package',
    packageRequired: 'Package is required.',
    buy: 'Buy package',
    commission: 'your commission',
    wallet: 'Wallet',
    walletNumber: 'Wallet number',
    bkash: 'bKash',
    nagad: 'Nagad',
    rocket: 'Rocket',
    wallet11: 'Enter the wallet number: 11 digits.',
    send: 'Send money',
    network: 'Mobile network: Grameenphone.',
    billType: 'Bill type',
    biller: 'Biller',
    gas: 'Gas',
    water: 'Water',
    unavailable: 'unavailable',
    accountNo: 'Account No',
    mobileNo: 'Mobile No',
    billTypeField: 'Bill Type',
    meter: 'Meter',
    accountRequired: 'Account No is required.',
    getBill: 'Get the bill',
    summary: 'Bill summary',
    billAmount: 'Bill amount',
    charge: 'Charge',
    total: 'Total to pay',
    pin: 'Wallet PIN',
    pay: 'Pay',
    payTotal: /^Pay ৳[\d,]+\.\d\d$/,
    paidAt: 'Paid at',
    billNo: 'Bill No',
    pinWrong: 'The PIN does not match. Check it and try again.',
    receipt: 'Bill paid',
    receiptHeading: 'Receipt',
    notEnough: 'Not enough balance',
    balance: 'Balance available: ৳20.00.',
    tooMany: 'Too many requests',
    waitSecs: 'You can try again in 1 s.',
    tryNow: 'You can try again now.',
    nothingCharged: 'Nothing was charged',
    serviceProblem: 'Service problem',
    statusUnknown: 'The payment was sent, but its status could not be checked just now.',
    outcomeUnknown: 'the payment may have gone through. Do not pay again.',
    notConfirmed: 'Not confirmed yet',
    mayHaveGone: 'The payment may have gone through. Do not pay again until its status is known',
    repeatTitle: 'Paid a moment ago',
    repeatSaid: 'was sent 1 min ago. Nothing was sent now: confirm to pay it again.',
    payAgain: 'Pay again',
    dontPay: 'Do not pay',
    tryAgain: /try again/i,
    checkAgain: 'Check the status again',
    alreadyUsed: 'Already used',
    nothingNew: 'nothing new was charged',
    notAllowed: 'Not allowed',
    accountInactive: 'Account inactive or API access not enabled.',
    refused: 'Not accepted',
    noConnection: 'No connection',
    billNotFound: 'Bill not found.',
    fixOne: 'Please correct the highlighted field.',
    language: 'বাংলা',
    noticeShop:
      'Demo shop: the shop’s server approves each payment, then this page pays it through the proxy. The page holds no token and no PIN. The sandbox stands in for the gateway: no real money moves.',
    noPin: 'to the shop, and the shop pays the biller for you: no wallet PIN is asked here.',
    shopCap: 'This shop takes at most ৳5,000.00 in one payment.',
    mfsHint: 'From ৳10.00 to ৳5,000.00.',
  },
  bn: {
    tabs: ['রিচার্জ', 'ডেটা / ড্রাইভ প্যাকেজ', 'মোবাইল ব্যাংকিং', 'বিল পরিশোধ', 'একসাথে রিচার্জ'],
    phone: 'মোবাইল নম্বর',
    operator: 'অপারেটর',
    amount: 'টাকার পরিমাণ (৳)',
    recharge: 'রিচার্জ করুন',
    invalidPhone: '১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।',
    amountTooSmall: 'টাকার পরিমাণ কমপক্ষে ৳১০.০০ হতে হবে।',
    detected: 'নম্বর থেকে শনাক্ত: গ্রামীণফোন।',
    gp: 'গ্রামীণফোন',
    skitto: 'স্কিটো',
    robi: 'রবি',
    banglalink: 'বাংলালিংক',
    pending: 'প্রক্রিয়াধীন',
    success: 'সফল',
    failed: 'ব্যর্থ',
    unreachable: 'প্রাপকের নম্বরে পৌঁছানো যায়নি',
    trxId: 'লেনদেন আইডি (trx_id)',
    refId: 'আপনার রেফারেন্স (ref_id)',
    packageType: 'প্যাকেজের ধরন',
    data: 'ডেটা',
    drive: 'ড্রাইভ (অফার)',
    package: 'প্যাকেজ',
    packageRequired: 'প্যাকেজ বেছে নিন।',
    buy: 'প্যাকেজ কিনুন',
    commission: 'আপনার কমিশন',
    wallet: 'ওয়ালেট',
    walletNumber: 'ওয়ালেট নম্বর',
    bkash: 'বিকাশ',
    nagad: 'নগদ',
    rocket: 'রকেট',
    wallet11: '১১ অঙ্কের ওয়ালেট নম্বর দিন।',
    send: 'টাকা পাঠান',
    network: 'মোবাইল নেটওয়ার্ক: গ্রামীণফোন।',
    billType: 'বিলের ধরন',
    biller: 'বিল প্রতিষ্ঠান',
    gas: 'গ্যাস',
    water: 'পানি',
    unavailable: 'এখন পাওয়া যাচ্ছে না',
    accountNo: 'অ্যাকাউন্ট নম্বর',
    mobileNo: 'মোবাইল নম্বর',
    billTypeField: 'বিলের ধরন',
    meter: 'মিটার',
    accountRequired: 'অ্যাকাউন্ট নম্বর লিখুন।',
    getBill: 'বিল দেখুন',
    summary: 'বিলের সারসংক্ষেপ',
    billAmount: 'বিলের পরিমাণ',
    charge: 'চার্জ',
    total: 'মোট পরিশোধ',
    pin: 'ওয়ালেট পিন',
    pay: 'পরিশোধ করুন',
    payTotal: /^৳[০-৯,]+\.[০-৯]{2} পরিশোধ করুন$/,
    paidAt: 'পরিশোধের সময়',
    billNo: 'বিল নম্বর',
    pinWrong: 'পিন মেলেনি। দেখে আবার চেষ্টা করুন।',
    receipt: 'বিল পরিশোধ হয়েছে',
    receiptHeading: 'রসিদ',
    notEnough: 'ব্যালেন্স যথেষ্ট নয়',
    balance: 'বর্তমান ব্যালেন্স: ৳২০.০০।',
    tooMany: 'অনেক বেশি অনুরোধ',
    waitSecs: '১ সেকেন্ড পরে আবার চেষ্টা করতে পারবেন।',
    tryNow: 'এখন আবার চেষ্টা করতে পারেন।',
    nothingCharged: 'কোনো টাকা কাটা হয়নি',
    serviceProblem: 'সেবায় সমস্যা',
    statusUnknown: 'পেমেন্ট পাঠানো হয়েছে, কিন্তু এই মুহূর্তে এর অবস্থা দেখা যায়নি।',
    outcomeUnknown: 'পেমেন্টটি হয়ে গিয়ে থাকতে পারে। আবার পেমেন্ট করবেন না।',
    notConfirmed: 'এখনো নিশ্চিত নয়',
    mayHaveGone: 'পেমেন্টটি হয়ে গিয়ে থাকতে পারে। অবস্থা জানার আগে আবার পেমেন্ট করবেন না',
    repeatTitle: 'একটু আগেই পরিশোধ করা হয়েছে',
    repeatSaid: '১ মিনিট আগে পাঠানো হয়েছে। এখন কিছু পাঠানো হয়নি: আবার পেমেন্ট করতে চাইলে নিশ্চিত করুন।',
    payAgain: 'আবার পেমেন্ট করুন',
    dontPay: 'পেমেন্ট করবেন না',
    tryAgain: /আবার চেষ্টা/,
    checkAgain: 'আবার অবস্থা দেখুন',
    alreadyUsed: 'আগেই ব্যবহৃত',
    nothingNew: 'নতুন করে কিছু কাটা হয়নি',
    notAllowed: 'অনুমতি নেই',
    accountInactive: 'অ্যাকাউন্টটি সক্রিয় নয়, বা এতে এপিআই ব্যবহারের অনুমতি চালু নেই।',
    refused: 'গ্রহণ করা হয়নি',
    noConnection: 'সংযোগ নেই',
    billNotFound: 'বিলটি পাওয়া যায়নি।',
    fixOne: 'চিহ্নিত ঘরটি ঠিক করুন।',
    language: 'English',
    noticeShop:
      'ডেমো দোকান: প্রতিটি পেমেন্ট আগে দোকানের সার্ভার অনুমোদন করে, তারপর এই পেজ প্রক্সির মাধ্যমে তা পরিশোধ করে। পেজে কোনো টোকেন বা পিন থাকে না। গেটওয়ের জায়গায় স্যান্ডবক্স চলছে: কোনো আসল টাকা লেনদেন হয় না।',
    noPin: 'দোকান আপনার হয়ে বিলটি পরিশোধ করবে: এখানে কোনো ওয়ালেট পিন লাগবে না।',
    shopCap: 'এই দোকানে এক পেমেন্টে সর্বোচ্চ ৳৫,০০০.০০ নেওয়া হয়।',
    mfsHint: '৳১০.০০ থেকে ৳৫,০০০.০০ পর্যন্ত।',
  },
};

export const LANGS = ['en', 'bn'];

/** Starts the sandbox (www/ at /, pkg/ at /pkg/) and Chromium; `stop()` ends both. */
export async function start() {
  const bin = sandboxBin();
  assert.ok(existsSync(bin), `${bin} is missing: build it with \`cargo build --release -p bdpay-sandbox\` (or ./build.sh test build)`);
  assert.ok(existsSync(`${root}pkg/browser.js`), 'pkg/ is not built: run ./build.sh');
  const sandbox = await startSandbox(['--www', 'www', '--pkg', 'pkg', '--quiet']);
  let browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
  const base = sandbox.url;
  return {
    base,
    browser,
    admin: sandboxAdmin(base, { settleMs: 400 }),
    async stop() {
      await browser.close();
      await sandbox.stop();
    },
  };
}


/**
 * The demo shop as `./build.sh demo` runs it, on a fresh sandbox account
 * (`account`: the body of `POST /__sandbox/accounts`), and Chromium:
 * `{ base, proxyUrl, sandboxUrl, token, intentKey, pin, logs, browser, admin, stop }`.
 * `base` is the shop's page; `logs` every line the three services logged.
 * `limits`: the proxy's per-client limits (see `startDemo`).
 */
export async function startShop(account = {}, limits = undefined) {
  assert.ok(existsSync(sandboxBin()), 'the sandbox is not built: cargo build --release -p bdpay-sandbox');
  assert.ok(existsSync(`${root}pkg/browser.js`), 'pkg/ is not built: run ./build.sh');
  const logs = [];
  const demo = await startDemo({ account: { settle_ms: 400, ...account }, limits, log: (service, line) => logs.push(`[${service}] ${line}`) });
  let browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await demo.stop();
    throw e;
  }
  return {
    ...demo,
    base: demo.url,
    logs,
    browser,
    admin: sandboxAdmin(demo.sandboxUrl, { settleMs: 400 }),
    async stop() {
      await browser.close();
      await demo.stop();
    },
  };
}

/**
 * Opens the page in a fresh context. `query`: `{ token, lang }`; `hash`: the
 * tab. Returns `{ page, problems, requests, close }`; `problems` collects
 * uncaught page errors and console errors, `requests` every request made
 * (`{ url, method, authorization, headers, body }`).
 */
export async function openPage(env, { query = {}, hash = '', viewport = { width: 1000, height: 900 } } = {}) {
  const context = await env.browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('request', (r) =>
    requests.push({ url: r.url(), method: r.method(), authorization: r.headers().authorization ?? null, headers: r.headers(), body: r.postData() }),
  );
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every 4xx/5xx answer itself; the error paths expect those.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource:')) problems.push(`console: ${m.text()}`);
  });
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined));
  await page.goto(`${env.base}/${qs.size ? `?${qs}` : ''}${hash}`);
  // The tabs are shown once the wasm package has loaded and the forms exist.
  await page.getByRole('tablist').waitFor({ timeout: 15_000 });
  return { page, problems, requests, close: () => context.close() };
}

/** Polls `check` (sync or async) until it returns a truthy value; fails with `what`. */
export async function until(check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The text of the elements named by a control's aria-describedby, in order. */
export function description(locator) {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' | '),
  );
}

/** Waits until the control is marked invalid and its description holds `text`. */
export async function expectInvalid(locator, text) {
  await until(
    async () => (await locator.getAttribute('aria-invalid')) === 'true' && (await description(locator)).includes(text),
    `invalid with "${text}"`,
  );
}

/** The control shows no error now (typing, before it is left): not invalid, no error in its description. */
export async function expectNoErrorYet(locator) {
  assert.equal(await locator.getAttribute('aria-invalid'), null, 'no error shown yet');
}

/** Leaves the focused field with Tab, as a person moves on: its errors may show from now on. */
export async function leave(locator) {
  await locator.press('Tab');
}

/** Waits until the control is no longer invalid, and none of `gone` is in its description. */
export async function expectValid(locator, ...gone) {
  await until(async () => {
    if ((await locator.getAttribute('aria-invalid')) === 'true') return false;
    const d = await description(locator);
    return gone.every((g) => !d.includes(g));
  }, 'the field to be valid');
}

/** Waits until the locator's text includes every one of `parts`; returns it. */
export async function expectText(locator, ...parts) {
  return until(async () => {
    const text = await locator.innerText();
    return parts.every((p) => text.includes(p)) && text;
  }, `text with ${JSON.stringify(parts)}`);
}

/** The <dd> beside the <dt> whose text is `term`, inside `scope`. */
export function definition(scope, term) {
  return scope.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd[1]');
}

/** The visible tab panel. */
export function panel(page) {
  return page.getByRole('tabpanel');
}

/**
 * Fails when a Bangla text holds an English word: Latin letters are allowed
 * only in `codes` (an id, a ref_id) and in the ids the page shows as they are.
 */
export function assertNoEnglish(text, codes = []) {
  let rest = text;
  for (const c of codes) rest = rest.split(c).join(' ');
  // trx_id and ref_id labels name the API's fields; TRX… ids are codes.
  rest = rest.replace(/\((trx_id|ref_id)\)|\bTRX\d+\b|\bbdp-[\w-]+\b/g, ' ');
  assert.ok(!/[A-Za-z]/.test(rest), `English in a Bangla page: ${JSON.stringify(text)}`);
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/**
 * Types like a person, a key at a time (input events fire per character),
 * going on from the end of what the field already holds.
 */
export async function type(locator, text) {
  await locator.press('End');
  await locator.pressSequentially(text, { delay: 10 });
}
