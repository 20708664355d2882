//! Validation of the gateway's `/request` body, for all five types, using the
//! API's own field names. Every bad field is reported, not just the first;
//! a request that fails here must never be sent.

use crate::prelude::*;

use crate::json::{object, Value};
use crate::messages::{either, one_of, Code, FieldError, Rule, Slot, Wording};
use crate::money::{Amount, AmountError};
use crate::operators::{Kind, Operator, PhoneRule, Service};
use crate::phone::{normalize_phone, normalize_wallet, unused_prefix};
use crate::rules::Rules;
use crate::text::{ascii_digits, cat, char_count, decimal};

/// A `/request` body that passed every check, in canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequest {
    pub service: Service,
    /// Upper-case operator code from the registry.
    pub operator_code: String,
    /// Canonical `01XXXXXXXXX` (or Rocket's 12-digit account).
    pub phone: Option<String>,
    pub amount: Option<Amount>,
    /// One of the documented values, in their documented spelling.
    pub sub_type: Option<String>,
    pub package_id: Option<u32>,
    pub bill_number: Option<String>,
    /// `"01"` to `"12"`.
    pub month: Option<String>,
    pub ref_id: Option<String>,
}

/// Whether a field must, may or must not appear in a request of some type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
}

use Presence::{Optional, Required};

/// A field of a request, beside `type`, by its check below: matched as a
/// small enum, not by its name's text (smaller in the wasm).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    OperatorCode,
    Phone,
    Amount,
    SubType,
    PackageId,
    BillNumber,
    Month,
    RefId,
}

impl Field {
    /// `required` for a field a person chooses (a list) says "choose" in Bangla.
    fn required(self) -> FieldError {
        let chosen = matches!(
            self,
            Field::OperatorCode | Field::SubType | Field::PackageId
        );
        FieldError::new(
            self.name(),
            if chosen {
                Wording::Rule(Rule::Choose)
            } else {
                Wording::Code(Code::Required)
            },
        )
    }

    fn name(self) -> &'static str {
        match self {
            Field::OperatorCode => "operator_code",
            Field::Phone => "phone",
            Field::Amount => "amount",
            Field::SubType => "sub_type",
            Field::PackageId => "package_id",
            Field::BillNumber => "bill_number",
            Field::Month => "month",
            Field::RefId => "ref_id",
        }
    }
}

/// The fields of each request type, beside `type` itself. A bill's `phone`
/// is required or not by operator (`PhoneRule`).
fn fields(service: Service) -> &'static [(Field, Presence)] {
    use Field::*;
    match service {
        Service::Recharge | Service::Mfs => &[
            (OperatorCode, Required),
            (Phone, Required),
            (Amount, Required),
            (SubType, Optional),
            (RefId, Optional),
        ],
        Service::Data | Service::Drive => &[
            (OperatorCode, Required),
            (Phone, Required),
            (PackageId, Required),
            (RefId, Optional),
        ],
        Service::Bill => &[
            (OperatorCode, Required),
            (BillNumber, Required),
            (Month, Required),
            (Amount, Required),
            (Phone, Optional),
            (RefId, Optional),
        ],
    }
}

const REF_ID_MAX: usize = 64;
/// Longest text any field is looked at; longer is refused before parsing.
const MAX_FIELD_CHARS: usize = 256;

/// Checks a `/request` body.
///
/// ```
/// use bdpay_core::{json::parse, request::validate_request, rules::Rules};
/// let body = parse(br#"{"type":"recharge","operator_code":"gp","phone":"+880 1712-345678","amount":"100.5"}"#).unwrap();
/// let req = validate_request(&body, &Rules::default()).unwrap();
/// assert_eq!(req.phone.as_deref(), Some("01712345678"));
/// assert_eq!(req.to_json().to_json(), r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"100.50"}"#);
/// ```
pub fn validate_request(input: &Value, rules: &Rules) -> Result<ValidRequest, Vec<FieldError>> {
    let Some(entries) = input.as_object() else {
        return Err(vec![FieldError::new("", Code::NotAnObject)]);
    };
    let mut errors = Vec::new();
    // Blank optional inputs from a form (`""`, `null`) count as absent.
    let present = |key: &str| input.get(key).filter(|v| !is_blank(v));

    let service = match present("type") {
        None => {
            errors.push(FieldError::new("type", Rule::Choose));
            None
        }
        Some(v) => {
            let s = v.as_str().and_then(|s| Service::parse(s.trim()));
            if s.is_none() {
                let names = Service::ALL.map(Service::as_str);
                let (en, bn) = one_of(&names);
                errors.push(FieldError::with_args(
                    "type",
                    Code::InvalidType,
                    &[("options", Slot::Text(&en, &bn))],
                ));
            }
            s
        }
    };
    let Some(service) = service else {
        if let Some(v) = present("ref_id") {
            if let Err(e) = ref_id(v) {
                errors.push(e);
            }
        }
        return Err(errors);
    };

    let allowed = fields(service);
    for (key, value) in entries {
        if key != "type" && !is_blank(value) && !allowed.iter().any(|(f, _)| f.name() == key) {
            errors.push(FieldError::new(key, Code::UnknownField));
        }
    }

    let operator = match present("operator_code") {
        None => None,
        Some(v) => match operator(v, service, rules) {
            Ok(op) => Some(op),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };

    let mut out = ValidRequest {
        service,
        operator_code: operator.map(|o| o.code.clone()).unwrap_or_default(),
        phone: None,
        amount: None,
        sub_type: None,
        package_id: None,
        bill_number: None,
        month: None,
        ref_id: None,
    };

    for &(field, presence) in allowed {
        let key = field.name();
        let required = presence == Required
            || (field == Field::Phone && operator.is_some_and(|o| o.phone == PhoneRule::Required));
        let Some(v) = present(key) else {
            if required {
                errors.push(field.required());
            }
            continue;
        };
        let checked = match field {
            Field::OperatorCode => Ok(()),
            Field::Phone => phone(v, service, operator, rules).map(|p| out.phone = Some(p)),
            Field::Amount => amount(v, service, rules).map(|a| out.amount = Some(a)),
            Field::SubType => sub_type(v, service).map(|s| out.sub_type = Some(s.to_owned())),
            Field::PackageId => package_id(v).map(|p| out.package_id = Some(p)),
            Field::BillNumber => bill_number(v).map(|b| out.bill_number = Some(b)),
            Field::Month => month(v).map(|m| out.month = Some(m)),
            Field::RefId => ref_id(v).map(|r| out.ref_id = Some(r)),
        };
        if let Err(e) = checked {
            errors.push(e);
        }
    }

    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A string field's text, trimmed, if it is a string of sane length.
fn text(v: &Value) -> Option<&str> {
    v.as_str()
        .filter(|s| char_count(s) <= MAX_FIELD_CHARS)
        .map(str::trim)
}

fn operator<'r>(v: &Value, service: Service, rules: &'r Rules) -> Result<&'r Operator, FieldError> {
    let op = text(v)
        .and_then(|code| rules.registry.get(code))
        .ok_or_else(|| FieldError::new("operator_code", Code::UnknownOperator))?;
    if op.offers(service) {
        Ok(op)
    } else {
        let (en, bn) = either(&[service.as_str()]);
        Err(FieldError::with_args(
            "operator_code",
            Code::OperatorNotSupported,
            &[("service", Slot::Text(&en, &bn))],
        ))
    }
}

fn phone(
    v: &Value,
    service: Service,
    op: Option<&Operator>,
    rules: &Rules,
) -> Result<String, FieldError> {
    let input = text(v).unwrap_or("\u{0}");
    let wallet = op.filter(|op| service == Service::Mfs && op.kind == Kind::Mfs);
    match wallet {
        Some(op) => normalize_wallet(input, &op.wallet_digits, &rules.registry),
        None => normalize_phone(input, &rules.registry),
    }
    .ok_or_else(|| refused(input, wallet, rules))
}

/// Why a number was refused: a whole number on a prefix no operator uses
/// says so (`invalid_phone`); any other, the length a wallet (`wallet`'s) or
/// a mobile number has. One function, out of line: only refusals pay for it.
#[inline(never)]
fn refused(input: &str, wallet: Option<&Operator>, rules: &Rules) -> FieldError {
    if let Some(prefix) = unused_prefix(input, &rules.registry) {
        return FieldError::with_args(
            "phone",
            Rule::UnusedPrefix,
            &[(
                "prefix",
                Slot::Text(&prefix, &crate::text::bengali_digits(&prefix)),
            )],
        );
    }
    let Some(op) = wallet else {
        return FieldError::new("phone", Code::InvalidPhone);
    };
    let mut texts = Vec::new();
    for &d in &op.wallet_digits {
        texts.push(decimal(u64::from(d)));
    }
    let mut lengths = Vec::new();
    for t in &texts {
        lengths.push(t.as_str());
    }
    let (en, bn) = either(&lengths);
    FieldError::with_args(
        "phone",
        Code::InvalidWallet,
        &[("digits", Slot::Text(&en, &crate::text::bengali_digits(&bn)))],
    )
}

/// An amount from a JSON number or a decimal string, exactly.
pub fn amount_of(v: &Value) -> Result<Amount, Code> {
    let parsed = match v {
        Value::Number(n) => Amount::parse(n),
        Value::String(s) if char_count(s) <= MAX_FIELD_CHARS => Amount::parse(s),
        _ => return Err(Code::InvalidAmount),
    };
    parsed.map_err(|e| match e {
        AmountError::Invalid => Code::InvalidAmount,
        AmountError::TooManyDecimals => Code::TooManyDecimals,
        AmountError::TooLarge => Code::AmountTooLarge,
    })
}

/// The error for an amount `amount_of` refused: past every limit, it says
/// the largest amount there is.
pub fn amount_error(field: &str, code: Code, max: Option<Amount>) -> FieldError {
    let max = max.unwrap_or(Amount::from_paisa(crate::money::MAX_PAISA));
    FieldError::with_args(field, code, &[("max", Slot::Taka(max))])
}

fn amount(v: &Value, service: Service, rules: &Rules) -> Result<Amount, FieldError> {
    let limit = rules.limit(service);
    let a = amount_of(v).map_err(|code| amount_error("amount", code, limit.map(|l| l.max)))?;
    if !a.is_positive() {
        return Err(FieldError::new("amount", Code::AmountNotPositive));
    }
    if let Some(l) = limit {
        if a < l.min {
            return Err(FieldError::with_args(
                "amount",
                Code::AmountTooSmall,
                &[("min", Slot::Taka(l.min))],
            ));
        }
        if a > l.max {
            return Err(FieldError::with_args(
                "amount",
                Code::AmountTooLarge,
                &[("max", Slot::Taka(l.max))],
            ));
        }
    }
    Ok(a)
}

fn sub_type(v: &Value, service: Service) -> Result<&'static str, FieldError> {
    let allowed = Rules::sub_types(service);
    text(v)
        .and_then(|s| allowed.iter().find(|a| a.eq_ignore_ascii_case(s)).copied())
        .ok_or_else(|| {
            if allowed.is_empty() {
                return FieldError::new("sub_type", Code::UnknownField);
            }
            let (en, bn) = one_of(allowed);
            FieldError::with_args(
                "sub_type",
                Code::InvalidSubType,
                &[("options", Slot::Text(&en, &bn))],
            )
        })
}

/// The digits of a number, or of a short string (Bangla digits read as ASCII).
fn short_digits(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) if s.len() <= 16 => Some(ascii_digits(s.trim())),
        _ => None,
    }
}

fn package_id(v: &Value) -> Result<u32, FieldError> {
    short_digits(v)
        .filter(|d| !d.is_empty() && d.len() <= 10 && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| FieldError::new("package_id", Code::InvalidPackageId))
}

fn bill_number(v: &Value) -> Result<String, FieldError> {
    text(v)
        .map(ascii_digits)
        .filter(|b| {
            (4..=30).contains(&b.len()) && b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
        .ok_or_else(|| FieldError::new("bill_number", Code::InvalidBillNumber))
}

/// `MM` from `"4"`, `"04"`, `"০৪"` or the number `4`.
pub fn month(v: &Value) -> Result<String, FieldError> {
    short_digits(v)
        .filter(|d| (1..=2).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u8>().ok())
        .filter(|m| (1..=12).contains(m))
        .map(|m| cat(&[if m < 10 { "0" } else { "" }, &decimal(u64::from(m))]))
        .ok_or_else(|| FieldError::new("month", Code::InvalidMonth))
}

/// A caller's reference: 1–64 of `A-Z a-z 0-9 . _ : -`, so it is safe in a
/// URL, a header and a log line.
pub fn ref_id(v: &Value) -> Result<String, FieldError> {
    v.as_str()
        .filter(|r| {
            (1..=REF_ID_MAX).contains(&r.len())
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
        })
        .map(str::to_owned)
        .ok_or_else(|| FieldError::new("ref_id", Code::InvalidRefId))
}

impl ValidRequest {
    /// The body to send, with the API's field names; amounts as exact decimal strings.
    pub fn to_json(&self) -> Value {
        let amount = self.amount.map(|a| a.to_decimal_string());
        let package_id = self.package_id.map(|p| decimal(u64::from(p)));
        // Absent fields left out; the package id a number, the rest text.
        let fields: [(&str, Option<&str>, bool); 9] = [
            ("type", Some(self.service.as_str()), false),
            ("operator_code", Some(&self.operator_code), false),
            ("phone", self.phone.as_deref(), false),
            ("bill_number", self.bill_number.as_deref(), false),
            ("month", self.month.as_deref(), false),
            ("amount", amount.as_deref(), false),
            ("package_id", package_id.as_deref(), true),
            ("sub_type", self.sub_type.as_deref(), false),
            ("ref_id", self.ref_id.as_deref(), false),
        ];
        let mut out = Vec::new();
        for (k, v, number) in fields {
            if let Some(v) = v {
                let v = if number {
                    Value::Number(v.to_owned())
                } else {
                    Value::from(v)
                };
                out.push((k.to_owned(), v));
            }
        }
        Value::Object(out)
    }

    /// The body as sent upstream: as [`ValidRequest::to_json`], but the amount
    /// a JSON number (`100.5`), as the gateway documents it.
    pub fn to_wire_json(&self) -> Value {
        let mut v = self.to_json();
        if let (Value::Object(fields), Some(a)) = (&mut v, self.amount) {
            for (k, val) in fields.iter_mut() {
                if k == "amount" {
                    *val = Value::Number(a.to_json_number());
                }
            }
        }
        v
    }

    /// `{ ok: true, value: {...} }`.
    pub fn ok_json(&self) -> Value {
        object([("ok", true.into()), ("value", self.to_json())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn check(body: &str) -> Result<ValidRequest, Vec<(String, &'static str)>> {
        let v = parse(body.as_bytes()).unwrap();
        validate_request(&v, &Rules::default())
            .map_err(|es| es.into_iter().map(|e| (e.field, e.code.as_str())).collect())
    }

    fn errs(body: &str) -> Vec<(String, &'static str)> {
        check(body).unwrap_err()
    }

    fn pairs(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        list.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect()
    }

    #[test]
    fn valid_requests_of_every_type_are_normalised() {
        let rows = [
            (
                r#"{"type":"recharge","operator_code":"gp","phone":"+8801712345678","amount":100,"sub_type":"postpaid","ref_id":"ORD-2026-001"}"#,
                r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"100.00","sub_type":"Postpaid","ref_id":"ORD-2026-001"}"#,
            ),
            (
                r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":3}"#,
                r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":3}"#,
            ),
            (
                r#"{"type":"drive","operator_code":"BL","phone":"০১৯১১১১১১১১","package_id":"7"}"#,
                r#"{"type":"drive","operator_code":"BL","phone":"01911111111","package_id":7}"#,
            ),
            (
                r#"{"type":"mfs","operator_code":"RK","phone":"018111111119","amount":"500.5","sub_type":"Agent"}"#,
                r#"{"type":"mfs","operator_code":"RK","phone":"018111111119","amount":"500.50","sub_type":"Agent"}"#,
            ),
            (
                r#"{"type":"bill","operator_code":"DESCO","bill_number":"1234567890","month":"4","amount":850}"#,
                r#"{"type":"bill","operator_code":"DESCO","bill_number":"1234567890","month":"04","amount":"850.00"}"#,
            ),
            (
                r#"{"type":"bill","operator_code":"JLB","bill_number":"AC-99","month":12,"amount":"1.25","phone":"01511111111","sub_type":""}"#,
                r#"{"type":"bill","operator_code":"JLB","phone":"01511111111","bill_number":"AC-99","month":"12","amount":"1.25"}"#,
            ),
        ];
        for (input, want) in rows {
            assert_eq!(
                check(input).map(|r| r.to_json().to_json()),
                Ok(want.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn lists_every_bad_field_at_once() {
        let got = errs(
            r#"{"type":"recharge","operator_code":"XX","phone":"01112345678","amount":"1.005","sub_type":"Gold","ref_id":"a b"}"#,
        );
        assert_eq!(
            got,
            pairs(&[
                ("operator_code", "unknown_operator"),
                ("phone", "invalid_phone"),
                ("amount", "too_many_decimals"),
                ("sub_type", "invalid_sub_type"),
                ("ref_id", "invalid_ref_id"),
            ])
        );
    }

    #[test]
    fn a_whole_number_on_an_unused_prefix_says_so_and_keeps_its_code() {
        let sentence = |request: &str| {
            let body = parse(request.as_bytes()).unwrap();
            let errors = validate_request(&body, &Rules::default()).unwrap_err();
            let e = errors.into_iter().find(|e| e.field == "phone").unwrap();
            (e.code.as_str(), e.message, e.message_bn)
        };
        let unused = |prefix: &str, bn: &str| {
            (
                "invalid_phone",
                format!("No operator's numbers start with {prefix}."),
                format!("{bn} দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।"),
            )
        };
        let rows = [
            (
                r#"{"type":"recharge","operator_code":"GP","phone":"01012345678","amount":50}"#,
                unused("010", "০১০"),
            ),
            (
                r#"{"type":"data","operator_code":"GP","phone":"+880 1112-345678","package_id":1}"#,
                unused("011", "০১১"),
            ),
            (
                r#"{"type":"mfs","operator_code":"BK","phone":"০১২১২৩৪৫৬৭৮","amount":50}"#,
                unused("012", "০১২"),
            ),
        ];
        for (request, want) in rows {
            assert_eq!(sentence(request), want, "{request}");
        }
        // Too short on the same prefix: the length is what is wrong.
        let (code, message, _) = sentence(
            r#"{"type":"recharge","operator_code":"GP","phone":"0111234567","amount":50}"#,
        );
        assert_eq!(
            (code, message.as_str()),
            (
                "invalid_phone",
                "Enter an 11-digit Bangladeshi mobile number, like 01712345678."
            )
        );
    }

    #[test]
    fn required_fields_per_type() {
        assert_eq!(errs(r#"{}"#), pairs(&[("type", "required")]));
        assert_eq!(
            errs(r#"{"type":"topup","ref_id":"x y"}"#),
            pairs(&[("type", "invalid_type"), ("ref_id", "invalid_ref_id")])
        );
        assert_eq!(
            errs(r#"{"type":"recharge"}"#),
            pairs(&[
                ("operator_code", "required"),
                ("phone", "required"),
                ("amount", "required")
            ])
        );
        assert_eq!(
            errs(r#"{"type":"data","phone":"","package_id":null}"#),
            pairs(&[
                ("operator_code", "required"),
                ("phone", "required"),
                ("package_id", "required")
            ])
        );
        assert_eq!(
            errs(r#"{"type":"bill","operator_code":"BRD"}"#),
            pairs(&[
                ("bill_number", "required"),
                ("month", "required"),
                ("amount", "required"),
                ("phone", "required")
            ]),
            "Bakhrabad bills need a phone"
        );
        assert_eq!(errs(r#"[]"#), pairs(&[("", "not_an_object")]));
    }

    #[test]
    fn fields_of_other_types_are_refused() {
        assert_eq!(
            errs(
                r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":1,"amount":5,"__proto__":{}}"#
            ),
            pairs(&[("amount", "unknown_field"), ("__proto__", "unknown_field")])
        );
    }

    #[test]
    fn operator_must_offer_the_service() {
        assert_eq!(
            errs(r#"{"type":"data","operator_code":"TT","phone":"01511111111","package_id":1}"#),
            pairs(&[("operator_code", "operator_not_supported")])
        );
        assert_eq!(
            errs(r#"{"type":"mfs","operator_code":"GP","phone":"01711111111","amount":100}"#),
            pairs(&[("operator_code", "operator_not_supported")])
        );
    }

    #[test]
    fn ported_numbers_keep_the_chosen_operator() {
        let r =
            check(r#"{"type":"recharge","operator_code":"RB","phone":"01712345678","amount":20}"#)
                .unwrap();
        assert_eq!(r.operator_code, "RB");
    }

    #[test]
    fn amounts_are_exact_and_within_limits() {
        let rows: &[(&str, &str)] = &[
            ("0", "amount_not_positive"),
            ("-5", "amount_not_positive"),
            ("9.99", "amount_too_small"),
            ("5000.01", "amount_too_large"),
            ("1e21", "amount_too_large"),
            ("\"NaN\"", "invalid_amount"),
            ("null", "required"),
            ("true", "invalid_amount"),
            ("\"১০.৫০৫\"", "too_many_decimals"),
        ];
        for (amount, code) in rows {
            let body = [
                r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":"#,
                amount,
                "}",
            ]
            .concat();
            assert_eq!(errs(&body), pairs(&[("amount", code)]), "{amount}");
        }
        let ok = check(
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":5000}"#,
        )
        .unwrap();
        assert_eq!(ok.amount, Some(Amount::from_taka(5000)));
    }

    #[test]
    fn months_packages_and_ref_ids() {
        for (m, want) in [
            ("\"1\"", Some("01")),
            ("\"০৯\"", Some("09")),
            ("12", Some("12")),
            ("\"00\"", None),
            ("\"13\"", None),
            ("4.0", None),
            ("\"April\"", None),
        ] {
            let v = parse(m.as_bytes()).unwrap();
            assert_eq!(month(&v).ok().as_deref(), want, "{m}");
        }
        for (p, ok) in [
            ("1", true),
            ("\"42\"", true),
            ("0", false),
            ("-1", false),
            ("1.5", false),
            ("99999999999", false),
            ("\"\"", false),
        ] {
            assert_eq!(package_id(&parse(p.as_bytes()).unwrap()).is_ok(), ok, "{p}");
        }
        for (r, ok) in [
            ("ORD-2026-001", true),
            ("a.b_c:d", true),
            ("x\r\nSet-Cookie: a", false),
            ("", false),
            ("ü", false),
        ] {
            assert_eq!(ref_id(&Value::from(r)).is_ok(), ok, "{r:?}");
        }
        assert!(ref_id(&Value::from("x".repeat(64))).is_ok());
        assert!(ref_id(&Value::from("x".repeat(65))).is_err());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            "-?[0-9]{1,25}(\\.[0-9]{1,5})?(e-?[0-9]{1,3})?".prop_map(Value::Number),
            "\\PC{0,30}".prop_map(Value::String),
            prop_oneof![
                Just("recharge"),
                Just("data"),
                Just("drive"),
                Just("mfs"),
                Just("bill"),
                Just("GP"),
                Just("RK")
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(
                    (
                        prop_oneof![
                            Just("type".to_owned()),
                            Just("phone".to_owned()),
                            Just("amount".to_owned()),
                            Just("operator_code".to_owned()),
                            Just("month".to_owned()),
                            "\\PC{0,8}"
                        ],
                        inner
                    ),
                    0..8
                )
                .prop_map(Value::Object),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics_and_accepted_requests_revalidate(v in json_value()) {
            if let Ok(r) = validate_request(&v, &Rules::default()) {
                prop_assert_eq!(validate_request(&r.to_json(), &Rules::default()), Ok(r));
            }
        }
    }
}
