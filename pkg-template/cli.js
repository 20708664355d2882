#!/usr/bin/env node
// `npx bdpay bulk FILE.csv`: pays every good row of a file once, through the
// gateway (BDPAY_BASE_URL, BDPAY_TOKEN), with a progress bar. It does only
// what it was told: an option it does not know, a value it cannot read or a
// second file stops it before anything is read or sent.
//
// The job is kept beside the file (FILE.csv.bdpay-job.jsonl: its plan, then a
// record per step, appended): run the same command again after a crash, a
// kill or Ctrl-C and it resumes, settling the rows whose outcome is unknown
// before sending anything. The results go beside the file (FILE.results.csv).
//
// Exit codes: 0 every row paid; 1 a row failed or has errors; 2 the job
// paused or could not start (no network, a refused token, no balance, a
// changed file, a bad option, Ctrl-C): run the same command again to resume.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BulkJob, GatewayClient, fileStore } from './bulk-node.js';

const PAID = 0;
const ROWS_FAILED = 1;
const PAUSED = 2;

/** Errors shown line by line before the run; the rest are in the results file. */
const ERRORS_SHOWN = 100;
/** After Ctrl-C, how long rows already sent get to be answered before the command exits. */
const GRACE_MS = 1_500;

// The command's own sentences, in English and Bangla (`{name}` is filled in
// by `say`). What the job says about the file and its rows comes from the
// job itself, in both languages (crates/api/src/bulk/notes.rs).
const SAY = {
  usage: [
    `usage: bdpay bulk FILE.csv [--dry-run] [--allow-duplicates] [--encoding windows-1252]
                        [--requests-per-minute N] [--poll-ms N] [--timeout-ms N]

Columns: phone (or Phone Number, mobile), amount, and optionally type (recharge
when left out), operator_code (guessed from the prefix when left out),
sub_type, package_id, and your own (note, a name: kept, never sent).
Comma, semicolon or tab; UTF-8 or UTF-16. Environment: BDPAY_BASE_URL (the
gateway's address) and BDPAY_TOKEN. Exit: 0 all paid, 1 rows failed or have
errors, 2 paused or not started (run the same command again to resume).`,
    `ব্যবহার: bdpay bulk FILE.csv — ফাইলের প্রতিটি সঠিক সারি একবার করে পরিশোধ করে।
কলাম: phone, amount (আর চাইলে type, operator_code, sub_type, package_id, note)।
পরিবেশ: BDPAY_BASE_URL আর BDPAY_TOKEN। ফলাফল: ০ সব পরিশোধিত, ১ কিছু সারি ব্যর্থ বা ভুল,
২ থেমে আছে বা শুরু হয়নি (আবার চালু করতে একই কমান্ড আবার চালান)।`,
  ],
  unknownCommand: ['Unknown command “{command}”: the command is bdpay bulk FILE.csv.', 'অজানা কমান্ড “{command}”: কমান্ডটি হলো bdpay bulk FILE.csv।'],
  unknownOption: ['Unknown option {option}: nothing was read or sent.', 'অজানা অপশন {option}: কিছু পড়া বা পাঠানো হয়নি।'],
  unknownOptionLike: ['Unknown option {option} (did you mean {like}?): nothing was read or sent.', 'অজানা অপশন {option} (আপনি কি {like} বোঝাতে চেয়েছেন?): কিছু পড়া বা পাঠানো হয়নি।'],
  missingValue: ['{option} needs a value: nothing was read or sent.', '{option}-এর পরে একটি মান দিতে হবে: কিছু পড়া বা পাঠানো হয়নি।'],
  noValue: ['{option} takes no value: nothing was read or sent.', '{option}-এর সাথে কোনো মান দেওয়া যায় না: কিছু পড়া বা পাঠানো হয়নি।'],
  badArguments: ['The options cannot be read ({detail}): nothing was read or sent.', 'অপশনগুলো পড়া যায়নি ({detail}): কিছু পড়া বা পাঠানো হয়নি।'],
  badNumber: ['{option} must be a whole number from {min} to {max}, not “{value}”: nothing was read or sent.', '{option} {min} থেকে {max}-এর মধ্যে একটি পূর্ণসংখ্যা হতে হবে, “{value}” নয়: কিছু পড়া বা পাঠানো হয়নি।'],
  badEncoding: ['--encoding takes utf-8 or windows-1252, not “{value}”: nothing was read or sent.', '--encoding-এ utf-8 বা windows-1252 দিন, “{value}” নয়: কিছু পড়া বা পাঠানো হয়নি।'],
  noFile: ['Name the CSV file to pay: bdpay bulk FILE.csv', 'কোন CSV ফাইল পরিশোধ করবেন, তা দিন: bdpay bulk FILE.csv'],
  extraArgument: ['One file at a time: “{extra}” is one argument too many; nothing was read or sent.', 'একবারে একটি ফাইল: “{extra}” বাড়তি; কিছু পড়া বা পাঠানো হয়নি।'],
  noBaseUrl: ['BDPAY_BASE_URL is not set: give the gateway’s address. Nothing was sent.', 'BDPAY_BASE_URL দেওয়া নেই: গেটওয়ের ঠিকানা দিন। কিছু পাঠানো হয়নি।'],
  noToken: ['BDPAY_TOKEN is not set: the gateway pays nothing without its token. Nothing was sent.', 'BDPAY_TOKEN দেওয়া নেই: টোকেন ছাড়া গেটওয়ে কিছু পরিশোধ করে না। কিছু পাঠানো হয়নি।'],
  cannotRead: ['{file} cannot be read ({reason}).', '{file} পড়া যায়নি ({reason})।'],
  encodingHint: [
    'If the file was saved as Windows-1252 (“ANSI”), run the command again with --encoding windows-1252.',
    'ফাইলটি Windows-1252 (“ANSI”) হিসেবে সেভ করা হয়ে থাকলে কমান্ডটি --encoding windows-1252 দিয়ে আবার চালান।',
  ],
  readAs1252: [
    'Read as Windows-1252, as asked: check the names and notes in {results} before trusting them.',
    'কথামতো Windows-1252 হিসেবে পড়া হয়েছে: ভরসা করার আগে {results}-এ নাম আর নোটগুলো দেখে নিন।',
  ],
  fileChanged: [
    '{file} changed since job {job} began ({state}): nothing was sent. Run it with the file as it was; or, for a new job, move {state} away first (its rows already sent would then be paid again).',
    'কাজ {job} শুরু হওয়ার পর {file} বদলেছে ({state}): কিছু পাঠানো হয়নি। ফাইলটি আগের মতো রেখে চালান; নতুন কাজের জন্য আগে {state} সরিয়ে রাখুন (তাহলে আগে পাঠানো সারিগুলো আবার পরিশোধ হবে)।',
  ],
  fileFixed: [
    '{file} changed since job {job} began, and nothing of that job was sent: a new job starts from the file as it is.',
    'কাজ {job} শুরু হওয়ার পর {file} বদলেছে, আর সেই কাজের কিছুই পাঠানো হয়নি: ফাইলটি এখন যেমন আছে, তা থেকে নতুন কাজ শুরু হচ্ছে।',
  ],
  resuming: ['Resuming job {job} from {state}.', '{state} থেকে কাজ {job} আবার চালু হচ্ছে।'],
  newJob: ['Job {job}; rows: {rows} ({encoding}, {delimiter}).', 'কাজ {job}; সারি: {rows}টি ({encoding}, {delimiter})।'],
  moreErrors: ['More rows with errors: {rows}, each one in {results}.', 'ভুলসহ আরও সারি: {rows}টি, প্রতিটি {results}-এ আছে।'],
  dryRun: ['Dry run: nothing was sent. Each row’s check is in {results}.', 'পরীক্ষামূলক চালানো: কিছু পাঠানো হয়নি। প্রতিটি সারির যাচাই {results}-এ আছে।'],
  shortOfBalance: ['Not started: top up the balance, then run the command again.', 'শুরু হয়নি: ব্যালেন্স যোগ করে কমান্ডটি আবার চালান।'],
  notStarted: ['Not started: nothing was sent. Run the command again once this is mended.', 'শুরু হয়নি: কিছু পাঠানো হয়নি। সমস্যাটি ঠিক হলে কমান্ডটি আবার চালান।'],
  balanceUnread: ['The balance could not be read ({code}); going on.', 'ব্যালেন্স পড়া যায়নি ({code}); কাজ চলছে।'],
  legend: [
    'Progress: rows done of those to send; ✓ paid, ✗ failed, … pending at the gateway, ? sent with no answer yet.',
    'অগ্রগতি: পাঠানোর সারিগুলোর মধ্যে যতগুলো শেষ; ✓ পরিশোধিত, ✗ ব্যর্থ, … গেটওয়েতে প্রক্রিয়াধীন, ? পাঠানো হয়েছে কিন্তু উত্তর আসেনি।',
  ],
  pausing: [
    'Ctrl-C: pausing. Nothing more is sent; the job is saved as it stands.',
    'Ctrl-C: থামানো হচ্ছে। আর কিছু পাঠানো হবে না; কাজটি যেখানে আছে সেখানেই সংরক্ষিত।',
  ],
  inFlight: [
    'Rows sent and not answered yet: {rows}. When the command runs again, each is looked up by its ref_id before anything else is sent.',
    'পাঠানো হয়েছে কিন্তু উত্তর এখনো আসেনি: {rows}টি সারি। কমান্ডটি আবার চালালে অন্য কিছু পাঠানোর আগে প্রতিটি তার রেফারেন্স আইডি দিয়ে খোঁজা হবে।',
  ],
  ended: [
    '{paid} paid, {failed} failed, {invalid} with errors, {skipped} skipped, {cancelled} cancelled, {open} not final yet. Results: {results}',
    '{paid}টি পরিশোধিত, {failed}টি ব্যর্থ, {invalid}টিতে ভুল, {skipped}টি বাদ, {cancelled}টি বাতিল, {open}টি এখনো চূড়ান্ত নয়। ফলাফল: {results}',
  ],
  pausedBecause: ['Paused: {en}', 'থেমে আছে: {bn}'],
  runAgain: ['Run the same command again to resume.', 'আবার চালু করতে একই কমান্ড আবার চালান।'],
};

const count = (n, lang) => Number(n).toLocaleString(lang === 'bn' ? 'bn-BD' : 'en-US');

/**
 * One sentence of `SAY` in both languages: `English / Bangla`. Numbers are
 * counted in each language's digits; `{ en, bn }` is a word of each.
 */
function say(key, args = {}) {
  const fill = (template, lang) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => {
      const v = args[name];
      if (v === undefined) return whole;
      if (typeof v === 'number') return count(v, lang);
      return typeof v === 'object' ? v[lang] : String(v);
    });
  const [en, bn] = SAY[key];
  return `${fill(en, 'en')} / ${fill(bn, 'bn')}`;
}

const err = (text) => process.stderr.write(`${text}\n`);
/** An issue or error of the job, as it says it. */
const both = (i) => `${i.message} / ${i.message_bn ?? i.messageBn ?? ''}`;

// ---------------------------------------------------------------- options

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  'allow-duplicates': { type: 'boolean' },
  encoding: { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'poll-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
/** `[least, most, default]` of each number option. */
const NUMBERS = {
  'requests-per-minute': [1, 1_000_000, 30],
  'poll-ms': [10, 3_600_000, 3_000],
  'timeout-ms': [100, 600_000, 30_000],
};

/** What was asked: `{ file, dryRun, ... }`, `{ help }`, or `{ refused: sentence }`. */
function asked(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return { refused: refusal(argv, e) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, file, extra] = positionals;
  if (command !== 'bulk') return { refused: command === undefined ? SAY.usage.join('\n\n') : say('unknownCommand', { command }) };
  if (file === undefined) return { refused: say('noFile') };
  if (extra !== undefined) return { refused: say('extraArgument', { extra }) };
  const numbers = {};
  for (const [name, [min, max, fallback]] of Object.entries(NUMBERS)) {
    const text = values[name];
    const n = text === undefined ? fallback : /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) return { refused: say('badNumber', { option: `--${name}`, min, max, value: text }) };
    numbers[name] = n;
  }
  const encoding = values.encoding?.toLowerCase();
  if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'windows-1252') return { refused: say('badEncoding', { value: values.encoding }) };
  return {
    file,
    dryRun: values['dry-run'] === true,
    allowDuplicates: values['allow-duplicates'] === true,
    encoding: encoding === 'windows-1252' ? encoding : undefined,
    perMinute: numbers['requests-per-minute'],
    pollMs: numbers['poll-ms'],
    timeoutMs: numbers['timeout-ms'],
  };
}

/** Why strict parsing refused `argv`, said in both languages: the argument's own tokens name it (parseArgs' words are English only). */
function refusal(argv, e) {
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = OPTIONS[t.name];
    if (!spec) {
      const flat = (name) => name.replace(/[-_]/g, '').toLowerCase();
      const like = Object.keys(OPTIONS).find((k) => flat(k) === flat(t.name));
      return like ? say('unknownOptionLike', { option: t.rawName, like: `--${like}` }) : say('unknownOption', { option: t.rawName });
    }
    if (spec.type === 'boolean' && t.inlineValue) return say('noValue', { option: t.rawName });
    if (spec.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) return say('missingValue', { option: t.rawName });
  }
  return say('badArguments', { detail: e.code ?? 'unknown' });
}

// ---------------------------------------------------------------- progress

const grouped = (n) => n.toLocaleString('en-US');

function bar(p, width = 24) {
  const done = p.success + p.failed;
  const todo = done + p.pending + p.sending + p.queued;
  const filled = todo === 0 ? width : Math.round((done / todo) * width);
  const rate = p.rate_per_minute == null ? '' : ` · ${grouped(p.rate_per_minute)}/min`;
  const eta = p.eta_ms == null ? '' : ` · ~${grouped(Math.ceil(p.eta_ms / 60_000))} min`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${grouped(done)}/${grouped(todo)} · ✓${grouped(p.success)} ✗${grouped(p.failed)} …${grouped(p.pending)} ?${grouped(p.sending)}${rate}${eta}`;
}

// ---------------------------------------------------------------- the command

/** Ctrl-C: the first pauses the job (and, past the grace, ends the command); one pressed again later ends it at once. */
const interrupt = { at: 0, then: () => {} };
process.on('SIGINT', () => {
  const now = Date.now();
  if (!interrupt.at) {
    interrupt.at = now;
    err(`\n${say('pausing')}`);
    interrupt.then(false);
  } else if (now - interrupt.at > 500) {
    // Not the copy npm forwards with the first: pressed again.
    interrupt.then(true);
  }
});

async function bulk(a) {
  const baseUrl = process.env.BDPAY_BASE_URL;
  const token = process.env.BDPAY_TOKEN;
  if (!a.dryRun && !baseUrl) {
    err(say('noBaseUrl'));
    return PAUSED;
  }
  if (!a.dryRun && !token) {
    err(say('noToken'));
    return PAUSED;
  }
  let client;
  try {
    client = new GatewayClient({
      baseUrl: baseUrl ?? 'http://127.0.0.1:9',
      token: a.dryRun ? undefined : token,
      rateLimit: { perMinute: Math.max(60, a.perMinute * 2), requestPerMinute: a.perMinute },
      pollIntervalMs: a.pollMs,
      timeoutMs: a.timeoutMs,
      // Each call once, bounded by the timeout: the job asks again itself,
      // and pauses when calls keep failing.
      maxRetries: 0,
    });
  } catch (e) {
    // A plain-http URL off this machine with a token, …: said, never the token.
    const said = e.fieldErrors?.length ? e.fieldErrors : [e];
    for (const f of said) err(both(f));
    return PAUSED;
  }
  let bytes;
  try {
    bytes = readFileSync(a.file);
  } catch (e) {
    err(say('cannotRead', { file: a.file, reason: e.code ?? 'error' }));
    return PAUSED;
  }
  const results = `${a.file.replace(/\.csv$/i, '')}.results.csv`;
  const statePath = `${a.file}.bdpay-job.jsonl`;
  // A dry run's job is only checked: kept nowhere.
  const store = a.dryRun ? null : fileStore(statePath, { formerly: `${a.file}.bdpay-job.json` });
  let job;
  try {
    job = await BulkJob.open({ client, csv: bytes, encoding: a.encoding, store, allowDuplicates: a.allowDuplicates });
  } catch (e) {
    err(`${a.file}: ${both(e)}`);
    if (e.code === 'not_utf8') err(say('encodingHint'));
    return PAUSED;
  }
  if (job.resumed && !job.matches(bytes, { encoding: a.encoding })) {
    const p = job.progress();
    if (p.success + p.failed + p.pending + p.sending > 0) {
      err(say('fileChanged', { file: a.file, job: job.id, state: statePath }));
      return PAUSED;
    }
    // Nothing of that job was ever sent (its rows were being fixed, say): the file as it is now is the job.
    err(say('fileFixed', { file: a.file, job: job.id }));
    await store.clear();
    try {
      job = await BulkJob.open({ client, csv: bytes, encoding: a.encoding, store, allowDuplicates: a.allowDuplicates });
    } catch (e) {
      err(`${a.file}: ${both(e)}`);
      return PAUSED;
    }
  }
  // Only a resumed job compares the file again.
  bytes = null;
  const delimiter = { ',': { en: 'comma', bn: 'কমা' }, ';': { en: 'semicolon', bn: 'সেমিকোলন' }, '\t': { en: 'tab', bn: 'ট্যাব' } }[job.delimiter] ?? job.delimiter;
  err(job.resumed ? say('resuming', { job: job.id, state: statePath }) : say('newJob', { job: job.id, rows: job.progress().total, encoding: job.encoding ?? 'text', delimiter }));
  if (a.encoding) err(say('readAs1252', { results }));

  // What the check found: the first errors, each kind of warning once, the totals.
  const summary = job.summary(ERRORS_SHOWN);
  for (const e of summary.errors) err(`line ${e.line}: ${e.field || 'row'}: ${e.message} / লাইন ${count(e.line, 'bn')}: ${e.field || 'row'}: ${e.message_bn}`);
  const shown = new Set(summary.errors.map((e) => e.line)).size;
  if (summary.invalid > shown) err(say('moreErrors', { rows: summary.invalid - shown, results }));
  for (const w of summary.warnings) err(both(w));
  const totals = job.totals();
  const [toSend, ...more] = totals.notes;
  err(both(toSend));
  for (const o of totals.operators) err(`  ${both(o)}`);
  for (const n of more) err(both(n));
  if (a.dryRun) {
    writeResults(job, results);
    err(say('dryRun', { results }));
    return summary.invalid > 0 ? ROWS_FAILED : PAID;
  }
  if (interrupt.at) return PAUSED;

  // Nothing starts that cannot go on: the token, the network and the balance first.
  try {
    const short = await untilInterrupted(job.checkBalance(), 0);
    if (short === INTERRUPTED) return PAUSED;
    if (short.length > 0) {
      for (const s of short) err(both(s));
      err(say('shortOfBalance'));
      return PAUSED;
    }
  } catch (e) {
    if (e.kind !== 'rate_limited') {
      err(both(e));
      err(say('notStarted'));
      return PAUSED;
    }
    err(say('balanceUnread', { code: e.code }));
  }
  if (interrupt.at) return PAUSED;

  err(say('legend'));
  // Drawn at most ten times a second on a terminal, every five seconds otherwise.
  const tty = process.stderr.isTTY;
  let last = 0;
  job.onChange((_row, p) => {
    const now = Date.now();
    if (now - last < (tty ? 100 : 5000) && !p.finished) return;
    last = now;
    if (tty) process.stderr.write(`\r${bar(p)}\x1b[K`);
    else err(bar(p));
  });
  const finish = (ended) => {
    if (tty) process.stderr.write('\n');
    writeResults(job, results);
    const p = job.progress();
    if (ended === INTERRUPTED && p.sending + p.pending > 0) err(say('inFlight', { rows: p.sending + p.pending }));
    err(say('ended', { paid: p.success, failed: p.failed, invalid: p.invalid, skipped: p.skipped, cancelled: p.cancelled, open: p.sending + p.pending + p.queued, results }));
    if (ended !== 'finished') {
      if (p.halt) err(say('pausedBecause', { en: p.halt.message, bn: p.halt.message_bn }));
      err(say('runAgain'));
      return PAUSED;
    }
    return p.failed > 0 || p.invalid > 0 ? ROWS_FAILED : PAID;
  };
  let ended;
  try {
    ended = await untilInterrupted(job.start(), GRACE_MS, () => job.pause(), () => finish(INTERRUPTED));
  } catch (e) {
    err(`\n${both(e)}`);
    return PAUSED;
  }
  return finish(ended);
}

/** The results file, a part at a time (a file of 50,000 rows is never one string). */
function writeResults(job, path) {
  const fd = openSync(path, 'w');
  try {
    for (const part of job.resultsCsvParts()) {
      for (let at = 0; at < part.length; ) at += writeSync(fd, part, at);
    }
  } finally {
    closeSync(fd);
  }
}

const INTERRUPTED = Symbol('interrupted');

/**
 * `promise`, or INTERRUPTED once `graceMs` have passed since Ctrl-C (`stop`
 * is called at once). A second Ctrl-C ends the command there and then, with
 * what `now()` says (the store is always whole: it is written synchronously).
 */
function untilInterrupted(promise, graceMs, stop = () => {}, now = () => PAUSED) {
  return new Promise((resolve, reject) => {
    let timer;
    const then = (again) => {
      if (again) {
        process.exitCode = now();
        process.exit();
      }
      stop();
      timer ??= setTimeout(() => resolve(INTERRUPTED), graceMs);
    };
    interrupt.then = then;
    if (interrupt.at) then(false);
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      // Only this wait's own: the next one may have begun already.
      if (interrupt.then === then) interrupt.then = () => {};
    });
  });
}

const a = asked(process.argv.slice(2));
if (a.help) {
  err(SAY.usage.join('\n\n'));
} else if (a.refused) {
  err(a.refused);
  process.exitCode = PAUSED;
} else {
  process.exitCode = await bulk(a);
  // Rows sent before a Ctrl-C may still be waiting for their answers: they
  // are looked up when the command runs again, not waited for here.
  if (interrupt.at) process.exit();
}
