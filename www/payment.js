// One gateway payment form (recharge, package, MFS): live validation with
// `validateRequest`, then submit once, then follow the transaction to its
// final status. A payment keeps its ref_id until it has an answer, so trying
// again after a dropped connection or a rate limit cannot pay twice.

import { readIntent, validateRequest } from '/pkg/clients-browser.js';
import { h } from './dom.js';
import { alertBox, explain, statusPanel } from './feedback.js';
import { digits, t, taka } from './i18n.js';

const FINAL = new Set(['Success', 'Failed']);

// Failures after which a payment may have gone through: its status is asked before any retry.
const UNKNOWN = new Set(['network', 'timeout', 'server', 'bad_response']);

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

  const dirty = new Set();
  let attempted = false;
  let busy = false;
  let pending = null; // { key, refId, intent? } of the payment awaiting an answer

  const setBusy = (on) => {
    busy = on;
    button.disabled = on;
    if (on) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  };

  /** Validates what is typed; shows errors of fields touched (all after a submit). */
  function check() {
    const result = validateRequest(collect());
    const errors = result.ok ? [] : result.errors;
    for (const [name, f] of Object.entries(fields)) {
      const e = errors.find((x) => x.field === name);
      f.setError(e && (attempted || dirty.has(name)) ? e : null);
    }
    return { result, errors };
  }

  const touch = (ev) => {
    if (ev.target.name) dirty.add(ev.target.name);
    check();
  };
  form.addEventListener('input', touch);
  form.addEventListener('change', touch);

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
        const secs = digits(Math.round(clients.waitMs / 1000));
        status.note(e.kind === 'timeout' ? { key: 'stillPending', vars: { secs } } : { key: 'statusUnknown' }, again);
        return;
      }
    }
    if (FINAL.has(final.trx_status)) setBusy(false);
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
      return;
    }
    alert.show(explained);
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
    const { result, errors } = check();
    if (!result.ok) {
      const fieldless = errors.filter((e) => !fields[e.field]);
      const count = errors.length - fieldless.length;
      alert.show({
        title: { key: count > 1 ? 'fixErrorsMany' : 'fixErrors', vars: { count: digits(count) } },
        detail: fieldless[0] ?? '',
      });
      // The first bad field in the form's order, not the validator's.
      Object.values(fields).find((f) => f.error)?.focus();
      return;
    }
    const key = JSON.stringify(result.value);
    if (!pending || pending.key !== key) pending = { key, refId: shop ? undefined : payments.newRefId() };
    const order = pending;
    setBusy(true);
    alert.clear();
    status.sending();
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
      trx = await payments.request(shop ? { intent: order.intent } : { ...collect(), ref_id: order.refId });
    } catch (e) {
      status.clear();
      setBusy(e.kind === 'rate_limited');
      order.unknown = UNKNOWN.has(e.kind) && e.notCommitted !== true;
      await showError(e, order.refId);
      return;
    }
    pending = null;
    await follow(trx);
  });

  return {
    check,
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
