// What the proxy tests share: the example Worker run by miniflare (workerd)
// on a loopback port, a counting tap in front of the sandbox, the sandbox's
// admin calls, and a record of every answer and log line the proxy gave, so
// that each test file can check that none of them holds a token.
import assert from 'node:assert/strict';
import http from 'node:http';

import { createIntent } from 'bdpay/server';
import { Miniflare } from 'miniflare';

import { stdioLines, workerModules } from '../../demo/workerd.mjs';

export { EXAMPLE, exampleVars, resolveWorker, root } from '../../demo/workerd.mjs';

/** Every answer the proxy gave and every line it logged, for the token check. */
export class Record {
  constructor() {
    this.answers = [];
    this.logs = [];
  }

  async answer(response, where) {
    const body = await response.clone().text();
    this.answers.push({ where, status: response.status, headers: [...response.headers], body });
    return body;
  }

  /** Each log line, from the runtime's stdout and stderr. */
  stdio(stdout, stderr) {
    stdioLines((l) => this.logs.push(l))(stdout, stderr);
  }

  /** Proxy log lines (`bdpay-proxy …`). */
  proxyLines() {
    return this.logs.filter((l) => l.includes('bdpay-proxy'));
  }

  /** Fails if any answer (status line, header, body) or log line holds any of the secrets. */
  assertNothingHolds(secrets) {
    for (const s of secrets) assert.ok(typeof s === 'string' && s.length >= 8, 'a real secret to look for');
    for (const a of this.answers) {
      const text = [a.where, a.status, ...a.headers.flat(), a.body].join('\n');
      for (const s of secrets) assert.ok(!text.includes(s), `an answer holds a token: ${a.where} ${a.status}`);
    }
    for (const line of this.logs) {
      for (const s of secrets) assert.ok(!line.includes(s), 'a log line holds a token');
    }
  }
}

/**
 * The example Worker in workerd on 127.0.0.1 (a free port): `{ url, fetch, stop }`.
 * `bindings` are the Worker's environment; `durableObjects` and `ratelimits`
 * as miniflare takes them; `main` another file of examples/worker as the
 * entry, or `script` the entry's text; `persist` a folder that keeps the
 * Durable Objects' storage from one start to the next (as a restart or an
 * eviction in Workers).
 */
export async function startProxy(record, { bindings, durableObjects, ratelimits, workers, main: entry, script, persist } = {}) {
  const { modules, modulesRoot } = workerModules(entry, script);
  const main = {
    name: 'proxy',
    modules,
    modulesRoot,
    compatibilityDate: '2026-04-01',
    bindings,
    durableObjects,
    ratelimits,
  };
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    handleRuntimeStdio: (stdout, stderr) => record.stdio(stdout, stderr),
    durableObjectsPersist: persist,
    workers: [main, ...(workers ?? []).map((w) => ({ ...main, ...w, modules, modulesRoot }))],
  });
  const url = String(await mf.ready).replace(/\/$/, '');
  return {
    url,
    mf,
    /** A call to the proxy whose answer goes into the record. */
    fetch: async (target, init = {}) => {
      const res = await fetch(url + target, init);
      await record.answer(res, `${init.method ?? 'GET'} ${target}`);
      return res;
    },
    stop: () => mf.dispose(),
  };
}

/**
 * A counting pass-through in front of the sandbox: every call the proxy
 * sends upstream is listed (method, path, whether it carried the expected
 * `Authorization`, its body). When the sandbox closes a connection
 * unanswered, the tap closes the proxy's the same way.
 */
export async function startTap(target, expectedToken) {
  const calls = [];
  let echo = undefined;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const auth = req.headers.authorization;
      calls.push({
        method: req.method,
        path: req.url.split('?')[0],
        query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
        authorized: auth === `Bearer ${expectedToken}`,
        body: body.toString('utf8'),
      });
      if (echo) {
        // A misbehaving upstream that repeats the Authorization header back.
        const where = echo;
        echo = undefined;
        const headers = { 'content-type': where === 'header' ? `application/json; x=${auth}` : 'application/json' };
        res.writeHead(200, headers);
        res.end(where === 'body' ? JSON.stringify({ status: true, echo: auth }) : '{"status":true}');
        return;
      }
      const up = http.request(
        new URL(req.url, target),
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (upRes) => {
          res.writeHead(upRes.statusCode, upRes.headers);
          upRes.pipe(res);
          upRes.on('error', () => res.destroy());
        },
      );
      up.on('error', () => res.socket?.destroy());
      up.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** The next call is answered by the tap itself, repeating the token in the `body` or a `header`. */
    echoNext: (where) => {
      echo = where;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export { sandboxAdmin } from '../clients/admin.mjs';

/**
 * `unseen(call)`: runs `call` and fails unless nothing of it reached the
 * upstream (the tap `tapOf()` saw no call) and the sandbox holds no new
 * transaction (`held()` is unchanged). Its answer is returned.
 */
export function unseenBy(tapOf, held) {
  return async (call) => {
    const tap = tapOf();
    const calls = tap.calls.length;
    const before = await held();
    const res = await call();
    assert.equal(tap.calls.length, calls, `the upstream saw nothing (saw ${JSON.stringify(tap.calls.slice(calls))})`);
    assert.equal(await held(), before, 'the sandbox holds no new transaction');
    return res;
  };
}

/**
 * A `fetch` as a page on `origin` has it: calls to the proxy carry the
 * Origin header, their answers go into `record`, and one without the
 * matching Access-Control-Allow-Origin fails as in a browser. Other calls
 * go out unchanged through `realFetch`.
 */
export function pageFetch(realFetch, proxyUrl, origin, record) {
  return async (input, init = {}) => {
    const url = String(input?.url ?? input);
    if (!url.startsWith(proxyUrl)) return realFetch(input, init);
    // The package's send calls fetch(url, init); a page may pass a
    // Request: the headers and method are in whichever was given.
    const headers = new Headers(init.headers ?? input?.headers);
    headers.set('origin', origin);
    const res = await realFetch(input, { ...init, headers });
    await record.answer(res, `${init.method ?? input?.method ?? 'GET'} ${new URL(url).pathname}`);
    if (res.headers.get('access-control-allow-origin') !== origin) {
      throw new TypeError(`Failed to fetch: no CORS permission for ${origin} (${res.status})`);
    }
    return res;
  };
}

export const PATHS = {
  balance: '/api/gateway/v1/balance',
  packages: '/api/gateway/v1/packages',
  request: '/api/gateway/v1/request',
  status: '/api/gateway/v1/status',
  billers: '/api/v1/private/wallet/utility/billers',
  summary: '/api/v1/private/wallet/utility-bill-pay/summary',
  execute: '/api/v1/private/wallet/utility-bill-pay/execute',
  histories: '/api/v1/private/wallet/utility-bill-pay/histories',
  beneficiaries: '/api/v1/private/wallet/utility-bill-pay/beneficiaries',
};

let clients = 0;
/** A fresh client address (TEST-NET-2), so that calls share no per-client window unless they say so. */
export function freshIp() {
  clients += 1;
  return `198.51.${100 + Math.floor(clients / 250)}.${(clients % 250) + 1}`;
}

/** The merchant's intent key of the proxy tests (a secret: no answer or log may hold it). */
export const INTENT_KEY = 'test-merchant-intent-key-0123456789abcdefghij';

/** An intent for `payment`, signed as the merchant's server would (bdpay/server). */
export function intentFor(payment, key = INTENT_KEY, options = undefined) {
  return createIntent(payment, key, options);
}

/** A JSON POST's init, from a page at `origin` (none: server-to-server), a client address and an intent. */
export function post(body, { origin, ip = freshIp(), type = 'application/json', headers = {}, intent } = {}) {
  return {
    method: 'POST',
    headers: {
      ...(type ? { 'content-type': type } : {}),
      ...(origin ? { origin } : {}),
      'cf-connecting-ip': ip,
      ...(intent ? { 'bdpay-intent': intent } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

export function get({ origin, ip = freshIp(), headers = {} } = {}) {
  return { method: 'GET', headers: { ...(origin ? { origin } : {}), 'cf-connecting-ip': ip, ...headers } };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
