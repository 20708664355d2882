//! The wallet API's biller schemas: reading the billers response into types,
//! and checking a person's form values against one biller's `params`.
//!
//! The result of a check is the exact parameter set to send: hidden fields
//! first, then the visible params, the person's choice winning where a
//! visible param and a hidden field share a key (`bll_typ` at Bakhrabad Gas).

use crate::prelude::*;

use crate::json::de::{self, field};
use crate::json::{object, Value};
use crate::messages::{biller_label, Code, FieldError, Rule, Slot, Wording};
use crate::operators::Registry;
use crate::phone::{normalize_phone, unused_prefix};
use crate::text::ascii_digits;
use serde::Deserialize;

/// How a param is filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    Alphanumeric,
    MobileNo,
    Select,
    /// A type this library does not know yet: free text, digits only when
    /// the param's `type` says `numeric`.
    Other(String),
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FieldType, D::Error> {
        let name = String::deserialize(d)?;
        Ok(match name.as_str() {
            "alphanumeric" => FieldType::Alphanumeric,
            "mobile_no" => FieldType::MobileNo,
            "select" => FieldType::Select,
            _ => FieldType::Other(name),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SelectOption {
    #[serde(
        rename = "option_display_value",
        default,
        deserialize_with = "field::null_as_default"
    )]
    pub display: String,
    #[serde(rename = "option_value")]
    pub value: String,
}

/// One input of a biller's form. Read as part of a [`Biller`], which puts
/// the key in place of an empty `label`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Param {
    pub field_type: FieldType,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub label: String,
    #[serde(deserialize_with = "non_empty")]
    pub key: String,
    /// The default value (`""` when none).
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub value: String,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub placeholder: String,
    #[serde(default = "field::yes", deserialize_with = "field::null_as_true")]
    pub input: bool,
    /// The schema's `type` (`alphanumeric`, `numeric`, `select`, …).
    #[serde(rename = "type", default, deserialize_with = "field::null_as_default")]
    pub input_type: String,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub required: bool,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub is_read_only: bool,
    /// `"show"` (also for none or `""`), or anything else for a param the
    /// person does not see.
    #[serde(default = "show", deserialize_with = "visibility")]
    pub visibility: String,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub options: Vec<SelectOption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Biller {
    pub biller_id: String,
    pub title: String,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub logo: String,
    #[serde(default, deserialize_with = "params")]
    pub params: Vec<Param>,
    #[serde(default, deserialize_with = "hidden_fields")]
    pub hidden_fields: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BillerType {
    pub title: String,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub icon: String,
    #[serde(default = "field::yes", deserialize_with = "field::null_as_true")]
    pub visibility: bool,
    #[serde(default = "field::yes", deserialize_with = "field::null_as_true")]
    pub is_active: bool,
    #[serde(default, deserialize_with = "field::null_as_default")]
    pub billers: Vec<Biller>,
}

/// A response that does not have the documented shape: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub path: String,
    pub expected: String,
}

impl ShapeError {
    pub fn new(path: &str, expected: &str) -> ShapeError {
        ShapeError {
            path: path.to_owned(),
            expected: expected.to_owned(),
        }
    }

    fn at(root: &str, e: &de::Error) -> ShapeError {
        ShapeError::new(&e.path_from(root), e.expected())
    }
}

/// Longest value a person may give for one param.
const MAX_VALUE_CHARS: usize = 64;

fn non_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        return Err(serde::de::Error::custom("non-empty string"));
    }
    Ok(s)
}

fn show() -> String {
    "show".to_owned()
}

fn visibility<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v: String = field::null_as_default(d)?;
    Ok(if v.is_empty() { show() } else { v })
}

/// The params, an empty `label` replaced by the key.
fn params<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Param>, D::Error> {
    let mut params: Vec<Param> = field::null_as_default(d)?;
    for p in &mut params {
        if p.label.is_empty() {
            p.label.clone_from(&p.key);
        }
    }
    Ok(params)
}

/// `[{ key, value }]` as pairs in order.
fn hidden_fields<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<(String, String)>, D::Error> {
    #[derive(Deserialize)]
    struct Hidden {
        key: String,
        #[serde(default, deserialize_with = "field::null_as_default")]
        value: String,
    }
    let hidden: Vec<Hidden> = field::null_as_default(d)?;
    Ok(hidden.into_iter().map(|h| (h.key, h.value)).collect())
}

/// Reads the billers response (`{ code, messages, data: { types: [...] } }`).
pub fn parse_billers(body: &Value) -> Result<Vec<BillerType>, ShapeError> {
    let types = body
        .get("data")
        .and_then(|d| d.get("types"))
        .filter(|t| t.as_array().is_some())
        .ok_or_else(|| ShapeError::new("data.types", "array"))?;
    de::from_value(types).map_err(|e| ShapeError::at("data.types", &e))
}

/// Reads one biller object (as found in the billers response).
pub fn parse_biller(v: &Value) -> Result<Biller, ShapeError> {
    de::from_value(v).map_err(|e| ShapeError::at("", &e))
}

impl Param {
    /// Whether the person fills this param in (shown, editable, not read-only).
    pub fn is_editable(&self) -> bool {
        self.visibility == "show" && self.input && !self.is_read_only
    }
}

/// Checks a person's `values` (an object of key → string) against `biller`'s
/// params and returns the full parameter set to send, in order.
///
/// ```
/// use bdpay_core::{billers::{parse_biller, validate_biller_form}, json::parse, operators::Registry};
/// let biller = parse_biller(&parse(br#"{"biller_id":"b451","title":"Bakhrabad Gas",
///   "params":[{"field_type":"select","label":"Bill Type","key":"bll_typ","required":true,
///              "options":[{"option_display_value":"Meter","option_value":"M"}]}],
///   "hidden_fields":[{"key":"biller_id","value":"b451"},{"key":"bll_typ","value":"NM"}]}"#).unwrap()).unwrap();
/// let values = parse(br#"{"bll_typ":"M"}"#).unwrap();
/// let sent = validate_biller_form(&biller, &values, &Registry::default()).unwrap();
/// assert_eq!(sent, [("biller_id".to_owned(), "b451".to_owned()), ("bll_typ".to_owned(), "M".to_owned())]);
/// ```
pub fn validate_biller_form(
    biller: &Biller,
    values: &Value,
    registry: &Registry,
) -> Result<Vec<(String, String)>, Vec<FieldError>> {
    let Some(given) = values.as_object() else {
        return Err(vec![FieldError::new("", Code::NotAnObject)]);
    };
    let mut errors = Vec::new();
    for (key, v) in given {
        let known = biller.params.iter().any(|p| &p.key == key);
        if !known && !matches!(v, Value::Null) && v.as_str() != Some("") {
            errors.push(FieldError::new(key, Code::UnknownField));
        }
    }

    let mut out: Vec<(String, String)> = biller.hidden_fields.clone();
    for p in &biller.params {
        let label = biller_label(&p.label);
        let err = |why: Wording| FieldError::labelled(&p.key, label, why, &[]);
        let raw = match values.get(&p.key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.clone()),
            Some(_) => {
                errors.push(err(Rule::Text.into()));
                continue;
            }
        }
        .filter(|s| !s.is_empty());

        let value = if p.is_editable() {
            match raw {
                None if p.required && p.value.is_empty() => {
                    errors.push(err(if p.field_type == FieldType::Select {
                        Rule::Choose.into()
                    } else {
                        Code::Required.into()
                    }));
                    continue;
                }
                None => p.value.clone(),
                // A mobile number says what is wrong with it: an unused prefix, or the shape.
                Some(s)
                    if p.field_type == FieldType::MobileNo
                        && crate::text::char_count(&s) <= MAX_VALUE_CHARS =>
                {
                    match normalize_phone(&s, registry) {
                        Some(v) => v,
                        None => {
                            errors.push(match unused_prefix(&s, registry) {
                                Some(prefix) => FieldError::labelled(
                                    &p.key,
                                    label,
                                    Rule::UnusedPrefix,
                                    &[(
                                        "prefix",
                                        Slot::Text(&prefix, &crate::text::bengali_digits(&prefix)),
                                    )],
                                ),
                                None => err(Code::InvalidPhone.into()),
                            });
                            continue;
                        }
                    }
                }
                Some(s) => match check_value(p, &s, registry) {
                    Ok(v) => v,
                    Err(code) => {
                        errors.push(err(code));
                        continue;
                    }
                },
            }
        } else {
            if raw.as_ref().is_some_and(|s| s != &p.value) {
                errors.push(err(Code::ReadOnly.into()));
                continue;
            }
            p.value.clone()
        };
        if value.is_empty() {
            continue;
        }
        match out.iter_mut().find(|(k, _)| k == &p.key) {
            Some(slot) => slot.1 = value,
            None => out.push((p.key.clone(), value)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn check_value(p: &Param, s: &str, registry: &Registry) -> Result<String, Wording> {
    if crate::text::char_count(s) > MAX_VALUE_CHARS {
        return Err(Code::TooLong.into());
    }
    match &p.field_type {
        FieldType::MobileNo => normalize_phone(s, registry).ok_or(Code::InvalidPhone.into()),
        FieldType::Select => p
            .options
            .iter()
            .find(|o| o.value == s)
            .map(|o| o.value.clone())
            .ok_or(Code::InvalidOption.into()),
        FieldType::Alphanumeric => {
            let v = ascii_digits(s);
            if v.bytes().all(|b| b.is_ascii_alphanumeric()) {
                Ok(v)
            } else {
                Err(Rule::LettersAndDigits.into())
            }
        }
        FieldType::Other(_) => {
            let v = ascii_digits(s);
            if p.input_type == "numeric" && !v.bytes().all(|b| b.is_ascii_digit()) {
                Err(Rule::Digits.into())
            } else if v.chars().any(char::is_control) {
                Err(Rule::OneLine.into())
            } else {
                Ok(v)
            }
        }
    }
}

/// The parameter set as a JSON object, in order.
pub fn params_json(params: &[(String, String)]) -> Value {
    Value::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}

impl FieldType {
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::Alphanumeric => "alphanumeric",
            FieldType::MobileNo => "mobile_no",
            FieldType::Select => "select",
            FieldType::Other(s) => s,
        }
    }
}

impl Biller {
    /// The biller in the wallet API's own shape (defaults filled in).
    pub fn to_json(&self) -> Value {
        let params = self.params.iter().map(|p| {
            let options = p.options.iter().map(|o| {
                object([
                    ("option_display_value", o.display.as_str().into()),
                    ("option_value", o.value.as_str().into()),
                ])
            });
            object([
                ("field_type", p.field_type.as_str().into()),
                ("label", p.label.as_str().into()),
                ("key", p.key.as_str().into()),
                ("value", p.value.as_str().into()),
                ("placeholder", p.placeholder.as_str().into()),
                ("input", p.input.into()),
                ("type", p.input_type.as_str().into()),
                ("required", p.required.into()),
                ("is_read_only", p.is_read_only.into()),
                ("visibility", p.visibility.as_str().into()),
                ("options", Value::Array(options.collect())),
            ])
        });
        let hidden = self
            .hidden_fields
            .iter()
            .map(|(k, v)| object([("key", k.as_str().into()), ("value", v.as_str().into())]));
        object([
            ("biller_id", self.biller_id.as_str().into()),
            ("title", self.title.as_str().into()),
            ("logo", self.logo.as_str().into()),
            ("params", Value::Array(params.collect())),
            ("hidden_fields", Value::Array(hidden.collect())),
        ])
    }
}

impl BillerType {
    pub fn to_json(&self) -> Value {
        object([
            ("title", self.title.as_str().into()),
            ("icon", self.icon.as_str().into()),
            ("visibility", self.visibility.into()),
            ("is_active", self.is_active.into()),
            (
                "billers",
                Value::Array(self.billers.iter().map(Biller::to_json).collect()),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// The sample billers response of the wallet reference (`tests/fixtures/`).
    pub(crate) fn sample_billers() -> Value {
        parse(include_bytes!(
            "../../../tests/fixtures/wallet-billers.json"
        ))
        .unwrap()
    }

    fn bakhrabad() -> Biller {
        let types = parse_billers(&sample_billers()).unwrap();
        types
            .into_iter()
            .flat_map(|t| t.billers)
            .find(|b| b.biller_id == "b451")
            .unwrap()
    }

    fn codes(r: Result<Vec<(String, String)>, Vec<FieldError>>) -> Vec<(String, &'static str)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code.as_str()))
            .collect()
    }

    #[test]
    fn parses_the_documented_sample() {
        let types = parse_billers(&sample_billers()).unwrap();
        let titles: Vec<&str> = types.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Electricity",
                "Water",
                "Gas",
                "Internet",
                "DTH",
                "Education",
                "Other"
            ]
        );
        assert!(!types[4].is_active && types[4].billers.is_empty());
        let b = bakhrabad();
        assert_eq!(b.params.len(), 3);
        assert_eq!(b.params[1].field_type, FieldType::MobileNo);
        assert_eq!(
            b.params[2].options[1],
            SelectOption {
                display: "Non Meter".into(),
                value: "NM".into()
            }
        );
        assert_eq!(parse_biller(&b.to_json()), Ok(b));
    }

    #[test]
    fn users_choice_wins_over_a_hidden_field() {
        let values = parse(
            r#"{"bllr_accno":"ACC১২৩","bill_mobno":"+880 1812-345678","bll_typ":"M"}"#.as_bytes(),
        )
        .unwrap();
        let sent = validate_biller_form(&bakhrabad(), &values, &Registry::default()).unwrap();
        let want = [
            ("biller_id", "b451"),
            ("bll_typ", "M"),
            ("mode", "SAPI"),
            ("bllr_accno", "ACC123"),
            ("bill_mobno", "01812345678"),
        ];
        assert_eq!(sent, want.map(|(k, v)| (k.to_owned(), v.to_owned())));
    }

    #[test]
    fn reports_every_bad_param() {
        let values = parse(
            br#"{"bllr_accno":"12 34","bill_mobno":"01112345678","bll_typ":"X","extra":"1"}"#,
        )
        .unwrap();
        assert_eq!(
            codes(validate_biller_form(
                &bakhrabad(),
                &values,
                &Registry::default()
            )),
            [
                ("extra".into(), "unknown_field"),
                ("bllr_accno".into(), "invalid_value"),
                ("bill_mobno".into(), "invalid_phone"),
                ("bll_typ".into(), "invalid_option")
            ]
        );
        let empty = parse(b"{}").unwrap();
        assert_eq!(
            codes(validate_biller_form(
                &bakhrabad(),
                &empty,
                &Registry::default()
            )),
            [
                ("bllr_accno".into(), "required"),
                ("bill_mobno".into(), "required"),
                ("bll_typ".into(), "required")
            ]
        );
    }

    #[test]
    fn a_mobile_param_names_an_unused_prefix_and_a_choice_says_choose() {
        let said = |values: &[u8]| {
            let errors =
                validate_biller_form(&bakhrabad(), &parse(values).unwrap(), &Registry::default())
                    .unwrap_err();
            errors
                .into_iter()
                .map(|e| (e.field, e.code.as_str(), e.message_bn))
                .collect::<Vec<_>>()
        };
        let got = said(br#"{"bllr_accno":"A1","bill_mobno":"+880 1012-345678","bll_typ":"M"}"#);
        assert_eq!(
            got,
            [(
                "bill_mobno".to_owned(),
                "invalid_phone",
                "০১০ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।".to_owned()
            )]
        );
        let got = said(br#"{"bllr_accno":"A1","bill_mobno":"017"}"#);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].2,
            "১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।"
        );
        // Bill Type is a list: chosen, not typed.
        assert_eq!(
            (got[1].1, got[1].2.as_str()),
            ("required", "বিলের ধরন বেছে নিন।")
        );
        let got = said(br#"{"bll_typ":"M","bill_mobno":"01712345678"}"#);
        assert_eq!(
            (got[0].1, got[0].2.as_str()),
            ("required", "অ্যাকাউন্ট নম্বর লিখুন।")
        );
    }

    #[test]
    fn read_only_params_keep_their_value() {
        let mut b = bakhrabad();
        b.params[0].is_read_only = true;
        b.params[0].value = "FIXED1".into();
        let values =
            parse(br#"{"bllr_accno":"OTHER","bill_mobno":"01812345678","bll_typ":"NM"}"#).unwrap();
        assert_eq!(
            codes(validate_biller_form(&b, &values, &Registry::default())),
            [("bllr_accno".into(), "read_only")]
        );
        let values = parse(br#"{"bill_mobno":"01812345678","bll_typ":"NM"}"#).unwrap();
        let sent = validate_biller_form(&b, &values, &Registry::default()).unwrap();
        assert!(sent.contains(&("bllr_accno".into(), "FIXED1".into())));
    }

    #[test]
    fn shape_errors_say_where() {
        let v = parse(br#"{"data":{"types":[{"title":"Gas","billers":[{"biller_id":"b1","title":"T","params":[{"field_type":"select"}]}]}]}}"#).unwrap();
        assert_eq!(
            parse_billers(&v),
            Err(ShapeError::new(
                "data.types[0].billers[0].params[0].key",
                "string"
            ))
        );
        assert_eq!(
            parse_billers(&parse(b"{}").unwrap()),
            Err(ShapeError::new("data.types", "array"))
        );
        let at = |doc: &[u8]| parse_biller(&parse(doc).unwrap()).unwrap_err();
        let p = br#"{"biller_id":"b1","title":"T","params":[{"field_type":"x","key":"k","#;
        assert_eq!(
            at(&[&p[..], br#""required":"yes"}]}"#].concat()),
            ShapeError::new("params[0].required", "boolean")
        );
        assert_eq!(
            at(&[&p[..], br#""label":true}]}"#].concat()),
            ShapeError::new("params[0].label", "string")
        );
        assert_eq!(
            at(br#"{"biller_id":"b1","title":"T","params":[{"field_type":"x","key":""}]}"#),
            ShapeError::new("params[0].key", "non-empty string")
        );
        assert_eq!(
            at(br#"{"biller_id":"b1","title":"T","hidden_fields":{}}"#),
            ShapeError::new("hidden_fields", "array")
        );
        assert_eq!(at(b"[]"), ShapeError::new("", "object"));
    }

    #[test]
    fn defaults_fill_in_what_a_schema_leaves_out() {
        let b = parse_biller(
            &parse(br#"{"biller_id":"b1","title":"T","logo":null,"params":[{"field_type":"text","key":"acc","label":"","visibility":"","input":null,"placeholder":12}],"hidden_fields":[{"key":"mode","value":null}]}"#)
                .unwrap(),
        )
        .unwrap();
        let p = &b.params[0];
        assert_eq!(
            (
                p.label.as_str(),
                p.visibility.as_str(),
                p.input,
                p.required,
                p.placeholder.as_str()
            ),
            ("acc", "show", true, false, "12")
        );
        assert_eq!(p.field_type, FieldType::Other("text".into()));
        assert_eq!(b.hidden_fields, [("mode".to_owned(), String::new())]);
        assert_eq!(b.logo, "");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn form_check_never_panics(acc in "\\PC{0,70}", mob in "\\PC{0,20}", typ in "\\PC{0,4}") {
            let biller = parse_billers(&tests::sample_billers()).ok()
                .and_then(|t| t.into_iter().flat_map(|t| t.billers).find(|b| b.biller_id == "b451"));
            prop_assert!(biller.is_some());
            if let Some(b) = biller {
                let values = object([("bllr_accno", acc.into()), ("bill_mobno", mob.into()), ("bll_typ", typ.into())]);
                if let Ok(sent) = validate_biller_form(&b, &values, &Registry::default()) {
                    prop_assert!(sent.iter().any(|(k, _)| k == "biller_id"));
                }
            }
        }
    }
}
