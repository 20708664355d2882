// GatewayClient and BillPayClient in Node, against the running sandbox.
import { after, before, test } from 'node:test';
import * as bdpay from 'bdpay/clients';
import { scenarios } from '../clients/scenarios.mjs';
import { startSandbox } from '../clients/sandbox.mjs';

const sandbox = await startSandbox();
after(() => sandbox.stop());

for (const s of scenarios(bdpay, sandbox.url)) {
  test(s.name, { timeout: 60_000 }, s.run);
}
