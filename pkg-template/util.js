// Shared by api.js, clients.js, server.js and worker.js: the error class, its
// decoding from the wasm module's JSON, and JSON text that never throws.

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
    /** What was said, as a stable code: `'pin_mismatch'`, `'intent_expired'`, `'server_refused'`, … */
    this.code = options.code;
    /** The HTTP status, for errors that came from an API. */
    this.status = options.status;
    /** The same as `message`, in Bangla. */
    this.messageBn = options.messageBn ?? '';
    /** The server's own first message, word for word, when it sent one. */
    this.serverMessage = options.serverMessage;
    /** Every refused field: `{ field, code, message, message_bn }`. */
    this.fieldErrors = options.fieldErrors ?? [];
    /** Every message the API sent (for a network error, the runtime's words). */
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

/**
 * What this layer says itself, when the wasm module could not (it threw
 * something other than its JSON): `[English, Bangla]`, copied from the Rust
 * tables (crates/api/src/error/wording.rs, crates/proxy/src/refusal.rs) by code;
 * tests/node/package.test.mjs checks they are the same.
 */
export const SAID = Object.freeze({
  network: ['Network error: the server could not be reached.', 'নেটওয়ার্কের সমস্যায় সার্ভারের সাথে যোগাযোগ করা যায়নি।'],
  not_signed: ['The payment could not be signed.', 'পেমেন্টটি সই করা যায়নি।'],
  proxy_failed: ['The proxy failed.', 'প্রক্সিতে সমস্যা হয়েছে।'],
  upstream_withheld: ['The upstream answer was withheld.', 'সার্ভারের উত্তরটি আটকে দেওয়া হয়েছে।'],
});

/** The ApiError the wasm module threw (the JSON text of `{ kind, code, message, messageBn, … }`), or `undefined`. */
export function thrownError(thrown) {
  let e;
  try {
    e = typeof thrown === 'string' ? JSON.parse(thrown) : undefined;
  } catch {
    return undefined;
  }
  return e && typeof e.kind === 'string' && typeof e.message === 'string' ? e : undefined;
}

/** A BdpayError from the wasm module's ApiError JSON, every field kept. */
export function errorFrom(e, overrides = {}) {
  return new BdpayError(e.message, {
    kind: e.kind,
    code: e.code ?? undefined,
    status: e.status || undefined,
    messageBn: e.messageBn,
    serverMessage: e.serverMessage ?? undefined,
    fieldErrors: e.fieldErrors,
    messages: e.messages,
    retryAfterMs: e.retryAfterMs ?? undefined,
    title: e.title ?? undefined,
    notCommitted: e.notCommitted === true,
    ...overrides,
  });
}

/** A BdpayError saying one of `SAID`'s sentences. */
export function saying(code, options = {}) {
  const [message, messageBn] = SAID[code];
  return new BdpayError(message, { code, messageBn, ...options });
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
