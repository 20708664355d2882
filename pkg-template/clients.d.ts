// Types of `bdpay/clients`: everything `bdpay/billers` has (the validation API
// with biller schemas, over the clients' wasm), plus GatewayClient and
// readIntent (as `bdpay/gateway` has them) and BillPayClient.
import type {
  Beneficiary,
  BillerFormValues,
  BillerInput,
  BillerType,
  BillHistory,
  BillReceipt,
  BillSummary,
  ClientOptions,
} from './index.js';

export * from './billers.js';

export { GatewayClient, readIntent } from './gateway.js';

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
