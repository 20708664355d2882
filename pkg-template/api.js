// The public JavaScript API of bdpay, on top of the wasm-bindgen glue.
//
// Values cross into wasm as JSON text: `JSON.stringify` on the way in,
// `JSON.parse` on the way out. Numbers thus reach Rust as the decimal text
// JavaScript prints, so amounts stay exact, and no JSON library sits in the
// wasm. This module makes no wasm call while it is evaluated: each runtime's
// entry (node.js, browser.js, workerd.js) initialises the module, and until
// it has, every function throws a `BdpayError` of kind `'not_ready'`.

import { Validator, parseBillers as parseBillersJson, readIntent as readIntentJson } from './bdpay.js';
import { BdpayError, errorFrom, needWasm, thrownError, toJson } from './util.js';

export { BdpayError };
export { BillPayClient, GatewayClient } from './clients.js';

/** The module's `invalid_validator_config` error, both languages and every field kept. */
function configError(thrown) {
  const e = thrownError(thrown);
  return e ? errorFrom(e) : thrown;
}

function parseBillers(body) {
  needWasm();
  return JSON.parse(parseBillersJson(typeof body === 'string' ? body : toJson(body)));
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
    parseBillers,
  });
}

let defaults;
function byDefault() {
  if (defaults === undefined) {
    needWasm();
    defaults = bind(new Validator(''));
  }
  return defaults;
}

/**
 * A validator with its own rules: extra or replaced operators, other limits.
 * A bad config throws a `BdpayError` of kind `'validation'` listing every problem.
 */
export function createValidator(config) {
  needWasm();
  let rules;
  try {
    rules = new Validator(toJson(config));
  } catch (thrown) {
    throw configError(thrown);
  }
  return bind(rules);
}

/** `'01XXXXXXXXX'`, or `undefined` for anything that is not a live Bangladeshi mobile number. */
export const normalizePhone = (input) => byDefault().normalizePhone(input);
/** A wallet number for an MFS operator (Rocket also takes its 12-digit account), or `undefined`. */
export const normalizeWallet = (input, operatorCode) =>
  byDefault().normalizeWallet(input, operatorCode);
/** `{ code, name, name_bn, alternatives }` suggested by the prefix, or `undefined`. */
export const detectOperator = (input, options) => byDefault().detectOperator(input, options);
/** The operator registry as data. */
export const operators = () => byDefault().operators();
/** The amount limits per request type, as exact decimal strings. */
export const limits = () => byDefault().limits();
/** `{ ok: true, value }` or `{ ok: false, errors }`; never throws. */
export const validateRequest = (request) => byDefault().validateRequest(request);
/** The full parameter set to send for one biller, or every refused value. */
export const validateBillerForm = (biller, values) => byDefault().validateBillerForm(biller, values);
export { parseBillers };

/**
 * What a payment intent says, unverified: `{ operation, ref_id, expires,
 * spend, body }`, or `undefined`. A page shows it; only the proxy's check
 * (and the merchant's key) makes it worth anything.
 */
export function readIntent(intent) {
  needWasm();
  const text = typeof intent === 'string' ? readIntentJson(intent) : undefined;
  return text === undefined ? undefined : JSON.parse(text);
}
