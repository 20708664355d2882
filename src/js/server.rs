//! The `bdpay/server` entry: payment intents, signed on the merchant's server.
use wasm_bindgen::prelude::*;

use super::{api_error_js, parse_arg};
use crate::clock::{whole_ms, JsClock};
use bdpay_api::client::{Clock, Random};
use bdpay_api::error::ApiError;
use bdpay_api::intent::{self, IntentKey};
use bdpay_core::rules::Rules;

fn intent_key(secret: &str) -> Result<IntentKey, JsValue> {
    IntentKey::new(secret).map_err(|e| api_error_js(&ApiError::invalid(vec![e])))
}

/// Signs a gateway payment (`/request` body + `expiresIn?`, `price` for
/// data and drive) with the merchant's key at `now_ms`: the intent's text.
/// Throws the JSON text of an `ApiError` with every refused field.
#[wasm_bindgen(js_name = createIntent)]
pub fn create_intent(payment_json: &str, secret: &str, now_ms: f64) -> Result<String, JsValue> {
    let key = intent_key(secret)?;
    let input = parse_arg(payment_json).map_err(|e| api_error_js(&e))?;
    let t = JsClock;
    let now = whole_ms(now_ms).unwrap_or_else(|| t.now_ms());
    let ref_id = bdpay_api::client::fresh_ref_id("bdp-", now, || t.random_u32());
    intent::create_request(&input, &key, now / 1000, &ref_id, &Rules::default())
        .map_err(|e| api_error_js(&e))
}

/// Signs a wallet `execute`: `{ request_id, total, expiresIn? }`.
#[wasm_bindgen(js_name = createExecuteIntent)]
pub fn create_execute_intent(
    input_json: &str,
    secret: &str,
    now_ms: f64,
) -> Result<String, JsValue> {
    let key = intent_key(secret)?;
    let input = parse_arg(input_json).map_err(|e| api_error_js(&e))?;
    let now = whole_ms(now_ms).unwrap_or_else(|| JsClock.now_ms());
    intent::create_execute(&input, &key, now / 1000).map_err(|e| api_error_js(&e))
}

/// The key id of a secret (for logs and rotation), or nothing for a bad one.
#[wasm_bindgen(js_name = intentKeyId)]
pub fn intent_key_id(secret: &str) -> Option<String> {
    IntentKey::new(secret).ok().map(|k| k.id().to_owned())
}
