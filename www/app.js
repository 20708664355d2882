// The demo page's entry: language, where the API is, the clients, the tabs.
//
// Served by a shop's server (examples/merchant-server, `./build.sh demo`),
// the page is in customer mode: `config.json` beside it names the proxy,
// the shop signs each payment as an intent, and the page pays it through
// the proxy with no token and no PIN. Served by the sandbox, it calls the
// sandbox directly with a test token.
//
// The Bulk tab loads its own module (bdpay/bulk, a larger wasm with the
// CSV reader and the job) only when it is first shown.
//
// Query parameters:
//   ?token=<T>   the sandbox on this origin, with this token (default:
//                sandbox-token). Sandbox accounts only: a real merchant's
//                token must never reach a browser.
//   ?lang=bn     start in Bangla (the choice is remembered).

import { bind } from './dom.js';
import { LANGS, lang, setLang, t } from './i18n.js';
import { shopClient, shopConfig } from './shop.js';
import { tabs } from './tabs.js';

const params = new URLSearchParams(location.search);
// How long a payment's status is followed before the page says "still pending".
const WAIT_MS = 120_000;
const STORED = 'bdpay-demo-lang';

function storedLang() {
  try {
    return localStorage.getItem(STORED);
  } catch {
    return null;
  }
}

function setupLanguage() {
  const wanted = [params.get('lang'), storedLang(), navigator.language?.slice(0, 2)].find((l) => LANGS.includes(l));
  setLang(wanted ?? 'en');
  for (const el of document.querySelectorAll('[data-t]')) bind(el, (n) => (n.textContent = t(n.dataset.t)));
  for (const el of document.querySelectorAll('[data-t-label]')) bind(el, (n) => n.setAttribute('aria-label', t(n.dataset.tLabel)));
  bind(document.documentElement, () => (document.title = `${t('title')} — demo`));
  const buttons = [...document.querySelectorAll('[data-lang]')];
  const mark = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
  };
  bind(document.body, mark);
  for (const b of buttons) {
    b.addEventListener('click', () => {
      setLang(b.dataset.lang);
      try {
        localStorage.setItem(STORED, b.dataset.lang);
      } catch {
        // Private windows may refuse storage; the toggle still works.
      }
    });
  }
}

/** Where the API is (`{ baseUrl, token? }`), the shop's settings if a shop serves the page, and the sentence that says so. */
async function endpoint() {
  const token = params.get('token');
  const shop = token ? null : await shopConfig();
  if (shop) return { config: { baseUrl: shop.proxyUrl }, shop, notice: () => t('noticeShop') };
  return {
    config: { baseUrl: location.origin, token: token || 'sandbox-token' },
    notice: () => t('noticeSandbox'),
  };
}

async function main() {
  setupLanguage();
  const loading = document.getElementById('loading');
  const fail = (key, vars) => {
    loading.removeAttribute('data-t');
    bind(loading, (n) => (n.textContent = t(key, vars)));
    loading.classList.add('failed');
  };

  // The tabs' modules and the shop's config are fetched while the wasm
  // loads: on a slow link each round trip saved is a quarter of a second.
  // (The modules call nothing of the package when they are evaluated.)
  const tabModules = Promise.all([import('./recharge.js'), import('./packages.js'), import('./mfs.js'), import('./bill.js')]);
  // Awaited below once the package is in; until then a failure is not yet anyone's to report.
  tabModules.catch(() => {});
  const where = endpoint();
  let bdpay;
  try {
    bdpay = await import('/pkg/clients-browser.js');
    // The tabs call it from here on: the wasm must be loaded first.
    await bdpay.ready;
  } catch (e) {
    console.error(e);
    fail('loadFailed');
    return;
  }
  const { config, shop, notice } = await where;
  bind(document.getElementById('notice'), (n) => (n.textContent = notice()));

  let clients;
  try {
    clients = {
      // Payments are never resent by the client on a 429: the page shows the
      // wait and the person tries again (with the same ref_id).
      payments: new bdpay.GatewayClient({ ...config, maxRetries: 0 }),
      reads: new bdpay.GatewayClient({ ...config, pollIntervalMs: 750, waitTimeoutMs: WAIT_MS }),
      waitMs: WAIT_MS,
      wallet: new bdpay.BillPayClient(config),
      // Customer mode: the shop's server signs each payment.
      shop: shop ? shopClient(bdpay.BdpayError, shop) : null,
    };
  } catch (e) {
    fail('configFailed', { detail: e });
    return;
  }

  const [{ rechargeTab }, { packagesTab }, { mfsTab }, { billTab }] = await tabModules;
  rechargeTab(document.getElementById('panel-recharge'), clients);
  packagesTab(document.getElementById('panel-packages'), clients);
  mfsTab(document.getElementById('panel-mfs'), clients);
  billTab(document.getElementById('panel-bill'), clients);
  let bulk = null;
  tabs(document.getElementById('tabs'), (name) => {
    if (name !== 'bulk' || bulk) return;
    bulk = import('./bulk.js').then(({ bulkTab }) => bulkTab(document.getElementById('panel-bulk'), { config, shop }));
  });

  loading.hidden = true;
  document.getElementById('app').hidden = false;
}

main();
