// A few DOM helpers, so the page needs no framework: `h` builds elements,
// and any text or attribute given as a function is computed again whenever
// the language changes. Bindings hold their node weakly: a removed node is
// simply forgotten.

import { onLang } from './i18n.js';

const bound = new Set();

onLang(() => {
  for (const b of bound) {
    const node = b.ref.deref();
    if (node) b.apply(node);
    else bound.delete(b);
  }
});

/** Runs `apply(node)` now and after every change of language. */
export function bind(node, apply) {
  apply(node);
  bound.add({ ref: new WeakRef(node), apply });
  return node;
}

/**
 * `h('label', { for: 'x' }, () => t('phone'))`. Props: `onX` adds a listener,
 * `true` sets an empty attribute, `false`/`null`/`undefined` sets none, a
 * function is re-evaluated on language change.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (/^on[a-z]/.test(key) && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (typeof value === 'function') {
      bind(el, (node) => node.setAttribute(key, value()));
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends strings, nodes, arrays and text functions (bound to the language). */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    if (typeof child === 'function') {
      el.append(
        bind(document.createTextNode(''), (node) => {
          node.data = child();
        }),
      );
    } else {
      el.append(child);
    }
  }
  return el;
}

/** Replaces everything inside `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let ids = 0;
/** A fresh id for `for`/`aria-describedby`. */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}
