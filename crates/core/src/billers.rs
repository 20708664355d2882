//! The wallet API's biller schemas: reading the billers response into types,
//! and checking a person's form values against one biller's `params`.
//!
//! The result of a check is the exact parameter set to send: hidden fields
//! first, then the visible params, the person's choice winning where a
//! visible param and a hidden field share a key (`bll_typ` at Bakhrabad Gas).

use crate::json::{object, Value};
use crate::messages::{biller_label, Code, FieldError, Rule, Wording};
use crate::operators::Registry;
use crate::phone::normalize_phone;
use crate::text::{ascii_digits, decimal};

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectOption {
    pub display: String,
    pub value: String,
}

/// One input of a biller's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub field_type: FieldType,
    pub label: String,
    pub key: String,
    /// The default value (`""` when none).
    pub value: String,
    pub placeholder: String,
    pub input: bool,
    /// The schema's `type` (`alphanumeric`, `numeric`, `select`, …).
    pub input_type: String,
    pub required: bool,
    pub is_read_only: bool,
    /// `"show"`, or anything else for a param the person does not see.
    pub visibility: String,
    pub options: Vec<SelectOption>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Biller {
    pub biller_id: String,
    pub title: String,
    pub logo: String,
    pub params: Vec<Param>,
    pub hidden_fields: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillerType {
    pub title: String,
    pub icon: String,
    pub visibility: bool,
    pub is_active: bool,
    pub billers: Vec<Biller>,
}

/// A response that does not have the documented shape: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub path: String,
    pub expected: &'static str,
}

impl ShapeError {
    pub fn new(path: &str, expected: &'static str) -> ShapeError {
        ShapeError {
            path: path.to_owned(),
            expected,
        }
    }
}

/// Longest value a person may give for one param.
const MAX_VALUE_CHARS: usize = 64;

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        [path, ".", key].concat()
    }
}

fn index(path: &str, i: usize) -> String {
    [path, "[", &decimal(i as u64), "]"].concat()
}

fn req_str(v: &Value, key: &str, path: &str) -> Result<String, ShapeError> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ShapeError::new(&child(path, key), "string"))
}

/// An optional string: absent or `null` gives `""`; numbers are taken as their text.
fn opt_str(v: &Value, key: &str, path: &str) -> Result<String, ShapeError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(x) => x
            .as_text()
            .map(str::to_owned)
            .ok_or_else(|| ShapeError::new(&child(path, key), "string")),
    }
}

fn opt_bool(v: &Value, key: &str, default: bool, path: &str) -> Result<bool, ShapeError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ShapeError::new(&child(path, key), "boolean")),
    }
}

fn list<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a [Value], ShapeError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ShapeError::new(&child(path, key), "array")),
    }
}

/// Reads the billers response (`{ code, messages, data: { types: [...] } }`).
pub fn parse_billers(body: &Value) -> Result<Vec<BillerType>, ShapeError> {
    let types = body
        .get("data")
        .and_then(|d| d.get("types"))
        .and_then(Value::as_array)
        .ok_or_else(|| ShapeError::new("data.types", "array"))?;
    types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let path = index("data.types", i);
            let billers = list(t, "billers", &path)?
                .iter()
                .enumerate()
                .map(|(j, b)| parse_biller_at(b, &index(&child(&path, "billers"), j)))
                .collect::<Result<_, _>>()?;
            Ok(BillerType {
                title: req_str(t, "title", &path)?,
                icon: opt_str(t, "icon", &path)?,
                visibility: opt_bool(t, "visibility", true, &path)?,
                is_active: opt_bool(t, "is_active", true, &path)?,
                billers,
            })
        })
        .collect()
}

/// Reads one biller object (as found in the billers response).
pub fn parse_biller(v: &Value) -> Result<Biller, ShapeError> {
    parse_biller_at(v, "")
}

fn parse_biller_at(v: &Value, path: &str) -> Result<Biller, ShapeError> {
    if v.as_object().is_none() {
        return Err(ShapeError::new(path, "object"));
    }
    let params = list(v, "params", path)?
        .iter()
        .enumerate()
        .map(|(i, p)| parse_param(p, &index(&child(path, "params"), i)))
        .collect::<Result<_, _>>()?;
    let hidden_fields = list(v, "hidden_fields", path)?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let at = index(&child(path, "hidden_fields"), i);
            Ok((req_str(h, "key", &at)?, opt_str(h, "value", &at)?))
        })
        .collect::<Result<_, ShapeError>>()?;
    Ok(Biller {
        biller_id: req_str(v, "biller_id", path)?,
        title: req_str(v, "title", path)?,
        logo: opt_str(v, "logo", path)?,
        params,
        hidden_fields,
    })
}

fn parse_param(p: &Value, path: &str) -> Result<Param, ShapeError> {
    let field_type = match req_str(p, "field_type", path)?.as_str() {
        "alphanumeric" => FieldType::Alphanumeric,
        "mobile_no" => FieldType::MobileNo,
        "select" => FieldType::Select,
        other => FieldType::Other(other.to_owned()),
    };
    let options = list(p, "options", path)?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let at = index(&child(path, "options"), i);
            Ok(SelectOption {
                display: opt_str(o, "option_display_value", &at)?,
                value: req_str(o, "option_value", &at)?,
            })
        })
        .collect::<Result<_, ShapeError>>()?;
    let label = opt_str(p, "label", path)?;
    let key = req_str(p, "key", path)?;
    if key.is_empty() {
        return Err(ShapeError::new(&child(path, "key"), "non-empty string"));
    }
    Ok(Param {
        field_type,
        label: if label.is_empty() { key.clone() } else { label },
        key,
        value: opt_str(p, "value", path)?,
        placeholder: opt_str(p, "placeholder", path)?,
        input: opt_bool(p, "input", true, path)?,
        input_type: opt_str(p, "type", path)?,
        required: opt_bool(p, "required", false, path)?,
        is_read_only: opt_bool(p, "is_read_only", false, path)?,
        visibility: {
            let v = opt_str(p, "visibility", path)?;
            if v.is_empty() {
                "show".to_owned()
            } else {
                v
            }
        },
        options,
    })
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
                    errors.push(err(Code::Required.into()));
                    continue;
                }
                None => p.value.clone(),
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
    if s.chars().count() > MAX_VALUE_CHARS {
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
