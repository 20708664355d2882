//! The recharge gateway, sans-IO: one function builds each endpoint's
//! [`HttpRequest`] from validated input, one reads its [`HttpResponse`] into a
//! typed result or an [`ApiError`]. Amounts come out exact.

use crate::prelude::*;

use crate::error::{ApiError, ErrorKind};
use crate::http::{Endpoint, HttpRequest, HttpResponse, Method};
use bdpay_core::json::de::{self, field};
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{either, one_of, Code, FieldError, Slot};
use bdpay_core::money::Amount;
use bdpay_core::operators::Service;
use bdpay_core::request::{ref_id, ValidRequest};
use bdpay_core::rules::Rules;
use serde::Deserialize;

pub const PREFIX: &str = "/api/gateway/v1/";

/// The documented `packages` filters.
pub const PACKAGE_TYPES: &[&str] = &["data", "combo", "minutes", "rate", "drive"];

fn call(ep: &Endpoint, method: Method, name: &str, body: Option<&Value>) -> HttpRequest {
    ep.request(method, &[PREFIX, name].concat(), body)
}

pub fn balance(ep: &Endpoint) -> HttpRequest {
    call(ep, Method::Get, "balance", None)
}

pub fn packages(ep: &Endpoint, query: &PackagesQuery) -> HttpRequest {
    let mut body = vec![(
        "operator_code".to_owned(),
        Value::from(query.operator_code.as_str()),
    )];
    if let Some(t) = &query.package_type {
        body.push(("type".to_owned(), Value::from(t.as_str())));
    }
    call(ep, Method::Post, "packages", Some(&Value::Object(body)))
}

/// A `/request`; `req.ref_id` should be set (the client always sets one).
pub fn submit(ep: &Endpoint, req: &ValidRequest) -> HttpRequest {
    call(ep, Method::Post, "request", Some(&req.to_wire_json()))
}

pub fn status(ep: &Endpoint, query: &StatusQuery) -> HttpRequest {
    let body = match query {
        StatusQuery::TrxId(id) => object([("trx_id", id.as_str().into())]),
        StatusQuery::RefId(id) => object([("ref_id", id.as_str().into())]),
    };
    call(ep, Method::Post, "status", Some(&body))
}

/// `packages({ operator_code, type })`, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackagesQuery {
    pub operator_code: String,
    pub package_type: Option<String>,
}

impl PackagesQuery {
    pub fn from_json(v: &Value, rules: &Rules) -> Result<PackagesQuery, ApiError> {
        let mut errors = Vec::new();
        if v.as_object().is_none() {
            return Err(ApiError::invalid(vec![FieldError::new(
                "",
                Code::NotAnObject,
            )]));
        }
        let op = match v
            .get("operator_code")
            .and_then(Value::as_str)
            .map(str::trim)
        {
            None | Some("") => {
                errors.push(FieldError::new("operator_code", Code::Required));
                None
            }
            Some(code) => match rules.registry.get(code) {
                Some(o) if o.offers(Service::Data) || o.offers(Service::Drive) => {
                    Some(o.code.clone())
                }
                Some(_) => {
                    let (en, bn) = either(&["data", "drive"]);
                    errors.push(FieldError::with_args(
                        "operator_code",
                        Code::OperatorNotSupported,
                        &[("service", Slot::Text(&en, &bn))],
                    ));
                    None
                }
                None => {
                    errors.push(FieldError::new("operator_code", Code::UnknownOperator));
                    None
                }
            },
        };
        let package_type = match v.get("type") {
            None | Some(Value::Null) => None,
            Some(t) => match t.as_str().map(|s| s.trim().to_ascii_lowercase()) {
                Some(s) if s.is_empty() => None,
                Some(s) if PACKAGE_TYPES.contains(&s.as_str()) => Some(s),
                _ => {
                    let (en, bn) = one_of(PACKAGE_TYPES);
                    errors.push(FieldError::with_args(
                        "type",
                        Code::InvalidPackageType,
                        &[("options", Slot::Text(&en, &bn))],
                    ));
                    None
                }
            },
        };
        for (key, _) in v.as_object().unwrap_or(&[]) {
            if key != "operator_code" && key != "type" {
                errors.push(FieldError::new(key, Code::UnknownField));
            }
        }
        match op {
            Some(operator_code) if errors.is_empty() => Ok(PackagesQuery {
                operator_code,
                package_type,
            }),
            _ => Err(ApiError::invalid(errors)),
        }
    }
}

/// `status({ trx_id })` or `status({ ref_id })`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusQuery {
    TrxId(String),
    RefId(String),
}

impl StatusQuery {
    pub fn from_json(v: &Value) -> Result<StatusQuery, ApiError> {
        let id = |key: &str| v.get(key).filter(|x| !x.is_null());
        match (id("trx_id"), id("ref_id")) {
            (Some(t), _) => ref_id(t)
                .map(StatusQuery::TrxId)
                .map_err(|_| ApiError::invalid(vec![FieldError::new("trx_id", Code::InvalidId)])),
            (None, Some(r)) => ref_id(r)
                .map(StatusQuery::RefId)
                .map_err(|e| ApiError::invalid(vec![e])),
            (None, None) => Err(ApiError::invalid(vec![FieldError::new(
                "trx_id",
                Code::Required,
            )])),
        }
    }
}

/// `data` of `/balance`: each balance absent or `null` is zero.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Balance {
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub flexiload_balance: Amount,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub drive_balance: Amount,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub bank_balance: Amount,
}

/// One of `/packages`' `data`: `id` and `price` are required.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Package {
    pub id: u64,
    #[serde(default, deserialize_with = "field::loose_text_or_empty")]
    pub name: String,
    pub price: Amount,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub commission: Amount,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "field::loose_text_or_empty"
    )]
    pub package_type: String,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub tag: Option<String>,
}

/// A transaction as `/request` and `/status` report it. Text fields take a
/// string or a number; any other JSON there reads as absent.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Transaction {
    #[serde(deserialize_with = "field::required_text")]
    pub trx_id: String,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub ref_id: Option<String>,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "field::loose_text_or_empty"
    )]
    pub service: String,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub sub_type: Option<String>,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub operator: Option<String>,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub operator_code: Option<String>,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub bill_number: Option<String>,
    /// `package` in `/request`'s answer, `package_name` in `/status`'s
    /// (see [`parse_transaction`]).
    #[serde(default, deserialize_with = "field::loose_text")]
    pub package: Option<String>,
    /// `month` and `package_id`, when a gateway sends them: the reference
    /// documents neither, so they serve only [`same_payment`] and stay out
    /// of `to_json`.
    #[serde(default, deserialize_with = "field::loose_text")]
    pub month: Option<String>,
    #[serde(default, deserialize_with = "field::loose_u64")]
    pub package_id: Option<u64>,
    #[serde(default)]
    pub amount: Option<Amount>,
    #[serde(default)]
    pub payable: Option<Amount>,
    /// The wallet balance after the debit (`/request` only).
    #[serde(default)]
    pub balance: Option<Amount>,
    #[serde(deserialize_with = "field::required_text")]
    pub trx_status: String,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "field::loose_text")]
    pub created_at: Option<String>,
}

impl Transaction {
    /// Whether the status will not change any more.
    pub fn is_final(&self) -> bool {
        is_final_status(&self.trx_status)
    }
}

/// `Success` and `Failed` are final (and the refund-like words some gateways use).
pub fn is_final_status(s: &str) -> bool {
    [
        "success",
        "failed",
        "refunded",
        "cancelled",
        "canceled",
        "rejected",
    ]
    .iter()
    .any(|f| s.eq_ignore_ascii_case(f))
}

/// The body of a successful answer, or the error it stands for.
pub fn success_body(resp: &HttpResponse) -> Result<Value, ApiError> {
    if !(200..300).contains(&resp.status) {
        return Err(ApiError::from_response(resp));
    }
    let body =
        json::parse(&resp.body).map_err(|e| ApiError::bad_response(resp.status, e.code()))?;
    let said = crate::error::Said::read(&body);
    if said.status == Some(false) || said.status_code().is_some_and(|c| c >= 400) {
        return Err(ApiError::from_response(resp));
    }
    Ok(body)
}

/// Reads `T` from `v` (which sits at `root` in the answer); a value that
/// does not fit is a bad response naming where.
pub(crate) fn read<'a, T: Deserialize<'a>>(
    v: &'a Value,
    root: &str,
    status: u16,
) -> Result<T, ApiError> {
    de::from_value(v).map_err(|e| ApiError::bad_response(status, &e.path_from(root)))
}

/// `{ data: T }`.
#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

pub fn parse_balance(resp: &HttpResponse) -> Result<Balance, ApiError> {
    let body = success_body(resp)?;
    read::<Data<Balance>>(&body, "", resp.status).map(|d| d.data)
}

pub fn parse_packages(resp: &HttpResponse) -> Result<Vec<Package>, ApiError> {
    let body = success_body(resp)?;
    read::<Data<Vec<Package>>>(&body, "", resp.status).map(|d| d.data)
}

/// Reads the answer of `/request` or `/status`.
pub fn parse_transaction(resp: &HttpResponse) -> Result<Transaction, ApiError> {
    let body = success_body(resp)?;
    // Some gateways wrap the record in `data`; the reference does not.
    let t = match body.get("data") {
        Some(d @ Value::Object(_)) if body.get("trx_id").is_none() => d,
        _ => &body,
    };
    let mut trx: Transaction = read(t, "", resp.status)?;
    if trx.package.is_none() {
        trx.package = t
            .get("package_name")
            .and_then(|p| field::loose_text(p).ok().flatten());
    }
    Ok(trx)
}

fn amount_json(a: Option<Amount>) -> Value {
    a.map(|a| a.to_decimal_string()).into()
}

impl Balance {
    pub fn to_json(&self) -> Value {
        object([
            (
                "flexiload_balance",
                amount_json(Some(self.flexiload_balance)),
            ),
            ("drive_balance", amount_json(Some(self.drive_balance))),
            ("bank_balance", amount_json(Some(self.bank_balance))),
        ])
    }
}

impl Package {
    pub fn to_json(&self) -> Value {
        object([
            ("id", self.id.into()),
            ("name", self.name.as_str().into()),
            ("price", amount_json(Some(self.price))),
            ("commission", amount_json(Some(self.commission))),
            ("type", self.package_type.as_str().into()),
            ("tag", self.tag.as_deref().into()),
        ])
    }
}

impl Transaction {
    pub fn to_json(&self) -> Value {
        let s = |v: &Option<String>| Value::from(v.as_deref());
        object([
            ("trx_id", self.trx_id.as_str().into()),
            ("ref_id", s(&self.ref_id)),
            ("type", self.service.as_str().into()),
            ("sub_type", s(&self.sub_type)),
            ("operator", s(&self.operator)),
            ("operator_code", s(&self.operator_code)),
            ("phone", s(&self.phone)),
            ("bill_number", s(&self.bill_number)),
            ("package", s(&self.package)),
            ("amount", amount_json(self.amount)),
            ("payable", amount_json(self.payable)),
            ("balance", amount_json(self.balance)),
            ("trx_status", self.trx_status.as_str().into()),
            ("message", s(&self.message)),
            ("created_at", s(&self.created_at)),
        ])
    }
}

/// The fields in which a transaction the gateway holds under a `ref_id`
/// differs from the request sent under it; empty when it is the same payment.
///
/// A `ref_id` is the merchant's own text, so another order (another checkout,
/// a reused order number) may have taken it first: the answer to `status` by
/// `ref_id` is this payment only if it says so. The rules:
///
/// - `type` is always compared; an answer without one is not this payment.
/// - `phone`, `bill_number` and `amount` are in the reference's `status`
///   answer: when the request has one, the answer must carry it and agree.
///   A missing field is a difference, not a match. Phones are compared as
///   digits (a `+88`/`88` country code ignored), amounts exactly in paisa,
///   bill numbers trimmed. Data and drive requests carry no amount (the
///   package sets the price), so none is compared for them.
/// - `ref_id`, `operator_code`, `sub_type`, `month` and `package_id` are
///   compared when the answer has them: `/request`'s answer has no
///   `operator_code`, the reference shows neither `month` nor `package_id`
///   in any answer, and a gateway may fill in a default `sub_type`.
/// - The package's name cannot be compared: a request names its package by id.
///
/// ```
/// use bdpay_api::{gateway::{parse_transaction, payment_differences}, http::HttpResponse};
/// use bdpay_core::{json::parse, request::validate_request, rules::Rules};
/// let req = validate_request(&parse(br#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"ref_id":"ORD-1"}"#).unwrap(), &Rules::default()).unwrap();
/// let held = |body: &str| parse_transaction(&HttpResponse { status: 200, headers: vec![], body: body.into() }).unwrap();
/// let same = held(r#"{"status":true,"trx_id":"T1","ref_id":"ORD-1","type":"recharge","operator_code":"GP","phone":"01712345678","amount":100.00,"trx_status":"Success"}"#);
/// assert!(payment_differences(&same, &req).is_empty());
/// let other = held(r#"{"status":true,"trx_id":"T2","ref_id":"ORD-1","type":"recharge","phone":"01812345678","trx_status":"Success"}"#);
/// assert_eq!(payment_differences(&other, &req), ["phone", "amount"]);
/// ```
pub fn payment_differences(t: &Transaction, req: &ValidRequest) -> Vec<&'static str> {
    // The request's value, if it has one, must be in the answer and agree.
    fn required<A, B>(answer: Option<A>, asked: Option<B>, same: impl Fn(A, B) -> bool) -> bool {
        match (answer, asked) {
            (_, None) => true,
            (Some(a), Some(b)) => same(a, b),
            (None, Some(_)) => false,
        }
    }
    // Compared only when both sides have a value.
    fn if_both<A, B>(answer: Option<A>, asked: Option<B>, same: impl Fn(A, B) -> bool) -> bool {
        match (answer, asked) {
            (Some(a), Some(b)) => same(a, b),
            _ => true,
        }
    }
    let text_eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let checks = [
        ("type", text_eq(&t.service, req.service.as_str())),
        (
            "ref_id",
            if_both(t.ref_id.as_deref(), req.ref_id.as_deref(), |a, b| {
                a.trim() == b
            }),
        ),
        (
            "operator_code",
            if_both(
                t.operator_code.as_deref(),
                Some(req.operator_code.as_str()),
                text_eq,
            ),
        ),
        (
            "sub_type",
            if_both(t.sub_type.as_deref(), req.sub_type.as_deref(), text_eq),
        ),
        (
            "phone",
            required(t.phone.as_deref(), req.phone.as_deref(), |a, b| {
                phone_digits(a) == phone_digits(b)
            }),
        ),
        (
            "bill_number",
            required(
                t.bill_number.as_deref(),
                req.bill_number.as_deref(),
                |a, b| a.trim() == b.trim(),
            ),
        ),
        (
            "month",
            if_both(t.month.as_deref(), req.month.as_deref(), |a, b| {
                let n = |m: &str| m.trim().parse::<u8>().ok();
                n(a).is_some() && n(a) == n(b)
            }),
        ),
        (
            "package_id",
            if_both(t.package_id, req.package_id, |a, b| a == u64::from(b)),
        ),
        ("amount", required(t.amount, req.amount, |a, b| a == b)),
    ];
    checks
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(field, _)| field)
        .collect()
}

/// Whether a transaction the gateway holds is the payment a request
/// describes: [`payment_differences`] finds none.
pub fn same_payment(t: &Transaction, req: &ValidRequest) -> bool {
    payment_differences(t, req).is_empty()
}

/// A phone number's digits, without a leading `88` country code.
fn phone_digits(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("88") {
        Some(local) if local.starts_with("01") => local.to_owned(),
        _ => digits,
    }
}

/// An error for an answer that is not the documented success shape.
pub fn is_unknown_outcome(e: &ApiError) -> bool {
    matches!(
        e.kind,
        ErrorKind::Timeout
            | ErrorKind::Network
            | ErrorKind::Server
            | ErrorKind::BadResponse
            | ErrorKind::OutcomeUnknown
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::http::{BaseUrl, Token};

    fn endpoint() -> Endpoint {
        Endpoint {
            base: BaseUrl::parse("https://gw.example", true, false).unwrap(),
            token: Some(Token::new("t0k")),
        }
    }

    fn ok(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn builds_each_endpoint() {
        let e = endpoint();
        let b = balance(&e);
        assert_eq!(
            (b.method, b.url.as_str(), b.body.as_deref()),
            (
                Method::Get,
                "https://gw.example/api/gateway/v1/balance",
                None
            )
        );
        let q = PackagesQuery::from_json(
            &json::parse(br#"{"operator_code":"gp","type":"Drive"}"#).unwrap(),
            &Rules::default(),
        )
        .unwrap();
        assert_eq!(
            packages(&e, &q).body.as_deref(),
            Some(r#"{"operator_code":"GP","type":"drive"}"#)
        );
        let s = status(&e, &StatusQuery::RefId("ORD-1".into()));
        assert_eq!(
            (s.url.as_str(), s.body.as_deref()),
            (
                "https://gw.example/api/gateway/v1/status",
                Some(r#"{"ref_id":"ORD-1"}"#)
            )
        );
        assert!(s
            .headers
            .contains(&("content-type".into(), "application/json".into())));
        assert_eq!(s.token, Some(Token::new("t0k")));
    }

    #[test]
    fn packages_and_status_queries_are_checked() {
        let rules = Rules::default();
        let codes = |body: &[u8]| {
            PackagesQuery::from_json(&json::parse(body).unwrap(), &rules)
                .unwrap_err()
                .field_errors
                .into_iter()
                .map(|e| e.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(br#"{}"#), ["required"]);
        assert_eq!(
            codes(br#"{"operator_code":"BK"}"#),
            ["operator_not_supported"]
        );
        assert_eq!(
            codes(br#"{"operator_code":"GP","type":"gold","x":1}"#),
            ["invalid_package_type", "unknown_field"]
        );
        assert_eq!(
            StatusQuery::from_json(&json::parse(br#"{"trx_id":"TRX1"}"#).unwrap()),
            Ok(StatusQuery::TrxId("TRX1".into()))
        );
        assert!(StatusQuery::from_json(&json::parse(br#"{"ref_id":"a\r\nb"}"#).unwrap()).is_err());
        assert!(StatusQuery::from_json(&json::parse(br#"{}"#).unwrap()).is_err());
    }

    #[test]
    fn parses_the_documented_answers_exactly() {
        let b = parse_balance(&ok(r#"{"status":true,"data":{"flexiload_balance":500.00,"drive_balance":0.00,"bank_balance":"12.5"}}"#)).unwrap();
        assert_eq!(
            b.to_json().to_json(),
            r#"{"flexiload_balance":"500.00","drive_balance":"0.00","bank_balance":"12.50"}"#
        );
        let p = parse_packages(&ok(r#"{"status":true,"data":[{"id":1,"name":"1 GB – 30 Days","price":149,"commission":5.00,"type":"data","tag":"HOT"},{"id":2,"name":"3 GB","price":65,"commission":2.00,"type":"data","tag":null}]}"#)).unwrap();
        assert_eq!(
            (p.len(), p[0].price, p[1].tag.as_deref()),
            (2, Amount::from_taka(149), None)
        );
        let t = parse_transaction(&ok(r#"{"status":true,"trx_id":"TRX202604281234001","ref_id":"ORD-2026-001","type":"recharge","operator":"Grameenphone","phone":"01711111111","bill_number":null,"package":null,"amount":100,"payable":100,"balance":400.00,"trx_status":"Pending","message":"m","created_at":"2026-04-28T12:34:01.000000Z"}"#)).unwrap();
        assert_eq!(
            (t.trx_id.as_str(), t.balance, t.is_final()),
            ("TRX202604281234001", Some(Amount::from_taka(400)), false)
        );
        // Wrapped in `data`; `package_name` stands in for a null `package`;
        // a number is text; JSON of the wrong kind in a text field is absent.
        let t = parse_transaction(&ok(r#"{"status":true,"data":{"trx_id":42,"trx_status":"Success","package":null,"package_name":"1 GB","package_id":" 7 ","phone":true,"amount":null,"type":["x"]}}"#)).unwrap();
        assert_eq!(
            (
                t.trx_id.as_str(),
                t.package.as_deref(),
                t.package_id,
                t.phone,
                t.amount,
                t.service.as_str()
            ),
            ("42", Some("1 GB"), Some(7), None, None, "")
        );
    }

    #[test]
    fn a_held_payment_is_this_request_only_where_the_answer_agrees() {
        let req = |body: &str| {
            bdpay_core::request::validate_request(
                &json::parse(body.as_bytes()).unwrap(),
                &Rules::default(),
            )
            .unwrap()
        };
        let bill = req(
            r#"{"type":"bill","operator_code":"DESCO","bill_number":"1234567890","month":"04","amount":850,"ref_id":"B-1"}"#,
        );
        let data = req(
            r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":3,"ref_id":"D-1"}"#,
        );
        let mfs = req(
            r#"{"type":"mfs","operator_code":"RK","phone":"017123456789","amount":500,"sub_type":"Agent","ref_id":"M-1"}"#,
        );
        let held = |fields: &str| {
            parse_transaction(&ok(&[
                r#"{"status":true,"trx_id":"T","trx_status":"Pending""#,
                fields,
                "}",
            ]
            .concat()))
            .unwrap()
        };
        let bill_ok = r#","type":"bill","operator_code":"DESCO","bill_number":"1234567890","amount":"850.00""#;
        let rows: &[(&ValidRequest, String, &[&str])] = &[
            (&bill, bill_ok.into(), &[]),
            (&bill, [bill_ok, r#","month":"4""#].concat(), &[]),
            (&bill, [bill_ok, r#","month":"05""#].concat(), &["month"]),
            (
                &bill,
                r#","type":"bill","bill_number":"1234567890""#.into(),
                &["amount"],
            ),
            (
                &bill,
                r#","type":"bill","amount":850"#.into(),
                &["bill_number"],
            ),
            (
                &bill,
                r#","type":"bill","bill_number":"1234567891","amount":850"#.into(),
                &["bill_number"],
            ),
            (
                &bill,
                r#","type":"BILL","bill_number":" 1234567890 ","amount":850,"phone":"01711111111""#
                    .into(),
                &[],
            ),
            // A data request has no amount: the package's price is not compared.
            (
                &data,
                r#","type":"data","phone":"01711111111","amount":149,"package_name":"1 GB""#.into(),
                &[],
            ),
            (
                &data,
                r#","type":"data","phone":"01711111111","package_id":3"#.into(),
                &[],
            ),
            (
                &data,
                r#","type":"data","phone":"01711111111","package_id":4"#.into(),
                &["package_id"],
            ),
            (
                &data,
                r#","type":"drive","phone":"01711111111""#.into(),
                &["type"],
            ),
            (&data, r#","type":"data""#.into(), &["phone"]),
            (
                &mfs,
                r#","type":"mfs","phone":"88017123456789","amount":500,"sub_type":"agent""#.into(),
                &[],
            ),
            (
                &mfs,
                r#","type":"mfs","phone":"017123456789","amount":500,"sub_type":"Personal""#.into(),
                &["sub_type"],
            ),
            (
                &mfs,
                r#","type":"mfs","phone":"01712345678","amount":500.01"#.into(),
                &["phone", "amount"],
            ),
        ];
        for (request, fields, want) in rows {
            let t = held(fields);
            assert_eq!(payment_differences(&t, request), *want, "{fields}");
            assert_eq!(same_payment(&t, request), want.is_empty(), "{fields}");
        }
    }

    #[test]
    fn broken_answers_are_bad_responses() {
        for body in [
            "",
            "{",
            "<html>",
            r#"{"status":true}"#,
            r#"{"status":true,"data":{"flexiload_balance":"lots"}}"#,
            "[]",
        ] {
            let e = parse_balance(&ok(body)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadResponse, "{body}");
        }
        let e = parse_transaction(&ok(r#"{"status":true,"trx_id":"T1"}"#)).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::BadResponse, "Unexpected response: trx_status")
        );
        let e = parse_packages(&ok(
            r#"{"status":true,"data":[{"id":1,"price":149},{"id":2,"price":"lots"}]}"#,
        ))
        .unwrap_err();
        assert_eq!(e.message, "Unexpected response: data[1].price");
        let e = parse_transaction(&ok(r#"{"status":false,"message":"Duplicate transaction"}"#))
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Duplicate);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsers_never_panic(status in 100u16..600, body in "\\PC{0,120}") {
            let r = HttpResponse { status, headers: vec![], body: body.into_bytes() };
            let _ = parse_balance(&r);
            let _ = parse_packages(&r);
            let _ = parse_transaction(&r);
        }

        #[test]
        fn transaction_parser_takes_json_shaped_noise(fields in proptest::collection::vec(("(trx_id|trx_status|amount|payable|balance|data|status)", "(null|true|false|\"x\"|\"৳5\"|-?[0-9]{1,20}(\\.[0-9]{1,4})?|\\{\\}|\\[\\])"), 0..8)) {
            let body = ["{", &fields.iter().map(|(k, v)| ["\"", k, "\":", v].concat()).collect::<Vec<_>>().join(","), "}"].concat();
            let r = HttpResponse { status: 200, headers: vec![], body: body.into_bytes() };
            let _ = parse_transaction(&r);
        }
    }
}
