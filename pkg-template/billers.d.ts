// Types of `bdpay/billers`: everything `bdpay` has (the same validation API,
// over a wasm that also holds the wallet's biller schemas), plus
// `parseBillers` and `validateBillerForm`; a validator made here has
// `validateBillerForm` too.
import type { BillerValidator, ParseBillersResult, ValidatorConfig } from './index.js';

export * from './index.js';

/** A validator with its own rules. Throws `BdpayError` (kind `'validation'`) for a bad config. */
export function createValidator(config?: ValidatorConfig | null): BillerValidator;

export const validateBillerForm: BillerValidator['validateBillerForm'];

/** Reads the billers response, given as its text or already parsed; never throws (anything else is `{ ok: false, error }`). */
export function parseBillers(body: unknown): ParseBillersResult;
