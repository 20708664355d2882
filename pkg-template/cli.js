#!/usr/bin/env node
// `npx bdpay bulk FILE.csv`: pays every good row of a file once, through the
// gateway (BDPAY_BASE_URL, BDPAY_TOKEN), with a progress bar. The job's state
// is kept beside the file (FILE.csv.bdpay-job.json): run the same command
// again after a crash, a kill or Ctrl-C and it resumes, settling the rows
// whose outcome is unknown before sending anything. The results are written
// beside the file (FILE.results.csv). Exit code: 0 when every row was paid,
// 1 when a row failed or was refused, 2 when the job paused or could not start.
import { readFile, writeFile } from 'node:fs/promises';
import { BulkJob, GatewayClient, fileStore, memoryStore } from './bulk-node.js';

const USAGE = `usage: bdpay bulk FILE.csv [--dry-run] [--allow-duplicates] [--requests-per-minute N] [--poll-ms N] [--timeout-ms N]

Columns: phone, amount, and optionally type (recharge when left out),
operator_code (guessed from the prefix when left out), sub_type, package_id,
note (kept, not sent). Environment: BDPAY_BASE_URL (the gateway's or your
proxy's URL) and BDPAY_TOKEN.`;

function parseArgs(argv) {
  const out = { flags: new Set(), values: {}, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--requests-per-minute' || a === '--poll-ms' || a === '--timeout-ms') out.values[a] = argv[++i];
    else if (a.startsWith('--')) out.flags.add(a);
    else out.files.push(a);
  }
  return out;
}

const say = (issue) => `${issue.message} / ${issue.message_bn}`;
const err = (text) => process.stderr.write(`${text}\n`);

function bar(p, width = 30) {
  const sent = p.success + p.failed + p.pending + p.sending;
  const todo = sent + p.queued;
  const filled = todo === 0 ? width : Math.round((sent / todo) * width);
  const eta = p.eta_ms == null ? '' : ` ~${Math.ceil(p.eta_ms / 60000)} min left`;
  const rate = p.rate_per_minute == null ? '' : ` ${p.rate_per_minute}/min`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${sent}/${todo} sent · ${p.success} done · ${p.failed} failed · ${p.pending + p.sending} pending${rate}${eta}`;
}

async function bulk(args) {
  const file = args.files[0];
  if (!file) {
    err(USAGE);
    return 2;
  }
  const dryRun = args.flags.has('--dry-run');
  const baseUrl = process.env.BDPAY_BASE_URL;
  if (!baseUrl && !dryRun) {
    err('BDPAY_BASE_URL is not set.');
    return 2;
  }
  const perMinute = Number(args.values['--requests-per-minute'] ?? 30);
  let client;
  try {
    client = new GatewayClient({
      baseUrl: baseUrl ?? 'http://127.0.0.1:9',
      token: process.env.BDPAY_TOKEN || undefined,
      rateLimit: { perMinute: Math.max(60, perMinute * 2), requestPerMinute: perMinute },
      pollIntervalMs: Number(args.values['--poll-ms'] ?? 3000),
      timeoutMs: Number(args.values['--timeout-ms'] ?? 30000),
    });
  } catch (e) {
    // A plain-http URL off this machine with a token, a bad number…: said, never the token.
    const said = e.fieldErrors?.length ? e.fieldErrors : [e];
    for (const f of said) err(`${f.message} / ${f.messageBn ?? f.message_bn ?? ''}`);
    return 2;
  }
  const csv = await readFile(file, 'utf8');
  const statePath = `${file}.bdpay-job.json`;
  const store = dryRun ? memoryStore() : fileStore(statePath);
  const resumed = !dryRun && (await store.load()) !== null;
  let job;
  try {
    job = await BulkJob.open({ client, csv, store, allowDuplicates: args.flags.has('--allow-duplicates') });
  } catch (e) {
    err(`${file}: ${e.message}${e.messageBn ? ` / ${e.messageBn}` : ''}`);
    return 2;
  }
  if (resumed) {
    // The saved job is the file as it was: a changed file is another job.
    const fileNow = await BulkJob.open({ client, csv, store: memoryStore() }).catch(() => null);
    const cells = (j) => JSON.stringify(j.rows().map((r) => r.cells));
    if (!fileNow || cells(fileNow) !== cells(job)) {
      err(`${file} changed since job ${job.id} began (${statePath}). Run the job with the file as it was,`);
      err(`or, for a new job, move ${statePath} away first (its rows already sent would then be paid again).`);
      return 2;
    }
  }
  err(resumed ? `Resuming job ${job.id} from ${statePath}` : `Job ${job.id}: ${job.rows().length} rows`);

  const rows = job.rows();
  for (const row of rows) {
    for (const i of row.issues) if (row.state === 'invalid') err(`line ${row.line}: ${i.field || 'row'}: ${say(i)}`);
    for (const w of row.warnings) if (row.state === 'queued') err(`line ${row.line}: check: ${say(w)}`);
  }
  const totals = job.totals();
  const invalid = rows.filter((r) => r.state === 'invalid').length;
  err(`${totals.rows} rows to send, ৳${totals.amount} in all; ${invalid} rows with errors (never sent).`);
  for (const o of totals.operators) err(`  ${o.operator_code}: ${o.rows} rows, ৳${o.amount}`);
  if (dryRun) return invalid > 0 ? 1 : 0;

  try {
    const short = await job.checkBalance();
    if (short.length > 0) {
      for (const s of short) err(say(s));
      err('Not started: top up the balance, then run the command again.');
      return 2;
    }
  } catch (e) {
    err(`The balance could not be read (${e.code}); going on.`);
  }

  const tty = process.stderr.isTTY;
  let last = 0;
  job.onChange((_row, p) => {
    const now = Date.now();
    if (tty) process.stderr.write(`\r${bar(p)}\x1b[K`);
    else if (now - last > 5000 || p.finished) {
      last = now;
      err(bar(p));
    }
  });
  process.once('SIGINT', () => {
    err('\nPausing: payments already sent are being settled…');
    job.pause();
  });
  let ended;
  try {
    ended = await job.start();
  } catch (e) {
    err(`\n${e.message} / ${e.messageBn ?? ''}`);
    return 2;
  }
  if (tty) process.stderr.write('\n');
  const results = file.replace(/\.csv$/i, '') + '.results.csv';
  await writeFile(results, job.resultsCsv(), 'utf8');
  const p = job.progress();
  err(`${p.success} paid, ${p.failed} failed, ${p.invalid} with errors, ${p.skipped} skipped, ${p.cancelled} cancelled. Results: ${results}`);
  if (ended === 'paused') {
    if (p.halt) err(`Paused: ${say(p.halt)}`);
    err('Run the same command again to resume.');
    return 2;
  }
  return p.failed > 0 || p.invalid > 0 ? 1 : 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'bulk') {
  process.exitCode = await bulk(parseArgs(rest));
} else {
  err(USAGE);
  process.exitCode = 2;
}
