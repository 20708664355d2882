// Calls per second of one contender over the fixed mixed input set, in a
// process of its own so no contender warms up or pollutes the JIT for another.
//
//   node bench/throughput.mjs <contender> [roundMs] [rounds]
//
// Prints one line of JSON. One call = one input taken through the whole job
// (for phone contenders: normalise + validate + detect the operator);
// callsPerSec counts wall time, callsPerCpuSec this process's CPU time.
// Warm-up first, then `rounds` timed rounds of at least `roundMs` each; the
// clock is read once per pass over the inputs, so its cost stays out.

import { MIXED } from './inputs.mjs';

const RECHARGE = Object.freeze({ type: 'recharge', operator_code: 'GP', phone: '+880 1712-345678', amount: 100.5 });

// Each contender: `setup()` → `(input) => number`, the number folded into a
// sink so no engine can drop the work.
const CONTENDERS = {
  // What a checkout does with bdpay's API: one call normalises, validates and names the operator.
  async bdpay() {
    const { checkPhone } = await import('bdpay');
    return (s) => {
      const c = checkPhone(s);
      if (c === undefined) return 0;
      return c.operator === undefined ? 1 : c.operator.code.length;
    };
  },
  // A list (a pasted column, a bulk file) through checkPhones, BATCH numbers a call.
  async 'bdpay-checkPhones'() {
    const { checkPhones } = await import('bdpay');
    const batch = (list) => {
      let sink = 0;
      for (const c of checkPhones(list)) sink += c === undefined ? 0 : c.operator === undefined ? 1 : c.operator.code.length;
      return sink;
    };
    return Object.assign((s) => batch([s]), { batch });
  },
  // The same list through checkPhoneList: results packed, 4 bytes a number;
  // each number's validity and operator are read (as the others' sinks do),
  // its text is made only when asked for (not here).
  async 'bdpay-checkPhoneList'() {
    const { checkPhoneList } = await import('bdpay');
    const batch = (list) => {
      const checked = checkPhoneList(list);
      let sink = 0;
      for (let i = 0; i < checked.length; i += 1) {
        if (!checked.valid(i)) continue;
        const op = checked.operator(i);
        sink += op === undefined ? 1 : op.code.length;
      }
      return sink;
    };
    return Object.assign((s) => batch([s]), { batch });
  },
  // The two calls a checkout made before checkPhone: normalise, then detect.
  async 'bdpay-normalize-then-detect'() {
    const { normalizePhone, detectOperator } = await import('bdpay');
    return (s) => {
      const n = normalizePhone(s);
      if (n === undefined) return 0;
      const op = detectOperator(n);
      return op === undefined ? 1 : op.code.length;
    };
  },
  async 'bdpay-normalizePhone'() {
    const { normalizePhone } = await import('bdpay');
    return (s) => (normalizePhone(s) === undefined ? 0 : 1);
  },
  async 'bdpay-detectOperator'() {
    const { detectOperator } = await import('bdpay');
    return (s) => {
      const op = detectOperator(s);
      return op === undefined ? 0 : op.code.length;
    };
  },
  // Diagnostic: the wasm-bindgen class under api.js, to see where a call's
  // time goes. One wasm call given no input (zero code units), which
  // answers at once: the boundary's floor. (Until 2026-12-01 this was
  // `normalizePhone('')`, which also passed an empty string through
  // wasm-bindgen's string glue; the validation wasm no longer takes strings.)
  async 'bdpay-wasm-call'() {
    await import('bdpay'); // initialises the module that ../pkg/bdpay.js is
    const { Validator } = await import('../pkg/bdpay.js');
    const v = Validator.defaults();
    return () => (v.checkPhoneUnits(0) < 0 ? 0 : 1);
  },
  // Diagnostic: what checkPhone does besides reading the number in Rust,
  // with no reading: the input's code units written into the wasm's
  // buffer, one call with no input, and an answer made as checkPhone makes
  // it (an object with a fresh 11-digit text and a shared operator). The
  // floor of any checkPhone that answers with an object over this boundary.
  async 'bdpay-io-floor'() {
    await import('bdpay');
    const { Validator } = await import('../pkg/bdpay.js');
    const { gateOf } = await import('../pkg/util.js');
    const v = Validator.defaults();
    const units = new Uint16Array(gateOf(Validator).memory().buffer, v.unitsAt(40), 40);
    const operator = Object.freeze({ code: 'GP' });
    let k = 0;
    return (s) => {
      for (let i = 0; i < s.length && i < 40; i += 1) units[i] = s.charCodeAt(i);
      k = k === 999 ? 0 : k + 1;
      const nine = 712_345_001 + k + v.checkPhoneUnits(0);
      const c = { phone: `01${nine}`, operator };
      return c.operator.code.length + (c.phone.length & 1);
    };
  },
  // A whole recharge request, validated and normalised; the input set is not used.
  async 'bdpay-validateRequest'() {
    const { validateRequest } = await import('bdpay');
    return () => (validateRequest(RECHARGE).ok ? 1 : 0);
  },
  async 'libphonenumber-js/max'() {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/max');
    return (s) => {
      const p = parsePhoneNumberFromString(s, 'BD');
      if (!p || !p.isValid()) return 0;
      return (p.getType() ?? '').length;
    };
  },
  async 'libphonenumber-js/min'() {
    // min has no type metadata: parse + isValid only.
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/min');
    return (s) => {
      const p = parsePhoneNumberFromString(s, 'BD');
      return p && p.isValid() ? 1 : 0;
    };
  },
  async 'google-libphonenumber'() {
    const { default: glp } = await import('google-libphonenumber');
    const util = glp.PhoneNumberUtil.getInstance();
    return (s) => {
      try {
        const p = util.parse(s, 'BD');
        return util.isValidNumber(p) ? util.getNumberType(p) + 2 : 0;
      } catch {
        return 0;
      }
    };
  },
  // The floor: one regex over ASCII text, no Bengali digits, no operator.
  async 'regex'() {
    const re = /^(?:\+?88)?01[3-9]\d{8}$/;
    return (s) => (re.test(s) ? 1 : 0);
  },
};

// Wall time is what a user waits; CPU time (this process, all its threads)
// leaves out the time the process sat descheduled on a busy machine.
// A batch contender takes BATCH numbers a call (the mixed set, repeated).
const BATCH = 100_000;
const LIST = Object.freeze(Array.from({ length: BATCH }, (_, i) => MIXED[i % MIXED.length]));

function timeFor(fn, inputs, minMs) {
  let calls = 0;
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  do {
    if (fn.batch) {
      sink += fn.batch(LIST);
      calls += LIST.length;
    } else {
      for (let i = 0; i < inputs.length; i += 1) sink += fn(inputs[i]);
      calls += inputs.length;
    }
    t = performance.now();
  } while (t - t0 < minMs);
  const cpu = process.cpuUsage(cpu0);
  return { calls, ms: t - t0, cpuMs: (cpu.user + cpu.system) / 1000, sink };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const [name, roundMs = '300', rounds = '7'] = process.argv.slice(2);
  const make = CONTENDERS[name];
  if (!make) {
    console.error(`unknown contender '${name}' (have: ${Object.keys(CONTENDERS).join(', ')})`);
    process.exit(2);
  }
  const fn = await make();
  let valid = 0;
  for (const s of MIXED) valid += fn(s) > 0 ? 1 : 0;
  timeFor(fn, MIXED, 2 * Number(roundMs)); // warm-up
  const perRound = [];
  const perCpuRound = [];
  let sink = 0;
  for (let r = 0; r < Number(rounds); r += 1) {
    const { calls, ms, cpuMs, sink: s } = timeFor(fn, MIXED, Number(roundMs));
    perRound.push((calls / ms) * 1000);
    perCpuRound.push((calls / cpuMs) * 1000);
    sink += s;
  }
  console.log(
    JSON.stringify({
      name,
      callsPerSec: median(perRound),
      rounds: perRound.map(Math.round),
      callsPerCpuSec: median(perCpuRound),
      inputs: MIXED.length,
      validInputs: valid,
      sink,
    }),
  );
}

await main();
