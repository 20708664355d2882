// GatewayClient and BillPayClient: thin classes over the Rust clients in the
// clients' wasm module, bound to its glue by `bindClients` and `bindBillPay`
// (apart, so that `bdpay/gateway` carries no BillPayClient). Arguments go in
// as plain JS data (`plain`: a copy wasm can read without running caller
// code) and answers come back as plain objects, both through
// serde-wasm-bindgen; no JSON text. Every request goes out through the
// package's one `send` (send.js), which each wasm client is handed when it is
// made. The token lives only inside the wasm client: no property, no
// toString and no error of these classes ever holds it.

import { plain } from './plain.js';
import { send } from './send.js';
import { errorFrom, saying, thrownError } from './util.js';

/** A BdpayError from what the wasm client rejected or threw. */
function apiError(thrown) {
  const e = thrownError(thrown);
  if (e) return errorFrom(e);
  // Not the module's ApiError: the runtime's own words go to `messages`.
  const said = thrown instanceof Error ? thrown.message : String(thrown);
  return saying('network', { kind: 'network', messages: [said], cause: thrown instanceof Error ? thrown : undefined });
}

async function settle(call) {
  try {
    return await call();
  } catch (thrown) {
    throw apiError(thrown);
  }
}

/** A wasm client of `Wasm`, over the package's `send`, once `gate` lets the glue be called. */
function construct(Wasm, gate, options) {
  gate.need();
  try {
    return new Wasm(plain(options ?? {}), send);
  } catch (thrown) {
    throw apiError(thrown);
  }
}

/**
 * `GatewayClient` and `readIntent` over one glue module's wasm client, each
 * checking `gate` before its first wasm call.
 */
export function bindClients(glue, gate) {
  /** Each GatewayClient's wasm client, for the bulk jobs that share its limiter. */
  const wasmOf = new WeakMap();

  /** A transaction that keeps its intent, so `waitForFinal(trx)` and `status` carry it on. */
  async function keepIntent(args, pending) {
    const trx = await pending;
    if (args && typeof args.intent === 'string' && trx && typeof trx === 'object') trx.intent = args.intent;
    return trx;
  }

  /**
   * The recharge gateway: balance, packages, the five `/request` types, status.
   * Every request is validated before anything is sent; every `/request` carries
   * a `ref_id` (generated when not given) and is submitted at most once.
   */
  class GatewayClient {
    #wasm;

    constructor(options) {
      this.#wasm = construct(glue.WasmGatewayClient, gate, options);
      wasmOf.set(this, this.#wasm);
    }

    balance() {
      return settle(() => this.#wasm.balance());
    }

    packages(query) {
      return settle(() => this.#wasm.packages(plain(query)));
    }

    recharge(args) {
      return keepIntent(args, settle(() => this.#wasm.submit('recharge', plain(args))));
    }

    data(args) {
      return keepIntent(args, settle(() => this.#wasm.submit('data', plain(args))));
    }

    drive(args) {
      return keepIntent(args, settle(() => this.#wasm.submit('drive', plain(args))));
    }

    mfs(args) {
      return keepIntent(args, settle(() => this.#wasm.submit('mfs', plain(args))));
    }

    bill(args) {
      return keepIntent(args, settle(() => this.#wasm.submit('bill', plain(args))));
    }

    /** Any of the five, by its `type` field; or `{ intent }` alone, the payment its intent signed. */
    request(args) {
      // '': the type of `args`, or of the payment its intent signed (read in the wasm).
      return keepIntent(args, settle(() => this.#wasm.submit('', plain(args))));
    }

    /** `{ trx_id }` or `{ ref_id }`; through a proxy, with the payment's `intent`. */
    status(query) {
      return keepIntent(query, settle(() => this.#wasm.status(plain(query))));
    }

    /** Polls `status` with backoff until `Success` or `Failed` (or `waitTimeoutMs`). */
    waitForFinal(trx) {
      return keepIntent(trx, settle(() => this.#wasm.waitForFinal(plain(trx))));
    }

    /** A fresh `ref_id`, for callers who store it with the order before submitting. */
    newRefId() {
      return this.#wasm.newRefId();
    }

    toString() {
      return '[object GatewayClient]';
    }
  }

  /**
   * What a payment intent says, unverified: `{ operation, ref_id, expires,
   * spend, body }`, or `undefined`. A page shows it; only the proxy's check
   * (and the merchant's key) makes it worth anything.
   */
  function readIntent(intent) {
    gate.need();
    const text = typeof intent === 'string' ? glue.readIntent(intent) : undefined;
    return text === undefined ? undefined : JSON.parse(text);
  }

  // `wasmOf` and `apiError` serve the `bdpay/bulk` entry's BulkJob.
  return Object.freeze({ GatewayClient, readIntent, wasmOf, apiError });
}

/**
 * `BillPayClient` over one glue module's wasm client (`bdpay/clients` and
 * `bdpay/bulk`; `bdpay/gateway` has none), checking `gate` first.
 */
export function bindBillPay(glue, gate) {
  /** The wallet's utility bills: billers, summary, execute (PIN), histories, beneficiaries. */
  class BillPayClient {
    #wasm;

    constructor(options) {
      this.#wasm = construct(glue.WasmBillPayClient, gate, options);
    }

    billers() {
      return settle(() => this.#wasm.billers());
    }

    /** Checks `values` against the biller's schema, then asks for the bill's summary. */
    summary(biller, values) {
      return settle(() => this.#wasm.summary(plain(biller), plain(values)));
    }

    /**
     * `{ request_id, pin }`, or `{ request_id, intent }` through a proxy that
     * holds the PIN: pays once; an unknown outcome is settled through `histories`.
     */
    execute(args) {
      return settle(() => this.#wasm.execute(plain(args)));
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

  return Object.freeze({ BillPayClient });
}
