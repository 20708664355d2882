//! One error type for every call to either API, with a stable `kind`.
//!
//! Status → kind is one pure function ([`ApiError::from_response`]); whether to
//! retry is another (`policy`). Any body, in either documented error shape,
//! in neither, or not JSON at all, gives an `ApiError`, never a panic. Nothing
//! here ever holds the token. Every error says what it says in English and
//! Bangla, from the rows of [`wording`]: a server's English stays beside them
//! (`server_message`), never in place of the Bangla.

use crate::prelude::*;

use crate::http::HttpResponse;
use bdpay_core::json::de::{self, field, field::Entries, field::Maybe};
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{fill, Code, FieldError, Lang, Rule, Slot};
use serde::Deserialize;

pub mod wording;
pub use wording::Say;

/// A saying's `(code, English, Bangla)`, from [`Say::row`].
pub type Row = (&'static str, &'static str, &'static str);

/// What went wrong, for a program to branch on. `as_str` values are public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    Unauthorized,
    Forbidden,
    NotFound,
    Validation,
    InsufficientBalance,
    Duplicate,
    RateLimited,
    Timeout,
    Network,
    Server,
    BadResponse,
    /// The id that should name this payment (the gateway's `ref_id`, the
    /// wallet's `request_id`) names a different payment: another order took
    /// it first. This payment is not confirmed; a new one needs a new id.
    RefIdConflict,
    /// A payment was sent and what became of it could not be learnt: it may
    /// have gone through. Not to be paid again; its status tells, later.
    OutcomeUnknown,
    /// Refused before sending: the same payment was sent a few minutes ago
    /// under another `ref_id`. Sent again only when the caller confirms.
    Repeat,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Validation => "validation",
            ErrorKind::InsufficientBalance => "insufficient_balance",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Server => "server",
            ErrorKind::BadResponse => "bad_response",
            ErrorKind::RefIdConflict => "ref_id_conflict",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::Repeat => "repeat",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    /// HTTP status, 0 when no response arrived.
    pub status: u16,
    /// What was said, as a stable code: a row of [`wording`] (`timeout`,
    /// `pin_mismatch`, `server_refused`, …), `validation`, or the code of a
    /// proxy's own refusal (`intent_expired`).
    pub code: String,
    /// For people, in English.
    pub message: String,
    /// The same, in Bangla.
    pub message_bn: String,
    /// The server's own first message, word for word, when it sent one.
    pub server_message: Option<String>,
    /// Every message the server sent (or, for a network error, the runtime's words).
    pub messages: Vec<String>,
    /// Per-field problems: ours (validation before sending) or the server's.
    pub field_errors: Vec<FieldError>,
    pub retry_after_ms: Option<u64>,
    /// The wallet's `error_title` (`E_PIN_ERROR`).
    pub title: Option<String>,
    /// For a `/request` whose outcome is unknown: whether the transaction is
    /// known not to exist, so trying again with the same `ref_id` is safe.
    pub not_committed: bool,
}

impl ApiError {
    /// An error saying one row of [`wording`], its slots filled from `args`.
    ///
    /// ```
    /// use bdpay_api::error::{ApiError, ErrorKind, Say};
    /// let e = ApiError::says(ErrorKind::Timeout, 0, Say::Pending, &[]);
    /// assert_eq!((e.code.as_str(), e.message.as_str(), e.message_bn.as_str()),
    ///            ("pending", "The transaction is still pending.", "লেনদেনটি এখনো প্রক্রিয়াধীন।"));
    /// ```
    pub fn says(kind: ErrorKind, status: u16, say: Say, args: &[(&str, Slot<'_>)]) -> ApiError {
        ApiError::says_row(kind, status, say.row(), args)
    }

    fn says_row(kind: ErrorKind, status: u16, row: Row, args: &[(&str, Slot<'_>)]) -> ApiError {
        let (code, en, bn) = row;
        ApiError {
            kind,
            status,
            code: code.to_owned(),
            message: fill(en, Lang::En, args),
            message_bn: fill(bn, Lang::Bn, args),
            server_message: None,
            messages: Vec::new(),
            field_errors: Vec::new(),
            retry_after_ms: None,
            title: None,
            not_committed: false,
        }
    }

    /// The error of a kind, saying what that kind means.
    pub fn of_kind(kind: ErrorKind, status: u16) -> ApiError {
        ApiError::says(kind, status, default_say(kind), &[])
    }

    /// A payment sent with this error, and no ask since able to say what
    /// became of it: the `outcome_unknown` error, keeping this one's
    /// status, server words and wait.
    pub fn outcome_unknown(self) -> ApiError {
        ApiError {
            status: self.status,
            server_message: self.server_message,
            messages: self.messages,
            retry_after_ms: self.retry_after_ms,
            ..ApiError::of_kind(ErrorKind::OutcomeUnknown, 0)
        }
    }

    /// Refused before sending: the request did not pass validation. Says
    /// what the first field error says.
    pub fn invalid(errors: Vec<FieldError>) -> ApiError {
        let mut e = ApiError::of_kind(ErrorKind::Validation, 0);
        e.code = "validation".to_owned();
        if let Some(first) = errors.first() {
            e.message.clone_from(&first.message);
            e.message_bn.clone_from(&first.message_bn);
        }
        e.field_errors = errors;
        e
    }

    /// A settings object (`ValidatorConfig`, `ProxyConfig`) with every refused
    /// setting named in both languages.
    pub fn config(say: Say, errors: Vec<FieldError>) -> ApiError {
        ApiError::config_row(say.row(), errors)
    }

    /// As [`ApiError::config`], given the saying's row. With the row taken
    /// in a `const` (`const { Say::ValidatorConfig.row() }`), a build that
    /// says only this carries only this row's words, not every saying's.
    pub fn config_row(row: Row, errors: Vec<FieldError>) -> ApiError {
        // `field: message; …` in English, the Bangla messages one after
        // another, and each English message: one loop (smaller in the wasm
        // than three map/collect chains and their joins).
        let (mut en, mut bn, mut messages) = (String::new(), String::new(), Vec::new());
        for (i, e) in errors.iter().enumerate() {
            if i > 0 {
                en.push_str("; ");
                bn.push(' ');
            }
            en.push_str(if e.field.is_empty() {
                "config"
            } else {
                &e.field
            });
            en.push_str(": ");
            en.push_str(&e.message);
            bn.push_str(&e.message_bn);
            messages.push(e.message.clone());
        }
        ApiError {
            messages,
            field_errors: errors,
            ..ApiError::says_row(
                ErrorKind::Validation,
                0,
                row,
                &[("details", Slot::Text(&en, &bn))],
            )
        }
    }

    /// An answer that could not be read; `what` names the part (a JSON path or code).
    pub fn bad_response(status: u16, what: &str) -> ApiError {
        ApiError::says(
            ErrorKind::BadResponse,
            status,
            Say::UnexpectedResponse,
            &[("what", Slot::Code(what))],
        )
    }

    /// The error a non-success response stands for, from its status and
    /// whatever can be read of its body (gateway `{status, message}`, Laravel
    /// `{message, errors}`, wallet `{code, messages, error_title}`, the
    /// proxy's `{message, message_bn, code}`, or none).
    pub fn from_response(resp: &HttpResponse) -> ApiError {
        let mut said = json::parse(&resp.body)
            .ok()
            .map(|b| Said::read(&b))
            .unwrap_or_default();
        let mut messages: Vec<String> = said.message.iter().cloned().collect();
        messages.extend(
            core::mem::take(&mut said.messages)
                .into_iter()
                .filter_map(|m| m.0),
        );
        let mut field_errors: Vec<FieldError> = said
            .errors
            .0
            .iter()
            .map(|(field, said)| server_field_error(field, &said.0))
            .collect();
        // The proxy sends its own checks' errors whole, codes and Bangla included.
        let ours: Vec<FieldError> = core::mem::take(&mut said.field_errors)
            .into_iter()
            .filter_map(|f| f.0.and_then(WireFieldError::into_field_error))
            .collect();
        if !ours.is_empty() {
            field_errors = ours;
        }
        messages.retain(|m| !m.is_empty());
        let status = effective_status(resp.status, &said);
        let kind = kind_of(status, &messages);
        let proxy_code = said
            .code
            .as_deref()
            .filter(|c| said.status_code().is_none() && !c.is_empty());
        let message_bn = said.message_bn.as_deref().filter(|m| !m.is_empty());
        let mut e = match (messages.first(), proxy_code, message_bn) {
            // The proxy's own refusal: its code and both its sentences.
            (Some(m), Some(code), Some(bn)) => ApiError {
                code: code.to_owned(),
                message: m.clone(),
                message_bn: bn.to_owned(),
                ..ApiError::of_kind(kind, resp.status)
            },
            (Some(m), _, _) => match Say::known(m) {
                Some(say) => ApiError::says(kind, resp.status, say, &[]),
                None => {
                    let say = if kind == ErrorKind::Server {
                        Say::ServerFailedSaying
                    } else {
                        Say::ServerRefusedSaying
                    };
                    ApiError::says(kind, resp.status, say, &[("server", Slot::Code(m))])
                }
            },
            (None, _, _) => ApiError::of_kind(kind, resp.status),
        };
        e.server_message = messages.first().cloned();
        e.messages = messages;
        e.field_errors = field_errors;
        e.retry_after_ms = resp.retry_after_ms();
        e.title = said.error_title;
        e
    }

    /// `{ kind, code, status, message, messageBn, serverMessage, messages,
    /// fieldErrors, retryAfterMs, title, notCommitted }`.
    pub fn to_json(&self) -> Value {
        object([
            ("kind", self.kind.as_str().into()),
            ("code", self.code.as_str().into()),
            ("status", u64::from(self.status).into()),
            ("message", self.message.as_str().into()),
            ("messageBn", self.message_bn.as_str().into()),
            ("serverMessage", self.server_message.as_deref().into()),
            (
                "messages",
                json::array_of(&self.messages, |m| m.as_str().into()),
            ),
            (
                "fieldErrors",
                json::array_of(&self.field_errors, FieldError::to_json),
            ),
            ("retryAfterMs", self.retry_after_ms.into()),
            ("title", self.title.as_deref().into()),
            ("notCommitted", self.not_committed.into()),
        ])
    }
}

/// A field the server refused: a sentence this library knows is said in
/// both languages; any other is quoted after "the server refused {label}".
fn server_field_error(field: &str, said: &str) -> FieldError {
    if let Some(say) = Say::known(said) {
        let (_, en, bn) = say.row();
        return FieldError {
            field: field.to_owned(),
            code: Code::Rejected,
            message: fill(en, Lang::En, &[]),
            message_bn: fill(bn, Lang::Bn, &[]),
        };
    }
    if said.trim().is_empty() {
        FieldError::new(field, Code::Rejected)
    } else {
        FieldError::with_args(field, Rule::ServerSaid, &[("server", Slot::Code(said))])
    }
}

/// What a body says of the outcome, in whichever shape it came: the
/// gateway's `{ status, message }`, Laravel's `{ message, errors }`, the
/// wallet's `{ code, messages, error_title }`, the proxy's `{ message,
/// message_bn, code, field_errors }`. Every field is read leniently: one of
/// the wrong kind is as if absent, so any body gives an error, never a panic.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Said {
    #[serde(deserialize_with = "field::or_default")]
    pub status: Option<bool>,
    /// The wallet's status (`422`), or the proxy's own code (`intent_expired`).
    #[serde(deserialize_with = "field::or_default")]
    pub code: Option<String>,
    #[serde(deserialize_with = "field::or_default")]
    message: Option<String>,
    #[serde(deserialize_with = "field::or_default")]
    messages: Vec<Maybe<String>>,
    #[serde(deserialize_with = "field::or_default")]
    errors: Entries<FieldSaid>,
    #[serde(deserialize_with = "field::or_default")]
    field_errors: Vec<Maybe<WireFieldError>>,
    #[serde(deserialize_with = "field::or_default")]
    message_bn: Option<String>,
    #[serde(deserialize_with = "field::or_default")]
    error_title: Option<String>,
}

impl Said {
    /// What `body` says (nothing, if it is not an object).
    pub fn read(body: &Value) -> Said {
        de::from_value(body).unwrap_or_default()
    }

    /// `code` as an HTTP status, when it is a number.
    pub fn status_code(&self) -> Option<u64> {
        self.code.as_deref().and_then(|c| c.parse().ok())
    }
}

/// A Laravel field's messages: a list of strings (joined) or one string.
#[derive(Debug, Default)]
struct FieldSaid(String);

impl<'de> Deserialize<'de> for FieldSaid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FieldSaid, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FieldSaid;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E>(self, s: &str) -> Result<FieldSaid, E> {
                Ok(FieldSaid(s.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FieldSaid, A::Error> {
                let mut said: Vec<String> = Vec::new();
                while let Some(Maybe(m)) = seq.next_element::<Maybe<String>>()? {
                    said.extend(m);
                }
                Ok(FieldSaid(said.join(" ")))
            }
            // Anything else says nothing, but the field was still refused.
            fn visit_bool<E>(self, _: bool) -> Result<FieldSaid, E> {
                Ok(FieldSaid::default())
            }
            fn visit_unit<E>(self) -> Result<FieldSaid, E> {
                Ok(FieldSaid::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FieldSaid, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(FieldSaid::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// One of the proxy's `field_errors`; kept only when whole and its code known.
#[derive(Debug, Deserialize)]
struct WireFieldError {
    field: String,
    code: String,
    message: String,
    message_bn: String,
}

impl WireFieldError {
    fn into_field_error(self) -> Option<FieldError> {
        Some(FieldError {
            field: self.field,
            code: Code::parse(&self.code)?,
            message: self.message,
            message_bn: self.message_bn,
        })
    }
}

/// The wallet repeats the status in its body's `code`; a 200 whose body says
/// 422 is a 422. The gateway's `status: false` on a 2xx is a refusal too.
fn effective_status(http: u16, said: &Said) -> u16 {
    let body_code = said
        .status_code()
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c));
    match body_code {
        Some(c) if http < 400 => c,
        _ if http < 400 && said.status == Some(false) => 422,
        _ => http,
    }
}

fn kind_of(status: u16, messages: &[String]) -> ErrorKind {
    let said = |needle: &str| {
        messages
            .iter()
            .any(|m| m.to_ascii_lowercase().contains(needle))
    };
    match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        408 => ErrorKind::Timeout,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ if said("insufficient") => ErrorKind::InsufficientBalance,
        _ if said("duplicate") => ErrorKind::Duplicate,
        400..=499 => ErrorKind::Validation,
        _ => ErrorKind::BadResponse,
    }
}

fn default_say(kind: ErrorKind) -> Say {
    match kind {
        ErrorKind::Unauthorized => Say::Unauthorized,
        ErrorKind::Forbidden => Say::Forbidden,
        ErrorKind::NotFound => Say::NotFound,
        ErrorKind::Validation => Say::Refused,
        ErrorKind::InsufficientBalance => Say::InsufficientBalance,
        ErrorKind::Duplicate => Say::Duplicate,
        ErrorKind::RateLimited => Say::RateLimited,
        ErrorKind::Timeout => Say::Timeout,
        ErrorKind::Network => Say::Network,
        ErrorKind::Server => Say::ServerFailed,
        ErrorKind::BadResponse => Say::BadResponse,
        ErrorKind::RefIdConflict => Say::ReferenceTaken,
        ErrorKind::OutcomeUnknown => Say::OutcomeUnknown,
        ErrorKind::Repeat => Say::Repeat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn status_and_message_give_the_kind_and_both_languages() {
        // (status, body, kind, code, English, Bangla)
        let rows = [
            (
                401,
                r#"{"status":false,"message":"Unauthenticated."}"#,
                "unauthorized",
                "unauthenticated",
                "Unauthenticated.",
                "পরিচয় যাচাই হয়নি: এপিআই টোকেন নেই, বা টোকেনটি সঠিক নয়।",
            ),
            (
                403,
                r#"{"status":false,"message":"Account inactive"}"#,
                "forbidden",
                "account_inactive",
                "Account inactive.",
                "অ্যাকাউন্টটি সক্রিয় নয়।",
            ),
            (
                404,
                r#"{"status":false,"message":"Transaction not found"}"#,
                "not_found",
                "transaction_not_found",
                "Transaction not found.",
                "লেনদেনটি পাওয়া যায়নি।",
            ),
            (
                422,
                r#"{"status":false,"message":"Insufficient balance"}"#,
                "insufficient_balance",
                "insufficient_balance",
                "Insufficient balance.",
                "ব্যালেন্স যথেষ্ট নয়।",
            ),
            (
                422,
                r#"{"status":false,"message":"Duplicate transaction"}"#,
                "duplicate",
                "duplicate",
                "Duplicate transaction.",
                "একই লেনদেন আগেই পাঠানো হয়েছে।",
            ),
            (
                422,
                r#"{"status":false,"message":"Operator not found or not active"}"#,
                "validation",
                "operator_not_active",
                "Operator not found or not active.",
                "অপারেটরটি পাওয়া যায়নি, বা এটি এখন সক্রিয় নয়।",
            ),
            (
                429,
                r#"{"status":false,"message":"Too Many Attempts."}"#,
                "rate_limited",
                "too_many_attempts",
                "Too Many Attempts.",
                "অনেকবার চেষ্টা করা হয়েছে। একটু পরে আবার চেষ্টা করুন।",
            ),
            (
                500,
                "<html>oops</html>",
                "server",
                "server",
                "The server failed.",
                "সার্ভারে সমস্যা হয়েছে।",
            ),
            (
                503,
                "",
                "server",
                "server",
                "The server failed.",
                "সার্ভারে সমস্যা হয়েছে।",
            ),
            (
                502,
                r#"{"message":"Bad Gateway"}"#,
                "server",
                "server_failed",
                "Bad Gateway",
                "সার্ভারে সমস্যা হয়েছে। সার্ভারের বার্তা: Bad Gateway",
            ),
            (
                418,
                "not json",
                "validation",
                "refused",
                "The request was refused.",
                "সার্ভার অনুরোধটি গ্রহণ করেনি।",
            ),
            (
                200,
                r#"{"code":422,"messages":["Bill not found."],"data":null}"#,
                "validation",
                "bill_not_found",
                "Bill not found.",
                "বিলটি পাওয়া যায়নি।",
            ),
            (
                200,
                r#"{"status":false,"message":"Service not available"}"#,
                "validation",
                "service_not_available",
                "Service not available.",
                "এই সেবাটি এখন পাওয়া যাচ্ছে না।",
            ),
            (
                422,
                r#"{"code":422,"messages":["Meter is locked."],"data":null}"#,
                "validation",
                "server_refused",
                "Meter is locked.",
                "সার্ভার অনুরোধটি গ্রহণ করেনি। সার্ভারের বার্তা: Meter is locked.",
            ),
            (
                302,
                "",
                "bad_response",
                "bad_response",
                "Unexpected response.",
                "সার্ভারের উত্তর বোঝা যায়নি।",
            ),
        ];
        for (status, body, kind, code, message, message_bn) in rows {
            let e = ApiError::from_response(&resp(status, body));
            assert_eq!(
                (
                    e.kind.as_str(),
                    e.code.as_str(),
                    e.message.as_str(),
                    e.message_bn.as_str(),
                    e.status
                ),
                (kind, code, message, message_bn, status),
                "{status} {body}"
            );
            // The server's own words stay beside, never in place of the Bangla.
            assert_eq!(
                e.server_message.as_deref(),
                e.messages.first().map(String::as_str)
            );
        }
    }

    #[test]
    fn laravel_field_errors_and_wallet_titles_are_kept() {
        let e = ApiError::from_response(&resp(
            422,
            r#"{"message":"The phone field is required.","errors":{"phone":["The phone field is required."],"amount":"bad","package_id":["The selected package id is invalid."]}}"#,
        ));
        let fields: Vec<(&str, &str, &str, &str)> = e
            .field_errors
            .iter()
            .map(|f| {
                (
                    f.field.as_str(),
                    f.code.as_str(),
                    f.message.as_str(),
                    f.message_bn.as_str(),
                )
            })
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "phone",
                    "rejected",
                    "Phone number was refused by the server: The phone field is required.",
                    "সার্ভার মোবাইল নম্বর গ্রহণ করেনি। সার্ভারের বার্তা: The phone field is required."
                ),
                (
                    "amount",
                    "rejected",
                    "Amount was refused by the server: bad",
                    "সার্ভার টাকার পরিমাণ গ্রহণ করেনি। সার্ভারের বার্তা: bad"
                ),
                (
                    "package_id",
                    "rejected",
                    "The selected package id is invalid.",
                    "এই প্যাকেজ আইডিটি সঠিক নয়।"
                ),
            ]
        );
        assert_eq!(
            e.server_message.as_deref(),
            Some("The phone field is required.")
        );
        let e = ApiError::from_response(&resp(
            422,
            r#"{"code":422,"messages":["Sorry! PIN does not match."],"data":null,"error_title":"E_PIN_ERROR"}"#,
        ));
        assert_eq!(
            (
                e.kind,
                e.title.as_deref(),
                e.messages.len(),
                e.message_bn.as_str()
            ),
            (
                ErrorKind::Validation,
                Some("E_PIN_ERROR"),
                1,
                "দুঃখিত, পিন মেলেনি।"
            )
        );
    }

    #[test]
    fn a_proxys_refusal_is_read_with_its_own_code_and_bangla() {
        let body = r#"{"status":false,"message":"The payment intent has expired. Ask the shop for a new one.","message_bn":"পেমেন্ট ইনটেন্টের মেয়াদ শেষ হয়ে গেছে। দোকান থেকে নতুন একটি নিন।","code":"intent_expired"}"#;
        let e = ApiError::from_response(&resp(403, body));
        assert_eq!(
            (e.kind, e.code.as_str(), e.message_bn.as_str()),
            (
                ErrorKind::Forbidden,
                "intent_expired",
                "পেমেন্ট ইনটেন্টের মেয়াদ শেষ হয়ে গেছে। দোকান থেকে নতুন একটি নিন।"
            )
        );
        let j = e.to_json();
        assert_eq!(
            j.get("code").and_then(Value::as_str),
            Some("intent_expired")
        );
        assert!(j.get("messageBn").and_then(Value::as_str).is_some());
    }

    #[test]
    fn the_proxys_field_errors_keep_their_codes() {
        let body = r#"{"status":false,"message":"m","errors":{"phone":["m"]},"field_errors":[{"field":"phone","code":"invalid_phone","message":"m","message_bn":"ম"},{"field":"x","code":"no_such_code","message":"m","message_bn":"ম"}]}"#;
        let e = ApiError::from_response(&resp(422, body));
        let got: Vec<(&str, &str, &str)> = e
            .field_errors
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str(), f.message_bn.as_str()))
            .collect();
        assert_eq!(got, [("phone", "invalid_phone", "ম")]);
    }

    #[test]
    fn retry_after_reaches_the_error() {
        let r = HttpResponse {
            status: 429,
            headers: vec![("retry-after".into(), "3".into())],
            body: vec![],
        };
        assert_eq!(ApiError::from_response(&r).retry_after_ms, Some(3000));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_response_gives_an_error(status in 0u16..1000, body in proptest::collection::vec(any::<u8>(), 0..200), text in "\\PC{0,80}") {
            let _ = ApiError::from_response(&HttpResponse { status, headers: vec![], body });
            let e = ApiError::from_response(&HttpResponse { status, headers: vec![("retry-after".into(), text.clone())], body: text.into_bytes() });
            prop_assert!(!e.message.is_empty());
        }
    }
}

#[cfg(test)]
mod bilingual;
