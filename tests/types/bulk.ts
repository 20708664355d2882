// Compile-time tests of `bdpay/bulk`'s types (see requests.ts).
import { BulkJob, GatewayClient, indexedDbStore, memoryStore, type BulkRow, type BulkProgress } from 'bdpay/bulk';

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
  // @ts-expect-error the store is required
  await BulkJob.open({ client, csv });
  // @ts-expect-error a client, not options
  await BulkJob.open({ client: { baseUrl: 'x' }, csv, store: memoryStore() });
  void [state, wrong, bn, ended, csvOut];
}
void bulk;
