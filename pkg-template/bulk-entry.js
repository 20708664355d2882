// `bdpay/bulk`: everything `bdpay/clients` has, plus BulkJob and its stores,
// over one wasm (the clients' code and the bulk job's), so a page that pays
// a file loads one module and a checkout page that does not never loads the
// bulk code. The runtime's entry (bulk-browser.js, bulk-node.js) loads it.
import * as glue from './bdpay_bulk.js';
import { billers, bindValidation } from './api.js';
import { bindBulk } from './bulk.js';
import { bindClients } from './clients.js';
import { BdpayError, gateOf } from './util.js';

export { BdpayError };
export { memoryStore, indexedDbStore } from './bulk.js';

const gate = gateOf(glue);

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
} = bindValidation(glue, gate, billers);

const clients = bindClients(glue, gate);
export const { GatewayClient, BillPayClient, readIntent } = clients;
export const { BulkJob } = bindBulk(glue, gate, clients.wasmOf, clients.apiError);
