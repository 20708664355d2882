// Types of `bdpay/clients`: everything `bdpay/billers` has (the validation API
// with biller schemas, over the clients' wasm), plus GatewayClient, BillPayClient and readIntent.
import type {
  Args,
  Balance,
  BdpayRequest,
  Beneficiary,
  BillerFormValues,
  BillerInput,
  BillerType,
  BillHistory,
  BillReceipt,
  BillRequest,
  BillSummary,
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

export * from './billers.js';

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

export class BillPayClient {
  constructor(options: ClientOptions);
  billers(): Promise<BillerType[]>;
  /** Checks `values` against the biller's schema, then asks for the bill's summary. */
  summary(biller: BillerInput, values: BillerFormValues): Promise<BillSummary>;
  /** Pays once; a PIN with a leading zero is kept as text. */
  execute(args: { request_id: string; pin: string | number } | { request_id: string; intent: string }): Promise<BillReceipt>;
  histories(requestId: string): Promise<BillHistory>;
  beneficiaries(): Promise<Beneficiary[]>;
}
