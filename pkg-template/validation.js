// `bdpay`: the validation API over the validation-only wasm (no client, no
// proxy, no biller schemas: those are `bdpay/billers`). The runtime's entry (browser.js, node.js, workerd.js) loads the
// wasm and exports `ready`; this module only binds.
// Named imports, not the glue's namespace, so a bundle leaves out the glue's
// loaders this module does not call; the gate is keyed by `Validator`, the
// glue's class, by every entry of `bdpay` (browser.js, node.js, workerd.js).
import { Validator } from './bdpay.js';
import { bindValidation } from './api.js';
import { BdpayError, gateOf } from './util.js';
import { bindPhone, definePhone } from './phone-input.js';

export { BdpayError };

const api = bindValidation({ Validator }, gateOf(Validator));

export const {
  createValidator,
  normalizePhone,
  normalizeWallet,
  detectOperator,
  checkPhone,
  checkPhones,
  checkPhoneList,
  operators,
  limits,
  validateRequest,
} = api;

// The phone field (phone-input.js) over this entry's functions. Plain
// functions, so a bundle that never calls them leaves the module out.
/** A controller for a phone number's <input>: formats as the customer types, names the operator, says errors when fair. */
export function bindPhoneInput(input, options) {
  return bindPhone(api, input, options);
}
/** Defines the `<bdpay-phone>` element (or `name`); undefined where custom elements do not exist. */
export function definePhoneElement(name) {
  return definePhone(api, name);
}
