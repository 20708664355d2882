// Payment intents for the merchant's server (`bdpay/server`): the server
// fixes what a page may pay and signs it with the merchant's key; the proxy
// spends nothing else. The key never leaves the server: this entry is not
// exported to browsers, and no error of it ever holds the key.
import {
  createExecuteIntent as wasmCreateExecuteIntent,
  createIntent as wasmCreateIntent,
  intentKeyId as wasmIntentKeyId,
  readIntent as wasmReadIntent,
} from './bdpay_server.js';
import { BdpayError, errorFrom, saying, thrownError, toJson } from './util.js';

export { BdpayError };

/** The header a page sends an intent in. */
export const INTENT_HEADER = 'Bdpay-Intent';

function rejected(thrown) {
  const e = thrownError(thrown);
  if (!e || !Array.isArray(e.fieldErrors)) return saying('not_signed', { kind: 'validation' });
  return errorFrom(e, { kind: 'validation', messages: e.fieldErrors.map((f) => f.message) });
}

function secretOf(key) {
  return typeof key === 'string' ? key : '';
}

function nowOf(options) {
  const now = options?.now;
  return typeof now === 'number' && Number.isFinite(now) ? now : Date.now();
}

/**
 * Signs a gateway payment: the `/request` body (`type`, `operator_code`,
 * `phone`, `amount`, `sub_type`, `package_id`, `bill_number`, `month`,
 * `ref_id`) plus `expiresIn` (seconds, default 900, at most 86,400) and,
 * for `data` and `drive`, `price` (the package's price, counted by the
 * proxy's spending ceilings). The payment is checked by the same
 * validators as the page's; a missing `ref_id` is generated. Returns the
 * intent's text; throws `BdpayError` (kind `'validation'`, `fieldErrors`).
 */
export function createIntent(payment, key, options) {
  try {
    return wasmCreateIntent(toJson(payment), secretOf(key), nowOf(options));
  } catch (thrown) {
    throw rejected(thrown);
  }
}

/**
 * Signs a wallet `execute`: `{ request_id, total, expiresIn? }`, where
 * `total` is the `total_payable` of a summary the server asked for itself.
 */
export function createExecuteIntent(execute, key, options) {
  try {
    return wasmCreateExecuteIntent(toJson(execute), secretOf(key), nowOf(options));
  } catch (thrown) {
    throw rejected(thrown);
  }
}

/**
 * What an intent says, unverified: `{ operation, ref_id, expires, spend,
 * body }` (`body` is what the page sends), or `undefined`. Only the proxy's
 * check makes an intent worth anything.
 */
export function readIntent(intent) {
  const text = typeof intent === 'string' ? wasmReadIntent(intent) : undefined;
  return text === undefined ? undefined : JSON.parse(text);
}

/** The id a key signs under (derived from it; safe to log), or `undefined` for a bad key. */
export function intentKeyId(key) {
  return wasmIntentKeyId(secretOf(key));
}
