// The Bill payment tab, on the wallet API: biller types → biller → a form
// generated from the biller's params → summary (amount, charge, total) →
// PIN → receipt. Read-only params are shown and not editable; params that
// are not shown, and the hidden fields, are left to validateBillerForm.
// In customer mode the shop's server reads the summary and signs an
// execute intent of its total; the proxy adds the PIN, so none is asked.

import { validateBillerForm } from '/pkg/clients-browser.js';
import { bind, h, replace } from './dom.js';
import { alertBox, explain } from './feedback.js';
import { field, phoneField, radios } from './fields.js';
import { billerText, dateTime, t, taka } from './i18n.js';

const editable = (p) => p.visibility === 'show' && p.input !== false && !p.is_read_only;

/** One param of a biller as a field: `{ param, field, value() }`, or null when not shown. */
function paramField(p) {
  if (p.visibility !== 'show') return null;
  const label = () => (p.required || !editable(p) ? billerText(p.label) : `${billerText(p.label)} ${t('optional')}`);
  if (!editable(p)) {
    const control = h('input', { name: p.key, type: 'text', readonly: true, value: p.value });
    return { param: p, field: field({ label, control, hint: () => t('readOnly') }), value: () => undefined };
  }
  if (p.field_type === 'mobile_no') {
    // The library's phone field: formatted as typed, its network named, its error when fair.
    const f = phoneField({ label, hint: () => t('phoneHint'), mode: 'network', name: p.key, value: p.value });
    return { param: p, field: f, value: () => f.control.value };
  }
  let control;
  if (p.field_type === 'select') {
    control = h(
      'select',
      { name: p.key },
      bind(h('option', { value: '' }), (n) => (n.textContent = t('choose'))),
      (p.options ?? []).map((o) =>
        bind(h('option', { value: o.option_value }), (n) => (n.textContent = billerText(o.option_display_value || o.option_value))),
      ),
    );
    control.value = p.value ?? '';
  } else {
    const numeric = p.type === 'numeric' || p.field_type === 'numeric';
    control = h('input', { name: p.key, type: 'text', inputmode: numeric ? 'numeric' : 'text', autocomplete: 'off', spellcheck: 'false', value: p.value });
  }
  return { param: p, field: field({ label, control }), value: () => control.value };
}

// How long the page keeps asking after a bill payment's outcome: as long as a recharge's.
const WAIT_MS = 120_000;

export function billTab(panel, { wallet, shop }) {
  const alert = alertBox();
  let loadingKey = null;
  const loadingText = bind(h('span'), (n) => (n.textContent = loadingKey ? t(loadingKey) : ''));
  const retry = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => load() }, () => t('retry'));
  const loading = h('p', { class: 'hint', 'aria-live': 'polite' }, loadingText, ' ', retry);
  const types = radios({ legend: () => t('billType'), name: 'biller_type', options: [], onchange: () => chooseType() });
  const billers = radios({ legend: () => t('biller'), name: 'biller', options: [], onchange: () => chooseBiller() });
  const formHost = h('div', { class: 'bill-form' });
  const summaryHost = h('div', { class: 'bill-summary' });
  const picker = h('div', { class: 'pay-form' }, types.root, billers.root);
  billers.root.hidden = true;
  panel.append(h('h2', {}, () => t('heading.bill')), loading, picker, formHost, summaryHost, alert.el);

  let typeList = [];
  let fixing = false; // the alert asks to correct the highlighted fields
  let biller = null;
  let fields = [];
  let billForm = null;

  const setLoading = (key, failed = false) => {
    loadingKey = key;
    loadingText.textContent = key ? t(key) : '';
    loading.hidden = !key;
    retry.hidden = !failed;
  };

  async function load() {
    setLoading('billersLoading');
    alert.clear();
    try {
      typeList = (await wallet.billers()).filter((x) => x.visibility !== false);
    } catch (e) {
      setLoading('billersFailed', true);
      alert.show(explain(e));
      return;
    }
    setLoading(null);
    types.setOptions(
      typeList.map((x, i) => ({
        value: String(i),
        label: () => billerText(x.title),
        disabled: !x.is_active,
        note: x.is_active ? null : h('span', { class: 'note' }, () => `(${t('unavailable')})`),
      })),
    );
  }

  function chooseType() {
    const type = typeList[Number(types.value)];
    biller = null;
    replace(formHost);
    replace(summaryHost);
    alert.clear();
    if (!type) return;
    billers.setOptions(type.billers.map((b) => ({ value: b.biller_id, label: b.title })));
    billers.root.hidden = false;
    if (type.billers.length === 1) {
      billers.value = type.billers[0].biller_id;
      chooseBiller();
    }
  }

  function values() {
    const out = {};
    for (const f of fields) {
      const v = f.value();
      if (v !== undefined) out[f.param.key] = v;
    }
    return out;
  }

  /**
   * Validates the generated form; errors show on the fields left or chosen
   * in (a phone field's when its controller says it is fair), all after a submit.
   */
  function check(all, touched) {
    const result = validateBillerForm(biller, values());
    const errors = result.ok ? [] : result.errors;
    let flagged = false;
    for (const f of fields) {
      const e = errors.find((x) => x.field === f.param.key);
      const timely = f.field.timely;
      const fair = all ? (timely?.() ?? true) : timely ? timely() : touched.has(f.param.key);
      f.field.setError(e && fair ? { ...e, label: f.param.label } : null);
      flagged ||= Boolean(e && fair);
    }
    // "Correct the highlighted fields" goes once none is highlighted.
    if (fixing && !flagged) {
      fixing = false;
      alert.clear();
    }
    return { result, errors };
  }

  function chooseBiller() {
    const type = typeList[Number(types.value)];
    biller = type?.billers.find((b) => b.biller_id === billers.value) ?? null;
    replace(summaryHost);
    alert.clear();
    if (!biller) {
      replace(formHost);
      return;
    }
    fields = biller.params.map(paramField).filter(Boolean);
    const touched = new Set();
    let attempted = false;
    const button = h('button', { type: 'submit', class: 'primary' }, () => t('getBill'));
    // "Getting the bill…": it holds the focus while the form is disabled.
    const working = h('p', { class: 'hint', role: 'status', tabindex: '-1', hidden: true }, () => t('billGetting'));
    const box = h('fieldset', { class: 'plain' }, h('legend', {}, biller.title), fields.map((f) => f.field.root), button);
    billForm = h('form', { novalidate: true, class: 'pay-form' }, box, working);
    const onEdit = () => check(attempted, touched);
    // A typed field counts once left with something in it, a list once chosen.
    const touch = (ev) => {
      const left = ev.type === 'focusout' && ev.target.tagName === 'INPUT' && ev.target.value;
      if (ev.target.name && (ev.type === 'change' || left)) touched.add(ev.target.name);
      onEdit();
    };
    billForm.addEventListener('input', onEdit);
    billForm.addEventListener('change', touch);
    billForm.addEventListener('focusout', touch);
    billForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (box.disabled) return;
      attempted = true;
      for (const f of fields) f.field.submitted?.();
      const { result, errors } = check(true, touched);
      if (!result.ok) {
        alert.show({ title: { key: errors.length > 1 ? 'fixErrorsMany' : 'fixErrors', vars: { count: errors.length } }, detail: '' });
        fixing = true;
        fields.find((f) => f.field.error)?.field.focus();
        return;
      }
      fixing = false;
      alert.clear();
      const hadFocus = box.contains(document.activeElement);
      working.hidden = false;
      // A disabled fieldset drops the focus to the top of the page: the line saying what happens takes it.
      if (hadFocus) working.focus();
      box.disabled = true;
      billForm.setAttribute('aria-busy', 'true');
      try {
        const { summary, intent } = shop ? await shop.bill(biller.biller_id, values()) : { summary: await wallet.summary(biller, values()) };
        working.hidden = true;
        showSummary(summary, box, intent);
      } catch (e) {
        box.disabled = false;
        working.hidden = true;
        const known = (e.fieldErrors ?? []).filter((fe) => fields.some((f) => f.param.key === fe.field));
        for (const fe of known) {
          const f = fields.find((x) => x.param.key === fe.field);
          f.field.setError({ ...fe, label: f.param.label });
        }
        if (known.length) fields.find((f) => f.field.error)?.field.focus();
        else {
          fixing = false;
          alert.show(explain(e));
          // Back on the button, to try again or change the details; the alert is read out.
          button.focus();
        }
      } finally {
        billForm.removeAttribute('aria-busy');
      }
    });
    replace(formHost, billForm);
    check(false, touched);
  }

  /** The summary and its pay form: a PIN field, or none under the shop's `intent`. */
  function showSummary(s, box, intent) {
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
    const pin = intent
      ? null
      : field({
          label: () => t('pin'),
          control: h('input', { name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'off', maxlength: 6 }),
          hint: () => t('pinHint'),
        });
    // "Pay ৳105.00", "৳১০৫.০০ পরিশোধ করুন": each language's own word order.
    const pay = h('button', { type: 'submit', class: 'primary' }, () => t('payTotal', { amount: taka(s.total_payable.amount) }));
    const change = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          replace(summaryHost);
          alert.clear();
          box.disabled = false;
          fields[0]?.field.focus();
        },
      },
      () => t('changeDetails'),
    );
    const pinForm = h(
      'form',
      { novalidate: true, class: 'pay-form' },
      pin ? pin.root : h('p', { class: 'hint' }, () => t('noPin', { amount: taka(s.total_payable.amount) })),
      h('div', { class: 'actions' }, pay, change),
    );
    pin?.control.addEventListener('input', () => pin.setError(null));
    const heading = h('h3', { tabindex: '-1' }, () => t('summary'));
    replace(
      summaryHost,
      h(
        'section',
        { class: 'summary' },
        heading,
        h(
          'dl',
          { class: 'facts' },
          row(() => t('biller'), biller.title),
          row(() => t('billAmount'), () => taka(s.amount.amount)),
          row(() => t('charge'), () => taka(s.charge.amount)),
          row(() => t('total'), h('strong', {}, () => taka(s.total_payable.amount))),
        ),
        pinForm,
      ),
    );
    if (pin) pin.focus();
    else heading.focus();

    let busy = false;
    let unknown = false; // paid perhaps: Pay stays off while the history is asked

    /**
     * The wallet may have paid the bill, and could not say: the page says
     * so, keeps Pay off, and asks the wallet's history of the request id
     * every few seconds for two minutes, then on request.
     */
    async function settle(e) {
      unknown = true;
      pay.disabled = true;
      const check = h('button', { type: 'button', class: 'secondary', onclick: () => settle(e) }, () => t('checkAgain'));
      alert.show({ ...explain(e, { refId: s.request_id }), actions: [check] });
      check.disabled = true;
      for (const until = Date.now() + WAIT_MS; Date.now() < until; ) {
        try {
          const history = await wallet.histories(s.request_id);
          showReceipt(s, {}, history);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 3000));
        }
      }
      check.disabled = false;
    }

    pinForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (busy) return;
      busy = true;
      // A disabled Pay button drops the focus to the top of the page: the summary's heading keeps it.
      if (document.activeElement === pay || document.activeElement === change) heading.focus();
      pay.disabled = true;
      change.disabled = true;
      pinForm.setAttribute('aria-busy', 'true');
      alert.clear();
      try {
        const receipt = await wallet.execute(intent ? { request_id: s.request_id, intent } : { request_id: s.request_id, pin: pin.control.value });
        let history = receipt.history;
        if (!history) {
          try {
            history = await wallet.histories(s.request_id);
          } catch {
            history = null; // the receipt stands without the history record
          }
        }
        showReceipt(s, receipt, history);
      } catch (e) {
        const pinError = (e.fieldErrors ?? []).find((fe) => fe.field === 'pin');
        if (pin && (e.title === 'E_PIN_ERROR' || pinError)) {
          pin.setError(pinError ?? { key: 'pinWrong' });
          pin.control.value = '';
          pin.focus();
        } else if (e.kind === 'outcome_unknown') {
          fixing = false;
          settle(e);
        } else {
          fixing = false;
          // The wallet's request id names the payment an unknown outcome is about.
          alert.show(explain(e, { refId: s.request_id }));
        }
      } finally {
        busy = false;
        pay.disabled = unknown;
        change.disabled = false;
        pinForm.removeAttribute('aria-busy');
      }
      // Still on the summary (a refusal, a failure): back on Pay, to try again.
      if (pay.isConnected && (document.activeElement === heading || document.activeElement === document.body)) pay.focus();
    });
  }

  function showReceipt(s, receipt, history) {
    const row = (label, value) => (value ? [h('dt', {}, label), h('dd', {}, value)] : null);
    const total = receipt.total_payable?.amount ?? s.total_payable.amount;
    const heading = h('h3', { tabindex: '-1' }, () => t('receipt'));
    const again = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          types.value = '';
          billers.root.hidden = true;
          billers.setOptions([]);
          biller = null;
          replace(formHost);
          replace(summaryHost);
          types.focus();
        },
      },
      () => t('anotherBill'),
    );
    replace(
      summaryHost,
      h(
        'section',
        { class: 'receipt' },
        heading,
        h('p', { role: 'status', class: 'current success' }, () => t('billPaid', { amount: taka(total) })),
        h(
          'dl',
          { class: 'facts' },
          row(() => t('biller'), biller.title),
          row(() => t('billInfo'), history?.details?.bill_information),
          row(() => t('billAmount'), () => taka(s.amount.amount)),
          row(() => t('charge'), () => taka(s.charge.amount)),
          row(() => t('totalPaid'), h('strong', {}, () => taka(total))),
          row(() => t('trxId'), history?.trx_id ? h('span', { class: 'code' }, history.trx_id) : null),
          row(() => t('paidAt'), history?.created_at ? () => dateTime(history.created_at) : null),
          row(() => t('requestId'), h('span', { class: 'code' }, s.request_id)),
        ),
        again,
      ),
    );
    heading.focus();
  }

  load();
}
