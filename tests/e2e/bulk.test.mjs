// The Bulk tab in the demo shop (sandbox, proxy in workerd, merchant
// server): a pasted file of 30 rows, 3 of them bad. The bad rows show their
// errors per field in English and in Bangla and are skipped; the job starts,
// the page is reloaded mid-job, finds the job in IndexedDB and resumes it;
// the sandbox then holds exactly one transaction per good row (by ref_id)
// and none for a bad one, each paid through the proxy with the intent the
// shop signed for that row.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { after, before, test } from 'node:test';
import { assertNoEnglish, expectText, openPage, panel, shot, startShop, TEXT, until } from './support.mjs';

let env;

// Fast enough for a test, slow enough to reload mid-job: the proxy lets
// one client pay 120 a minute, and the page spaces them (one every 500 ms).
before(async () => {
  env = await startShop({ rate_limit: false }, { paymentsPerMinute: 120, readsPerMinute: 600 });
});
after(() => env?.stop());

const REQUEST = '/api/gateway/v1/request';

/** The tests' own copy of the tab's words. */
const BULK = {
  en: {
    paste: 'Or paste the CSV',
    check: 'Check the rows',
    skipBad: 'Skip all rows with errors',
    skip: (line) => `Skip line ${line}`,
    start: 'Start',
    pause: 'Pause',
    paused: 'Paused.',
    resume: 'Resume',
    download: 'Download results',
    fresh: 'New job',
    progress: 'Progress',
    hasErrors: 'Has errors',
    skipped: 'Skipped',
    success: 'Success',
    phone: 'Mobile number: ',
    amount: 'Amount: ',
    fixFirst: 'Skip or correct the rows with errors before starting.',
    checkOperator: 'Check the operator: Grameenphone is a guess from the prefix 013',
    summary: '30 rows: 27 to send, 3 with errors, 0 skipped.',
    skippedAll: '30 rows: 27 to send, 0 with errors, 3 skipped.',
    resumed: 'This job was saved in this browser and has been opened again.',
    finished: 'Finished.',
    done: '27 of 27 done: 27 successful, 0 failed, 0 pending.',
    totals: 'Still to send, by operator',
    nothingLeft: 'Nothing left to send.',
    // The pacing (one payment every 500 ms) before a rate is measured: 27 rows in 13.5 s.
    eta: 'About 1 min left (120 a minute).',
    skippedFor: 'Skipped, not sent: ',
    include: /^Include line/,
  },
  bn: {
    skip: (line) => `লাইন ${line} বাদ দিন`,
    resume: 'আবার চালু করুন',
    hasErrors: 'ভুল আছে',
    phone: 'মোবাইল নম্বর: ',
    amount: 'টাকার পরিমাণ: ',
    tooLarge: 'টাকার পরিমাণ ৳৫,০০০.০০ বা তার কম হতে হবে।',
    summary: '৩০টি সারি: ২৭টি পাঠানোর জন্য, ৩টিতে ভুল, ০টি বাদ।',
    finished: 'শেষ হয়েছে।',
    done: '২৭টির মধ্যে ২৭টি শেষ: ২৭টি সফল, ০টি ব্যর্থ, ০টি প্রক্রিয়াধীন।',
    progress: 'অগ্রগতি',
  },
};

// 30 rows (lines 2 to 31): GP, Robi and Banglalink numbers, one on the
// shared prefix 013 (a warning, not an error), and three bad ones.
const BAD = {
  6: { phone: '0171234', amount: '30', field: 'phone', en: TEXT.en.invalidPhone, bn: TEXT.bn.invalidPhone },
  15: { phone: '01812345615', amount: '5', field: 'amount', en: TEXT.en.amountTooSmall, bn: TEXT.bn.amountTooSmall },
  24: { phone: '01912345624', amount: '6000', field: 'amount', en: 'Amount must be at most ৳5,000.00.', bn: BULK.bn.tooLarge },
};
const LINES = Array.from({ length: 30 }, (_, i) => i + 2);
const PREFIX = ['017', '018', '019'];
const good = (line) => ({
  phone: line === 10 ? `0131234${String(line).padStart(4, '0')}` : `${PREFIX[line % 3]}1234${String(line).padStart(4, '0')}`,
  amount: String(20 + (line % 5) * 10),
});
const ROWS = LINES.map((line) => ({ line, ...(BAD[line] ?? good(line)), note: `row ${line}` }));
const CSV = ['phone,amount,note', ...ROWS.map((r) => `${r.phone},${r.amount},${r.note}`)].join('\n');
const GOOD = ROWS.filter((r) => !BAD[r.line]);


test('bulk: 30 rows with 3 bad, errors in English and Bangla, skipped, paid once each across a reload mid-job', async () => {
  const B = BULK.en;
  const { page, problems, requests, close } = await openPage(env, { query: { lang: 'en' }, hash: '#bulk' });
  const started = Date.now();
  try {
    const tab = panel(page);
    const rowOf = (line, name = B.skip(line)) => tab.getByRole('row').filter({ has: page.getByRole('button', { name, exact: true }) });
    await tab.getByRole('textbox', { name: B.paste }).fill(CSV);
    await tab.getByRole('button', { name: B.check }).click();

    // Every bad row says what is wrong with which field; the job cannot start yet.
    const status = tab.getByRole('status');
    await expectText(status, B.summary);
    for (const [line, bad] of Object.entries(BAD)) {
      await expectText(rowOf(line), B.hasErrors, `${B[bad.field]}${bad.en}`);
    }
    await expectText(rowOf(10), B.checkOperator);
    await expectText(tab.getByRole('alert'), B.fixFirst);
    assert.equal(await tab.getByRole('button', { name: B.start }).isDisabled(), true, 'no start with rows in error');
    const sums = tab.getByRole('table', { name: B.totals });
    await expectText(sums.getByRole('row').last(), 'All operators', '27', '৳1,090.00');
    await shot(page, 'bulk-en-errors');

    // The same in Bangla: the library's own Bangla for each error.
    await page.getByRole('button', { name: TEXT.en.language }).click();
    const bn = BULK.bn;
    await expectText(status, bn.summary);
    for (const [line, bad] of Object.entries(BAD)) {
      const row = rowOf(line, bn.skip(String(line).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[d])));
      await expectText(row, bn.hasErrors, `${bn[bad.field]}${bad.bn}`);
    }
    await shot(page, 'bulk-bn-errors');
    await page.getByRole('button', { name: TEXT.bn.language }).click();

    // One skipped by its own button, the rest all at once.
    await rowOf(6).getByRole('button').click();
    await until(async () => (await tab.getByRole('button', { name: B.skip(6) }).count()) === 0, 'line 6 skipped');
    await tab.getByRole('button', { name: B.skipBad }).click();
    await expectText(status, B.skippedAll);
    // Each skipped row says why it is not sent.
    for (const [line, bad] of Object.entries(BAD)) await expectText(rowOf(line, `Include line ${line}`), B.skipped, `${B.skippedFor}${bad.en}`);

    // Start, pause (what was sent is settled first), resume. The time left
    // is said at once, from the pacing, not after a burst was measured.
    await tab.getByRole('button', { name: B.start }).click();
    const clicked = Date.now();
    await expectText(status, B.eta);
    assert.ok(Date.now() - clicked < 3_000, `the time left said ${Date.now() - clicked} ms after Start`);
    const bar = tab.getByRole('progressbar', { name: B.progress });
    const done = () => bar.evaluate((el) => el.value);
    await until(async () => (await done()) >= 2, 'the first rows paid', 20_000);
    await tab.getByRole('button', { name: B.pause }).click();
    await expectText(status, B.paused);
    // Rows sent before the pause may stay Pending until the job runs again.
    const count = async () => (await env.admin.transactions(env.token)).transactions.length;
    const [paused, sentBefore] = [await done(), await count()];
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual([await done(), await count()], [paused, sentBefore], 'nothing moves or is sent while paused');
    await tab.getByRole('button', { name: B.resume }).click();

    // Reload the page while the job is half done.
    await until(async () => (await done()) >= paused + 2, 'a few more rows paid', 20_000);
    await shot(page, 'bulk-en-progress');
    const paidBefore = (await env.admin.transactions(env.token)).transactions.length;
    await page.reload();
    await page.getByRole('tablist').waitFor();
    assert.ok(paidBefore >= 4 && paidBefore < GOOD.length, `reloaded mid-job (${paidBefore} of ${GOOD.length} paid)`);

    // The page finds the job, says so, and resumes it when asked, in Bangla this time.
    await expectText(tab, B.resumed);
    await page.getByRole('button', { name: TEXT.en.language }).click();
    await tab.getByRole('button', { name: bn.resume }).click();
    const barBn = tab.getByRole('progressbar', { name: bn.progress });
    await until(async () => {
      const v = await barBn.evaluate((el) => el.value);
      return v > 0 && v < GOOD.length;
    }, 'the job moving again');
    await shot(page, 'bulk-bn-progress');
    // About 2 rows a second for the ~20 left.
    await until(async () => {
      const text = await status.innerText();
      return text.includes(bn.finished) && text.includes(bn.done);
    }, 'the job to finish', 40_000);
    await shot(page, 'bulk-bn-done');
    await page.getByRole('button', { name: TEXT.bn.language }).click();
    await expectText(status, B.finished, B.done);
    await expectText(tab, B.nothingLeft);
    // A finished job's rows stay as they ended: none can be taken back in.
    assert.equal(await tab.getByRole('button', { name: B.include }).count(), 0, 'no Include after the end');
    assert.equal(await tab.getByRole('button', { name: B.skipBad }).count(), 0, 'no Skip all after the end');
    assert.equal(await barBn.count(), 0, 'the bar is named in English again');
    assert.equal(await bar.evaluate((el) => [el.value, el.max].join('/')), `${GOOD.length}/${GOOD.length}`);
    await shot(page, 'bulk-en-done');

    // The results file, as the link gives it.
    const [download] = await Promise.all([page.waitForEvent('download'), tab.getByRole('link', { name: B.download }).click()]);
    // It starts with a UTF-8 BOM, so that Excel reads its Bangla as UTF-8.
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the results file starts with a BOM');
    const results = parse(bytes.subarray(3).toString('utf8'), { columns: true });
    assert.equal(results.length, 30, 'a line for every row');
    assert.deepEqual(Object.keys(results[0]), ['phone', 'amount', 'note', 'ref_id', 'trx_id', 'status', 'message', 'message_bn']);
    const byNote = new Map(results.map((r) => [r.note, r]));
    for (const r of ROWS) {
      const out = byNote.get(r.note);
      if (BAD[r.line]) {
        assert.equal(out.status, 'skipped', `line ${r.line} skipped`);
        assert.deepEqual([out.message, out.message_bn], [`${B.skippedFor}${BAD[r.line].en}`, `বাদ দেওয়া হয়েছে, পাঠানো হয়নি: ${BAD[r.line].bn}`]);
        assert.equal(out.trx_id, '', `line ${r.line} has no transaction`);
      } else {
        assert.equal(out.status, 'success', `line ${r.line}: ${JSON.stringify(out)}`);
        assert.match(out.trx_id, /\S/, `line ${r.line} has its trx_id`);
        assert.match(out.ref_id, new RegExp(`-${r.line}$`), `line ${r.line}'s ref_id names its line`);
      }
    }

    // The gateway holds exactly one transaction per good row, by its ref_id, and none for a bad one.
    const held = (await env.admin.transactions(env.token)).transactions;
    assert.equal(held.length, GOOD.length, 'one transaction per good row');
    const refs = held.map((t) => t.ref_id);
    assert.equal(new Set(refs).size, refs.length, 'no ref_id paid twice');
    for (const r of GOOD) {
      const out = byNote.get(r.note);
      const mine = held.filter((t) => t.ref_id === out.ref_id);
      assert.equal(mine.length, 1, `line ${r.line} paid once`);
      assert.deepEqual([mine[0].phone, Number(mine[0].amount), mine[0].trx_id, mine[0].trx_status], [r.phone, Number(r.amount), out.trx_id, 'Success']);
    }
    for (const line of Object.keys(BAD)) {
      assert.ok(!refs.some((ref) => ref.endsWith(`-${line}`)), `nothing paid for bad line ${line}`);
      assert.ok(!held.some((t) => t.phone === BAD[line].phone), `nothing paid to bad line ${line}'s number`);
    }

    // Every payment went through the proxy with the intent the shop signed for it: no token in the page.
    const payments = requests.filter((r) => r.url === `${env.proxyUrl}${REQUEST}`);
    assert.ok(payments.length >= GOOD.length, `${payments.length} payments sent`);
    for (const p of payments) assert.ok(p.headers['bdpay-intent'], 'each payment carries its intent');
    const intents = requests.filter((r) => r.url === `${env.base}/intents`);
    assert.ok(intents.length >= GOOD.length && intents.length <= GOOD.length + 2, `${intents.length} intents asked`);
    for (const r of requests) {
      assert.equal(r.authorization, null, `${r.url} carries no Authorization`);
      assert.ok(![env.token, env.intentKey].some((s) => JSON.stringify(r).includes(s)), `${r.url} holds no secret`);
    }

    // A new job forgets this one, also after a reload.
    await tab.getByRole('button', { name: B.fresh }).click();
    await tab.getByRole('textbox', { name: B.paste }).waitFor();
    await page.reload();
    await page.getByRole('tablist').waitFor();
    await tab.getByRole('textbox', { name: B.paste }).waitFor();
    assert.deepEqual(problems, []);
    assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
  } finally {
    await close();
  }
});

// On a phone (390×844): a number met twice, one that fails at the gateway
// (it ends in 99) and a bad one. The first line of the duplicate stays good
// and is paid; the rows stack with no sideways scrolling; in Bangla every
// number is in Bengali digits and the gateway's reason is said in Bangla.
test('bulk on a phone: a number twice keeps its first line, rows stack, a failure and skips say why in Bangla', async () => {
  const B = BULK.en;
  const csv = ['phone,amount,note', '01712340002,20,first', '01812340003,20,other', '01712340002,30,again', '01912345699,20,fails', '0171234,20,bad'].join('\n');
  const { page, problems, close } = await openPage(env, { query: { lang: 'en' }, hash: '#bulk', viewport: { width: 390, height: 844 } });
  try {
    const tab = panel(page);
    await tab.getByRole('textbox', { name: B.paste }).fill(csv);
    await tab.getByRole('button', { name: B.check }).click();
    const status = tab.getByRole('status');
    await expectText(status, '5 rows: 3 to send, 2 with errors, 0 skipped.');
    const rowOf = (line, name = B.skip(line)) => tab.getByRole('row').filter({ has: page.getByRole('button', { name, exact: true }) });
    // Line 2 is paid; line 4, the same number again, names it.
    await expectText(rowOf(2), 'Ready');
    await expectText(rowOf(4), B.hasErrors, 'Mobile number: The same number is on line 2 too.');

    // The rows stack: nothing scrolls sideways, each cell a full-width line with its column's name.
    const layout = await tab.locator('table.rows').evaluate((table) => {
      const cells = [...table.querySelectorAll('tbody td')].filter((td) => td.getClientRects().length > 0);
      return {
        page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
        region: [table.parentElement.scrollWidth, table.parentElement.clientWidth],
        narrowest: Math.min(...cells.map((td) => td.getBoundingClientRect().width)),
        labels: [...new Set(cells.map((td) => getComputedStyle(td, '::before').content))],
        head: table.querySelector('thead').getBoundingClientRect().height,
      };
    });
    assert.ok(layout.page[0] <= layout.page[1], `the page scrolls sideways: ${layout.page}`);
    assert.ok(layout.region[0] <= layout.region[1], `the table scrolls sideways: ${layout.region}`);
    assert.ok(layout.narrowest > 300, `a cell ${layout.narrowest} px wide`);
    assert.deepEqual(layout.labels.sort(), ['"Action"', '"Amount (৳)"', '"Line"', '"Mobile number"', '"Operator"', '"Problems"', '"Status"'].sort());
    assert.ok(layout.head <= 1, 'the header row is out of sight');
    // A state or a sentence is not broken a word a line: the state of line 4 is one line.
    const stateCell = rowOf(4).locator('td.state');
    const [h, lh] = await stateCell.evaluate((td) => [td.getBoundingClientRect().height, parseFloat(getComputedStyle(td).lineHeight)]);
    assert.ok(h < 2 * lh, `the state cell is ${h} px high, a line is ${lh}`);
    await shot(page, 'bulk-en-phone-errors');

    // Skipping every row with errors keeps the first line of the duplicate.
    await tab.getByRole('button', { name: B.skipBad }).click();
    await expectText(status, '5 rows: 3 to send, 0 with errors, 2 skipped.');
    await expectText(rowOf(2), 'Ready');
    await expectText(rowOf(4, 'Include line 4'), B.skipped, `${B.skippedFor}The same number is on line 2 too.`);
    await expectText(rowOf(6, 'Include line 6'), B.skipped, `${B.skippedFor}${TEXT.en.invalidPhone}`);

    // In Bangla, run to the end.
    await page.getByRole('button', { name: TEXT.en.language }).click();
    await tab.getByRole('button', { name: 'শুরু করুন' }).click();
    await until(async () => (await status.innerText()).includes(BULK.bn.finished), 'the job to finish', 30_000);
    const failed = tab.getByRole('row').filter({ hasText: 'ব্যর্থ' }).filter({ hasText: '০১৯১২৩৪৫৬৯৯' });
    await expectText(failed, 'গেটওয়ে পেমেন্টটিকে ব্যর্থ দেখিয়েছে: “প্রাপকের নম্বরে পৌঁছানো যায়নি”');
    await expectText(status, '৫টি সারি: ৩টি পাঠানোর জন্য, ০টিতে ভুল, ২টি বাদ।', '৩টির মধ্যে ৩টি শেষ: ২টি সফল, ১টি ব্যর্থ, ০টি প্রক্রিয়াধীন।');
    // No ASCII digit and no English in the tab, but the transactions' ids (codes) and the CSV's own words.
    const text = await tab.evaluate((el) => {
      const copy = el.cloneNode(true);
      for (const id of copy.querySelectorAll('.trx')) id.remove();
      return copy.innerText ?? copy.textContent;
    });
    assert.ok(!/[0-9]/.test(text), `ASCII digits in Bangla: ${JSON.stringify(text.match(/.{0,30}[0-9].{0,30}/g))}`);
    // The intro names the file's columns as they are written in it.
    assertNoEnglish(text, ['CSV', 'operator_code', 'sub_type', 'phone', 'amount', 'type', 'note']);
    // A finished job's rows cannot be taken back in.
    assert.equal(await tab.getByRole('button', { name: /আবার যোগ করুন/ }).count(), 0, 'no Include after the end');
    await shot(page, 'bulk-bn-phone-done');

    const [download] = await Promise.all([page.waitForEvent('download'), tab.getByRole('link', { name: 'ফলাফল ডাউনলোড করুন' }).click()]);
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the results file starts with a BOM');
    const out = new Map(parse(bytes.subarray(3).toString('utf8'), { columns: true }).map((r) => [r.note, r]));
    assert.deepEqual(
      ['first', 'other', 'again', 'fails', 'bad'].map((n) => out.get(n).status),
      ['success', 'success', 'skipped', 'failed', 'skipped'],
    );
    assert.equal(out.get('fails').message_bn, 'গেটওয়ে পেমেন্টটিকে ব্যর্থ দেখিয়েছে: “প্রাপকের নম্বরে পৌঁছানো যায়নি”');
    assert.equal(out.get('again').message_bn, 'বাদ দেওয়া হয়েছে, পাঠানো হয়নি: একই নম্বর ২ নম্বর লাইনেও আছে।');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
