// The edge proxy for Cloudflare Workers (`bdpay/worker`): a checkout page
// calls this Worker instead of the gateway; the Rust proxy in the wasm checks
// each request with the browser's own validators and forwards it with the
// merchant's token. This file only moves bytes and must never log or answer
// the token, a header or a body.
//
// Workers only run wasm imported statically as a `WebAssembly.Module`.
import wasmModule from './bdpay_bg.wasm';
import { initSync, WasmProxy } from './bdpay.js';
import { BdpayError, toJson } from './util.js';

initSync({ module: wasmModule });

/** Environment bindings → `createProxy` settings. */
const ENV = [
  ['upstreamUrl', 'BDPAY_UPSTREAM_URL'],
  ['walletUrl', 'BDPAY_WALLET_URL'],
  ['token', 'BDPAY_TOKEN'],
  ['allowedOrigins', 'BDPAY_ALLOWED_ORIGINS'],
  ['operations', 'BDPAY_OPERATIONS'],
  ['maxAmount', 'BDPAY_MAX_AMOUNT'],
  ['maxBodyBytes', 'BDPAY_MAX_BODY_BYTES'],
  ['clientReadsPerMinute', 'BDPAY_CLIENT_READS_PER_MINUTE'],
  ['clientPaymentsPerMinute', 'BDPAY_CLIENT_PAYMENTS_PER_MINUTE'],
  ['upstreamTimeoutMs', 'BDPAY_UPSTREAM_TIMEOUT_MS'],
  ['validator', 'BDPAY_VALIDATOR'],
  ['allowInsecureHttp', 'BDPAY_ALLOW_INSECURE_HTTP'],
];

/** The Durable Object binding that, when present, holds each client's limits. */
const DURABLE_OBJECT_BINDING = 'BDPAY_PROXY';

// Settings the Worker itself uses; the rest go to the Rust proxy.
const DEFAULT_BODY_CAP = 8 * 1024;
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const LOG_PATH_CHARS = 120;

/**
 * `createProxy` settings from a Worker's `env`. Plain-text variables are
 * taken as they are (`BDPAY_ALLOWED_ORIGINS` may be comma-separated);
 * `BDPAY_VALIDATOR` may be JSON text; `BDPAY_ALLOW_INSECURE_HTTP` is
 * `"true"`/`"1"` or a boolean.
 */
export function configFromEnv(env) {
  const config = {};
  for (const [key, name] of ENV) {
    const value = env?.[name];
    if (value !== undefined && value !== null && value !== '') config[key] = value;
  }
  if (typeof config.validator === 'string') {
    try {
      config.validator = JSON.parse(config.validator);
    } catch {
      // Left as text: the Rust config check refuses it by name.
    }
  }
  if (config.allowInsecureHttp !== undefined) {
    config.allowInsecureHttp = config.allowInsecureHttp === true || /^(true|1)$/i.test(String(config.allowInsecureHttp));
  }
  return config;
}

/** The body cap the Rust proxy applies (same default and clamp), so reading stops there. */
function bodyCap(value) {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(n) || n < 0) return DEFAULT_BODY_CAP;
  return Math.min(Math.max(Math.floor(n), 256), 1 << 20);
}

function configError(thrown) {
  let e;
  try {
    e = typeof thrown === 'string' ? JSON.parse(thrown) : undefined;
  } catch {
    e = undefined;
  }
  if (!e || !Array.isArray(e.fieldErrors)) return new BdpayError('Invalid proxy config.', { kind: 'validation' });
  const detail = e.fieldErrors.map((f) => `${f.field || 'config'}: ${f.message}`).join('; ');
  return new BdpayError(`Invalid proxy config: ${detail}`, {
    kind: 'validation',
    fieldErrors: e.fieldErrors,
    messages: e.fieldErrors.map((f) => f.message),
  });
}

/** Text with every occurrence of the secret replaced; control characters dropped (one log line stays one line). */
function redact(text, secret) {
  let out = String(text);
  if (secret) out = out.split(secret).join('[redacted]');
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function describe(thrown) {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return typeof thrown === 'string' ? thrown : Object.prototype.toString.call(thrown);
}

/** An unexpected failure: the same opaque answer whatever went wrong; the detail goes to the log. */
function opaqueFailure() {
  return new Response(JSON.stringify({ status: false, message: 'The proxy failed.' }), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });
}

/** The Rust proxy's own 502 for an answer that held the token, with the CORS headers it gave. */
function withheld(out, secret) {
  const headers = { 'content-type': 'application/json' };
  for (const name of ['access-control-allow-origin', 'access-control-expose-headers', 'vary']) {
    const value = out.headers?.[name];
    if (typeof value === 'string' && !value.includes(secret)) headers[name] = value;
  }
  return new Response(JSON.stringify({ status: false, message: 'The upstream answer was withheld.' }), { status: 502, headers });
}

/** Whether an answer's body or any header holds the secret. */
function holds(out, secret) {
  if (!secret) return false;
  if (String(out.body).includes(secret)) return true;
  return Object.entries(out.headers ?? {}).some(([k, v]) => k.includes(secret) || String(v).includes(secret));
}

/** The body, or `undefined` once it is past `cap` bytes (declared or streamed): reading stops there. */
async function readCapped(request, cap) {
  if (request.body === null) return new Uint8Array(0);
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= cap)) {
    await request.body.cancel().catch(() => {});
    return undefined;
  }
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/**
 * The per-client key of an address: an IPv4 address as it is, an IPv6
 * address by its /64 (one subscriber's whole network: counting single IPv6
 * addresses would let one client take a fresh key per request).
 */
export function clientKeyOf(ip) {
  const text = String(ip ?? '').trim();
  if (!text.includes(':')) return text || 'unknown-client';
  const parts = text.split('::');
  if (parts.length > 2) return text;
  const groups = (s) => (s ? s.split(':') : []);
  const [head, tail] = [groups(parts[0]), groups(parts[1])];
  const last = tail.length ? tail[tail.length - 1] : head[head.length - 1];
  // IPv4-mapped (`::ffff:192.0.2.1`): the IPv4 address is the client.
  if (last && last.includes('.')) return last;
  const all = parts.length === 2 ? [...head, ...Array(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head;
  return `${all
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/** Who is calling, for the per-client limits: Cloudflare's client IP (`CF-Connecting-IP`). */
function defaultClientKey(request) {
  return clientKeyOf(request.headers.get('cf-connecting-ip'));
}

function safePath(request) {
  let path;
  try {
    path = new URL(request.url).pathname;
  } catch {
    path = '?';
  }
  return path.length > LOG_PATH_CHARS ? `${path.slice(0, LOG_PATH_CHARS)}…` : path;
}

/**
 * A proxy over one config: `{ fetch(request) }` → `Promise<Response>`. Throws
 * a `BdpayError` (kind `'validation'`, `fieldErrors`) for a bad config; the
 * error never holds the token.
 *
 * Besides the Rust proxy's settings (`upstreamUrl`, `token`, `allowedOrigins`,
 * …) it takes `clientKey(request)` (default: the `CF-Connecting-IP` header)
 * and `log(line)` (default: `console.log`), which gets one line per request:
 * method, path (no query), status, `forwarded` or `answered` (by the proxy
 * itself), milliseconds.
 */
export function createProxy(config) {
  const { clientKey = defaultClientKey, log = (line) => console.log(line), ...settings } = config ?? {};
  const secret = typeof settings.token === 'string' ? settings.token : '';
  let wasm;
  try {
    wasm = new WasmProxy(toJson(settings));
  } catch (thrown) {
    throw configError(thrown);
  }
  const cap = bodyCap(settings.maxBodyBytes);

  async function fetch(request) {
    const started = Date.now();
    const path = safePath(request);
    const method = String(request.method).slice(0, 16);
    let status = 500;
    let forwarded = false;
    try {
      const url = new URL(request.url);
      const body = await readCapped(request, cap);
      const text = await wasm.handle(
        request.method,
        url.pathname + url.search,
        request.headers.get('origin') ?? undefined,
        request.headers.get('content-type') ?? undefined,
        body,
        String(clientKey(request)),
      );
      const out = JSON.parse(text);
      if (holds(out, secret)) {
        // The Rust proxy withholds bodies that hold the token; this is the last
        // line before the wire, so headers are checked here too.
        console.error(redact(`bdpay-proxy ${method} ${path}: the answer held the token and was withheld`, secret));
        status = 502;
        forwarded = out.forwarded === true;
        return withheld(out, secret);
      }
      const response = new Response(NULL_BODY_STATUS.has(out.status) || out.body === '' ? null : out.body, {
        status: out.status,
        headers: out.headers,
      });
      status = out.status;
      forwarded = out.forwarded === true;
      return response;
    } catch (thrown) {
      status = 500;
      console.error(redact(`bdpay-proxy ${method} ${path} failed: ${describe(thrown)}`, secret));
      return opaqueFailure();
    } finally {
      const line = `bdpay-proxy ${method} ${path} ${status} ${forwarded ? 'forwarded' : 'answered'} ${Date.now() - started}ms`;
      try {
        log(redact(line, secret));
      } catch {
        // A failing logger must not fail the request.
      }
    }
  }

  return Object.freeze({ fetch });
}

/**
 * A proxy built from bindings, rebuilt only when they change: its per-client
 * windows live as long as its holder (the isolate, or a Durable Object).
 */
function proxyHolder() {
  let held = { key: undefined, proxy: undefined };
  return (env) => {
    const config = configFromEnv(env);
    const key = toJson(config);
    if (held.key !== key) held = { key, proxy: createProxy(config) };
    return held.proxy;
  };
}

const isolateProxy = proxyHolder();

async function serveFromEnv(request, env, proxyFor = isolateProxy) {
  let proxy;
  try {
    proxy = proxyFor(env);
  } catch (thrown) {
    // The message names the bad settings, never their values.
    console.error(redact(`bdpay-proxy config: ${describe(thrown)}`, env?.BDPAY_TOKEN));
    console.log(`bdpay-proxy ${String(request.method).slice(0, 16)} ${safePath(request)} 500 answered 0ms`);
    return opaqueFailure();
  }
  return proxy.fetch(request);
}

/**
 * The per-client limits of one client, held in one Durable Object named after
 * it (`idFromName(CF-Connecting-IP)`), so that every isolate and every
 * location counts against the same window. It runs the whole proxy, built
 * from the same bindings as the Worker. Bind it as `BDPAY_PROXY`.
 */
export class BdpayProxy {
  constructor(state, env) {
    this.env = env;
    this.proxyFor = proxyHolder();
  }

  fetch(request) {
    return serveFromEnv(request, this.env, this.proxyFor);
  }
}

function durableObjectFor(request, env) {
  const ns = env?.[DURABLE_OBJECT_BINDING];
  if (!ns || typeof ns.idFromName !== 'function') return undefined;
  return ns.get(ns.idFromName(defaultClientKey(request)));
}

/**
 * The Worker: no code of the merchant's, configured by bindings
 * (`BDPAY_UPSTREAM_URL`, `BDPAY_TOKEN` as a secret, `BDPAY_ALLOWED_ORIGINS`, …).
 * With a `BDPAY_PROXY` Durable Object binding, each client's requests go
 * through that client's object.
 */
export default {
  async fetch(request, env) {
    let stub;
    try {
      stub = durableObjectFor(request, env);
    } catch (thrown) {
      console.error(redact(`bdpay-proxy durable object: ${describe(thrown)}`, env?.BDPAY_TOKEN));
      return opaqueFailure();
    }
    if (stub) {
      try {
        return await stub.fetch(request);
      } catch (thrown) {
        console.error(redact(`bdpay-proxy durable object: ${describe(thrown)}`, env?.BDPAY_TOKEN));
        return opaqueFailure();
      }
    }
    return serveFromEnv(request, env);
  },
};
