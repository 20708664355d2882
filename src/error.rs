//! One error type for every call to either API, with a stable `kind`.
//!
//! Status → kind is one pure function ([`ApiError::from_response`]); whether to
//! retry is another (`policy`). Any body, in either documented error shape,
//! in neither, or not JSON at all, gives an `ApiError`, never a panic. Nothing
//! here ever holds the token.

use crate::http::HttpResponse;
use crate::json::{self, object, Value};
use crate::messages::{Code, FieldError};

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
    /// The first message, or a description when the server gave none.
    pub message: String,
    /// Every message the server sent.
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
    pub fn new(kind: ErrorKind, status: u16, message: &str) -> ApiError {
        ApiError {
            kind,
            status,
            message: message.to_owned(),
            messages: Vec::new(),
            field_errors: Vec::new(),
            retry_after_ms: None,
            title: None,
            not_committed: false,
        }
    }

    /// Refused before sending: the request did not pass validation.
    pub fn invalid(errors: Vec<FieldError>) -> ApiError {
        let message = errors
            .first()
            .map_or_else(String::new, |e| e.message.clone());
        ApiError {
            field_errors: errors,
            ..ApiError::new(ErrorKind::Validation, 0, &message)
        }
    }

    pub fn bad_response(status: u16, what: &str) -> ApiError {
        ApiError::new(
            ErrorKind::BadResponse,
            status,
            &["Unexpected response: ", what].concat(),
        )
    }

    /// The error a non-success response stands for, from its status and
    /// whatever can be read of its body (gateway `{status, message}`, Laravel
    /// `{message, errors}`, wallet `{code, messages, error_title}`, or none).
    pub fn from_response(resp: &HttpResponse) -> ApiError {
        let body = json::parse(&resp.body).ok();
        let mut messages: Vec<String> = Vec::new();
        let mut field_errors = Vec::new();
        let mut title = None;
        if let Some(b) = &body {
            if let Some(m) = b.get("message").and_then(Value::as_str) {
                messages.push(m.to_owned());
            }
            if let Some(list) = b.get("messages").and_then(Value::as_array) {
                messages.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            if let Some(fields) = b.get("errors").and_then(Value::as_object) {
                for (field, msgs) in fields {
                    let text = match msgs {
                        Value::Array(items) => items
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" "),
                        Value::String(s) => s.clone(),
                        _ => String::new(),
                    };
                    let mut e = FieldError::new(field, Code::Rejected);
                    if !text.is_empty() {
                        e.message_bn = text.clone();
                        e.message = text;
                    }
                    field_errors.push(e);
                }
            }
            // The proxy sends its own checks' errors whole, codes and Bangla included.
            if let Some(list) = b.get("field_errors").and_then(Value::as_array) {
                let ours: Vec<FieldError> = list.iter().filter_map(field_error).collect();
                if !ours.is_empty() {
                    field_errors = ours;
                }
            }
            title = b
                .get("error_title")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        messages.retain(|m| !m.is_empty());
        let status = effective_status(resp.status, body.as_ref());
        let kind = kind_of(status, &messages);
        let message = messages
            .first()
            .cloned()
            .unwrap_or_else(|| default_message(kind).to_owned());
        ApiError {
            kind,
            status: resp.status,
            message,
            messages,
            field_errors,
            retry_after_ms: resp.retry_after_ms(),
            title,
            not_committed: false,
        }
    }

    /// `{ kind, status, message, messages, fieldErrors, retryAfterMs, title, notCommitted }`.
    pub fn to_json(&self) -> Value {
        object([
            ("kind", self.kind.as_str().into()),
            ("status", u64::from(self.status).into()),
            ("message", self.message.as_str().into()),
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

fn default_message(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Unauthorized => "Missing or invalid API token.",
        ErrorKind::Forbidden => "The account is inactive or has no API access.",
        ErrorKind::NotFound => "Not found.",
        ErrorKind::Validation => "The request was refused.",
        ErrorKind::InsufficientBalance => "Insufficient balance.",
        ErrorKind::Duplicate => "Duplicate transaction.",
        ErrorKind::RateLimited => "Too many requests; slow down.",
        ErrorKind::Timeout => "The request timed out.",
        ErrorKind::Network => "The network failed.",
        ErrorKind::Server => "The server failed.",
        ErrorKind::BadResponse => "Unexpected response.",
        ErrorKind::RefIdConflict => "A different payment already holds this reference.",
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
    fn status_and_message_give_the_kind() {
        let rows = [
            (
                401,
                r#"{"status":false,"message":"Unauthenticated."}"#,
                "unauthorized",
                "Unauthenticated.",
            ),
            (
                403,
                r#"{"status":false,"message":"Account inactive"}"#,
                "forbidden",
                "Account inactive",
            ),
            (
                404,
                r#"{"status":false,"message":"Transaction not found"}"#,
                "not_found",
                "Transaction not found",
            ),
            (
                422,
                r#"{"status":false,"message":"Insufficient balance"}"#,
                "insufficient_balance",
                "Insufficient balance",
            ),
            (
                422,
                r#"{"status":false,"message":"Duplicate transaction"}"#,
                "duplicate",
                "Duplicate transaction",
            ),
            (
                422,
                r#"{"status":false,"message":"Operator not found or not active"}"#,
                "validation",
                "Operator not found or not active",
            ),
            (
                429,
                r#"{"status":false,"message":"Too Many Attempts."}"#,
                "rate_limited",
                "Too Many Attempts.",
            ),
            (500, "<html>oops</html>", "server", "The server failed."),
            (503, "", "server", "The server failed."),
            (418, "not json", "validation", "The request was refused."),
            (
                200,
                r#"{"code":422,"messages":["Bill not found."],"data":null}"#,
                "validation",
                "Bill not found.",
            ),
            (
                200,
                r#"{"status":false,"message":"Service not available"}"#,
                "validation",
                "Service not available",
            ),
            (302, "", "bad_response", "Unexpected response."),
        ];
        for (status, body, kind, message) in rows {
            let e = ApiError::from_response(&resp(status, body));
            assert_eq!(
                (e.kind.as_str(), e.message.as_str(), e.status),
                (kind, message, status),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn laravel_field_errors_and_wallet_titles_are_kept() {
        let e = ApiError::from_response(&resp(
            422,
            r#"{"message":"The phone field is required.","errors":{"phone":["The phone field is required."],"amount":"bad"}}"#,
        ));
        let fields: Vec<(&str, &str, &str)> = e
            .field_errors
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("phone", "rejected", "The phone field is required."),
                ("amount", "rejected", "bad")
            ]
        );
        let e = ApiError::from_response(&resp(
            422,
            r#"{"code":422,"messages":["Sorry! PIN does not match."],"data":null,"error_title":"E_PIN_ERROR"}"#,
        ));
        assert_eq!(
            (e.kind, e.title.as_deref(), e.messages.len()),
            (ErrorKind::Validation, Some("E_PIN_ERROR"), 1)
        );
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
