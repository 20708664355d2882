// ./build.sh bench: size, speed, cold start and proxy cost of bdpay beside
// what a merchant would use instead, all measured in this one run on this
// machine. Writes bench-results/bench.json, bench-results/bench.md, bench-results/bench.svg and
// prints the markdown. Expects pkg/ built and linked as node_modules/bdpay,
// and bench/node_modules installed (cmd_bench in build.sh does both).
//
// `node bench/run.mjs --render` prints the report of the last run again.
// Knobs (environment): BENCH_SAMPLES cold-start samples per target (21),
// BENCH_ROUNDS timed throughput rounds (7) in each of BENCH_PASSES passes (3),
// BENCH_ROUND_MS their length (300),
// BENCH_WASM_OPT_FLAGS the build's wasm-opt flags, for the size breakdown,
// BENCH_BULK_ROWS the rows of the bulk command's file (50,000; bench/bulk.mjs).
// Everything stays on 127.0.0.1 and every loop is bounded.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { targetDir } from '../build/target-dir.mjs';
import { coldBrowser } from './cold-browser.mjs';
import { disagreementsMarkdown, findDisagreements } from './disagreements.mjs';
import { chart } from './chart.mjs';
import { proxyCost } from './proxy.mjs';
import { measureSizes } from './sizes.mjs';
import { wasmBreakdown } from './wasm-breakdown.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const OUT = join(ROOT, 'bench-results');
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 21);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 300);
// The contenders run in turn, pass after pass, so that a machine that slows
// down or speeds up for a while (a shared VM does) weighs on every one alike:
// the goals are ratios between contenders.
const PASSES = Math.max(1, Number(process.env.BENCH_PASSES ?? 3));
const WASM_OPT_FLAGS = (process.env.BENCH_WASM_OPT_FLAGS ?? '').split(/\s+/).filter(Boolean);

const log = (msg) => process.stderr.write(`  bench: ${msg}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = (n) => Math.round(n).toLocaleString('en-US');
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const ms = (n) => (n === null || n === undefined ? '—' : `${n.toFixed(Math.abs(n) < 10 ? 2 : 1)} ms`);
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// ---------------------------------------------------------------- throughput

const THROUGHPUT = [
  ['bdpay', 'checkPhone: normalise + validate + name the operator, one wasm call, no JSON'],
  ['bdpay-checkPhones', 'checkPhones over a list of 100,000 (the mixed set repeated): per number'],
  ['bdpay-checkPhoneList', 'checkPhoneList over the same list: results packed, each number\'s validity and operator read'],
  ['bdpay-normalize-then-detect', 'normalizePhone, then detectOperator on the result (two calls)'],
  ['bdpay-normalizePhone', 'normalizePhone only (normalise + validate)'],
  ['bdpay-detectOperator', 'detectOperator only (normalises again inside, returns an object)'],
  ['bdpay-wasm-call', "diagnostic: Validator.checkPhoneUnits(0) on the class (no input, answers at once), the boundary's floor"],
  ['bdpay-io-floor', 'diagnostic: checkPhone without the reading: the units written, one call with no input, the answer object made; the floor of an answer over this boundary'],
  ['libphonenumber-js/max', 'parsePhoneNumberFromString(s, "BD") + isValid + getType'],
  ['libphonenumber-js/min', 'parsePhoneNumberFromString(s, "BD") + isValid (min has no types)'],
  ['google-libphonenumber', 'parse(s, "BD") + isValidNumber + getNumberType'],
  ['regex', '/^(?:\\+?88)?01[3-9]\\d{8}$/.test(s): the floor (ASCII only, no operator)'],
  ['bdpay-validateRequest', 'validateRequest of a whole recharge request (type, operator_code, phone, amount)'],
];

function throughput() {
  const runs = new Map(THROUGHPUT.map(([name]) => [name, []]));
  for (let pass = 1; pass <= PASSES; pass += 1) {
    for (const [name] of THROUGHPUT) {
      log(`throughput: ${name} (pass ${pass} of ${PASSES})`);
      const run = spawnSync(process.execPath, [join(BENCH, 'throughput.mjs'), name, String(ROUND_MS), String(ROUNDS)], {
        cwd: BENCH,
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (run.status !== 0) throw new Error(`throughput ${name} failed: ${run.stderr}`);
      runs.get(name).push(JSON.parse(run.stdout.trim().split('\n').pop()));
    }
  }
  // Every round of every pass: their median; CPU, the median of the passes'.
  return THROUGHPUT.map(([name, what]) => {
    const passes = runs.get(name);
    const rounds = passes.flatMap((p) => p.rounds);
    return {
      ...passes[0],
      callsPerSec: median(rounds),
      rounds,
      callsPerCpuSec: median(passes.map((p) => p.callsPerCpuSec)),
      passes: passes.length,
      what,
    };
  });
}

// ---------------------------------------------------------------- memory of a batch

const MEMORY_SIZES = [10_000, 100_000, 1_000_000];

function memory() {
  return ['checkPhones', 'checkPhoneList'].flatMap((call) =>
    MEMORY_SIZES.map((n) => {
      log(`memory: ${call} of ${n}`);
      const run = spawnSync(process.execPath, ['--expose-gc', join(BENCH, 'memory.mjs'), String(n), call], { cwd: BENCH, encoding: 'utf8', timeout: 120_000 });
      if (run.status !== 0) throw new Error(`memory ${call} ${n} failed: ${run.stderr}`);
      return JSON.parse(run.stdout.trim().split('\n').pop());
    }),
  );
}

// ---------------------------------------------------------------- cold start, Node

const NODE_TARGETS = ['bdpay', 'libphonenumber-js/min', 'libphonenumber-js/max', 'google-libphonenumber', 'nothing'];

function coldNode() {
  const runs = new Map(NODE_TARGETS.map((t) => [t, []]));
  const once = (t) => {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [join(BENCH, 'cold-node.mjs'), t], { cwd: BENCH, encoding: 'utf8', timeout: 60_000 });
    const wallMs = performance.now() - t0;
    if (run.status !== 0) throw new Error(`cold start ${t} failed: ${run.stderr}`);
    return { ...JSON.parse(run.stdout), wallMs };
  };
  for (const t of NODE_TARGETS) once(t); // the OS file cache, once
  for (let i = 0; i < SAMPLES; i += 1) for (const t of NODE_TARGETS) runs.get(t).push(once(t));
  return {
    node: process.version,
    samples: SAMPLES,
    targets: NODE_TARGETS.map((t) => {
      const list = runs.get(t);
      const pick = (k) => list.map((r) => r[k]);
      return {
        name: t,
        result: list[0].result,
        importToResultMedianMs: median(pick('importToResultMs')),
        importToResultMinMs: Math.min(...pick('importToResultMs')),
        importToResultMaxMs: Math.max(...pick('importToResultMs')),
        processToResultMedianMs: median(pick('processToResultMs')),
        wallMedianMs: median(pick('wallMs')),
      };
    }),
  };
}

// ---------------------------------------------------------------- the bulk command

const BULK_ROWS = Number(process.env.BENCH_BULK_ROWS ?? 50_000);

/** `npx bdpay bulk` at 50,000 rows, by bench/bulk.mjs in a process of its own. */
function bulkCommand() {
  const run = spawnSync(process.execPath, [join(BENCH, 'bulk.mjs'), '--rows', String(BULK_ROWS)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 1_500_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) return { measured: false, reason: `bench/bulk.mjs exited ${run.status ?? run.signal}` };
  return { measured: true, ...JSON.parse(run.stdout.trim().split('\n').pop()) };
}

// ---------------------------------------------------------------- the report

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function goals(r) {
  const size = (key) => r.sizes.find((s) => s.key === key);
  const tp = (n) => r.throughput.find((t) => t.name === n);
  const lpMin = size('libphonenumber-js/min');
  const lpMax = size('libphonenumber-js/max');
  const times = (a, b) => `${(a / b).toFixed(2)}×`;
  const list = [];
  const check = (goal, figure, met, by) => list.push({ goal, figure, met, by });

  const validation = size('bdpay-browser');
  check(
    'bdpay (the validation entry) smaller than libphonenumber-js/min, gzip as a browser loads it',
    `${kb(validation.gzip)} vs ${kb(lpMin.gzip)}`,
    validation.gzip < lpMin.gzip,
    validation.gzip < lpMin.gzip ? `${kb(lpMin.gzip - validation.gzip)} smaller` : `missed: ${times(validation.gzip, lpMin.gzip)} the size`,
  );
  const viaVite = size('bdpay-vite');
  if (viaVite) {
    check(
      'bdpay built by Vite 8 (its JS and wasm) smaller than libphonenumber-js/min by esbuild, gzip',
      `${kb(viaVite.gzip)} vs ${kb(lpMin.gzip)}`,
      viaVite.gzip < lpMin.gzip,
      viaVite.gzip < lpMin.gzip ? `${kb(lpMin.gzip - viaVite.gzip)} smaller` : `missed by ${kb(viaVite.gzip - lpMin.gzip)}`,
    );
  }
  const checkout = size('gateway-vite');
  if (checkout) {
    check(
      'A recharge checkout (bdpay/gateway, GatewayClient alone) built by Vite 8 at most 60 KB gzip (issue 26)',
      kb(checkout.gzip),
      checkout.gzip <= 60_000,
      checkout.gzip <= 60_000 ? 'met' : `missed: ${times(checkout.gzip, 60_000)} the goal`,
    );
  }
  const clients = size('entry:bdpay/clients');
  if (clients) {
    check('bdpay/clients at most libphonenumber-js/max, gzip', `${kb(clients.gzip)} vs ${kb(lpMax.gzip)}`, clients.gzip <= lpMax.gzip, `${times(clients.gzip, lpMax.gzip)} the size`);
  }

  const one = tp('bdpay');
  const floor = tp('bdpay-wasm-call');
  const io = tp('bdpay-io-floor');
  const pct = (a, b) => `${((100 * a) / b).toFixed(0)}%`;
  check(
    'One call per number (checkPhone) at ≥ 50% of the empty wasm call, same run',
    `${int(one.callsPerSec)} vs ${int(floor.callsPerSec)} calls/s`,
    one.callsPerSec >= floor.callsPerSec / 2,
    `${pct(one.callsPerSec, floor.callsPerSec)} of the floor` +
      (io ? `; checkPhone without the reading (units written, an empty call, the answer made) does ${int(io.callsPerSec)}/s, ${pct(io.callsPerSec, floor.callsPerSec)} of the floor, and checkPhone is ${pct(one.callsPerSec, io.callsPerSec)} of that` : ''),
  );
  const packedTp = tp('bdpay-checkPhoneList');
  const objects = tp('bdpay-checkPhones');
  const lpMaxTp = tp('libphonenumber-js/max');
  if (packedTp && objects) {
    check(
      'A batch call (checkPhoneList) ≥ 100× libphonenumber-js/max per number, on 100,000',
      `${int(packedTp.callsPerSec)} vs ${int(lpMaxTp.callsPerSec)} numbers/s`,
      packedTp.callsPerSec >= 100 * lpMaxTp.callsPerSec,
      `${times(packedTp.callsPerSec, lpMaxTp.callsPerSec)}; by CPU time ${times(packedTp.callsPerCpuSec, lpMaxTp.callsPerCpuSec)}; checkPhones (an object per number) ${times(objects.callsPerSec, lpMaxTp.callsPerSec)}`,
    );
  }
  if (r.memory?.length) {
    const wasm = r.memory.map((m) => m.wasmMemoryAfter);
    const perNumber = (call) =>
      r.memory.filter((m) => m.call === call).map((m) => (m.peakRssGrowth / m.numbers).toFixed(0)).join(', ');
    check(
      'Memory flat as the list grows (checkPhones, checkPhoneList at 10k, 100k, 1M): the wasm\'s memory',
      [...new Set(wasm)].map(kb).join(', '),
      wasm.every((w) => w === wasm[0]),
      `peak RSS growth per number (the results included): checkPhones ${perNumber('checkPhones')} bytes; checkPhoneList ${perNumber('checkPhoneList')} bytes`,
    );
  }

  const cold = (prefix) => r.coldBrowser.targets.find((t) => t.name.startsWith(prefix)).medianMs;
  const chromium = r.coldBrowser.targets[0].medianMs;
  const lpMinCold = cold('libphonenumber-js/min');
  check(
    'Cold start in Chromium ≤ 0.7× libphonenumber-js/min (pkg/browser.js, median)',
    `${ms(chromium)} vs ${ms(lpMinCold)}`,
    chromium <= 0.7 * lpMinCold,
    `${times(chromium, lpMinCold)}; the floors: an empty module ${ms(cold('nothing'))} (${times(cold('nothing'), lpMinCold)}), an empty wasm ${ms(cold('an empty wasm'))} (${times(cold('an empty wasm'), lpMinCold)})`,
  );
  const node = (name) => r.coldNode.targets.find((t) => t.name === name).importToResultMedianMs;
  check(
    'Cold start in Node ≤ 0.5× libphonenumber-js/min (import → first result, median)',
    `${ms(node('bdpay'))} vs ${ms(node('libphonenumber-js/min'))}`,
    node('bdpay') <= 0.5 * node('libphonenumber-js/min'),
    times(node('bdpay'), node('libphonenumber-js/min')),
  );

  const cpu = r.proxy.measured ? r.proxy.cpuPerRequest : null;
  const bare = r.proxy.measured ? r.proxy.figures.find((f) => /bare.*cpu.*per.?request.*ms$/i.test(f.path)) : null;
  // The floor of any checking proxy (bare + body and answer read whole, one empty wasm call, a new Response).
  const floorCpu = r.proxy.measured ? r.proxy.figures.find((f) => /floor.*cpu.*per.?request.*ms$/i.test(f.path)) : null;
  if (cpu && cpu.ms !== null && bare) {
    const p99 = r.proxy.addedLatencyP99;
    const p99OverBare = r.proxy.figures.find((f) => /overbare.*p99.*ms$/i.test(f.path));
    // The checks alone, no I/O: a payment's decision with its intent checked in full (Node, tiered up).
    const decision = r.proxy.figures.find((f) => /intentChecked.*PerRequestUs$/i.test(f.path));
    const checked = floorCpu && decision ? floorCpu.value + decision.value / 1000 : null;
    const floorNote = floorCpu
      ? `; the floor of a checking proxy (bodies read whole, one empty wasm call, a new Response) is ${ms(floorCpu.value)}, ${ms(floorCpu.value - bare.value)} over bare, so ours is ${ms(cpu.ms - floorCpu.value)} over the floor` +
        (checked !== null
          ? `; the floor plus the intent check alone (${decision.value} µs, Node) is ${ms(checked - bare.value)} over bare, ${checked - bare.value > 0.05 ? 'past' : 'within'} the goal`
          : '')
      : '';
    check(
      'Proxy CPU per request ≤ the bare Worker + 0.05 ms (intent check included)',
      `${ms(cpu.ms)} vs ${ms(bare.value)} bare`,
      cpu.ms <= bare.value + 0.05,
      `adds ${ms(cpu.ms - bare.value)}${floorNote}${p99 ? `; p99 added latency ${p99.ms !== null ? ms(p99.ms) : p99.value} over direct calls` : ''}${p99OverBare ? `, ${ms(p99OverBare.value)} over the bare Worker` : ''}`,
    );
  } else {
    check('Proxy CPU per request ≤ the bare Worker + 0.05 ms', 'not measured', null, r.proxy.measured ? 'no CPU or bare-Worker figure in bench-results/proxy-load.json' : r.proxy.reason);
  }
  const bulk = r.bulk;
  if (bulk?.measured) {
    const d = bulk.dryRun;
    const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
    check(
      `${int(bulk.rows)}-row \`npx bdpay bulk --dry-run\`: ≤ 1.5 s and ≤ 100 MB peak RSS`,
      `${ms(d.ms)}, ${mb(d.peakRssBytes)}`,
      d.ms <= 1500 && d.peakRssBytes <= 100e6,
      `median of 3 runs (${d.msRuns.map((x) => ms(x)).join(', ')}; CPU ${ms(d.cpuMs ?? 0)}); ${int(d.stderrLines)} lines said`,
    );
    const real = bulk.real;
    if (real) {
      check(
        `${int(bulk.rows)}-row real run against the sandbox (its limit off): ≥ 3,000 rows/min to the end, journal ≤ 200 bytes a row`,
        `${int(real.rowsPerMinute)} rows/min (last fifth ${int(real.rowsPerMinuteLastFifth ?? 0)}), journal ${real.journalBytesPerRow} bytes a row`,
        !real.killed && real.rowsPerMinute >= 3000 && (real.rowsPerMinuteLastFifth ?? 0) >= 3000 && real.journalBytesPerRow <= 200,
        `${int(real.transactions)} transactions for ${int(real.goodRows)} good rows in ${real.seconds} s; the journal is its plan and ${real.recordBytesPerRow ?? '?'} bytes of records a row; the command's own CPU ${real.cpuMsPerRow ?? '?'} ms a row; everything it wrote (journal, results, HTTP) ${int(real.writtenBytesPerRow ?? 0)} bytes a row; peak RSS ${mb(real.peakRssBytes ?? 0)}`,
      );
    }
  } else if (bulk) {
    check('50,000-row bulk command (dry run and real run)', 'not measured', null, bulk.reason);
  }
  return list;
}

function markdown(r) {
  const out = [];
  const m = r.meta;
  out.push(`# bdpay bench, ${m.date}`);
  out.push('');
  out.push(
    `bdpay ${m.bdpayVersion} at ${m.commit}${m.uncommittedSources ? ` (plus ${m.uncommittedSources} uncommitted changes under src/ and pkg-template/)` : ''}; ` +
      `Node ${m.node}, Chromium ${r.coldBrowser.chromium}, ${m.cpus} × ${m.cpuModel}; ` +
      `load average ${m.loadStart.toFixed(1)} at the start, ${m.loadEnd.toFixed(1)} at the end` +
      (Math.max(m.loadStart, m.loadEnd) > m.cpus ? ' (busier than the machine has cores: other work competed, so timings are pessimistic and noisy)' : '') +
      '.',
  );
  out.push('');
  out.push('## Bundle size');
  out.push('');
  out.push('gzip is `gzip -9`, brotli is quality 11; each file compressed alone, as a server sends it. Peers are bundled by esbuild (minified, ESM, browser) for one `parsePhoneNumber(text, "BD").isValid()`.');
  out.push('');
  out.push(table(['What', 'raw', 'gzip', 'brotli'], r.sizes.map((s) => [s.name, int(s.raw), `${int(s.gzip)} (${kb(s.gzip)})`, `${int(s.brotli)} (${kb(s.brotli)})`])));
  out.push('');
  out.push(
    `Size budgets (bench/budget.json, checked by \`./build.sh test size\`): ${r.sizes
      .filter((s) => s.budget !== undefined)
      .map((s) => `${s.key === 'bdpay-browser' ? 'bdpay' : s.key.slice('entry:'.length)} ${int(s.gzip)} ≤ ${int(s.budget)}`)
      .join('; ')}.`,
  );
  if (r.wasm) {
    out.push('');
    out.push(`What the validation entry's wasm is made of (code ${int(r.wasm.codeBytes)} bytes raw in ${r.wasm.functions} functions, data ${int(r.wasm.dataBytes)} bytes; by function name, after \`wasm-opt -g\` with the build's flags):`);
    out.push('');
    out.push(table(['Part', 'code bytes', 'share', 'largest functions'], r.wasm.parts.map((p) => [p.name, int(p.bytes), `${((100 * p.bytes) / r.wasm.codeBytes).toFixed(0)}%`, p.largest.join('; ').replace(/\|/g, '\\|')])));
  }
  out.push('');
  out.push('## Validation throughput from JS');
  out.push('');
  const first = r.throughput[0];
  out.push(`${first.inputs} mixed inputs (inputs.mjs: valid on every live prefix, +880/880/00880 forms, Bengali digits, 010/011/012, 10/12/13 digits, letters, a foreign number); one call = one input. Each contender in its own process: warm-up, then ${r.meta.rounds} rounds of ≥ ${r.meta.roundMs} ms; the contenders take turns for ${r.meta.passes ?? 1} passes (a process each), and the figure is the median of all their rounds. calls/s is wall time (the goal's figure); calls per CPU-second counts only the CPU time the process got (all its threads), which a busy machine disturbs less. \`bdpay-checkPhones\` counts numbers, 100,000 per call.`);
  out.push('');
  const lpMax = r.throughput.find((t) => t.name === 'libphonenumber-js/max').callsPerSec;
  const lpMaxCpu = r.throughput.find((t) => t.name === 'libphonenumber-js/max').callsPerCpuSec;
  out.push(
    table(
      ['Contender', 'One call', 'calls/s (median)', 'rounds min–max', '× libphonenumber-js/max', 'calls per CPU-second', '× (CPU)', 'valid of ' + first.inputs],
      r.throughput.map((t) => [
        t.name,
        t.what,
        int(t.callsPerSec),
        `${int(Math.min(...t.rounds))}–${int(Math.max(...t.rounds))}`,
        `${(t.callsPerSec / lpMax).toFixed(2)}×`,
        int(t.callsPerCpuSec),
        `${(t.callsPerCpuSec / lpMaxCpu).toFixed(2)}×`,
        t.name === 'bdpay-validateRequest' ? '—' : String(t.validInputs),
      ]),
    ),
  );
  if (r.memory) {
    out.push('');
    out.push('Memory of the batch calls as the list grows, a fresh process per call and size: the wasm module\'s memory (which must stay flat: the list goes in chunks of 4,096) and the growth of the process\'s peak resident memory during the call, per number (the results are the caller\'s and are counted in it: an object per number for `checkPhones`, 4 bytes per number for `checkPhoneList`).');
    out.push('');
    out.push(
      table(
        ['Call', 'Numbers', 'time', 'wasm memory before → after', 'peak RSS growth', 'per number'],
        r.memory.map((m) => [m.call ?? 'checkPhones', int(m.numbers), ms(m.ms), `${int(m.wasmMemoryBefore)} → ${int(m.wasmMemoryAfter)} bytes`, `${int(m.peakRssGrowth)} bytes`, `${(m.peakRssGrowth / m.numbers).toFixed(1)} bytes`]),
      ),
    );
  }
  out.push('');
  out.push('## Cold start');
  out.push('');
  out.push(`Node ${r.coldNode.node}: a fresh \`node\` process per sample (${r.coldNode.samples} samples per target, taking turns); inside it, from just before the dynamic import to the first result; and the whole process, spawn to exit, seen from outside.`);
  out.push('');
  out.push(
    table(
      ['Node', 'import → first result (median)', 'min–max', 'process start → first result', 'process wall time'],
      r.coldNode.targets.map((t) => [t.name, ms(t.importToResultMedianMs), `${ms(t.importToResultMinMs)}–${ms(t.importToResultMaxMs)}`, ms(t.processToResultMedianMs), ms(t.wallMedianMs)]),
    ),
  );
  out.push('');
  out.push(`Chromium ${r.coldBrowser.chromium} headless: a page from a static server on 127.0.0.1 (no-store), a fresh browser context per sample (${r.coldBrowser.samples} per target, taking turns); \`performance.now()\` from just before \`import(url)\` (fetch + compile + instantiate) to the first result. The three phases are medians of their own (from the Resource Timing entry of the wasm), so they need not add up to the total.`);
  out.push('');
  out.push(
    table(
      ['Chromium', 'import → first result (median)', 'min–max', 'JS modules until the wasm is requested', 'wasm fetch (streaming compile)', 'after the fetch: compile, instantiate, first call'],
      r.coldBrowser.targets.map((t) => [t.name, ms(t.medianMs), `${ms(t.minMs)}–${ms(t.maxMs)}`, ms(t.beforeWasmMedianMs), ms(t.wasmFetchMedianMs), ms(t.afterWasmMedianMs)]),
    ),
  );
  out.push('');
  out.push('## Proxy cost (workerd)');
  out.push('');
  if (!r.proxy.measured) {
    out.push(`Not measured: ${r.proxy.reason}.`);
  } else {
    const h = (x) => (x ? `${x.ms !== null ? ms(x.ms) : x.value} (\`${x.field}\`)` : '—');
    out.push(table(['Figure', 'Value'], [['CPU per proxied request', h(r.proxy.cpuPerRequest)], ['Added latency p50', h(r.proxy.addedLatencyP50)], ['Added latency p99', h(r.proxy.addedLatencyP99)], ...(r.proxy.figures.filter((f) => /overbare.*p99.*ms$/i.test(f.path)).map((f) => ['Added latency p99 over the bare Worker', `${ms(f.value)} (\`${f.path}\`)`]))]));
    out.push('');
    // The load test's summary figures (not per kind of call, not per round) and its own notes.
    const summary = r.proxy.figures.filter((f) => f.path.split('.').length <= 2 && !/^(machine|everyRound)\b/.test(f.path));
    out.push(`From bench-results/proxy-load.json, written by tests/proxy/load.mjs in this run (${r.proxy.seconds.toFixed(0)} s; per-kind and per-round figures are in the file):`);
    out.push('');
    out.push(table(['Field', 'Value'], summary.map((f) => [`\`${f.path}\``, String(Math.round(f.value * 1000) / 1000)])));
    const notes = [];
    const walk = (v, path) => {
      if (typeof v === 'string' && /(^|\.)(what|mix|note)$/.test(path)) notes.push(`- \`${path}\`: ${v}`);
      else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    };
    walk(r.proxy.raw, '');
    if (notes.length) out.push('', ...notes);
  }
  out.push('');
  if (r.bulk?.measured) {
    const b = r.bulk;
    out.push('## The bulk command (`npx bdpay bulk`)');
    out.push('');
    out.push(`bench/bulk.mjs: a file of ${int(b.rows)} rows (every live prefix, 013 and 016 among them; one row in 20 bad), the command in a process of its own. Peak RSS and CPU time are the process's own (\`resourceUsage().maxRSS\`, \`cpuUsage()\`, read at exit). The real run pays against the sandbox with its rate limit off and the client's pacing opened (\`--requests-per-minute 1000000\`), its file without 016 (the sandbox refuses Airtel, that prefix's guess, as inactive); its rate is over the whole run and over the last fifth of the rows, and the journal is its file at its largest (before the records are compacted when the run ends), per row of the file. The sandbox looks through all of an account's transactions on every call (\`settle\`, the \`ref_id\` checks), so its own cost grows with the run.`);
    out.push('');
    const rows = [
      ['dry run: time (median of 3)', ms(b.dryRun.ms)],
      ['dry run: CPU time (median of 3)', ms(b.dryRun.cpuMs ?? 0)],
      ['dry run: peak RSS', `${(b.dryRun.peakRssBytes / 1e6).toFixed(1)} MB`],
      ['dry run: lines said', int(b.dryRun.stderrLines)],
    ];
    if (b.real) {
      rows.push(
        ['real run: rows a minute, whole run', int(b.real.rowsPerMinute)],
        ['real run: rows a minute, last fifth', int(b.real.rowsPerMinuteLastFifth ?? 0)],
        ['real run: seconds', String(b.real.seconds)],
        ['real run: transactions / good rows', `${int(b.real.transactions)} / ${int(b.real.goodRows)}`],
        ['real run: journal at its largest, bytes a row (plan and records)', String(b.real.journalBytesPerRow)],
        ['real run: of which records, bytes a row', String(b.real.recordBytesPerRow ?? '—')],
        ['real run: the command\'s CPU time, ms a row', String(b.real.cpuMsPerRow ?? '—')],
        ['real run: journal compacted at the end', `${int(b.real.journalFinalBytes)} bytes`],
        ['real run: everything written (journal, results, HTTP), bytes a row', int(b.real.writtenBytesPerRow ?? 0)],
        ['real run: peak RSS', `${((b.real.peakRssBytes ?? 0) / 1e6).toFixed(1)} MB`],
      );
    }
    out.push(table(['Figure', 'Value'], rows));
    out.push('');
  }
  out.push('## Goals');
  out.push('');
  out.push(table(['Goal', 'Figure', 'Met', 'By how much'], r.goals.map((g) => [g.goal, g.figure, g.met === null ? 'not measured' : g.met ? 'yes' : 'no', g.by])));
  out.push('');
  out.push('## Where bdpay and libphonenumber disagree on validity');
  out.push('');
  out.push(disagreementsMarkdown(r.disagreements));
  out.push('');
  return out.join('\n');
}

/** The report again from bench-results/bench.json, goals recomputed: `node bench/run.mjs --render`. */
function render() {
  const r = JSON.parse(readFileSync(join(OUT, 'bench.json'), 'utf8'));
  r.goals = goals(r);
  const md = markdown(r);
  writeFileSync(join(OUT, 'bench.md'), md);
  writeFileSync(join(OUT, 'bench.svg'), chart(r));
  console.log(md);
}

// Whatever hangs, the run ends (the bulk command's real run alone may take 15 minutes).
const WATCHDOG_S = 2_400;

async function main() {
  if (process.argv.includes('--render')) return render();
  setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_S} s, stopping`);
    process.exit(2);
  }, WATCHDOG_S * 1000).unref();
  const started = Date.now();
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(ROOT, 'pkg', 'bdpay_bg.wasm'))) throw new Error('pkg/ is not built (./build.sh bench builds it)');
  const pkgJson = JSON.parse(readFileSync(join(ROOT, 'pkg', 'package.json'), 'utf8'));
  const budget = JSON.parse(readFileSync(join(BENCH, 'budget.json'), 'utf8'));
  const dirty = git('status', '--porcelain', '--', 'src', 'pkg-template', 'Cargo.toml', 'Cargo.lock');
  const r = {
    meta: {
      date: new Date().toISOString(),
      bdpayVersion: pkgJson.version,
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedSources: dirty ? dirty.split('\n').length : 0,
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadStart: loadavg()[0],
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      passes: PASSES,
    },
    budget,
  };

  log('sizes');
  r.sizes = await measureSizes(ROOT);
  const stage = join(targetDir(), 'pkg-stage', 'bdpay_bg.wasm');
  const wasmOpt = join(ROOT, 'node_modules', '.bin', 'wasm-opt');
  if (WASM_OPT_FLAGS.length && existsSync(stage) && existsSync(wasmOpt)) {
    log('what the wasm is made of');
    r.wasm = wasmBreakdown(stage, wasmOpt, WASM_OPT_FLAGS);
  }
  r.throughput = throughput();
  r.memory = memory();
  log('cold start in Node');
  r.coldNode = coldNode();
  log('cold start in Chromium');
  r.coldBrowser = await coldBrowser(ROOT, SAMPLES);
  log('proxy cost');
  r.proxy = proxyCost(ROOT);
  log('the bulk command');
  r.bulk = bulkCommand();
  log('disagreements');
  r.disagreements = findDisagreements();
  r.meta.loadEnd = loadavg()[0];
  r.meta.seconds = (Date.now() - started) / 1000;
  r.goals = goals(r);

  const md = markdown(r);
  writeFileSync(join(OUT, 'bench.json'), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(OUT, 'bench.md'), md);
  writeFileSync(join(OUT, 'bench.svg'), chart(r));
  console.log(md);
  log(`wrote bench-results/bench.json, bench.md and bench.svg in ${r.meta.seconds.toFixed(0)} s`);
}

await main();
