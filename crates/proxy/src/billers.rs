//! The proxy's copy of the wallet's biller list, so that a summary is checked
//! against its own biller's schema (the very check the page ran), not only
//! generically. Refreshed after [`TTL_MS`]; while no list is held, summaries
//! are refused rather than passed unchecked.

use bdpay_api::error::ApiError;
use bdpay_core::billers::{validate_biller_form, Biller, BillerType};
use bdpay_core::json::Value;
use bdpay_core::messages::{Code, FieldError};
use bdpay_core::operators::Registry;

/// How long a fetched list is used before it is fetched again.
pub const TTL_MS: u64 = 10 * 60_000;

#[derive(Debug, Default)]
pub struct BillerCache {
    fetched_at: Option<u64>,
    types: Vec<BillerType>,
}

impl BillerCache {
    /// Whether the list should be fetched (again) at `now`.
    pub fn is_stale(&self, now: u64) -> bool {
        self.fetched_at
            .is_none_or(|at| now.saturating_sub(at) >= TTL_MS)
    }

    pub fn is_empty(&self) -> bool {
        self.fetched_at.is_none()
    }

    pub fn store(&mut self, types: Vec<BillerType>, now: u64) {
        self.types = types;
        self.fetched_at = Some(now);
    }

    fn biller(&self, id: &str) -> Option<&Biller> {
        self.types
            .iter()
            .filter(|t| t.is_active)
            .flat_map(|t| t.billers.iter())
            .find(|b| b.biller_id == id)
    }

    /// The summary's parameters, checked against the biller's schema: its
    /// params validated as the page's form is, its hidden fields unchanged,
    /// nothing else. The canonical parameters to send upstream.
    pub fn check(
        &self,
        pairs: &[(String, String)],
        registry: &Registry,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let invalid =
            |field: &str, code: Code| ApiError::invalid(vec![FieldError::new(field, code)]);
        let id = pairs
            .iter()
            .find(|(k, _)| k == "biller_id")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        let Some(biller) = self.biller(id) else {
            return Err(invalid("biller_id", Code::InvalidOption));
        };
        let mut values = Vec::new();
        for (k, v) in pairs {
            if biller.params.iter().any(|p| &p.key == k) {
                if !values.iter().any(|(seen, _): &(String, Value)| seen == k) {
                    values.push((k.clone(), Value::from(v.as_str())));
                }
            } else if !biller
                .hidden_fields
                .iter()
                .any(|(hk, hv)| hk == k && hv == v)
            {
                return Err(invalid(k, Code::UnknownField));
            }
        }
        validate_biller_form(biller, &Value::Object(values), registry).map_err(ApiError::invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bdpay_core::billers::parse_billers;
    use bdpay_core::json::parse;

    fn cache() -> BillerCache {
        let body = parse(include_bytes!(
            "../../../tests/fixtures/wallet-billers.json"
        ))
        .unwrap();
        let types = parse_billers(&body).unwrap();
        let mut c = BillerCache::default();
        c.store(types, 1_000);
        c
    }

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_summary_passes_only_as_its_billers_form_allows() {
        let c = cache();
        let reg = Registry::default();
        let ok = c
            .check(
                &pairs(&[
                    ("biller_id", "b451"),
                    ("bll_typ", "M"),
                    ("mode", "SAPI"),
                    ("bllr_accno", "ACC1"),
                    ("bill_mobno", "+8801812345678"),
                ]),
                &reg,
            )
            .unwrap();
        assert!(
            ok.contains(&("bill_mobno".into(), "01812345678".into())),
            "{ok:?}"
        );
        assert!(
            ok.contains(&("bll_typ".into(), "M".into())),
            "the user's choice wins"
        );
        type Row<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let rows: &[Row] = &[
            (&[("biller_id", "b999")], "biller_id", "invalid_option"),
            (
                &[
                    ("biller_id", "b451"),
                    ("bllr_accno", "ACC1"),
                    ("bill_mobno", "0171"),
                ],
                "bill_mobno",
                "invalid_phone",
            ),
            (
                &[
                    ("biller_id", "b451"),
                    ("bllr_accno", "ACC1"),
                    ("bill_mobno", "01812345678"),
                    ("bll_typ", "X"),
                ],
                "bll_typ",
                "invalid_option",
            ),
            (
                &[("biller_id", "b025"), ("bll_no", "1"), ("mode", "EVIL")],
                "mode",
                "unknown_field",
            ),
            (
                &[("biller_id", "b025"), ("bll_no", "1"), ("amount", "1")],
                "amount",
                "unknown_field",
            ),
            (&[("biller_id", "b025")], "bll_no", "required"),
        ];
        for (q, field, code) in rows {
            let e = c.check(&pairs(q), &reg).unwrap_err();
            let got = e
                .field_errors
                .first()
                .map(|f| (f.field.as_str(), f.code.as_str()));
            assert_eq!(got, Some((*field, *code)), "{q:?}");
        }
    }

    #[test]
    fn the_list_is_fetched_again_after_its_ttl() {
        let c = cache();
        assert!(!c.is_stale(1_000 + TTL_MS - 1));
        assert!(c.is_stale(1_000 + TTL_MS));
        assert!(BillerCache::default().is_stale(0));
    }
}
