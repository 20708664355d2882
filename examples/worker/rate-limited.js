// A Worker of your own: bdpay's proxy behind Workers' rate-limiting binding
// (PAYMENT_LIMIT), which counts each client's payments across isolates (per
// Cloudflare location). Use it as `main` instead of index.js, with:
//
//   [[ratelimits]]
//   name = "PAYMENT_LIMIT"
//   namespace_id = "1001"
//   simple = { limit = 10, period = 60 }
import { clientKeyOf, configFromEnv, createProxy } from 'bdpay/worker';

const PAYMENTS = new Set(['/api/gateway/v1/request', '/api/v1/private/wallet/utility-bill-pay/execute']);
let proxy;

export default {
  async fetch(request, env) {
    proxy ??= createProxy(configFromEnv(env));
    if (request.method === 'POST' && PAYMENTS.has(new URL(request.url).pathname)) {
      const { success } = await env.PAYMENT_LIMIT.limit({ key: clientKeyOf(request.headers.get('cf-connecting-ip')) });
      if (!success) return tooMany(request, env);
    }
    return proxy.fetch(request);
  },
};

/** The proxy's own 429 shape, readable by an allowed page. */
function tooMany(request, env) {
  const origin = request.headers.get('origin');
  const allowed = String(env.BDPAY_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim());
  const headers = { 'content-type': 'application/json', 'retry-after': '60' };
  if (origin && allowed.includes(origin)) Object.assign(headers, { 'access-control-allow-origin': origin, vary: 'Origin' });
  return new Response(JSON.stringify({ status: false, message: 'Too Many Attempts.' }), { status: 429, headers });
}
