// Compile-time tests of `bdpay/bulk`'s types (see requests.ts).
import { BulkJob, GatewayClient, indexedDbStore, memoryStore, type BulkRow, type BulkProgress, type BulkStore, type BulkSummary, type BulkTotals } from 'bdpay/bulk';

async function bulk(csv: string): Promise<void> {
  const client = new GatewayClient({ baseUrl: 'https://pay.example.com' });
  const job = await BulkJob.open({
    client,
    csv,
    store: indexedDbStore('staff'),
    intent: async (row: BulkRow) => (row.phone === null ? null : 'intent-text'),
  });
  const rows: BulkRow[] = job.rows();
  const state: 'invalid' | 'skipped' | 'queued' | 'sending' | 'unknown' | 'pending' | 'success' | 'failed' | 'cancelled' = rows[0].state;
  // @ts-expect-error not a state
  const wrong: BulkRow['state'] = 'done';
  const bn: string = rows[0].issues[0].message_bn;
  job.onChange((row: BulkRow | null, p: BulkProgress) => p.success + p.failed + (p.eta_ms ?? 0));
  const ended: 'finished' | 'paused' = await job.start();
  const csvOut: string = job.resultsCsv();
  await job.skip(2);
  await job.skip([2, 3], false);
  // @ts-expect-error lines are numbers
  await job.skip(['2']);
  await job.edit(3, { phone: '01712345678' });
  const summary: BulkSummary = job.summary(20);
  const firstLine: number = summary.errors[0].line;
  const kinds: number = summary.warnings.map((w) => w.rows).length;
  const totals: BulkTotals = job.totals();
  const unsettled: number = totals.unsettled;
  const said: string = totals.notes[0].message_bn + totals.operators[0].message;
  const resumed: boolean = job.resumed;
  const same: boolean = job.matches(new Uint8Array([0x70]), { encoding: 'windows-1252' });
  // The file's bytes, read in its encoding (or as Windows-1252 when asked).
  const fromBytes = await BulkJob.open({ client, csv: new Uint8Array(8), encoding: 'windows-1252', store: memoryStore() });
  // @ts-expect-error only utf-8 or windows-1252
  await BulkJob.open({ client, csv: new Uint8Array(8), encoding: 'latin1', store: memoryStore() });
  // A store of one's own: load and save; append when it can.
  const mine: BulkStore = { load: () => null, save: async (text: string) => void text, append: (records: string) => void records };
  await BulkJob.open({ client, csv, store: mine });
  void [firstLine, kinds, unsettled, said, resumed, same, fromBytes];
  // @ts-expect-error the store is required
  await BulkJob.open({ client, csv });
  // @ts-expect-error a client, not options
  await BulkJob.open({ client: { baseUrl: 'x' }, csv, store: memoryStore() });
  void [state, wrong, bn, ended, csvOut];
}
void bulk;
