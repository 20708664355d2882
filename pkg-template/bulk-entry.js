// `bdpay/bulk`: everything `bdpay/clients` has, plus BulkJob and its stores,
// over one wasm (the clients' code and the bulk job's), so a page that pays
// a file loads one module and a checkout page that does not never loads the
// bulk code. The runtime's entry (bulk-browser.js, bulk-node.js) loads it.
import * as glue from './bdpay_bulk.js';
import { billers, bindValidation } from './api.js';
import { bindBulk } from './bulk.js';
import { bindClients } from './clients.js';
import { BdpayError, gateOf } from './util.js';
import { bindPhone, definePhone } from './phone-input.js';

export { BdpayError };
export { memoryStore, indexedDbStore } from './bulk.js';

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

const clients = bindClients(glue, gate);
export const { GatewayClient, BillPayClient, readIntent } = clients;
export const { BulkJob } = bindBulk(glue, gate, clients.wasmOf, clients.apiError);
