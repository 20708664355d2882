// A merchant's own Worker over createProxy, and the default Worker's types.
import worker, { BdpayProxy, clientKeyOf, configFromEnv, createProxy } from 'bdpay/worker';
import type { EdgeProxy, ProxyConfig, ProxyEnv } from 'bdpay/worker';
import { BdpayError } from 'bdpay';

const env: ProxyEnv = { BDPAY_UPSTREAM_URL: 'https://gateway.example.com', BDPAY_TOKEN: 'secret' };

const config: ProxyConfig = {
  upstreamUrl: 'https://gateway.example.com',
  token: env.BDPAY_TOKEN,
  allowedOrigins: ['https://shop.example.com'],
  operations: ['packages', 'request', 'status'],
  maxAmount: '2000.00',
  clientPaymentsPerMinute: 5,
  validator: { limits: { recharge: { max: 1000 } } },
  clientKey: (request) => clientKeyOf(request.headers.get('cf-connecting-ip')),
  log: (line) => console.log(line),
};

let proxy: EdgeProxy | undefined;
try {
  proxy = createProxy({ ...configFromEnv(env), ...config });
} catch (e) {
  if (e instanceof BdpayError) console.log(e.fieldErrors.map((f) => f.field));
}

export default {
  async fetch(request: Request, env: ProxyEnv): Promise<Response> {
    if (new URL(request.url).pathname === '/health') return new Response('ok');
    return proxy ? proxy.fetch(request) : worker.fetch(request, env);
  },
};
export { BdpayProxy };

const object = new BdpayProxy({}, env);
const answered: Promise<Response> = object.fetch(new Request('https://proxy.example/'));
void answered;

// @ts-expect-error an operation that does not exist
createProxy({ upstreamUrl: 'https://gateway.example.com', token: 't', operations: ['refund'] });
// @ts-expect-error the token is required
createProxy({ upstreamUrl: 'https://gateway.example.com' });
// @ts-expect-error the default Worker needs its bindings
worker.fetch(new Request('https://proxy.example/'), {});

// Intents and the point-of-sale hook.
createProxy({
  ...config,
  intentKey: 'k'.repeat(40),
  intentKeyPrevious: 'p'.repeat(40),
  walletToken: 'w',
  walletPin: '1234',
  budgetPerHour: 20000,
  budgetPerDay: '100000',
  authorize: async (request, payment) => payment.operation === 'request' && request.headers.has('cf-access-jwt-assertion'),
});
// @ts-expect-error the hook answers a boolean
createProxy({ ...config, authorize: () => 'yes' });
