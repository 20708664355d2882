//! The validation entry's fast path for phone numbers: one wasm call per
//! number, or one per list, with no text built in Rust and no JSON per call.
//!
//! A result is one `f64`: `-1` for anything that is not a live mobile number,
//! otherwise `prefix × 10⁹ + the canonical number's last nine digits`, where
//! `prefix` indexes [`Validator::prefix_hints`]. The package's JS turns the
//! hints into frozen objects once, so every number on a prefix shares one.

use wasm_bindgen::prelude::*;

use bdpay_core::json::Value;
use bdpay_core::phone::{check_phone, Checked};

use super::validation::Validator;

const NOT_A_NUMBER: f64 = -1.0;

/// `Checked` as one exact `f64`: at most a few hundred prefixes × 10⁹, far
/// below 2⁵³.
fn packed(c: Checked) -> f64 {
    // A registry's prefixes are three-digit strings: at most 1,000 of them.
    let prefix = u32::try_from(c.prefix).unwrap_or(u32::MAX);
    f64::from(prefix) * 1e9 + f64::from(c.last_nine)
}

#[wasm_bindgen]
impl Validator {
    /// One number: `-1`, or its prefix and last nine digits packed (module doc).
    #[wasm_bindgen(js_name = checkPhone)]
    pub fn check_phone(&self, input: &str) -> f64 {
        check_phone(input, &self.rules.registry).map_or(NOT_A_NUMBER, packed)
    }

    /// Numbers separated by `\n`, each packed into `out` in order; returns how
    /// many were written (all of them, unless `out` is shorter than the list).
    #[wasm_bindgen(js_name = checkPhones)]
    pub fn check_phones(&self, joined: &str, out: &mut [f64]) -> usize {
        let registry = &self.rules.registry;
        let mut written = 0;
        for (slot, number) in out.iter_mut().zip(joined.split('\n')) {
            *slot = check_phone(number, registry).map_or(NOT_A_NUMBER, packed);
            written += 1;
        }
        written
    }

    /// The JSON text of what each live prefix suggests, in prefix-index order:
    /// `[{ code, name, name_bn, alternatives } | null]`.
    #[wasm_bindgen(js_name = prefixHints)]
    pub fn prefix_hints(&self) -> String {
        let registry = &self.rules.registry;
        Value::Array(
            (0..registry.prefix_count())
                .map(|i| registry.detect_at(i).map_or(Value::Null, |d| d.to_json()))
                .collect(),
        )
        .to_json()
    }
}
