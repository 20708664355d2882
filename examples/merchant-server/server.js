// A merchant's server for bdpay, in plain node:http: it serves the shop's
// checkout page, decides what a customer may pay, and signs that as a
// payment intent (bdpay/server). The page then pays through the proxy
// (bdpay/worker), which spends nothing else. The tokens and the intent key
// stay here: no answer and no log line ever holds one of them.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BdpayError, BillPayClient, GatewayClient, validateRequest } from 'bdpay/clients';
import { createExecuteIntent, createIntent, intentKeyId } from 'bdpay/server';

import { staticFiles } from './static.js';

const env = process.env;
const need = (name) => env[name] || fail(`${name} is not set (see README.md)`);
const SETTINGS = {
  port: Number(env.PORT ?? 3000),
  host: env.HOST || '127.0.0.1',
  proxyUrl: need('BDPAY_PROXY_URL'),
  intentKey: need('BDPAY_INTENT_KEY'),
  maxAmount: env.SHOP_MAX_AMOUNT || '5000',
  // The proxy's limits per client (its BDPAY_CLIENT_*_PER_MINUTE), told to
  // the page so a bulk job paces itself under them instead of meeting 429s.
  paymentsPerMinute: Number(env.SHOP_PAYMENTS_PER_MINUTE || 10),
  readsPerMinute: Number(env.SHOP_READS_PER_MINUTE || 60),
  page: path.resolve(env.SHOP_PAGE_DIR || fileURLToPath(new URL('../../www/', import.meta.url))),
  // The package's own directory: the page imports /pkg/browser.js from it.
  pkg: path.dirname(fileURLToPath(import.meta.resolve('bdpay/package.json'))),
};
if (!/^\d+(\.\d{1,2})?$/.test(SETTINGS.maxAmount)) fail('SHOP_MAX_AMOUNT must be taka, like 5000 or 2500.50');
for (const name of ['paymentsPerMinute', 'readsPerMinute']) {
  if (!(Number.isInteger(SETTINGS[name]) && SETTINGS[name] > 0)) fail('SHOP_PAYMENTS_PER_MINUTE and SHOP_READS_PER_MINUTE must be whole numbers above 0');
}
if (!intentKeyId(SETTINGS.intentKey)) fail('BDPAY_INTENT_KEY must be 32 bytes or more, the same as the proxy\'s');
const gateway = new GatewayClient({ baseUrl: need('BDPAY_UPSTREAM_URL'), token: need('BDPAY_TOKEN') });
const wallet = new BillPayClient({
  baseUrl: env.BDPAY_WALLET_URL || env.BDPAY_UPSTREAM_URL,
  token: need('BDPAY_WALLET_TOKEN'),
});

// What the shop sells, and the fields a customer chooses for each.
const ORDER_FIELDS = {
  recharge: ['operator_code', 'phone', 'amount', 'sub_type'],
  data: ['operator_code', 'phone', 'package_id'],
  drive: ['operator_code', 'phone', 'package_id'],
  mfs: ['operator_code', 'phone', 'amount'],
};

/**
 * `POST /intents`: the customer's order → `{ intent }`. The shop fixes the
 * price, and the ref_id unless the page names one: a bulk job's row keeps
 * the same ref_id on every run, so an intent asked again after a reload is
 * for the same payment (the gateway refuses a ref_id used before, so a
 * named one cannot pay twice). This is where a real shop also checks that
 * the customer has paid it (or is logged in and has credit) and stores the order.
 */
async function paymentIntent(order) {
  const fields = ORDER_FIELDS[order?.type];
  if (!fields) throw refused('type', 'This shop sells recharge, packages and MFS transfers.', 'এই দোকানে রিচার্জ, প্যাকেজ আর এমএফএস ট্রান্সফার পাওয়া যায়।');
  const chosen = { type: order.type };
  for (const f of [...fields, 'ref_id']) if (order[f] !== undefined) chosen[f] = order[f];
  const checked = validateRequest(chosen);
  if (!checked.ok) throw new BdpayError('The order is not valid.', { kind: 'validation', fieldErrors: checked.errors });
  const payment = { ...checked.value, ref_id: checked.value.ref_id ?? gateway.newRefId() };
  if (payment.package_id === undefined) {
    withinCap(payment.amount, 'amount');
    return createIntent(payment, SETTINGS.intentKey);
  }
  // The price is the gateway's, asked with the shop's own token.
  const offered = await gateway.packages({ operator_code: payment.operator_code, type: payment.type });
  const pkg = offered.find((p) => String(p.id) === String(payment.package_id));
  if (!pkg) throw refused('package_id', 'This package is not on offer.', 'এই প্যাকেজটি এখন পাওয়া যাচ্ছে না।');
  withinCap(pkg.price, 'package_id');
  return createIntent({ ...payment, price: pkg.price }, SETTINGS.intentKey);
}

/**
 * `POST /bill-intents`: `{ biller_id, values }` → `{ summary, intent }`. The
 * shop reads the bill itself with its wallet token and signs an execute of
 * that total; the proxy adds the wallet PIN, so the page never has it.
 */
async function billIntent(body) {
  const biller = (await billers()).find((b) => b.biller_id === body?.biller_id);
  if (!biller) throw refused('biller_id', 'This biller is not available.', 'এই বিল প্রতিষ্ঠানটি এখন পাওয়া যাচ্ছে না।');
  const summary = await wallet.summary(biller, body.values ?? {});
  withinCap(summary.total_payable.amount, '');
  const intent = createExecuteIntent({ request_id: summary.request_id, total: summary.total_payable.amount }, SETTINGS.intentKey);
  return { summary, intent };
}

let billerCache = { at: 0, list: undefined };
async function billers() {
  if (!billerCache.list || Date.now() - billerCache.at > 10 * 60_000) {
    const types = await wallet.billers();
    billerCache = { at: Date.now(), list: types.filter((t) => t.is_active).flatMap((t) => t.billers) };
  }
  return billerCache.list;
}

/** The shop's own limit on one payment (decimal text compared in paisa, never as floats). */
function withinCap(amount, field) {
  const paisa = (text) => {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text).trim());
    return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : Infinity;
  };
  if (paisa(amount) <= paisa(SETTINGS.maxAmount)) return;
  const max = Number(SETTINGS.maxAmount).toLocaleString('en-US', { minimumFractionDigits: 2 });
  // Bangla groups lakhs and crores, with Bengali digits.
  const maxBn = Number(SETTINGS.maxAmount)
    .toLocaleString('en-IN', { minimumFractionDigits: 2 })
    .replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[d]);
  throw refused(field, `This shop takes at most ৳${max} in one payment.`, `এই দোকানে এক পেমেন্টে সর্বোচ্চ ৳${maxBn} নেওয়া হয়।`);
}

function refused(field, message, messageBn) {
  const fieldErrors = field ? [{ field, code: 'shop_refused', message, message_bn: messageBn }] : [];
  return new BdpayError(message, { kind: 'validation', code: 'shop_refused', messageBn, fieldErrors });
}

// ---------------------------------------------------------------- HTTP

const ROUTES = {
  'POST /intents': async (body) => ({ intent: await paymentIntent(body) }),
  'POST /bill-intents': billIntent,
  'GET /config.json': async () => ({
    proxyUrl: SETTINGS.proxyUrl,
    maxAmount: SETTINGS.maxAmount,
    paymentsPerMinute: SETTINGS.paymentsPerMinute,
    readsPerMinute: SETTINGS.readsPerMinute,
  }),
};
// The page and the package: compressed, the wasm under a hashed name cached for a year (static.js).
const files = staticFiles({ page: SETTINGS.page, pkg: SETTINGS.pkg });

const server = http.createServer(async (req, res) => {
  const started = Date.now();
  const { pathname } = new URL(req.url, 'http://shop');
  const route = ROUTES[`${req.method} ${pathname}`];
  try {
    if (route) {
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      send(res, 200, 'application/json', JSON.stringify(await route(body)));
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      await files.serve(req, res, pathname);
    } else {
      send(res, 405, 'application/json', JSON.stringify({ status: false, message: 'Method not allowed.', message_bn: 'এই মেথডে অনুরোধ গ্রহণ করা হয় না।' }));
    }
  } catch (e) {
    sendError(res, e);
  } finally {
    console.log(`${req.method} ${pathname.slice(0, 80)} ${res.statusCode} ${Date.now() - started}ms`);
  }
});

/** A JSON body of at most 16 KiB, sent as application/json (so other sites' forms cannot post here). */
async function readJson(req) {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw clientError(415, 'Send JSON.', 'অর্ডারটি JSON হিসেবে পাঠান।');
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 16 * 1024) throw clientError(413, 'The order is too big.', 'অর্ডারটি আকারে খুব বড়।');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw clientError(400, 'The order is not JSON.', 'অর্ডারটি JSON নয়।');
  }
}

function clientError(status, message, messageBn) {
  return Object.assign(new Error(message), { status, messageBn });
}

/** Validation and "not found" go back to the page as they are; anything else as one opaque sentence. */
function sendError(res, e) {
  const STATUS = { validation: 422, not_found: 404, rate_limited: 429 };
  if (e instanceof BdpayError && STATUS[e.kind]) {
    const headers = e.retryAfterMs ? { 'retry-after': String(Math.ceil(e.retryAfterMs / 1000)) } : {};
    // The library's errors, and the shop's own, say why in both languages.
    const body = { status: false, kind: e.kind, code: e.code, message: e.message, message_bn: e.messageBn, fieldErrors: e.fieldErrors };
    return send(res, STATUS[e.kind], 'application/json', JSON.stringify(body), headers);
  }
  if (e.status) return send(res, e.status, 'application/json', JSON.stringify({ status: false, message: e.message, message_bn: e.messageBn }));
  console.error(`shop: ${e instanceof BdpayError ? `${e.kind} ${e.status ?? ''} ${e.message}` : e}`);
  send(
    res,
    502,
    'application/json',
    JSON.stringify({
      status: false,
      kind: 'server',
      message: 'The shop could not reach the payment service.',
      message_bn: 'দোকানের সার্ভার পেমেন্ট সেবায় পৌঁছাতে পারেনি।',
    }),
  );
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function fail(message) {
  console.error(`merchant server: ${message}`);
  process.exit(1);
}

server.listen(SETTINGS.port, SETTINGS.host, () => {
  const { port } = server.address();
  console.log(`bdpay merchant server listening on http://${SETTINGS.host}:${port}`);
});
