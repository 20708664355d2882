// Shared by every entry: the error class, its decoding from the wasm modules'
// one error shape, whether a wasm module is ready, and JSON text that never throws.

import { SAID } from './said.js';

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

// What this layer says itself, when the wasm module could not (it threw
// something other than its JSON): `[English, Bangla]` by code, written by
// build/said.mjs from the Rust tables that own them.
export { SAID };

// Each entry's wasm-bindgen glue module (or, for `bdpay`, the glue's
// `Validator` class), by identity, to whether its wasm is initialised: an
// entry marks it, the functions bound to that glue check it.
const gates = new WeakMap();

/**
 * The readiness of one glue module's wasm: `loaded(exports)` and
 * `failed(error)` for the entry that initialises it (with the wasm's exports
 * that `initSync` returns), `start(promise)` for one that loads it in the
 * background (the Promise it returns is the entry's `ready`), `need()`
 * before every call, and `memory()`, the wasm's memory once loaded (the
 * validation functions write numbers into it).
 */
export function gateOf(glue) {
  let gate = gates.get(glue);
  if (gate) return gate;
  let state = 'loading';
  let failure;
  let exports;
  gate = Object.freeze({
    loaded(wasm) {
      state = 'loaded';
      exports = wasm;
    },
    failed(error) {
      state = 'failed';
      failure = error;
    },
    start(loading) {
      return loading.then(
        (wasm) => gate.loaded(wasm),
        (error) => {
          gate.failed(error);
          throw error;
        },
      );
    },
    need() {
      if (state !== 'loaded') throw notReady(state === 'failed', failure);
    },
    memory: () => exports.memory,
  });
  gates.set(glue, gate);
  return gate;
}

/**
 * A `BdpayError` of kind and code `'not_ready'`: a call made in a browser
 * before `await ready`, or after `ready` rejected (its error as `cause`).
 */
function notReady(failed, cause) {
  const [message, messageBn] = failed
    ? [
        "bdpay's WebAssembly module could not be loaded (see `cause`); `await ready` rejects with the same error.",
        'bdpay-এর WebAssembly মডিউল লোড করা যায়নি (কারণটি `cause`-এ); `await ready`-ও একই ত্রুটি দেয়।',
      ]
    : [
        'bdpay is not ready yet: `await ready` (exported by the entry you import) before the first call.',
        'bdpay এখনও প্রস্তুত হয়নি: প্রথম কলের আগে `await ready` করুন (যে এন্ট্রি ইমপোর্ট করেছেন, সেখান থেকে)।',
      ];
  return new BdpayError(message, { kind: 'not_ready', code: 'not_ready', messageBn, cause });
}

/**
 * The ApiError a wasm module threw or rejected with, `{ kind, code, message,
 * messageBn, … }`: a plain object (bdpay/clients, bdpay/worker) or its JSON
 * text (bdpay, bdpay/server); `undefined` for anything else.
 */
export function thrownError(thrown) {
  let e = thrown;
  if (typeof thrown === 'string') {
    try {
      e = JSON.parse(thrown);
    } catch {
      return undefined;
    }
  }
  return e !== null && typeof e === 'object' && typeof e.kind === 'string' && typeof e.message === 'string' ? e : undefined;
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
export const NOT_JSON = '\u0000';

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
