// `bdpay`: the validation API over the validation-only wasm (no client, no
// proxy, no biller schemas: those are `bdpay/billers`). The runtime's entry (browser.js, node.js, workerd.js) loads the
// wasm and exports `ready`; this module only binds.
// Named imports, not the glue's namespace, so a bundle leaves out the glue's
// loaders this module does not call; the gate is keyed by `Validator`, the
// glue's class, by every entry of `bdpay` (browser.js, node.js, workerd.js).
import { Validator } from './bdpay.js';
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
} = bindValidation({ Validator }, gateOf(Validator));
