// The whole Worker: bdpay's proxy, configured by the bindings in wrangler.toml.
// BdpayProxy is the optional Durable Object that holds per-client limits.
export { default, BdpayProxy } from 'bdpay/worker';
