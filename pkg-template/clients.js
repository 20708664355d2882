// GatewayClient and BillPayClient: thin classes over the Rust clients in the
// wasm module. Arguments go in as JSON text and answers come back as JSON
// text, as in api.js. The token lives only inside the wasm client: no
// property, no toString and no error of these classes ever holds it.

import { WasmBillPayClient, WasmGatewayClient } from './bdpay.js';
import { BdpayError, toJson } from './util.js';

/** A BdpayError from what the wasm client rejected or threw. */
function apiError(thrown) {
  let e;
  try {
    e = typeof thrown === 'string' ? JSON.parse(thrown) : undefined;
  } catch {
    e = undefined;
  }
  if (!e || typeof e.kind !== 'string') {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new BdpayError(message, { kind: 'network', cause: thrown instanceof Error ? thrown : undefined });
  }
  return new BdpayError(e.message, {
    kind: e.kind,
    status: e.status || undefined,
    fieldErrors: e.fieldErrors,
    messages: e.messages,
    retryAfterMs: e.retryAfterMs ?? undefined,
    title: e.title ?? undefined,
    notCommitted: e.notCommitted === true,
  });
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

function construct(Wasm, options) {
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
    return settle(() => this.#wasm.submit('recharge', toJson(args)));
  }

  data(args) {
    return settle(() => this.#wasm.submit('data', toJson(args)));
  }

  drive(args) {
    return settle(() => this.#wasm.submit('drive', toJson(args)));
  }

  mfs(args) {
    return settle(() => this.#wasm.submit('mfs', toJson(args)));
  }

  bill(args) {
    return settle(() => this.#wasm.submit('bill', toJson(args)));
  }

  /** Any of the five, by its `type` field. */
  request(args) {
    const type = args && typeof args.type === 'string' ? args.type : '';
    return settle(() => this.#wasm.submit(type, toJson(args)));
  }

  status(query) {
    return settle(() => this.#wasm.status(toJson(query)));
  }

  /** Polls `status` with backoff until `Success` or `Failed` (or `waitTimeoutMs`). */
  waitForFinal(trx) {
    return settle(() => this.#wasm.waitForFinal(toJson(trx)));
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

  /** `{ request_id, pin }`: pays once; an unknown outcome is settled through `histories`. */
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
