//! The summary's query string, decoded and checked before it goes upstream.

use bdpay_api::error::ApiError;
use bdpay_core::messages::{Code, FieldError, Rule};

/// The summary's parameters from the inbound query string, decoded; keys and
/// values are checked as a biller form would be (alphanumerics, `-`, `_`,
/// `.`, `+` and spaces, 64 characters at most each).
pub fn summary_params(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        let ok = |s: &Option<String>, allow_empty: bool| {
            s.as_ref().is_some_and(|s| {
                (allow_empty || !s.is_empty())
                    && s.chars().count() <= 64
                    && s.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | ' '))
            })
        };
        if !ok(&k, false) || !ok(&v, true) {
            let field = k.unwrap_or_default();
            return Err(ApiError::invalid(vec![FieldError::new(
                &field,
                Rule::QueryText,
            )]));
        }
        out.push((k.unwrap_or_default(), v.unwrap_or_default()));
    }
    if !out.iter().any(|(k, _)| k == "biller_id") {
        return Err(ApiError::invalid(vec![FieldError::new(
            "biller_id",
            Code::Required,
        )]));
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = char::from(it.next()?).to_digit(16)?;
                let lo = char::from(it.next()?).to_digit(16)?;
                bytes.push((hi * 16 + lo) as u8);
            }
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).ok()
}
