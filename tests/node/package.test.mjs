// The built package as npm users get it: its package.json and exports map,
// plain Node with no flags, an API module that does nothing on import, types
// that match the Rust error codes, and a README whose first snippet runs.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = realpathSync(path.join(root, 'node_modules/bdpay'));
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));

/** Runs an ES module source in a fresh `node` (from the repository root); returns stdout. */
function runModule(source, flags = []) {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', source], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `node exited ${r.status}\n${r.stderr}`);
  return r.stdout.trim();
}

test('plain Node (no --conditions) resolves bdpay to the node entry and needs no loading step', () => {
  const out = runModule(`
    console.log(import.meta.resolve('bdpay'));
    const { normalizePhone, validateRequest } = await import('bdpay');
    console.log(normalizePhone('০১৭১২-৩৪৫৬৭৮'));
    console.log(validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 20 }).value.amount);
  `);
  const [resolved, phone, amount] = out.split('\n');
  assert.equal(path.basename(fileURLToPath(resolved)), 'node.js');
  assert.equal(phone, '01712345678');
  assert.equal(amount, '20.00');
});

test('the node condition wins over browser, so bundling-free Node never gets browser.js', () => {
  const resolved = runModule(`console.log(import.meta.resolve('bdpay'))`, ['--conditions=browser']);
  assert.equal(path.basename(fileURLToPath(resolved)), 'node.js');
});

test('the exports map exposes the entry and package.json, and nothing else', () => {
  const version = runModule(
    `import { createRequire } from 'node:module';
     console.log(createRequire(import.meta.url)('bdpay/package.json').version);`,
  );
  assert.equal(version, pkg.version);
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('bdpay/api.js')"], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test('package.json is a real npm package: name, ESM, engines, conditions in priority order', () => {
  assert.equal(pkg.name, 'bdpay');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=20');
  const cargo = readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  assert.equal(pkg.version, /^version = "([^"]+)"/m.exec(cargo)[1], 'version comes from Cargo.toml');
  assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'workerd', 'worker', 'node', 'browser', 'default']);
  assert.deepEqual(Object.keys(pkg.exports), ['.', './clients', './gateway', './billers', './bulk', './worker', './server', './package.json']);
  assert.deepEqual(Object.keys(pkg.exports['./billers']), ['types', 'workerd', 'worker', 'node', 'browser', 'default']);
  assert.deepEqual(Object.keys(pkg.exports['./clients']), ['types', 'workerd', 'worker', 'node', 'browser', 'default']);
  assert.deepEqual(Object.keys(pkg.exports['./gateway']), ['types', 'workerd', 'worker', 'node', 'browser', 'default']);
  assert.deepEqual(Object.keys(pkg.exports['./server']), ['types', 'workerd', 'worker', 'node'], 'never to browsers: it holds the key');
  assert.deepEqual(Object.keys(pkg.exports['./bulk']), ['types', 'node', 'browser', 'default']);
  assert.deepEqual(pkg.bin, { bdpay: './cli.js' });
  const targets = Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)));
  for (const file of [...pkg.files, ...targets, ...pkg.sideEffects]) {
    assert.ok(existsSync(path.join(pkgDir, file)), `${file} is in pkg/`);
  }
  assert.ok(!pkg.sideEffects.includes('./api.js'), 'api.js is free of side effects');
  const wasms = pkg.files.filter((f) => f.endsWith('.wasm'));
  assert.deepEqual([...wasms].sort(), ['bdpay_bg.wasm', 'bdpay_billers_bg.wasm', 'bdpay_bulk_bg.wasm', 'bdpay_clients_bg.wasm', 'bdpay_gateway_bg.wasm', 'bdpay_server_bg.wasm', 'bdpay_worker_bg.wasm']);
  for (const w of wasms) assert.ok(WebAssembly.validate(readFileSync(path.join(pkgDir, w))), `${w} is valid`);
});

const VALIDATION = 'BdpayError,bindPhoneInput,checkPhone,checkPhoneList,checkPhones,createValidator,definePhoneElement,detectOperator,limits,normalizePhone,normalizeWallet,operators,validateRequest';
const BILLERS = `${VALIDATION},parseBillers,validateBillerForm`;

test('the binding modules make no wasm call when imported; a call before the wasm is ready throws not_ready', () => {
  // Imported without a runtime entry, the glue is never initialised: importing
  // must still work, and a call says, in both languages, to await `ready`.
  for (const [file, names] of [
    ['entry.js', VALIDATION],
    ['billers-entry.js', BILLERS],
    ['clients-entry.js', `BillPayClient,${BILLERS},GatewayClient,readIntent`],
    ['gateway-entry.js', `${VALIDATION},GatewayClient,readIntent`],
    ['bulk-entry.js', `BillPayClient,${BILLERS},BulkJob,GatewayClient,indexedDbStore,memoryStore,readIntent`],
  ]) {
    const url = pathToFileURL(path.join(pkgDir, file)).href;
    const out = runModule(`
      const m = await import(${JSON.stringify(url)});
      console.log(Object.keys(m).sort().join(','));
      try { m.normalizePhone('01712345678'); console.log('called'); } catch (e) { console.log(e.name, e.kind, e.code, /await ready/.test(e.message), /প্রস্তুত/.test(e.messageBn)); }
    `);
    assert.deepEqual(out.split('\n'), [names.split(',').sort().join(','), 'BdpayError not_ready not_ready true true'], file);
  }
});

test('bdpay carries no biller schemas; bdpay/billers is bdpay with them, over its own wasm', async () => {
  const validation = await import('bdpay');
  const billers = await import('bdpay/billers');
  for (const name of Object.keys(validation)) assert.ok(name in billers, `bdpay/billers exports ${name}`);
  assert.ok(!('parseBillers' in validation) && !('validateBillerForm' in validation));
  assert.ok(!('validateBillerForm' in validation.createValidator()), "bdpay's validators have no biller forms");
  assert.equal(typeof billers.createValidator().validateBillerForm, 'function');
  const wasm = (name) => readFileSync(path.join(pkgDir, name));
  assert.ok(!wasm('bdpay_bg.wasm').includes('parseBillers'), 'no biller code in the bdpay wasm');
  assert.ok(wasm('bdpay_billers_bg.wasm').includes('parseBillers'));
  assert.ok(wasm('bdpay_bg.wasm').length < wasm('bdpay_billers_bg.wasm').length * 0.85, 'the split saves something');
  assert.equal(billers.normalizePhone('+880 1712-345678'), validation.normalizePhone('+880 1712-345678'));
  assert.deepEqual(billers.validateRequest({ type: 'bill' }), validation.validateRequest({ type: 'bill' }));
  await billers.ready;
});

test('bdpay/clients has everything bdpay/billers has, over its own wasm: a page that pays loads one module', async () => {
  const validation = await import('bdpay');
  const clients = await import('bdpay/clients');
  const billers = await import('bdpay/billers');
  for (const name of Object.keys(billers)) assert.ok(name in clients, `bdpay/clients exports ${name}`);
  assert.equal(clients.normalizePhone('+880 1712-345678'), validation.normalizePhone('+880 1712-345678'));
  assert.deepEqual(clients.validateRequest({ type: 'recharge' }), validation.validateRequest({ type: 'recharge' }));
  await clients.ready;
  await validation.ready;
});

test('bdpay/gateway is bdpay with GatewayClient: no wallet client, no biller schemas, less to download', async () => {
  const validation = await import('bdpay');
  const gateway = await import('bdpay/gateway');
  const clients = await import('bdpay/clients');
  for (const name of Object.keys(validation)) assert.ok(name in gateway, `bdpay/gateway exports ${name}`);
  for (const name of ['GatewayClient', 'readIntent']) assert.equal(gateway[name] === undefined, false, name);
  for (const name of ['BillPayClient', 'parseBillers', 'validateBillerForm']) assert.ok(!(name in gateway), `no ${name}`);
  const wasm = (name) => readFileSync(path.join(pkgDir, name));
  assert.ok(!wasm('bdpay_gateway_bg.wasm').includes('wasmbillpayclient_new'), 'no wallet client in its wasm');
  assert.ok(wasm('bdpay_clients_bg.wasm').includes('wasmbillpayclient_new'));
  assert.ok(!wasm('bdpay_gateway_bg.wasm').includes('parseBillers'), 'no biller schemas in its wasm');
  assert.ok(wasm('bdpay_gateway_bg.wasm').length < wasm('bdpay_clients_bg.wasm').length * 0.85, 'the split saves something');
  await gateway.ready;
  assert.equal(gateway.normalizePhone('+880 1712-345678'), validation.normalizePhone('+880 1712-345678'));
  // The same refusal, before anything is sent, as bdpay/clients gives.
  const refusal = async (entry) => {
    try {
      await new entry.GatewayClient({ baseUrl: 'http://127.0.0.1:9' }).recharge({ operator_code: 'GP', phone: '01112345678', amount: 100 });
      return 'sent';
    } catch (e) {
      return [e instanceof entry.BdpayError, e.kind, e.fieldErrors.map((f) => [f.field, f.code])];
    }
  };
  await clients.ready;
  assert.deepEqual(await refusal(gateway), await refusal(clients));
  assert.deepEqual((await refusal(gateway)).slice(0, 2), [true, 'validation']);
});

test('bdpay/bulk has everything bdpay/clients has; bdpay/clients carries no bulk code', async () => {
  const clients = await import('bdpay/clients');
  const bulk = await import('bdpay/bulk');
  for (const name of Object.keys(clients)) assert.ok(name in bulk, `bdpay/bulk exports ${name}`);
  assert.ok(!('BulkJob' in clients));
  assert.equal(typeof bulk.fileStore, 'function', 'Node gets the file store');
  const clientsWasm = readFileSync(path.join(pkgDir, 'bdpay_clients_bg.wasm'));
  assert.ok(!clientsWasm.includes('WasmBulkJob') && !clientsWasm.includes('duplicate_number'), 'no bulk code in bdpay/clients');
  // A job in memory: checked at once, nothing sent before start().
  const client = new bulk.GatewayClient({ baseUrl: 'http://127.0.0.1:9' });
  const store = bulk.memoryStore();
  const job = await bulk.BulkJob.open({ client, csv: 'phone,amount\n01712345678,10\n0171,5\n', store });
  assert.deepEqual(job.rows().map((r) => r.state), ['queued', 'invalid']);
  assert.equal(job.rows()[1].issues[0].code, 'invalid_phone');
  assert.match(job.rows()[1].issues[0].message_bn, /মোবাইল নম্বর/);
  assert.equal(JSON.parse(store.load().split('\n')[0]).id, job.id, 'its plan stored as soon as it is opened');
  // Skipping: one line or a list, all or none.
  await job.skip([3]);
  assert.deepEqual(job.rows().map((r) => r.state), ['queued', 'skipped']);
  await assert.rejects(job.skip([3, 1], false), (e) => e instanceof bulk.BdpayError && e.code === 'no_such_line');
  assert.deepEqual(job.rows().map((r) => r.state), ['queued', 'skipped'], 'a refused list changes nothing');
  await job.skip(3, false);
  assert.deepEqual(job.rows().map((r) => r.state), ['queued', 'invalid']);
  const again = await bulk.BulkJob.open({ client, csv: 'phone\n01812345678\n', store });
  assert.equal(again.id, job.id, 'the store holds a job: it is resumed, the new file ignored');
  await assert.rejects(bulk.BulkJob.open({ client, csv: 'number\n1\n', store: bulk.memoryStore() }), (e) => e instanceof bulk.BdpayError && e.code === 'missing_column');
});

test('a bulk job in a file: its plan written once, a record appended per change, an older whole state resumed, no temporary file left', async () => {
  const bulk = await import('bdpay/bulk');
  const { mkdtempSync, readdirSync } = await import('node:fs');
  const dir = mkdtempSync(path.join((await import('node:os')).tmpdir(), 'bdpay-store-'));
  const file = path.join(dir, 'staff.csv.bdpay-job.jsonl');
  const formerly = path.join(dir, 'staff.csv.bdpay-job.json');
  writeFileSync(`${formerly}.4242.tmp`, '{');
  writeFileSync(`${file}.tmp`, 'cut short');
  const client = new bulk.GatewayClient({ baseUrl: 'http://127.0.0.1:9' });
  const csv = new TextEncoder().encode('\ufeffphone;amount\n01712345678;10\n01812345678;20\n');
  const job = await bulk.BulkJob.open({ client, csv, store: bulk.fileStore(file, { formerly }) });
  assert.deepEqual([job.encoding, job.delimiter, job.resumed], ['utf-8 (bom)', ';', false]);
  assert.deepEqual(readdirSync(dir), ['staff.csv.bdpay-job.jsonl'], 'the temporary files of earlier kills are gone');
  const plan = readFileSync(file, 'utf8');
  assert.equal(plan.split('\n').length, 4, 'a header, a line per row, the end');
  await job.skip(3);
  assert.equal(readFileSync(file, 'utf8'), `${plan}{"line":3,"state":"skipped"}\n`, 'one record appended');
  assert.ok(job.matches(csv) && !job.matches('phone,amount\n01712345678,10\n'));
  // The results file a part at a time (each part a view of one buffer): the same bytes as the whole.
  const parts = [...job.resultsCsvParts(1)].length;
  const joined = Buffer.concat(Array.from(job.resultsCsvParts(1), (p) => Buffer.from(p))).toString('utf8');
  assert.equal(joined, job.resultsCsv());
  assert.equal(parts, 2, 'the header with the first row, then the second');
  const again = await bulk.BulkJob.open({ client, csv, store: bulk.fileStore(file, { formerly }) });
  assert.ok(again.resumed);
  assert.deepEqual(again.rows().map((r) => r.state), ['queued', 'skipped']);

  // The previous version's whole state: resumed, and written again as plan and records.
  const old = path.join(dir, 'old.csv.bdpay-job.json');
  const rows = [
    { line: 2, cells: ['01712345678', '10'], state: 'success', ref_id: 'bk-old-2', trx_id: 'TRX1' },
    { line: 3, cells: ['01812345678', '20'], state: 'queued', ref_id: 'bk-old-3' },
  ];
  writeFileSync(old, JSON.stringify({ version: 1, id: 'bk-old', columns: ['phone', 'amount'], rows }));
  const store = bulk.fileStore(path.join(dir, 'old.csv.bdpay-job.jsonl'), { formerly: old });
  const resumed = await bulk.BulkJob.open({ client, csv, store });
  assert.deepEqual([resumed.id, resumed.resumed], ['bk-old', true]);
  assert.deepEqual(resumed.rows().map((r) => [r.state, r.trx_id]), [['success', 'TRX1'], ['queued', null]]);
  assert.ok(!existsSync(old), 'the old whole state replaced');
  assert.match(store.load(), /^\{"bdpay_bulk_job":2,"id":"bk-old"/);

  // A store of one's own with no append: given the whole text after a change.
  let text = null;
  const saving = { load: () => text, save: (t) => (text = t) };
  const mine = await bulk.BulkJob.open({ client, csv: 'phone,amount\n01712345678,10\n', store: saving });
  await mine.skip(2);
  assert.deepEqual((await bulk.BulkJob.open({ client, store: saving })).rows().map((r) => r.state), ['skipped']);
});

test('the ErrorCode type lists exactly the codes of crates/core/src/messages.rs', () => {
  const rust = readFileSync(path.join(root, 'crates/core/src/messages.rs'), 'utf8');
  const table = rust.slice(rust.indexOf('const MESSAGES'), rust.indexOf('const LABELS'));
  const rustCodes = [...table.matchAll(/Code::\w+,\s*"([a-z_]+)"/g)].map((m) => m[1]).sort();
  const dts = readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8');
  const union = /export type ErrorCode =([^;]+);/.exec(dts)[1];
  const tsCodes = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
  assert.ok(rustCodes.length >= 20, `found ${rustCodes.length} codes in messages.rs`);
  assert.deepEqual(tsCodes, rustCodes);
});

test("util.js's own sentences are the Rust tables' rows, word for word", async () => {
  const rust = ['crates/api/src/error/wording.rs', 'crates/proxy/src/refusal.rs'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const { SAID } = await import(pathToFileURL(path.join(pkgDir, 'util.js')).href);
  assert.ok(Object.keys(SAID).length >= 4);
  for (const [code, [en, bn]] of Object.entries(SAID)) {
    const row = new RegExp(`"${code}",\\s*"((?:[^"\\\\]|\\\\.)*)",\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(rust);
    assert.ok(row, `no row ${code} in the Rust tables`);
    assert.deepEqual([en, bn], [row[1], row[2]], code);
  }
});

test('every error the package makes in JS says itself in Bangla too', async () => {
  const { BdpayError, saying, errorFrom } = await import(pathToFileURL(path.join(pkgDir, 'util.js')).href);
  const e = saying('not_signed', { kind: 'validation' });
  assert.ok(e instanceof BdpayError);
  assert.deepEqual([e.code, e.message, e.messageBn], ['not_signed', 'The payment could not be signed.', 'পেমেন্টটি সই করা যায়নি।']);
  const decoded = errorFrom({
    kind: 'forbidden',
    code: 'intent_expired',
    status: 403,
    message: 'The payment intent has expired. Ask the shop for a new one.',
    messageBn: 'পেমেন্ট ইনটেন্টের মেয়াদ শেষ হয়ে গেছে। দোকান থেকে নতুন একটি নিন।',
    serverMessage: 'The payment intent has expired. Ask the shop for a new one.',
    messages: [],
    fieldErrors: [],
    retryAfterMs: null,
    title: null,
    notCommitted: false,
  });
  assert.deepEqual(
    [decoded.kind, decoded.code, decoded.status, decoded.messageBn, decoded.retryAfterMs, decoded.title],
    ['forbidden', 'intent_expired', 403, 'পেমেন্ট ইনটেন্টের মেয়াদ শেষ হয়ে গেছে। দোকান থেকে নতুন একটি নিন।', undefined, undefined],
  );
});

test('the BdpayErrorKind type lists exactly the kinds of crates/api/src/error.rs, not_ready and unknown', () => {
  const rust = readFileSync(path.join(root, 'crates/api/src/error.rs'), 'utf8');
  const body = rust.slice(rust.indexOf('pub fn as_str(self)'), rust.indexOf('pub struct ApiError'));
  const rustKinds = [...body.matchAll(/ErrorKind::\w+ => "([a-z_]+)"/g)].map((m) => m[1]);
  const dts = readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8');
  const union = /export type BdpayErrorKind =([^;]+);/.exec(dts)[1].replace(/\/\*\*[\s\S]*?\*\//g, '');
  const tsKinds = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
  assert.ok(rustKinds.length >= 12, `found ${rustKinds.length} kinds in error.rs`);
  // `not_ready` is the package's own: a call in a browser before `ready`.
  assert.deepEqual(tsKinds, [...rustKinds, 'not_ready', 'unknown'].sort());
});

test("the npm README's first snippet runs as written", () => {
  const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
  const snippet = /```js\n([\s\S]*?)```/.exec(readme)[1];
  assert.match(snippet, /from 'bdpay'/);
  // A file under the repository, so `bdpay` resolves from its node_modules as an installed package.
  const dir = path.join(root, 'target', 'readme-snippet');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'first-snippet.mjs');
  writeFileSync(file, snippet);
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
  assert.match(out, /01712345678/);
});

test('every name an entry exports in Node is declared, as a value, by its types', () => {
  const subpaths = Object.keys(pkg.exports).filter((k) => pkg.exports[k].node);
  assert.ok(subpaths.length >= 5, `entries with a node condition: ${subpaths}`);
  const source = subpaths.flatMap((subpath, i) => {
    const specifier = subpath === '.' ? 'bdpay' : `bdpay/${subpath.slice(2)}`;
    const names = runModule(`console.log(Object.keys(await import(${JSON.stringify(specifier)})).join(' '))`).split(' ');
    return [
      `import { ${names.map((n) => `${n} as e${i}_${n}`).join(', ')} } from '${specifier}';`,
      `export const values${i} = [${names.map((n) => `e${i}_${n}`).join(', ')}];`,
    ];
  });
  // Under the repository, so `bdpay` resolves from its node_modules as an installed package.
  const dir = path.join(root, 'target', 'types-of-exports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'exports.ts'), `${source.join('\n')}\n`);
  const options = { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [] };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['exports.ts'] }));
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', dir], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});
