// `npx bdpay bulk` against the sandbox: a 1,000-row file with 5% bad rows,
// the command killed (SIGKILL) and run again three times, and faults
// injected at the gateway. Whatever happens, every good row is exactly one
// transaction in the sandbox, and no bad row reaches it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sandboxAdmin } from '../clients/admin.mjs';
import { root, startSandbox } from '../clients/sandbox.mjs';

const CLI = `${root}node_modules/bdpay/cli.js`;
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

/** Runs the command; `{ code, signal, stderr }`. `killAfterMs` sends SIGKILL then. */
function bulk(path, token, { extra = [], killAfterMs } = {}) {
  const args = [CLI, 'bulk', path, '--requests-per-minute', '6000', '--poll-ms', '100', ...extra];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, BDPAY_BASE_URL: sandbox.url, BDPAY_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/**
 * The job as its store holds it: `{ id, rows: [{ line, state, ref_id }] }`, from
 * its plan and the records appended after it (a row's last record wins; a row
 * with none was never sent).
 */
function state(path) {
  const lines = readFileSync(`${path}.bdpay-job.json`, 'utf8').split('\n').filter(Boolean);
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

/** The sandbox holds exactly one transaction per good row of the saved job, none for another. */
async function exactlyOnce(path, token) {
  const { transactions } = await admin.transactions(token);
  const held = transactions.map((t) => t.ref_id).sort();
  const job = state(path);
  const good = job.rows.filter(sent).map((r) => r.ref_id).sort();
  assert.equal(new Set(held).size, held.length, 'a ref_id paid twice');
  assert.deepEqual(held, good);
  return { job, held };
}

/** The results file: a header and one line per row (the notes hold no newline). */
function results(path, rows) {
  const text = readFileSync(path.replace(/\.csv$/, '.results.csv'), 'utf8');
  const lines = text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'phone,amount,note,ref_id,trx_id,status,message,message_bn');
  assert.equal(lines.length, rows + 1);
  return text;
}

test('a 1,000-row file with 5% bad rows: each good row is paid once, no bad row is sent', async () => {
  const token = await account();
  const { path, bad, good } = file(1000, 'thousand.csv');
  const started = Date.now();
  const run = await bulk(path, token);
  const seconds = (Date.now() - started) / 1000;
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
  console.log(`1,000 rows: ${seconds.toFixed(1)} s, ${held.length} transactions, ${by('success')} success, ${by('failed')} failed, ${by('invalid')} invalid`);
});

test('killed three times at random points and run again, it still pays each row once', async () => {
  const token = await account();
  const { path, good } = file(300, 'killed.csv');
  const counts = [];
  for (let kill = 0; kill < 3; kill++) {
    const before = await admin.count(token);
    const run = await bulk(path, token, { killAfterMs: 400 + Math.floor(Math.random() * 900) });
    counts.push(`${run.signal ?? run.code}: ${before}→${await admin.count(token)}`);
  }
  assert.ok(existsSync(`${path}.bdpay-job.json`), 'the state was saved before the kills');
  const last = await bulk(path, token);
  assert.equal(last.code, 1, last.stderr.slice(-2000));
  assert.match(last.stderr, /Resuming job/);
  const { job, held } = await exactlyOnce(path, token);
  assert.equal(held.length, good);
  assert.ok(job.rows.every((r) => ['success', 'failed', null].includes(r.state)));
  results(path, 300);
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

test('a file changed since its job began is refused, not mixed into it', async () => {
  const token = await account();
  const { path } = file(5, 'changed.csv');
  const first = await bulk(path, token);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(await admin.count(token), 5);
  writeFileSync(path, readFileSync(path, 'utf8').replace('row 0', 'row zero'));
  const again = await bulk(path, token);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /changed since job/);
  assert.equal(await admin.count(token), 5);
});

test('a token is never sent over plain http off this machine: the command refuses to start', async () => {
  const { path } = file(3, 'insecure.csv');
  const child = spawn(process.execPath, [CLI, 'bulk', path], {
    env: { ...process.env, BDPAY_BASE_URL: 'http://gateway.example', BDPAY_TOKEN: 'secret-token-123' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /baseUrl/);
  assert.doesNotMatch(stderr, /secret-token-123/);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
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
  assert.ok(!existsSync(`${path}.bdpay-job.json`), 'a dry run leaves no job behind');
});
