// Load test of the Workers proxy, on loopback only: N concurrent clients make
// M calls each (status and packages reads, every tenth a recharge) straight
// to the sandbox, then the same through the proxy Worker (workerd, by
// miniflare) in front of it. Prints throughput, p50/p99 latency of both and
// the latency the proxy adds, and the CPU time workerd spent per proxied
// call (from /proc/<pid>/stat of the workerd child) beside two references in
// their own workerd: a bare pass-through Worker, and the floor of any
// checking proxy (the bare Worker plus the body and the answer read whole,
// one empty wasm call and a new Response); and writes
// bench-results/proxy-load.json. Bounded in count and time; stops by itself.
//
//   node tests/proxy/load.mjs            (after ./build.sh)
//   LOAD_CLIENTS=20 LOAD_CALLS=100 LOAD_PHASE_SECONDS=60 node tests/proxy/load.mjs
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { Miniflare } from 'miniflare';

import { workerModules } from '../../demo/workerd.mjs';
import { startSandbox } from '../clients/sandbox.mjs';
import { INTENT_KEY, PATHS, Record, exampleVars, intentFor, root, sandboxAdmin, startProxy } from './harness.mjs';

const CLIENTS = Math.min(Number(process.env.LOAD_CLIENTS ?? 20), 200);
const CALLS = Math.min(Number(process.env.LOAD_CALLS ?? 100), 2000);
const PHASE_SECONDS = Math.min(Number(process.env.LOAD_PHASE_SECONDS ?? 60), 240);
const ROUNDS = Math.min(Math.max(Number(process.env.LOAD_ROUNDS ?? 3), 1), 9);
// Calls per client before the timing, on each path: enough that the
// measured phases run the Workers' code optimised, not while it tiers up.
const WARMUP_CALLS = 25;
const DECISIONS = 20_000;
const WARMUP_DECISIONS = 5_000;
const ORIGIN = 'https://shop.example.com';
const OUT = path.join(root, 'bench-results', 'proxy-load.json');

// Whatever happens, the run ends: a stuck phase cannot hold the machine.
const LIMIT_SECONDS = 3 * ROUNDS * PHASE_SECONDS + 90;
const watchdog = setTimeout(() => {
  console.error(`load test: still running after ${LIMIT_SECONDS} s, stopping`);
  process.exit(2);
}, LIMIT_SECONDS * 1000);
watchdog.unref();

const TICK_MS = 1000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

/** utime + stime of a process, in ms, from /proc/<pid>/stat. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Child processes of this one whose command line matches `pattern`. */
function children(pattern) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (pattern.test(cmd)) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function summary(samples, seconds) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    calls: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    seconds: Number(seconds.toFixed(3)),
    callsPerSecond: Number((samples.length / seconds).toFixed(1)),
    p50Ms: Number(percentile(ms, 50).toFixed(2)),
    p99Ms: Number(percentile(ms, 99).toFixed(2)),
    maxMs: Number(ms.at(-1).toFixed(2)),
  };
}

const KNOWN = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: 'LOAD-KNOWN' };
const KNOWN_INTENT = intentFor(KNOWN);

/**
 * The calls of one client: mostly reads, every tenth a recharge, each
 * payment and status read with its intent (signed here, before the timing,
 * as the merchant's server would have). The bare Worker ignores the header.
 */
function plan(client, calls) {
  const out = [];
  for (let i = 0; i < calls; i += 1) {
    if (i % 10 === 9) {
      const body = { ...KNOWN, ref_id: `LOAD-${client}-${i}-${Date.now()}` };
      out.push(['recharge', PATHS.request, body, { 'bdpay-intent': intentFor(body) }]);
    } else if (i % 2 === 0) {
      out.push(['status', PATHS.status, { ref_id: 'LOAD-KNOWN' }, { 'bdpay-intent': KNOWN_INTENT }]);
    } else {
      out.push(['packages', PATHS.packages, { operator_code: 'GP', type: 'data' }, {}]);
    }
  }
  return out;
}

// node:http with keep-alive rather than fetch: the load generator shares the
// machine's CPUs with workerd and the sandbox, and fetch (undici) costs it
// several times more CPU per call.
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

/** One POST of JSON; resolves with the status once the whole answer is read. */
function postJson(url, headers, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

/** Runs every client's plan concurrently against `base`; stops at the deadline. */
async function phase(name, base, headersFor, calls) {
  const deadline = Date.now() + PHASE_SECONDS * 1000;
  const samples = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (const [kind, target, body, headers] of plan(client, calls)) {
        if (Date.now() > deadline) return;
        const t0 = performance.now();
        let ok = false;
        try {
          ok = (await postJson(base + target, { ...headersFor(client), ...headers }, body)) === 200;
        } catch {
          ok = false;
        }
        samples.push({ kind, ms: performance.now() - t0, ok });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const byKind = {};
  for (const kind of ['status', 'packages', 'recharge']) {
    const these = samples.filter((s) => s.kind === kind);
    if (these.length) byKind[kind] = summary(these, seconds);
  }
  return { name, ...summary(samples, seconds), timedOut: Date.now() > deadline, byKind };
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

/**
 * CPU per decision of the Rust proxy alone (WasmProxy.decide on answers it
 * gives without I/O: a payment whose intent is checked in full, signature
 * included, and refused for one changed field; a payment refused by
 * validation; a preflight), in this Node process: the same V8 and wasm as
 * workerd, without workerd's HTTP around it.
 */
async function decisionCost() {
  // The worker entry's own glue and wasm (bdpay/worker), initialised here.
  const { initSync, WasmProxy } = await import(new URL(`file://${path.join(root, 'pkg/bdpay_worker.js')}`).href);
  initSync({ module: readFileSync(path.join(root, 'pkg/bdpay_worker_bg.wasm')) });
  const p = new WasmProxy({
    upstreamUrl: 'https://gateway.example.com',
    token: 'load-test-token-000000',
    intentKey: INTENT_KEY,
    allowedOrigins: ORIGIN,
    clientReadsPerMinute: 100000,
    clientPaymentsPerMinute: 100000,
  });
  const bad = new TextEncoder().encode(JSON.stringify({ type: 'recharge', operator_code: 'GP', phone: '01112345678', amount: 100.005 }));
  const signed = intentFor(KNOWN);
  const changed = new TextEncoder().encode(JSON.stringify({ ...KNOWN, amount: 11 }));
  // Decided, not sent: each of these is answered by the wasm itself.
  const cases = {
    intentChecked: (i) => p.decide('POST', PATHS.request, ORIGIN, 'application/json', signed, changed, `10.2.${i % 200}.1`, false, true),
    refusedPayment: (i) => p.decide('POST', PATHS.request, ORIGIN, 'application/json', signed, bad, `10.0.${i % 200}.1`, false, true),
    preflight: (i) => p.decide('OPTIONS', PATHS.request, ORIGIN, undefined, undefined, new Uint8Array(0), `10.1.${i % 200}.1`, false, true),
  };
  // Every case warmed before any is timed: the first timed case would
  // otherwise pay for compiling the code all of them share.
  for (const call of Object.values(cases)) for (let i = 0; i < WARMUP_DECISIONS; i += 1) call(i);
  const out = {};
  for (const [name, call] of Object.entries(cases)) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < DECISIONS; i += 1) call(i);
    const used = process.cpuUsage(t0);
    out[`${name}CpuPerRequestUs`] = Number(((used.user + used.system) / DECISIONS).toFixed(1));
  }
  return out;
}

const sandbox = await startSandbox(['--quiet']);
const admin = sandboxAdmin(sandbox.url);
const token = await admin.account({
  rate_limit: false,
  settle_ms: 100000,
  balances: { flexiload_balance: '100000000.00' },
});
const record = new Record();
const proxy = await startProxy(record, {
  bindings: {
    ...exampleVars(),
    BDPAY_UPSTREAM_URL: sandbox.url,
    BDPAY_TOKEN: token,
    BDPAY_INTENT_KEY: INTENT_KEY,
    // The load test measures cost, not the limits: each client far under them.
    BDPAY_CLIENT_READS_PER_MINUTE: '100000',
    BDPAY_CLIENT_PAYMENTS_PER_MINUTE: '100000',
  },
});

// The baseline: a bare pass-through Worker in its own workerd, which adds the
// token and forwards with no checks. What the proxy costs beyond it is the
// proxy's own: reading the body, the Rust checks, the JSON in and out.
const workerdBefore = new Set(children(/workerd/));
const bare = new Miniflare({
  host: '127.0.0.1',
  port: 0,
  compatibilityDate: '2026-04-01',
  modules: true,
  bindings: { UPSTREAM: sandbox.url, TOKEN: token },
  script: `export default {
    async fetch(request, env) {
      const url = new URL(request.url);
      return fetch(env.UPSTREAM + url.pathname + url.search, {
        method: request.method,
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + env.TOKEN },
        body: request.body,
      });
    },
  };`,
});
const bareUrl = String(await bare.ready).replace(/\/$/, '');
const barePid = children(/workerd/).filter((pid) => !workerdBefore.has(pid));

// The floor: the bare Worker plus what any proxy that checks requests and
// answers must also do, and no more: read the request's body whole, one call
// into the proxy's wasm (an empty one: no check at all), read the answer
// whole (it must be seen before it is passed on) and answer with a new
// Response carrying CORS headers. What the proxy costs beyond it is its
// checks and the way they are made.
const floorScript = `import wasmModule from './bdpay/bdpay_worker_bg.wasm';
import { initSync, WasmProxy } from './bdpay/bdpay_worker.js';
initSync({ module: wasmModule });
let checker;
export default {
  async fetch(request, env) {
    checker ??= new WasmProxy({ upstreamUrl: env.UPSTREAM, token: env.TOKEN, allowInsecureHttp: true });
    const url = new URL(request.url);
    const body = await request.arrayBuffer();
    checker.authorizesPayments();
    const answer = await fetch(env.UPSTREAM + url.pathname + url.search, {
      method: request.method,
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + env.TOKEN },
      body,
      redirect: 'manual',
    });
    const text = await answer.text();
    return new Response(text, {
      status: answer.status,
      headers: {
        'content-type': 'application/json',
        'access-control-allow-origin': request.headers.get('origin') ?? '',
        'access-control-expose-headers': 'Retry-After',
        vary: 'Origin',
      },
    });
  },
};`;
const beforeFloor = new Set(children(/workerd/));
const floor = new Miniflare({
  host: '127.0.0.1',
  port: 0,
  compatibilityDate: '2026-04-01',
  ...workerModules(undefined, floorScript),
  bindings: { UPSTREAM: sandbox.url, TOKEN: token },
});
const floorUrl = String(await floor.ready).replace(/\/$/, '');
const floorPid = children(/workerd/).filter((pid) => !beforeFloor.has(pid));

let exitCode = 0;
try {
  const workerd = children(/workerd/).filter((pid) => workerdBefore.has(pid));
  const sandboxPid = children(/bdpay-sandbox/);
  if (workerd.length !== 1) throw new Error(`expected one workerd child, found ${workerd.length}`);
  const direct = (client) => ({ authorization: `Bearer ${token}`, 'x-client': String(client) });
  const proxied = (client) => ({ origin: ORIGIN, 'cf-connecting-ip': `198.51.100.${client + 1}` });

  // One known transaction for the status reads, then a warm-up of both paths.
  const known = await fetch(sandbox.url + PATHS.request, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...direct(0) },
    body: JSON.stringify({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, ref_id: 'LOAD-KNOWN' }),
  });
  if (known.status !== 200) throw new Error(`could not seed the known transaction: ${known.status}`);
  await phase('warm-up direct', sandbox.url, direct, WARMUP_CALLS);
  await phase('warm-up proxy', proxy.url, proxied, WARMUP_CALLS);
  await phase('warm-up bare', bareUrl, proxied, WARMUP_CALLS);
  await phase('warm-up floor', floorUrl, proxied, WARMUP_CALLS);
  if (barePid.length !== 1) throw new Error(`expected one workerd for the bare Worker, found ${barePid.length}`);
  if (floorPid.length !== 1) throw new Error(`expected one workerd for the floor Worker, found ${floorPid.length}`);

  const nodeMs = (u) => (u.user + u.system) / 1000;
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const sandboxCpu0 = sandboxPid.length ? cpuMs(sandboxPid[0]) : NaN;
    const node0 = process.cpuUsage();
    const d = await phase('direct to the sandbox', sandbox.url, direct, CALLS);
    const node1 = process.cpuUsage();
    const sandboxCpu1 = sandboxPid.length ? cpuMs(sandboxPid[0]) : NaN;
    const workerdCpu0 = cpuMs(workerd[0]);
    const p = await phase('through the proxy', proxy.url, proxied, CALLS);
    const workerdCpu1 = cpuMs(workerd[0]);
    const node2 = process.cpuUsage();
    const sandboxCpu2 = sandboxPid.length ? cpuMs(sandboxPid[0]) : NaN;
    // A call per client first, outside the count: the reference Workers'
    // kept-alive connections idled through the other phases, and one closed
    // meanwhile would fail a first call.
    await phase('warm-up bare', bareUrl, proxied, 1);
    const bareCpu0 = cpuMs(barePid[0]);
    const b = await phase('bare pass-through Worker', bareUrl, proxied, CALLS);
    const bareCpu1 = cpuMs(barePid[0]);
    await phase('warm-up floor', floorUrl, proxied, 1);
    const floorCpu0 = cpuMs(floorPid[0]);
    const f = await phase('floor Worker', floorUrl, proxied, CALLS);
    const floorCpu1 = cpuMs(floorPid[0]);
    rounds.push({
      direct: d,
      proxied: p,
      bare: b,
      floor: f,
      bareWorkerdCpuPerCallMs: (bareCpu1 - bareCpu0) / b.calls,
      floorWorkerdCpuPerCallMs: (floorCpu1 - floorCpu0) / f.calls,
      workerdCpuPerCallMs: (workerdCpu1 - workerdCpu0) / p.calls,
      workerdCpuMs: workerdCpu1 - workerdCpu0,
      sandboxCpuPerCallMs: { direct: (sandboxCpu1 - sandboxCpu0) / d.calls, proxied: (sandboxCpu2 - sandboxCpu1) / p.calls },
      generatorCpuPerCallMs: { direct: (nodeMs(node1) - nodeMs(node0)) / d.calls, proxied: (nodeMs(node2) - nodeMs(node1)) / p.calls },
    });
    console.error(
      `  round ${round + 1}/${ROUNDS}: direct ${d.callsPerSecond} calls/s p50 ${d.p50Ms} ms; proxied ${p.callsPerSecond} calls/s p50 ${p.p50Ms} ms; bare Worker ${b.callsPerSecond} calls/s p50 ${b.p50Ms} ms; floor Worker ${f.callsPerSecond} calls/s p50 ${f.p50Ms} ms`,
    );
  }
  const decisions = await decisionCost();

  // Each figure is the median over the rounds; every round is kept in the file.
  const med = (f) => Number(median(rounds.map(f)).toFixed(3));
  const merge = (key) => {
    const first = rounds[0][key];
    const out = { name: first.name };
    for (const k of ['calls', 'callsPerSecond', 'p50Ms', 'p99Ms', 'maxMs']) out[k] = med((r) => r[key][k]);
    out.errors = rounds.reduce((n, r) => n + r[key].errors, 0);
    out.timedOut = rounds.some((r) => r[key].timedOut);
    out.byKind = {};
    for (const kind of Object.keys(first.byKind)) {
      out.byKind[kind] = { name: kind };
      for (const k of ['calls', 'callsPerSecond', 'p50Ms', 'p99Ms']) out.byKind[kind][k] = med((r) => r[key].byKind[kind][k]);
      out.byKind[kind].errors = rounds.reduce((n, r) => n + r[key].byKind[kind].errors, 0);
    }
    return out;
  };
  const directResult = merge('direct');
  const proxyResult = merge('proxied');
  const bareResult = merge('bare');
  const floorResult = merge('floor');
  const result = {
    what: 'tests/proxy/load.mjs: the same calls straight to the sandbox and through the proxy Worker (workerd, by miniflare) in front of it, on loopback; medians over the rounds',
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage: os.loadavg() },
    clients: CLIENTS,
    callsPerClient: CALLS,
    rounds: ROUNDS,
    mix: 'per client: status and packages reads alternately, every tenth call a recharge',
    workerdCpu: {
      perRequestMs: med((r) => r.workerdCpuPerCallMs),
      resolutionMs: TICK_MS,
      note: "utime+stime of the workerd process over a proxied phase, divided by its calls: the Worker's JavaScript and wasm plus workerd's HTTP in and out and miniflare's entry and outbound Workers",
    },
    bareWorkerCpu: {
      perRequestMs: med((r) => r.bareWorkerdCpuPerCallMs),
      note: 'the same, for a bare pass-through Worker (adds the token, no checks) in its own workerd: what any Worker in front of the gateway pays here',
    },
    floorWorkerCpu: {
      perRequestMs: med((r) => r.floorWorkerdCpuPerCallMs),
      note: 'the same, for the bare Worker plus what any proxy that checks requests and answers must also do: the request body read whole, one empty call into the wasm, the answer read whole and a new Response with CORS headers: the floor of a checking proxy here',
    },
    proxyDecision: {
      ...decisions,
      note: 'WasmProxy.decide alone, in Node (same V8 and wasm): a payment whose intent is checked in full (signature included) and refused for one changed field, a payment refused by validation (parse, validate, answer), and a preflight',
    },
    addedLatency: {
      p50Ms: Number((proxyResult.p50Ms - directResult.p50Ms).toFixed(2)),
      p99Ms: Number((proxyResult.p99Ms - directResult.p99Ms).toFixed(2)),
    },
    addedLatencyOverBareWorker: {
      p50Ms: Number((proxyResult.p50Ms - bareResult.p50Ms).toFixed(2)),
      p99Ms: Number((proxyResult.p99Ms - bareResult.p99Ms).toFixed(2)),
    },
    direct: directResult,
    proxied: proxyResult,
    bare: bareResult,
    floor: floorResult,
    sandboxCpuPerCall: { directMs: med((r) => r.sandboxCpuPerCallMs.direct), proxiedMs: med((r) => r.sandboxCpuPerCallMs.proxied) },
    loadGeneratorCpuPerCall: { directMs: med((r) => r.generatorCpuPerCallMs.direct), proxiedMs: med((r) => r.generatorCpuPerCallMs.proxied) },
    everyRound: rounds,
  };

  const row = (r) =>
    `${r.name.padEnd(24)} ${String(r.calls).padStart(6)} ${String(r.errors).padStart(6)} ${r.callsPerSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)}`;
  console.log(`\n${CLIENTS} clients x ${CALLS} calls (reads, every tenth a recharge), loopback, ${os.cpus().length} CPUs, median of ${ROUNDS} rounds\n`);
  console.log(`${'path'.padEnd(24)} ${'calls'.padStart(6)} ${'errors'.padStart(6)} ${'calls/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  console.log(row(directResult));
  console.log(row(proxyResult));
  console.log(row(bareResult));
  console.log(row(floorResult));
  for (const kind of Object.keys(proxyResult.byKind)) {
    console.log(row({ ...directResult.byKind[kind], name: `  ${kind} direct` }));
    console.log(row({ ...proxyResult.byKind[kind], name: `  ${kind} proxied` }));
  }
  console.log(`\nadded latency (proxied - direct): p50 ${result.addedLatency.p50Ms} ms, p99 ${result.addedLatency.p99Ms} ms`);
  console.log(`workerd CPU per proxied call: ${result.workerdCpu.perRequestMs} ms (whole workerd process, /proc, ${TICK_MS} ms ticks); a bare pass-through Worker: ${result.bareWorkerCpu.perRequestMs} ms; the floor Worker (bare + body and answer read whole, one empty wasm call, a new Response): ${result.floorWorkerCpu.perRequestMs} ms`);
  console.log(`Rust proxy decision alone (Node): ${decisions.intentCheckedCpuPerRequestUs} µs per intent checked in full, ${decisions.refusedPaymentCpuPerRequestUs} µs per refused payment, ${decisions.preflightCpuPerRequestUs} µs per preflight`);
  console.log(`sandbox CPU per call: ${result.sandboxCpuPerCall.directMs} ms direct, ${result.sandboxCpuPerCall.proxiedMs} ms proxied`);
  console.log(`load generator (this Node process) CPU per call: ${result.loadGeneratorCpuPerCall.directMs} ms direct, ${result.loadGeneratorCpuPerCall.proxiedMs} ms proxied`);
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on the machine skews every figure)`);

  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, OUT)}`);
  if ([directResult, proxyResult, bareResult, floorResult].some((r) => r.errors || r.timedOut)) {
    console.error('load test: some calls failed or a phase ran out of time');
    exitCode = 1;
  }
  if (record.logs.join('\n').includes(token)) {
    console.error('load test: a log line holds the token');
    exitCode = 1;
  }
} finally {
  agent.destroy();
  await bare.dispose();
  await floor.dispose();
  await proxy.stop();
  await sandbox.stop();
}
process.exit(exitCode);
