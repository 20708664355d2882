//! The JavaScript face of the crates, compiled for wasm only: one module per
//! npm entry, each built into its own wasm by its Cargo feature.
//!
//! Two boundaries, one per kind of entry (bench-results/README.md, "The JS boundary"):
//! - `bdpay/clients` (`bdpay/gateway` its gateway client alone, `bdpay/bulk` the clients with bulk jobs) and `bdpay/worker` take JS values and answer plain JS
//!   objects through serde-wasm-bindgen (`read_arg`, `js_value`), and throw
//!   or reject with an `ApiError` as a plain object. Numbers come in as the
//!   text JavaScript prints for them (`bdpay_core::json::serde_impl`), so
//!   amounts stay exact. The package's JS first copies each argument into
//!   plain data (`plain` in util.js), so reading it in wasm can never run a
//!   getter or a Proxy trap that throws through the wasm frames.
//! - `bdpay` (validation) and `bdpay/server` keep serde out of their wasm
//!   (the smaller). The `Validator`, in every entry, takes its text as
//!   UTF-16 code units the package's JS writes into its buffer (a number,
//!   or a request or config as tagged units, `bdpay_core::json::units`), so
//!   the validation wasm has neither a JSON reader nor wasm-bindgen's string
//!   glue; it answers JSON text for `JSON.parse`, and a refused config as
//!   the JSON text of an `ApiError`. The server's bindings take and throw
//!   JSON text.
//!
//! Nothing here may panic: a panic would take the module down for the whole
//! page or Worker.

#[cfg(feature = "billers")]
pub mod billers;
#[cfg(feature = "clients")]
pub mod billpay;
#[cfg(feature = "bulk")]
pub mod bulk;
#[cfg(feature = "gateway")]
pub mod clients;
pub mod numbers;
#[cfg(feature = "server")]
pub mod server;
pub mod validation;
#[cfg(feature = "worker")]
pub mod worker;

#[cfg(feature = "billers")]
pub use billers::parse_billers_text;
pub use validation::Validator;

#[cfg(any(feature = "gateway", feature = "worker", feature = "server"))]
use bdpay_api::error::ApiError;
#[cfg(any(feature = "gateway", feature = "worker", feature = "server"))]
use wasm_bindgen::JsValue;

/// The error `bdpay/server` throws: the JSON text of an `ApiError`, whatever
/// else the build holds (the `Validator` answers the same text from `error()`
/// instead of throwing it). `thrownError` in `util.js` reads it, and the
/// object `api_error_object` makes.
#[cfg(feature = "server")]
pub(crate) fn api_error_js(e: &ApiError) -> JsValue {
    JsValue::from_str(&e.to_json().to_json())
}

/// The error `bdpay/clients` and `bdpay/worker` throw or reject with: an
/// `ApiError` as a plain JS object with the same fields as its JSON.
#[cfg(any(feature = "gateway", feature = "worker"))]
pub(crate) fn api_error_object(e: &ApiError) -> JsValue {
    js_value(&e.to_json())
}

/// A `Value` as a plain JS value (objects as plain objects, numbers as JS
/// numbers, read by JavaScript's `parseFloat` as `JSON.parse` would) through
/// serde-wasm-bindgen; its JSON text if that ever failed.
#[cfg(any(feature = "gateway", feature = "worker"))]
pub(crate) fn js_value(v: &bdpay_core::json::Value) -> JsValue {
    use serde::Serialize;
    let numbers = bdpay_core::json::WithNumbers {
        value: v,
        number: |text| Some(js_sys::Number::parse_float(text)).filter(|n| !n.is_nan()),
    };
    numbers
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|_| JsValue::from_str(&v.to_json()))
}

/// A JS argument read by serde-wasm-bindgen, within the JSON reader's bounds
/// (depth, size). What it cannot hold (a BigInt, a function, a symbol, a
/// cycle) is the same `invalid` error as unreadable JSON text.
#[cfg(any(feature = "gateway", feature = "worker"))]
pub(crate) fn read_arg(v: JsValue) -> Result<bdpay_core::json::Value, ApiError> {
    // A number's text as JavaScript prints it (`String(n)`, what
    // `JSON.stringify` wrote), which keeps Rust's float formatting out.
    let number = |n: f64| {
        if !n.is_finite() {
            return None;
        }
        let text = js_sys::Number::from(n).to_string_with_radix(10).ok()?;
        Some(String::from(text))
    };
    bdpay_core::json::from_deserializer_with(serde_wasm_bindgen::Deserializer::from(v), number)
        .map_err(|e| ApiError::invalid(vec![bdpay_core::messages::unreadable("", e)]))
}

/// An argument's JSON text, as the server's bindings read it.
#[cfg(feature = "server")]
pub(crate) fn parse_arg(text: &str) -> Result<bdpay_core::json::Value, ApiError> {
    bdpay_api::billpay::parse_input(text)
}

/// The JSON text of an intent's claims, unverified (what a page shows and
/// sends): `{ operation, ref_id, expires, spend, body }`, or nothing.
#[cfg(any(feature = "gateway", feature = "server"))]
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
