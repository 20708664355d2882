// `./build.sh demo`: the real flow on one machine. Three pieces, each as a
// merchant runs it:
//
//   sandbox          the gateway and wallet APIs (bdpay-sandbox, built by cargo)
//   proxy            the example Worker (examples/worker) in workerd, holding the tokens and the PIN
//   merchant server  examples/merchant-server: the checkout page, and the intents it signs
//
// The page asks the merchant server for an intent, then pays through the
// proxy. A fresh intent key is made for each run; the token, the key and the
// PIN go to the proxy and the merchant server only, and are never printed.
// Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { targetDir } from '../build/target-dir.mjs';
import { root, startExampleWorker } from './workerd.mjs';

/** What pages may call through the demo's proxy: the example's list, and execute (bills paid under an intent). */
export const OPERATIONS = 'packages,request,status,billers,summary,histories,execute';

/**
 * Starts the sandbox, the proxy and the merchant server: `{ url, sandboxUrl,
 * proxyUrl, token, pin, intentKey, died, stop }`, `url` being the shop's
 * page; `died` settles (with why) if the sandbox or the shop ends by itself.
 * `port`: the shop's (0: a free one). `account`: a fresh sandbox account
 * (the body of `POST /__sandbox/accounts`) instead of the seeded
 * `sandbox-token`. `limits`: the proxy's per-client limits, `{
 * paymentsPerMinute, readsPerMinute }` (default the example's 10 and 60),
 * given to the shop too, which tells the page. `log(service, line)` gets
 * every log line.
 */
export async function startDemo({
  port = 0,
  account,
  limits: { paymentsPerMinute = 10, readsPerMinute = 60 } = {},
  log = (service, line) => console.error(`[${service}] ${line}`),
} = {}) {
  const sandboxBin = path.join(targetDir(), 'release', 'bdpay-sandbox');
  for (const needed of [sandboxBin, path.join(root, 'pkg/browser.js')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run ./build.sh (and cargo build --release -p bdpay-sandbox)`);
  }
  const running = [];
  const stop = async () => {
    for (const s of running.reverse()) await s.stop().catch(() => {});
  };
  try {
    const sandbox = await service('sandbox', sandboxBin, ['--port', '0'], {}, log);
    running.push(sandbox);
    let token = 'sandbox-token';
    let pin = '1234';
    if (account) {
      const res = await fetch(`${sandbox.url}/__sandbox/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin, ...account }),
      });
      if (!res.ok) throw new Error(`no sandbox account: ${res.status}`);
      token = (await res.json()).token;
      pin = account.pin ?? pin;
    }
    const intentKey = randomBytes(32).toString('base64url');
    // The shop's origin must be known before the proxy starts: it is the one origin the proxy serves.
    const shopPort = port || (await freePort());
    const shopOrigins = [`http://127.0.0.1:${shopPort}`, `http://localhost:${shopPort}`];
    const proxy = await startExampleWorker({
      bindings: {
        BDPAY_UPSTREAM_URL: sandbox.url,
        BDPAY_TOKEN: token,
        BDPAY_WALLET_TOKEN: token,
        BDPAY_WALLET_PIN: pin,
        BDPAY_INTENT_KEY: intentKey,
        BDPAY_OPERATIONS: OPERATIONS,
        BDPAY_ALLOWED_ORIGINS: shopOrigins.join(','),
        BDPAY_CLIENT_PAYMENTS_PER_MINUTE: String(paymentsPerMinute),
        BDPAY_CLIENT_READS_PER_MINUTE: String(readsPerMinute),
      },
      log: (line) => log('proxy', line),
    });
    running.push(proxy);
    const shop = await service(
      'merchant server',
      process.execPath,
      [path.join(root, 'examples/merchant-server/server.js')],
      {
        PORT: String(shopPort),
        BDPAY_UPSTREAM_URL: sandbox.url,
        BDPAY_TOKEN: token,
        BDPAY_WALLET_TOKEN: token,
        BDPAY_INTENT_KEY: intentKey,
        BDPAY_PROXY_URL: proxy.url,
        SHOP_PAYMENTS_PER_MINUTE: String(paymentsPerMinute),
        SHOP_READS_PER_MINUTE: String(readsPerMinute),
      },
      log,
    );
    running.push(shop);
    const died = Promise.race([sandbox.died, shop.died]);
    return { url: shop.url, sandboxUrl: sandbox.url, proxyUrl: proxy.url, token, pin, intentKey, died, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A child process that prints `… listening on http://…` as its first line
 * on stdout: `{ url, stop }`. Its other lines go to `log(name, line)`.
 */
async function service(name, command, args, env, log) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stderr }).on('line', (line) => log(name, line));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
    lines.once('line', (line) => {
      const m = / listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1].replace(/\/$/, ''));
      else reject(new Error(`${name}: unexpected first line: ${line}`));
    });
  });
  lines.on('line', (line) => log(name, line));
  let stopping = false;
  // Synchronous, so it runs however this process ends (miniflare exits on SIGINT/SIGTERM itself).
  const kill = () => child.kill('SIGTERM');
  process.on('exit', kill);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', kill);
      resolve(`${name} exited (${signal ?? code})`);
    }),
  );
  return {
    url,
    /** Settles with a sentence when the process ends without being stopped. */
    died: exited.then((why) => (stopping ? new Promise(() => {}) : why)),
    stop: () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A port nobody listens on now (the shop's, picked before the proxy that must name its origin). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function main() {
  const port = Number(process.env.BDPAY_DEMO_PORT ?? 8080);
  const demo = await startDemo({ port });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.error('\nstopping the demo…');
    await demo.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  demo.died.then(async (why) => {
    // Ctrl-C reaches the children too: only an end of their own counts.
    if (stopping) return;
    stopping = true;
    console.error(`demo: ${why}; stopping the rest`);
    await demo.stop();
    process.exit(1);
  });
  console.error(`[demo] sandbox ${demo.sandboxUrl}, proxy ${demo.proxyUrl}: the page reaches them itself`);
  console.log(`\nOpen the demo shop:  ${demo.url}/\n(Ctrl-C stops the shop, the proxy and the sandbox.)\n`);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`demo: ${e.message}`);
    process.exit(1);
  });
}
