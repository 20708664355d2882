// The npm package's entries, one row each: which Cargo features build its
// wasm, the runtimes it loads in, its types, what it exports and the files a
// user downloads for it. ./build.sh builds one wasm per row, and
// build/package.mjs writes from this table each entry's loaders and binding
// module into pkg/, and package.json's `exports`, `files` and `sideEffects`.
//
// An entry's files are named by its stem (`clients` for `bdpay/clients`, none
// for `bdpay`): `bdpay_clients.js` and `bdpay_clients_bg.wasm` (wasm-bindgen's
// glue and the wasm), `clients-entry.js` (the binding module) and one loader
// per runtime, `clients-browser.js`, `clients-node.js`, `clients-workerd.js`
// (for `bdpay`: `entry.js`, `browser.js`, `node.js`, `workerd.js`).
//
// To add an entry, add a row, beside the Cargo feature it names; give it a
// budget in bench/budget.json and its `.d.ts` in pkg-template/ (the size and
// pkg_node suites fail without them).

/** The validation API of every entry with a `Validator` (pkg-template/api.js). */
const VALIDATION = [
  'createValidator',
  'normalizePhone',
  'normalizeWallet',
  'detectOperator',
  'checkPhone',
  'checkPhones',
  'checkPhoneList',
  'operators',
  'limits',
  'validateRequest',
];
/** The same, over a wasm with the wallet's biller schemas. */
const WITH_BILLERS = [...VALIDATION, 'validateBillerForm', 'parseBillers'];
const GATEWAY = ['GatewayClient', 'readIntent'];
/** The phone field over an entry's validation API (pkg-template/phone-input.js). */
const PHONE = ['bindPhoneInput', 'definePhoneElement'];

/**
 * The functions of pkg-template/ that bind a glue module: what to import,
 * and the call, given the glue and its gate as source text. A call may read
 * the results of the binders it `reads`, by their keys (`clients.wasmOf`) or
 * the name given as `as`; `functions` instead of a call writes functions over
 * such a result.
 */
export const BINDERS = {
  validation: {
    as: 'api',
    imports: { './api.js': ['bindValidation'] },
    call: (glue, gate) => `bindValidation(${glue}, ${gate})`,
  },
  billers: {
    // Not kept as `billers`: that is the name of what api.js gives it.
    as: 'api',
    imports: { './api.js': ['billers', 'bindValidation'] },
    call: (glue, gate) => `bindValidation(${glue}, ${gate}, billers)`,
  },
  clients: {
    imports: { './clients.js': ['bindClients'] },
    call: (glue, gate) => `bindClients(${glue}, ${gate})`,
  },
  billpay: {
    imports: { './clients.js': ['bindBillPay'] },
    call: (glue, gate) => `bindBillPay(${glue}, ${gate})`,
  },
  bulk: {
    imports: { './bulk.js': ['bindBulk'] },
    reads: ['clients'],
    call: (glue, gate) => `bindBulk(${glue}, ${gate}, clients.wasmOf, clients.apiError)`,
  },
  // Plain functions over the validation API the row binds (whichever of
  // `reads` it has), not a call: a bundle that never calls them leaves
  // phone-input.js out.
  phone: {
    imports: { './phone-input.js': ['bindPhone', 'definePhone'] },
    reads: ['validation', 'billers'],
    functions: (api) => [
      '/** A controller for a phone number\'s <input>: formats as the customer types, names the operator, says errors when fair. */',
      'export function bindPhoneInput(input, options) {',
      `  return bindPhone(${api}, input, options);`,
      '}',
      '/** Defines the `<bdpay-phone>` element (or `name`); undefined where custom elements do not exist. */',
      'export function definePhoneElement(name) {',
      `  return definePhone(${api}, name);`,
      '}',
    ],
  },
};

/**
 * Every entry, in the order of package.json's `exports`.
 *
 * - `features`: the Cargo features of its wasm (none: the validation alone).
 * - `runtimes`: its loaders, of `workerd` (also the `worker` condition),
 *   `node` and `browser` (also `default`).
 * - `binds`: the names it takes from each of `BINDERS`, beside `BdpayError`
 *   and its loader's `ready`; `reexports` and `nodeReexports` (the Node
 *   loader only): more names, from modules of pkg-template/.
 * - `gateKey`: the glue export its readiness is keyed by, imported by name
 *   (so a bundle leaves out the glue's own loader); the glue module itself
 *   when not given (pkg-template/util.js, `gateOf`).
 * - `module`, instead of `binds`: a module of pkg-template/ that is the
 *   entry's API; its loaders initialise the wasm and re-export it, with no
 *   `ready`. With `loadsItsWasm`, the module imports its wasm itself and is
 *   the entry's only file.
 * - `size`: what a user downloads, which bench/budget.mjs measures; by
 *   default the browser loader (bundled) and the wasm.
 */
export const ENTRIES = [
  {
    entry: 'bdpay',
    features: [],
    runtimes: ['workerd', 'node', 'browser'],
    types: 'index.d.ts',
    gateKey: 'Validator',
    binds: { validation: VALIDATION, phone: PHONE },
  },
  {
    entry: 'bdpay/clients',
    features: ['clients'],
    runtimes: ['workerd', 'node', 'browser'],
    types: 'clients.d.ts',
    binds: { billers: WITH_BILLERS, phone: PHONE, clients: GATEWAY, billpay: ['BillPayClient'] },
  },
  {
    // A recharge checkout's: the wallet's client and biller schemas left out.
    entry: 'bdpay/gateway',
    features: ['gateway'],
    runtimes: ['workerd', 'node', 'browser'],
    types: 'gateway.d.ts',
    binds: { validation: VALIDATION, phone: PHONE, clients: GATEWAY },
  },
  {
    entry: 'bdpay/billers',
    features: ['billers'],
    runtimes: ['workerd', 'node', 'browser'],
    types: 'billers.d.ts',
    binds: { billers: WITH_BILLERS, phone: PHONE },
  },
  {
    entry: 'bdpay/bulk',
    features: ['bulk'],
    runtimes: ['node', 'browser'],
    types: 'bulk.d.ts',
    binds: { billers: WITH_BILLERS, phone: PHONE, clients: GATEWAY, billpay: ['BillPayClient'], bulk: ['BulkJob'] },
    reexports: { './bulk.js': ['memoryStore', 'indexedDbStore'] },
    nodeReexports: { './file-store.js': ['fileStore'] },
  },
  {
    entry: 'bdpay/worker',
    features: ['worker'],
    runtimes: ['workerd'],
    types: 'worker.d.ts',
    module: './worker.js',
    loadsItsWasm: true,
    size: ['worker.js', 'send.js', 'ledger.js', 'plain.js', 'util.js', 'said.js', 'bdpay_worker.js', 'bdpay_worker_bg.wasm'],
  },
  {
    // Never for browsers: it holds the merchant's key.
    entry: 'bdpay/server',
    features: ['server'],
    runtimes: ['workerd', 'node'],
    types: 'server.d.ts',
    module: './server.js',
    size: ['server-workerd.js', 'server.js', 'util.js', 'said.js', 'bdpay_server.js', 'bdpay_server_bg.wasm'],
  },
];

/** An entry's file names, from its stem. */
export function filesOf(row) {
  const stem = row.entry.split('/')[1];
  const name = (file) => (stem ? `${stem}-${file}` : file);
  const glue = stem ? `bdpay_${stem}` : 'bdpay';
  const loaders = Object.fromEntries(row.runtimes.map((r) => [r, row.loadsItsWasm ? row.module.slice(2) : name(`${r}.js`)]));
  return {
    subpath: stem ? `./${stem}` : '.',
    glue: `${glue}.js`,
    wasm: `${glue}_bg.wasm`,
    wasmBindgenName: glue,
    binding: row.binds ? name('entry.js') : undefined,
    loaders,
    size: row.size ?? [loaders.browser, `${glue}_bg.wasm`],
  };
}
