// Types of `bdpay/gateway`: everything `bdpay` has (the validation API, over
// the gateway client's wasm), plus GatewayClient and readIntent: a recharge
// checkout's entry, without the wallet's client and biller schemas.
import type {
  Args,
  Balance,
  BdpayRequest,
  BillRequest,
  ClientOptions,
  ClientTransaction,
  IntentClaims,
  MfsRequest,
  OperatorCode,
  Package,
  PackageRequest,
  PackageType,
  RechargeRequest,
  StatusQuery,
  Transaction,
} from './index.js';

export * from './index.js';

/** What a payment intent says, unverified; only the proxy's check makes it worth anything. */
export function readIntent(intent: unknown): IntentClaims | undefined;

export class GatewayClient {
  constructor(options: ClientOptions);
  balance(): Promise<Balance>;
  packages(query: { operator_code: OperatorCode; type?: PackageType }): Promise<Package[]>;
  recharge(args: Args<RechargeRequest>): Promise<Transaction>;
  data(args: Args<PackageRequest & { type: 'data' }>): Promise<Transaction>;
  drive(args: Args<PackageRequest & { type: 'drive' }>): Promise<Transaction>;
  mfs(args: Args<MfsRequest>): Promise<Transaction>;
  bill(args: Args<BillRequest>): Promise<Transaction>;
  /** Any of the five, by its `type`; or `{ intent }` alone: the payment the merchant's server signed. */
  request(
    args: (BdpayRequest & { intent?: string; confirm_repeat?: boolean }) | { intent: string; confirm_repeat?: boolean },
  ): Promise<ClientTransaction>;
  status(query: StatusQuery): Promise<ClientTransaction>;
  /**
   * Polls `status` until `Success` or `Failed`, through rate limits and failed
   * reads (after each `Retry-After`); rejects with kind `'timeout'` after `waitTimeoutMs`.
   */
  waitForFinal(trx: StatusQuery | ClientTransaction): Promise<ClientTransaction>;
  /** A fresh `ref_id`, to store with an order before submitting it. */
  newRefId(): string;
}
