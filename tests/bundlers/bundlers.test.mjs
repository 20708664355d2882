// The packed package in real apps built by each bundler's CLI: every app in
// this folder installs pkg/ from its `npm pack` tarball, is built with its
// bundler, served from its output folder on 127.0.0.1 and run in headless
// Chromium, which must show the exact results below and log nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { launchChromium } from '../clients/chromium.mjs';

// What each app imports, one row per package entry. `run` is copied into the
// app's generated src/index.js as source text, so it may use only its
// argument (the imported names) and globals; it returns strings, which the
// page shows and the test compares with `expect`.
const ENTRIES = [
  {
    specifier: 'bdpay',
    imports: ['BdpayError', 'ready', 'normalizePhone', 'detectOperator', 'validateRequest'],
    run: async ({ BdpayError, ready, normalizePhone, detectOperator, validateRequest }) => {
      let early;
      try {
        early = `called: ${normalizePhone('01712345678')}`;
      } catch (e) {
        early = `${e instanceof BdpayError} ${e.code}`;
      }
      await ready;
      const bad = validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01112345678', amount: 100 });
      return {
        early,
        phone: String(normalizePhone('+8801712345678')),
        operator: String(detectOperator('01712345678')?.code),
        amount: String(validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100.5 }).value?.amount),
        bad: JSON.stringify([bad.ok, bad.errors?.map((e) => [e.field, e.code])]),
        bangla: String(bad.errors?.[0]?.message_bn),
      };
    },
    expect: {
      early: 'true not_ready',
      phone: '01712345678',
      operator: 'GP',
      amount: '100.50',
      bad: '[false,[["phone","invalid_phone"]]]',
      // 011 is no operator's: the library says that, not "11 digits".
      bangla: '০১১ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।',
    },
  },
  {
    // A bill form that pays through the merchant's server: validation with the biller schemas.
    specifier: 'bdpay/billers',
    imports: ['ready', 'parseBillers', 'validateBillerForm'],
    run: async ({ ready, parseBillers, validateBillerForm }) => {
      await ready;
      const billers = parseBillers({
        data: { types: [{ title: 'Gas', billers: [{ biller_id: 'b1', title: 'Gas Co', params: [{ field_type: 'mobile_no', key: 'mob', required: true }] }] }] },
      });
      const biller = billers.value?.[0]?.billers?.[0];
      const sent = validateBillerForm(biller, { mob: '+880 1712-345678' });
      const refused = validateBillerForm(biller, {});
      return {
        billers: String(billers.ok),
        sent: JSON.stringify(sent.value),
        refused: JSON.stringify(refused.errors?.map((e) => [e.field, e.code])),
      };
    },
    expect: { billers: 'true', sent: '{"mob":"01712345678"}', refused: '[["mob","required"]]' },
  },
  {
    // A page that pays: the same validation and the clients, over one wasm of their own.
    specifier: 'bdpay/clients',
    imports: ['BdpayError', 'ready', 'normalizePhone', 'GatewayClient'],
    run: async ({ BdpayError, ready, normalizePhone, GatewayClient }) => {
      await ready;
      const gateway = new GatewayClient({ baseUrl: 'http://127.0.0.1:9' });
      let refused;
      try {
        await gateway.recharge({ operator_code: 'GP', phone: '01112345678', amount: 100 });
        refused = 'sent';
      } catch (e) {
        refused = `${e instanceof BdpayError} ${e.kind} ${e.fieldErrors.map((f) => f.field).join(',')}`;
      }
      return { phone: String(normalizePhone('০১৭১২৩৪৫৬৭৮')), refused };
    },
    expect: { phone: '01712345678', refused: 'true validation phone' },
  },
];

// One app per bundler: its folder here, built by `npm run build` into dist/.
const BUNDLERS = [
  { name: 'Vite 6', dir: 'vite6' },
  { name: 'Vite 7', dir: 'vite7' },
  { name: 'Vite 8', dir: 'vite8' },
  { name: 'webpack 5', dir: 'webpack5' },
  { name: 'esbuild', dir: 'esbuild' },
  { name: 'Rollup', dir: 'rollup' },
];

const here = fileURLToPath(new URL('.', import.meta.url));
const root = path.resolve(here, '../..');
const pkgDir = path.join(root, 'pkg');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} in ${path.relative(root, cwd)} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The app's own node_modules from its lockfile, again whenever the lockfile changes (as build.sh does). */
function installApp(dir) {
  const stamp = path.join(dir, 'node_modules', '.bdpay-lock-sha256');
  const want = createHash('sha256').update(readFileSync(path.join(dir, 'package-lock.json'))).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return;
  run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  writeFileSync(stamp, `${want}\n`);
}

/** src/index.js of an app: ENTRIES' imports and runs, and a page that shows what they return. */
function entryModule() {
  const imports = ENTRIES.map(
    (e, i) => `import { ${e.imports.map((name) => `${name} as e${i}_${name}`).join(', ')} } from ${JSON.stringify(e.specifier)};`,
  );
  const rows = ENTRIES.map(
    (e, i) =>
      `  [${JSON.stringify(e.specifier)}, { ${e.imports.map((name) => `${name}: e${i}_${name}`).join(', ')} }, ${e.run.toString()}],`,
  );
  return `// Generated by tests/bundlers/bundlers.test.mjs from its ENTRIES table: edit that, not this.
${imports.join('\n')}

const entries = [
${rows.join('\n')}
];

// No top-level await: the app must build with each bundler's default target.
async function main() {
  const out = document.getElementById('results');
  for (const [specifier, names, run] of entries) {
    for (const [key, value] of Object.entries(await run(names))) {
      const p = document.createElement('p');
      p.dataset.entry = specifier;
      p.dataset.key = key;
      p.textContent = value;
      out.append(p);
    }
  }
  document.body.dataset.done = 'yes';
}

main().catch((e) => {
  console.error(e);
  document.body.dataset.done = 'failed';
});
`;
}

function serve(dist) {
  const served = [];
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const file = path.join(dist, name === '/' ? 'index.html' : name);
    const type = TYPES[path.extname(file)];
    if (!file.startsWith(dist + path.sep) || !type || !existsSync(file) || !lstatSync(file).isFile()) {
      res.writeHead(name === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    served.push(name);
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, served })));
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name));
}

/** gzip -9 bytes of the app's JS and of its wasm, as shipped in dist/. */
function sizes(dist) {
  const total = (ext) =>
    filesUnder(dist)
      .filter((f) => f.endsWith(ext))
      .reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  return { js: total('.js'), wasm: total('.wasm') };
}

let tarball;
let browser;
let packDir;

before(async () => {
  assert.ok(existsSync(path.join(pkgDir, 'bdpay_bg.wasm')), 'pkg/ is not built: run ./build.sh');
  packDir = mkdtempSync(path.join(tmpdir(), 'bdpay-pack-'));
  const [packed] = JSON.parse(run('npm', ['pack', pkgDir, '--pack-destination', packDir, '--json'], root));
  tarball = path.join(packDir, packed.filename);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

const summary = [];

for (const bundler of BUNDLERS) {
  test(`${bundler.name} bundles an app that imports bdpay, and it runs in Chromium`, { timeout: 300_000 }, async (t) => {
    const dir = path.join(here, bundler.dir);
    const dist = path.join(dir, 'dist');
    installApp(dir);
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball], dir);
    const installed = path.join(dir, 'node_modules', 'bdpay');
    assert.ok(!lstatSync(installed).isSymbolicLink(), 'bdpay is installed from the tarball, not linked');

    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'index.js'), entryModule());
    rmSync(dist, { recursive: true, force: true });
    const started = Date.now();
    run('npm', ['run', '--silent', 'build'], dir);
    const buildMs = Date.now() - started;

    const { server, served } = await serve(dist);
    const page = await browser.newPage();
    try {
      const problems = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await page.waitForSelector('body[data-done]', { state: 'attached', timeout: 30_000 });
      const shown = await page.$$eval('#results p', (ps) => ps.map((p) => [p.dataset.entry, p.dataset.key, p.textContent]));

      assert.deepEqual(problems, []);
      assert.equal(await page.getAttribute('body', 'data-done'), 'yes');
      const expected = ENTRIES.flatMap((e) => Object.entries(e.expect).map(([key, value]) => [e.specifier, key, value]));
      assert.deepEqual(shown, expected);
      // Each entry's wasm came as its own file, once, with its MIME type (else the glue warns, caught above).
      assert.equal(served.filter((p) => p.endsWith('.wasm')).length, ENTRIES.length, `served: ${served.join(' ')}`);
    } finally {
      await page.close();
      server.close();
    }

    const size = sizes(dist);
    summary.push({ bundler: bundler.name, buildMs, jsGzip: size.js, wasmGzip: size.wasm });
    t.diagnostic(`${bundler.name}: built in ${buildMs} ms; JS ${size.js} B gzip, wasm ${size.wasm} B gzip`);
  });
}

after(() => {
  if (summary.length === 0) return;
  const artifacts = path.join(root, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, 'bundlers.json'), `${JSON.stringify(summary, null, 2)}\n`);
});
