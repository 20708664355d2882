// The demo page's entry: language, where the API is, the clients, the tabs.
//
// Query parameters:
//   ?api=<URL>   the API base, e.g. a server-side proxy that holds the token;
//                then this page sends no token at all.
//   ?token=<T>   the token for the sandbox on this origin (default:
//                sandbox-token). Sandbox accounts only: a real merchant's
//                token must never reach a browser.
//   ?lang=bn     start in Bangla (the choice is remembered).

import { bind } from './dom.js';
import { LANGS, lang, setLang, t } from './i18n.js';
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

/** `{ baseUrl, token? }` from the query, and the sentence that says so. */
function endpoint() {
  const api = params.get('api');
  if (api) return { config: { baseUrl: api }, notice: () => t('noticeProxy', { api }) };
  return {
    config: { baseUrl: location.origin, token: params.get('token') || 'sandbox-token' },
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

  let bdpay;
  try {
    bdpay = await import('/pkg/browser.js');
  } catch (e) {
    console.error(e);
    fail('loadFailed');
    return;
  }
  const { config, notice } = endpoint();
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
    };
  } catch (e) {
    fail('configFailed', { detail: e.message });
    return;
  }

  const [{ rechargeTab }, { packagesTab }, { mfsTab }, { billTab }] = await Promise.all([
    import('./recharge.js'),
    import('./packages.js'),
    import('./mfs.js'),
    import('./bill.js'),
  ]);
  rechargeTab(document.getElementById('panel-recharge'), clients);
  packagesTab(document.getElementById('panel-packages'), clients);
  mfsTab(document.getElementById('panel-mfs'), clients);
  billTab(document.getElementById('panel-bill'), clients);
  tabs(document.getElementById('tabs'));

  loading.hidden = true;
  document.getElementById('app').hidden = false;
}

main();
