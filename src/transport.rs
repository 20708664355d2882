//! The one module that touches the network: a [`Transport`] over the global
//! `fetch`, so it runs in browsers, Node ≥ 20 and Cloudflare Workers alike
//! (no `window` assumed). Each call has its own timeout via `AbortController`.
//! Every JS call that can throw is caught: an exception unwinding through
//! wasm would leave the module's state half-changed.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

use crate::client::{Transport, TransportError};
use crate::http::{HttpRequest, HttpResponse};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// `fetch`, `setTimeout`, `Date.now` and `crypto.getRandomValues` of whatever
/// global scope the module runs in.
#[derive(Clone, Copy, Debug, Default)]
pub struct FetchTransport;

fn js_message(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let cause = js_sys::Reflect::get(err, &JsValue::from_str("cause"))
            .ok()
            .and_then(|c| {
                c.dyn_ref::<js_sys::Error>()
                    .map(|c| String::from(c.message()))
            });
        let msg = String::from(err.message());
        return match cause {
            Some(c) if !c.is_empty() => [msg.as_str(), " (", &c, ")"].concat(),
            _ => msg,
        };
    }
    e.as_string().unwrap_or_else(|| "unknown error".to_owned())
}

fn ms_i32(ms: u64) -> i32 {
    i32::try_from(ms).unwrap_or(i32::MAX)
}

impl FetchTransport {
    async fn fetch(
        &self,
        req: HttpRequest,
        timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        let net = |e: JsValue| TransportError::Network(js_message(&e));
        let headers = Headers::new().map_err(net)?;
        for (k, v) in &req.headers {
            headers.append(k, v).map_err(net)?;
        }
        if let Some(token) = &req.token {
            headers
                .append("authorization", &token.header_value())
                .map_err(|_| TransportError::Network("invalid token".to_owned()))?;
        }
        let init = RequestInit::new();
        init.set_method(req.method.as_str());
        init.set_headers(&headers);
        if let Some(body) = &req.body {
            init.set_body(&JsValue::from_str(body));
        }
        let controller = AbortController::new().map_err(net)?;
        init.set_signal(Some(&controller.signal()));
        let timed_out = Rc::new(Cell::new(false));
        let fired = timed_out.clone();
        let abort = Closure::once_into_js(move || {
            fired.set(true);
            controller.abort();
        });
        let timer = set_timeout(&abort, ms_i32(timeout_ms)).map_err(net)?;

        let result = async {
            let resp: Response = JsFuture::from(global_fetch(&req.url, &init)?)
                .await?
                .dyn_into()?;
            let mut headers = Vec::new();
            for name in ["retry-after", "content-type"] {
                if let Ok(Some(v)) = resp.headers().get(name) {
                    headers.push((name.to_owned(), v));
                }
            }
            let buf = JsFuture::from(resp.array_buffer()?).await?;
            Ok::<_, JsValue>(HttpResponse {
                status: resp.status(),
                headers,
                body: Uint8Array::new(&buf).to_vec(),
            })
        }
        .await;
        let _ = clear_timeout(&timer);
        result.map_err(|e| {
            if timed_out.get() {
                TransportError::Timeout
            } else {
                net(e)
            }
        })
    }
}

impl Transport for FetchTransport {
    async fn call(
        &self,
        req: HttpRequest,
        timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        self.fetch(req, timeout_ms).await
    }

    async fn sleep(&self, ms: u64) {
        let promise = Promise::new(&mut |resolve, _reject| {
            if set_timeout(&resolve, ms_i32(ms)).is_err() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    fn now_ms(&self) -> u64 {
        let now = js_sys::Date::now();
        if now.is_finite() && now > 0.0 {
            now as u64
        } else {
            0
        }
    }

    fn random_u32(&self) -> u32 {
        let mut buf = [0u8; 4];
        if get_random_values(&mut buf).is_ok() {
            u32::from_le_bytes(buf)
        } else {
            (js_sys::Math::random() * 4_294_967_295.0) as u32
        }
    }
}
