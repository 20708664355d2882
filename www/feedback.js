// What a person sees when something goes wrong or a payment moves on: an
// alert box for errors (never a stack: only the kind, a sentence, and the
// server's own message when no better one exists) and a live status panel.

import { bind, h, replace } from './dom.js';
import { operatorName } from './fields.js';
import { digits, message, t, taka } from './i18n.js';

// The wait after a 429 that came without a readable Retry-After.
const UNKNOWN_WAIT_MS = 5000;

/**
 * A BdpayError (or anything thrown) as `{ title, detail, retryAfterMs }` of
 * page messages (`{ key, vars }` or server text). `context.refId` names the
 * payment for unknown outcomes; `context.balance` is shown when known.
 */
export function explain(e, context = {}) {
  const kind = e && typeof e.kind === 'string' ? e.kind : 'unknown';
  const key = (k, vars) => ({ key: k, vars });
  // What the error says itself, in both languages (the library's and the
  // shop's errors carry `messageBn`).
  const said = e && e.message ? { message: e.message, messageBn: e.messageBn } : null;
  switch (kind) {
    case 'insufficient_balance':
      return {
        title: key('err.insufficient_balance'),
        detail: key('err.insufficient_balance.detail'),
      };
    case 'rate_limited':
      // A browser reads Retry-After only when the server exposes it to
      // scripts (CORS); without it, say "a few seconds" rather than guess.
      return e.retryAfterMs === undefined
        ? { title: key('err.rate_limited'), retryAfterMs: UNKNOWN_WAIT_MS, waitUnknown: true }
        : { title: key('err.rate_limited'), retryAfterMs: e.retryAfterMs };
    case 'duplicate':
    case 'ref_id_conflict':
      return { title: key('err.duplicate'), detail: key('err.duplicate.detail') };
    case 'network':
    case 'timeout':
      return {
        title: key('err.network'),
        detail:
          e.notCommitted || !context.refId
            ? key('err.network.safe')
            : key('err.network.unknown', { ref: context.refId }),
      };
    case 'repeat':
      // The library's sentence names the amount, the recipient and when.
      return { title: key('err.repeat'), detail: said ?? key('err.other') };
    case 'outcome_unknown':
      return {
        title: key('err.unknown'),
        detail: context.refId ? key('err.unknown.detail', { ref: context.refId }) : key('err.unknown.detailNoRef'),
      };
    case 'unauthorized':
      return { title: key('err.unauthorized'), detail: key('err.unauthorized.detail') };
    case 'forbidden':
      // The gateway (inactive account) and a proxy (origin, operation) both
      // say why in a sentence of their own.
      return { title: key('err.forbidden'), detail: said ?? key('err.forbidden.detail') };
    case 'server':
    case 'bad_response':
      return { title: key('err.server'), detail: key('err.server.detail') };
    case 'validation':
    case 'not_found':
      // The server's sentence ("Bill not found.") is the useful part.
      return { title: key('err.refused'), detail: said ?? key('err.other') };
    default:
      return {
        title: key('err.other'),
        detail: key('err.other.detail', { message: said ?? String(e) }),
      };
  }
}

/**
 * The alert box of one form: `show(explained)`, `clear()`. A rate limit
 * counts down and calls `onReady` when the wait is over.
 */
export function alertBox() {
  // Focusable from a script only: after a failed payment the focus comes here.
  const el = h('div', { role: 'alert', class: 'alert', hidden: true, tabindex: '-1' });
  let shown = null;
  let until = 0;
  let timer = null;
  let onReady = null;

  const render = () => {
    if (!shown) {
      replace(el);
      el.hidden = true;
      return;
    }
    el.hidden = false;
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    const detail = shown.retryAfterMs !== undefined
      ? left > 0
        ? shown.waitUnknown
          ? t('err.rate_limited.soon')
          : t('err.rate_limited.wait', { secs: left })
        : t('err.rate_limited.ready')
      : message(shown.detail);
    replace(
      el,
      h('strong', {}, message(shown.title)),
      ' ',
      h('span', {}, detail),
      shown.extra ? h('span', {}, ' ', message(shown.extra)) : null,
      shown.actions ? h('div', { class: 'actions' }, shown.actions) : null,
    );
  };
  bind(el, render);

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  return {
    el,
    /** Shows an explained error; resolves the countdown through `ready`. */
    show(explained, ready) {
      stop();
      shown = explained;
      onReady = ready ?? null;
      if (explained.retryAfterMs !== undefined) {
        until = Date.now() + explained.retryAfterMs;
        let last = -1;
        timer = setInterval(() => {
          const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
          // Redraw only when the whole seconds change, so screen readers are not flooded.
          if (left !== last) render();
          last = left;
          if (left === 0) {
            stop();
            onReady?.();
          }
        }, 200);
      }
      render();
    },
    /** Adds a sentence after the detail (a balance learnt later). */
    addExtra(extra) {
      if (!shown) return;
      shown = { ...shown, extra };
      render();
    },
    clear() {
      stop();
      shown = null;
      render();
    },
    focus() {
      if (!el.hidden) el.focus();
    },
    get waiting() {
      return timer !== null;
    },
  };
}

const FINAL = new Set(['Success', 'Failed']);

/**
 * The status of a gateway payment: one live line with where it stands now,
 * and below it the steps it went through (Sending → Pending → Success/Failed)
 * with its trx_id and ref_id. Only the line is live, so a screen reader hears
 * each step once rather than the whole panel again.
 */
export function statusPanel() {
  const live = h('p', { role: 'status', 'aria-live': 'polite', class: 'current' });
  const details = h('div', { class: 'details' });
  // The heading takes the focus while a payment goes and when it ends.
  const heading = h('h3', { tabindex: '-1' }, () => t('statusHeading'));
  const el = h('section', { class: 'status', hidden: true }, heading, live, details);
  let state = null; // { sending, steps: [{status, message}], trx, note, action }

  const row = (label, value, cls) => [h('dt', {}, label), h('dd', { class: cls }, value)];
  const render = () => {
    if (!state) {
      el.hidden = true;
      live.textContent = '';
      replace(details);
      return;
    }
    el.hidden = false;
    const trx = state.trx;
    const last = state.steps[state.steps.length - 1];
    let now;
    if (state.sending) now = t('sending');
    else if (state.unknown !== undefined && !trx) now = message(state.note ?? { key: 'unknown.now' });
    else if (state.note) now = `${t(last?.status ?? 'Pending')}: ${message(state.note)}`;
    else if (trx && !FINAL.has(trx.trx_status)) now = `${t(trx.trx_status)} — ${t('waiting')}`;
    else now = `${t(last.status)}${last.message ? ` — ${message(last.message)}` : ''}`;
    if (live.textContent !== now) live.textContent = now;
    replace(
      details,
      state.steps.length
        ? h(
            'ol',
            { class: 'steps' },
            state.steps.map((s) =>
              h('li', { class: `step ${s.status.toLowerCase()}` }, h('strong', {}, t(s.status)), s.message ? ` — ${message(s.message)}` : ''),
            ),
          )
        : null,
      trx
        ? h(
            'dl',
            { class: 'facts' },
            row(t('trxId'), trx.trx_id, 'code'),
            row(t('refId'), trx.ref_id, 'code'),
            trx.amount ? row(t('paid'), taka(trx.amount)) : null,
            row(
              t('to'),
              [operatorName(trx.operator_code ?? trx.operator), trx.package, digits(trx.phone ?? trx.bill_number ?? '')]
                .filter(Boolean)
                .join(' · '),
            ),
          )
        : state.unknown !== undefined
          ? h('dl', { class: 'facts' }, row(t('refId'), state.unknown, 'code'))
          : null,
      state.action ?? null,
    );
  };
  bind(el, render);

  return {
    el,
    sending() {
      state = { sending: true, steps: [], trx: null };
      render();
    },
    /** Sent, its outcome unknown (it may have gone through): the ref_id being checked. */
    unknown(refId) {
      state = { sending: false, steps: [], trx: null, unknown: refId };
      render();
    },
    /** A transaction as the gateway reported it; adds a step when its status moved. */
    update(trx) {
      const steps = state?.steps ?? [];
      const last = steps[steps.length - 1];
      // "Success — Successful" says nothing twice: a success keeps no message.
      const said = trx.trx_status === 'Success' ? '' : trx.message;
      if (!last || last.status !== trx.trx_status) steps.push({ status: trx.trx_status, message: said });
      state = { sending: false, steps, trx };
      render();
    },
    /** A sentence and an optional button under the steps (still pending: check again). */
    note(note, action) {
      if (!state) return;
      state = { ...state, note, action };
      render();
    },
    clear() {
      state = null;
      render();
    },
    focus() {
      if (!el.hidden) heading.focus();
    },
  };
}
