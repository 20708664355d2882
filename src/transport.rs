//! The one module that touches the network: a [`Transport`] over the global
//! `fetch`, so it runs in browsers, Node ≥ 20 and Cloudflare Workers alike
//! (no `window` assumed). The request is built with `gloo-net`'s
//! `RequestBuilder` (method, headers, body, `redirect: "manual"`, the abort
//! signal) and its answer read through `gloo-net`'s `Response`; the global
//! `fetch` itself is called here, through a binding that catches what it
//! throws, because `gloo-net`'s `send` panics when `fetch` resolves with
//! anything but a `Response` or rejects with anything but an `Error` (a
//! polyfill or a wrapper can do either), and does not catch a synchronous
//! throw. Each call has its own timeout: a `setTimeout` that aborts the
//! request's `AbortController`. Every JS call that can throw is caught: an
//! exception unwinding through wasm would leave the module's state
//! half-changed. Timers, the clock and the randomness (`setTimeout`,
//! `Date.now`, `crypto.getRandomValues`) are bound here too: `gloo-net` has none.
//!
//! It never follows a redirect (the body, and the token, would go where the
//! answer says) and never reads more than [`MAX_BODY_BYTES`] of an answer:
//! `gloo-net` reads a body only whole, so the raw `web_sys::Response`'s stream
//! is read here, chunk by chunk.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Response;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, ReadableStreamReadResult, RequestRedirect,
    ResponseType,
};

use bdpay_api::client::{Transport, TransportError, Unread};
use bdpay_api::http::{HttpRequest, HttpResponse};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// The most of an answer's body that is read. The APIs' answers are a few
/// kilobytes (a packages list some tens); a longer body is none of them, and
/// reading it whole would let a broken or hostile upstream fill the memory
/// of a page, or of a Worker (128 MB for every request it serves).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

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

/// The text of an error of `gloo-net`'s: the JS error's message, as
/// [`js_message`] gives it.
fn gloo_message(e: gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(e) => e.message,
        e => e.to_string(),
    }
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
        let headers = web_sys::Headers::new().map_err(net)?;
        for (k, v) in &req.headers {
            headers.append(k, v).map_err(net)?;
        }
        if let Some(token) = &req.token {
            headers
                .append("authorization", &token.header_value())
                .map_err(|_| TransportError::Network("invalid token".to_owned()))?;
        }
        let controller = AbortController::new().map_err(net)?;
        let prepared = prepare(&req, headers, &controller.signal())?;
        // Ends the download of an answer that will not be read.
        let stop = controller.clone();
        let timed_out = Rc::new(Cell::new(false));
        let fired = timed_out.clone();
        // Dropped below, once the timer can no longer fire: a closure left
        // to `once_into_js` and never called (the answer came in time, as
        // nearly every one does) would keep its AbortController for good,
        // one per call (10,000 of them after 10,000 calls).
        let abort = Closure::once(move || {
            fired.set(true);
            controller.abort();
        });
        let timer = set_timeout(abort.as_ref(), ms_i32(timeout_ms)).map_err(net)?;

        let result = async {
            let sent = global_fetch(&prepared)?;
            let resp = Response::from(
                JsFuture::from(sent)
                    .await?
                    .dyn_into::<web_sys::Response>()?,
            );
            let status = resp.status();
            if is_redirect(&resp) {
                stop.abort();
                return Ok(Err(TransportError::Unreadable {
                    status,
                    why: Unread::Redirect,
                }));
            }
            // The raw answer from here: `gloo-net`'s `Headers::get` throws
            // where `web_sys`'s gives an error, and its body readers have no cap.
            let resp = web_sys::Response::from(resp);
            let mut headers = Vec::new();
            for name in ["retry-after", "content-type"] {
                if let Ok(Some(v)) = resp.headers().get(name) {
                    headers.push((name.to_owned(), v));
                }
            }
            let Some(body) = read_body(&resp, MAX_BODY_BYTES).await? else {
                stop.abort();
                return Ok(Err(TransportError::Unreadable {
                    status,
                    why: Unread::TooLarge,
                }));
            };
            Ok::<_, JsValue>(Ok(HttpResponse {
                status,
                headers,
                body,
            }))
        }
        .await;
        let _ = clear_timeout(&timer);
        drop(abort);
        result.unwrap_or_else(|e| {
            Err(if timed_out.get() {
                TransportError::Timeout
            } else {
                net(e)
            })
        })
    }
}

/// The request to send: built with `gloo-net`'s `RequestBuilder` (method,
/// the headers, each append checked, the body, `redirect: "manual"`, the
/// abort signal).
fn prepare(
    req: &HttpRequest,
    headers: web_sys::Headers,
    signal: &web_sys::AbortSignal,
) -> Result<web_sys::Request, TransportError> {
    use gloo_net::http::{Headers, Method, RequestBuilder};
    let method = match req.method {
        bdpay_api::http::Method::Get => Method::GET,
        bdpay_api::http::Method::Post => Method::POST,
    };
    let builder = RequestBuilder::new(&req.url)
        .method(method)
        // The headers above, each append checked: `gloo-net`'s own
        // `Headers::append` throws on a value `fetch` refuses.
        .headers(Headers::from_raw(headers))
        // A 3xx comes back as it is (an "opaqueredirect" in browsers)
        // instead of sending the body, and with a same-origin target the
        // token, to its `Location`. Not "error": Workers refuse it.
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(signal));
    match &req.body {
        Some(body) => builder.body(JsValue::from_str(body)),
        None => builder.build(),
    }
    .map(web_sys::Request::from)
    .map_err(|e| TransportError::Network(gloo_message(e)))
}

/// A 3xx, or what a browser gives for one under `redirect: "manual"`: an
/// "opaqueredirect" answer with status 0 and nothing readable.
fn is_redirect(resp: &Response) -> bool {
    let status = resp.status();
    (300..400).contains(&status) || status == 0 || resp.type_() == ResponseType::Opaqueredirect
}

/// The body, read chunk by chunk up to `cap` bytes; `None` past the cap
/// (declared in `Content-Length` or counted), when the caller stops the download.
async fn read_body(resp: &web_sys::Response, cap: usize) -> Result<Option<Vec<u8>>, JsValue> {
    let declared = resp
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Ok(None);
    }
    let Some(stream) = resp.body() else {
        return Ok(Some(Vec::new()));
    };
    let reader = ReadableStreamDefaultReader::new(&stream)?;
    let mut body = Vec::new();
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read()).await?.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(Some(body));
        }
        let bytes: Uint8Array = chunk.get_value().dyn_into()?;
        if body.len().saturating_add(bytes.length() as usize) > cap {
            return Ok(None);
        }
        body.extend(bytes.to_vec());
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
