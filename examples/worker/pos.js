// A point-of-sale Worker: a reseller's staff, logged in to the merchant's own
// app behind Cloudflare Access, pay without payment intents. The proxy's
// `authorize` hook allows a payment only with a valid Access JWT (RS256,
// checked with WebCrypto against the team's published keys), for the app's
// audience, unexpired, and within the operator's own cap. Use it as `main`
// instead of index.js, with two more variables:
//
//   BDPAY_ACCESS_TEAM_URL = "https://your-team.cloudflareaccess.com"
//   BDPAY_ACCESS_AUD = "<the Access application's audience tag>"
//
// The operator may type the wallet PIN here; BDPAY_WALLET_PIN is used when not.
import { configFromEnv, createProxy } from 'bdpay/worker';

/** The most one operator may pay in one payment, in taka. */
const OPERATOR_CAP = 2000;
/** How long the team's public keys are kept before they are fetched again. */
const KEYS_TTL_MS = 10 * 60 * 1000;

let proxy;
let keys = { at: 0, byKid: new Map() };

const utf8 = new TextDecoder();

function base64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function teamKeys(teamUrl) {
  if (Date.now() - keys.at < KEYS_TTL_MS) return keys.byKid;
  const res = await fetch(`${teamUrl}/cdn-cgi/access/certs`, { redirect: 'manual' });
  if (!res.ok) throw new Error(`Access certs: ${res.status}`);
  const byKid = new Map();
  for (const jwk of (await res.json()).keys ?? []) {
    if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
    const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    byKid.set(jwk.kid, key);
  }
  keys = { at: Date.now(), byKid };
  return byKid;
}

/** The claims of a valid Access JWT for `audience`, or `undefined`. */
export async function verifyAccessJwt(token, { teamUrl, audience, now = Date.now() }) {
  const parts = String(token ?? '').split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(utf8.decode(base64url(parts[0])));
    const claims = JSON.parse(utf8.decode(base64url(parts[1])));
    if (header.alg !== 'RS256') return undefined;
    const key = (await teamKeys(teamUrl)).get(header.kid);
    if (!key) return undefined;
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    if (!(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, base64url(parts[2]), signed))) return undefined;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const seconds = now / 1000;
    if (!aud.includes(audience) || claims.iss !== teamUrl) return undefined;
    if (!(claims.exp > seconds) || (claims.nbf !== undefined && claims.nbf > seconds + 60)) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

export default {
  async fetch(request, env) {
    proxy ??= createProxy({
      ...configFromEnv(env),
      async authorize(req, payment) {
        const claims = await verifyAccessJwt(req.headers.get('cf-access-jwt-assertion'), {
          teamUrl: env.BDPAY_ACCESS_TEAM_URL,
          audience: env.BDPAY_ACCESS_AUD,
        });
        if (!claims?.email) return false;
        if (payment.operation === 'status') return true;
        return Number(payment.payment?.amount ?? 0) <= OPERATOR_CAP;
      },
    });
    return proxy.fetch(request);
  },
};
