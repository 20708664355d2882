// `bdpay/billers`: the validation API of `bdpay` plus the wallet's biller
// schemas (`parseBillers`, `validateBillerForm`), over a wasm that holds them.
// `bdpay` leaves them out: a page that sells recharge does not download them.
// The runtime's entry (billers-browser.js, billers-node.js,
// billers-workerd.js) loads the wasm and exports `ready`; this module only binds.
import * as glue from './bdpay_billers.js';
import { billers, bindValidation } from './api.js';
import { BdpayError, gateOf } from './util.js';
import { bindPhone, definePhone } from './phone-input.js';

export { BdpayError };

const api = bindValidation(glue, gateOf(glue), billers);

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
  validateBillerForm,
  parseBillers,
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
