//! The wallet's utility-bill API, sans-IO: request builders and response
//! readers for billers, summary, execute, histories and beneficiaries.
//!
//! Money arrives as display strings (`"৳100.00"`, `"+ ৳5.00"`, `"$105.00"`):
//! each becomes an exact amount with the display text kept beside it.

use crate::prelude::*;

use crate::error::ApiError;
use crate::gateway::read;
use crate::http::{query_string, Endpoint, HttpRequest, HttpResponse, Method};
use bdpay_core::billers::{parse_billers, BillerType};
use bdpay_core::json::de::field;
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{Code, FieldError};
use bdpay_core::money::Amount;
use bdpay_core::text::ascii_digits;
use serde::de::IntoDeserializer;
use serde::Deserialize;

pub const PREFIX: &str = "/api/v1/private/wallet/";

fn call(ep: &Endpoint, method: Method, name: &str, body: Option<&Value>) -> HttpRequest {
    ep.request(method, &[PREFIX, name].concat(), body)
}

pub fn billers(ep: &Endpoint) -> HttpRequest {
    call(ep, Method::Get, "utility/billers", None)
}

/// The summary of a bill; `params` is what `validate_biller_form` returned.
pub fn summary(ep: &Endpoint, params: &[(String, String)]) -> HttpRequest {
    call(
        ep,
        Method::Get,
        &["utility-bill-pay/summary", &query_string(params)].concat(),
        None,
    )
}

pub fn execute(ep: &Endpoint, exec: &Execute) -> HttpRequest {
    // The API types the PIN as a number, but a number loses a leading zero:
    // such a PIN goes as a string.
    let pin = if exec.pin.starts_with('0') {
        Value::from(exec.pin.as_str())
    } else {
        Value::Number(exec.pin.clone())
    };
    let body = object([
        ("request_id", exec.request_id.as_str().into()),
        ("pin", pin),
    ]);
    call(ep, Method::Post, "utility-bill-pay/execute", Some(&body))
}

/// `execute` through a proxy that adds the PIN itself (under an intent).
pub fn execute_by_intent(ep: &Endpoint, request_id: &str) -> HttpRequest {
    let body = object([("request_id", request_id.into())]);
    call(ep, Method::Post, "utility-bill-pay/execute", Some(&body))
}

pub fn histories(ep: &Endpoint, request_id: &str) -> HttpRequest {
    call(
        ep,
        Method::Post,
        "utility-bill-pay/histories",
        Some(&object([("request_id", request_id.into())])),
    )
}

pub fn beneficiaries(ep: &Endpoint) -> HttpRequest {
    call(ep, Method::Get, "utility-bill-pay/beneficiaries", None)
}

/// `execute({ request_id, pin })`, checked: the PIN is 4–6 digits (Bengali digits accepted).
#[derive(Clone, PartialEq, Eq)]
pub struct Execute {
    pub request_id: String,
    pub pin: String,
}

impl core::fmt::Debug for Execute {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Execute")
            .field("request_id", &self.request_id)
            .field("pin", &"***")
            .finish()
    }
}

impl Execute {
    pub fn from_json(v: &Value) -> Result<Execute, ApiError> {
        let mut errors = Vec::new();
        let request_id = request_id(v.get("request_id"))
            .map_err(|e| errors.push(e))
            .ok();
        let pin = match v.get("pin") {
            None | Some(Value::Null) => Err(FieldError::new("pin", Code::Required)),
            Some(Value::String(s)) if s.trim().is_empty() => {
                Err(FieldError::new("pin", Code::Required))
            }
            Some(Value::String(s)) => Ok(ascii_digits(s.trim())),
            Some(Value::Number(n)) => Ok(n.clone()),
            Some(_) => Err(FieldError::new("pin", Code::InvalidPin)),
        }
        .and_then(|p| {
            if (4..=6).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
                Ok(p)
            } else {
                Err(FieldError::new("pin", Code::InvalidPin))
            }
        })
        .map_err(|e| errors.push(e))
        .ok();
        match (request_id, pin) {
            (Some(request_id), Some(pin)) => Ok(Execute { request_id, pin }),
            _ => Err(ApiError::invalid(errors)),
        }
    }
}

/// A wallet `request_id` (a UUID in the reference): 1–64 of `A-Z a-z 0-9 - _`.
pub fn request_id(v: Option<&Value>) -> Result<String, FieldError> {
    match v.and_then(Value::as_str).map(str::trim) {
        None | Some("") => Err(FieldError::new("request_id", Code::Required)),
        Some(id)
            if id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(id.to_owned())
        }
        Some(_) => Err(FieldError::new("request_id", Code::InvalidId)),
    }
}

/// An amount read from a display string, with the text kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    pub amount: Amount,
    pub display: String,
}

/// The amount by [`Amount`]'s one reading; the text as sent beside it (a
/// number's text, for a number).
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let display = String::deserialize(d)?;
        let amount = Amount::deserialize(display.as_str().into_deserializer())?;
        Ok(Money { amount, display })
    }
}

impl Money {
    /// `{ amount: "100.00", display: "৳100.00" }`.
    pub fn to_json(&self) -> Value {
        object([
            ("amount", self.amount.to_decimal_string().into()),
            ("display", self.display.as_str().into()),
        ])
    }
}

/// The wallet's success envelope: `data` of a `{ code, messages, data }` body
/// whose `code` (if any) is below 400, or the error it stands for.
fn wallet_body(resp: &HttpResponse) -> Result<Value, ApiError> {
    crate::gateway::success_body(resp)
}

fn data(body: &Value, status: u16) -> Result<&Value, ApiError> {
    body.get("data")
        .filter(|d| !d.is_null())
        .ok_or_else(|| ApiError::bad_response(status, "data"))
}

pub fn parse_billers_response(resp: &HttpResponse) -> Result<Vec<BillerType>, ApiError> {
    let body = wallet_body(resp)?;
    parse_billers(&body).map_err(|e| ApiError::bad_response(resp.status, &e.path))
}

/// A summary's or a receipt's `biller`; anything but an object there reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct BillerRef {
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub title: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub logo: String,
}

/// `data.summary` of the summary answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Summary {
    #[serde(deserialize_with = "field::required_text")]
    pub request_id: String,
    #[serde(default, deserialize_with = "field::or_default")]
    pub biller: BillerRef,
    pub amount: Money,
    pub charge: Money,
    pub total_payable: Money,
    #[serde(default, deserialize_with = "field::or_default")]
    pub has_beneficiary: bool,
}

/// The summary, read from `data.summary` (a bad field is named from there:
/// `amount`).
pub fn parse_summary(resp: &HttpResponse) -> Result<Summary, ApiError> {
    let body = wallet_body(resp)?;
    let s = data(&body, resp.status)?
        .get("summary")
        .ok_or_else(|| ApiError::bad_response(resp.status, "data.summary"))?;
    read(s, "", resp.status)
}

/// What a paid bill cost. When the answer to `execute` was lost and the
/// payment was found through `histories`, `history` holds that record and
/// `total_payable` is the summary's total if the client saw it (else `None`:
/// the history record gives the bill amount, not the charge).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub biller: BillerRef,
    pub total_payable: Option<Money>,
    pub history: Option<History>,
}

/// The `summary` of execute's answer.
#[derive(Deserialize)]
struct Paid {
    #[serde(default, deserialize_with = "field::or_default")]
    biller: BillerRef,
    total_payable: Money,
}

/// Reads execute's answer: the reference's sample is a bare `{ summary }`,
/// its table a `{ code, messages, data: { summary } }`; both are accepted.
pub fn parse_execute(resp: &HttpResponse) -> Result<Receipt, ApiError> {
    let body = wallet_body(resp)?;
    let s = body
        .get("summary")
        .or_else(|| body.get("data").and_then(|d| d.get("summary")))
        .ok_or_else(|| ApiError::bad_response(resp.status, "data.summary"))?;
    let paid: Paid = read(s, "", resp.status)?;
    Ok(Receipt {
        biller: paid.biller,
        total_payable: Some(paid.total_payable),
        history: None,
    })
}

/// `data` of the histories answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct History {
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub order_id: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub title: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub logo: String,
    pub amount: Money,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub trx_id: String,
    /// As sent: `"20/02/2025 03:45 PM"`.
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub created_at: String,
    #[serde(default, deserialize_with = "field::or_default")]
    pub details: HistoryDetails,
}

/// A history's `details`; anything but an object there reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct HistoryDetails {
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub bill_information: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub payment_information: String,
    /// Absent where it does not read as money.
    #[serde(default, deserialize_with = "field::or_default")]
    pub payment_received: Option<Money>,
}

pub fn parse_history(resp: &HttpResponse) -> Result<History, ApiError> {
    let body = wallet_body(resp)?;
    read(data(&body, resp.status)?, "", resp.status)
}

/// One of `data.beneficiaries`: text fields, `""` when absent.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Beneficiary {
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub user_id: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub biller_logo: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub display_title: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub display_ac_no: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub bllr_id: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub srvc_id: String,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub inpt_pref: String,
}

pub fn parse_beneficiaries(resp: &HttpResponse) -> Result<Vec<Beneficiary>, ApiError> {
    let body = wallet_body(resp)?;
    let list = data(&body, resp.status)?
        .get("beneficiaries")
        .filter(|l| l.as_array().is_some())
        .ok_or_else(|| ApiError::bad_response(resp.status, "data.beneficiaries"))?;
    read(list, "data.beneficiaries", resp.status)
}

impl BillerRef {
    pub fn to_json(&self) -> Value {
        object([
            ("title", self.title.as_str().into()),
            ("logo", self.logo.as_str().into()),
        ])
    }
}

impl Summary {
    pub fn to_json(&self) -> Value {
        object([
            ("request_id", self.request_id.as_str().into()),
            ("biller", self.biller.to_json()),
            ("amount", self.amount.to_json()),
            ("charge", self.charge.to_json()),
            ("total_payable", self.total_payable.to_json()),
            ("has_beneficiary", self.has_beneficiary.into()),
        ])
    }
}

impl Receipt {
    pub fn to_json(&self) -> Value {
        object([
            ("biller", self.biller.to_json()),
            (
                "total_payable",
                self.total_payable
                    .as_ref()
                    .map_or(Value::Null, Money::to_json),
            ),
            (
                "history",
                self.history.as_ref().map_or(Value::Null, History::to_json),
            ),
        ])
    }
}

impl History {
    pub fn to_json(&self) -> Value {
        object([
            ("order_id", self.order_id.as_str().into()),
            ("title", self.title.as_str().into()),
            ("logo", self.logo.as_str().into()),
            ("amount", self.amount.to_json()),
            ("trx_id", self.trx_id.as_str().into()),
            ("created_at", self.created_at.as_str().into()),
            (
                "details",
                object([
                    (
                        "bill_information",
                        self.details.bill_information.as_str().into(),
                    ),
                    (
                        "payment_information",
                        self.details.payment_information.as_str().into(),
                    ),
                    (
                        "payment_received",
                        self.details
                            .payment_received
                            .as_ref()
                            .map_or(Value::Null, Money::to_json),
                    ),
                ]),
            ),
        ])
    }
}

impl Beneficiary {
    pub fn to_json(&self) -> Value {
        object([
            ("user_id", self.user_id.as_str().into()),
            ("biller_logo", self.biller_logo.as_str().into()),
            ("display_title", self.display_title.as_str().into()),
            ("display_ac_no", self.display_ac_no.as_str().into()),
            ("bllr_id", self.bllr_id.as_str().into()),
            ("srvc_id", self.srvc_id.as_str().into()),
            ("inpt_pref", self.inpt_pref.as_str().into()),
        ])
    }
}

/// Parses a JSON request body given as text (for the bindings and the proxy).
pub fn parse_input(text: &str) -> Result<Value, ApiError> {
    json::parse(text.as_bytes())
        .map_err(|e| ApiError::invalid(vec![bdpay_core::messages::unreadable("", e)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::http::{BaseUrl, Token};

    fn ep() -> Endpoint {
        Endpoint {
            base: BaseUrl::parse("https://wallet.example", true, false).unwrap(),
            token: Some(Token::new("t")),
        }
    }

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn builds_requests_with_query_and_pin_rules() {
        let s = summary(
            &ep(),
            &[
                ("biller_id".into(), "b025".into()),
                ("bll_no".into(), "12 34".into()),
            ],
        );
        assert_eq!(s.url, "https://wallet.example/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b025&bll_no=12%2034");
        let exec = |pin: &str| {
            let e = Execute::from_json(
                &json::parse(
                    ["{\"request_id\":\"r-1\",\"pin\":", pin, "}"]
                        .concat()
                        .as_bytes(),
                )
                .unwrap(),
            );
            e.map(|e| execute(&ep(), &e).body.unwrap_or_default())
        };
        assert_eq!(exec("1235").unwrap(), r#"{"request_id":"r-1","pin":1235}"#);
        assert_eq!(
            exec("\"0420\"").unwrap(),
            r#"{"request_id":"r-1","pin":"0420"}"#
        );
        assert_eq!(
            exec("\"১২৩৪\"").unwrap(),
            r#"{"request_id":"r-1","pin":1234}"#
        );
        for bad in ["\"12\"", "12.5", "\"12a4\"", "true", "1234567"] {
            assert_eq!(
                exec(bad).unwrap_err().field_errors[0].code.as_str(),
                "invalid_pin",
                "{bad}"
            );
        }
        assert!(!format!(
            "{:?}",
            Execute {
                request_id: "r".into(),
                pin: "9876".into()
            }
        )
        .contains("9876"));
    }

    #[test]
    fn reads_the_documented_answers() {
        let s = parse_summary(&resp(200, r#"{"code":200,"messages":[],"data":{"summary":{"request_id":"2bf1c1ae-db3e","biller":{"title":"Electricity Bill Payment","logo":"l"},"amount":"৳100.00","charge":"+ ৳5.00","total_payable":"$105.00","has_beneficiary":true}}}"#)).unwrap();
        assert_eq!(
            (s.amount.amount, s.charge.amount, s.total_payable.amount),
            (
                Amount::from_taka(100),
                Amount::from_taka(5),
                Amount::from_taka(105)
            )
        );
        assert_eq!(s.total_payable.display, "$105.00");
        let bare = parse_execute(&resp(
            200,
            r#"{"summary":{"biller":{"title":"E","logo":"l"},"total_payable":"৳105.00"}}"#,
        ))
        .unwrap();
        let wrapped = parse_execute(&resp(200, r#"{"code":200,"messages":[],"data":{"summary":{"biller":{"title":"E","logo":"l"},"total_payable":"৳105.00"}}}"#)).unwrap();
        assert_eq!(bare, wrapped);
        let h = parse_history(&resp(200, r#"{"code":200,"messages":["ok"],"data":{"order_id":"o","title":"t","logo":"l","amount":"৳100.00","trx_id":"x","created_at":"20/02/2025 03:45 PM","details":{"bill_information":"b","payment_information":"p","payment_received":"৳100.00"}}}"#)).unwrap();
        assert_eq!(
            (
                h.created_at.as_str(),
                h.details.payment_received.map(|m| m.amount)
            ),
            ("20/02/2025 03:45 PM", Some(Amount::from_taka(100)))
        );
        let b = parse_beneficiaries(&resp(200, r#"{"code":200,"messages":[],"data":{"beneficiaries":[{"user_id":25,"display_ac_no":"1234567890"}]}}"#)).unwrap();
        assert_eq!(
            (b[0].user_id.as_str(), b[0].display_ac_no.as_str()),
            ("25", "1234567890")
        );
    }

    #[test]
    fn wallet_errors_are_typed() {
        let e = parse_summary(&resp(
            422,
            r#"{"code":422,"messages":["Bill not found."],"data":null}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Validation, "Bill not found.")
        );
        let e = parse_execute(&resp(422, r#"{"code":422,"messages":["Sorry! PIN does not match."],"data":null,"error_title":"E_PIN_ERROR"}"#)).unwrap_err();
        assert_eq!(e.title.as_deref(), Some("E_PIN_ERROR"));
        let e = parse_history(&resp(404, r#"{"code":404,"messages":["Sorry! Something went wrong. Please try again later."],"data":null}"#)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
        let e = parse_summary(&resp(200, r#"{"code":200,"data":{"summary":{"request_id":"r","amount":"৳","charge":"0","total_payable":"0"}}}"#)).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::BadResponse, "Unexpected response: amount")
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsers_never_panic(status in 100u16..600, body in "\\PC{0,160}") {
            let r = HttpResponse { status, headers: vec![], body: body.into_bytes() };
            let _ = parse_billers_response(&r);
            let _ = parse_summary(&r);
            let _ = parse_execute(&r);
            let _ = parse_history(&r);
            let _ = parse_beneficiaries(&r);
        }
    }
}
