// GatewayClient and BillPayClient: thin classes over the Rust clients in the
// wasm module. Arguments go in as JSON text and answers come back as JSON
// text, as in api.js. The token lives only inside the wasm client: no
// property, no toString and no error of these classes ever holds it.

import { WasmBillPayClient, WasmGatewayClient, readIntent } from './bdpay.js';
import { errorFrom, needWasm, saying, thrownError, toJson } from './util.js';

/** A BdpayError from what the wasm client rejected or threw. */
function apiError(thrown) {
  const e = thrownError(thrown);
  if (e) return errorFrom(e);
  // Not the module's JSON: the runtime's own words go to `messages`.
  const said = thrown instanceof Error ? thrown.message : String(thrown);
  return saying('network', { kind: 'network', messages: [said], cause: thrown instanceof Error ? thrown : undefined });
}

async function settle(call) {
  let text;
  try {
    text = await call();
  } catch (thrown) {
    throw apiError(thrown);
  }
  return JSON.parse(text);
}

/**
 * A payment's arguments with its intent's fields filled in: a page may pass
 * `{ intent }` alone, as the merchant's server signed it. Fields the page
 * gives itself stay (the proxy refuses any that differ from the intent).
 */
function withIntent(args) {
  if (!args || typeof args.intent !== 'string') return args;
  const text = readIntent(args.intent);
  const claims = text === undefined ? undefined : JSON.parse(text);
  return claims && claims.operation === 'request' ? { ...claims.body, ...args } : args;
}

/** A transaction that keeps its intent, so `waitForFinal(trx)` and `status` carry it on. */
async function keepIntent(args, pending) {
  const trx = await pending;
  if (args && typeof args.intent === 'string' && trx && typeof trx === 'object') trx.intent = args.intent;
  return trx;
}

function construct(Wasm, options) {
  needWasm();
  try {
    return new Wasm(toJson(options ?? {}));
  } catch (thrown) {
    throw apiError(thrown);
  }
}

/**
 * The recharge gateway: balance, packages, the five `/request` types, status.
 * Every request is validated before anything is sent; every `/request` carries
 * a `ref_id` (generated when not given) and is submitted at most once.
 */
export class GatewayClient {
  #wasm;

  constructor(options) {
    this.#wasm = construct(WasmGatewayClient, options);
  }

  balance() {
    return settle(() => this.#wasm.balance());
  }

  packages(query) {
    return settle(() => this.#wasm.packages(toJson(query)));
  }

  recharge(args) {
    const full = withIntent(args);
    return keepIntent(full, settle(() => this.#wasm.submit('recharge', toJson(full))));
  }

  data(args) {
    const full = withIntent(args);
    return keepIntent(full, settle(() => this.#wasm.submit('data', toJson(full))));
  }

  drive(args) {
    const full = withIntent(args);
    return keepIntent(full, settle(() => this.#wasm.submit('drive', toJson(full))));
  }

  mfs(args) {
    const full = withIntent(args);
    return keepIntent(full, settle(() => this.#wasm.submit('mfs', toJson(full))));
  }

  bill(args) {
    const full = withIntent(args);
    return keepIntent(full, settle(() => this.#wasm.submit('bill', toJson(full))));
  }

  /** Any of the five, by its `type` field; or `{ intent }` alone, the payment its intent signed. */
  request(args) {
    const full = withIntent(args);
    const type = full && typeof full.type === 'string' ? full.type : '';
    return keepIntent(full, settle(() => this.#wasm.submit(type, toJson(full))));
  }

  /** `{ trx_id }` or `{ ref_id }`; through a proxy, with the payment's `intent`. */
  status(query) {
    return keepIntent(query, settle(() => this.#wasm.status(toJson(query))));
  }

  /** Polls `status` with backoff until `Success` or `Failed` (or `waitTimeoutMs`). */
  waitForFinal(trx) {
    return keepIntent(trx, settle(() => this.#wasm.waitForFinal(toJson(trx))));
  }

  /** A fresh `ref_id`, for callers who store it with the order before submitting. */
  newRefId() {
    return this.#wasm.newRefId();
  }

  toString() {
    return '[object GatewayClient]';
  }
}

/** The wallet's utility bills: billers, summary, execute (PIN), histories, beneficiaries. */
export class BillPayClient {
  #wasm;

  constructor(options) {
    this.#wasm = construct(WasmBillPayClient, options);
  }

  billers() {
    return settle(() => this.#wasm.billers());
  }

  /** Checks `values` against the biller's schema, then asks for the bill's summary. */
  summary(biller, values) {
    return settle(() => this.#wasm.summary(toJson(biller), toJson(values)));
  }

  /**
   * `{ request_id, pin }`, or `{ request_id, intent }` through a proxy that
   * holds the PIN: pays once; an unknown outcome is settled through `histories`.
   */
  execute(args) {
    return settle(() => this.#wasm.execute(toJson(args)));
  }

  histories(requestId) {
    return settle(() => this.#wasm.histories(typeof requestId === 'string' ? requestId : ''));
  }

  beneficiaries() {
    return settle(() => this.#wasm.beneficiaries());
  }

  toString() {
    return '[object BillPayClient]';
  }
}
