//! The JavaScript face of the crates, compiled for wasm only: one module per
//! npm entry, each built into its own wasm by its Cargo feature.
//!
//! Values cross the boundary as JSON text: the package's JS wrapper calls
//! `JSON.stringify` on the way in and `JSON.parse` on the way out. That keeps
//! numbers as the decimal text JavaScript prints (so amounts stay exact without
//! floats in Rust) and keeps a JSON library out of the wasm. Nothing here may
//! panic: a panic would take the module down for the whole page or Worker.

#[cfg(feature = "clients")]
pub mod clients;
pub mod numbers;
#[cfg(feature = "server")]
pub mod server;
pub mod validation;
#[cfg(feature = "worker")]
pub mod worker;

pub use validation::{parse_billers_text, Validator};

use bdpay_api::error::ApiError;
use wasm_bindgen::JsValue;

/// The one error shape every entry throws: the JSON text of an `ApiError`,
/// read by one decoder in the package's `util.js`.
pub(crate) fn api_error_js(e: &ApiError) -> JsValue {
    JsValue::from_str(&e.to_json().to_json())
}

/// An argument's JSON text, as the clients', the proxy's and the server's
/// bindings all read it.
#[cfg(any(feature = "clients", feature = "worker", feature = "server"))]
pub(crate) fn parse_arg(text: &str) -> Result<bdpay_core::json::Value, ApiError> {
    bdpay_api::billpay::parse_input(text)
}

/// The JSON text of an intent's claims, unverified (what a page shows and
/// sends): `{ operation, ref_id, expires, spend, body }`, or nothing.
#[cfg(any(feature = "clients", feature = "server"))]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = readIntent)]
pub fn read_intent(text: &str) -> Option<String> {
    let i = bdpay_api::intent::peek(text, &bdpay_core::rules::Rules::default())?;
    let operation = match i.payment {
        bdpay_api::intent::Payment::Request(_) => "request",
        bdpay_api::intent::Payment::Execute { .. } => "execute",
    };
    Some(
        bdpay_core::json::object([
            ("operation", operation.into()),
            ("ref_id", i.ref_id().into()),
            ("expires", i.expires_s.into()),
            ("spend", i.spend.to_decimal_string().into()),
            ("body", bdpay_api::intent::page_body(&i)),
        ])
        .to_json(),
    )
}
