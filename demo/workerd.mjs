// The example Worker (examples/worker) in workerd, through miniflare, with
// no wrangler and no bundler: its modules are handed over as Workers receive
// them unbundled. The proxy tests (tests/proxy/harness.mjs) and the demo
// (demo/run.mjs) both start it from here. Bindings hold secrets: this module
// never prints them.
//
//   BDPAY_UPSTREAM_URL=… BDPAY_TOKEN=… BDPAY_INTENT_KEY=… node demo/workerd.mjs
//
// runs it alone with the example's [vars] and those bindings, on
// 127.0.0.1:${BDPAY_PROXY_PORT:-0}, until Ctrl-C.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Miniflare } from 'miniflare';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const EXAMPLE = path.join(root, 'examples/worker');

/** Where `import 'bdpay/worker'` leads under the given conditions, by Node's own resolver. */
export function resolveWorker(conditions) {
  const flags = conditions.map((c) => `--conditions=${c}`);
  const url = execFileSync(
    process.execPath,
    [...flags, '--input-type=module', '-e', "console.log(import.meta.resolve('bdpay/worker'))"],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
  return realpathSync(fileURLToPath(url));
}

/** `[vars]` of the example's wrangler.toml (`KEY = "value"` lines only). */
export function exampleVars() {
  const text = readFileSync(path.join(EXAMPLE, 'wrangler.toml'), 'utf8');
  const vars = {};
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\s*\[+([^\]]+)\]+\s*$/.exec(line);
    if (header) section = header[1].trim();
    const kv = /^\s*([A-Z0-9_]+)\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (section === 'vars' && kv) vars[kv[1]] = kv[2];
  }
  return vars;
}

/**
 * The modules of the example Worker as Workers receive them unbundled: the
 * example's index.js (or `main`, or the entry's text `script`), and the
 * package's files under `bdpay/`, with the entry that the `workerd`
 * condition picks at `bdpay/worker` (a bare specifier that workerd resolves
 * by module name).
 */
export function workerModules(main = 'index.js', script = undefined) {
  const entry = resolveWorker(['workerd']);
  const pkgDir = path.dirname(entry);
  const files = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).files;
  const base = '/bundle';
  const modules = [
    { type: 'ESModule', path: `${base}/index.js`, contents: script ?? readFileSync(path.join(EXAMPLE, main), 'utf8') },
    { type: 'ESModule', path: `${base}/bdpay/worker`, contents: readFileSync(entry, 'utf8') },
  ];
  for (const file of files) {
    if (path.join(pkgDir, file) === entry) continue;
    const type = file.endsWith('.wasm') ? 'CompiledWasm' : file.endsWith('.js') ? 'ESModule' : undefined;
    if (type) modules.push({ type, path: `${base}/bdpay/${file}`, contents: readFileSync(path.join(pkgDir, file)) });
  }
  return { modules, modulesRoot: base };
}

/** Each line of the runtime's stdout and stderr, to `line(text)`. */
export function stdioLines(line) {
  return (stdout, stderr) => {
    for (const stream of [stdout, stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const l of lines) if (l.trim()) line(l);
      });
      stream.on('end', () => {
        if (rest.trim()) line(rest);
      });
    }
  };
}

/**
 * The example Worker on `host:port` (0: a free port) with the example's
 * [vars] under `bindings`: `{ url, stop }`. `log(line)` gets the Worker's
 * log lines (default: dropped).
 */
export async function startExampleWorker({ bindings, port = 0, host = '127.0.0.1', log = () => {} } = {}) {
  const mf = new Miniflare({
    host,
    port,
    handleRuntimeStdio: stdioLines(log),
    workers: [{ name: 'proxy', ...workerModules(), compatibilityDate: '2026-04-01', bindings: { ...exampleVars(), ...bindings } }],
  });
  const url = String(await mf.ready).replace(/\/$/, '');
  return { url, stop: () => mf.dispose() };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bindings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BDPAY_') && k !== 'BDPAY_PROXY_PORT'));
  const worker = await startExampleWorker({ bindings, port: Number(process.env.BDPAY_PROXY_PORT ?? 0), log: (l) => console.error(l) });
  console.log(`bdpay proxy listening on ${worker.url}`);
  const stop = () => worker.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
