//! Every answer the proxy gives on its own, one row each: status, stable
//! code, English and Bangla. The body keeps the gateway's error shape
//! (`status: false`, `message`) so clients read it like the gateway's own.
//!
//! A refusal must never hold a secret: settings are named, never shown.
//! Clients read `code` and `message_bn` from it as they are.

use bdpay_api::error::ApiError;
use bdpay_api::http::HttpResponse;
use bdpay_core::json::Value;
use bdpay_core::messages::{field_list, fill, FieldError, Lang, Slot};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    OriginNotAllowed,
    NotFound,
    OperationNotExposed,
    MethodNotAllowed,
    TooManyAttempts,
    ProxyBusy,
    BodyTooLarge,
    NotJson,
    /// A payment with no way to authorize it configured at all.
    AuthorizationNotConfigured,
    /// Intents are configured, and this payment came without one.
    IntentRequired,
    IntentMalformed,
    IntentUnknownKey,
    IntentBadSignature,
    IntentExpired,
    IntentTooLong,
    /// The intent is for another operation (a request's for an execute).
    IntentOtherOperation,
    IntentMismatch,
    PinNotAllowed,
    WalletPinMissing,
    WalletTokenMissing,
    Denied,
    BudgetHour,
    BudgetDay,
    StatusNotFound,
    Withheld,
    UpstreamTimeout,
    UpstreamUnreachable,
    UpstreamUnreadable,
    /// A payment went upstream and no answer came back that could be read:
    /// it may have gone through.
    OutcomeUnknown,
    /// No biller list to check a summary against.
    BillersUnavailable,
    /// A `status` of a payment this proxy is still sending upstream: not
    /// answered "not found" while it may yet land.
    PaymentInFlight,
}

/// The proxy's own names a refusal may hold, the same in both languages:
/// its settings, its header, its hook. A row writes `{intentKeySetting}`,
/// never the Latin letters themselves.
const NAMES: &[(&str, &str)] = &[
    ("contentType", "Content-Type: application/json"),
    ("intentHeader", "Bdpay-Intent"),
    ("intentKeySetting", "BDPAY_INTENT_KEY"),
    ("authorizeHook", "authorize"),
    ("walletPinSetting", "BDPAY_WALLET_PIN"),
    ("walletTokenSetting", "BDPAY_WALLET_TOKEN"),
];

/// `(refusal, status, code, English, Bangla)`. `{fields}` is filled in, and
/// the [`NAMES`]; names shared with the clients (`{json}`) come from
/// `messages`' table of names.
const REFUSALS: &[(Refusal, u16, &str, &str, &str)] = &[
    (Refusal::OriginNotAllowed, 403, "origin_not_allowed",
        "This origin may not use the proxy.",
        "এই ওয়েবসাইট থেকে প্রক্সি ব্যবহার করা যাবে না।"),
    (Refusal::NotFound, 404, "not_found", "Not found.", "পাওয়া যায়নি।"),
    (Refusal::OperationNotExposed, 403, "operation_not_exposed",
        "This operation is not available through the proxy.",
        "এই কাজটি প্রক্সির মাধ্যমে করা যায় না।"),
    (Refusal::MethodNotAllowed, 405, "method_not_allowed",
        "Method not allowed.",
        "এই এইচটিটিপি মেথডে অনুরোধ গ্রহণ করা হয় না।"),
    (Refusal::TooManyAttempts, 429, "too_many_attempts",
        "Too Many Attempts.",
        "অনেকবার চেষ্টা করা হয়েছে। একটু পরে আবার চেষ্টা করুন।"),
    (Refusal::ProxyBusy, 429, "proxy_busy",
        "The proxy is busy. Try again shortly.",
        "প্রক্সি এখন ব্যস্ত। একটু পরে আবার চেষ্টা করুন।"),
    (Refusal::BodyTooLarge, 413, "body_too_large",
        "The request body is too large.",
        "অনুরোধটি আকারে খুব বড়।"),
    (Refusal::NotJson, 415, "not_json",
        "Send {json} ({contentType}).",
        "অনুরোধটি {json} হিসেবে পাঠান ({contentType})।"),
    (Refusal::AuthorizationNotConfigured, 403, "authorization_not_configured",
        "Payments through this proxy need the merchant's authorization: set {intentKeySetting} (payment intents) or an {authorizeHook} hook.",
        "এই প্রক্সি দিয়ে পেমেন্টের জন্য মার্চেন্টের অনুমোদন লাগে: {intentKeySetting} (পেমেন্ট ইনটেন্ট) অথবা {authorizeHook} হুক সেট করুন।"),
    (Refusal::IntentRequired, 403, "intent_required",
        "This payment needs the merchant's payment intent (the {intentHeader} header).",
        "এই পেমেন্টের জন্য মার্চেন্টের পেমেন্ট ইনটেন্ট লাগবে ({intentHeader} হেডার)।"),
    (Refusal::IntentMalformed, 403, "intent_malformed",
        "The payment intent is not readable.",
        "পেমেন্ট ইনটেন্টটি পড়া যাচ্ছে না।"),
    (Refusal::IntentUnknownKey, 403, "intent_unknown_key",
        "The payment intent was signed with a key this proxy does not hold.",
        "পেমেন্ট ইনটেন্টটি এমন একটি কী দিয়ে সই করা, যা এই প্রক্সিতে নেই।"),
    (Refusal::IntentBadSignature, 403, "intent_bad_signature",
        "The payment intent's signature does not match.",
        "পেমেন্ট ইনটেন্টের সই মেলেনি।"),
    (Refusal::IntentExpired, 403, "intent_expired",
        "The payment intent has expired. Ask the shop for a new one.",
        "পেমেন্ট ইনটেন্টের মেয়াদ শেষ হয়ে গেছে। দোকান থেকে নতুন একটি নিন।"),
    (Refusal::IntentTooLong, 403, "intent_too_long",
        "The payment intent lives longer than a day.",
        "পেমেন্ট ইনটেন্টের মেয়াদ এক দিনের বেশি।"),
    (Refusal::IntentOtherOperation, 403, "intent_other_operation",
        "This payment intent is for another operation.",
        "এই পেমেন্ট ইনটেন্টটি অন্য একটি কাজের জন্য।"),
    (Refusal::IntentMismatch, 403, "intent_mismatch",
        "The payment differs from its intent: {fields}.",
        "পেমেন্টটি ইনটেন্টের সাথে মেলে না: {fields}।"),
    (Refusal::PinNotAllowed, 403, "pin_not_allowed",
        "A page may not send the wallet PIN.",
        "পেজ থেকে ওয়ালেটের পিন পাঠানো যাবে না।"),
    (Refusal::WalletPinMissing, 403, "wallet_pin_missing",
        "The proxy holds no wallet PIN: set {walletPinSetting}.",
        "প্রক্সিতে ওয়ালেটের পিন রাখা নেই: {walletPinSetting} সেট করুন।"),
    (Refusal::WalletTokenMissing, 403, "wallet_token_missing",
        "The proxy holds no wallet token: set {walletTokenSetting}.",
        "প্রক্সিতে ওয়ালেটের টোকেন রাখা নেই: {walletTokenSetting} সেট করুন।"),
    (Refusal::Denied, 403, "denied",
        "The merchant did not authorize this payment.",
        "মার্চেন্ট এই পেমেন্টের অনুমোদন দেননি।"),
    (Refusal::BudgetHour, 429, "budget_hour_reached",
        "The shop's spending limit for this hour is reached. Try again later.",
        "এই ঘণ্টায় দোকানের খরচের সীমা শেষ। পরে আবার চেষ্টা করুন।"),
    (Refusal::BudgetDay, 429, "budget_day_reached",
        "The shop's spending limit for today is reached. Try again later.",
        "আজকের জন্য দোকানের খরচের সীমা শেষ। পরে আবার চেষ্টা করুন।"),
    (Refusal::StatusNotFound, 404, "not_found",
        "Transaction not found.",
        "লেনদেনটি পাওয়া যায়নি।"),
    (Refusal::Withheld, 502, "upstream_withheld",
        "The upstream answer was withheld.",
        "সার্ভারের উত্তরটি আটকে দেওয়া হয়েছে।"),
    (Refusal::UpstreamTimeout, 504, "upstream_timeout",
        "The upstream timed out.",
        "সার্ভার সময়মতো উত্তর দেয়নি।"),
    (Refusal::UpstreamUnreachable, 502, "upstream_unreachable",
        "The upstream could not be reached.",
        "সার্ভারের সাথে যোগাযোগ করা যায়নি।"),
    (Refusal::UpstreamUnreadable, 502, "upstream_unreadable",
        "The upstream's answer could not be read.",
        "সার্ভারের উত্তর পড়া যায়নি।"),
    (Refusal::OutcomeUnknown, 502, "outcome_unknown",
        "The payment was sent, and its answer was lost: it may have gone through. Do not pay again; ask its status.",
        "পেমেন্টটি পাঠানো হয়েছে, কিন্তু উত্তর পাওয়া যায়নি: পেমেন্টটি হয়ে গিয়ে থাকতে পারে। আবার পেমেন্ট করবেন না; এর স্ট্যাটাস দেখুন।"),
    (Refusal::BillersUnavailable, 503, "billers_unavailable",
        "The list of billers could not be read. Try again shortly.",
        "বিল প্রতিষ্ঠানের তালিকা পাওয়া যায়নি। একটু পরে আবার চেষ্টা করুন।"),
    (Refusal::PaymentInFlight, 503, "payment_in_flight",
        "The payment is still on its way to the gateway: ask its status again in a moment.",
        "পেমেন্টটি এখনও গেটওয়েতে যাচ্ছে: একটু পরে আবার এর স্ট্যাটাস দেখুন।"),
];

/// The answer to an unexpected failure (the Worker's own, too).
pub const FAILED: (u16, &str, &str, &str) = (
    500,
    "proxy_failed",
    "The proxy failed.",
    "প্রক্সিতে সমস্যা হয়েছে।",
);

impl Refusal {
    fn row(self) -> (u16, &'static str, &'static str, &'static str) {
        REFUSALS
            .iter()
            .find(|r| r.0 == self)
            .map_or(FAILED, |r| (r.1, r.2, r.3, r.4))
    }

    pub fn status(self) -> u16 {
        self.row().0
    }

    pub fn code(self) -> &'static str {
        self.row().1
    }

    /// The answer, with `{fields}` (names of fields, `"phone, amount"`)
    /// filled in where the message has it: their labels, in Bangla.
    pub fn answer(self, fields: &str) -> HttpResponse {
        let (status, code, en, bn) = self.row();
        let (fields_en, fields_bn) = field_list(fields);
        let mut args = vec![("fields", Slot::Text(&fields_en, &fields_bn))];
        args.extend(NAMES.iter().map(|(name, value)| (*name, Slot::Code(value))));
        body(
            status,
            code,
            &fill(en, Lang::En, &args),
            &fill(bn, Lang::Bn, &args),
            &[],
        )
    }

    pub fn response(self) -> HttpResponse {
        self.answer("")
    }
}

/// Every row, for tests that walk them all.
#[cfg(test)]
pub fn all() -> impl Iterator<Item = Refusal> {
    REFUSALS.iter().map(|r| r.0)
}

/// A validation failure: 422 with every field error, the Laravel `errors`
/// map beside our own `field_errors`.
pub fn invalid(e: &ApiError) -> HttpResponse {
    body(
        422,
        "validation",
        &e.message,
        &e.message_bn,
        &e.field_errors,
    )
}

fn body(
    status: u16,
    code: &str,
    message: &str,
    message_bn: &str,
    fields: &[FieldError],
) -> HttpResponse {
    let mut body = vec![
        ("status".to_owned(), Value::Bool(false)),
        ("message".to_owned(), Value::from(message)),
        ("message_bn".to_owned(), Value::from(message_bn)),
        ("code".to_owned(), Value::from(code)),
    ];
    if !fields.is_empty() {
        let errors = fields
            .iter()
            .map(|f| {
                (
                    f.field.clone(),
                    Value::Array(vec![Value::from(f.message.as_str())]),
                )
            })
            .collect();
        body.push(("errors".to_owned(), Value::Object(errors)));
        body.push((
            "field_errors".to_owned(),
            Value::Array(fields.iter().map(FieldError::to_json).collect()),
        ));
    }
    HttpResponse {
        status,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: Value::Object(body).to_json().into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bdpay_core::messages::check::{
        has_bengali, has_latin, latin_outside, slots, without_slots,
    };

    #[test]
    fn every_refusal_has_both_languages_and_a_unique_code() {
        let mut codes = Vec::new();
        for r in all() {
            let (_, code, en, bn) = r.row();
            assert!(!en.is_empty() && has_bengali(bn), "{code}");
            assert_eq!(slots(en), slots(bn), "{code}");
            assert!(
                !has_latin(&without_slots(bn)),
                "{code}: Latin letters outside slots in {bn}"
            );
            codes.push((code, r.status()));
        }
        codes.sort_unstable();
        codes.dedup();
        // `not_found` is one code for two rows (no route, no such transaction).
        assert_eq!(codes.len(), REFUSALS.len() - 1);
        assert!(!has_latin(FAILED.3) && has_bengali(FAILED.3));
    }

    #[test]
    fn every_refusal_code_is_in_the_typescript_union() {
        let dts = include_str!("../../../pkg-template/index.d.ts");
        let union = &dts[dts.find("export type ApiErrorCode =").unwrap()..];
        let union = &union[..union.find(';').unwrap()];
        for code in all().map(|r| r.code()).chain([FAILED.1]) {
            assert!(
                union.contains(&["'", code, "'"].concat()),
                "{code} missing from ApiErrorCode in index.d.ts"
            );
        }
    }

    #[test]
    fn every_refusal_answers_in_both_languages_and_a_client_reads_both() {
        for r in all() {
            let answer = r.answer("phone, amount");
            let body = bdpay_core::json::parse(&answer.body).unwrap();
            let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let (en, bn) = (text("message"), text("message_bn"));
            assert!(!en.contains('{') && !bn.contains('{'), "{en} / {bn}");
            let names: Vec<&str> = NAMES.iter().map(|n| n.1).collect();
            assert_eq!(latin_outside(&bn, &names), None, "{}: {bn}", r.code());
            let e = ApiError::from_response(&answer);
            assert_eq!(
                (e.code.as_str(), e.message.as_str(), e.message_bn.as_str()),
                (r.code(), en.as_str(), bn.as_str())
            );
        }
        let mismatch = Refusal::IntentMismatch.answer("phone, amount");
        let e = ApiError::from_response(&mismatch);
        assert_eq!(
            (e.message.as_str(), e.message_bn.as_str()),
            (
                "The payment differs from its intent: phone, amount.",
                "পেমেন্টটি ইনটেন্টের সাথে মেলে না: মোবাইল নম্বর, টাকার পরিমাণ।"
            )
        );
    }

    #[test]
    fn a_validation_refusal_carries_the_first_field_errors_bangla() {
        let e = ApiError::invalid(vec![
            FieldError::new("phone", bdpay_core::messages::Code::InvalidPhone),
            FieldError::new("amount", bdpay_core::messages::Code::Required),
        ]);
        let read = ApiError::from_response(&invalid(&e));
        assert_eq!(
            (
                read.code.as_str(),
                read.message_bn.as_str(),
                read.field_errors.len()
            ),
            (
                "validation",
                "১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।",
                2
            )
        );
    }
}
