//! Reading settings: the options of the clients (`Config::from_json` in
//! bdpay-api) and of the proxy (`ProxyConfig::from_json` in bdpay-proxy).
//! Both read their number settings here, so a setting given as text
//! (`"30000"`, as a Worker's plain-text variables are) means the same to
//! both, and both refuse the same values with the same error.

use crate::json::Value;
use crate::messages::{FieldError, Rule};

/// A whole number, 0 or more, from a JSON number (`30000`) or a string of
/// decimal digits (`"30000"`, spaces around it allowed). `3e4`, `1.5`, `-1`,
/// `"30k"`, `"+5"`, `""`, `true` and numbers past `u64::MAX` are not.
///
/// ```
/// use bdpay_core::json::Value;
/// use bdpay_core::settings::whole_number_of;
/// assert_eq!(whole_number_of(&Value::from("30000")), Some(30_000));
/// assert_eq!(whole_number_of(&Value::Number("30000".into())), Some(30_000));
/// assert_eq!(whole_number_of(&Value::Number("1.5".into())), None);
/// ```
pub fn whole_number_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(_) => v.as_u64(),
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

/// A whole-number setting named `field`: `default` when absent or `null`,
/// else [`whole_number_of`] or the field's [`Rule::WholeNumber`] error.
pub fn whole_number(v: Option<&Value>, field: &str, default: u64) -> Result<u64, FieldError> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(n) => whole_number_of(n).ok_or_else(|| FieldError::new(field, Rule::WholeNumber)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::messages::Code;

    fn read(json: &str) -> Result<u64, FieldError> {
        let v = parse(json.as_bytes()).unwrap();
        whole_number(Some(&v), "timeoutMs", 7)
    }

    #[test]
    fn a_number_or_its_decimal_text() {
        for ok in ["30000", r#""30000""#, r#"" 30000 ""#, r#""030000""#] {
            assert_eq!(read(ok), Ok(30_000), "{ok}");
        }
        assert_eq!(read("0"), Ok(0));
        assert_eq!(read("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(whole_number(None, "timeoutMs", 7), Ok(7));
        assert_eq!(whole_number(Some(&Value::Null), "timeoutMs", 7), Ok(7));
    }

    #[test]
    fn anything_else_is_refused_by_name() {
        let bad = [
            r#""30k""#,
            "-1",
            r#""-1""#,
            "1.5",
            r#""1.5""#,
            "3e4",
            "1.0",
            r#""+5""#,
            r#""""#,
            r#""  ""#,
            r#""৩০""#,
            "true",
            "false",
            "[]",
            "{}",
            "18446744073709551616",
        ];
        let want = FieldError::new("timeoutMs", Rule::WholeNumber);
        assert_eq!(want.code, Code::InvalidValue);
        for b in bad {
            assert_eq!(read(b), Err(want.clone()), "{b}");
        }
    }
}
