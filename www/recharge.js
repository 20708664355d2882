// The Recharge tab: number (operator detected as it is typed), operator,
// prepaid/postpaid and amount.

import { limits } from '/pkg/clients-browser.js';
import { h } from './dom.js';
import { field, operatorSelect, phoneField, radios } from './fields.js';
import { t, taka } from './i18n.js';
import { gatewayForm } from './payment.js';

/** Decimal text as whole paisa, for comparing amounts without floating point. */
const paisa = (text) => {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? '').trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : Infinity;
};

/**
 * An amount <input>: text, so Bengali digits and "100.50" both work. Its
 * hint shows the library's limits, or the shop's cap (`shopMax`) when lower.
 */
export function amountField(type, shopMax) {
  const limit = limits()[type];
  const max = limit && paisa(shopMax) < paisa(limit.max) ? shopMax : limit?.max;
  return field({
    label: () => t('amount'),
    control: h('input', { name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' }),
    hint: limit ? () => t('amountHint', { min: taka(limit.min), max: taka(max) }) : null,
  });
}

export function rechargeTab(panel, clients) {
  const phone = phoneField({ label: () => t('phone'), hint: () => t('phoneHint') });
  const operator = operatorSelect({ service: 'recharge', note: phone.note });
  const operatorField = field({ label: () => t('operator'), control: operator.select, extra: [] });
  const subType = radios({
    legend: () => t('connection'),
    name: 'sub_type',
    options: ['Prepaid', 'Postpaid'].map((v) => ({ value: v, label: () => t(v) })),
  });
  subType.value = 'Prepaid';
  const amount = amountField('recharge', clients.shop?.maxAmount);

  const form = h(
    'form',
    { novalidate: true, class: 'pay-form' },
    phone.root,
    operatorField.root,
    subType.root,
    amount.root,
    h('button', { type: 'submit', class: 'primary' }, () => t('submit.recharge')),
  );
  panel.append(h('h2', {}, () => t('heading.recharge')), form);

  const collect = () => ({
    type: 'recharge',
    operator_code: operator.select.value,
    phone: phone.control.value,
    amount: amount.control.value,
    sub_type: subType.value || undefined,
  });
  // The controller's listener runs before the form's: the operator is
  // settled before the form validates.
  phone.onPhone((change) => operator.refresh(change));
  gatewayForm({
    form,
    fields: { phone, operator_code: operatorField, amount, sub_type: subType },
    collect,
    clients,
  });
}
