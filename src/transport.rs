//! The clients' [`Transport`]: each request goes out through the package's
//! one `send` (pkg-template/send.js), the JS function a client is handed
//! when it is made. The rules of the wire (no redirect followed, the 1 MiB
//! cap on an answer, the timeout, the download stopped when an answer is not
//! read) live there, once, for the clients and the Worker alike; this module
//! only turns a request into `send`'s argument and its result into an
//! [`HttpResponse`] or a [`TransportError`], both as typed values through
//! serde-wasm-bindgen. A JS call that throws is caught: an exception
//! unwinding through wasm would leave the module's state half-changed.

use js_sys::{Function, Promise};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::clock::JsClock;
use bdpay_api::client::{Clock, Random, Transport, TransportError, Unread};
use bdpay_api::http::{HttpRequest, HttpResponse};

/// `send`'s argument: what `fetch` is given.
#[derive(Serialize)]
struct Outgoing<'a> {
    method: &'a str,
    url: &'a str,
    /// `[name, value]` pairs, `Authorization` among them when there is a token.
    headers: Vec<(&'a str, &'a str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
}

/// `send`'s result: an answer read, or why none was.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sent {
    /// send.js's `FAILED`; none when the answer was read.
    failed: Option<u8>,
    #[serde(default)]
    status: u16,
    content_type: Option<String>,
    retry_after: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    message: String,
}

/// Why `send` read no answer (its `FAILED`: 0 timed out, 1 not reached, 2 a
/// redirect, 3 a body past the cap), with the status of the answer not read
/// and the runtime's words.
pub fn failure(why: u8, status: u16, message: String) -> TransportError {
    match why {
        0 => TransportError::Timeout,
        1 => TransportError::Network(message),
        2 => TransportError::Unreadable {
            status,
            why: Unread::Redirect,
        },
        _ => TransportError::Unreadable {
            status,
            why: Unread::TooLarge,
        },
    }
}

/// The package's `send`, with the page's clock and randomness.
#[derive(Clone, Debug)]
pub struct JsTransport {
    send: Function,
}

impl JsTransport {
    /// Over `send`, which must be a function.
    pub fn new(send: JsValue) -> Option<JsTransport> {
        send.dyn_into::<Function>()
            .ok()
            .map(|send| JsTransport { send })
    }

    async fn send(&self, req: &HttpRequest, timeout_ms: u64) -> Result<Sent, JsValue> {
        let authorization = req.token.as_ref().map(|t| t.header_value());
        let mut headers: Vec<(&str, &str)> = req
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(value) = &authorization {
            headers.push(("authorization", value));
        }
        let outgoing = Outgoing {
            method: req.method.as_str(),
            url: &req.url,
            headers,
            body: req.body.as_deref(),
        };
        let arg = serde_wasm_bindgen::to_value(&outgoing)?;
        let pending =
            self.send
                .call2(&JsValue::NULL, &arg, &JsValue::from_f64(timeout_ms as f64))?;
        let sent = JsFuture::from(pending.dyn_into::<Promise>()?).await?;
        Ok(serde_wasm_bindgen::from_value(sent)?)
    }
}

impl Transport for JsTransport {
    async fn call(
        &self,
        req: HttpRequest,
        timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        // `send` never throws; one that does (or a bad result) is a call that
        // did not get through.
        let sent = self
            .send(&req, timeout_ms)
            .await
            .map_err(|_| TransportError::Network("send failed".to_owned()))?;
        if let Some(why) = sent.failed {
            return Err(failure(why, sent.status, sent.message));
        }
        let headers = [
            ("retry-after", sent.retry_after),
            ("content-type", sent.content_type),
        ]
        .into_iter()
        .filter_map(|(name, v)| Some((name.to_owned(), v?)))
        .collect();
        Ok(HttpResponse {
            status: sent.status,
            headers,
            body: sent.text.into_bytes(),
        })
    }
}

impl Clock for JsTransport {
    fn now_ms(&self) -> u64 {
        JsClock.now_ms()
    }

    async fn sleep(&self, ms: u64) {
        JsClock.sleep(ms).await
    }
}

impl Random for JsTransport {
    fn random_u32(&self) -> u32 {
        JsClock.random_u32()
    }
}
