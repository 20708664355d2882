// `bdpay`: the validation API over the validation-only wasm (no client, no
// proxy, no biller schemas: those are `bdpay/billers`). The runtime's entry (browser.js, node.js, workerd.js) loads the
// wasm and exports `ready`; this module only binds.
import * as glue from './bdpay.js';
import { bindValidation } from './api.js';
import { BdpayError, gateOf } from './util.js';

export { BdpayError };

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
} = bindValidation(glue, gateOf(glue));
