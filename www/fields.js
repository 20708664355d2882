// Form fields with a real <label>, a hint and an error line. An invalid
// field gets aria-invalid and its error first in aria-describedby, so a
// screen reader reads the problem before the hint.

import { bindPhoneInput, operators } from '/pkg/clients-browser.js';
import { bind, h, replace, uid } from './dom.js';
import { digits, lang, message, t } from './i18n.js';

function describe(control, ids) {
  const list = ids.filter(Boolean);
  if (list.length) control.setAttribute('aria-describedby', list.join(' '));
  else control.removeAttribute('aria-describedby');
}

function errorLine(id) {
  const el = h('p', { id, class: 'error', hidden: true });
  let current = null;
  bind(el, (node) => {
    node.textContent = current ? message(current) : '';
  });
  return {
    el,
    get current() {
      return current;
    },
    set(e) {
      current = e ?? null;
      el.textContent = current ? message(current) : '';
      el.hidden = !current;
    },
  };
}

/**
 * One labelled control: `{ root, control, setError(e | null), error }`.
 * `extra` are ids of other elements that describe the control (a detection note).
 */
export function field({ label, control, hint, extra = [] }) {
  const id = control.id || (control.id = uid('f'));
  const hintEl = hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  const error = errorLine(`${id}-error`);
  const root = h('div', { class: 'field' }, h('label', { for: id }, label), control, ...extra.map((x) => x.el), hintEl, error.el);
  const extraIds = () => extra.map((x) => x.el.id);
  const setError = (e) => {
    error.set(e);
    if (e) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    describe(control, [e && error.el.id, ...extraIds(), hintEl?.id]);
  };
  setError(null);
  return {
    root,
    control,
    setError,
    get error() {
      return error.current;
    },
    focus: () => control.focus(),
  };
}

/**
 * A set of radio buttons in a <fieldset> with a <legend>; the fieldset is a
 * radiogroup, so it carries aria-invalid and the error.
 * `options`: `[{ value, label, disabled, note }]`, labels as text functions.
 */
export function radios({ legend, name, options, hint, onchange }) {
  const id = uid(name);
  const hintEl = hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  const error = errorLine(`${id}-error`);
  const list = h('div', { class: 'choices' });
  const root = h(
    'fieldset',
    { class: 'field group', role: 'radiogroup', id },
    h('legend', {}, legend),
    hintEl,
    list,
    error.el,
  );
  const group = {
    root,
    name,
    setOptions(items) {
      list.replaceChildren(
        ...items.map((o) => {
          const input = h('input', {
            type: 'radio',
            name,
            value: o.value,
            disabled: o.disabled === true,
            onchange,
          });
          return h('label', { class: o.disabled ? 'choice disabled' : 'choice' }, input, h('span', {}, o.label), o.note ? h('span', { class: 'extra' }, o.note) : null);
        }),
      );
    },
    get value() {
      return list.querySelector('input:checked')?.value ?? '';
    },
    set value(v) {
      for (const input of list.querySelectorAll('input')) input.checked = input.value === String(v);
    },
    setError(e) {
      error.set(e);
      if (e) root.setAttribute('aria-invalid', 'true');
      else root.removeAttribute('aria-invalid');
      describe(root, [e && error.el.id, hintEl?.id]);
    },
    get error() {
      return error.current;
    },
    focus() {
      (list.querySelector('input:checked:not(:disabled)') ?? list.querySelector('input:not(:disabled)'))?.focus();
    },
  };
  group.setOptions(options ?? []);
  group.setError(null);
  return group;
}

const opName = (o) => (lang() === 'bn' ? o.name_bn : o.name);

/** An operator's name in the current language, from its code or its English name. */
export function operatorName(codeOrName) {
  const o = operators().find((x) => x.code === codeOrName || x.name === codeOrName);
  return o ? opName(o) : (codeOrName ?? '');
}

/**
 * A live note under a number field: the operator detected so far.
 * `mode`: `'operator'` (with the porting remark) or `'network'` (a wallet's number).
 */
export function detectionNote(mode = 'operator') {
  const el = h('p', { id: uid('detected'), class: 'detected', 'aria-live': 'polite' });
  let found;
  const render = (node) => {
    node.classList.toggle('found', Boolean(found?.hint));
    if (!found) {
      node.textContent = mode === 'operator' ? t('detectedNone') : '';
      return;
    }
    const prefix = digits(found.prefix);
    if (!found.hint) {
      // Once the number is whole, its error says this (the library's words): not twice.
      node.textContent = found.complete ? '' : t('detectedUnknown', { prefix });
      return;
    }
    const parts = [mode === 'operator' ? t('detected', { name: opName(found.hint) }) : t('network', { name: opName(found.hint) })];
    if (found.hint.alternatives.length) {
      parts.push(t('detectedAlso', { prefix, names: found.hint.alternatives.map(opName).join(', ') }));
    }
    if (mode === 'operator') parts.push(t('ported'));
    node.textContent = parts.join(' ');
  };
  bind(el, render);
  return {
    el,
    get found() {
      return found;
    },
    /**
     * Updates the note from a phone field's state (`bindPhoneInput`'s
     * handle): `false` (no change), `'prefix'` or `'operator'` (the
     * suggestion changed).
     */
    update(phone) {
      const next = phone?.prefix ? { prefix: phone.prefix, hint: phone.operator, complete: phone.complete } : undefined;
      const key = (x) => (x ? `${x.prefix}:${x.hint?.code ?? ''}:${x.complete}` : '');
      if (key(next) === key(found)) return false;
      const changed = (next?.hint?.code ?? '') !== (found?.hint?.code ?? '');
      found = next;
      render(el);
      return changed ? 'operator' : 'prefix';
    },
  };
}

/**
 * The operator <select> for a service, pre-filled with the detection and
 * grouped as "suggested for 013" and the others (numbers can be ported).
 */
export function operatorSelect({ service, note }) {
  const all = operators().filter((o) => o.kind === 'mobile' && o.services.includes(service));
  const select = h('select', { name: 'operator_code', autocomplete: 'off' });
  let picked = false;
  select.addEventListener('change', () => {
    picked = true;
  });

  const option = (o) => bind(h('option', { value: o.code }), (node) => (node.textContent = opName(o)));
  const render = () => {
    const hint = note.found?.hint;
    const codes = hint ? [hint.code, ...hint.alternatives.map((a) => a.code)] : [];
    const suggested = codes.map((c) => all.find((o) => o.code === c)).filter(Boolean);
    const others = all.filter((o) => !suggested.includes(o));
    const value = select.value;
    const prefix = note.found?.prefix ?? '';
    replace(
      select,
      bind(h('option', { value: '' }), (node) => (node.textContent = t('chooseOperator'))),
      suggested.length
        ? h('optgroup', { label: () => t('suggested', { prefix: digits(prefix) }) }, suggested.map(option))
        : null,
      suggested.length ? h('optgroup', { label: () => t('otherOperators') }, others.map(option)) : others.map(option),
    );
    const want = picked ? value : (suggested[0]?.code ?? '');
    select.value = want;
    if (select.value !== want) select.value = '';
  };
  render();
  return {
    select,
    /** After the note changed: a new operator detected replaces a manual choice. */
    refresh(change) {
      if (!change) return;
      if (change === 'operator') picked = false;
      render();
    },
    reset() {
      picked = false;
      render();
    },
  };
}

/**
 * A mobile (or wallet) number field on the library's phone controller
 * (`bindPhoneInput`): it formats as the customer types, and its operator
 * note follows the prefix. `{ …field, phone, note, onPhone(fn), timely(),
 * submitted() }`: `onPhone(fn)` runs `fn(change)` after each change of the
 * number (`change` as `note.update` says it); `timely()` says whether its
 * error may be shown now (the controller's rule: once the number is whole
 * or the field was left, or after a submit until the next edit).
 */
export function phoneField({ label, hint, mode = 'operator', name = 'phone', kind = 'mobile', wallet, value }) {
  const note = detectionNote(mode);
  const control = h('input', { name, type: 'tel', value });
  const f = field({ label, control, hint, extra: [note] });
  const listeners = [];
  let submitted = false;
  f.phone = bindPhoneInput(control, {
    kind,
    wallet,
    onChange: (phone) => {
      const change = note.update(phone);
      for (const fn of listeners) fn(change);
    },
  });
  note.update(f.phone);
  // After the controller's own listener: an edit ends what a submit showed.
  control.addEventListener('input', () => {
    submitted = false;
  });
  f.note = note;
  f.onPhone = (fn) => listeners.push(fn);
  f.timely = () => submitted || f.phone.error !== null;
  f.submitted = () => {
    submitted = true;
  };
  return f;
}
