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
  /** Whether it may still be changed, left out or taken back in: not sent, in a job not over (run to its end, or cancelled). */
  editable: boolean;
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
  /** Why a payment failed or a row was not sent (a row left out: `skipped`, its errors inside the sentence). */
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
  /**
   * Rows sent a minute in this run: the client's pacing (its `rateLimit`) until 5 rows were sent
   * over at least 5 s, then the rate measured, never more than the pacing. Null before a run, and,
   * with `rateLimit: false`, until measured.
   */
  rate_per_minute: number | null;
  /** Time left to send the rows queued, at that rate (ms); null when the rate is. */
  eta_ms: number | null;
  stopped: 'paused' | 'cancelled' | null;
  /** Why the job paused itself: no balance, a refused token or intent, no network. */
  halt: BulkIssue | null;
  finished: boolean;
}

/** What may still be sent: the rows to send, and those sent before with no answer. */
export interface BulkTotals {
  rows: number;
  /** Exact decimal text. */
  amount: string;
  /** Of `rows`, those sent before with no answer: each is looked up by its ref_id first, and sent again only if the gateway holds nothing under it. */
  unsettled: number;
  operators: { operator_code: string; rows: number; amount: string; message: string; message_bn: string }[];
  balances: { balance: 'flexiload_balance' | 'drive_balance' | 'bank_balance'; amount: string }[];
  /** The totals said: what is to send (`to_send`), what is settled first (`to_settle_first`), what has errors (`rows_with_errors`). */
  notes: BulkIssue[];
}

/** What checking the file found, short (every row's own words are in `resultsCsv()`). */
export interface BulkSummary {
  rows: number;
  /** Rows with errors: never sent. */
  invalid: number;
  /** The first errors (up to the limit asked), each with its row's line. */
  errors: (BulkIssue & { line: number })[];
  /** One per kind of warning: how many rows have it, the first of them, and a sentence that sums it up. */
  warnings: { code: string; rows: number; line: number; message: string; message_bn: string }[];
}

/**
 * Where a job lives, as text: its plan (written once), then one small record
 * per change (appended); written again whole, compacted, when a run ends.
 * Each method may return a Promise.
 */
export interface BulkStore {
  /** The job's text, or null when the store holds none. */
  load(): string | null | Promise<string | null>;
  /** Replaces the text whole, at once (never half of it). */
  save(text: string): void | Promise<void>;
  /** Adds records (whole lines) to the text. Without it, `save` is given the whole text after every step: slow on large files. */
  append?(records: string): void | Promise<void>;
  clear?(): void | Promise<void>;
}

export function memoryStore(): BulkStore;
export function indexedDbStore(key: string, options?: { database?: string; indexedDB?: IDBFactory }): BulkStore;
/**
 * Node only: the job's text in a file, appended to with synchronous writes.
 * `formerly`: where an older version kept the job whole, read when `path` is not there yet.
 */
export function fileStore(path: string, options?: { formerly?: string }): BulkStore & { close(): void };

export interface BulkOpenOptions {
  client: GatewayClient;
  /**
   * The file (header row; `phone`, `amount`, optional `type`, `operator_code`, `sub_type`, `package_id`, `note`):
   * its bytes (UTF-8 with or without a BOM, or UTF-16 with its BOM; anything else is refused) or its text.
   * Comma, semicolon or tab.
   */
  csv?: string | Uint8Array | ArrayBuffer;
  /** `'windows-1252'`: read bytes as Windows-1252 (only when the caller knows the file is). */
  encoding?: 'utf-8' | 'windows-1252';
  /** Or the rows as objects. */
  rows?: Record<string, string | number>[];
  /** Where the job lives; `null` for a job only checked (a dry run: kept nowhere, never started). */
  store: BulkStore | null;
  /** A payment intent for the row from the merchant's server, when paying through a proxy. */
  intent?(row: BulkRow): string | null | Promise<string | null>;
  allowDuplicates?: boolean;
  /** Starts every row's ref_id (`A-Z a-z 0-9 . _ : -`); generated when left out. */
  id?: string;
}

export class BulkJob {
  /** Resumes the job `store` holds, or starts one from the file and saves its plan. Rejects with a BdpayError for a file it cannot read. */
  static open(options: BulkOpenOptions): Promise<BulkJob>;
  static memoryStore: typeof memoryStore;
  static indexedDbStore: typeof indexedDbStore;
  readonly id: string;
  readonly columns: string[];
  /** Whether `open` found the job in its store and resumed it. */
  readonly resumed: boolean;
  /** The encoding the file was read in (`utf-8`, `utf-8 (bom)`, `utf-16le`, `utf-16be`, `windows-1252`), null when given as text. */
  readonly encoding: string | null;
  /** The file's delimiter: `,`, `;` or a tab. */
  readonly delimiter: string;
  /** Whether `csv` is the file this job was made of. */
  matches(csv: string | Uint8Array | ArrayBuffer, options?: { encoding?: 'utf-8' | 'windows-1252' }): boolean;
  /** Every row (an object each: for a page, not for a file of 50,000 rows; see `summary`). */
  rows(): BulkRow[];
  progress(): BulkProgress;
  /** What may still be sent. */
  totals(): BulkTotals;
  /** What checking the file found: the first `limit` errors (100) and one line per kind of warning. */
  summary(limit?: number): BulkSummary;
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
  /** The results file: input columns, `ref_id`, `trx_id`, `status`, `message`, `message_bn`; it starts with a BOM (`\uFEFF`), for spreadsheets. */
  resultsCsv(): string;
  /** The same file as UTF-8 bytes, `rows` rows a part (500): a large file written a part at a time. Each part is a view of one buffer, good until the next part is asked for. */
  resultsCsvParts(rows?: number): Generator<Uint8Array, void, undefined>;
}
