// A merchant's server signing intents, and a page paying with one, as TypeScript sees them.
import { createExecuteIntent, createIntent, INTENT_HEADER, readIntent } from 'bdpay/server';
import type { IntentClaims } from 'bdpay/server';
import { GatewayClient, BillPayClient } from 'bdpay/clients';

const key = 'k'.repeat(40);
const intent: string = createIntent({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, ref_id: 'o-1', expiresIn: 600 }, key);
createIntent({ type: 'data', operator_code: 'GP', phone: '01712345678', package_id: 3, price: 149 }, key, { now: Date.now() });
const bill: string = createExecuteIntent({ request_id: 'r-1', total: '৳105.00' }, key);
const claims: IntentClaims | undefined = readIntent(intent);
const header: 'Bdpay-Intent' = INTENT_HEADER;
void [claims, header];

const gateway = new GatewayClient({ baseUrl: 'https://proxy.example' });
void gateway.request({ intent }).then((trx) => gateway.waitForFinal(trx)).then((t) => t.intent);
void gateway.status({ ref_id: 'o-1', intent });
void new BillPayClient({ baseUrl: 'https://proxy.example' }).execute({ request_id: 'r-1', intent: bill });

// @ts-expect-error a payment of no known type
createIntent({ type: 'refund', amount: 100 }, key);
// @ts-expect-error the key is text
createIntent({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100 }, 42);
