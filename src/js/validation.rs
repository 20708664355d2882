//! The `bdpay` entry: phone numbers, operators and requests.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

use bdpay_api::error::{ApiError, Say};

use bdpay_core::json::{self, Value};
use bdpay_core::messages::{errors_json, FieldError};
use bdpay_core::operators::Kind;
use bdpay_core::phone::{normalize_phone, normalize_wallet};
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
    /// `checkPhonesUnits`' results, one `f64` per number, which the
    /// package's JS reads where that call says (numbers.rs).
    pub(super) results: Vec<f64>,
    /// The JSON text of the `ApiError` of a config that was refused.
    error: Option<String>,
}

pub(super) fn parse_input(text: &str, field: &str) -> Result<Value, Vec<FieldError>> {
    json::parse_str(text).map_err(|e| vec![bdpay_core::messages::unreadable(field, e)])
}

impl Validator {
    /// Rules from a config given as JSON text (`""` or `null` for the
    /// defaults); for a bad config, the JSON text of an `ApiError` (code
    /// `invalid_validator_config`) with every refused setting in
    /// `fieldErrors`.
    pub fn new(config_json: &str) -> Result<Validator, String> {
        let config = if config_json.is_empty() {
            Ok(Value::Null)
        } else {
            parse_input(config_json, "")
        };
        config
            .and_then(|c| Rules::from_config(&c))
            .map(|rules| Validator {
                rules,
                units: Vec::new(),
                results: Vec::new(),
                error: None,
            })
            .map_err(|errors| {
                // Only this row's words in the wasm, not every saying's.
                let row = const { Say::ValidatorConfig.row() };
                ApiError::config_row(row, errors).to_json().to_json()
            })
    }

    /// JSON of `{ code, name, name_bn, alternatives }`, or nothing for an
    /// invalid number. Not exported to JS: the package's `detectOperator`
    /// reads the packed result of `checkPhoneUnits` and the prefix hints
    /// (numbers.rs), so the glue and the wasm leave this out.
    pub fn detect_operator(&self, input: &str) -> Option<String> {
        let registry = &self.rules.registry;
        let phone = normalize_phone(input, registry)?;
        registry.detect(&phone).map(|d| d.to_json().to_json())
    }
}

#[wasm_bindgen]
impl Validator {
    // `new` for the package's JS: a bad config gives a Validator whose
    // `error()` is that JSON text (and whose rules are the defaults, never
    // used). Nothing is thrown through the wasm, so the entry's wasm holds
    // no table of JS values.
    #[wasm_bindgen(js_name = fromConfig)]
    pub fn from_config(config_json: &str) -> Validator {
        Validator::new(config_json).unwrap_or_else(|error| Validator {
            error: Some(error),
            ..Validator::defaults()
        })
    }

    // The JSON text of the ApiError of a bad config (see `fromConfig`).
    pub fn error(&self) -> Option<String> {
        self.error.clone()
    }

    // The default rules, without reading a config: the call every page makes
    // first, so its code is small (a wasm function is compiled when it is
    // first called, and the config reader is the entry's largest).
    pub fn defaults() -> Validator {
        Validator {
            rules: Rules::default(),
            units: Vec::new(),
            results: Vec::new(),
            error: None,
        }
    }

    #[wasm_bindgen(js_name = normalizePhone)]
    pub fn normalize_phone(&self, input: &str) -> Option<String> {
        normalize_phone(input, &self.rules.registry)
    }

    // A wallet number for the given MFS operator (Rocket also takes 12 digits).
    #[wasm_bindgen(js_name = normalizeWallet)]
    pub fn normalize_wallet(&self, input: &str, operator_code: &str) -> Option<String> {
        let op = self
            .rules
            .registry
            .get(operator_code)
            .filter(|o| o.kind == Kind::Mfs)?;
        normalize_wallet(input, &op.wallet_digits, &self.rules.registry)
    }

    // As `detectOperator`, for a number still being typed: the hint of its
    // first three digits (`"0131"` suggests Grameenphone and Skitto).
    #[wasm_bindgen(js_name = detectOperatorPartial)]
    pub fn detect_operator_partial(&self, input: &str) -> Option<String> {
        let prefix = bdpay_core::phone::typed_prefix(input)?;
        self.rules
            .registry
            .detect(&prefix)
            .map(|d| d.to_json().to_json())
    }

    // JSON of the operator registry in force.
    pub fn operators(&self) -> String {
        self.rules.registry.to_json().to_json()
    }

    // JSON of the amount limits in force.
    pub fn limits(&self) -> String {
        self.rules.limits_json().to_json()
    }

    // JSON of `{ ok: true, value }` or `{ ok: false, errors }` for a `/request` body.
    #[wasm_bindgen(js_name = validateRequest)]
    pub fn validate_request(&self, request_json: &str) -> String {
        parse_input(request_json, "")
            .and_then(|req| validate_request(&req, &self.rules))
            .map_or_else(|errors| errors_json(&errors), |r| r.ok_json())
            .to_json()
    }
}
