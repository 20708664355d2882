// The phone field's controller (bindPhoneInput) in Node: no DOM, so an
// input is a small stand-in that keeps a value and a selection and
// dispatches events as a browser does. Here: importing never throws (no
// HTMLElement, no customElements), any input at all is taken, a thousand
// random edits never throw and always leave a field the library reads as
// shown; and a bundle that never binds a field leaves the module out. The
// typing itself, in Chromium with real keys, is tests/e2e/phone.test.mjs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { bindPhoneInput, definePhoneElement, normalizePhone } from 'bdpay';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** An <input> as far as the controller sees it: value, selection, events, focus. */
function fakeInput() {
  const listeners = new Map();
  const doc = { activeElement: null };
  const input = {
    ownerDocument: doc,
    value: '',
    selectionStart: 0,
    selectionEnd: 0,
    attributes: new Map(),
    setSelectionRange(a, b) {
      this.selectionStart = a;
      this.selectionEnd = b;
    },
    hasAttribute(n) {
      return this.attributes.has(n);
    },
    setAttribute(n, v) {
      this.attributes.set(n, String(v));
    },
    addEventListener(type, f) {
      listeners.set(type, [...(listeners.get(type) ?? []), f]);
    },
    removeEventListener(type, f) {
      listeners.set(type, (listeners.get(type) ?? []).filter((g) => g !== f));
    },
    fire(type, props = {}) {
      for (const f of listeners.get(type) ?? []) f({ type, ...props });
    },
    focus() {
      doc.activeElement = input;
    },
    /** The browser's edit: `text` replaces the selection, the caret after it, then `input`. */
    edit(text, inputType = 'insertText') {
      const v = this.value;
      this.value = v.slice(0, this.selectionStart) + text + v.slice(this.selectionEnd);
      this.selectionStart = this.selectionEnd = this.selectionStart + text.length;
      this.fire('input', { inputType });
    },
    backspace() {
      const at = this.selectionStart;
      if (this.selectionEnd === at && at > 0) this.selectionStart = at - 1;
      this.edit('', 'deleteContentBackward');
    },
    listeners,
  };
  return input;
}

test('importing bdpay in Node defines no element and throws nothing', () => {
  assert.equal(typeof globalThis.HTMLElement, 'undefined');
  assert.equal(definePhoneElement(), undefined);
  assert.equal(definePhoneElement('my-phone'), undefined);
});

test('any input at all is taken: null, a number, a plain object, a detached stand-in', () => {
  for (const input of [null, undefined, 42, 'input', {}, { addEventListener: 1 }, Object.create(null)]) {
    const phone = bindPhoneInput(input, { onChange: () => {} });
    assert.equal(phone.number, undefined);
    phone.value = '০১৭১২৩৪৫৬৭৮';
    assert.equal(phone.value, '০১৭১২-৩৪৫৬৭৮');
    assert.equal(phone.number, '01712345678');
    assert.equal(phone.operator?.code, 'GP');
    phone.refresh();
    phone.destroy();
  }
  // Options of any kind, and a getter that throws, are survived.
  const hostile = {
    get wallet() {
      throw new Error('boom');
    },
    onChange() {
      throw new Error('boom');
    },
  };
  for (const options of [null, 7, 'x', hostile, { kind: 'wallet', wallet: () => { throw new Error('boom'); } }]) {
    const phone = bindPhoneInput(fakeInput(), options);
    phone.value = '+8801712345678';
    assert.equal(phone.value, '01712-345678');
  }
});

test('the controller sets a phone keypad and the saved number, unless the page chose', () => {
  const input = fakeInput();
  bindPhoneInput(input);
  assert.equal(input.attributes.get('inputmode'), 'tel');
  assert.equal(input.attributes.get('autocomplete'), 'tel');
  const own = fakeInput();
  own.setAttribute('autocomplete', 'off');
  bindPhoneInput(own);
  assert.equal(own.attributes.get('autocomplete'), 'off');
});

test('errors: none while typing, the library own once whole or left, `required` only from check()', () => {
  const input = fakeInput();
  const phone = bindPhoneInput(input);
  input.focus();
  assert.equal(phone.check().code, 'required');
  assert.equal(phone.error, null);
  for (const d of '0171') input.edit(d);
  assert.equal(phone.error, null, 'typing');
  input.ownerDocument.activeElement = null;
  input.fire('blur');
  assert.equal(phone.error.code, 'invalid_phone', 'left unfinished');
  assert.equal(phone.error.message, 'Enter an 11-digit Bangladeshi mobile number, like 01712345678.');
  input.focus();
  input.edit('2');
  assert.equal(phone.error, null, 'typing again');
  input.value = '';
  input.selectionStart = input.selectionEnd = 0;
  for (const d of '01012345678') input.edit(d);
  assert.deepEqual([phone.error.code, phone.error.message], ['invalid_phone', "No operator's numbers start with 010."]);
  assert.equal(phone.error.message_bn, '০১০ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।');
  // A wallet: Rocket takes 12 digits, bKash does not.
  let wallet = 'RK';
  const w = fakeInput();
  const rocket = bindPhoneInput(w, { kind: 'wallet', wallet: () => wallet });
  w.focus();
  for (const d of '017123456789') w.edit(d);
  assert.deepEqual([w.value, rocket.number, rocket.error], ['01712-345678-9', '017123456789', null]);
  wallet = 'BK';
  rocket.refresh();
  assert.equal(rocket.error.code, 'invalid_wallet');
});

test('a thousand random edits never throw, and what the field shows is what the library reads', () => {
  // A fixed seed: the same edits on every run.
  let seed = 28;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const PIECES = ['0', '1', '7', '৩', '৮', '+', '-', ' ', '(', ')', '٣', 'a', '+880', '0088', '০১', '\u200b', '\ud800', '01712345678', '8801712345678', '9'.repeat(30)];
  const TYPES = ['insertText', 'insertFromPaste', 'insertReplacementText', 'deleteContentBackward', 'deleteContentForward', '', undefined];
  const input = fakeInput();
  const phone = bindPhoneInput(input);
  input.focus();
  let composing = false;
  for (let i = 0; i < 1000; i += 1) {
    const len = input.value.length;
    const a = Math.floor(random() * (len + 1));
    const b = a + Math.floor(random() * (len - a + 1));
    input.selectionStart = a;
    input.selectionEnd = b;
    const r = random();
    if (r < 0.1) {
      composing = true;
      input.fire('compositionstart');
    } else if (r < 0.2) {
      composing = false;
      input.fire('compositionend');
    }
    else if (r < 0.25) phone.value = pick([null, 12, {}, pick(PIECES)]);
    else if (r < 0.4) input.backspace();
    else input.edit(pick(PIECES), pick(TYPES));
    assert.ok(input.selectionStart <= input.value.length);
    // Under a composition the IME owns the text; once it ends, the field is formatted again.
    if (composing) continue;
    assert.ok(/^[+]?[0-9০-৯-]*$/.test(input.value), `shown: ${JSON.stringify(input.value)}`);
    if (phone.number !== undefined) assert.equal(normalizePhone(input.value), phone.number);
  }
});

test('a bundle that never binds a field leaves the controller out; one that does, carries it', async () => {
  const size = async (contents) => {
    const out = await esbuild.build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles[0].text;
  };
  const without = await size("export { ready, normalizePhone, validateRequest } from 'bdpay';");
  const withField = await size("export { ready, bindPhoneInput } from 'bdpay';");
  assert.ok(!without.includes('bdpay-phone') && !without.includes('compositionstart'), 'no controller code');
  assert.ok(withField.includes('compositionstart'), 'the controller is there when used');
  assert.ok(withField.length > without.length + 3000, `${withField.length} vs ${without.length}`);
  await esbuild.stop?.();
});

test('the package lists the module, and no entry marks it as having side effects', async () => {
  const { default: pkg } = await import(path.join(root, 'pkg/package.json'), { with: { type: 'json' } });
  assert.ok(pkg.files.includes('phone-input.js'));
  assert.ok(!pkg.sideEffects.includes('./phone-input.js'));
});
