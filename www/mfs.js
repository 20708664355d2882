// The MFS transfer tab: cash in to a bKash, Nagad or Rocket wallet. Rocket
// also takes its 12-digit account number; the library checks which lengths
// each wallet accepts.

import { operators } from '/pkg/clients-browser.js';
import { h } from './dom.js';
import { phoneField, radios } from './fields.js';
import { lang, t } from './i18n.js';
import { gatewayForm } from './payment.js';
import { amountField } from './recharge.js';

export function mfsTab(panel, clients) {
  const wallets = operators().filter((o) => o.kind === 'mfs');
  const provider = radios({
    legend: () => t('wallet'),
    name: 'operator_code',
    options: wallets.map((o) => ({ value: o.code, label: () => (lang() === 'bn' ? o.name_bn : o.name) })),
  });
  const number = phoneField({
    label: () => t('walletNumber'),
    hint: () => t('walletHint'),
    mode: 'network',
    kind: 'wallet',
    wallet: () => provider.value || undefined,
  });
  const amount = amountField('mfs', clients.shop?.maxAmount);

  const form = h(
    'form',
    { novalidate: true, class: 'pay-form' },
    provider.root,
    number.root,
    amount.root,
    h('button', { type: 'submit', class: 'primary' }, () => t('submit.mfs')),
  );
  panel.append(h('h2', {}, () => t('heading.mfs')), form);

  // Another wallet takes other lengths (Rocket also 12 digits): the field's verdict follows.
  provider.root.addEventListener('change', () => number.phone.refresh());
  gatewayForm({
    form,
    fields: { operator_code: provider, phone: number, amount },
    collect: () => ({
      type: 'mfs',
      operator_code: provider.value,
      phone: number.control.value,
      amount: amount.control.value,
    }),
    clients,
  });
}
