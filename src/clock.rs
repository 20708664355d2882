//! The clock, the timer and the randomness of whatever global scope the
//! module runs in (`Date.now`, `setTimeout`, `crypto.getRandomValues`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use bdpay_api::client::{Clock, Random};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// Whole milliseconds of a time JS gave as a number (`Date.now()`, an
/// argument); `None` for one that is not finite or not past the epoch.
pub fn whole_ms(ms: f64) -> Option<u64> {
    (ms.is_finite() && ms > 0.0).then_some(ms as u64)
}

/// The global scope's clock and randomness.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> u64 {
        whole_ms(js_sys::Date::now()).unwrap_or(0)
    }

    async fn sleep(&self, ms: u64) {
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let promise = Promise::new(&mut |resolve, _reject| {
            if set_timeout(&resolve, ms).is_err() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        });
        let _ = JsFuture::from(promise).await;
    }
}

impl Random for JsClock {
    fn random_u32(&self) -> u32 {
        let mut buf = [0u8; 4];
        if get_random_values(&mut buf).is_ok() {
            u32::from_le_bytes(buf)
        } else {
            (js_sys::Math::random() * 4_294_967_295.0) as u32
        }
    }
}
