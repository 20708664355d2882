//! The rules a request is checked against: the operator registry, the amount
//! limits per request type and the documented `sub_type` values. A caller can
//! change any of them at run time from a plain config object.

use crate::prelude::*;

use crate::json::{object, Value};
use crate::messages::{Code, FieldError, Rule, Slot};
use crate::money::Amount;
use crate::operators::{Kind, Operator, PhoneRule, Registry, Service};

/// `(service, min taka, max taka, documented sub_type values)`. Data and drive
/// packages have a price instead of an amount.
const SERVICES: &[(Service, i64, i64, &[&str])] = &[
    (
        Service::Recharge,
        10,
        5_000,
        &["Prepaid", "Postpaid", "Personal", "Agent"],
    ),
    (Service::Data, 0, 0, &[]),
    (Service::Drive, 0, 0, &[]),
    (Service::Mfs, 10, 25_000, &["Agent"]),
    (Service::Bill, 1, 200_000, &[]),
];

/// Inclusive amount bounds for one request type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub min: Amount,
    pub max: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub registry: Registry,
    limits: Vec<(Service, Limit)>,
}

impl Default for Rules {
    fn default() -> Rules {
        let mut limits = Vec::new();
        for &(s, min, max, _) in SERVICES {
            let (min, max) = (Amount::from_taka(min), Amount::from_taka(max));
            limits.push((s, Limit { min, max }));
        }
        Rules {
            registry: Registry::default(),
            limits,
        }
    }
}

impl Rules {
    /// The amount limits of a request type.
    pub fn limit(&self, service: Service) -> Option<Limit> {
        self.limits
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, l)| *l)
    }

    pub fn set_limit(&mut self, service: Service, limit: Limit) {
        self.limits.retain(|(s, _)| *s != service);
        self.limits.push((service, limit));
    }

    /// The documented `sub_type` values of a request type.
    pub fn sub_types(service: Service) -> &'static [&'static str] {
        SERVICES
            .iter()
            .find(|r| r.0 == service)
            .map_or(&[], |r| r.3)
    }

    /// Rules from a config object; every part is optional:
    ///
    /// ```json
    /// { "operators": [{ "code": "XT", "name": "Xtra", "kind": "mobile", "services": ["recharge"],
    ///                   "prefixes": ["010"] }],
    ///   "replaceOperators": false,
    ///   "limits": { "recharge": { "min": 20, "max": "1000.50" } } }
    /// ```
    ///
    /// An operator whose code exists replaces it; `replaceOperators` starts
    /// from an empty registry instead of the built-in one.
    pub fn from_config(config: &Value) -> Result<Rules, Vec<FieldError>> {
        let mut rules = Rules::default();
        let mut errors = Vec::new();
        let Some(fields) = config.as_object() else {
            if config.is_null() {
                return Ok(rules);
            }
            return Err(vec![FieldError::new("", Code::NotAnObject)]);
        };
        if config.get("replaceOperators").and_then(Value::as_bool) == Some(true) {
            rules.registry = Registry::empty();
        }
        for (key, value) in fields {
            match key.as_str() {
                "replaceOperators" if value.as_bool().is_some() => {}
                "operators" => match value.as_array() {
                    Some(list) => {
                        for (i, entry) in list.iter().enumerate() {
                            let path = crate::text::cat(&[
                                "operators[",
                                &crate::text::decimal(i as u64),
                                "]",
                            ]);
                            match operator_from_config(entry, &path) {
                                Ok((op, prefixes)) => {
                                    for p in prefixes {
                                        rules.registry.set_prefix(&p, vec![op.code.clone()]);
                                    }
                                    rules.registry.upsert(op);
                                }
                                Err(e) => errors.push(e),
                            }
                        }
                    }
                    None => errors.push(FieldError::new("operators", Rule::List)),
                },
                "limits" => limits_from_config(value, &mut rules, &mut errors),
                _ => errors.push(FieldError::new(key, Code::UnknownField)),
            }
        }
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }

    /// The limits as data: `{ recharge: { min: "10.00", max: "5000.00" }, … }`.
    pub fn limits_json(&self) -> Value {
        // A loop, not filter/map/collect: smaller in the wasm.
        let mut out = Vec::new();
        for (s, l) in &self.limits {
            if l.max.is_positive() {
                let bounds = object([
                    ("min", l.min.to_decimal_string().into()),
                    ("max", l.max.to_decimal_string().into()),
                ]);
                out.push((s.as_str().to_owned(), bounds));
            }
        }
        Value::Object(out)
    }
}

fn limits_from_config(value: &Value, rules: &mut Rules, errors: &mut Vec<FieldError>) {
    let Some(entries) = value.as_object() else {
        errors.push(FieldError::new("limits", Code::NotAnObject));
        return;
    };
    for (name, bounds) in entries {
        let path = crate::text::cat(&["limits.", name]);
        let Some(service) =
            Service::parse(name).filter(|s| !matches!(s, Service::Data | Service::Drive))
        else {
            errors.push(FieldError::new(&path, Code::UnknownField));
            continue;
        };
        let Some(current) = rules.limit(service) else {
            continue;
        };
        let read = |key: &str, default: Amount| match bounds.get(key) {
            None => Some(default),
            Some(v) => crate::request::amount_of(v)
                .ok()
                .filter(|a| !a.paisa().is_negative()),
        };
        match (read("min", current.min), read("max", current.max)) {
            (Some(min), Some(max)) if min <= max => rules.set_limit(service, Limit { min, max }),
            (Some(min), Some(max)) => errors.push(FieldError::with_args(
                &path,
                Rule::LimitOrder,
                &[("min", Slot::Taka(min)), ("max", Slot::Taka(max))],
            )),
            _ => errors.push(FieldError::new(&path, Rule::LimitAmounts)),
        }
    }
}

fn operator_from_config(v: &Value, path: &str) -> Result<(Operator, Vec<String>), FieldError> {
    read_operator(v).ok_or_else(|| FieldError::new(path, Rule::Operator))
}

/// An operator and its prefixes from a config entry; nothing if any part is
/// bad (the one error says what an entry needs).
fn read_operator(v: &Value) -> Option<(Operator, Vec<String>)> {
    let text = |key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty() && s.len() <= 64)
    };
    let code = text("code").filter(|c| c.bytes().all(|b| b.is_ascii_alphanumeric()))?;
    let name = text("name")?;
    let kind = text("kind").and_then(Kind::parse)?;
    let services = items(v.get("services"), Vec::new(), |i| {
        i.as_str().and_then(Service::parse)
    })?;
    let prefixes = items(v.get("prefixes"), Vec::new(), |i| {
        i.as_str()
            .filter(|p| {
                p.len() == 3 && p.starts_with("01") && p.bytes().all(|b| b.is_ascii_digit())
            })
            .map(str::to_owned)
    })?;
    let phone = match text("phone") {
        None | Some("optional") => PhoneRule::Optional,
        Some("required") => PhoneRule::Required,
        Some(_) => return None,
    };
    let mfs_default = if kind == Kind::Mfs {
        vec![11]
    } else {
        Vec::new()
    };
    let wallet_digits = items(v.get("wallet_digits"), mfs_default, |i| match i {
        Value::Number(n) if n == "11" => Some(11),
        Value::Number(n) if n == "12" => Some(12),
        _ => None,
    })?;
    let op = Operator {
        code: code.to_ascii_uppercase(),
        name: name.to_owned(),
        name_bn: text("name_bn").unwrap_or(name).to_owned(),
        kind,
        services,
        phone,
        wallet_digits,
    };
    Some((op, prefixes))
}

/// Every item of a config list, each read by `read`: `absent` when there is
/// no list, nothing when it is not a list or an item does not read. A loop,
/// not `collect::<Option<Vec<_>>>` (whose adapters are larger in the wasm).
fn items<T>(
    list: Option<&Value>,
    absent: Vec<T>,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<Vec<T>> {
    let list = match list {
        None => return Some(absent),
        Some(Value::Array(list)) => list,
        Some(_) => return None,
    };
    let mut out = Vec::new();
    for item in list {
        out.push(read(item)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn default_limits_and_sub_types() {
        let r = Rules::default();
        assert_eq!(
            r.limit(Service::Recharge),
            Some(Limit {
                min: Amount::from_taka(10),
                max: Amount::from_taka(5000)
            })
        );
        assert_eq!(Rules::sub_types(Service::Mfs), &["Agent"]);
        assert!(Rules::sub_types(Service::Data).is_empty());
    }

    #[test]
    fn config_extends_operators_prefixes_and_limits() {
        let cfg = parse(
            br#"{"operators":[{"code":"xt","name":"Xtra","kind":"mobile","services":["recharge"],"prefixes":["010"]}],
                "limits":{"recharge":{"max":"1000.50"},"mfs":{"min":50}}}"#,
        )
        .unwrap();
        let r = Rules::from_config(&cfg).unwrap();
        assert_eq!(
            r.registry.detect("01012345678").unwrap().operator.code,
            "XT"
        );
        assert!(r.registry.get("GP").is_some(), "built-in operators kept");
        assert_eq!(
            r.limit(Service::Recharge).unwrap().max,
            Amount::from_paisa(100_050)
        );
        assert_eq!(
            r.limit(Service::Recharge).unwrap().min,
            Amount::from_taka(10)
        );
        assert_eq!(r.limit(Service::Mfs).unwrap().min, Amount::from_taka(50));
    }

    #[test]
    fn replace_operators_starts_empty() {
        let cfg = parse(br#"{"replaceOperators":true,"operators":[{"code":"BK","name":"bKash","kind":"mfs","services":["mfs"]}]}"#).unwrap();
        let r = Rules::from_config(&cfg).unwrap();
        assert_eq!(r.registry.operators().len(), 1);
        assert_eq!(r.registry.get("BK").unwrap().wallet_digits, vec![11]);
        assert!(r.registry.detect("01712345678").is_none());
    }

    #[test]
    fn bad_config_lists_every_problem() {
        let cfg = parse(br#"{"limits":{"recharge":{"min":100,"max":5},"data":{}},"operators":[{"code":"X"}],"colour":"red"}"#).unwrap();
        let errs = Rules::from_config(&cfg).unwrap_err();
        let fields: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("limits.recharge", "invalid_amount"),
                ("limits.data", "unknown_field"),
                ("operators[0]", "invalid_value"),
                ("colour", "unknown_field")
            ]
        );
    }
}
