// One cold-start sample in Node: run in a fresh `node` process, it imports one
// library and validates one number, then prints one line of JSON:
//   importToResultMs    from just before the dynamic import to the first result
//   processToResultMs   from the process's time origin (its start) to the first result
//
//   node bench/cold-node.mjs <bdpay|libphonenumber-js/min|libphonenumber-js/max|google-libphonenumber|nothing>

const LOADERS = {
  async bdpay() {
    const { normalizePhone } = await import('bdpay');
    return normalizePhone('01712345678');
  },
  async 'libphonenumber-js/min'() {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/min');
    return parsePhoneNumberFromString('01712345678', 'BD')?.isValid();
  },
  async 'libphonenumber-js/max'() {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/max');
    return parsePhoneNumberFromString('01712345678', 'BD')?.isValid();
  },
  async 'google-libphonenumber'() {
    const { default: glp } = await import('google-libphonenumber');
    const util = glp.PhoneNumberUtil.getInstance();
    return util.isValidNumber(util.parse('01712345678', 'BD'));
  },
  // A process that loads nothing: the floor of the process wall time.
  async nothing() {
    return null;
  },
};

const name = process.argv[2];
const load = LOADERS[name];
if (!load) {
  console.error(`unknown target '${name}' (have: ${Object.keys(LOADERS).join(', ')})`);
  process.exit(2);
}
const t0 = performance.now();
const result = await load();
const t1 = performance.now();
console.log(JSON.stringify({ name, result, importToResultMs: t1 - t0, processToResultMs: t1 }));
