// Types of `bdpay/server`: payment intents, signed on the merchant's server.
import type { BdpayRequest, IntentClaims } from './index.js';

export { BdpayError } from './index.js';
export type { IntentClaims } from './index.js';

/** The header a page sends an intent in. */
export const INTENT_HEADER: 'Bdpay-Intent';

/** A gateway payment to sign: a `/request` body and the intent's own settings. */
export type IntentInput = BdpayRequest & {
  /** Seconds the intent lives: 10 to 86,400; default 900. */
  expiresIn?: number;
  /** For `data` and `drive`: the package's price, counted by the proxy's ceilings. */
  price?: number | string;
};

export interface ExecuteIntentInput {
  request_id: string;
  /** The summary's `total_payable`: a number, decimal text or the wallet's `"৳105.00"`. */
  total: number | string;
  expiresIn?: number;
}

export interface IntentOptions {
  /** The time to sign at, in ms (default `Date.now()`). */
  now?: number;
}

/** Signs a gateway payment with the merchant's key (32 bytes or more). Throws `BdpayError` (kind `'validation'`). */
export function createIntent(payment: IntentInput, key: string, options?: IntentOptions): string;

/** Signs a wallet `execute` of a summary the server read itself. */
export function createExecuteIntent(execute: ExecuteIntentInput, key: string, options?: IntentOptions): string;


/** What an intent says, unverified. */
export function readIntent(intent: unknown): IntentClaims | undefined;

/** The id a key signs under (derived from the key; safe to log). */
export function intentKeyId(key: string): string | undefined;
