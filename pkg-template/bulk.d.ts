// Types of `bdpay/bulk`: everything `bdpay/clients` has, plus BulkJob and its stores.
import type { GatewayClient } from './clients.js';

export * from './clients.js';

/** One problem with the file, a row or a payment, in both languages. */
export interface BulkIssue {
  /** The field (`phone`, `amount`, …), or `''` for the whole row or file. */
  field: string;
  /** `invalid_phone`, `duplicate_number`, `check_operator`, `payment_failed`, `cancelled`, an ApiError code… */
  code: string;
  message: string;
  message_bn: string;
}

export type BulkRowState =
  | 'invalid'
  | 'skipped'
  | 'queued'
  | 'sending'
  | 'unknown'
  | 'pending'
  | 'success'
  | 'failed'
  | 'cancelled';

export interface BulkRow {
  /** The row's line in the file (the header is line 1). */
  line: number;
  /** The cells, by column as written in the header. */
  values: Record<string, string>;
  cells: string[];
  state: BulkRowState;
  /** The job's id and the line: the same on every run of the job. */
  ref_id: string;
  /** Whether its request was ever sent. */
  sent: boolean;
  trx_id: string | null;
  trx_status: string | null;
  /** The request the row makes, once it checks: canonical phone, operator (guessed when left out), exact amount. */
  type: string | null;
  operator_code: string | null;
  phone: string | null;
  amount: string | null;
  /** Why the row is not sent. */
  issues: BulkIssue[];
  /** Worth a look, not blocking: an operator guessed on a shared prefix, a number met twice when allowed. */
  warnings: BulkIssue[];
  /** Why a payment failed or a row was not sent. */
  outcome: BulkIssue | null;
}

export interface BulkProgress {
  total: number;
  invalid: number;
  skipped: number;
  queued: number;
  /** Sent, outcome not known yet (settled by `status`). */
  sending: number;
  pending: number;
  success: number;
  failed: number;
  cancelled: number;
  /** Rows sent per minute in this run; null before the first. */
  rate_per_minute: number | null;
  /** Time left at that rate (ms); null before the first row. */
  eta_ms: number | null;
  stopped: 'paused' | 'cancelled' | null;
  /** Why the job paused itself: no balance, a refused token or intent, no network. */
  halt: BulkIssue | null;
  finished: boolean;
}

export interface BulkTotals {
  rows: number;
  /** Exact decimal text. */
  amount: string;
  operators: { operator_code: string; rows: number; amount: string }[];
  balances: { balance: 'flexiload_balance' | 'drive_balance' | 'bank_balance'; amount: string }[];
}

/** Where a job's state lives; each method may return a Promise. */
export interface BulkStore {
  load(): string | null | Promise<string | null>;
  save(text: string): void | Promise<void>;
  clear?(): void | Promise<void>;
}

export function memoryStore(): BulkStore;
export function indexedDbStore(key: string, options?: { database?: string; indexedDB?: IDBFactory }): BulkStore;
/** Node only: the state in a file, replaced whole on every save. */
export function fileStore(path: string): BulkStore;

export interface BulkOpenOptions {
  client: GatewayClient;
  /** The file as CSV text (header row; `phone`, `amount`, optional `type`, `operator_code`, `sub_type`, `package_id`, `note`). */
  csv?: string;
  /** Or the rows as objects. */
  rows?: Record<string, string | number>[];
  store: BulkStore;
  /** A payment intent for the row from the merchant's server, when paying through a proxy. */
  intent?(row: BulkRow): string | null | Promise<string | null>;
  allowDuplicates?: boolean;
  /** Starts every row's ref_id (`A-Z a-z 0-9 . _ : -`); generated when left out. */
  id?: string;
}

export class BulkJob {
  /** Resumes the job `store` holds, or starts one from the file and saves it. Rejects with a BdpayError for a file it cannot read. */
  static open(options: BulkOpenOptions): Promise<BulkJob>;
  static memoryStore: typeof memoryStore;
  static indexedDbStore: typeof indexedDbStore;
  readonly id: string;
  readonly columns: string[];
  rows(): BulkRow[];
  progress(): BulkProgress;
  /** What the rows still to send need. */
  totals(): BulkTotals;
  /** Reads `/balance`: what the rows still to send lack (empty when enough). */
  checkBalance(): Promise<BulkIssue[]>;
  /** Changes a row not yet sent; rejects with a BdpayError once it was sent. */
  edit(line: number, values: Record<string, string>): Promise<void>;
  /** Leaves rows out (or takes them back in) before they are sent: all the lines, or none if one cannot be. */
  skip(lines: number | readonly number[], skip?: boolean): Promise<void>;
  onChange(listener: (row: BulkRow | null, progress: BulkProgress) => void): () => void;
  /** Runs or resumes the job; resolves `'finished'` or `'paused'`. */
  start(): Promise<'finished' | 'paused'>;
  pause(): void;
  cancel(): Promise<void> | undefined;
  /** The results file: input columns, `ref_id`, `trx_id`, `status`, `message`, `message_bn`. */
  resultsCsv(): string;
}
