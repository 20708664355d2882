// The edge proxy for Cloudflare Workers (`bdpay/worker`): a checkout page
// calls this Worker instead of the gateway; the Rust proxy in the wasm checks
// each request with the browser's own validators and forwards it with the
// merchant's token. This file only moves bytes and must never log or answer
// the token, a header or a body.
//
// Payments pass only with the merchant's authorization: an intent signed by
// the merchant's server (`bdpay/server`, the `Bdpay-Intent` header) or the
// `authorize` hook; `Origin` only decides CORS.
//
// Workers only run wasm imported statically as a `WebAssembly.Module`.
import { DurableObject } from 'cloudflare:workers';
import wasmModule from './bdpay_worker_bg.wasm';
import { initSync, WasmProxy } from './bdpay_worker.js';
import { openBooks } from './ledger.js';
import { plain } from './plain.js';
import { send, streamCapped } from './send.js';
import { errorFrom, SAID, saying, thrownError, toJson } from './util.js';

initSync({ module: wasmModule });

/** Environment bindings → `createProxy` settings. */
const ENV = [
  ['upstreamUrl', 'BDPAY_UPSTREAM_URL'],
  ['walletUrl', 'BDPAY_WALLET_URL'],
  ['token', 'BDPAY_TOKEN'],
  ['walletToken', 'BDPAY_WALLET_TOKEN'],
  ['intentKey', 'BDPAY_INTENT_KEY'],
  ['intentKeyPrevious', 'BDPAY_INTENT_KEY_PREVIOUS'],
  ['walletPin', 'BDPAY_WALLET_PIN'],
  ['budgetPerHour', 'BDPAY_BUDGET_PER_HOUR'],
  ['budgetPerDay', 'BDPAY_BUDGET_PER_DAY'],
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

/** The Durable Object binding that, when present, holds each client's limits and the merchant's ceilings. */
const DURABLE_OBJECT_BINDING = 'BDPAY_PROXY';
/** The one object of that binding that counts the merchant's spending (no client key has this form). */
const BUDGET_OBJECT = 'bdpay budget';
/** The settings that are secrets: never in a log line or an answer. */
const SECRETS = ['token', 'walletToken', 'intentKey', 'intentKeyPrevious'];

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

/** The module's `invalid_proxy_config` error (every bad setting named, in both languages; never a value). */
function configError(thrown) {
  const e = thrownError(thrown);
  return e && Array.isArray(e.fieldErrors) ? errorFrom(e) : saying('proxy_failed', { kind: 'validation' });
}

/** A refusal body of the proxy's own, in the shape of crates/proxy/src/refusal.rs. */
function refusalBody(code) {
  const [message, messageBn] = SAID[code];
  return JSON.stringify({ status: false, message, message_bn: messageBn, code });
}

/** Text with every occurrence of the secrets replaced; control characters dropped (one log line stays one line). */
function redact(text, secrets) {
  let out = String(text);
  // One secret or a list of them (not `[secrets].flat()`: a new array on every log line).
  for (const secret of Array.isArray(secrets) ? secrets : [secrets]) {
    if (secret && (typeof secret !== 'string' || out.includes(secret))) out = out.split(secret).join('[redacted]');
  }
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function describe(thrown) {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return typeof thrown === 'string' ? thrown : Object.prototype.toString.call(thrown);
}

/** An unexpected failure: the same opaque answer whatever went wrong; the detail goes to the log. */
function opaqueFailure() {
  return new Response(refusalBody('proxy_failed'), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });
}

/** The Rust proxy's own 502 for an answer that held a token, with the CORS headers it gave. */
function withheld(out, secrets) {
  const headers = { 'content-type': 'application/json' };
  for (const name of ['access-control-allow-origin', 'access-control-expose-headers', 'vary']) {
    const value = out.headers?.[name];
    if (typeof value === 'string' && !secrets.some((s) => value.includes(s))) headers[name] = value;
  }
  return new Response(refusalBody('upstream_withheld'), { status: 502, headers });
}

/** Whether an answer's body or any header holds one of the secrets. */
function holds(out, secrets) {
  return secrets.some(
    (secret) =>
      String(out.body).includes(secret) ||
      Object.entries(out.headers ?? {}).some(([k, v]) => k.includes(secret) || String(v).includes(secret)),
  );
}

/** The body, or `undefined` once it is past `cap` bytes (declared or streamed): reading stops there. */
async function readCapped(request, cap) {
  if (request.body === null) return new Uint8Array(0);
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= cap)) {
    await request.body.cancel().catch(() => {});
    return undefined;
  }
  if (declared !== null && request.headers.get('content-encoding') === null) {
    // Within the cap as declared, and a body not encoded ends where its
    // Content-Length says: read whole by the runtime, in one call (a read
    // loop costs a turn of the event loop per chunk). Counted all the same.
    const body = new Uint8Array(await request.arrayBuffer());
    return body.byteLength <= cap ? body : undefined;
  }
  return streamCapped(request.body, cap);
}

/** The head of one of the wasm's answers (JSON text before the first line break) and the rest. */
function split(text) {
  const at = text.indexOf('\n');
  return [JSON.parse(text.slice(0, at)), text.slice(at + 1)];
}

/**
 * The request the wasm made (`{ method, url, headers, body? }`, the headers
 * with the token; `body: true` when it is the text after its answer's head)
 * with its body: what `send` takes.
 */
function upstream(request, body) {
  return { ...request, body: request.body === true ? body : undefined };
}

/**
 * The per-client key of an address: an IPv4 address as it is, an IPv6
 * address by its /48 (a site's whole allocation: counting single IPv6
 * addresses, or even /64s, would let one client take a fresh key per request).
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
    .slice(0, 3)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/48`;
}

/** Who is calling, for the per-client limits: Cloudflare's client IP (`CF-Connecting-IP`). */
function defaultClientKey(request) {
  return clientKeyOf(request.headers.get('cf-connecting-ip'));
}

/** The request's URL, or `undefined` when it has none that parses. */
function urlOf(request) {
  try {
    return new URL(request.url);
  } catch {
    return undefined;
  }
}

/** The path of a URL for a log line (no query), cut short. */
function logPath(url) {
  const path = url === undefined ? '?' : url.pathname;
  return path.length > LOG_PATH_CHARS ? `${path.slice(0, LOG_PATH_CHARS)}…` : path;
}

function safePath(request) {
  return logPath(urlOf(request));
}

/**
 * A proxy over one config: `{ fetch(request) }` → `Promise<Response>`. Throws
 * a `BdpayError` (kind `'validation'`, `fieldErrors`) for a bad config; the
 * error never holds a secret.
 *
 * Besides the Rust proxy's settings (`upstreamUrl`, `token`, `intentKey`,
 * `allowedOrigins`, …) it takes `authorize(request, payment)` (the
 * point-of-sale hook: only `true` allows a payment that came without an
 * intent), `clientKey(request)` (default: the `CF-Connecting-IP` header) and
 * `log(line)` (default: `console.log`), which gets one line per request:
 * method, path (no query), status, `forwarded` or `answered` (by the proxy
 * itself), milliseconds. With neither `intentKey` nor `authorize`, every
 * payment is refused, and one line at start-up says so.
 */
export function createProxy(config) {
  const { clientKey = defaultClientKey, log = (line) => console.log(line), authorize, reserve, release, ...settings } = config ?? {};
  const secrets = SECRETS.map((k) => settings[k]).filter((s) => typeof s === 'string' && s.length > 0);
  if (typeof authorize === 'function') settings.authorizeHook = true;
  let wasm;
  try {
    wasm = new WasmProxy(plain(settings));
  } catch (thrown) {
    throw configError(thrown);
  }
  if (!wasm.authorizesPayments()) {
    try {
      log('bdpay-proxy: payments are refused: set BDPAY_INTENT_KEY (payment intents from your server) or an authorize hook');
    } catch {
      // A failing logger must not stop the proxy.
    }
  }
  const cap = bodyCap(settings.maxBodyBytes);

  // Without a reserve hook, the wasm counts a payment against this proxy's
  // own ceilings as soon as nothing else is to be waited for.
  const reserveHere = typeof reserve !== 'function';

  async function fetch(request) {
    const started = Date.now();
    const parsed = urlOf(request);
    const path = logPath(parsed);
    const method = String(request.method).slice(0, 16);
    let status = 500;
    let forwarded = false;
    // The forward the wasm holds for this request, until it has its answer.
    let id;
    try {
      const url = parsed ?? new URL(request.url);
      const body = await readCapped(request, cap);
      const headers = request.headers;
      const target = url.pathname + url.search;
      const origin = headers.get('origin') ?? undefined;
      const contentType = headers.get('content-type') ?? undefined;
      const intent = headers.get('bdpay-intent') ?? undefined;
      const client = String(clientKey(request));
      const decide = (billersRead) =>
        wasm.decide(request.method, target, origin, contentType, intent, body, client, billersRead, reserveHere);
      // Each of the wasm's answers: a JSON head, a line break, the body.
      let [out, rest] = split(decide(false));
      if (out.billers === true) {
        // A summary is checked against its biller's schema: the list first.
        const got = await send(upstream(out.send, rest), out.timeoutMs);
        if (got.failed === undefined) wasm.storeBillers(got.status, got.contentType, got.text);
        [out, rest] = split(decide(true));
      }
      let upstreamText;
      if (out.forward !== undefined) {
        id = out.forward;
        const { send: outgoing, timeoutMs } = out;
        const upstreamBody = rest;
        let refusal;
        if (out.authorize !== undefined) {
          let allowed = false;
          try {
            allowed = typeof authorize === 'function' && (await authorize(request, out.authorize)) === true;
          } catch {
            allowed = false;
          }
          if (!allowed) refusal = wasm.refused(id);
        }
        if (refusal === undefined && out.reserve !== undefined) {
          refusal = reserveHere
            ? wasm.reserveHere(id)
            : // Its answer copied to plain data before wasm reads it (as every argument).
              wasm.reserved(id, await reserve(out.reserve).then((a) => (typeof a === 'string' ? a : plain(a))));
        }
        let answer;
        if (refusal !== undefined) {
          answer = refusal;
        } else {
          const got = await send(upstream(outgoing, upstreamBody), timeoutMs);
          if (got.failed === undefined) {
            upstreamText = got.text;
            answer = wasm.finish(id, got.status, got.contentType, got.retryAfter, got.text);
          } else {
            answer = wasm.failed(id, got.failed, got.status ?? 0);
          }
        }
        id = undefined;
        [out, rest] = split(answer);
        if (out.release !== undefined && typeof release === 'function') {
          // The upstream refused the payment before committing it: the
          // hook's ceilings (a Durable Object's) give its reservation back.
          try {
            await release(out.release);
          } catch (thrown) {
            console.error(redact(`bdpay-proxy ${method} ${path}: a reservation was not given back: ${describe(thrown)}`, secrets));
          }
        }
      }
      // `{ status, headers, forwarded, same? }`; the body is the upstream's as read when `same`.
      out.body = out.same === true ? upstreamText : rest;
      if (holds(out, secrets)) {
        // The Rust proxy withholds bodies that hold a token; this is the last
        // line before the wire, so headers are checked here too.
        console.error(redact(`bdpay-proxy ${method} ${path}: the answer held a secret and was withheld`, secrets));
        status = 502;
        forwarded = out.forwarded === true;
        return withheld(out, secrets);
      }
      const response = new Response(NULL_BODY_STATUS.has(out.status) || out.body === '' ? null : out.body, {
        status: out.status,
        headers: out.headers,
      });
      status = out.status;
      forwarded = out.forwarded === true;
      return response;
    } catch (thrown) {
      if (id !== undefined) wasm.release(id);
      status = 500;
      console.error(redact(`bdpay-proxy ${method} ${path} failed: ${describe(thrown)}`, secrets));
      return opaqueFailure();
    } finally {
      const line = `bdpay-proxy ${method} ${path} ${status} ${forwarded ? 'forwarded' : 'answered'} ${Date.now() - started}ms`;
      try {
        log(redact(line, secrets));
      } catch {
        // A failing logger must not fail the request.
      }
    }
  }

  return Object.freeze({
    fetch,
    /** Counts `spend` (decimal text) against this proxy's own ceilings: `null`, or the JSON text of the ceiling reached. */
    reserveSpend: (spend) => wasm.reserveSpend(String(spend)) ?? null,
    /** Gives back a reservation of `spend` (decimal text): the upstream refused that payment before committing it. */
    releaseSpend: (spend) => wasm.releaseSpend(String(spend)),
    /** Counts `spend` (decimal text) reserved at `at` (ms) in an earlier life of these ceilings, oldest first. */
    seedSpend: (spend, at) => wasm.seedSpend(String(spend), Number(at)),
  });
}

/**
 * The `reserve` and `release` hooks over the merchant's ceilings held in one
 * Durable Object, when the binding exists.
 */
function budgetHooks(env) {
  const ns = env?.[DURABLE_OBJECT_BINDING];
  if (!ns || typeof ns.idFromName !== 'function') return {};
  const budget = () => ns.get(ns.idFromName(BUDGET_OBJECT));
  return { reserve: (spend) => budget().reserve(spend), release: (spend) => budget().release(spend) };
}

/**
 * A proxy built from bindings, rebuilt only when they change: its per-client
 * windows live as long as its holder (the isolate, or a Durable Object).
 */
function proxyHolder() {
  let held = { key: undefined, proxy: undefined, bindings: undefined };
  return (env) => {
    // Every binding it reads the very same text as last time: the same
    // config, so the same proxy, without the config made and compared again.
    if (held.bindings !== undefined && sameBindings(env, held.bindings)) return held.proxy;
    const config = configFromEnv(env);
    const key = toJson(config);
    if (held.key !== key) held = { key, proxy: createProxy({ ...config, ...budgetHooks(env) }) };
    held.bindings = plainBindings(env);
    return held.proxy;
  };
}

/** The values of the bindings `configFromEnv` reads, when none is an object (which could change inside); else `undefined`. */
function plainBindings(env) {
  const values = ENV.map(([, name]) => env?.[name]);
  return values.some((v) => typeof v === 'object' && v !== null) ? undefined : values;
}

/** Whether each binding `configFromEnv` reads is what `values` holds (`===`). */
function sameBindings(env, values) {
  for (let i = 0; i < ENV.length; i += 1) if (env?.[ENV[i][1]] !== values[i]) return false;
  return true;
}

/**
 * What is wrong with the bindings, each setting by its binding's name
 * (`BDPAY_TOKEN: token is required`), a secret with where to set it; the
 * error's own words for anything else.
 */
function bindingProblems(thrown) {
  const e = thrownError(thrown);
  if (!e || !Array.isArray(e.fieldErrors) || e.fieldErrors.length === 0) return describe(thrown);
  const problems = e.fieldErrors.map(({ field, message }) => {
    const key = String(field).split(/[.[]/)[0];
    const binding = ENV.find(([k]) => k === key)?.[1];
    if (!binding) return `${field}: ${message}`;
    const where = SECRETS.includes(key)
      ? ` (a secret: \`npx wrangler secret put ${binding}\`; for \`wrangler dev\`, a line ${binding}=… in .dev.vars)`
      : '';
    return `${binding}: ${message}${where}`;
  });
  return `the Worker's bindings are refused: ${problems.join('; ')}`;
}

const isolateProxy = proxyHolder();

async function serveFromEnv(request, env, proxyFor = isolateProxy) {
  let proxy;
  try {
    proxy = proxyFor(env);
  } catch (thrown) {
    // The message names the bad settings by their bindings, never their values.
    console.error(redact(`bdpay-proxy config: ${bindingProblems(thrown)}`, SECRETS.map((k) => configFromEnv(env)[k])));
    console.log(`bdpay-proxy ${String(request.method).slice(0, 16)} ${safePath(request)} 500 answered 0ms`);
    return opaqueFailure();
  }
  return proxy.fetch(request);
}

/**
 * The Durable Object of the proxy. One object per client (named after its
 * key, `idFromName(CF-Connecting-IP)`) runs the whole proxy, so every
 * isolate and location counts against the same per-client window; one more
 * object counts the merchant's spending against the ceilings
 * (`BDPAY_BUDGET_*`), for every client at once, through `reserve`, and keeps
 * it in its SQLite storage (ledger.js) when the class has one. Bind it as
 * `BDPAY_PROXY`.
 */
export class BdpayProxy extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.env = env;
    this.proxyFor = proxyHolder();
    // Only the ceilings' object writes to them; opening them migrates the schema.
    this.storage = ctx.storage;
  }

  fetch(request) {
    return serveFromEnv(request, this.env, this.proxyFor);
  }

  /** Counts a payment's spend (decimal text): `null`, or the JSON text of the ceiling reached. */
  reserve(spend) {
    const counts = this.budget();
    const reached = counts.reserveSpend(spend);
    if (reached === null && this.limited) this.books?.spent(String(spend), Date.now());
    return reached;
  }

  /** Gives back a reservation of `spend` (decimal text): the upstream refused that payment before committing it. */
  release(spend) {
    this.budget().releaseSpend(spend);
    if (this.limited) this.books?.givenBack(String(spend));
  }

  /**
   * Its own proxy, without the hooks: this object is the count, seeded from
   * its books (the spends of the last day) whenever it is made.
   */
  budget() {
    const config = configFromEnv(this.env);
    if (!this.counts || this.countsKey !== toJson(config)) {
      this.books ??= openBooks(this.storage);
      const counts = createProxy({ ...config, log: () => {} });
      for (const { spend, at } of this.books?.spends(Date.now()) ?? []) counts.seedSpend(spend, at);
      this.counts = counts;
      this.countsKey = toJson(config);
      this.limited = config.budgetPerHour !== undefined || config.budgetPerDay !== undefined;
    }
    return this.counts;
  }
}

function durableObjectFor(request, env) {
  const ns = env?.[DURABLE_OBJECT_BINDING];
  if (!ns || typeof ns.idFromName !== 'function') return undefined;
  return ns.get(ns.idFromName(defaultClientKey(request)));
}

/**
 * The Worker: no code of the merchant's, configured by bindings
 * (`BDPAY_UPSTREAM_URL`, `BDPAY_TOKEN` and `BDPAY_INTENT_KEY` as secrets,
 * `BDPAY_ALLOWED_ORIGINS`, …). With a `BDPAY_PROXY` Durable Object binding,
 * each client's requests go through that client's object.
 */
export default {
  async fetch(request, env) {
    // Only for a log line on failure: read then, not on every request.
    const secrets = () => SECRETS.map((k) => configFromEnv(env)[k]);
    let stub;
    try {
      stub = durableObjectFor(request, env);
    } catch (thrown) {
      console.error(redact(`bdpay-proxy durable object: ${describe(thrown)}`, secrets()));
      return opaqueFailure();
    }
    if (stub) {
      try {
        return await stub.fetch(request);
      } catch (thrown) {
        console.error(redact(`bdpay-proxy durable object: ${describe(thrown)}`, secrets()));
        return opaqueFailure();
      }
    }
    return serveFromEnv(request, env);
  },
};
