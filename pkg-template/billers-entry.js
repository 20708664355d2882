// `bdpay/billers`: the validation API of `bdpay` plus the wallet's biller
// schemas (`parseBillers`, `validateBillerForm`), over a wasm that holds them.
// `bdpay` leaves them out: a page that sells recharge does not download them.
// The runtime's entry (billers-browser.js, billers-node.js,
// billers-workerd.js) loads the wasm and exports `ready`; this module only binds.
import * as glue from './bdpay_billers.js';
import { billers, bindValidation } from './api.js';
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
  validateBillerForm,
  parseBillers,
} = bindValidation(glue, gateOf(glue), billers);
