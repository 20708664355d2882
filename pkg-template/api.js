// The validation API, bound to one wasm-bindgen glue module: `bdpay` binds it
// to its own small wasm (validation.js), `bdpay/clients` to the clients' wasm
// (clients-entry.js), so a page that pays downloads one module, not two.
//
// A request or a config crosses into wasm as plain data written into the
// wasm's memory (`encode` below, crates/core/src/json/units.rs), after a
// round of `JSON.stringify` and `JSON.parse`: what Rust reads is what JSON
// would carry (a `toJSON`, a dropped function or `undefined`, a number as
// the decimal text JavaScript prints, so amounts stay exact), and the
// validation wasm needs no JSON reader. Answers come back as JSON text for
// `JSON.parse`. Nothing here calls the wasm while it is evaluated; every function
// checks the glue's gate first (a `'not_ready'` BdpayError before the entry's
// `ready`).

import { errorFrom, NOT_JSON, thrownError, toJson } from './util.js';

/** The module's `invalid_validator_config` error, both languages and every field kept. */
function configError(thrown) {
  const e = thrownError(thrown);
  return e ? errorFrom(e) : thrown;
}

// How many numbers one wasm call of `checkPhones` takes: the list is cut into
// chunks, so the wasm's memory stays the same whatever the list's length.
const CHUNK = 4096;

/** Deeply frozen: the hints are shared by every number on their prefix. */
function frozen(value) {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

// The longest input that can be a number (MAX_INPUT_CHARS in
// crates/numbering): a longer string is refused without a wasm call.
const MAX_UNITS = 40;

// Nesting deeper than this is refused (`too_deep`, MAX_DEPTH in
// crates/core/src/json.rs): the writer stops there, so a deep value cannot
// overflow the stack.
const MAX_DEPTH = 64;

/**
 * `value` as the tagged UTF-16 units crates/core/src/json/units.rs reads:
 * null 0, false 1, true 2, a number 3 and its text, a string 4 and its
 * units, an array 5 and its items, an object 6 and its keys and values;
 * lengths and counts are two units, low half first. What JSON cannot carry
 * (a cycle, a BigInt, a throwing getter) is one unit Rust refuses.
 */
function encode(value) {
  const json = toJson(value);
  if (json === NOT_JSON) return [0xffff];
  const out = [];
  const count = (n) => out.push(n & 0xffff, n >>> 16);
  const text = (s) => {
    count(s.length);
    for (let i = 0; i < s.length; i += 1) out.push(s.charCodeAt(i));
  };
  const put = (v, depth) => {
    if (v === null || typeof v === 'boolean') out.push(v === null ? 0 : v ? 2 : 1);
    else if (typeof v === 'number') {
      out.push(3);
      text(String(v));
    } else if (typeof v === 'string') {
      out.push(4);
      text(v);
    } else if (depth >= MAX_DEPTH) out.push(5, 0, 0);
    else if (Array.isArray(v)) {
      out.push(5);
      count(v.length);
      for (const item of v) put(item, depth + 1);
    } else {
      const keys = Object.keys(v);
      out.push(6);
      count(keys.length);
      for (const k of keys) {
        text(k);
        put(v[k], depth + 1);
      }
    }
  };
  put(JSON.parse(json), 0);
  return out;
}

/**
 * The API over one set of rules; `memory` is the wasm module's. With
 * `config`, the rules are first set from it: a bad one frees them and throws.
 */
function bind(rules, memory, withBillers, config) {
  const text = (input) => typeof input === 'string';
  // A number's UTF-16 code units are written straight into the wasm's
  // buffer (numbers.rs): no allocation and no UTF-8 encoding per call. The
  // view is made again when it is too short: when the memory grows, the old
  // buffer is detached and every view over it has length 0.
  let units = new Uint16Array(0);
  const view = (length) => {
    if (units.length < length || units.length === 0) {
      const at = rules.unitsAt(Math.max(length, MAX_UNITS));
      // 0: longer than the buffer may be (a value), so nothing is written.
      units = at === 0 ? new Uint16Array(0) : new Uint16Array(memory.buffer, at, Math.max(length, MAX_UNITS));
    }
    return units;
  };
  // A value in the buffer, for a call given its length: one too long for
  // the buffer is not written, and Rust answers `too_large`. Rust lets go of
  // a buffer grown past a chunk, so the view is made again after.
  const valueCall = (value, call) => {
    const out = encode(value);
    const u = view(out.length);
    if (u.length >= out.length) u.set(out);
    const answer = call(out.length);
    units = new Uint16Array(0);
    return answer;
  };
  if (config) {
    const error = valueCall(config.value, (n) => rules.configure(n));
    if (error !== undefined) {
      rules.free();
      throw configError(error);
    }
  }
  // A text's code units, and a second's after them, into the buffer;
  // false if they do not fit (never for a number, at most MAX_UNITS).
  const write = (first, second = '') => {
    const n = first.length + second.length;
    const u = view(n);
    if (u.length < n) return false;
    for (let i = 0; i < first.length; i += 1) u[i] = first.charCodeAt(i);
    for (let i = 0; i < second.length; i += 1) u[first.length + i] = second.charCodeAt(i);
    return true;
  };
  // A number (and a second text after it) into the buffer, unless the
  // number is longer than any the wasm reads (then no call is made).
  const writeNumber = (input, second) => input.length <= MAX_UNITS && write(input, second);
  const packedOf = (input) => (writeNumber(input) ? rules.checkPhoneUnits(input.length) : -1);
  // What each mobile prefix (010 to 019) suggests, built once, by its third
  // digit. A checked number is its last nine digits, an integer (numbers.rs):
  // their first digit is that third digit.
  let hints;
  const hint = (third) => (hints ??= frozen(JSON.parse(rules.prefixHints())))[third] ?? undefined;
  // A checked number's operator; none for -1 (no number).
  const hintOf = (nine) => (nine < 0 ? undefined : hint((nine / 1e8) | 0));
  // Live prefixes are 013 to 019: nine digits, no padding (the slow path
  // stays for a registry given 010).
  const phoneOf = (nine) => (nine >= 1e8 ? `01${nine}` : `01${String(nine).padStart(9, '0')}`);
  const unpack = (nine) => (nine < 0 ? undefined : { phone: phoneOf(nine), operator: hintOf(nine) });
  // Every input's result (numbers.rs), one `i32` each, -1 for no number.
  // The list goes in chunks, so the wasm's memory stays the same whatever
  // the list's length.
  const checkAll = (inputs) => {
    const packed = new Int32Array(inputs.length).fill(-1);
    for (let start = 0; start < inputs.length; start += CHUNK) {
      const end = Math.min(start + CHUNK, inputs.length);
      // Asked for again each chunk: the call below allocates in the wasm,
      // which may grow its memory and detach the view.
      const u = view(CHUNK * (MAX_UNITS + 1));
      // Each input's units then a line break; an input that is not text, is
      // too long, or has a line break of its own (it would split in two) is
      // written empty, which is no number.
      let at = 0;
      for (let k = start; k < end; k += 1) {
        const s = inputs[k];
        if (text(s) && s.length <= MAX_UNITS) {
          const from = at;
          for (let i = 0; i < s.length; i += 1) {
            const c = s.charCodeAt(i);
            if (c === 10) {
              at = from;
              break;
            }
            u[at] = c;
            at += 1;
          }
        }
        u[at] = 10;
        at += 1;
      }
      // The results stay in the wasm's memory, read in place (numbers.rs);
      // the view is made after the call, which may have grown the memory.
      const results = rules.checkPhonesUnits(at - 1, end - start);
      packed.set(new Int32Array(memory.buffer, results, end - start), start);
    }
    return packed;
  };
  const listOf = (list) => (Array.isArray(list) ? list : Array.from(list ?? []));
  return Object.freeze({
    normalizePhone: (input) => {
      const packed = text(input) ? packedOf(input) : -1;
      return packed < 0 ? undefined : phoneOf(packed);
    },
    normalizeWallet: (input, operatorCode) =>
      text(input) && text(operatorCode) && writeNumber(input, operatorCode)
        ? rules.normalizeWalletUnits(input.length, operatorCode.length)
        : undefined,
    checkPhone: (input) => (text(input) ? unpack(packedOf(input)) : undefined),
    checkPhones: (list) => {
      return Array.from(checkAll(listOf(list)), unpack);
    },
    checkPhoneList: (list) => {
      // Four bytes per input; strings and objects are made only when read.
      const packed = checkAll(listOf(list));
      const at = (i) => (packed[i] >= 0 ? packed[i] : -1);
      const phone = (i) => {
        const p = at(i);
        return p < 0 ? undefined : phoneOf(p);
      };
      const operator = (i) => hintOf(at(i));
      const result = (i) => unpack(at(i));
      return Object.freeze({
        length: packed.length,
        valid: (i) => at(i) >= 0,
        phone,
        operator,
        at: result,
        *[Symbol.iterator]() {
          for (let i = 0; i < packed.length; i += 1) yield result(i);
        },
      });
    },
    detectOperator: (input, options) => {
      if (!text(input)) return undefined;
      if (options !== null && typeof options === 'object' && options.partial === true) {
        const prefix = writeNumber(input) ? rules.typedPrefixUnits(input.length) : -1;
        return prefix < 0 ? undefined : hint(prefix);
      }
      return hintOf(packedOf(input));
    },
    operators: () => JSON.parse(rules.operators()),
    limits: () => JSON.parse(rules.limits()),
    validateRequest: (request) => JSON.parse(valueCall(request, (n) => rules.validateRequestUnits(n))),
    ...withBillers?.rules(rules),
  });
}

/**
 * The biller schemas' functions, for the entries whose wasm holds them
 * (js/billers.rs): their `bindValidation` is given this. An export of its
 * own, so `bdpay`'s bundle, which never names it, leaves it out.
 */
export const billers = /* @__PURE__ */ Object.freeze({
  /** What a validator over `rules` adds. */
  rules: (rules) => ({
    validateBillerForm: (biller, values) =>
      JSON.parse(rules.validateBillerForm(toJson(biller), toJson(values))),
  }),
  /** What the entry adds, over its default rules. */
  entry: (glue, gate, byDefault) => ({
    /** The full parameter set to send for one biller, or every refused value. */
    validateBillerForm: (biller, values) => byDefault().validateBillerForm(biller, values),
    /** The wallet's billers answer, checked: `{ ok: true, value }` or `{ ok: false, error }`. */
    parseBillers(body) {
      gate.need();
      return JSON.parse(glue.parseBillers(typeof body === 'string' ? body : toJson(body)));
    },
  }),
});

/**
 * The validation functions over `glue`'s `Validator`, each checking `gate`
 * first, with the biller schemas' (`billers`) where the wasm holds them.
 * The default rules are built at the first call.
 */
export function bindValidation(glue, gate, withBillers) {
  let defaults;
  const byDefault = () => {
    gate.need();
    return (defaults ??= bind(glue.Validator.defaults(), gate.memory(), withBillers));
  };
  return Object.freeze({
    /**
     * A validator with its own rules: extra or replaced operators, other limits.
     * A bad config throws a `BdpayError` of kind `'validation'` listing every problem.
     */
    createValidator(config) {
      gate.need();
      // A bad config answers the JSON text of its ApiError (no JS value is
      // thrown through the wasm).
      return bind(glue.Validator.defaults(), gate.memory(), withBillers, { value: config });
    },
    /** `'01XXXXXXXXX'`, or `undefined` for anything that is not a live Bangladeshi mobile number. */
    normalizePhone: (input) => byDefault().normalizePhone(input),
    /** A wallet number for an MFS operator (Rocket also takes its 12-digit account), or `undefined`. */
    normalizeWallet: (input, operatorCode) => byDefault().normalizeWallet(input, operatorCode),
    /** `{ code, name, name_bn, alternatives }` suggested by the prefix (shared and frozen), or `undefined`. */
    detectOperator: (input, options) => byDefault().detectOperator(input, options),
    /** `{ phone, operator }` in one call (normalised, validated, operator named), or `undefined`. */
    checkPhone: (input) => byDefault().checkPhone(input),
    /** `checkPhone` for a whole list, in a few wasm calls; one result (or `undefined`) per input. */
    checkPhones: (list) => byDefault().checkPhones(list),
    /** `checkPhones` for long lists: results packed, 4 bytes an input, read by index. */
    checkPhoneList: (list) => byDefault().checkPhoneList(list),
    /** The operator registry as data. */
    operators: () => byDefault().operators(),
    /** The amount limits per request type, as exact decimal strings. */
    limits: () => byDefault().limits(),
    /** `{ ok: true, value }` or `{ ok: false, errors }`; never throws. */
    validateRequest: (request) => byDefault().validateRequest(request),
    ...withBillers?.entry(glue, gate, byDefault),
  });
}
