// Bundle sizes: bdpay as a browser loads it, and each peer bundled by esbuild
// (minified, ESM, browser platform) for one `parsePhoneNumber(...).isValid()`.
// gzip is `gzip -9`, as build.sh measures the budget; brotli is Node's zlib at
// quality 11. The bundles are left in bench-results/bundles/ for the
// Chromium cold start to serve.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import * as esbuild from 'esbuild';

import { entrySizes } from './budget.mjs';

const phoneEntry = (from) =>
  `import { parsePhoneNumber } from '${from}';
export function isValid(s) {
  try { return parsePhoneNumber(s, 'BD').isValid(); } catch { return false; }
}
`;

/** The peers, each an entry exporting `isValid(text)`. */
export const PEERS = {
  'libphonenumber-js/min': phoneEntry('libphonenumber-js/min'),
  'libphonenumber-js/mobile': phoneEntry('libphonenumber-js/mobile'),
  'libphonenumber-js/max': phoneEntry('libphonenumber-js/max'),
  'google-libphonenumber': `import glp from 'google-libphonenumber';
const util = glp.PhoneNumberUtil.getInstance();
export function isValid(s) {
  try { return util.isValidNumber(util.parse(s, 'BD')); } catch { return false; }
}
`,
};


export const bundleFile = (name) => `${name.replace(/[^a-z0-9]+/gi, '-')}.js`;

export function compressed(bytes) {
  const gzip = execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 64 << 20 }).length;
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
  return { raw: bytes.length, gzip, brotli };
}

/** Sizes summed over files, each compressed alone (as a server sends them). */
/** A row of several files' sizes (`compressed` each), summed. */
function summed(name, key, files) {
  const sum = (k) => Object.values(files).reduce((n, f) => n + f[k], 0);
  return { name, key, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), files };
}

/**
 * Apps a merchant builds with Vite 8 from the packed tarball (as
 * tests/bundlers does), default config: `{ name: source of main.js }`. Each
 * row sums what the app's dist/ ships, its JS and its wasm, each file
 * compressed alone.
 */
async function viteApps(pkg, apps) {
  const { build } = await import('vite');
  const dir = mkdtempSync(join(tmpdir(), 'bdpay-vite-'));
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', pkg, '--pack-destination', dir, '--json'], { encoding: 'utf8' }));
    const rows = [];
    for (const [name, source] of Object.entries(apps)) {
      const app = join(dir, name.replace(/[^a-z0-9]+/gi, '-'));
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'checkout', private: true, type: 'module' }));
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--silent', join(dir, packed.filename)], { cwd: app });
      writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
      writeFileSync(join(app, 'main.js'), source);
      await build({ root: app, logLevel: 'error', configFile: false });
      const files = {};
      for (const f of readdirSync(join(app, 'dist'), { recursive: true })) {
        if (/\.(js|wasm)$/.test(f)) files[f] = compressed(readFileSync(join(app, 'dist', f)));
      }
      rows.push({ name, files });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the Vite apps of the bench do: one call each, so nothing they import is left out. */
export const VITE_APPS = {
  'bdpay built by Vite 8 (normalizePhone, detectOperator, validateRequest)': `import { ready, normalizePhone, detectOperator, validateRequest } from 'bdpay';
await ready;
console.log(normalizePhone('01712345678'), detectOperator('01312345678'), validateRequest({ type: 'recharge' }));
`,
  'a recharge checkout built by Vite 8: bdpay/gateway, GatewayClient alone': `import { ready, GatewayClient, validateRequest } from 'bdpay/gateway';
await ready;
const gateway = new GatewayClient({ baseUrl: location.origin });
console.log(validateRequest({ type: 'recharge' }), await gateway.request({ intent: new URLSearchParams(location.search).get('intent') }));
`,
};

async function bundle(contents, resolveDir, outfile) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const bytes = Buffer.from(result.outputFiles[0].contents);
  writeFileSync(outfile, bytes);
  return bytes;
}

export async function measureSizes(root) {
  const pkg = join(root, 'pkg');
  const benchDir = join(root, 'bench');
  const outDir = join(root, 'bench-results', 'bundles');
  mkdirSync(outDir, { recursive: true });

  // Each npm entry as its user downloads it (build/entries.mjs lists the
  // files); `bdpay`, the validation entry, is the one set beside the peers.
  const rows = entrySizes(pkg).map((e) => ({
    name: `${e.entry}: ${e.files.join(', ')} (budget ${e.budget?.toLocaleString('en-US') ?? 'none'} gzip)`,
    key: e.entry === 'bdpay' ? 'bdpay-browser' : `entry:${e.entry}`,
    raw: e.raw,
    gzip: e.gzip,
    brotli: e.brotli,
    budget: e.budget,
  }));

  // bdpay through the same bundler as the peers: its JS minified into one
  // file, the wasm beside it (esbuild leaves `new URL('./bdpay_bg.wasm', import.meta.url)` alone).
  const bdpayJs = await bundle(
    `export { ready, normalizePhone, detectOperator, validateRequest } from ${JSON.stringify(join(pkg, 'browser.js'))};\n`,
    benchDir,
    join(outDir, 'bdpay.js'),
  );
  copyFileSync(join(pkg, 'bdpay_bg.wasm'), join(outDir, 'bdpay_bg.wasm'));
  const js = compressed(bdpayJs);
  const wasm = compressed(readFileSync(join(pkg, 'bdpay_bg.wasm')));
  rows.push(summed('bdpay bundled by esbuild (minified JS) + wasm', 'bdpay-esbuild', {
    'bdpay.js (minified)': js,
    'bdpay_bg.wasm': wasm,
  }));

  // The phone field (bindPhoneInput, <bdpay-phone>): its own module, which a
  // page that binds no field never loads through a bundler. Alone, and in
  // the same esbuild bundle as above with bindPhoneInput used.
  const phone = compressed(readFileSync(join(pkg, 'phone-input.js')));
  rows.push({ name: 'bdpay phone field alone: phone-input.js (bindPhoneInput, <bdpay-phone>)', key: 'bdpay-phone-input', ...phone });
  const withPhoneJs = await bundle(
    `export { ready, normalizePhone, detectOperator, validateRequest, bindPhoneInput, definePhoneElement } from ${JSON.stringify(join(pkg, 'browser.js'))};\n`,
    benchDir,
    join(outDir, 'bdpay-phone.js'),
  );
  const withPhone = compressed(withPhoneJs);
  rows.push(summed('bdpay bundled by esbuild with the phone field used (minified JS) + wasm', 'bdpay-esbuild-phone', {
    'bdpay-phone.js (minified)': withPhone,
    'bdpay_bg.wasm': wasm,
  }));

  const [viteValidation, viteGateway] = await viteApps(pkg, VITE_APPS);
  rows.push(summed(viteValidation.name, 'bdpay-vite', viteValidation.files));
  rows.push(summed(viteGateway.name, 'gateway-vite', viteGateway.files));

  for (const [name, contents] of Object.entries(PEERS)) {
    const bytes = await bundle(contents, benchDir, join(outDir, bundleFile(name)));
    rows.push({ name: `${name} (esbuild, minified)`, key: name, ...compressed(bytes) });
  }
  await esbuild.stop?.();
  return rows;
}
