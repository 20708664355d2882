// Shared by api.js and clients.js: the error class and JSON text that never throws.

/**
 * Every error bdpay throws. A real class at run time, so both
 * `err instanceof BdpayError` and `switch (err.kind)` work.
 */
export class BdpayError extends Error {
  constructor(message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BdpayError';
    /** What went wrong, as a stable machine code: `'validation'`, `'timeout'`, … */
    this.kind = options.kind ?? 'unknown';
    /** The HTTP status, for errors that came from an API. */
    this.status = options.status;
    /** Every refused field: `{ field, code, message, message_bn }`. */
    this.fieldErrors = options.fieldErrors ?? [];
    /** Human-readable messages, as the API or the validator gave them. */
    this.messages = options.messages ?? [];
    /** How long to wait before trying again, when the API said so. */
    this.retryAfterMs = options.retryAfterMs;
    /** The wallet's `error_title`, e.g. `'E_PIN_ERROR'`. */
    this.title = options.title;
    /**
     * For a payment whose outcome was unknown: `true` when the gateway was
     * asked and holds no such transaction, so retrying with the same
     * `ref_id` is safe.
     */
    this.notCommitted = options.notCommitted === true;
  }
}

// Not JSON: Rust answers it with its own `not_an_object` error and messages.
const NOT_JSON = '\u0000';

/** JSON text of any value; never throws (BigInt, cycles, throwing getters). */
export function toJson(value) {
  if (value === undefined) return 'null';
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' ? text : 'null';
  } catch {
    return NOT_JSON;
  }
}
