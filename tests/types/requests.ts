// Compile-time tests of the package's types: every line marked
// `@ts-expect-error` must be an error, or `tsc` fails ("unused directive").
// So these fail if the types ever get vague.
import {
  BdpayError,
  checkPhoneList,
  createValidator,
  detectOperator,
  normalizePhone,
  ready,
  validateRequest,
  type BdpayRequest,
  type ErrorCode,
  type FieldError,
  type OperatorCode,
  type PhoneCheck,
  type PhoneList,
  type ValidRequest,
} from 'bdpay';
import * as bdpay from 'bdpay';
import { createValidator as billerValidator, parseBillers, validateBillerForm } from 'bdpay/billers';

// ---- ready: a promise of nothing, the same in every runtime

const loaded: Promise<void> = ready;
// @ts-expect-error it holds no value
const loadedValue: Promise<string> = ready;
// @ts-expect-error a promise, not a function
ready();

// ---- checkPhoneList: packed results, read by index

const list: PhoneList = checkPhoneList(['01712345678', 42, null]);
const firstPhone: string | undefined = list.phone(0);
const firstCode: string | undefined = list.operator(0)?.code;
const firstValid: boolean = list.valid(0);
const asChecks: (PhoneCheck | undefined)[] = [...list];
checkPhoneList(new Set(['01712345678']));
// @ts-expect-error an index, not a number's text
list.phone('01712345678');
// @ts-expect-error the operator hints are read-only
list.operator(0)!.code = 'GP';
// @ts-expect-error packed results are not an array
list.push(undefined);

// ---- requests: a union discriminated on `type`

const recharge: BdpayRequest = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100 };
const rechargeText: BdpayRequest = {
  type: 'recharge',
  operator_code: 'RB',
  phone: '+880 1812-345678',
  amount: '100.50',
  sub_type: 'Postpaid',
  ref_id: 'ORD-1',
};
const data: BdpayRequest = { type: 'data', operator_code: 'GP', phone: '01712345678', package_id: 3 };
const drive: BdpayRequest = { type: 'drive', operator_code: 'BL', phone: '01912345678', package_id: '7' };
const mfs: BdpayRequest = { type: 'mfs', operator_code: 'RK', phone: '017123456789', amount: 500, sub_type: 'Agent' };
const bill: BdpayRequest = { type: 'bill', operator_code: 'DESCO', bill_number: '123456', month: 4, amount: '850.00' };
const billWithPhone: BdpayRequest = {
  type: 'bill',
  operator_code: 'BRD',
  bill_number: 'ACC-1',
  month: '04',
  amount: 1,
  phone: '01812345678',
};
const runTimeOperator: BdpayRequest = { type: 'recharge', operator_code: 'XT', phone: '01012345678', amount: 20 };

// @ts-expect-error a wrong type
const wrongType: BdpayRequest = { type: 'topup', operator_code: 'GP', phone: '01712345678', amount: 100 };
// @ts-expect-error a missing phone
const noPhone: BdpayRequest = { type: 'recharge', operator_code: 'GP', amount: 100 };
// @ts-expect-error a missing amount
const noAmount: BdpayRequest = { type: 'mfs', operator_code: 'BK', phone: '01712345678' };
// @ts-expect-error a missing operator_code
const noOperator: BdpayRequest = { type: 'recharge', phone: '01712345678', amount: 100 };
// @ts-expect-error a recharge has no package_id
const rechargeWithPackage: BdpayRequest = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, package_id: 3 };
// @ts-expect-error a data package has no amount
const dataWithAmount: BdpayRequest = { type: 'data', operator_code: 'GP', phone: '01712345678', package_id: 3, amount: 10 };
// @ts-expect-error a data package needs package_id
const dataWithoutPackage: BdpayRequest = { type: 'data', operator_code: 'GP', phone: '01712345678' };
// @ts-expect-error a bill needs a month
const billWithoutMonth: BdpayRequest = { type: 'bill', operator_code: 'DESCO', bill_number: '123456', amount: 850 };
// @ts-expect-error a bill has no sub_type
const billWithSubType: BdpayRequest = { type: 'bill', operator_code: 'DESCO', bill_number: '1234', month: 4, amount: 1, sub_type: 'Prepaid' };
// @ts-expect-error recharge sub_type is one of the documented values
const badSubType: BdpayRequest = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, sub_type: 'Gift' };
// @ts-expect-error mfs sub_type is only Agent
const mfsPrepaid: BdpayRequest = { type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 100, sub_type: 'Prepaid' };
// @ts-expect-error amounts are numbers or strings
const booleanAmount: BdpayRequest = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: true };
// @ts-expect-error phone is a string
const numericPhone: BdpayRequest = { type: 'recharge', operator_code: 'GP', phone: 1712345678, amount: 100 };
// @ts-expect-error unknown fields are refused
const extraField: BdpayRequest = { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, colour: 'red' };

// validateRequest takes the same union.
validateRequest(recharge);
// @ts-expect-error a wrong type, inline
validateRequest({ type: 'gift', operator_code: 'GP', phone: '01712345678', amount: 100 });
// @ts-expect-error a missing phone, inline
validateRequest({ type: 'recharge', operator_code: 'GP', amount: 100 });
// @ts-expect-error a recharge with package_id, inline
validateRequest({ type: 'recharge', operator_code: 'GP', phone: '01712345678', amount: 100, package_id: 1 });
// Untyped input (JSON.parse gives `any`) passes; the run-time check does the rest.
validateRequest(JSON.parse('{}'));
// So does anything that is not an object, and a value of type `unknown`: it
// never throws, and comes back `{ ok: false, errors }`.
validateRequest('recharge');
validateRequest(42);
validateRequest(null);
validateRequest(undefined);
const fromForm: unknown = JSON.parse('[]');
const checked: boolean = validateRequest(fromForm).ok;

// ---- results narrow on `ok`, and then on `type`

const result = validateRequest(mfs);
if (result.ok) {
  const value: ValidRequest = result.value;
  if (value.type === 'mfs') {
    const amount: string = value.amount; // exact text: "500.00"
    // @ts-expect-error amounts come out as strings, never numbers
    const asNumber: number = value.amount;
  }
  if (value.type === 'data') {
    const id: number = value.package_id;
    // @ts-expect-error a data result has no amount
    value.amount;
  }
  if (value.type === 'bill') {
    const month: string = value.month;
  }
  // @ts-expect-error errors exist only when ok is false
  result.errors;
} else {
  const first: FieldError | undefined = result.errors[0];
  if (first) {
    const code: ErrorCode = first.code;
    const bn: string = first.message_bn;
    switch (code) {
      case 'invalid_phone':
      case 'amount_too_large':
      case 'too_many_decimals':
        break;
      // @ts-expect-error not a code bdpay uses
      case 'phone_invalid':
        break;
    }
  }
  // @ts-expect-error value exists only when ok is true
  result.value;
}

// ---- other functions

const phone: string | undefined = normalizePhone('01712345678');
normalizePhone(42); // anything goes in; non-strings give undefined
// @ts-expect-error normalizePhone may return undefined
const phoneSure: string = normalizePhone('01712345678');
const hint = detectOperator('01312345678');
if (hint) {
  const code: OperatorCode = hint.code;
  const alt: string | undefined = hint.alternatives[0]?.name_bn;
}
const known: OperatorCode = 'GP';
const added: OperatorCode = 'XT'; // run-time operators are allowed

const v = createValidator({
  operators: [{ code: 'XT', name: 'Xtra', kind: 'mobile', services: ['recharge'], prefixes: ['010'] }],
  limits: { recharge: { min: 20, max: '1000.50' } },
});
v.validateRequest(recharge);
const rechargeMax: string | undefined = v.limits().recharge?.max;
// @ts-expect-error operator kind is mobile, mfs or biller
createValidator({ operators: [{ code: 'XT', name: 'Xtra', kind: 'telco' }] });
// @ts-expect-error limits are per recharge, mfs or bill
createValidator({ limits: { data: { max: 5 } } });
// @ts-expect-error services are request types
createValidator({ operators: [{ code: 'XT', name: 'Xtra', kind: 'mobile', services: ['airtime'] }] });

const form = validateBillerForm(
  { biller_id: 'b451', title: 'Bakhrabad Gas', params: [{ field_type: 'select', key: 'bll_typ', options: [{ option_value: 'M' }] }] },
  { bll_typ: 'M' },
);
if (form.ok) {
  const sent: Record<string, string> = form.value;
}
// @ts-expect-error a biller needs its id
validateBillerForm({ title: 'Bakhrabad Gas' }, {});
// @ts-expect-error form values are text or numbers
validateBillerForm({ biller_id: 'b451' }, { bll_typ: true });
// Anything that is not an object passes, and comes back refused.
validateBillerForm(undefined, 10n);
const billerFromApi: unknown = JSON.parse('{}');
validateBillerForm(billerFromApi, billerFromApi);
parseBillers(42);
readIntent(undefined);
billerValidator().validateBillerForm({ biller_id: 'b451', title: 'Bakhrabad Gas' }, {});
// @ts-expect-error bdpay's validators have no biller forms: those are bdpay/billers
v.validateBillerForm({ biller_id: 'b451', title: 'Bakhrabad Gas' }, {});
// @ts-expect-error nor does bdpay export them
bdpay.parseBillers(42);

// ---- BdpayError is a class with the documented fields

const err = new BdpayError('Too many requests', { kind: 'rate_limited', status: 429, retryAfterMs: 1000 });
const isError: Error = err;
const kind: string = err.kind;
const status: number | undefined = err.status;
const fieldErrors: FieldError[] = err.fieldErrors;
const messages: string[] = err.messages;
const retry: number | undefined = err.retryAfterMs;
const title: string | undefined = err.title;
const notCommitted: boolean = err.notCommitted;
function handle(e: unknown): ErrorCode[] {
  return e instanceof BdpayError && e.kind === 'validation' ? e.fieldErrors.map((f) => f.code) : [];
}
// @ts-expect-error status is a number
new BdpayError('x', { status: '429' });

export {};

// ---- Clients ----
import { GatewayClient, BillPayClient, readIntent } from 'bdpay/clients';
import * as gatewayEntry from 'bdpay/gateway';

async function gatewayOnly() {
  const gw = new gatewayEntry.GatewayClient({ baseUrl: 'https://proxy.example' });
  const t: string = (await gw.recharge({ operator_code: 'GP', phone: '01712345678', amount: 100 })).trx_id;
  const claims = gatewayEntry.readIntent('x');
  const ok: boolean = gatewayEntry.validateRequest(JSON.parse('{}')).ok;
  // @ts-expect-error bdpay/gateway has no wallet client
  new gatewayEntry.BillPayClient({ baseUrl: 'https://proxy.example' });
  // @ts-expect-error nor the biller schemas
  gatewayEntry.parseBillers('{}');
  return [t, claims, ok];
}

async function clients() {
  const gw = new GatewayClient({ baseUrl: 'https://proxy.example' });
  const t = await gw.recharge({ operator_code: 'GP', phone: '01712345678', amount: 100 });
  const s: string = t.trx_id;
  await gw.waitForFinal(t);
  await gw.status({ ref_id: 'ORD-1' });
  await gw.data({ operator_code: 'GP', phone: '01712345678', package_id: 3 });
  await gw.bill({ operator_code: 'DESCO', bill_number: '1234', month: '04', amount: 850 });
  // @ts-expect-error a recharge needs an amount
  await gw.recharge({ operator_code: 'GP', phone: '01712345678' });
  // @ts-expect-error a data package has no amount
  await gw.data({ operator_code: 'GP', phone: '01712345678', package_id: 3, amount: 5 });
  // @ts-expect-error status takes trx_id or ref_id, not both
  await gw.status({ trx_id: 'T', ref_id: 'R' });
  // @ts-expect-error the recharge method only takes recharges
  await gw.recharge({ type: 'mfs', operator_code: 'BK', phone: '01712345678', amount: 5 });
  // @ts-expect-error baseUrl is required
  new GatewayClient({ token: 't' });
  // Number settings are numbers or decimal text, as the proxy's are.
  new GatewayClient({ baseUrl: 'https://proxy.example', timeoutMs: '30000', reconcileChecks: 2, rateLimit: { perMinute: '20' } });
  // @ts-expect-error a number setting is not a boolean
  new GatewayClient({ baseUrl: 'https://proxy.example', reconcileChecks: true });
  const w = new BillPayClient({ baseUrl: 'https://proxy.example' });
  const r = await w.execute({ request_id: 'r', pin: '0420' });
  const total: string | undefined = r.total_payable?.amount;
  return [s, total];
}
void clients;
