// Proxy cost: runs the Workers proxy's own load test, tests/proxy/load.mjs,
// when it exists, and reads what it wrote to bench-results/proxy-load.json.
// The load test belongs to the proxy's owners; this file only runs it and
// reads its figures, without assuming more of their layout than key names:
// every numeric field is kept, and the headline figures are the fields whose
// names say CPU per request and p50/p99 latency.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const LOAD_TEST = 'tests/proxy/load.mjs';
export const LOAD_RESULT = 'bench-results/proxy-load.json';
const TIMEOUT_MS = 300_000;

function leaves(value, path = '', out = []) {
  if (typeof value === 'number' && Number.isFinite(value)) out.push({ path, value });
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/** The factor to milliseconds from a field whose name gives its unit (ms, us/µs, ns); undefined when it doesn't. */
function toMs({ path }) {
  const words = path
    .split('.')
    .pop()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-zµ0-9]+/);
  if (words.some((w) => ['ms', 'millis', 'milliseconds'].includes(w))) return 1;
  if (words.some((w) => ['us', 'µs', 'micros', 'microseconds'].includes(w))) return 1e-3;
  if (words.some((w) => ['ns', 'nanos', 'nanoseconds'].includes(w))) return 1e-6;
  return undefined;
}

function pick(figures, include, prefer) {
  const found = figures.filter((f) => include.test(f.path));
  return found.find((f) => prefer.test(f.path)) ?? found[0];
}

export function proxyCost(root) {
  const script = join(root, LOAD_TEST);
  if (!existsSync(script)) {
    return { measured: false, reason: `${LOAD_TEST} does not exist yet (the Workers proxy is still being built); ./build.sh bench runs it once it does` };
  }
  const resultFile = join(root, LOAD_RESULT);
  rmSync(resultFile, { force: true });
  const started = Date.now();
  const run = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 16 << 20 });
  const seconds = (Date.now() - started) / 1000;
  const tail = (s) => (s ?? '').trim().split('\n').slice(-5).join(' | ');
  if (run.status !== 0) {
    const why = run.error?.code === 'ETIMEDOUT' ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit ${run.status ?? run.signal}`;
    return { measured: false, reason: `${LOAD_TEST} failed (${why}): ${tail(run.stderr) || tail(run.stdout)}`, seconds };
  }
  if (!existsSync(resultFile)) {
    return { measured: false, reason: `${LOAD_TEST} passed but wrote no ${LOAD_RESULT}`, seconds };
  }
  let data;
  try {
    data = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch (e) {
    return { measured: false, reason: `${LOAD_RESULT} is not JSON: ${e.message}`, seconds };
  }
  const figures = leaves(data);
  const cpu = pick(figures, /cpu/i, /per.?req|request/i);
  const p50 = pick(figures, /p50|median/i, /added|overhead|extra|delta/i);
  const p99 = pick(figures, /p99/i, /added|overhead|extra|delta/i);
  const headline = (f) => {
    if (!f) return null;
    const scale = toMs(f);
    return { field: f.path, value: f.value, ms: scale === undefined ? null : f.value * scale };
  };
  return {
    measured: true,
    seconds,
    cpuPerRequest: headline(cpu),
    addedLatencyP50: headline(p50),
    addedLatencyP99: headline(p99),
    figures,
    raw: data,
  };
}
