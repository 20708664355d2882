// `bdpay/clients`: the same validation API as `bdpay`, plus GatewayClient,
// BillPayClient and readIntent, all over the clients' wasm, so a page that
// pays loads one wasm module. The runtime's entry (clients-browser.js,
// clients-node.js, clients-workerd.js) loads it and exports `ready`.
import * as glue from './bdpay_clients.js';
import { billers, bindValidation } from './api.js';
import { bindClients } from './clients.js';
import { BdpayError, gateOf } from './util.js';

export { BdpayError };

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

export const { GatewayClient, BillPayClient, readIntent } = bindClients(glue, gate);
