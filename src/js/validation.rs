//! The `bdpay` entry: phone numbers, operators and requests.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

use bdpay_api::error::{ApiError, Say};

use bdpay_core::json::units::text_of;
use bdpay_core::json::{JsonError, Value};
use bdpay_core::messages::{errors_json, unreadable, FieldError};
use bdpay_core::operators::Kind;
use bdpay_core::phone::{normalize_wallet, typed_prefix_units};
use bdpay_core::request::validate_request;
use bdpay_core::rules::Rules;

// The exports' comments are `//`, not `///`: wasm-bindgen copies doc comments
// into the glue every page downloads; the package's documentation is
// pkg-template/index.d.ts.

// Validation rules in force: the operator registry and amount limits.
#[wasm_bindgen]
pub struct Validator {
    pub(super) rules: Rules,
    /// UTF-16 code units the package's JS writes numbers into, for
    /// `checkPhoneUnits` and `checkPhonesUnits` (numbers.rs).
    pub(super) units: Vec<u16>,
    /// `checkPhonesUnits`' results, one `i32` per number, which the
    /// package's JS reads where that call says (numbers.rs).
    pub(super) results: Vec<i32>,
}

/// The JSON text of the `ApiError` of a refused config.
fn config_error(errors: Vec<FieldError>) -> String {
    // Only this row's words in the wasm, not every saying's.
    let row = const { Say::ValidatorConfig.row() };
    ApiError::config_row(row, errors).to_json().to_json()
}

impl Validator {
    fn apply_config(&mut self, config: Result<Value, JsonError>) -> Option<String> {
        let rules = config
            .map_err(|e| vec![unreadable("", e)])
            .and_then(|c| Rules::from_config(&c));
        match rules {
            Ok(rules) => {
                self.rules = rules;
                None
            }
            Err(errors) => Some(config_error(errors)),
        }
    }

    fn request_answer(&self, request: Result<Value, JsonError>) -> String {
        request
            .map_err(|e| vec![unreadable("", e)])
            .and_then(|req| validate_request(&req, &self.rules))
            .map_or_else(|errors| errors_json(&errors), |r| r.ok_json())
            .to_json()
    }
}

#[wasm_bindgen]
impl Validator {
    // The config in the first `len` units of the buffer (numbers.rs), as
    // the package's JS writes a value (json/units.rs): these rules replace
    // the defaults, or, for a bad config, the JSON text of its ApiError
    // (code `invalid_validator_config`, every refused setting in
    // `fieldErrors`) and the rules stay the defaults. Nothing is thrown
    // through the wasm, so the entry's wasm holds no table of JS values.
    pub fn configure(&mut self, len: usize) -> Option<String> {
        let config = self.value_units(len);
        self.apply_config(config)
    }

    // The default rules, without reading a config: the call every page makes
    // first, so its code is small (a wasm function is compiled when it is
    // first called, and the config reader is the entry's largest).
    pub fn defaults() -> Validator {
        Validator {
            rules: Rules::default(),
            units: Vec::new(),
            results: Vec::new(),
        }
    }

    // The code units of a wallet number and, after them, of an operator
    // code, in the buffer (numbers.rs): `normalizeWallet`.
    #[wasm_bindgen(js_name = normalizeWalletUnits)]
    pub fn normalize_wallet_units(&self, input_len: usize, code_len: usize) -> Option<String> {
        let input = self.units.get(..input_len)?;
        let code = self
            .units
            .get(input_len..input_len.checked_add(code_len)?)?;
        let op = self
            .rules
            .registry
            .get(&text_of(code))
            .filter(|o| o.kind == Kind::Mfs)?;
        normalize_wallet(&text_of(input), &op.wallet_digits, &self.rules.registry)
    }

    // For a number still being typed, in the first `len` units of the
    // buffer: the third digit of its live prefix, which indexes the prefix
    // hints (`"0131"`: 3, Grameenphone and Skitto), or -1.
    #[wasm_bindgen(js_name = typedPrefixUnits)]
    pub fn typed_prefix_units(&self, len: usize) -> i32 {
        self.units
            .get(..len)
            .and_then(typed_prefix_units)
            .filter(|&p| self.rules.registry.prefix_index_of(p).is_some())
            .map_or(-1, |[_, _, third]| i32::from(third) - i32::from(b'0'))
    }

    // JSON of the operator registry in force.
    pub fn operators(&self) -> String {
        self.rules.registry.to_json().to_json()
    }

    // JSON of the amount limits in force.
    pub fn limits(&self) -> String {
        self.rules.limits_json().to_json()
    }

    // JSON of `{ ok: true, value }` or `{ ok: false, errors }` for the
    // `/request` body in the first `len` units of the buffer.
    #[wasm_bindgen(js_name = validateRequestUnits)]
    pub fn validate_request_units(&mut self, len: usize) -> String {
        let request = self.value_units(len);
        self.request_answer(request)
    }
}
