//! The wallet's biller schemas, for the entries that hold them
//! (`bdpay/billers`, `bdpay/clients`, `bdpay/bulk`): reading a billers
//! answer and checking a person's form against one biller. A page that only
//! sells recharge imports `bdpay` and downloads none of this (about a quarter
//! of the validation wasm's code, serde derive for the schemas included).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

use super::validation::Validator;
use bdpay_core::billers::{
    params_json, parse_biller, parse_billers, validate_biller_form, ShapeError,
};
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{errors_json, Code, FieldError};

fn parse_input(text: &str, field: &str) -> Result<Value, Vec<FieldError>> {
    json::parse_str(text).map_err(|e| vec![bdpay_core::messages::unreadable(field, e)])
}

fn shape_error_json(e: &ShapeError) -> Value {
    object([
        ("ok", false.into()),
        (
            "error",
            object([
                ("path", e.path.as_str().into()),
                ("expected", e.expected.as_str().into()),
            ]),
        ),
    ])
}

#[wasm_bindgen]
impl Validator {
    // JSON of `{ ok: true, value: params }` or `{ ok: false, errors }` for one biller's form.
    #[wasm_bindgen(js_name = validateBillerForm)]
    pub fn validate_biller_form(&self, biller_json: &str, values_json: &str) -> String {
        let biller = match json::parse(biller_json.as_bytes()).map(|b| parse_biller(&b)) {
            Ok(Ok(b)) => b,
            _ => return errors_json(&[FieldError::new("biller", Code::NotAnObject)]).to_json(),
        };
        parse_input(values_json, "")
            .and_then(|values| validate_biller_form(&biller, &values, &self.rules.registry))
            .map_or_else(
                |errors| errors_json(&errors),
                |params| object([("ok", true.into()), ("value", params_json(&params))]),
            )
            .to_json()
    }
}

// JSON of `{ ok: true, value: types }` or `{ ok: false, error: { path, expected } }`
// for the text of a billers response.
#[wasm_bindgen(js_name = parseBillers)]
pub fn parse_billers_text(body: &str) -> String {
    let parsed = match json::parse(body.as_bytes()) {
        Ok(v) => v,
        Err(e) => return shape_error_json(&ShapeError::new("", e.code())).to_json(),
    };
    match parse_billers(&parsed) {
        Ok(types) => object([
            ("ok", true.into()),
            (
                "value",
                Value::Array(types.iter().map(|t| t.to_json()).collect()),
            ),
        ]),
        Err(e) => shape_error_json(&e),
    }
    .to_json()
}
