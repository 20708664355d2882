//! One error type for every call to either API, with a stable `kind`.
//!
//! Status → kind is one pure function ([`ApiError::from_response`]); whether to
//! retry is another (`policy`). Any body, in either documented error shape,
//! in neither, or not JSON at all, gives an `ApiError`, never a panic. Nothing
//! here ever holds the token. Every error says what it says in English and
//! Bangla, from the rows of [`wording`]: a server's English stays beside them
//! (`server_message`), never in place of the Bangla.

use crate::http::HttpResponse;
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{fill, Code, FieldError, Lang, Rule, Slot};

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
        let en: Vec<String> = errors
            .iter()
            .map(|e| {
                let field = if e.field.is_empty() {
                    "config"
                } else {
                    &e.field
                };
                [field, ": ", &e.message].concat()
            })
            .collect();
        let bn: Vec<&str> = errors.iter().map(|e| e.message_bn.as_str()).collect();
        let (en, bn) = (en.join("; "), bn.join(" "));
        ApiError {
            messages: errors.iter().map(|e| e.message.clone()).collect(),
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
        let body = json::parse(&resp.body).ok();
        let text = |k: &str| {
            body.as_ref()
                .and_then(|b| b.get(k))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let mut messages: Vec<String> = Vec::new();
        let mut field_errors = Vec::new();
        if let Some(b) = &body {
            if let Some(m) = text("message") {
                messages.push(m.to_owned());
            }
            if let Some(list) = b.get("messages").and_then(Value::as_array) {
                messages.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            if let Some(fields) = b.get("errors").and_then(Value::as_object) {
                for (field, msgs) in fields {
                    let said = match msgs {
                        Value::Array(items) => items
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" "),
                        Value::String(s) => s.clone(),
                        _ => String::new(),
                    };
                    field_errors.push(server_field_error(field, &said));
                }
            }
            // The proxy sends its own checks' errors whole, codes and Bangla included.
            if let Some(list) = b.get("field_errors").and_then(Value::as_array) {
                let ours: Vec<FieldError> = list.iter().filter_map(field_error).collect();
                if !ours.is_empty() {
                    field_errors = ours;
                }
            }
        }
        messages.retain(|m| !m.is_empty());
        let status = effective_status(resp.status, body.as_ref());
        let kind = kind_of(status, &messages);
        let mut e = match (messages.first(), text("code"), text("message_bn")) {
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
        e.title = body
            .as_ref()
            .and_then(|b| b.get("error_title"))
            .and_then(Value::as_str)
            .map(str::to_owned);
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
                Value::Array(self.messages.iter().map(|m| m.as_str().into()).collect()),
            ),
            (
                "fieldErrors",
                Value::Array(self.field_errors.iter().map(FieldError::to_json).collect()),
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

fn field_error(v: &Value) -> Option<FieldError> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(FieldError {
        field: text("field")?,
        code: Code::parse(&text("code")?)?,
        message: text("message")?,
        message_bn: text("message_bn")?,
    })
}
/// The wallet repeats the status in its body's `code`; a 200 whose body says
/// 422 is a 422. The gateway's `status: false` on a 2xx is a refusal too.
fn effective_status(http: u16, body: Option<&Value>) -> u16 {
    let body_code = body
        .and_then(|b| b.get("code"))
        .and_then(|c| match c {
            Value::Number(n) => n.parse::<u16>().ok(),
            _ => None,
        })
        .filter(|c| (400..600).contains(c));
    match body_code {
        Some(c) if http < 400 => c,
        _ if http < 400
            && body.and_then(|b| b.get("status")).and_then(Value::as_bool) == Some(false) =>
        {
            422
        }
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
