// `npx bdpay bulk` against the sandbox: a 1,000-row file with 5% bad rows,
// the command killed (SIGKILL) and run again three times, faults injected
// at the gateway, Ctrl-C: whatever happens, every good row is exactly one
// transaction in the sandbox, and no bad row reaches it. And it does only
// what it was told: a mistyped option, a file it cannot read as it is, no
// network or no token stop it before anything is sent, saying why in
// English and Bangla.
//
// BDPAY_CLI=path/to/cli.js runs these against another build of the command.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sandboxAdmin } from '../clients/admin.mjs';
import { root, startSandbox } from '../clients/sandbox.mjs';

const CLI = process.env.BDPAY_CLI ?? `${root}node_modules/bdpay/cli.js`;
let sandbox;
let admin;
const dir = mkdtempSync(join(tmpdir(), 'bdpay-bulk-'));

before(async () => {
  sandbox = await startSandbox();
  admin = sandboxAdmin(sandbox.url, { settleMs: 40 });
});
after(() => sandbox?.stop());

/** A fresh account with room for the whole file and no gateway throttling. */
const account = () => admin.account({ rate_limit: false, balances: { flexiload_balance: '1000000', bank_balance: '1000000' } });

const BAD = ['0171234567', '01112345678', 'abc', '01712345678X'];
const PREFIXES = ['017', '018', '019', '015', '013', '014'];
const BANGLA = /[\u0980-\u09FF]/;

/** `n` rows, every 20th bad (a bad number or amount); numbers ending 99 settle Failed. */
function file(n, name) {
  const lines = ['phone,amount,note'];
  const bad = new Set();
  for (let i = 0; i < n; i++) {
    const line = i + 2;
    if (i % 20 === 7) {
      bad.add(line);
      lines.push(i % 40 === 7 ? `${BAD[i % BAD.length]},50,bad number` : `017${String(10000000 + i).slice(-8)},1.005,bad amount`);
    } else {
      lines.push(`${PREFIXES[i % PREFIXES.length]}${String(20000000 + i * 7).slice(-8)},${10 + (i % 50)}.50,row ${i}`);
    }
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return { path, bad, good: n - bad.size };
}

/** A file of exactly these bytes (or text). */
function raw(name, content) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/**
 * Runs the command; `{ code, signal, stderr, ms, wchar }`. `killAfterMs` sends
 * SIGKILL then; `signals` sends `[ms, signal]` pairs; `until(stderr)` is
 * checked as stderr grows, for `onOutput`.
 */
function bulk(path, token, { extra = [], killAfterMs, env = {}, args, limit = 6000, signals = [], onStart } = {}) {
  const argv = args ?? ['bulk', path, '--requests-per-minute', String(limit), '--poll-ms', '100', ...extra];
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...argv], {
    env: { ...process.env, BDPAY_BASE_URL: sandbox.url, BDPAY_TOKEN: token, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let wchar = 0;
  child.stderr.on('data', (d) => (stderr += d));
  const io = setInterval(() => {
    try {
      wchar = Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))[1]);
    } catch {
      // Gone already.
    }
  }, 50);
  if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  for (const [ms, signal] of signals) setTimeout(() => child.exitCode === null && child.kill(signal), ms);
  onStart?.(child, () => stderr);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearInterval(io);
      resolve({ code, signal, stderr, ms: Date.now() - started, wchar });
    }),
  );
}

/** Resolves once `f()` is true (checked every 20 ms), or rejects after `ms`. */
async function until(f, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The job as its store holds it: `{ id, rows: [{ line, state, ref_id }] }`,
 * from the plan and the records appended after it (a row's last record
 * wins), or from an older version's whole state.
 */
function state(path) {
  const journal = `${path}.bdpay-job.jsonl`;
  if (!existsSync(journal)) return JSON.parse(readFileSync(`${path}.bdpay-job.json`, 'utf8'));
  const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
  const head = JSON.parse(lines[0]);
  const rows = lines.slice(1, 1 + head.rows).map((l) => JSON.parse(l));
  const byLine = new Map(rows.map((r) => [r.line, { line: r.line, ref_id: `${head.id}-${r.line}`, state: null }]));
  for (const l of lines.slice(1 + head.rows)) {
    const r = JSON.parse(l);
    if (r.line !== undefined && r.state !== undefined) byLine.get(r.line).state = r.state;
  }
  return { id: head.id, rows: [...byLine.values()] };
}
/** Whether a stored row's request was ever sent. */
const sent = (row) => !['invalid', 'skipped', 'queued', 'cancelled', null].includes(row.state);

/** The sandbox holds exactly one transaction per sent row of the stored job, none for another. */
async function exactlyOnce(path, token) {
  const { transactions } = await admin.transactions(token);
  const held = transactions.map((t) => t.ref_id).sort();
  const job = state(path);
  const good = job.rows.filter(sent).map((r) => r.ref_id).sort();
  assert.equal(new Set(held).size, held.length, 'a ref_id paid twice');
  assert.deepEqual(held, good);
  return { job, held };
}

/** The results file: a BOM (so that Excel reads its Bangla as UTF-8), a header and one line per row (the notes hold no newline). */
function results(path, rows) {
  const bytes = readFileSync(path.replace(/\.csv$/, '.results.csv'));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the results file starts with a UTF-8 BOM');
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'phone,amount,note,ref_id,trx_id,status,message,message_bn');
  assert.equal(lines.length, rows + 1);
  return text;
}

const temporaries = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

test('a 1,000-row file with 5% bad rows: each good row is paid once, no bad row is sent, the state only appended to', async () => {
  const token = await account();
  const { path, bad, good } = file(1000, 'thousand.csv');
  const run = await bulk(path, token);
  assert.equal(run.code, 1, `exit 1: rows with errors\n${run.stderr.slice(-2000)}`);
  const { job, held } = await exactlyOnce(path, token);
  assert.equal(held.length, good);
  const by = (s) => job.rows.filter((r) => r.state === s).length;
  assert.equal(by('success') + by('failed'), good);
  for (const r of job.rows.filter((r) => !sent(r))) assert.ok(bad.has(r.line), `line ${r.line} was not sent`);
  // Each bad row's errors, in English and Bangla, before anything was sent.
  for (const line of bad) assert.match(run.stderr, new RegExp(`line ${line}: (phone|amount): [^/]+ / .*[\u0980-\u09FF]`));
  const csv = results(path, 1000);
  assert.match(csv, /,success,,\r\n/);
  // Everything the process wrote (the journal, the results, what it said), per row:
  // a record per step, not the whole job again (which came to megabytes a row).
  const perRow = run.wchar / 1000;
  assert.ok(perRow < 3000, `${perRow.toFixed(0)} bytes written per row`);
  console.log(`1,000 rows: ${(run.ms / 1000).toFixed(1)} s, ${held.length} transactions, ${by('success')} success, ${by('failed')} failed, ${perRow.toFixed(0)} bytes written a row`);
});

test('killed three times at random points and run again, it still pays each row once and leaves no temporary file', async () => {
  const token = await account();
  const { path, good } = file(300, 'killed.csv');
  // What a kill of the previous version left about one time in three.
  raw('killed.csv.bdpay-job.json.4242.tmp', '{"version":1');
  const counts = [];
  for (let kill = 0; kill < 3; kill++) {
    const before = await admin.count(token);
    const run = await bulk(path, token, { killAfterMs: 400 + Math.floor(Math.random() * 900) });
    counts.push(`${run.signal ?? run.code}: ${before}→${await admin.count(token)}`);
  }
  assert.ok(existsSync(`${path}.bdpay-job.jsonl`) || existsSync(`${path}.bdpay-job.json`), 'the job was stored before the kills');
  const last = await bulk(path, token);
  assert.equal(last.code, 1, last.stderr.slice(-2000));
  assert.match(last.stderr, /Resuming job/);
  const { job, held } = await exactlyOnce(path, token);
  assert.equal(held.length, good);
  assert.ok(job.rows.every((r) => ['success', 'failed', 'invalid', null].includes(r.state)), 'every row final or never sent');
  results(path, 300);
  assert.deepEqual(temporaries(), []);
  console.log(`kill-and-resume: ${counts.join(', ')}, then ${held.length} transactions for ${good} good rows`);
});

test('faults at the gateway during a run: still exactly once', async () => {
  const token = await account();
  const { path, good } = file(60, 'faults.csv');
  const request = '/api/gateway/v1/request';
  const status = '/api/gateway/v1/status';
  for (const spec of [
    { kind: 'reset', path: request, token },
    { kind: 'drop_after_commit', path: request, token },
    { kind: 'status', code: 503, phase: 'before', path: request, token },
    { kind: 'status', code: 503, phase: 'after', path: request, token },
    { kind: 'rate_limit', secs: 1, path: request, token },
    { kind: 'latency', ms: 1500, phase: 'after', path: request, token },
    { kind: 'truncated', path: request, token },
    { kind: 'reset', path: status, token },
    { kind: 'status', code: 503, path: status, token },
  ]) {
    await admin.fault(spec);
  }
  const run = await bulk(path, token, { extra: ['--timeout-ms', '700'] });
  assert.equal(run.code, 1, run.stderr.slice(-2000));
  const { held } = await exactlyOnce(path, token);
  assert.equal(held.length, good);
  assert.deepEqual((await fetch(`${sandbox.url}/__sandbox/faults`).then((r) => r.json())).faults, [], 'every fault was hit');
});

test('a file changed since its job began is refused once rows were sent, and starts a new job when none was', async () => {
  const token = await account();
  const { path } = file(5, 'changed.csv');
  const first = await bulk(path, token);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(await admin.count(token), 5);
  writeFileSync(path, readFileSync(path, 'utf8').replace('row 0', 'row zero'));
  const again = await bulk(path, token);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /changed since job .* nothing was sent/);
  assert.match(again.stderr, BANGLA);
  assert.equal(await admin.count(token), 5);

  // Stopped before anything went (no network), then the file fixed: a new job.
  const { path: fixed } = file(4, 'fixed.csv');
  const down = await bulk(fixed, token, { env: { BDPAY_BASE_URL: 'http://127.0.0.1:9' } });
  assert.equal(down.code, 2);
  writeFileSync(fixed, readFileSync(fixed, 'utf8').replace('row 0', 'row zero'));
  const other = await account();
  const rerun = await bulk(fixed, other);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /nothing of that job was sent: a new job starts/);
  assert.equal(await admin.count(other), 4);
});

test('a token is never sent over plain http off this machine: the command refuses to start', async () => {
  const { path } = file(3, 'insecure.csv');
  const run = await bulk(path, 'secret-token-123', { env: { BDPAY_BASE_URL: 'http://gateway.example' } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /baseUrl/);
  assert.doesNotMatch(run.stderr, /secret-token-123/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

test('--dry-run checks the file and sends nothing', async () => {
  const token = await account();
  const { path } = file(40, 'dry.csv');
  const run = await bulk(path, token, { extra: ['--dry-run'] });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /line 9: phone: Enter an 11-digit Bangladeshi mobile number/);
  assert.match(run.stderr, /line 9: phone: .*১১ অঙ্কের/);
  assert.match(run.stderr, /line 29: amount: Amount can have at most 2 decimal places/);
  assert.equal(await admin.count(token), 0);
  assert.ok(!existsSync(`${path}.bdpay-job.jsonl`), 'a dry run leaves no job behind');
});

// ---------------------------------------------------------------- issue 25: it does only what it was told

test('a mistyped option, a bad value or a second file stops it before anything is read or sent', async () => {
  const token = await account();
  const { path } = file(3, 'typo.csv');
  for (const [extra, says] of [
    [['--dryrun'], /Unknown option --dryrun \(did you mean --dry-run\?\).*অজানা অপশন --dryrun/],
    [['--dry-run=yes'], /--dry-run takes no value/],
    [['--timeout-ms', 'abc'], /--timeout-ms must be a whole number from 100 to 600,000, not “abc”.*--timeout-ms ১০০ থেকে/],
    [['--timeout-ms'], /--timeout-ms needs a value/],
    [['--requests-per-minute', '--dry-run'], /--requests-per-minute needs a value/],
    [['--encoding', 'latin1'], /--encoding takes utf-8 or windows-1252, not “latin1”/],
    [['other.csv'], /One file at a time: “other.csv” is one argument too many/],
  ]) {
    const run = await bulk(path, token, { args: ['bulk', path, ...extra] });
    assert.equal(run.code, 2, `${extra.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, says, extra.join(' '));
    assert.match(run.stderr, BANGLA, extra.join(' '));
  }
  assert.equal(await admin.count(token), 0, 'nothing was paid');
  assert.ok(!existsSync(`${path}.bdpay-job.jsonl`) && !existsSync(`${path}.bdpay-job.json`), 'the file was never read into a job');
});

test('no network: it pauses with exit 2 and says why, before the progress bar or soon after losing the gateway', async () => {
  const token = await account();
  const { path } = file(3, 'offline.csv');
  const run = await bulk(path, token, { env: { BDPAY_BASE_URL: 'http://127.0.0.1:9' }, killAfterMs: 30_000 });
  assert.equal(run.code, 2, `${run.signal ?? run.code} after ${run.ms} ms: ${run.stderr.slice(-1000)}`);
  assert.ok(run.ms < 10_000, `${run.ms} ms`);
  assert.match(run.stderr, /could not be reached.*নেটওয়ার্ক/);
  assert.doesNotMatch(run.stderr, /\[[#.]+\]/, 'no progress bar');

  // The gateway lost in the middle of a run: paused, saying why, within a few seconds.
  const own = await startSandbox();
  try {
    const ownAdmin = sandboxAdmin(own.url, { settleMs: 40 });
    const t = await ownAdmin.account({ rate_limit: false, balances: { flexiload_balance: '1000000' } });
    const { path: lost } = file(400, 'lost.csv');
    const mid = await bulk(lost, t, {
      limit: 300,
      extra: ['--timeout-ms', '1000'],
      env: { BDPAY_BASE_URL: own.url },
      killAfterMs: 30_000,
      onStart: () => until(async () => (await ownAdmin.count(t)) >= 50, '50 payments').then(() => own.stop('SIGKILL')),
    });
    assert.equal(mid.code, 2, `${mid.signal ?? mid.code}: ${mid.stderr.slice(-1500)}`);
    assert.match(mid.stderr, /Paused: .*calls in a row to the gateway failed.*থেমে আছে: .*ব্যর্থ/);
    assert.match(mid.stderr, /Run the same command again to resume/);
  } finally {
    await own.stop();
  }
});

test('Ctrl-C while the pacing waits: nothing more is sent, the command ends within two seconds, and the rerun finishes once', async () => {
  const token = await account();
  const { path } = file(40, 'pacing.csv');
  let pressed = 0;
  // 30 payments a minute (the default): 30 go at once, the 31st waits for the minute.
  const run = await bulk(path, token, {
    limit: 30,
    killAfterMs: 15_000,
    onStart: (child) =>
      until(async () => (await admin.count(token)) >= 28, '28 payments')
        .then(() => new Promise((r) => setTimeout(r, 500)))
        .then(() => {
          pressed = Date.now();
          child.kill('SIGINT');
        }),
  });
  const after = await admin.count(token);
  assert.equal(run.code, 2, `${run.signal ?? run.code}: ${run.stderr.slice(-1500)}`);
  assert.ok(Date.now() - pressed < 2_500, `ended ${Date.now() - pressed} ms after Ctrl-C`);
  assert.match(run.stderr, /Ctrl-C: pausing\. Nothing more is sent.*থামানো হচ্ছে/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await admin.count(token), after, 'nothing sent after the command ended');
  assert.ok(after <= 30, `${after} paid: never past the pacing`);
  const rerun = await bulk(path, token);
  assert.equal(rerun.code, 1, rerun.stderr.slice(-1500));
  const { held } = await exactlyOnce(path, token);
  assert.equal(held.length, 38);
});

test('Ctrl-C arriving twice at once (npm forwards its own): the job is saved and the exit is 2, not a signal', async () => {
  const token = await account();
  const { path } = file(40, 'npx.csv');
  const run = await bulk(path, token, {
    limit: 30,
    killAfterMs: 15_000,
    onStart: (child) =>
      until(async () => (await admin.count(token)) >= 28, '28 payments')
        .then(() => new Promise((r) => setTimeout(r, 300)))
        .then(() => {
          child.kill('SIGINT');
          // npm's copy, once its own handler ran (the terminal signals the whole group).
          setTimeout(() => child.kill('SIGINT'), 50);
        }),
  });
  assert.equal(run.signal, null, run.stderr.slice(-1500));
  assert.equal(run.code, 2, run.stderr.slice(-1500));
  const rerun = await bulk(path, token);
  assert.equal(rerun.code, 1, rerun.stderr.slice(-1500));
  const { held } = await exactlyOnce(path, token);
  assert.equal(held.length, 38);
});

test('a missing token stops it before the progress bar', async () => {
  const token = await account();
  const { path } = file(3, 'notoken.csv');
  const run = await bulk(path, token, { env: { BDPAY_TOKEN: '' } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /BDPAY_TOKEN is not set.*BDPAY_TOKEN দেওয়া নেই/);
  assert.doesNotMatch(run.stderr, /\[[#.]+\]/, 'no progress bar');
  assert.equal(await admin.count(token), 0);
});

test('a Windows-1252 file is refused saying what was found, and read as Windows-1252 only when asked', async () => {
  const token = await account();
  const ansi = Buffer.concat([Buffer.from('phone,amount,note\r\n01712345678,10,Jos'), Buffer.from([0xe9]), Buffer.from(' N'), Buffer.from([0xfa, 0xf1]), Buffer.from('ez\r\n')]);
  const path = raw('ansi.csv', ansi);
  const run = await bulk(path, token);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /not UTF-8 text: line 2 holds the byte 0xE9.*UTF-8/);
  assert.match(run.stderr, /--encoding windows-1252/);
  assert.match(run.stderr, BANGLA);
  assert.equal(await admin.count(token), 0, 'nothing paid from a mangled file');

  const asked = await bulk(path, token, { extra: ['--encoding', 'windows-1252'] });
  assert.equal(asked.code, 0, asked.stderr);
  assert.match(asked.stderr, /Read as Windows-1252, as asked/);
  assert.match(readFileSync(join(dir, 'ansi.results.csv'), 'utf8'), /,José Núñez,/);
  assert.equal(await admin.count(token), 1);
});

test('UTF-16, semicolons and other names of a column are read; an empty file, a picture and doubtful cells are refused with their reason', async () => {
  const utf16 = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  for (const [name, content, code, says] of [
    ['utf16.csv', utf16('phone\tamount\r\n01712345678\t10\r\n'), 0, /Rows to send: 1, ৳10\.00 in all/],
    ['semicolon.csv', 'phone;amount;note\n01712345678;10;a, b\n', 0, /Rows to send: 1, ৳10\.00 in all/],
    ['named.csv', 'Phone Number,Amount\n01712345678,10\n', 0, /Rows to send: 1, ৳10\.00 in all/],
    ['empty.csv', '', 2, /The file is empty\..*ফাইলটি খালি/],
    ['header.csv', 'phone,amount\n', 2, /The file has a header but no rows/],
    ['picture.csv', Buffer.from('89504e470d0a1a0a0000000d4948445200000010', 'hex'), 2, /This is not a CSV file: it is a PNG image/],
    ['nophone.csv', 'name;number;taka\nRahim;01712345678;10\n', 2, /no phone column; the header row has: “name”, “number”, “taka”/],
    ['twophones.csv', 'phone,Phone Number,amount\n01712345678,01812345678,10\n', 2, /The columns “phone” and “Phone Number” both give the phone/],
    ['exponent.csv', 'phone,amount\n01712345678,1e3\n', 1, /line 2: amount: Write the amount out in full, like 1000: “1e3”/],
    ['dash.csv', 'phone,amount\n017\u201312345678,10\n', 1, /line 2: phone: The number holds “\u2013” \(U\+2013\)/],
  ]) {
    const path = raw(name, content);
    const run = await bulk(path, 'unused', { extra: ['--dry-run'] });
    assert.equal(run.code, code, `${name}: ${run.stderr}`);
    assert.match(run.stderr, says, name);
    assert.match(run.stderr, BANGLA, name);
  }
});

test('warnings are summed up, one line per kind, with every row in the results file', async () => {
  const lines = ['phone,amount'];
  for (let i = 0; i < 300; i++) lines.push(`013${String(30000000 + i).slice(-8)},10`);
  const path = raw('ported.csv', lines.join('\n'));
  const run = await bulk(path, 'unused', { extra: ['--dry-run'] });
  assert.equal(run.code, 0, run.stderr);
  const said = run.stderr.split('\n').filter((l) => l.includes('check_operator'));
  assert.equal(said.length, 1, run.stderr.slice(0, 2000));
  assert.match(said[0], /Rows to check \(check_operator\): 300, like line 2: Check the operator.* \/ .*৩০০টি/);
  assert.equal(readFileSync(join(dir, 'ported.results.csv'), 'utf8').match(/Check the operator/g).length, 300);
});

test('a resumed job counts what it will send: rows sent before with no answer', async () => {
  const token = await account();
  const path = raw('resumed.csv', 'phone,amount\n01712345678,10\n01812345678,20\n01912345678,30\n');
  // As the previous version stored a job killed while three requests were on
  // their way (none of which reached the gateway).
  const rows = ['01712345678,10', '01812345678,20', '01912345678,30'].map((r, i) => ({
    line: i + 2,
    cells: r.split(','),
    state: 'sending',
    ref_id: `bk-resumed-${i + 2}`,
  }));
  writeFileSync(`${path}.bdpay-job.json`, JSON.stringify({ version: 1, id: 'bk-resumed', columns: ['phone', 'amount'], rows, stop: null, allow_duplicates: false }));
  const run = await bulk(path, token);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Rows to send: 3, ৳60\.00 in all\./);
  assert.match(run.stderr, /Of these, sent before with no answer: 3\./);
  assert.equal(await admin.count(token), 3);
  assert.ok(!existsSync(`${path}.bdpay-job.json`), 'the old whole state was written again in the new form');
  const { held } = await exactlyOnce(path, token);
  assert.deepEqual(held, ['bk-resumed-2', 'bk-resumed-3', 'bk-resumed-4']);
});
