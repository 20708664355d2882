// Types of the bdpay package, written by hand: requests are a discriminated
// union on `type`, error codes a literal union, so a wrong `type` or a missing
// field is a compile error rather than a run-time surprise.

/** An amount in taka: a number, or decimal text such as `"100.50"` (at most 2 decimals). */
export type Amount = number | string;

/** Operators known out of the box. */
export type MobileOperatorCode = 'GP' | 'RB' | 'AT' | 'BL' | 'SK' | 'TT';
export type MfsOperatorCode = 'BK' | 'NG' | 'RK';
export type BillerCode =
  | 'DESCO'
  | 'DPDC'
  | 'TITAS'
  | 'PBP'
  | 'PBD'
  | 'DSP'
  | 'DSD'
  | 'JLB'
  | 'SBG'
  | 'BRD'
  | 'ART';
/**
 * Any operator code. The known ones autocomplete; `(string & {})` leaves room
 * for operators added at run time with `createValidator`.
 */
export type OperatorCode = MobileOperatorCode | MfsOperatorCode | BillerCode | (string & {});

/** The `type` of a `/request` body. */
export type RequestType = 'recharge' | 'data' | 'drive' | 'mfs' | 'bill';
export type RechargeSubType = 'Prepaid' | 'Postpaid' | 'Personal' | 'Agent';
export type MfsSubType = 'Agent';

interface RequestBase {
  /** Your reference: 1–64 of `A-Z a-z 0-9 . _ : -`. Reuse it when retrying. */
  ref_id?: string;
}

/** Mobile airtime. */
export interface RechargeRequest extends RequestBase {
  type: 'recharge';
  operator_code: MobileOperatorCode | (string & {});
  /** A mobile number in any form a person types: `+880 1712-345678`, `০১৭১২৩৪৫৬৭৮`. */
  phone: string;
  amount: Amount;
  sub_type?: RechargeSubType;
  package_id?: never;
  bill_number?: never;
  month?: never;
}

/** A data package (`data`) or a drive (offer) package (`drive`). */
export interface PackageRequest extends RequestBase {
  type: 'data' | 'drive';
  operator_code: MobileOperatorCode | (string & {});
  phone: string;
  /** The package's id from the packages list: a positive whole number. */
  package_id: number | string;
  amount?: never;
  sub_type?: never;
  bill_number?: never;
  month?: never;
}

/** Cash in to a bKash, Nagad or Rocket wallet. */
export interface MfsRequest extends RequestBase {
  type: 'mfs';
  operator_code: MfsOperatorCode | (string & {});
  /** The wallet number; Rocket also takes its 12-digit account number. */
  phone: string;
  amount: Amount;
  sub_type?: MfsSubType;
  package_id?: never;
  bill_number?: never;
  month?: never;
}

/** A utility bill. */
export interface BillRequest extends RequestBase {
  type: 'bill';
  operator_code: BillerCode | (string & {});
  bill_number: string;
  /** The bill's month, `1`–`12` (sent as `MM`). */
  month: number | string;
  amount: Amount;
  /** Required by some billers (Jalalabad and Bakhrabad Gas). */
  phone?: string;
  sub_type?: never;
  package_id?: never;
}

/** A `/request` body, with the API's own field names. */
export type BdpayRequest = RechargeRequest | PackageRequest | MfsRequest | BillRequest;

/** A request that passed every check, in canonical form. Amounts are exact strings: `"100.50"`. */
export type ValidRequest =
  | {
      type: 'recharge';
      operator_code: string;
      phone: string;
      amount: string;
      sub_type?: RechargeSubType;
      ref_id?: string;
    }
  | {
      type: 'data' | 'drive';
      operator_code: string;
      phone: string;
      package_id: number;
      ref_id?: string;
    }
  | {
      type: 'mfs';
      operator_code: string;
      phone: string;
      amount: string;
      sub_type?: MfsSubType;
      ref_id?: string;
    }
  | {
      type: 'bill';
      operator_code: string;
      phone?: string;
      bill_number: string;
      /** `"01"` to `"12"`. */
      month: string;
      amount: string;
      ref_id?: string;
    };

/** Why a field was refused: stable machine codes, safe to branch on. */
export type ErrorCode =
  | 'not_an_object'
  | 'required'
  | 'unknown_field'
  | 'invalid_type'
  | 'invalid_phone'
  | 'invalid_wallet'
  | 'unknown_operator'
  | 'operator_not_supported'
  | 'invalid_month'
  | 'invalid_amount'
  | 'amount_not_positive'
  | 'too_many_decimals'
  | 'amount_too_small'
  | 'amount_too_large'
  | 'invalid_sub_type'
  | 'invalid_package_id'
  | 'invalid_ref_id'
  | 'invalid_bill_number'
  | 'invalid_value'
  | 'invalid_option'
  | 'read_only'
  | 'too_long'
  // Codes of the API clients' checks and of answers the server refused.
  | 'rejected'
  | 'invalid_pin'
  | 'invalid_id'
  | 'invalid_package_type'
  // Input that could not be read at all.
  | 'too_large'
  | 'too_deep'
  | 'invalid_url'
  // A payment intent key (bdpay/server, the proxy's intentKey).
  | 'weak_key';

/** The fields of a `/request` body; `''` is the body itself. */
export type RequestField =
  | ''
  | 'type'
  | 'operator_code'
  | 'phone'
  | 'amount'
  | 'sub_type'
  | 'package_id'
  | 'bill_number'
  | 'month'
  | 'ref_id';

/** One refused field, with an English and a Bangla message for people. */
export interface FieldError {
  /** The field's name (a biller param's `key` for biller forms). */
  field: RequestField | (string & {});
  code: ErrorCode;
  message: string;
  message_bn: string;
}

/** Every validator's answer: the clean value, or every refused field. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** A live mobile number, checked: what `checkPhone` gives. */
export interface PhoneCheck {
  /** The canonical number, `01XXXXXXXXX`. */
  phone: string;
  /** What its prefix suggests (a hint only: numbers are portable). */
  operator: Readonly<OperatorHint> | undefined;
}

/**
 * `checkPhones`' results for a long list, packed: four bytes an input; a
 * number's text or result object is made only when it is read. Indexes are
 * the inputs' positions; an index out of range reads as no number.
 */
export interface PhoneList extends Iterable<PhoneCheck | undefined> {
  readonly length: number;
  /** Whether input `i` is a live mobile number. */
  valid(i: number): boolean;
  /** Input `i`'s canonical number, `01XXXXXXXXX`, or `undefined`. */
  phone(i: number): string | undefined;
  /** What input `i`'s prefix suggests (shared and frozen), or `undefined`. */
  operator(i: number): Readonly<OperatorHint> | undefined;
  /** What `checkPhone` gives for input `i`. */
  at(i: number): PhoneCheck | undefined;
}

/** Operator information, as `detectOperator` suggests it. */
export interface OperatorBrief {
  code: OperatorCode;
  name: string;
  name_bn: string;
}

/** What a number's prefix suggests. Numbers are portable: a hint, not proof. */
export interface OperatorHint extends OperatorBrief {
  /** Other operators on the same prefix (013: Skitto beside Grameenphone). */
  alternatives: OperatorBrief[];
}

export type OperatorKind = 'mobile' | 'mfs' | 'biller';

/** One entry of the operator registry. */
export interface OperatorInfo extends OperatorBrief {
  kind: OperatorKind;
  services: RequestType[];
  /** Three-digit mobile prefixes (`"017"`) on which it issues numbers. */
  prefixes: string[];
  /** For billers: whether a bill payment must carry `phone`. */
  phone: 'optional' | 'required';
  /** For wallets: the lengths a wallet number may have. */
  wallet_digits: number[];
}

/** Inclusive amount bounds as exact decimal strings (`"5000.00"`). */
export interface Limit {
  min: string;
  max: string;
}

export type Limits = Partial<Record<'recharge' | 'mfs' | 'bill', Limit>>;

/** An operator added or replaced through `createValidator`. */
export interface OperatorConfig {
  /** Letters and digits; stored upper-case. */
  code: string;
  name: string;
  name_bn?: string;
  kind: OperatorKind;
  services?: RequestType[];
  /** Three-digit prefixes starting `01`, taken over by this operator. */
  prefixes?: string[];
  phone?: 'optional' | 'required';
  wallet_digits?: Array<11 | 12>;
}

export interface ValidatorConfig {
  /** Added to the built-in registry; one with a known code replaces it. */
  operators?: OperatorConfig[];
  /** Start from an empty registry instead of the built-in one. */
  replaceOperators?: boolean;
  limits?: Partial<Record<'recharge' | 'mfs' | 'bill', { min?: Amount; max?: Amount }>>;
}

/** One option of a `select` param. */
export interface BillerOption {
  option_display_value: string;
  option_value: string;
}

/** One input of a biller's form, as the wallet API describes it. */
export interface BillerParam {
  field_type: 'alphanumeric' | 'mobile_no' | 'select' | (string & {});
  label: string;
  key: string;
  value: string;
  placeholder: string;
  input: boolean;
  /** The schema's own `type` (`alphanumeric`, `numeric`, `select`, …). */
  type: string;
  required: boolean;
  is_read_only: boolean;
  visibility: 'show' | (string & {});
  options: BillerOption[];
}

export interface HiddenField {
  key: string;
  value: string;
}

export interface Biller {
  biller_id: string;
  title: string;
  logo: string;
  params: BillerParam[];
  hidden_fields: HiddenField[];
}

export interface BillerType {
  title: string;
  icon: string;
  visibility: boolean;
  is_active: boolean;
  billers: Biller[];
}

/** A biller as the API sent it: only `biller_id`, `title` and each param's `field_type` and `key` are required. */
export interface BillerInput {
  biller_id: string;
  title: string;
  logo?: string | null;
  params?: ReadonlyArray<
    Partial<Omit<BillerParam, 'options'>> &
      Pick<BillerParam, 'field_type' | 'key'> & {
        options?: ReadonlyArray<{ option_display_value?: string; option_value: string }>;
      }
  > | null;
  hidden_fields?: ReadonlyArray<{ key: string; value?: string | number | null }> | null;
}

/** A person's form values, by param `key`. */
export type BillerFormValues = Readonly<Record<string, string | number | null | undefined>>;

/** The billers response read into types, or where it broke. */
export type ParseBillersResult =
  | { ok: true; value: BillerType[] }
  | { ok: false; error: { path: string; expected: string } };

/**
 * What a checking function takes: any value at all, since it checks at run
 * time and never throws (a non-object comes back refused). An object is
 * held to `Shape` at compile time, so a mistake written in place is caught
 * early; a value typed `unknown` or `any` passes as it is.
 */
export type CheckedInput<T, Shape> = T extends object ? Shape : T;

/** The validation API over one set of rules. */
export interface Validator {
  /** `'01XXXXXXXXX'`, or `undefined` for anything else (never throws). */
  normalizePhone(input: unknown): string | undefined;
  /** A wallet number for an MFS operator, or `undefined`. */
  normalizeWallet(input: unknown, operatorCode: MfsOperatorCode | (string & {})): string | undefined;
  /**
   * The operators a complete number's prefix suggests, or `undefined`. With
   * `{ partial: true }`, also for a number still being typed (`'0131'`).
   */
  detectOperator(input: unknown, options?: { partial?: boolean }): Readonly<OperatorHint> | undefined;
  /**
   * One call per number: normalised, validated and its operator named, or
   * `undefined`. `operator` is shared (and frozen) by every number on its
   * prefix; it is `undefined` when the prefix names no known operator.
   */
  checkPhone(input: unknown): PhoneCheck | undefined;
  /** `checkPhone` for a whole list (a pasted column, a file) in a few wasm calls: one result per input, in order. */
  checkPhones(list: Iterable<unknown> | ArrayLike<unknown>): (PhoneCheck | undefined)[];
  /**
   * `checkPhones` for long lists (a bulk file, a pasted column of thousands):
   * the same results, packed and read by index, with nothing made per number
   * until it is read.
   */
  checkPhoneList(list: Iterable<unknown> | ArrayLike<unknown>): PhoneList;
  operators(): OperatorInfo[];
  limits(): Limits;
  /**
   * Never throws: anything that is not a valid request, a non-object
   * included, comes back as `{ ok: false, errors }`.
   */
  validateRequest<T>(request: CheckedInput<T, BdpayRequest>): ValidationResult<ValidRequest>;
}

/**
 * The validation API with the wallet's biller schemas: what `createValidator`
 * gives in `bdpay/billers`, `bdpay/clients` and `bdpay/bulk`, whose wasm holds
 * them (`bdpay` leaves them out).
 */
export interface BillerValidator extends Validator {
  /**
   * The full parameter set to send (hidden fields merged in), or every
   * refused value. Never throws: a biller or values that are not objects
   * come back as `not_an_object` errors.
   */
  validateBillerForm<B, V>(
    biller: CheckedInput<B, BillerInput>,
    values: CheckedInput<V, BillerFormValues>,
  ): ValidationResult<Record<string, string>>;
}

/** A validator with its own rules. Throws `BdpayError` (kind `'validation'`) for a bad config. */
export function createValidator(config?: ValidatorConfig | null): Validator;

/**
 * Settles when the wasm module can be used. In a browser (or a bundle) the
 * module is fetched and compiled after the import, so `await ready` before
 * the first call; a call made earlier throws a `BdpayError` of kind
 * `'not_ready'`. Rejects with the error that stopped the module loading. In
 * Node.js and Workers it is already resolved, so the same code runs there.
 * Each entry (`bdpay`, `bdpay/billers`, `bdpay/clients`) has its own: await the one you import.
 *
 * ```js
 * import { ready, normalizePhone } from 'bdpay';
 * await ready;
 * normalizePhone('+8801712345678'); // '01712345678'
 * ```
 */
export const ready: Promise<void>;

export const normalizePhone: Validator['normalizePhone'];
export const normalizeWallet: Validator['normalizeWallet'];
export const detectOperator: Validator['detectOperator'];
export const checkPhone: Validator['checkPhone'];
export const checkPhones: Validator['checkPhones'];
export const checkPhoneList: Validator['checkPhoneList'];
export const operators: Validator['operators'];
export const limits: Validator['limits'];
export const validateRequest: Validator['validateRequest'];

/**
 * What `bindPhoneInput` binds to: an `<input>` (an `HTMLInputElement`),
 * typed by its shape so that these types need no DOM library. Anything
 * else (null, a detached input, an element of another kind) is taken
 * without an error: the handle then formats nothing.
 */
export interface PhoneInputField {
  value: string;
  readonly selectionStart: number | null;
  setSelectionRange(start: number, end: number): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
}

export interface PhoneInputOptions {
  /**
   * `'mobile'` (default): a mobile number, 11 digits. `'wallet'`: an MFS
   * wallet number, checked for the wallet `wallet` names (Rocket also takes
   * its 12-digit account; `'RK'`'s lengths while none is named).
   */
  kind?: 'mobile' | 'wallet';
  /** The wallet (`'BK'`, `'NG'`, `'RK'`), or a function that answers it when asked (a radio group's value). */
  wallet?: MfsOperatorCode | (string & {}) | (() => string | undefined);
  /**
   * The digits' script in the field. `'auto'` (default): the script the
   * customer last typed or pasted digits in (Bengali digits stay Bengali,
   * a paste of ASCII digits turns the field ASCII); `'latn'` or `'beng'`
   * always. The number read (`number`) is ASCII either way.
   */
  digits?: 'auto' | 'latn' | 'beng';
  /** A validator from `createValidator`, whose rules the field then follows. */
  validator?: Validator;
  /** Called after every change of the field or of what the handle says (an edit, a blur, `value` set). */
  onChange?: (phone: PhoneInput) => void;
}

/** The state of a bound phone field, read at any time. */
export interface PhoneInput {
  /** The input it is bound to, or null. */
  readonly input: PhoneInputField | null;
  /** What the field shows (`'01712-345678'`, `'০১৭১২-৩৪৫৬৭৮'`); setting it formats the text given, caret at its end. */
  value: string;
  /** The canonical number (`'01712345678'`; a Rocket account `'017123456789'`) once the field holds a valid one. */
  readonly number: string | undefined;
  /** The national digits so far, ASCII: `'0171'` for `+880 171`. */
  readonly digits: string;
  /** The first three national digits (`'017'`) once typed, live or not. */
  readonly prefix: string | undefined;
  /** What the prefix suggests, as soon as it is typed (`detectOperator(…, { partial: true })`): 013 and 016 carry their `alternatives`. */
  readonly operator: Readonly<OperatorHint> | undefined;
  /** Whether 11 or more national digits are in (what a mobile number has). */
  readonly complete: boolean;
  /**
   * The error to show now, the library's own (`invalid_phone`,
   * `invalid_wallet`, in English and Bangla): null while the number is being
   * typed, until it is whole or the field is left with digits in it.
   */
  readonly error: FieldError | null;
  /** The error whatever the moment, for a submit: `required` for an empty field, null for a valid number. */
  check(): FieldError | null;
  /** Reads the field again (its value set by a script, or the page's `ready` settled); the caret stays. */
  refresh(): void;
  /** Removes the controller's listeners; the field keeps its text. */
  destroy(): void;
}

/**
 * Makes `input` a Bangladeshi phone field. As the customer types in ASCII or
 * Bengali digits it shows `01XXX-XXXXXX`, keeps the caret where they type
 * (a dash deleted takes the digit beside it), turns a pasted or autofilled
 * `+880 1712-345678`, `8801712345678` or `0088…` into `01712-345678` with
 * no prefix twice, names the operator from the prefix, and says an error
 * only when the number is whole or the field is left. Sets `inputmode="tel"`
 * and `autocomplete="tel"` unless the input has its own (`tel`, not
 * `tel-national`: the HTML spec allows `tel-national` on text inputs only, and
 * the full number that `tel` fills is collapsed anyway). Never throws.
 * Bind after `await ready`.
 *
 * ```js
 * import { ready, bindPhoneInput } from 'bdpay';
 * await ready;
 * const phone = bindPhoneInput(document.querySelector('#phone'), {
 *   onChange: (p) => (hint.textContent = p.operator?.name ?? ''),
 * });
 * phone.number; // '01712345678' once a valid number is in
 * ```
 */
export function bindPhoneInput(input: PhoneInputField | null | undefined, options?: PhoneInputOptions): PhoneInput;

/**
 * Defines the custom element `<bdpay-phone>` (or `name`) over this entry's
 * functions, once: it takes the `<input>` inside it (or makes one, named by
 * its `name` attribute and labelled by its `label`), binds it, and shows the
 * operator (a polite live region) and the error, wired with `aria-invalid`
 * and `aria-describedby`, in the language of its closest `lang` (`bn` or
 * English; call its `render()` after a page changes language). Attributes
 * `kind="wallet"` and `wallet="RK"` as in `PhoneInputOptions`. The element
 * has `number`, `operator`, `error`, `value` and `phone` (its `PhoneInput`),
 * and fires `bdpay-phone` after each change. Answers the name, or
 * `undefined` where there are no custom elements (Node.js, Workers), so
 * importing and calling it on a server does nothing.
 */
export function definePhoneElement(name?: string): string | undefined;

/** What kind of failure a `BdpayError` is; API errors add their own kinds. */
export type BdpayErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'insufficient_balance'
  | 'duplicate'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'server'
  | 'bad_response'
  /** The `ref_id` (or wallet `request_id`) names another payment: this one is not confirmed. */
  | 'ref_id_conflict'
  /**
   * A payment was sent and what became of it could not be learnt (the
   * answer was lost and `status` could not be read): it may have gone
   * through. Do not pay again: follow it with `waitForFinal({ ref_id })`.
   */
  | 'outcome_unknown'
  /**
   * Refused before sending: the same payment (type, recipient, amount) was
   * sent within `repeatGuardMs` under another `ref_id`. Ask the customer, then
   * send it again with `confirm_repeat: true`. `messages` holds the earlier
   * payment's `[trx_id, ref_id]`.
   */
  | 'repeat'
  /** The wasm module is not loaded yet (a call before `await ready`), or failed to load (`cause`). */
  | 'not_ready'
  | 'unknown';

/**
 * What a `BdpayError` says, as a stable code (`err.code`): the library's own
 * sentences, the known sentences of both APIs, and the proxy's refusals.
 * `(string & {})` leaves room for codes of a newer proxy.
 */
export type ApiErrorCode =
  // With no message from the server, one per kind.
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'refused'
  | 'insufficient_balance'
  | 'duplicate'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'server'
  | 'bad_response'
  | 'reference_taken'
  | 'outcome_unknown'
  | 'repeat'
  // The client's own.
  | 'validation'
  | 'pending'
  | 'unexpected_response'
  | 'redirect'
  | 'answer_too_large'
  | 'ref_id_conflict'
  | 'request_id_conflict'
  | 'repeat_payment'
  | 'invalid_validator_config'
  | 'invalid_proxy_config'
  | 'not_signed'
  | 'store_failed'
  | 'intent_unavailable'
  // Called before `await ready` (kind `'not_ready'`).
  | 'not_ready'
  // A server sentence the library does not know: quoted in `messageBn`, kept in `serverMessage`.
  | 'server_refused'
  | 'server_failed'
  // Known sentences of the gateway and the wallet.
  | 'unauthenticated'
  | 'too_many_attempts'
  | 'transaction_not_found'
  | 'operator_not_active'
  | 'service_not_available'
  | 'account_inactive'
  | 'api_access_disabled'
  | 'wallet_account_inactive'
  | 'pin_mismatch'
  | 'request_id_invalid'
  | 'package_id_invalid'
  | 'biller_id_invalid'
  | 'request_id_required'
  | 'pin_required'
  | 'pin_not_a_number'
  | 'biller_id_required'
  | 'bill_not_found'
  | 'wallet_failed'
  | 'data_invalid'
  | 'route_not_found'
  | 'server_error'
  | 'body_not_object'
  // The proxy's own refusals.
  | 'origin_not_allowed'
  | 'operation_not_exposed'
  | 'method_not_allowed'
  | 'proxy_busy'
  | 'body_too_large'
  | 'not_json'
  | 'authorization_not_configured'
  | 'intent_required'
  | 'intent_malformed'
  | 'intent_unknown_key'
  | 'intent_bad_signature'
  | 'intent_expired'
  | 'intent_too_long'
  | 'intent_other_operation'
  | 'intent_mismatch'
  | 'pin_not_allowed'
  | 'wallet_pin_missing'
  | 'wallet_token_missing'
  | 'denied'
  | 'budget_hour_reached'
  | 'budget_day_reached'
  | 'upstream_withheld'
  | 'upstream_timeout'
  | 'upstream_unreachable'
  | 'upstream_unreadable'
  | 'billers_unavailable'
  | 'payment_in_flight'
  | 'proxy_failed'
  | (string & {});

export interface BdpayErrorOptions {
  kind?: BdpayErrorKind;
  code?: ApiErrorCode;
  status?: number;
  messageBn?: string;
  serverMessage?: string;
  fieldErrors?: FieldError[];
  messages?: string[];
  retryAfterMs?: number;
  title?: string;
  notCommitted?: boolean;
  cause?: unknown;
}

/** Every error bdpay throws; a real class, so `instanceof` works. */
export class BdpayError extends Error {
  constructor(message: string, options?: BdpayErrorOptions);
  readonly name: 'BdpayError';
  kind: BdpayErrorKind;
  /** What was said, as a stable code; `undefined` only for a `BdpayError` made without one. */
  code: ApiErrorCode | undefined;
  status: number | undefined;
  /** `message` in Bangla (`''` only for a `BdpayError` made without one). */
  messageBn: string;
  /** The server's own first message, word for word, when it sent one; never in place of `messageBn`. */
  serverMessage: string | undefined;
  fieldErrors: FieldError[];
  /** Every message the API sent (for a network error, the runtime's words). */
  messages: string[];
  retryAfterMs: number | undefined;
  /** The wallet API's `error_title`, e.g. `'E_PIN_ERROR'`. */
  title: string | undefined;
  /** For a payment whose outcome was unknown: the gateway holds no such transaction, so retrying with the same `ref_id` is safe. */
  notCommitted: boolean;
}

// ---- Clients ----------------------------------------------------------------

/**
 * A whole-number setting, 0 or more: a number (`30000`) or its decimal text
 * (`"30000"`, as environment variables are). The clients and the proxy read
 * these alike; anything else (`"30k"`, `-1`, `1.5`) is refused by name with
 * code `invalid_value`.
 */
export type WholeNumberSetting = number | string;

/** Options of `GatewayClient` and `BillPayClient`. */
export interface ClientOptions {
  /** `https://…` of the API (or of your proxy). Plain `http://` only for loopback, unless `allowInsecureHttp`. */
  baseUrl: string;
  /** The API token. Leave it out when calling through a proxy that holds it. */
  token?: string;
  /** Per call, default 30000. */
  timeoutMs?: WholeNumberSetting;
  /** Retries of idempotent reads on network errors, timeouts, 429 and 5xx; default 2, at most 10. */
  maxRetries?: WholeNumberSetting;
  /** Allow a token over plain http to a non-loopback host. */
  allowInsecureHttp?: boolean;
  /** Client-side limits, default 60 reads and 30 requests a minute (`true` or left out); each limit above 0; `false` turns them off. */
  rateLimit?:
    | boolean
    | { perMinute?: WholeNumberSetting; requestPerMinute?: WholeNumberSetting; periodMs?: WholeNumberSetting };
  /** How long `waitForFinal` polls, default 120000; and its first interval, default 1000. */
  waitTimeoutMs?: WholeNumberSetting;
  pollIntervalMs?: WholeNumberSetting;
  /**
   * When a payment's outcome is unknown (a timeout, a dropped connection, a
   * 5xx), how many times the client asks what became of it before giving up:
   * `status` by `ref_id` for a `/request`, `histories` by `request_id` for
   * `execute`, with a backoff between asks. Default 4, kept within 1 to 20.
   * If the gateway says it holds no such payment, the original error is
   * thrown with `notCommitted` set; if no ask could be answered, an
   * `outcome_unknown` error: the payment may have gone through.
   */
  reconcileChecks?: WholeNumberSetting;
  /**
   * The repeat guard: a payment of the same type, recipient and amount as one
   * this client sent less than this long ago (under another `ref_id`) is
   * refused with kind `'repeat'` and nothing is sent, unless its arguments
   * say `confirm_repeat: true`. Default 300000 (five minutes); 0 turns it
   * off. Kept in the client's memory: a new client (a reloaded page) starts
   * with none. A payment seen `Failed` may be paid again without asking.
   */
  repeatGuardMs?: WholeNumberSetting;
  /** Rules for the checks made before sending, as for `createValidator`. */
  validator?: ValidatorConfig;
}

/** Balances as exact decimal strings (`"500.00"`). */
export interface Balance {
  flexiload_balance: string;
  drive_balance: string;
  bank_balance: string;
}

export type PackageType = 'data' | 'combo' | 'minutes' | 'rate' | 'drive';

export interface Package {
  id: number;
  name: string;
  price: string;
  commission: string;
  type: PackageType | (string & {});
  tag: string | null;
}

export type TrxStatus = 'Pending' | 'Success' | 'Failed' | (string & {});

/** A transaction as `/request` and `/status` report it; amounts as exact decimal strings. */
export interface Transaction {
  trx_id: string;
  ref_id: string | null;
  type: RequestType | (string & {});
  sub_type: string | null;
  operator: string | null;
  operator_code: string | null;
  phone: string | null;
  bill_number: string | null;
  package: string | null;
  amount: string | null;
  payable: string | null;
  balance: string | null;
  trx_status: TrxStatus;
  message: string | null;
  created_at: string | null;
}

/** The `/request` fields of one type, `type` itself optional; `intent` through a proxy. */
/** A payment's arguments: its request without the type the method names, or with an intent. */
export type Args<R extends { type: string }> = R extends unknown
  ? Omit<R, 'type'> & { type?: R['type']; intent?: string; confirm_repeat?: boolean }
  : never;

/** Through a proxy, a status read carries the payment's `intent`. */
export type StatusQuery = ({ trx_id: string; ref_id?: never } | { ref_id: string; trx_id?: never }) & { intent?: string };

/** A transaction as the client returns it: with the intent it was paid under, if any. */
export type ClientTransaction = Transaction & { intent?: string };

/** What a payment intent says (unverified): see `readIntent`. */
export interface IntentClaims {
  operation: 'request' | 'execute';
  ref_id: string;
  /** Unix time, seconds. */
  expires: number;
  /** What the payment spends, as decimal text (`"100.00"`). */
  spend: string;
  /** What the page sends: the `/request` body, or `{ request_id }`. */
  body: Record<string, unknown>;
}

/** An exact amount beside the text the wallet sent (`"৳100.00"`, `"+ ৳5.00"`, `"$105.00"`). */
export interface Money {
  amount: string;
  display: string;
}

export interface BillSummary {
  request_id: string;
  biller: { title: string; logo: string };
  amount: Money;
  charge: Money;
  total_payable: Money;
  has_beneficiary: boolean;
}

export interface BillHistory {
  order_id: string;
  title: string;
  logo: string;
  amount: Money;
  trx_id: string;
  /** As sent, e.g. `"20/02/2025 03:45 PM"`. */
  created_at: string;
  details: { bill_information: string; payment_information: string; payment_received: Money | null };
}

/** A paid bill. When the answer was lost and the payment found through `histories`, `history` is that record. */
export interface BillReceipt {
  biller: { title: string; logo: string };
  total_payable: Money | null;
  history: BillHistory | null;
}

export interface Beneficiary {
  user_id: string;
  biller_logo: string;
  display_title: string;
  display_ac_no: string;
  bllr_id: string;
  srvc_id: string;
  inpt_pref: string;
}

// ---- The edge proxy (`bdpay/worker`) ---------------------------------------
// Types of `bdpay/worker`, declared here and re-exported by worker.d.ts.

/** What a browser may ask the proxy to do, one per upstream endpoint. */
export type ProxyOperation =
  | 'balance'
  | 'packages'
  | 'request'
  | 'status'
  | 'billers'
  | 'summary'
  | 'execute'
  | 'histories'
  | 'beneficiaries';

/** `createProxy` settings. Number settings may be given as decimal text (as Workers variables are). */
export interface ProxyConfig {
  /** The gateway's base URL: `https://`, or `http://` on loopback (else set `allowInsecureHttp`). */
  upstreamUrl: string;
  /** The wallet API's base URL; defaults to `upstreamUrl`. */
  walletUrl?: string;
  /** The merchant's gateway token. Added as `Authorization` on the way out; never in an answer or a log. */
  token: string;
  /** The wallet API's own token; without it every wallet operation is refused (the gateway's token never goes there). */
  walletToken?: string;
  /** The merchant's intent key (32 bytes or more): payments need an intent signed with it (`bdpay/server`). */
  intentKey?: string;
  /** The previous key, still accepted while rotating. */
  intentKeyPrevious?: string;
  /** The wallet PIN the proxy adds to `execute` under an intent (a page never sends it). */
  walletPin?: string;
  /** Spending ceilings over all payments, in taka: per hour and per day (sliding). */
  budgetPerHour?: Amount;
  budgetPerDay?: Amount;
  /**
   * For a point-of-sale deployment: asked for every payment (and status
   * read) that comes without an intent; only `true` allows it. `payment` is
   * `{ operation: 'request', payment }` (normalised, with its `ref_id`),
   * `{ operation: 'execute', payment: { request_id } }` or
   * `{ operation: 'status', query }`.
   */
  authorize?: (request: Request, payment: ProxyPayment) => boolean | Promise<boolean>;
  /** Exact origins (`https://shop.example`) whose pages may call the proxy: a list or comma-separated text. `*` is refused. */
  allowedOrigins?: string[] | string;
  /** Default: every operation but `balance`, `beneficiaries` and `execute` (server-side only). Payments also need an intent or `authorize`. */
  operations?: ProxyOperation[] | string;
  /** Largest request body, in bytes (default 8192; 256 to 1 MiB). */
  maxBodyBytes?: WholeNumberSetting;
  /** Reads per client per minute (default 60). */
  clientReadsPerMinute?: WholeNumberSetting;
  /** Payments (`request`, `execute`) per client per minute (default 10). */
  clientPaymentsPerMinute?: WholeNumberSetting;
  /** Largest amount of one transaction, in taka (default 5000). */
  maxAmount?: Amount;
  /** How long to wait for the upstream before answering 504 (default 25000; 1 to 600000). */
  upstreamTimeoutMs?: WholeNumberSetting;
  /** The rules to validate with, as for `createValidator`. */
  validator?: ValidatorConfig;
  /** Allow a plain-http upstream that is not on loopback. */
  allowInsecureHttp?: boolean;
  /** The per-client key; default: the `CF-Connecting-IP` address (an IPv6 address by its /48). */
  clientKey?: (request: Request) => string;
  /** Gets one line per request (method, path, status, `forwarded` or `answered` by the proxy itself, ms); default `console.log`. */
  log?: (line: string) => void;
}

/** What the `authorize` hook is asked about. */
export type ProxyPayment =
  | { operation: 'request'; payment: Record<string, string | number> & { type: RequestType; ref_id: string } }
  | { operation: 'execute'; payment: { request_id: string } }
  | { operation: 'status'; query: { ref_id?: string; trx_id?: string } };

/** A running proxy: hand it every request of your Worker's `fetch`. */
export interface EdgeProxy {
  fetch(request: Request): Promise<Response>;
  /** Counts `spend` (decimal text) against this proxy's own ceilings: `null`, or the JSON text of the ceiling reached. */
  reserveSpend(spend: string): string | null;
  /** Gives back a reservation of `spend` (decimal text): the upstream refused that payment before committing it. */
  releaseSpend(spend: string): void;
  /** Counts `spend` (decimal text) reserved at `at` (ms) in an earlier life of these ceilings, oldest first. */
  seedSpend(spend: string, at: number): void;
}

/** A Durable Object namespace, as far as the proxy uses one. */
export interface ProxyDurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: any): { fetch(request: Request): Promise<Response>; reserve?(spend: string): Promise<string | null>; release?(spend: string): Promise<void> };
}

/** The bindings the default Worker reads. Plain-text variables, except the token (a secret). */
export interface ProxyEnv {
  BDPAY_UPSTREAM_URL: string;
  BDPAY_TOKEN: string;
  /** Secrets: the wallet's own token, the intent keys (current, previous) and the wallet PIN. */
  BDPAY_WALLET_TOKEN?: string;
  BDPAY_INTENT_KEY?: string;
  BDPAY_INTENT_KEY_PREVIOUS?: string;
  BDPAY_WALLET_PIN?: string;
  /** Spending ceilings, in taka. */
  BDPAY_BUDGET_PER_HOUR?: string;
  BDPAY_BUDGET_PER_DAY?: string;
  BDPAY_ALLOWED_ORIGINS?: string;
  BDPAY_WALLET_URL?: string;
  /** Comma-separated `ProxyOperation`s. */
  BDPAY_OPERATIONS?: string;
  BDPAY_MAX_AMOUNT?: string;
  BDPAY_MAX_BODY_BYTES?: string;
  BDPAY_CLIENT_READS_PER_MINUTE?: string;
  BDPAY_CLIENT_PAYMENTS_PER_MINUTE?: string;
  BDPAY_UPSTREAM_TIMEOUT_MS?: string;
  /** A `ValidatorConfig` as JSON text (or an object, from a JSON variable). */
  BDPAY_VALIDATOR?: string | ValidatorConfig;
  /** `"true"` to allow a plain-http upstream off loopback. */
  BDPAY_ALLOW_INSECURE_HTTP?: string | boolean;
  /** The `BdpayProxy` Durable Object: when bound, each client's limits live in its own object, and the ceilings in one for the merchant. */
  BDPAY_PROXY?: ProxyDurableObjectNamespace;
}
