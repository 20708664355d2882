// The JS API of the built package, imported by its bare name through the
// `exports` map (node_modules/bdpay links to pkg/), end to end through wasm.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  BdpayError,
  createValidator,
  detectOperator,
  limits,
  normalizePhone,
  normalizeWallet,
  checkPhone,
  checkPhones,
  checkPhoneList,
  operators,
  validateRequest,
} from 'bdpay';
import { parseBillers, validateBillerForm } from 'bdpay/billers';
import { GatewayClient } from 'bdpay/clients';

const codes = (result) => {
  assert.equal(result.ok, false, JSON.stringify(result));
  return result.errors.map((e) => [e.field, e.code]);
};

test('normalizePhone accepts every documented form and refuses the rest', () => {
  const rows = [
    ['01712345678', '01712345678'],
    ['+8801712345678', '01712345678'],
    ['8801712345678', '01712345678'],
    ['00880 1712-345678', '01712345678'],
    [' (017) 1234.5678 ', '01712345678'],
    ['০১৭১২৩৪৫৬৭৮', '01712345678'],
    ['+৮৮০ ১৯১২ ৩৪৫৬৭৮', '01912345678'],
    ['01112345678', undefined],
    ['01212345678', undefined],
    ['0171234567', undefined],
    ['017123456789', undefined],
    ['0171234567a', undefined],
    ['', undefined],
    [1712345678, undefined],
    [null, undefined],
    [undefined, undefined],
    [{ toString: () => '01712345678' }, undefined],
    [['01712345678'], undefined],
  ];
  for (const [input, want] of rows) {
    assert.equal(normalizePhone(input), want, String(input));
  }
});

test('normalizeWallet takes Rocket accounts of 12 digits only for Rocket', () => {
  assert.equal(normalizeWallet('017-1234-5678-9', 'RK'), '017123456789');
  assert.equal(normalizeWallet('017123456789', 'BK'), undefined);
  assert.equal(normalizeWallet('+880 1812 345678', 'ng'), '01812345678');
  assert.equal(normalizeWallet('01712345678', 'GP'), undefined, 'GP is not a wallet');
  assert.equal(normalizeWallet('01712345678', 42), undefined);
});

test('detectOperator with { partial: true } answers a number being typed', () => {
  const rows = [['0131', 'GP', ['SK']], ['+880 19', 'BL', []], ['০১৬', 'AT', ['RB']], ['0111', undefined, undefined], ['01', undefined, undefined]];
  for (const [typed, code, alternatives] of rows) {
    const hint = detectOperator(typed, { partial: true });
    assert.equal(hint?.code, code, typed);
    assert.deepEqual(hint?.alternatives.map((a) => a.code), alternatives, typed);
  }
  assert.equal(detectOperator('0131'), undefined, 'without partial, only complete numbers');
});

test('detectOperator suggests GP for 013 with Skitto as the alternative', () => {
  assert.deepEqual(detectOperator('+880 1312-345678'), {
    code: 'GP',
    name: 'Grameenphone',
    name_bn: 'গ্রামীণফোন',
    alternatives: [{ code: 'SK', name: 'Skitto', name_bn: 'স্কিটো' }],
  });
  const rows = [
    ['01412345678', 'BL'],
    ['01512345678', 'TT'],
    ['01612345678', 'AT'],
    ['01712345678', 'GP'],
    ['01812345678', 'RB'],
    ['01912345678', 'BL'],
  ];
  for (const [phone, code] of rows) assert.equal(detectOperator(phone)?.code, code, phone);
  for (const bad of ['01112345678', 'hello', 42, undefined]) {
    assert.equal(detectOperator(bad), undefined, String(bad));
  }
});

test('operators() lists mobile, MFS and both biller code sets, as data', () => {
  const list = operators();
  const byCode = new Map(list.map((o) => [o.code, o]));
  for (const code of ['GP', 'RB', 'AT', 'BL', 'SK', 'TT', 'BK', 'NG', 'RK', 'DESCO', 'DPDC',
    'TITAS', 'PBP', 'PBD', 'DSP', 'DSD', 'JLB', 'SBG', 'BRD', 'ART']) {
    assert.ok(byCode.has(code), code);
  }
  assert.deepEqual(byCode.get('RK').wallet_digits, [11, 12]);
  assert.deepEqual(byCode.get('GP').prefixes, ['013', '017']);
  assert.deepEqual(byCode.get('BRD').services, ['bill']);
  assert.equal(byCode.get('BRD').phone, 'required');
  list[0].code = 'mutated';
  assert.equal(operators()[0].code, 'GP', 'each call returns fresh data');
});

test('limits() are exact decimal strings', () => {
  assert.deepEqual(limits(), {
    recharge: { min: '10.00', max: '5000.00' },
    mfs: { min: '10.00', max: '25000.00' },
    bill: { min: '1.00', max: '200000.00' },
  });
});

test('validateRequest normalises a good request of each type, amounts as exact strings', () => {
  const rows = [
    [
      { type: 'recharge', operator_code: 'gp', phone: '+880 1712-345678', amount: 100.5, sub_type: 'postpaid', ref_id: 'ORD-1' },
      { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: '100.50', sub_type: 'Postpaid', ref_id: 'ORD-1' },
    ],
    [
      { type: 'data', operator_code: 'RB', phone: '01812345678', package_id: '12' },
      { type: 'data', operator_code: 'RB', phone: '01812345678', package_id: 12 },
    ],
    [
      { type: 'drive', operator_code: 'BL', phone: '০১৯১১১১১১১১', package_id: 7 },
      { type: 'drive', operator_code: 'BL', phone: '01911111111', package_id: 7 },
    ],
    [
      { type: 'mfs', operator_code: 'RK', phone: '017123456789', amount: '24999.99', sub_type: 'Agent' },
      { type: 'mfs', operator_code: 'RK', phone: '017123456789', amount: '24999.99', sub_type: 'Agent' },
    ],
    [
      { type: 'bill', operator_code: 'DESCO', bill_number: '1234567890', month: 4, amount: 850 },
      { type: 'bill', operator_code: 'DESCO', bill_number: '1234567890', month: '04', amount: '850.00' },
    ],
    [
      // 0.1 + 0.2 is 0.30000000000000004 in floating point: refused, not rounded.
      { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: '10.1' },
      { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: '10.10' },
    ],
  ];
  for (const [input, value] of rows) {
    assert.deepEqual(validateRequest(input), { ok: true, value }, JSON.stringify(input));
  }
});

test('validateRequest reports every bad field with English and Bangla messages', () => {
  const result = validateRequest({
    type: 'recharge', operator_code: 'XX', phone: '123', amount: '1.234', sub_type: 'Gift',
    ref_id: 'bad id!', package_id: 1,
  });
  assert.deepEqual(codes(result), [
    ['package_id', 'unknown_field'],
    ['operator_code', 'unknown_operator'],
    ['phone', 'invalid_phone'],
    ['amount', 'too_many_decimals'],
    ['sub_type', 'invalid_sub_type'],
    ['ref_id', 'invalid_ref_id'],
  ]);
  for (const e of result.errors) {
    assert.ok(e.message.length > 0, e.code);
    assert.match(e.message_bn, /[\u0980-\u09FF]/, `${e.code} has a Bangla message`);
  }
  assert.deepEqual(validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 5001 }).errors, [
    {
      field: 'amount',
      code: 'amount_too_large',
      message: 'Amount must be at most ৳5,000.00.',
      message_bn: 'টাকার পরিমাণ ৳৫,০০০.০০ বা তার কম হতে হবে।',
    },
  ]);
});

test('validateRequest checks amounts exactly, as JavaScript prints them', () => {
  const base = { type: 'recharge', operator_code: 'GP', phone: '01712345678' };
  const rows = [
    [100.005, 'too_many_decimals'],
    [0.1 + 0.2, 'too_many_decimals'],
    [1e21, 'amount_too_large'],
    [5000.01, 'amount_too_large'],
    [9.99, 'amount_too_small'],
    [0, 'amount_not_positive'],
    [-0, 'amount_not_positive'],
    [-10, 'amount_not_positive'],
    [NaN, 'required'], // JSON has no NaN: JSON.stringify sends null
    [Infinity, 'required'],
    ['1e3', undefined],
    ['ten', 'invalid_amount'],
    [true, 'invalid_amount'],
    [[10], 'invalid_amount'],
  ];
  for (const [amount, code] of rows) {
    const result = validateRequest({ ...base, amount });
    if (code === undefined) {
      assert.equal(result.ok, true, `${amount}: ${JSON.stringify(result)}`);
    } else {
      assert.deepEqual(codes(result), [['amount', code]], String(amount));
    }
  }
  assert.equal(validateRequest({ ...base, amount: 5000 }).value.amount, '5000.00');
  assert.equal(validateRequest({ ...base, amount: '4999.99' }).value.amount, '4999.99');
});

test('validateRequest never throws, whatever it is given', () => {
  const cycle = { type: 'recharge' };
  cycle.self = cycle;
  const throwingGetter = {
    type: 'recharge',
    get phone() {
      throw new Error('boom');
    },
  };
  const throwingToJSON = { toJSON() { throw new TypeError('nope'); } };
  const deep = [];
  let at = deep;
  for (let i = 0; i < 100_000; i++) at = at[0] = [];
  const hostile = [
    undefined,
    null,
    0,
    NaN,
    Infinity,
    1e21,
    10n,
    'text',
    '{"type":"recharge"}',
    Symbol('s'),
    () => 1,
    [],
    cycle,
    throwingGetter,
    throwingToJSON,
    deep,
    { amount: 10n },
    JSON.parse('{"__proto__":{"type":"recharge"},"type":"data"}'),
    Object.create(null),
    new Proxy({}, { ownKeys() { throw new Error('trap'); } }),
    { type: 'recharge', phone: 'x'.repeat(1_000_000) },
    { type: 'recharge\u0000', operator_code: '\ud800' },
  ];
  for (const input of hostile) {
    let result;
    assert.doesNotThrow(() => {
      result = validateRequest(input);
    }, String(typeof input));
    assert.equal(result.ok, false, `${typeof input} is refused`);
    assert.ok(Array.isArray(result.errors) && result.errors.length > 0);
    for (const e of result.errors) {
      assert.equal(typeof e.code, 'string');
      assert.match(e.message_bn, /[\u0980-\u09FF]/, 'the Bangla message comes from Rust');
    }
  }
  // Values JSON cannot carry get the same structured answer as any non-object.
  const notAnObject = [['', 'not_an_object']];
  assert.deepEqual(codes(validateRequest(10n)), notAnObject);
  assert.deepEqual(codes(validateRequest(cycle)), notAnObject);
  assert.deepEqual(codes(validateRequest(undefined)), notAnObject);
  assert.deepEqual(codes(validateRequest({ amount: 10n })), notAnObject);
  assert.deepEqual(
    validateRequest(10n).errors[0].message_bn,
    'অনুরোধটি একটি অবজেক্ট হতে হবে।',
  );
  // `__proto__` as an own key is just an unknown field, never a prototype.
  assert.deepEqual(
    codes(validateRequest(JSON.parse('{"type":"data","operator_code":"GP","phone":"01711111111","package_id":1,"__proto__":{"amount":5}}'))),
    [['__proto__', 'unknown_field']],
  );
  assert.equal({}.amount, undefined, 'Object.prototype untouched');
});

test('values reach Rust whole, bounded as JSON text was: nesting, size, lone surrogates', () => {
  const nest = (n) => {
    let v = { type: 'recharge' };
    for (let i = 1; i < n; i += 1) v = { type: 'recharge', x: v };
    return v;
  };
  // The request itself is a level: 64 levels are read (and refused for
  // their fields), 65 are too deep.
  assert.ok(!codes(validateRequest(nest(64))).some(([, c]) => c === 'too_deep'));
  assert.deepEqual(codes(validateRequest(nest(65))), [['', 'too_deep']]);
  // Past 4 Mi code units the value is not written at all.
  assert.deepEqual(codes(validateRequest({ type: 'recharge', phone: '9'.repeat(4 * 1024 * 1024) })), [['', 'too_large']]);
  const big = validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 10, note: 'x'.repeat(300_000) });
  assert.deepEqual(codes(big), [['note', 'unknown_field']]);
  // After those, the numbers' buffer is found again wherever it now is.
  assert.deepEqual(checkPhone('01712345678')?.phone, '01712345678');
  assert.equal(normalizePhone('+880 1812-345678'), '01812345678');
  // A lone surrogate reads as U+FFFD, as JSON text read it.
  const lone = validateRequest({ type: 'recharge', operator_code: 'G\ud800', phone: '01712345678', amount: 10 });
  assert.deepEqual(codes(lone), [['operator_code', 'unknown_operator']]);
});

test('normalizePhone, normalizeWallet and a partial detectOperator refuse long text without throwing', () => {
  const long = '0'.repeat(5_000_000);
  assert.equal(normalizePhone(long), undefined);
  assert.equal(normalizeWallet(long, 'BK'), undefined);
  assert.equal(normalizeWallet('01712345678', long), undefined);
  assert.equal(detectOperator(long, { partial: true }), undefined);
  assert.equal(normalizeWallet('01712345678', 'BK'), '01712345678', 'and still work after');
  // A typed prefix's hint is the complete number's: one shared, frozen object.
  assert.equal(detectOperator('0171', { partial: true }), detectOperator('01712345678'));
  assert.ok(Object.isFrozen(detectOperator('0171', { partial: true })));
});

test('validateBillerForm merges hidden fields and the user\'s choice wins (Bakhrabad Gas)', () => {
  const body = readFileSync(new URL('../fixtures/wallet-billers.json', import.meta.url), 'utf8');
  const parsed = parseBillers(body);
  assert.equal(parsed.ok, true, JSON.stringify(parsed));
  assert.deepEqual(parseBillers(JSON.parse(body)), parsed, 'text or object');
  assert.deepEqual(parsed.value.map((t) => t.title), ['Electricity', 'Water', 'Gas', 'Internet', 'DTH', 'Education', 'Other']);
  const bakhrabad = parsed.value.flatMap((t) => t.billers).find((b) => b.biller_id === 'b451');

  const sent = validateBillerForm(bakhrabad, { bllr_accno: 'ACC১২৩', bill_mobno: '+880 1812-345678', bll_typ: 'M' });
  assert.deepEqual(sent, {
    ok: true,
    value: { biller_id: 'b451', bll_typ: 'M', mode: 'SAPI', bllr_accno: 'ACC123', bill_mobno: '01812345678' },
  });
  assert.deepEqual(Object.keys(sent.value), ['biller_id', 'bll_typ', 'mode', 'bllr_accno', 'bill_mobno']);
  assert.deepEqual(
    codes(validateBillerForm(bakhrabad, { bllr_accno: '12 34', bill_mobno: '01112345678', bll_typ: 'X', extra: '1' })),
    [['extra', 'unknown_field'], ['bllr_accno', 'invalid_value'], ['bill_mobno', 'invalid_phone'], ['bll_typ', 'invalid_option']],
  );
  assert.deepEqual(codes(validateBillerForm(bakhrabad, {})), [
    ['bllr_accno', 'required'], ['bill_mobno', 'required'], ['bll_typ', 'required'],
  ]);
  assert.deepEqual(codes(validateBillerForm(undefined, {})), [['biller', 'not_an_object']]);
  assert.deepEqual(codes(validateBillerForm(bakhrabad, 10n)), [['', 'not_an_object']]);
});

test('parseBillers says where a response breaks', () => {
  assert.deepEqual(parseBillers('{"data":{"types":[{"title":"Gas","billers":[{"biller_id":"b1"}]}]}}'), {
    ok: false,
    error: { path: 'data.types[0].billers[0].title', expected: 'string' },
  });
  assert.deepEqual(parseBillers({}), { ok: false, error: { path: 'data.types', expected: 'array' } });
  assert.equal(parseBillers('{').ok, false);
  assert.equal(parseBillers(10n).ok, false);
});

test('createValidator adds an operator on prefix 010 and changes limits', () => {
  const v = createValidator({
    operators: [{ code: 'xt', name: 'Xtra', name_bn: 'এক্সট্রা', kind: 'mobile', services: ['recharge'], prefixes: ['010'] }],
    limits: { recharge: { min: 20, max: '1000.50' } },
  });
  assert.equal(v.normalizePhone('01012345678'), '01012345678');
  assert.equal(normalizePhone('01012345678'), undefined, 'the default rules are unchanged');
  assert.deepEqual(v.detectOperator('০১০১২৩৪৫৬৭৮'), { code: 'XT', name: 'Xtra', name_bn: 'এক্সট্রা', alternatives: [] });
  assert.deepEqual(v.limits().recharge, { min: '20.00', max: '1000.50' });
  assert.ok(v.operators().some((o) => o.code === 'XT' && o.prefixes.includes('010')));
  assert.deepEqual(v.validateRequest({ type: 'recharge', operator_code: 'XT', phone: '01012345678', amount: '1000.50' }), {
    ok: true,
    value: { type: 'recharge', operator_code: 'XT', phone: '01012345678', amount: '1000.50' },
  });
  assert.deepEqual(codes(v.validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 19.99 })), [
    ['amount', 'amount_too_small'],
  ]);
  assert.deepEqual(codes(v.validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 1000.51 })), [
    ['amount', 'amount_too_large'],
  ]);
  assert.deepEqual(codes(v.validateRequest({ type: 'data', operator_code: 'XT', phone: '01012345678', package_id: 1 })), [
    ['operator_code', 'operator_not_supported'],
  ]);
  const replaced = createValidator({ replaceOperators: true, operators: [{ code: 'BK', name: 'bKash', kind: 'mfs', services: ['mfs'] }] });
  assert.deepEqual(replaced.operators().map((o) => o.code), ['BK']);
  assert.equal(replaced.detectOperator('01712345678'), undefined);
  assert.deepEqual(createValidator().limits(), limits());
  assert.deepEqual(createValidator(null).operators(), operators());
});

test('a bad config throws a BdpayError of kind validation with every field error', () => {
  const bad = [
    [{ limits: { recharge: { min: 100, max: 5 } }, operators: [{ code: 'X' }], colour: 'red' },
      [['limits.recharge', 'invalid_amount'], ['operators[0]', 'invalid_value'], ['colour', 'unknown_field']]],
    [[], [['', 'not_an_object']]],
    ['{}', [['', 'not_an_object']]],
    [10n, [['', 'not_an_object']]],
  ];
  for (const [config, want] of bad) {
    assert.throws(
      () => createValidator(config),
      (e) => {
        assert.ok(e instanceof BdpayError && e instanceof Error);
        assert.equal(e.name, 'BdpayError');
        assert.equal(e.kind, 'validation');
        assert.deepEqual(e.fieldErrors.map((f) => [f.field, f.code]), want);
        assert.deepEqual(e.messages, e.fieldErrors.map((f) => f.message));
        assert.match(e.message, /^Invalid validator config: /);
        assert.equal(e.code, 'invalid_validator_config');
        assert.match(e.messageBn, /^ভ্যালিডেটরের সেটিং সঠিক নয়: /);
        assert.ok(e.fieldErrors.every((f) => e.messageBn.includes(f.message_bn)), e.messageBn);
        return true;
      },
      JSON.stringify(String(config)),
    );
  }
});

test('BdpayError is a real class with kind, code, status, messageBn, serverMessage, fieldErrors, messages and retryAfterMs', () => {
  const cause = new Error('socket closed');
  const e = new BdpayError('Too many requests', { kind: 'rate_limited', status: 429, messages: ['slow down'], retryAfterMs: 1500, cause });
  assert.equal(typeof BdpayError, 'function');
  assert.ok(e instanceof BdpayError);
  assert.ok(e instanceof Error);
  assert.equal(Object.getPrototypeOf(BdpayError.prototype), Error.prototype);
  assert.deepEqual(
    [e.name, e.message, e.kind, e.status, e.fieldErrors, e.messages, e.retryAfterMs, e.cause],
    ['BdpayError', 'Too many requests', 'rate_limited', 429, [], ['slow down'], 1500, cause],
  );
  assert.match(e.stack, /BdpayError: Too many requests/);
  const plain = new BdpayError('x');
  assert.deepEqual(
    [plain.kind, plain.code, plain.messageBn, plain.serverMessage, plain.status, plain.retryAfterMs, plain.title, plain.notCommitted, 'cause' in plain],
    ['unknown', undefined, '', undefined, undefined, undefined, undefined, false, false],
  );
  const bilingual = new BdpayError('Sorry! PIN does not match.', {
    kind: 'validation',
    code: 'pin_mismatch',
    messageBn: 'দুঃখিত, পিন মেলেনি।',
    serverMessage: 'Sorry! PIN does not match.',
  });
  assert.deepEqual(
    [bilingual.code, bilingual.messageBn, bilingual.serverMessage],
    ['pin_mismatch', 'দুঃখিত, পিন মেলেনি।', 'Sorry! PIN does not match.'],
  );
  const wallet = new BdpayError('Wrong PIN', { kind: 'api', title: 'E_PIN_ERROR', notCommitted: true });
  assert.deepEqual([wallet.title, wallet.notCommitted], ['E_PIN_ERROR', true]);
});

test('client number settings take a number or its decimal text, as the proxy does', () => {
  for (const timeoutMs of [30000, '30000']) {
    assert.ok(new GatewayClient({ baseUrl: 'https://proxy.example', timeoutMs, reconcileChecks: '2' }));
  }
  for (const timeoutMs of ['30k', -1, 1.5, true]) {
    assert.throws(
      () => new GatewayClient({ baseUrl: 'https://proxy.example', timeoutMs }),
      (e) => {
        assert.ok(e instanceof BdpayError);
        assert.deepEqual(e.fieldErrors.map((f) => [f.field, f.code]), [['timeoutMs', 'invalid_value']]);
        assert.match(e.fieldErrors[0].message_bn, /পূর্ণসংখ্যা/);
        return true;
      },
      String(timeoutMs),
    );
  }
});

test('checkPhone normalises, validates and names the operator in one call; operators are shared and frozen', () => {
  const gp = checkPhone('+880 1312-345678');
  assert.equal(gp.phone, '01312345678');
  assert.equal(gp.operator.code, 'GP');
  assert.deepEqual(gp.operator.alternatives.map((a) => a.code), ['SK']);
  assert.ok(Object.isFrozen(gp.operator) && Object.isFrozen(gp.operator.alternatives[0]));
  assert.equal(checkPhone('০১৩৯৯৯৯৯৯৯৯').operator, gp.operator, 'one object per prefix');
  assert.equal(detectOperator('01312345678'), gp.operator, 'detectOperator gives the same object');
  assert.deepEqual(checkPhone('01700000009'), { phone: '01700000009', operator: detectOperator('01700000009') });
  for (const bad of ['01112345678', '0171234567', '+1 212 555 0100', '', '017\n12345678', 1712345678, null, undefined, {}]) {
    assert.equal(checkPhone(bad), undefined, String(bad));
  }
  const v = createValidator({
    operators: [{ code: 'xt', name: 'Xtra', name_bn: 'এক্সট্রা', kind: 'mobile', services: ['recharge'], prefixes: ['010'] }],
  });
  assert.equal(v.checkPhone('01012345678').operator.code, 'XT');
  assert.equal(checkPhone('01012345678'), undefined, 'the default rules are unchanged');
  // 010's numbers are the ones whose last nine digits need padding.
  assert.deepEqual(v.checkPhone('+880 1000-000007'), { phone: '01000000007', operator: v.detectOperator('01012345678') });
  assert.equal(v.checkPhoneList(['01000000000', '01312345678']).at(0).phone, '01000000000');
  assert.equal(v.detectOperator('0100', { partial: true }), v.checkPhone('01012345678').operator);
});

test('checkPhones gives exactly what checkPhone gives, input by input, across chunks', () => {
  const forms = ['01712345678', '+8801812345678', '০১৩১২৩৪৫৬৭৮', '01112345678', 'abc', '', '017\n12345678', 42, null, '  01912345678 ', '008801512345678'];
  const list = Array.from({ length: 10_001 }, (_, i) => {
    const f = forms[i % forms.length];
    return typeof f === 'string' && f.startsWith('01') && f.length === 11 ? `01${String(700_000_000 + i).slice(0, 9)}` : f;
  });
  const many = checkPhones(list);
  assert.equal(many.length, list.length);
  list.forEach((s, i) => assert.deepEqual(many[i], checkPhone(s), `#${i}: ${String(s)}`));
  assert.ok(many.filter(Boolean).length > 4000, 'most of the list is numbers');
  assert.deepEqual(checkPhones(new Set(['01712345678'])), [checkPhone('01712345678')]);
  assert.deepEqual(checkPhones([]), []);
  assert.deepEqual(checkPhones(undefined), []);
});

test('checkPhoneList reads, input by input, exactly what checkPhones gives; nothing outside it is a number', () => {
  const forms = ['01712345678', '+8801812345678', '০১৩১২৩৪৫৬৭৮', '01112345678', 'abc', '', '017\n12345678', 42, null, ' 01912345678 ', '০১৪১০০০০০০০'];
  const list = Array.from({ length: 9_000 }, (_, i) =>
    i % 3 === 0 ? `01${3 + (i % 7)}${String(i * 7919).padStart(8, '0').slice(-8)}` : forms[i % forms.length],
  );
  const many = checkPhones(list);
  const packed = checkPhoneList(list);
  assert.equal(packed.length, list.length);
  list.forEach((s, i) => {
    const want = many[i];
    assert.deepEqual(packed.at(i), want, `#${i}: ${String(s)}`);
    assert.equal(packed.valid(i), want !== undefined);
    assert.equal(packed.phone(i), want?.phone);
    assert.equal(packed.operator(i), want?.operator, 'the same shared operator object');
  });
  assert.ok(many.filter(Boolean).length > 3000, 'the list holds numbers on every prefix');
  assert.deepEqual([...packed], many, 'iterating gives the checkPhones array');
  for (const outside of [-1, list.length, 1.5, Number.NaN, undefined]) {
    assert.equal(packed.valid(outside), false, String(outside));
    assert.equal(packed.at(outside), undefined);
  }
  assert.equal(checkPhoneList(undefined).length, 0);
  assert.equal(checkPhoneList(new Set(['01712345678'])).phone(0), '01712345678');
  assert.ok(Object.isFrozen(packed));
});
