// Types of `bdpay/worker`, the Cloudflare Workers proxy; the shapes live in index.d.ts.
import type { EdgeProxy, ProxyConfig, ProxyEnv } from './index.js';

export type {
  EdgeProxy,
  ProxyConfig,
  ProxyDurableObjectNamespace,
  ProxyEnv,
  ProxyOperation,
  ProxyPayment,
} from './index.js';

/** A proxy over one config. Throws `BdpayError` (kind `'validation'`) for a bad config; the error never holds the token. */
export function createProxy(config: ProxyConfig): EdgeProxy;

/** `ProxyConfig` from the Worker's bindings (`BDPAY_UPSTREAM_URL`, `BDPAY_TOKEN`, …). */
export function configFromEnv(env: Partial<ProxyEnv>): Partial<ProxyConfig>;

/** The per-client key of an address: IPv4 as it is, IPv6 by its /48. */
export function clientKeyOf(ip: string | null | undefined): string;

/** The optional Durable Object holding each client's limits and the merchant's ceilings; bind it as `BDPAY_PROXY`. */
export class BdpayProxy {
  constructor(state: unknown, env: ProxyEnv);
  fetch(request: Request): Promise<Response>;
  /** Counts a payment's spend (decimal text): `null`, or the JSON text of the ceiling reached. */
  reserve(spend: string): string | null;
  /** Gives back a reservation of `spend` (decimal text): the upstream refused that payment before committing it. */
  release(spend: string): void;
}

/** The Worker, configured by bindings alone. */
declare const worker: {
  fetch(request: Request, env: ProxyEnv, ctx?: unknown): Promise<Response>;
};
export default worker;
