// Writes the npm package's generated part from build/entries.mjs; ./build.sh
// runs it. Nothing here is hand-kept per entry: a loader or binding module
// that differs from its siblings differs because its row does.
//
//   node build/package.mjs wasm               one line per entry: wasm-bindgen's name, Cargo features
//   node build/package.mjs write PKG VERSION  the loaders and binding modules into PKG (which holds
//                                             pkg-template/ and the glue), the browser loaders
//                                             bundled, and PKG/package.json completed

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BINDERS, ENTRIES, filesOf } from './entries.mjs';
import { saidModule } from './said.mjs';

const TEMPLATE = fileURLToPath(new URL('../pkg-template/', import.meta.url));
/** Modules written here beside pkg-template/'s, for every entry. */
const WRITTEN = ['said.js'];
const GENERATOR = 'build/package.mjs';

const lines = (...parts) => `${parts.flat(Infinity).filter((p) => p !== undefined).join('\n')}\n`;
const list = (names) => `{ ${names.join(', ')} }`;
const reexport = (from) => Object.entries(from ?? {}).map(([module, names]) => `export ${list(names)} from '${module}';`);
const wasmUrl = (f) => `new URL('./${f.wasm}', import.meta.url)`;

/** `text` as `//` lines of at most 100 characters. */
function comment(text) {
  const out = [];
  let line = '//';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > 100) {
      out.push(line);
      line = '//';
    }
    line += ` ${word}`;
  }
  return [...out, line];
}

/** `export const { a, b } = value;`, one name a line when that is long. */
function destructure(names, value) {
  const one = `export const ${list(names)} = ${value};`;
  return one.length <= 100 ? one : [`export const {`, ...names.map((n) => `  ${n},`), `} = ${value};`];
}

/**
 * The glue as the loaders and binding module see it: imported by name when
 * the gate is keyed by one of its exports (so a bundle can leave out what is
 * not named), else as a namespace, which is also the gate's key.
 */
function glueOf(row, f) {
  if (row.gateKey) {
    return {
      import: (...names) => `import ${list([...names, row.gateKey])} from './${f.glue}';`,
      ref: (name) => name,
      key: row.gateKey,
      value: list([row.gateKey]),
    };
  }
  return { import: () => `import * as glue from './${f.glue}';`, ref: (name) => `glue.${name}`, key: 'glue', value: 'glue' };
}

/** The name a binder's result is kept under when a later binder reads it. */
const keptAs = (key) => BINDERS[key].as ?? key;

/** `<stem>-entry.js`: the entry's API over its glue; the runtime's loader loads the wasm. */
function binding(row, f) {
  const glue = glueOf(row, f);
  const imports = new Map();
  for (const key of Object.keys(row.binds)) {
    for (const [module, names] of Object.entries(BINDERS[key].imports)) {
      imports.set(module, [...new Set([...(imports.get(module) ?? []), ...names])]);
    }
  }
  const binds = Object.entries(row.binds);
  // The gate is named when more than one binder is given it.
  const gated = binds.filter(([key]) => !BINDERS[key].functions).length;
  const gate = gated > 1 ? 'gate' : `gateOf(${glue.key})`;
  const body = binds.map(([key, names], i) => {
    const functions = BINDERS[key].functions;
    if (functions) return functions(keptAs(BINDERS[key].reads.find((k) => k in row.binds)));
    const call = BINDERS[key].call(glue.value, gate);
    // Kept under its key when a later binder reads it.
    const kept = binds.slice(i + 1).some(([later]) => BINDERS[later].reads?.includes(key));
    return kept ? [`const ${keptAs(key)} = ${call};`, destructure(names, keptAs(key))] : destructure(names, call);
  });
  return lines(
    comment(
      `\`${row.entry}\`'s API over its glue, from ${GENERATOR}: each function checks that the wasm ` +
        `is loaded, which the runtime's loader (${Object.values(f.loaders).join(', ')}) does.`,
    ),
    glue.import(),
    [...imports].map(([module, names]) => `import ${list(names)} from '${module}';`),
    "import { BdpayError, gateOf } from './util.js';",
    '',
    'export { BdpayError };',
    reexport(row.reexports),
    '',
    gated > 1 ? `const gate = gateOf(${glue.key});` : [],
    body,
  );
}

/**
 * The browser's wasm loader for a glue imported by name: compiled while it
 * streams in (or from the whole body, when the server does not label it
 * `application/wasm`), then instantiated by the glue's `initSync`, which
 * answers the wasm's exports. The glue's own async loader does the same with
 * more code (deprecated call forms, console warnings): about 270 bytes gzip of
 * `bdpay`'s 3.9 KB of JS. A glue imported as a namespace keeps that loader
 * anyway, so its entry uses it.
 */
const LOAD_WASM = `async function loadWasm(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(\`\${url}: HTTP \${response.status}\`);
  const type = response.headers.get('Content-Type') ?? '';
  const module =
    type.split(';')[0].trim() === 'application/wasm'
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  return initSync({ module });
}`;

/** How each runtime's loader gets the wasm. */
const RUNTIMES = {
  // Starts fetching and compiling the wasm beside the loader when it is
  // evaluated (bundlers see `new URL(..., import.meta.url)` and ship the file)
  // and exports `ready`. No top-level await, which some bundlers' default
  // targets refuse (Vite 6).
  browser: {
    where: 'in a browser or a bundler',
    imports: () => [],
    ready: '/** Settles once the wasm module can be used; rejects with the error that stopped it loading. */',
  },
  // The wasm beside the loader, read synchronously: usable at once, and
  // `ready` already settled for code that also runs in browsers.
  node: {
    where: 'in Node.js (>= 20)',
    imports: () => ["import { readFileSync } from 'node:fs';"],
    module: (f) => `readFileSync(${wasmUrl(f)})`,
  },
  // Workers only run wasm imported statically as a `WebAssembly.Module`,
  // never fetched or read at run time.
  workerd: {
    where: 'in a Worker',
    imports: (f) => [`import wasmModule from './${f.wasm}';`],
    module: () => 'wasmModule',
  },
};

const SETTLED = [
  '/** Already settled: the wasm module was initialised when this module was evaluated. */',
  'export const ready = Promise.resolve();',
];

/** `<stem>-<runtime>.js`: loads the entry's wasm and re-exports its API. */
function loader(row, f, runtime) {
  const rt = RUNTIMES[runtime];
  const head = [comment(`\`${row.entry}\` ${rt.where}; written by ${GENERATOR}.`), rt.imports(f)];
  const api = [`export * from '${row.module ?? `./${f.binding}`}';`, runtime === 'node' ? reexport(row.nodeReexports) : []];
  if (!row.binds) {
    return lines(head, `import { initSync } from './${f.glue}';`, '', `initSync({ module: ${rt.module(f)} });`, '', api);
  }
  const glue = glueOf(row, f);
  const imports = [glue.import(...(row.gateKey ? ['initSync'] : [])), "import { gateOf } from './util.js';"];
  const gate = `gateOf(${glue.key})`;
  if (runtime === 'browser') {
    const start = row.gateKey ? `loadWasm(${wasmUrl(f)})` : `glue.default({ module_or_path: ${wasmUrl(f)} })`;
    const ready = `export const ready = ${gate}.start(${start});`;
    return lines(head, imports, row.gateKey ? ['', LOAD_WASM] : [], '', rt.ready, ready, '', api);
  }
  const init = `${gate}.loaded(${glue.ref('initSync')}({ module: ${rt.module(f)} }));`;
  return lines(head, imports, '', init, '', SETTLED, '', api);
}

const CONDITIONS = { workerd: ['workerd', 'worker'], node: ['node'], browser: ['browser', 'default'] };

/** package.json's generated fields. */
function manifest() {
  const exports = {};
  const files = ['README.md', ...[...readdirSync(TEMPLATE).filter((n) => n !== 'package.json' && n !== 'README.md'), ...WRITTEN].sort()];
  const sideEffects = [];
  for (const row of ENTRIES) {
    const f = filesOf(row);
    const conditions = { types: `./${row.types}` };
    for (const runtime of ['workerd', 'node', 'browser']) {
      const file = f.loaders[runtime];
      if (!file) continue;
      for (const c of CONDITIONS[runtime]) conditions[c] = `./${file}`;
    }
    exports[f.subpath] = conditions;
    files.push(f.glue, f.wasm, ...(f.binding ? [f.binding] : []), ...Object.values(f.loaders));
    sideEffects.push(...Object.values(f.loaders).map((file) => `./${file}`));
  }
  exports['./package.json'] = './package.json';
  return { exports, files: [...new Set(files)], sideEffects };
}

async function write(pkg, version) {
  writeFileSync(join(pkg, 'said.js'), saidModule(new URL('../', import.meta.url)));
  const browser = [];
  for (const row of ENTRIES) {
    const f = filesOf(row);
    if (f.binding) writeFileSync(join(pkg, f.binding), binding(row, f));
    if (row.loadsItsWasm) continue;
    for (const runtime of row.runtimes) {
      writeFileSync(join(pkg, f.loaders[runtime]), loader(row, f, runtime));
      if (runtime === 'browser') browser.push(join(pkg, f.loaders[runtime]));
    }
  }
  // pkg-template/package.json names these fields; their values are made here,
  // before bundling, which reads `sideEffects`.
  const path = join(pkg, 'package.json');
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const made = manifest();
  for (const key of Object.keys(made)) {
    if (!(key in p)) throw new Error(`pkg-template/package.json has no "${key}" to fill in`);
    p[key] = made[key];
  }
  p.version = version;
  writeFileSync(path, `${JSON.stringify(p, null, 2)}\n`);
  // A browser fetches one module per entry, which starts the wasm's fetch at
  // once: the browser loaders are bundled (and minified) into themselves.
  const esbuild = await import('esbuild');
  for (const file of browser) {
    await esbuild.build({
      entryPoints: [file],
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      logLevel: 'warning',
      allowOverwrite: true,
      // The phone field stays a module of its own, imported by name, so a
      // bundler leaves it out of a page that never binds one.
      external: ['./phone-input.js'],
      outfile: file,
    });
  }
  await esbuild.build({
    entryPoints: [join(pkg, 'phone-input.js')],
    minify: true,
    format: 'esm',
    target: 'es2020',
    logLevel: 'warning',
    allowOverwrite: true,
    outfile: join(pkg, 'phone-input.js'),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'wasm') {
    for (const row of ENTRIES) console.log(`${filesOf(row).wasmBindgenName} ${row.features.join(',')}`);
  } else if (command === 'write' && args.length === 2) {
    await write(...args);
  } else {
    console.error('usage: node build/package.mjs wasm | write PKG VERSION');
    process.exit(2);
  }
}
