//! Answers as plain values, and the error shapes of both APIs.
//!
//! Handlers build a [`Reply`]; only [`Reply::into_response`] knows about HTTP
//! types. Amounts are written from exact paisa, never through a float.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bdpay_core::json::{object, Value};
use bdpay_core::messages::FieldError;
use bdpay_core::money::Amount;

/// A status, a JSON body and any extra headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply::new(200, body)
    }

    pub fn new(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body,
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    pub fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            self.body.to_json(),
        )
            .into_response();
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(HeaderName::from_static(name), v);
            }
        }
        res
    }
}

/// An amount as a JSON number with two decimals: `500.00`.
pub fn money(a: Amount) -> Value {
    Value::Number(a.to_decimal_string())
}

/// An amount as the wallet displays it: `৳1,050.25`.
pub fn taka(a: Amount) -> String {
    let plain = a.to_decimal_string();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, "00"));
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    [sign, "৳", &grouped, ".", frac].concat()
}

// ---- gateway ------------------------------------------------------------

/// `{"status": false, "message": …}`.
pub fn gateway_error(status: u16, message: &str) -> Reply {
    Reply::new(
        status,
        object([("status", false.into()), ("message", message.into())]),
    )
}

/// A 422 in Laravel's validation shape: the first message, then every
/// message grouped by field in the order found.
pub fn gateway_invalid(errors: &[FieldError]) -> Reply {
    let mut fields: Vec<(String, Value)> = Vec::new();
    for e in errors {
        let key = if e.field.is_empty() { "body" } else { &e.field };
        let msg = Value::from(e.message.as_str());
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, Value::Array(list))) => list.push(msg),
            _ => fields.push((key.to_owned(), Value::Array(vec![msg]))),
        }
    }
    let first = errors
        .first()
        .map_or("The given data was invalid.", |e| e.message.as_str());
    Reply::new(
        422,
        object([
            ("status", false.into()),
            ("message", first.into()),
            ("errors", Value::Object(fields)),
        ]),
    )
}

/// A one-field 422 in Laravel's validation shape.
pub fn gateway_field_error(field: &str, message: &str) -> Reply {
    Reply::new(
        422,
        object([
            ("status", false.into()),
            ("message", message.into()),
            (
                "errors",
                Value::Object(vec![(field.to_owned(), Value::Array(vec![message.into()]))]),
            ),
        ]),
    )
}

// ---- wallet -------------------------------------------------------------

/// Whether a wallet error carries `error_title`, and with what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Title {
    /// The key is left out (as in the summary's and histories' 404 samples).
    Absent,
    /// `"error_title": null`.
    Null,
    Code(&'static str),
}

/// `{"code": N, "messages": [...], "data": null[, "error_title": …]}`.
pub fn wallet_error(status: u16, messages: &[&str], title: Title) -> Reply {
    let mut fields = vec![
        ("code".to_owned(), Value::from(u64::from(status))),
        (
            "messages".to_owned(),
            Value::Array(messages.iter().map(|m| Value::from(*m)).collect()),
        ),
        ("data".to_owned(), Value::Null),
    ];
    match title {
        Title::Absent => {}
        Title::Null => fields.push(("error_title".to_owned(), Value::Null)),
        Title::Code(c) => fields.push(("error_title".to_owned(), c.into())),
    }
    Reply::new(status, Value::Object(fields))
}

/// `{"code": 200, "messages": [...], "data": …}`.
pub fn wallet_ok(messages: &[&str], data: Value) -> Reply {
    Reply::ok(object([
        ("code", 200u64.into()),
        (
            "messages",
            Value::Array(messages.iter().map(|m| Value::from(*m)).collect()),
        ),
        ("data", data),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bdpay_core::messages::Code;

    #[test]
    fn display_amounts_group_thousands() {
        for (paisa, want) in [
            (10_000, "৳100.00"),
            (500, "৳5.00"),
            (105_025, "৳1,050.25"),
            (123_456_789, "৳1,234,567.89"),
            (0, "৳0.00"),
            (-100_000, "-৳1,000.00"),
        ] {
            assert_eq!(taka(Amount::from_paisa(paisa)), want);
        }
        assert_eq!(money(Amount::from_taka(500)).to_json(), "500.00");
    }

    #[test]
    fn laravel_shape_groups_messages_by_field() {
        let errs = [
            FieldError::new("phone", Code::Required),
            FieldError::new("amount", Code::InvalidAmount),
            FieldError::new("phone", Code::InvalidPhone),
            FieldError::new("", Code::NotAnObject),
        ];
        let r = gateway_invalid(&errs);
        assert_eq!(r.status, 422);
        assert_eq!(
            r.body.to_json(),
            concat!(
                r#"{"status":false,"message":"Phone number is required.","errors":{"#,
                r#""phone":["Phone number is required.","Enter an 11-digit Bangladeshi mobile number, like 01712345678."],"#,
                r#""amount":["Amount must be a number, like 100 or 99.50."],"#,
                r#""body":["The request must be an object."]}}"#
            )
        );
    }

    #[test]
    fn wallet_errors_carry_error_title_only_when_asked() {
        let rows = [
            (
                Title::Absent,
                r#"{"code":422,"messages":["Bill not found."],"data":null}"#,
            ),
            (
                Title::Null,
                r#"{"code":422,"messages":["Bill not found."],"data":null,"error_title":null}"#,
            ),
            (
                Title::Code("E_PIN_ERROR"),
                r#"{"code":422,"messages":["Bill not found."],"data":null,"error_title":"E_PIN_ERROR"}"#,
            ),
        ];
        for (title, want) in rows {
            assert_eq!(
                wallet_error(422, &["Bill not found."], title)
                    .body
                    .to_json(),
                want
            );
        }
    }
}
