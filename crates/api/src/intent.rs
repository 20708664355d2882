//! Payment intents: a payment fixed on the merchant's server and signed there
//! with HMAC-SHA256, so that the proxy spends only what the merchant
//! authorized. Pure: the time comes in as an argument, keys as values.
//!
//! It must never accept a payment that differs from the signed one, never
//! compare a signature in variable time (RustCrypto's `verify_slice` does
//! that), and never show a key's secret in `Debug`.
//!
//! An intent is `bdpi1.<key id>.<claims>.<signature>`, each part base64url
//! without padding. The claims are the JSON text of
//! `{"v":1,"op":…,"exp":…,"spend":…,"body":…}`, where `body` is the
//! normalised payment exactly as the validators produce it, `ref_id` included.
//!
//! ```
//! use bdpay_api::intent::{create_request, verify, IntentKey, Payment};
//! use bdpay_core::json::parse;
//! use bdpay_core::rules::Rules;
//! let key = IntentKey::new("a-merchant-secret-of-32-bytes-or-more").unwrap();
//! let rules = Rules::default();
//! let input = parse(br#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"ref_id":"order-1"}"#).unwrap();
//! let token = create_request(&input, &key, 1_700_000_000, "unused", &rules).unwrap();
//! let intent = verify(&token, &[key], 1_700_000_060, &rules).unwrap();
//! assert_eq!(intent.ref_id(), "order-1");
//! assert!(matches!(intent.payment, Payment::Request(_)));
//! ```

use crate::prelude::*;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{Code, FieldError, Rule, Slot};
use bdpay_core::money::Amount;
use bdpay_core::operators::Service;
use bdpay_core::request::{amount_of, validate_request, ValidRequest};
use bdpay_core::rules::Rules;

/// The header that carries a payment intent to the proxy.
pub const INTENT_HEADER: &str = "bdpay-intent";

/// The format's version tag, the first part of every intent.
pub const PREFIX: &str = "bdpi1";
/// How long an intent lives when its creator does not say.
pub const DEFAULT_LIFETIME_S: u64 = 15 * 60;
/// The longest life an intent may have: a leaked intent is bounded too.
pub const MAX_LIFETIME_S: u64 = 24 * 3600;
/// The shortest lifetime an intent may be given, in seconds.
pub const MIN_LIFETIME_S: u64 = 10;
/// How far the merchant's server and the proxy's clocks may disagree.
pub const CLOCK_SKEW_S: u64 = 60;
/// How long after its expiry an intent still lets its holder read `status`
/// of its own `ref_id` (a payment may stay pending that long).
pub const STATUS_GRACE_S: u64 = 24 * 3600;
/// A secret shorter than this is refused: HMAC keys need entropy.
pub const MIN_SECRET_BYTES: usize = 32;
/// Longer inputs are refused before any decoding.
const MAX_INTENT_CHARS: usize = 4096;
const KEY_ID_BYTES: usize = 8;

type HmacSha256 = Hmac<Sha256>;

/// One merchant key: the secret and its id, derived from it, so that the
/// id can never name another key. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct IntentKey {
    id: String,
    secret: Vec<u8>,
}

impl core::fmt::Debug for IntentKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("IntentKey")
            .field(&self.id)
            .field(&"***")
            .finish()
    }
}

impl IntentKey {
    /// A key from its secret text: at least [`MIN_SECRET_BYTES`] bytes, no
    /// control characters (a pasted newline would make two keys differ).
    pub fn new(secret: &str) -> Result<IntentKey, FieldError> {
        if secret.len() < MIN_SECRET_BYTES || secret.chars().any(char::is_control) {
            return Err(FieldError::with_args(
                "intentKey",
                Code::WeakKey,
                &[("min", Slot::Count(MIN_SECRET_BYTES as u64))],
            ));
        }
        let digest = Sha256::new()
            .chain_update(b"bdpay intent key id\0")
            .chain_update(secret.as_bytes())
            .finalize();
        let id = Base64UrlUnpadded::encode_string(digest.get(..KEY_ID_BYTES).unwrap_or_default());
        Ok(IntentKey {
            id,
            secret: secret.as_bytes().to_vec(),
        })
    }

    /// The key's id, as intents signed with it carry it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// HMAC takes a key of any length, so this is never `None` in practice;
    /// should it be, nothing is signed and nothing verifies.
    fn mac(&self, signed: &str) -> Option<HmacSha256> {
        let mut mac = HmacSha256::new_from_slice(&self.secret).ok()?;
        mac.update(signed.as_bytes());
        Some(mac)
    }
}

/// What an intent lets the page do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payment {
    /// A gateway `/request`, normalised, with its `ref_id`.
    Request(ValidRequest),
    /// A wallet `execute` of the summary `request_id` whose total is `total`.
    Execute { request_id: String, total: Amount },
}

/// A verified (or just created) intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    pub payment: Payment,
    /// What the payment costs the merchant: its amount, a package's price,
    /// a bill's total. The proxy's spending ceilings count this.
    pub spend: Amount,
    /// Unix time in seconds after which it is refused.
    pub expires_s: u64,
}

/// Why an intent was refused; each is one stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntentError {
    /// Not an intent at all: wrong shape, bad base64, claims not readable.
    Malformed,
    /// Signed with a key this proxy does not hold.
    UnknownKey,
    /// The signature does not match: altered, truncated or another key's.
    BadSignature,
    Expired,
    /// Its expiry lies further ahead than any intent may live.
    TooLong,
}

impl IntentError {
    pub fn code(self) -> &'static str {
        match self {
            IntentError::Malformed => "intent_malformed",
            IntentError::UnknownKey => "intent_unknown_key",
            IntentError::BadSignature => "intent_bad_signature",
            IntentError::Expired => "intent_expired",
            IntentError::TooLong => "intent_too_long",
        }
    }
}

impl Intent {
    /// The payment's handle: the gateway `ref_id`, or the wallet `request_id`.
    pub fn ref_id(&self) -> &str {
        match &self.payment {
            Payment::Request(r) => r.ref_id.as_deref().unwrap_or_default(),
            Payment::Execute { request_id, .. } => request_id,
        }
    }

    fn claims(&self) -> Value {
        let (op, body) = match &self.payment {
            Payment::Request(r) => ("request", r.to_json()),
            Payment::Execute { request_id, total } => (
                "execute",
                object([
                    ("request_id", request_id.as_str().into()),
                    ("total", total.to_decimal_string().into()),
                ]),
            ),
        };
        object([
            ("v", 1u64.into()),
            ("op", op.into()),
            ("exp", self.expires_s.into()),
            ("spend", self.spend.to_decimal_string().into()),
            ("body", body),
        ])
    }

    fn from_claims(v: &Value, rules: &Rules) -> Option<Intent> {
        if !matches!(v.get("v"), Some(Value::Number(n)) if n == "1") {
            return None;
        }
        let expires_s = v.get("exp")?.as_u64()?;
        let spend = Amount::parse(v.get("spend")?.as_str()?)
            .ok()
            .filter(|a| a.is_positive())?;
        let body = v.get("body")?;
        let payment = match v.get("op")?.as_str()? {
            "request" => {
                let r = validate_request(body, rules).ok()?;
                r.ref_id.as_ref()?;
                Payment::Request(r)
            }
            "execute" => Payment::Execute {
                request_id: crate::billpay::request_id(body.get("request_id")).ok()?,
                total: Amount::parse(body.get("total")?.as_str()?).ok()?,
            },
            _ => return None,
        };
        Some(Intent {
            payment,
            spend,
            expires_s,
        })
    }

    /// The signed text: `bdpi1.<key id>.<claims>.<signature>`.
    pub fn sign(&self, key: &IntentKey) -> Result<String, ApiError> {
        let claims = Base64UrlUnpadded::encode_string(self.claims().to_json().as_bytes());
        let signed = [PREFIX, ".", key.id(), ".", &claims].concat();
        let tag = key
            .mac(&signed)
            .ok_or_else(|| {
                ApiError::invalid(vec![FieldError::new("intentKey", Code::InvalidValue)])
            })?
            .finalize()
            .into_bytes();
        Ok([&signed, ".", &Base64UrlUnpadded::encode_string(&tag)].concat())
    }
}

/// Reads an intent and checks its key id, its signature (in constant time)
/// and its expiry at `now_s`, allowing [`CLOCK_SKEW_S`] either way.
pub fn verify(
    text: &str,
    keys: &[IntentKey],
    now_s: u64,
    rules: &Rules,
) -> Result<Intent, IntentError> {
    verify_within(text, keys, now_s, rules, CLOCK_SKEW_S)
}

/// As [`verify`], for reading `status`: an intent stays good for its own
/// `ref_id` until [`STATUS_GRACE_S`] after its expiry.
pub fn verify_for_status(
    text: &str,
    keys: &[IntentKey],
    now_s: u64,
    rules: &Rules,
) -> Result<Intent, IntentError> {
    verify_within(text, keys, now_s, rules, STATUS_GRACE_S)
}

/// The signature, then the expiry with `grace_s` after it, then a life no
/// longer than any intent may have (seen from a clock behind by the skew).
fn verify_within(
    text: &str,
    keys: &[IntentKey],
    now_s: u64,
    rules: &Rules,
    grace_s: u64,
) -> Result<Intent, IntentError> {
    let intent = verify_signature(text, keys, rules)?;
    if now_s > intent.expires_s.saturating_add(grace_s) {
        return Err(IntentError::Expired);
    }
    if intent.expires_s > now_s.saturating_add(MAX_LIFETIME_S + CLOCK_SKEW_S) {
        return Err(IntentError::TooLong);
    }
    Ok(intent)
}

fn verify_signature(text: &str, keys: &[IntentKey], rules: &Rules) -> Result<Intent, IntentError> {
    let text = text.trim();
    if text.len() > MAX_INTENT_CHARS {
        return Err(IntentError::Malformed);
    }
    let mut parts = text.split('.');
    let (Some(PREFIX), Some(id), Some(claims), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(IntentError::Malformed);
    };
    let key = keys
        .iter()
        .find(|k| k.id() == id)
        .ok_or(IntentError::UnknownKey)?;
    let tag = Base64UrlUnpadded::decode_vec(tag).map_err(|_| IntentError::BadSignature)?;
    let signed = text.get(..text.len() - tag_len(text)).unwrap_or_default();
    key.mac(signed)
        .ok_or(IntentError::BadSignature)?
        .verify_slice(&tag)
        .map_err(|_| IntentError::BadSignature)?;
    // Only a signed text is read any further.
    let json = Base64UrlUnpadded::decode_vec(claims).map_err(|_| IntentError::Malformed)?;
    let claims = json::parse(&json).map_err(|_| IntentError::Malformed)?;
    Intent::from_claims(&claims, rules).ok_or(IntentError::Malformed)
}

/// The length of `.signature` at the end of `text`.
fn tag_len(text: &str) -> usize {
    text.rfind('.').map_or(0, |i| text.len() - i)
}

/// The fields `create_request` takes beside the payment's own.
const CREATE_OPTIONS: &[&str] = &["expiresIn", "price"];

/// Validates a gateway payment with the library's own validators and signs
/// it. `input` is the `/request` body plus `expiresIn` (seconds) and, for
/// `data` and `drive` (which carry no amount), `price`: what the package
/// costs, for the proxy's spending ceilings. `fresh_ref_id` is used when
/// the input has no `ref_id`.
pub fn create_request(
    input: &Value,
    key: &IntentKey,
    now_s: u64,
    fresh_ref_id: &str,
    rules: &Rules,
) -> Result<String, ApiError> {
    let Value::Object(fields) = input else {
        return Err(ApiError::invalid(vec![FieldError::new(
            "",
            Code::NotAnObject,
        )]));
    };
    let body = Value::Object(
        fields
            .iter()
            .filter(|(k, _)| !CREATE_OPTIONS.contains(&k.as_str()))
            .cloned()
            .collect(),
    );
    let mut errors = Vec::new();
    let lifetime = lifetime(input.get("expiresIn")).map_err(|e| errors.push(e));
    let request = validate_request(&body, rules).map_err(|mut e| errors.append(&mut e));
    let spend = match &request {
        Ok(r) if matches!(r.service, Service::Data | Service::Drive) => {
            match input.get("price").filter(|p| !p.is_null()) {
                None => Err(FieldError::new("price", Code::Required)),
                Some(p) => positive(p, "price"),
            }
        }
        Ok(r) => r
            .amount
            .ok_or_else(|| FieldError::new("amount", Code::Required)),
        Err(()) => Ok(Amount::ZERO),
    }
    .map_err(|e| errors.push(e));
    let (Ok(lifetime), Ok(mut request), Ok(spend)) = (lifetime, request, spend) else {
        return Err(ApiError::invalid(errors));
    };
    if request.ref_id.is_none() {
        request.ref_id = Some(fresh_ref_id.to_owned());
    }
    Intent {
        payment: Payment::Request(request),
        spend,
        expires_s: now_s.saturating_add(lifetime),
    }
    .sign(key)
}

/// Signs a wallet `execute`: `{ request_id, total, expiresIn? }`, where
/// `total` is the summary's `total_payable` that the merchant's server read
/// itself (a number, decimal text, or the wallet's display text `"৳105.00"`).
pub fn create_execute(input: &Value, key: &IntentKey, now_s: u64) -> Result<String, ApiError> {
    if input.as_object().is_none() {
        return Err(ApiError::invalid(vec![FieldError::new(
            "",
            Code::NotAnObject,
        )]));
    }
    let mut errors = Vec::new();
    if let Some((k, _)) = input.as_object().and_then(|f| {
        f.iter()
            .find(|(k, _)| !matches!(k.as_str(), "request_id" | "total" | "expiresIn"))
    }) {
        errors.push(FieldError::new(k, Code::UnknownField));
    }
    let request_id =
        crate::billpay::request_id(input.get("request_id")).map_err(|e| errors.push(e));
    let total = match input.get("total") {
        None | Some(Value::Null) => Err(FieldError::new("total", Code::Required)),
        Some(Value::String(s)) if Amount::parse_display(s).is_some() => Amount::parse_display(s)
            .filter(|a| a.is_positive())
            .ok_or_else(|| FieldError::new("total", Code::AmountNotPositive)),
        Some(v) => positive(v, "total"),
    }
    .map_err(|e| errors.push(e));
    let lifetime = lifetime(input.get("expiresIn")).map_err(|e| errors.push(e));
    match (request_id, total, lifetime) {
        (Ok(request_id), Ok(total), Ok(lifetime)) if errors.is_empty() => Intent {
            payment: Payment::Execute { request_id, total },
            spend: total,
            expires_s: now_s.saturating_add(lifetime),
        }
        .sign(key),
        _ => Err(ApiError::invalid(errors)),
    }
}

/// A positive exact amount from a JSON number or decimal text.
fn positive(v: &Value, field: &str) -> Result<Amount, FieldError> {
    match amount_of(v) {
        Ok(a) if a.is_positive() => Ok(a),
        Ok(_) => Err(FieldError::new(field, Code::AmountNotPositive)),
        Err(code) => Err(bdpay_core::request::amount_error(field, code, None)),
    }
}

fn seconds_error() -> FieldError {
    FieldError::with_args(
        "expiresIn",
        Rule::Seconds,
        &[
            ("min", Slot::Count(MIN_LIFETIME_S)),
            ("max", Slot::Count(MAX_LIFETIME_S)),
        ],
    )
}

/// `expiresIn` in whole seconds, 10 to [`MAX_LIFETIME_S`].
fn lifetime(v: Option<&Value>) -> Result<u64, FieldError> {
    match v {
        None | Some(Value::Null) => Ok(DEFAULT_LIFETIME_S),
        Some(n) => n
            .as_u64()
            .filter(|s| (MIN_LIFETIME_S..=MAX_LIFETIME_S).contains(s))
            .ok_or_else(seconds_error),
    }
}

/// The claims of an intent, unverified: what the page shows and sends.
/// `None` when the text is not an intent. Never trust this for money.
pub fn peek(text: &str, rules: &Rules) -> Option<Intent> {
    let text = text.trim();
    if text.len() > MAX_INTENT_CHARS {
        return None;
    }
    let claims = text.split('.').nth(2)?;
    let json = Base64UrlUnpadded::decode_vec(claims).ok()?;
    Intent::from_claims(&json::parse(&json).ok()?, rules)
}

/// The payment's body as the page sends it: the `/request` body (amount a
/// JSON number), or `{ request_id }` for an `execute`.
pub fn page_body(intent: &Intent) -> Value {
    match &intent.payment {
        Payment::Request(r) => r.to_wire_json(),
        Payment::Execute { request_id, .. } => object([("request_id", request_id.as_str().into())]),
    }
}

#[cfg(test)]
mod tests;
