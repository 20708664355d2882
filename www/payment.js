// One gateway payment form (recharge, package, MFS): live validation with
// `validateRequest`, then submit once, then follow the transaction to its
// final status. A payment keeps its ref_id until it has an answer, so trying
// again after a dropped connection or a rate limit cannot pay twice.

import { readIntent, validateRequest } from '/pkg/clients-browser.js';
import { h } from './dom.js';
import { alertBox, explain, statusPanel } from './feedback.js';
import { t, taka } from './i18n.js';

const FINAL = new Set(['Success', 'Failed']);

// Failures after which a payment may have gone through: its status is asked before any retry.
const UNKNOWN = new Set(['network', 'timeout', 'server', 'bad_response', 'outcome_unknown']);

// Status reads that failed without saying anything of the payment: the next may answer.
const PASSING = new Set(['network', 'timeout', 'server', 'rate_limited', 'not_found']);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Refusals that are final for this attempt: the next one gets a new ref_id.
const REFUSED = new Set(['validation', 'insufficient_balance', 'duplicate', 'ref_id_conflict', 'unauthorized', 'forbidden', 'not_found']);

/**
 * `form`: the <form>; `fields`: request field name → field (see fields.js);
 * `collect()`: the request as typed; `clients`: `{ payments, reads, shop }`;
 * `balanceOf`: which balance pays for it (`flexiload_balance`…). With a
 * `shop`, each payment is first signed by the shop's server as an intent,
 * which then plays the part of the ref_id: kept until there is an answer.
 */
export function gatewayForm({ form, fields, collect, clients, balanceOf = () => 'flexiload_balance' }) {
  const { payments, reads, shop } = clients;
  const alert = alertBox();
  const status = statusPanel();
  const button = form.querySelector('button[type="submit"]');
  button.before(alert.el);
  form.after(status.el);

  // Fields the customer has left or chosen in: their errors show, and follow each edit.
  const dirty = new Set();
  // Fields asked anew since the last submit (`forget`): the submit does not count for them.
  const fresh = new Set();
  let attempted = false;
  let busy = false;
  let finished = false; // a final status is shown: the next edit starts a new order
  let submittedFrom = null; // the element that had the focus when Pay was pressed
  let fixing = false; // the alert asks to correct the highlighted fields
  let pending = null; // { key, refId, intent? } of the payment awaiting an answer

  // Where the focus is not the customer's own doing: on the page, on the
  // form's button, or in the status panel.
  const idle = () => {
    const at = document.activeElement;
    return !at || at === document.body || at === button || at === submittedFrom || status.el.contains(at) || alert.el.contains(at);
  };

  const setBusy = (on) => {
    busy = on;
    // A disabled button drops the focus to the top of the page: the status
    // panel (shown by then) takes it first.
    if (on && document.activeElement === button) status.focus();
    button.disabled = on;
    if (on) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  };

  /**
   * Validates what is typed; shows the errors of the fields left or chosen
   * in (a phone field's when its controller says it is fair), all after a submit.
   */
  function check() {
    const result = validateRequest(collect());
    const errors = result.ok ? [] : result.errors;
    let flagged = false;
    for (const [name, f] of Object.entries(fields)) {
      const e = errors.find((x) => x.field === name);
      const fair = attempted && !fresh.has(name) ? (f.timely?.() ?? true) : f.timely ? f.timely() : dirty.has(name);
      f.setError(e && fair ? e : null);
      flagged ||= Boolean(e && fair);
    }
    // "Correct the highlighted fields" goes once none is highlighted.
    if (fixing && !flagged) {
      fixing = false;
      alert.clear();
    }
    return { result, errors };
  }

  const edit = () => {
    // A new order starts: the last one's result, its error and its submit go.
    if (finished) {
      finished = false;
      attempted = false;
      dirty.clear();
      status.clear();
      alert.clear();
    }
    check();
  };
  const touch = (ev) => {
    if (ev.target.name) {
      dirty.add(ev.target.name);
      fresh.delete(ev.target.name);
    }
    edit();
  };
  form.addEventListener('input', edit);
  form.addEventListener('change', touch);
  form.addEventListener('focusout', (ev) => {
    // A typed field left with something in it: from now on its errors show.
    // (A list or a radio counts once chosen, on `change`: tabbing past one is not an answer.)
    const typed = ev.target.tagName === 'INPUT' && ev.target.type !== 'radio' && ev.target.type !== 'checkbox';
    if (typed && ev.target.name && ev.target.value) dirty.add(ev.target.name);
    check();
  });

  /**
   * Follows a sent payment to Success or Failed. Until then the submit button
   * stays disabled: the payment is still in flight, even when its status
   * could not be read, and paying again would pay twice.
   */
  async function follow(trx) {
    status.update(trx);
    let final = trx;
    if (!FINAL.has(trx.trx_status)) {
      try {
        // Through the proxy, status reads carry the payment's intent.
        final = await reads.waitForFinal({ trx_id: trx.trx_id, intent: trx.intent });
        status.update(final);
      } catch (e) {
        const again = h('button', { type: 'button', class: 'secondary', onclick: () => follow(trx) }, () => t('checkAgain'));
        const secs = Math.round(clients.waitMs / 1000);
        status.note(e.kind === 'timeout' ? { key: 'stillPending', vars: { secs } } : { key: 'statusUnknown' }, again);
        return;
      }
    }
    if (FINAL.has(final.trx_status)) {
      finished = true;
      const moveFocus = idle();
      setBusy(false);
      // The result is what the customer waited for: the focus goes to it.
      if (moveFocus) status.focus();
    }
  }

  /**
   * A payment that was sent and whose outcome is unknown: it may have gone
   * through. The page says so, keeps Pay disabled, and asks `status` under
   * the same ref_id (and intent) until the payment is final. Only a gateway
   * that still holds nothing under the ref_id after the whole wait lets the
   * customer send it again, and then under the same ref_id.
   */
  async function settle(order) {
    status.unknown(order.refId);
    if (idle()) status.focus();
    const until = Date.now() + clients.waitMs;
    let last;
    // Between asks that found nothing yet: 2 s, growing by half to 15 s.
    for (let pause = 2000; ; pause = Math.min(15_000, pause * 1.5)) {
      try {
        const found = await reads.waitForFinal({ ref_id: order.refId, intent: order.intent });
        pending = null;
        await follow(found);
        return;
      } catch (e) {
        last = e;
      }
      if (Date.now() >= until || !PASSING.has(last.kind)) break;
      await sleep(Math.max(last.retryAfterMs ?? 0, pause));
    }
    if (last.kind === 'not_found') {
      status.clear();
      setBusy(false);
      alert.show({ title: { key: 'err.unknown' }, detail: { key: 'err.unknown.notFound', vars: { ref: order.refId } } });
      if (idle()) alert.focus();
      return;
    }
    const again = h('button', { type: 'button', class: 'secondary', onclick: () => settle(order) }, () => t('checkAgain'));
    status.note({ key: 'unknown.late', vars: { secs: Math.round(clients.waitMs / 1000) } }, again);
  }

  /**
   * The same payment was made a few minutes ago (the client's repeat guard):
   * nothing was sent, and the customer says whether to pay it again.
   */
  function askRepeat(e, order) {
    const again = () => {
      order.confirmed = true;
      alert.clear();
      form.requestSubmit();
    };
    const dont = () => {
      pending = null;
      alert.clear();
      button.focus();
    };
    const actions = [
      h('button', { type: 'button', class: 'primary', onclick: again }, () => t('repeat.pay')),
      h('button', { type: 'button', class: 'secondary', onclick: dont }, () => t('repeat.cancel')),
    ];
    alert.show({ ...explain(e), actions });
    alert.focus();
  }

  async function showError(e, refId) {
    if (REFUSED.has(e.kind)) pending = null;
    const fieldErrors = (e.fieldErrors ?? []).filter((fe) => fields[fe.field]);
    for (const fe of fieldErrors) fields[fe.field].setError(fe);
    if (e.kind === 'validation' && fieldErrors.length === (e.fieldErrors ?? []).length && fieldErrors.length) {
      fields[fieldErrors[0].field].focus();
      return;
    }
    const explained = explain(e, { refId });
    if (e.kind === 'rate_limited') {
      alert.show(explained, () => setBusy(false));
      alert.focus();
      return;
    }
    alert.show(explained);
    // The status panel that had the focus is gone: the error takes it.
    if (idle()) alert.focus();
    // The merchant's balance is not for a customer's page (nor open through the proxy).
    if (e.kind === 'insufficient_balance' && !shop) {
      try {
        const balance = (await reads.balance())[balanceOf()];
        if (balance !== undefined) alert.addExtra({ key: 'err.insufficient_balance.balance', vars: { balance: taka(balance) } });
      } catch {
        // The balance is a courtesy; the message stands without it.
      }
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy || alert.waiting) return;
    attempted = true;
    fresh.clear();
    for (const f of Object.values(fields)) f.submitted?.();
    const { result, errors } = check();
    if (!result.ok) {
      const fieldless = errors.filter((e) => !fields[e.field]);
      const count = errors.length - fieldless.length;
      alert.show({
        title: { key: count > 1 ? 'fixErrorsMany' : 'fixErrors', vars: { count } },
        detail: fieldless[0] ?? '',
      });
      fixing = fieldless.length === 0;
      // The first bad field in the form's order, not the validator's.
      Object.values(fields).find((f) => f.error)?.focus();
      return;
    }
    const key = JSON.stringify(result.value);
    if (!pending || pending.key !== key) pending = { key, refId: shop ? undefined : payments.newRefId() };
    const order = pending;
    fixing = false;
    alert.clear();
    status.sending();
    // Where the customer pressed Pay from: the result takes the focus from there.
    submittedFrom = document.activeElement;
    setBusy(true);
    let trx;
    // The last attempt's outcome is unknown: it may have paid. Ask first, by
    // its intent (which keeps reading status a day past its expiry), and
    // follow what the gateway holds rather than pay again. An expired intent
    // would otherwise be refused, and a fresh one carry a fresh ref_id.
    if (shop && order.intent && order.unknown) {
      try {
        const held = await reads.status({ ref_id: order.refId, intent: order.intent });
        pending = null;
        await follow(held);
        return;
      } catch (e) {
        if (e.kind !== 'not_found') {
          status.clear();
          setBusy(false);
          await showError(e, order.refId);
          return;
        }
        order.unknown = false;
      }
    }
    try {
      if (shop && !order.intent) {
        order.intent = await shop.intent(collect());
        order.refId = readIntent(order.intent)?.ref_id;
      }
      const confirm = order.confirmed === true ? { confirm_repeat: true } : {};
      trx = await payments.request(shop ? { intent: order.intent, ...confirm } : { ...collect(), ref_id: order.refId, ...confirm });
    } catch (e) {
      if (e.kind === 'repeat') {
        status.clear();
        setBusy(false);
        askRepeat(e, order);
        return;
      }
      order.unknown = UNKNOWN.has(e.kind) && e.notCommitted !== true;
      if (order.unknown && order.refId) {
        await settle(order);
        return;
      }
      status.clear();
      setBusy(e.kind === 'rate_limited');
      await showError(e, order.refId);
      return;
    }
    pending = null;
    await follow(trx);
  });

  return {
    check,
    /**
     * A field asks a new question (the package list of another type): its
     * error waits until it is answered, even after a submit.
     */
    forget(name) {
      dirty.delete(name);
      fresh.add(name);
      check();
    },
    /** Forget touched fields and any outcome (a fresh form). */
    reset() {
      dirty.clear();
      attempted = false;
      alert.clear();
      status.clear();
      check();
    },
  };
}
