// `bdpay/clients`: the same validation API as `bdpay`, plus GatewayClient,
// BillPayClient and readIntent, all over the clients' wasm, so a page that
// pays loads one wasm module. The runtime's entry (clients-browser.js,
// clients-node.js, clients-workerd.js) loads it and exports `ready`.
import * as glue from './bdpay_clients.js';
import { billers, bindValidation } from './api.js';
import { bindClients } from './clients.js';
import { BdpayError, gateOf } from './util.js';
import { bindPhone, definePhone } from './phone-input.js';

export { BdpayError };

const gate = gateOf(glue);

const api = bindValidation(glue, gate, billers);

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

export const { GatewayClient, BillPayClient, readIntent } = bindClients(glue, gate);
