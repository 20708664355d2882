// `npx bdpay bulk` at 50,000 rows: a `--dry-run` (wall time and the
// process's peak resident memory) and a real run against the sandbox with
// its rate limit off (rows a minute over the whole run and over its last
// fifth, the journal's size on disk per row at its largest, and everything
// the process wrote per row). Run alone or by bench/run.mjs:
//
//   node bench/bulk.mjs [--rows 50000] [--cli pkg/cli.js] [--real-max-s 900] [--no-real]
//
// Prints one line of JSON last. Expects pkg/ built and the sandbox binary
// (target/release/bdpay-sandbox); everything stays on 127.0.0.1.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { sandboxAdmin } from '../tests/clients/admin.mjs';
import { startSandbox } from '../tests/clients/sandbox.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    cli: { type: 'string', default: join(ROOT, 'pkg', 'cli.js') },
    'real-max-s': { type: 'string', default: '900' },
    'no-real': { type: 'boolean', default: false },
  },
  strict: true,
});
const ROWS = Number(values.rows);
const CLI = resolve(values.cli);
const REAL_MAX_MS = Number(values['real-max-s']) * 1000;
const RSS_HOOK = join(ROOT, 'bench', 'rss-at-exit.mjs');
const log = (msg) => process.stderr.write(`  bench bulk: ${msg}\n`);

/**
 * `n` rows as a shop's file has them: every live prefix (013 and 016 among
 * them, two operators each: a warning to check), one row in 20 bad (a
 * short number or three decimals), a note per row. `paid`: 016 left out,
 * whose guess (Airtel) the sandbox refuses as inactive, so that every good
 * row is a payment.
 */
function file(dir, n, name, { paid = false } = {}) {
  const prefixes = paid ? ['017', '018', '019', '015', '013', '014'] : ['017', '018', '019', '015', '013', '014', '016'];
  const lines = ['phone,amount,note'];
  for (let i = 0; i < n; i++) {
    if (i % 20 === 7) lines.push(i % 40 === 7 ? `0171234${i % 1000},50,bad number` : `017${String(10000000 + i).slice(-8)},1.005,bad amount`);
    else lines.push(`${prefixes[i % prefixes.length]}${String(20000000 + i * 7).slice(-8)},${10 + (i % 50)}.50,row ${i}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return { path, good: lines.length - 1 - Math.ceil((n - 7) / 20) };
}

/** Runs the command; resolves `{ code, ms, stderr, maxRssBytes, wcharBytes }`; `watch(child)` is called once it started. */
function run(args, env, { watch, killAfterMs } = {}) {
  const rssFile = join(tmpdir(), `bdpay-bench-rss-${process.pid}-${Date.now()}.json`);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', RSS_HOOK, CLI, ...args], {
    env: { ...process.env, ...env, BDPAY_BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let wchar = 0;
  // What the process wrote (files and stderr alike), read while it still runs.
  const io = setInterval(() => {
    try {
      wchar = Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))[1]);
    } catch {
      // Gone, or not Linux.
    }
  }, 200);
  const stop = watch?.(child);
  const killer = killAfterMs ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : null;
  return new Promise((done) =>
    child.on('exit', (code, signal) => {
      clearInterval(io);
      clearTimeout(killer);
      stop?.();
      const ms = performance.now() - t0;
      let said = {};
      if (existsSync(rssFile)) {
        said = JSON.parse(readFileSync(rssFile, 'utf8'));
        rmSync(rssFile);
      }
      done({ code, signal, ms, stderr, maxRssBytes: said.maxRssBytes ?? null, cpuMs: said.cpuMs ?? null, wcharBytes: wchar || null });
    }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'bdpay-bench-bulk-'));
const out = { rows: ROWS, cli: CLI };
try {
  // ------------------------------------------------------------ dry run
  const dry = file(dir, ROWS, 'dry.csv');
  log(`--dry-run of ${ROWS.toLocaleString('en-US')} rows`);
  await run([`bulk`, dry.path, '--dry-run'], {}); // the OS file cache, once
  const dryRuns = [];
  for (let i = 0; i < 3; i++) dryRuns.push(await run([`bulk`, dry.path, '--dry-run'], {}));
  const last = dryRuns[dryRuns.length - 1];
  out.dryRun = {
    exitCode: last.code,
    msRuns: dryRuns.map((r) => Math.round(r.ms)),
    ms: Math.round([...dryRuns.map((r) => r.ms)].sort((a, b) => a - b)[1]),
    cpuMs: Math.round([...dryRuns.map((r) => r.cpuMs ?? 0)].sort((a, b) => a - b)[1]),
    peakRssBytes: Math.max(...dryRuns.map((r) => r.maxRssBytes ?? 0)) || null,
    stderrLines: last.stderr.split('\n').filter(Boolean).length,
  };
  log(`dry run: ${out.dryRun.ms} ms, peak RSS ${((out.dryRun.peakRssBytes ?? 0) / 1e6).toFixed(0)} MB, ${out.dryRun.stderrLines} lines said`);

  // ------------------------------------------------------------ real run
  if (!values['no-real']) {
    const sandbox = await startSandbox();
    try {
      const admin = sandboxAdmin(sandbox.url);
      const token = await admin.account({ rate_limit: false, balances: { flexiload_balance: '100000000', bank_balance: '100000000' } });
      const real = file(dir, ROWS, 'real.csv', { paid: true });
      const samples = []; // [ms since start, rows sent]
      let peakJournal = 0;
      let plan = 0;
      const t0 = performance.now();
      const journalFiles = () => readdirSync(dir).filter((f) => f.startsWith('real.csv.bdpay-job'));
      log(`real run of ${ROWS.toLocaleString('en-US')} rows against the sandbox (at most ${REAL_MAX_MS / 1000} s)`);
      const result = await run(['bulk', real.path, '--requests-per-minute', '1000000'], { BDPAY_BASE_URL: sandbox.url, BDPAY_TOKEN: token }, {
        killAfterMs: REAL_MAX_MS,
        watch: (child) => {
          let seen = '';
          child.stderr.on('data', (d) => {
            seen += d;
            // The progress line, printed every few seconds when stderr is no terminal.
            // `[###...] 1,234/50,000 · …` (or the older `[###...] 1234/50000 sent · …`): rows done.
            for (const m of seen.matchAll(/\] ([\d,]+)\/([\d,]+) /g)) samples.push([performance.now() - t0, Number(m[1].replace(/,/g, ''))]);
            seen = seen.slice(seen.lastIndexOf('\n') + 1);
          });
          const size = setInterval(() => {
            if (!plan) {
              try {
                const text = readFileSync(join(dir, 'real.csv.bdpay-job.jsonl'), 'utf8');
                const lines = text.split('\n');
                plan = lines.slice(0, 1 + JSON.parse(lines[0]).rows).join('\n').length + 1;
              } catch {
                // Not written yet, or an older version's file.
              }
            }
            for (const f of journalFiles()) {
              try {
                peakJournal = Math.max(peakJournal, statSync(join(dir, f)).size);
              } catch {
                // Renamed meanwhile.
              }
            }
          }, 250);
          return () => clearInterval(size);
        },
      });
      const held = await admin.count(token);
      const finalJournal = journalFiles().reduce((n, f) => n + statSync(join(dir, f)).size, 0);
      const perMinute = (rows, ms) => (ms > 0 ? Math.round((rows * 60_000) / ms) : null);
      // The rate over the last fifth of the rows sent: the run must not slow down as its state grows.
      const sent = samples.length ? samples[samples.length - 1][1] : held;
      const at = (rows) => samples.find(([, n]) => n >= rows);
      const fifth = [at(sent * 0.8), samples[samples.length - 1]];
      const first = [at(sent * 0.05), at(sent * 0.25)];
      out.real = {
        exitCode: result.code,
        killed: result.signal === 'SIGKILL',
        seconds: Math.round(result.ms / 100) / 10,
        goodRows: real.good,
        transactions: held,
        rowsPerMinute: perMinute(held, result.ms),
        rowsPerMinuteEarly: first[0] && first[1] && first[1][0] > first[0][0] ? perMinute(first[1][1] - first[0][1], first[1][0] - first[0][0]) : null,
        rowsPerMinuteLastFifth: fifth[0] && fifth[1] && fifth[1][0] > fifth[0][0] ? perMinute(fifth[1][1] - fifth[0][1], fifth[1][0] - fifth[0][0]) : null,
        journalPeakBytes: peakJournal,
        journalBytesPerRow: Math.round((peakJournal / ROWS) * 10) / 10,
        recordBytesPerRow: plan ? Math.round(((peakJournal - plan) / ROWS) * 10) / 10 : null,
        journalFinalBytes: finalJournal,
        writtenBytesPerRow: result.wcharBytes && held ? Math.round(result.wcharBytes / held) : null,
        peakRssBytes: result.maxRssBytes,
        // The command's own CPU time a row: the rest of the run is the sandbox's.
        cpuMsPerRow: result.cpuMs && held ? Math.round((result.cpuMs / held) * 100) / 100 : null,
        // The plan (a line per row of the file) and the records, apart.
        planBytes: plan,
      };
      log(`real run: ${JSON.stringify(out.real)}`);
    } finally {
      await sandbox.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
