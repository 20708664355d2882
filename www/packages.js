// The Data / Drive packages tab: the packages of the chosen operator and type,
// fetched from the gateway with price and commission; choosing one sets
// package_id. A shop's customer sees the price only: the commission is the
// merchant's.

import { bind, h } from './dom.js';
import { explain } from './feedback.js';
import { field, operatorSelect, phoneField, radios } from './fields.js';
import { message, t, taka } from './i18n.js';
import { gatewayForm } from './payment.js';

export function packagesTab(panel, clients) {
  const merchant = !clients.shop;
  const phone = phoneField({ label: () => t('phone'), hint: () => t('phoneHint') });
  const operator = operatorSelect({ service: 'data', note: phone.note });
  const operatorField = field({ label: () => t('operator'), control: operator.select });
  const kind = radios({
    legend: () => t('packageType'),
    name: 'type',
    options: ['data', 'drive'].map((v) => ({ value: v, label: () => t(v) })),
    onchange: () => load(),
  });
  kind.value = 'data';

  const state = { key: '', list: [], phase: 'choose', error: null };
  const info = h('p', { class: 'hint', 'aria-live': 'polite' });
  const renderInfo = () => {
    const op = operator.select.selectedOptions[0];
    const text = {
      loading: () => t('packagesLoading'),
      choose: () => t('packagesChoose'),
      failed: () => `${t('packagesFailed')} ${message(state.error)}`,
      ready: () => (state.list.length ? '' : t('packagesNone', { name: op?.textContent ?? '' })),
    }[state.phase]();
    if (info.textContent !== text) info.textContent = text;
    info.hidden = text === '';
  };
  bind(info, renderInfo);
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' });
  const packages = radios({ legend: () => t('package'), name: 'package_id', options: [] });
  packages.root.append(info, chosen);

  const renderChosen = () => {
    const p = state.list.find((x) => String(x.id) === packages.value);
    if (!p) chosen.textContent = '';
    else if (merchant) chosen.textContent = t('chosenPackage', { id: p.id, price: taka(p.price), commission: taka(p.commission) });
    else chosen.textContent = t('chosenPackageShop', { id: p.id, price: taka(p.price) });
    chosen.hidden = !p;
  };
  bind(chosen, renderChosen);
  packages.root.addEventListener('change', renderChosen);

  const showList = () => {
    const selected = packages.value;
    packages.setOptions(
      state.list.map((p) => ({
        value: String(p.id),
        label: [
          p.name,
          h('span', { class: 'price' }, () => ` ${t('price', { price: taka(p.price) })}${merchant ? ` · ${t('commission', { amount: taka(p.commission) })}` : ''}`),
        ],
        note: p.tag ? h('span', { class: 'tag' }, p.tag) : null,
      })),
    );
    packages.value = selected;
  };

  const cache = new Map();
  async function load() {
    const op = operator.select.value;
    const type = kind.value;
    const key = op ? `${op}:${type}` : '';
    if (key === state.key) return;
    state.key = key;
    state.list = [];
    state.phase = key ? 'loading' : 'choose';
    // Another list is another question: not "required" before it is answered.
    controller?.forget('package_id');
    showList();
    renderChosen();
    renderInfo();
    if (!key) return;
    if (!cache.has(key)) cache.set(key, clients.reads.packages({ operator_code: op, type }));
    try {
      const list = await cache.get(key);
      if (state.key !== key) return;
      state.list = list;
      state.phase = 'ready';
    } catch (e) {
      cache.delete(key);
      if (state.key !== key) return;
      state.phase = 'failed';
      state.error = explain(e).detail;
    }
    showList();
    renderChosen();
    renderInfo();
    controller.check();
  }
  const form = h(
    'form',
    { novalidate: true, class: 'pay-form' },
    phone.root,
    operatorField.root,
    kind.root,
    packages.root,
    h('button', { type: 'submit', class: 'primary' }, () => t('submit.packages')),
  );
  panel.append(h('h2', {}, () => t('heading.packages')), form);

  phone.onPhone((change) => {
    operator.refresh(change);
    load();
  });
  operator.select.addEventListener('change', () => load());

  const controller = gatewayForm({
    form,
    fields: { phone, operator_code: operatorField, type: kind, package_id: packages },
    collect: () => ({
      type: kind.value,
      operator_code: operator.select.value,
      phone: phone.control.value,
      package_id: packages.value || undefined,
    }),
    clients,
    balanceOf: () => (kind.value === 'drive' ? 'drive_balance' : 'flexiload_balance'),
  });
}
