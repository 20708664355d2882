// The phone field as a customer types it: a controller over an <input>
// (`bindPhoneInput`) and a custom element built on it (`<bdpay-phone>`,
// defined only when `definePhoneElement()` is called). It shows 01XXX-XXXXXX
// as the digits come, in the script they are typed in; keeps the caret where
// the customer types; collapses +880, 880 and 0088 forms; names the operator
// from the prefix; and says an error only when the number is whole or the
// field is left. The words are the library's (`validateRequest`'s errors).
//
// It must never throw: not on a paste, an IME, a value set by a script, nor
// an input that is detached, missing or not an input at all. It touches no
// DOM global while it is evaluated, so Node and Workers import it as is.
// Each entry binds it to its own validation functions (validation.js,
// clients-entry.js, …); a bundle that never calls it leaves this module out.

// The zero of each script whose digits a keypad may send: ASCII, Bengali,
// and (read as ASCII, shown in ASCII) Arabic-Indic, Persian, Devanagari and
// full-width, which a customer on such a keyboard types for the same number.
const ZEROS = [0x30, 0x09e6, 0x0660, 0x06f0, 0x0966, 0xff10];
const BENGALI = 0x09e6;

// At most this many digits are kept: past any number, so a long paste can
// neither hide the error nor grow the field without end.
const MAX_DIGITS = 20;

/** `text`'s digits as ASCII, whether a `+` comes before the first, and the script of its last digit. */
function parse(text) {
  let digits = '';
  let plus = false;
  let script = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    const zero = ZEROS.find((z) => c >= z && c <= z + 9);
    if (zero !== undefined) {
      if (digits.length < MAX_DIGITS) digits += String(c - zero);
      script = zero === BENGALI ? 'beng' : 'latn';
    } else if (c === 0x2b && !digits) plus = true;
  }
  return { digits, plus, script };
}

/**
 * What `digits` are as a Bangladeshi number: `{ national, from, lead }`, the
 * national digits (`01…`), how many leading digits the country code took
 * (`880`, `00880`) and the `0` put before them; `national` is null while a
 * country code is still being typed (`+88`, `0088`) or for a foreign number.
 */
function read(digits, plus) {
  for (const cc of ['00880', '880']) {
    if (digits.startsWith(cc)) {
      const rest = digits.slice(cc.length);
      // `+880 0171…`: the national 0 typed after the country code is kept once.
      return rest[0] === '0' ? { national: rest, from: cc.length, lead: '' } : { national: `0${rest}`, from: cc.length, lead: '0' };
    }
  }
  // A country code on its way (`8`, `88`, `00`, `008`, `0088`), or `+` alone.
  if ((digits.length > 1 && '00880'.startsWith(digits)) || (digits && '880'.startsWith(digits)) || (plus && !digits)) {
    return { national: null, from: 0, lead: '' };
  }
  if (plus) return digits[0] === '0' ? { national: digits, from: 0, lead: '' } : { national: null, from: 0, lead: '' };
  // A number without its 0 (as some autofills give it): every mobile number starts 01.
  if (digits[0] === '1') return { national: `0${digits}`, from: 0, lead: '0' };
  return { national: digits, from: 0, lead: '' };
}

/**
 * The field's text for `digits` and where the caret goes after the first
 * `k` of them: `01712-345678` (a twelfth digit and more after a second dash),
 * or the digits as typed while they are no national number yet.
 */
function layout(digits, plus, k, bengali) {
  const { national, from, lead } = read(digits, plus);
  const shown = (s) => (bengali ? s.replace(/[0-9]/g, (d) => String.fromCharCode(BENGALI + Number(d))) : s);
  if (national === null) {
    const head = plus ? '+' : '';
    return { text: head + shown(digits), caret: head.length + k, national };
  }
  const at = k < from ? (k ? lead.length : 0) : lead.length + k - from;
  const text = national.slice(0, 5) + (national.length > 5 ? `-${national.slice(5, 11)}` : '') + (national.length > 11 ? `-${national.slice(11)}` : '');
  return { text: shown(text), caret: at + (at > 5) + (at > 11), national };
}

/** How many digits `text` holds before `end`. */
const digitsBefore = (text, end) => parse(text.slice(0, end)).digits.length;

// Insertions that bring a whole number at once: a paste, a drop, the
// browser's autofill or an IME's or keyboard's suggestion (no inputType at
// all, as Chrome's autofill sends it, or `insertReplacementText`).
const WHOLE = new Set(['insertFromPaste', 'insertFromDrop', 'insertReplacementText', 'insertFromYank', '']);

const attempt = (f, fallback) => {
  try {
    return f();
  } catch {
    return fallback;
  }
};

/**
 * Binds the controller to `input` over `api` (an entry's `detectOperator`,
 * `normalizePhone`, `normalizeWallet` and `validateRequest`). See
 * `bindPhoneInput` in index.d.ts.
 */
export function bindPhone(entry, input, options) {
  const opts = options !== null && typeof options === 'object' ? options : {};
  // A `createValidator` validator's rules, when the page gave one.
  const api = opts.validator !== null && typeof opts.validator === 'object' ? opts.validator : entry;
  const el = input !== null && typeof input === 'object' && typeof input.addEventListener === 'function' ? input : null;
  const wallet = () => attempt(() => (typeof opts.wallet === 'function' ? opts.wallet() : opts.wallet), undefined);
  const isWallet = opts.kind === 'wallet';
  const fixed = opts.digits === 'beng' || opts.digits === 'latn' ? opts.digits : '';
  let digits = '';
  let plus = false;
  let script = fixed || 'latn';
  let shown = '';
  let composing = false;
  let touched = false;
  let state = { text: '', national: null, number: undefined, operator: undefined, prefix: undefined, complete: false, problem: null };

  // In a shadow root, its own activeElement says where the focus is.
  const focused = () => attempt(() => (el.getRootNode?.() ?? el.ownerDocument).activeElement === el, false);
  const value = () => attempt(() => String(el.value ?? ''), '');

  /** The library's error for the field's text, `phone`'s only; null when it has none. */
  const problem = (text) =>
    attempt(() => {
      const code = wallet();
      const request = isWallet
        ? { type: 'mfs', operator_code: typeof code === 'string' && code ? code : 'RK', phone: text, amount: '10' }
        : { type: 'recharge', operator_code: 'GP', phone: text, amount: '10' };
      const answer = api.validateRequest(request);
      return (answer.ok ? null : answer.errors.find((e) => e.field === 'phone')) ?? null;
    }, null);

  const measure = (text, national) => {
    const code = wallet();
    const number = attempt(
      () => (isWallet && typeof code === 'string' && code ? api.normalizeWallet(text, code) : api.normalizePhone(text)) ?? undefined,
      undefined,
    );
    const prefix = national && national.length >= 3 && national.startsWith('01') ? national.slice(0, 3) : undefined;
    return {
      text,
      national,
      number,
      prefix,
      // The prefix's operator, whatever follows it (a twelfth digit too).
      operator: prefix ? attempt(() => api.detectOperator(national.slice(0, 11), { partial: true }), undefined) : undefined,
      complete: Boolean(national && national.length >= 11),
      problem: number ? null : problem(text),
    };
  };

  const notify = () => {
    if (typeof opts.onChange === 'function') attempt(() => opts.onChange(handle));
  };

  const caretTo = (text, at) => {
    if (!focused()) return;
    const put = () => {
      if (value() === text && focused() && el.selectionStart !== at) attempt(() => el.setSelectionRange(at, at));
    };
    put();
    // Some Android keyboards move the caret again after the input event:
    // put it back once they are done.
    attempt(() => setTimeout(put, 0));
  };

  /** Shows `digits` (the caret after the first `k`), and says what changed. */
  const write = (k) => {
    const { text, caret, national } = layout(digits, plus, Math.min(k, digits.length), script === 'beng');
    if (el && value() !== text) attempt(() => (el.value = text));
    shown = text;
    if (el) caretTo(text, caret);
    state = measure(text, national);
    notify();
  };

  const onInput = (ev) => {
    if (composing || ev?.isComposing) return;
    const raw = value();
    const end = attempt(() => el.selectionStart, null) ?? raw.length;
    // What changed since the field was last written: one span out, one in.
    let a = 0;
    while (a < raw.length && a < shown.length && raw[a] === shown[a]) a += 1;
    let b = 0;
    while (b < raw.length - a && b < shown.length - a && raw[raw.length - 1 - b] === shown[shown.length - 1 - b]) b += 1;
    const added = raw.slice(a, raw.length - b);
    const removed = shown.slice(a, shown.length - b);
    const type = typeof ev?.inputType === 'string' ? ev.inputType : '';
    const now = parse(raw);
    let k = digitsBefore(raw, end);
    const gone = parse(removed);
    ({ digits, plus } = now);
    if (!added && removed && !gone.digits && !gone.plus) {
      // A dash deleted alone: the digit beside it goes, as the key meant.
      if (type === 'deleteContentForward') digits = digits.slice(0, k) + digits.slice(k + 1);
      else if (k > 0) {
        digits = digits.slice(0, k - 1) + digits.slice(k);
        k -= 1;
      }
    } else {
      const alone = parse(added);
      const whole = WHOLE.has(type) && added && read(alone.digits, alone.plus).national?.length >= 11;
      // A whole number pasted or filled in replaces what was there: no doubled prefix.
      if (whole) {
        ({ digits, plus } = alone);
        k = digits.length;
      }
      if (!fixed && alone.script) script = alone.script;
    }
    write(k);
  };

  const onBlur = () => {
    touched = touched || digits.length > 0;
    notify();
  };
  const onCompositionStart = () => {
    composing = true;
  };
  const onCompositionEnd = () => {
    composing = false;
    onInput({ inputType: 'insertCompositionText' });
  };
  const onReset = () => attempt(() => setTimeout(() => handle.refresh(), 0));
  const form = attempt(() => el.form, null);
  const listeners = [
    [el, 'input', onInput],
    [el, 'blur', onBlur],
    [el, 'compositionstart', onCompositionStart],
    [el, 'compositionend', onCompositionEnd],
    [form, 'reset', onReset],
  ];
  for (const [target, name, f] of listeners) attempt(() => target?.addEventListener(name, f));

  /** Takes `text` as the field's; the caret after its first `k` digits (all by default). */
  const setText = (text, k = Infinity) => {
    const got = parse(typeof text === 'string' ? text : text == null ? '' : attempt(() => `${text}`, ''));
    digits = got.digits;
    plus = got.plus;
    if (!fixed && got.script) script = got.script;
    write(k);
  };

  if (el) {
    // A phone keypad, and the browser's and the keyboard's saved number
    // (`tel`: see index.d.ts for why not `tel-national`), unless the page chose.
    for (const [name, v] of [
      ['inputmode', 'tel'],
      ['autocomplete', 'tel'],
      ['spellcheck', 'false'],
    ]) {
      attempt(() => el.hasAttribute(name) || el.setAttribute(name, v));
    }
  }

  const handle = {
    input: el,
    get value() {
      return state.text;
    },
    set value(text) {
      setText(text);
    },
    get number() {
      return state.number;
    },
    get digits() {
      return state.national ?? digits;
    },
    get operator() {
      return state.operator;
    },
    get prefix() {
      return state.prefix;
    },
    get complete() {
      return state.complete;
    },
    /** The error to show now: once the number is whole, or the field was left with digits in it. */
    get error() {
      const fair = state.complete || (touched && digits.length > 0 && !focused());
      return fair ? state.problem : null;
    },
    /** The error whatever the moment (a submit): `required` for an empty field. */
    check: () => (state.number ? null : problem(state.text)),
    /** Reads the field again (after a script set its value, or the wasm became ready); the caret stays. */
    refresh() {
      const text = value();
      setText(text, digitsBefore(text, attempt(() => el.selectionStart, null) ?? text.length));
    },
    destroy() {
      for (const [target, name, f] of listeners) attempt(() => target?.removeEventListener(name, f));
    },
  };
  setText(el ? value() : '');
  return handle;
}

// The element's own sentences, both languages (the errors are the library's).
const WORDS = {
  en: {
    operator: (o, alts) => `Operator: ${o}${alts ? ` (or ${alts}: numbers can be ported)` : ''}.`,
    unused: (p) => `No operator uses numbers starting ${p}.`,
  },
  bn: {
    operator: (o, alts) => `অপারেটর: ${o}${alts ? ` (নম্বর পোর্ট করা হলে ${alts}-ও হতে পারে)` : ''}।`,
    unused: (p) => `${p} দিয়ে শুরু হওয়া নম্বর কোনো অপারেটর ব্যবহার করে না।`,
  },
};

let made = 0;

/**
 * Defines `<bdpay-phone>` (or `name`) over `api`, once; answers the name, or
 * undefined where there are no custom elements (Node, a Worker).
 */
export function definePhone(api, name = 'bdpay-phone') {
  const registry = globalThis.customElements;
  if (!registry || typeof globalThis.HTMLElement !== 'function') return undefined;
  return attempt(() => {
    if (registry.get(name)) return name;
    class PhoneElement extends globalThis.HTMLElement {
      static get observedAttributes() {
        return ['lang', 'wallet'];
      }
      connectedCallback() {
        if (this.phone) return;
        const doc = this.ownerDocument;
        const make = (tag, cls) => Object.assign(doc.createElement(tag), { className: `bdpay-phone-${cls}` });
        let input = this.querySelector('input');
        if (!input) {
          input = make('input', 'input');
          input.type = 'tel';
          input.name = this.getAttribute('name') || 'phone';
          const text = this.getAttribute('label');
          if (text) this.append(Object.assign(make('label', 'label'), { textContent: text }), input);
          else this.append(input);
        }
        made += 1;
        const id = input.id || (input.id = `${name}-${made}`);
        this.querySelector('label:not([for])')?.setAttribute('for', id);
        this.hint = Object.assign(make('p', 'operator'), { id: `${id}-operator` });
        this.hint.setAttribute('aria-live', 'polite');
        this.problem = Object.assign(make('p', 'error'), { id: `${id}-error`, hidden: true });
        this.append(this.hint, this.problem);
        const own = [this.problem.id, this.hint.id];
        const theirs = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && !own.includes(x));
        this.describedBy = theirs;
        this.phone = bindPhone(api, input, {
          kind: this.getAttribute('kind') === 'wallet' ? 'wallet' : 'mobile',
          wallet: () => this.getAttribute('wallet') ?? undefined,
          onChange: () => this.render(),
        });
        this.render();
      }
      attributeChangedCallback() {
        this.phone?.refresh();
      }
      /** Says the operator and the error again, in the language of the element (its `lang`, or its page's). */
      render() {
        const phone = this.phone;
        if (!phone) return;
        const bn = /^bn\b/i.test(this.closest('[lang]')?.getAttribute('lang') ?? '');
        const w = WORDS[bn ? 'bn' : 'en'];
        const o = phone.operator;
        const name = (x) => (bn ? x.name_bn : x.name);
        const digits = (s) => (bn ? s.replace(/[0-9]/g, (d) => String.fromCharCode(BENGALI + Number(d))) : s);
        // An unused prefix is named while the number is typed; once it is whole, its error says so.
        this.hint.textContent = o
          ? w.operator(name(o), o.alternatives.map(name).join(', '))
          : phone.prefix && !phone.complete
            ? w.unused(digits(phone.prefix))
            : '';
        const e = phone.error;
        this.problem.textContent = e ? (bn ? e.message_bn : e.message) : '';
        this.problem.hidden = !e;
        const input = phone.input;
        if (e) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
        input.setAttribute('aria-describedby', [...(e ? [this.problem.id] : []), this.hint.id, ...this.describedBy].join(' '));
        this.dispatchEvent(new Event('bdpay-phone', { bubbles: true }));
      }
      get number() {
        return this.phone?.number;
      }
      get operator() {
        return this.phone?.operator;
      }
      get error() {
        return this.phone?.error ?? null;
      }
      get value() {
        return this.phone?.value ?? '';
      }
      set value(text) {
        if (this.phone) this.phone.value = text;
      }
    }
    registry.define(name, PhoneElement);
    return name;
  }, undefined);
}
