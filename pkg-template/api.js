// The validation API, bound to one wasm-bindgen glue module: `bdpay` binds it
// to its own small wasm (validation.js), `bdpay/clients` to the clients' wasm
// (clients-entry.js), so a page that pays downloads one module, not two.
//
// Values cross into wasm as JSON text: `JSON.stringify` on the way in,
// `JSON.parse` on the way out. Numbers thus reach Rust as the decimal text
// JavaScript prints, so amounts stay exact, and no JSON library sits in the
// wasm. Nothing here calls the wasm while it is evaluated; every function
// checks the glue's gate first (a `'not_ready'` BdpayError before the entry's
// `ready`).

import { errorFrom, thrownError, toJson } from './util.js';

/** The module's `invalid_validator_config` error, both languages and every field kept. */
function configError(thrown) {
  const e = thrownError(thrown);
  return e ? errorFrom(e) : thrown;
}

/** The API over one set of rules. */
function bind(rules) {
  const text = (input) => typeof input === 'string';
  return Object.freeze({
    normalizePhone: (input) => (text(input) ? rules.normalizePhone(input) : undefined),
    normalizeWallet: (input, operatorCode) =>
      text(input) && text(operatorCode) ? rules.normalizeWallet(input, operatorCode) : undefined,
    detectOperator: (input, options) => {
      const partial = options !== null && typeof options === 'object' && options.partial === true;
      const detect = partial ? rules.detectOperatorPartial : rules.detectOperator;
      const found = text(input) ? detect.call(rules, input) : undefined;
      return found === undefined ? undefined : JSON.parse(found);
    },
    operators: () => JSON.parse(rules.operators()),
    limits: () => JSON.parse(rules.limits()),
    validateRequest: (request) => JSON.parse(rules.validateRequest(toJson(request))),
    validateBillerForm: (biller, values) =>
      JSON.parse(rules.validateBillerForm(toJson(biller), toJson(values))),
  });
}

/**
 * The validation functions over `glue`'s `Validator`, each checking `gate`
 * first. The default rules are built at the first call.
 */
export function bindValidation(glue, gate) {
  let defaults;
  const byDefault = () => {
    gate.need();
    return (defaults ??= bind(new glue.Validator('')));
  };
  return Object.freeze({
    /**
     * A validator with its own rules: extra or replaced operators, other limits.
     * A bad config throws a `BdpayError` of kind `'validation'` listing every problem.
     */
    createValidator(config) {
      gate.need();
      let rules;
      try {
        rules = new glue.Validator(toJson(config));
      } catch (thrown) {
        throw configError(thrown);
      }
      return bind(rules);
    },
    /** `'01XXXXXXXXX'`, or `undefined` for anything that is not a live Bangladeshi mobile number. */
    normalizePhone: (input) => byDefault().normalizePhone(input),
    /** A wallet number for an MFS operator (Rocket also takes its 12-digit account), or `undefined`. */
    normalizeWallet: (input, operatorCode) => byDefault().normalizeWallet(input, operatorCode),
    /** `{ code, name, name_bn, alternatives }` suggested by the prefix, or `undefined`. */
    detectOperator: (input, options) => byDefault().detectOperator(input, options),
    /** The operator registry as data. */
    operators: () => byDefault().operators(),
    /** The amount limits per request type, as exact decimal strings. */
    limits: () => byDefault().limits(),
    /** `{ ok: true, value }` or `{ ok: false, errors }`; never throws. */
    validateRequest: (request) => byDefault().validateRequest(request),
    /** The full parameter set to send for one biller, or every refused value. */
    validateBillerForm: (biller, values) => byDefault().validateBillerForm(biller, values),
    /** The wallet's billers answer, checked: `{ ok: true, value }` or `{ ok: false, error }`. */
    parseBillers(body) {
      gate.need();
      return JSON.parse(glue.parseBillers(typeof body === 'string' ? body : toJson(body)));
    },
  });
}
