//! The `bdpay/worker` entry: the Workers proxy's decisions.
use wasm_bindgen::prelude::*;

use std::rc::Rc;

use js_sys::Promise;

use super::{api_error_object, js_value, read_arg};
use crate::transport::FetchTransport;
use bdpay_api::error::{ApiError, Say};
use bdpay_core::json::{self, object, Value};
use std::cell::RefCell;
use wasm_bindgen_futures::future_to_promise;

use js_sys::{Function, Reflect};
use wasm_bindgen_futures::JsFuture;

use bdpay_api::client::Transport;
use bdpay_api::http::HttpResponse;
use bdpay_proxy::{Ceiling, Decision, Forward, Inbound, Period, Proxy, ProxyConfig, Refusal};

fn ceiling_json(c: Ceiling) -> String {
    object([
        ("period", c.period.as_str().into()),
        ("retryAfterMs", c.retry_after_ms.into()),
    ])
    .to_json()
}

/// A ceiling from the `reserve` hook's answer (`{ period, retryAfterMs }`,
/// as an object or its JSON text, as `reserveSpend` gives it); one it does
/// not understand refuses (fails closed) for a minute.
fn ceiling_of(answer: JsValue) -> Ceiling {
    let v = match answer.as_string() {
        Some(text) => json::parse(text.as_bytes()).unwrap_or(Value::Null),
        None => read_arg(answer).unwrap_or(Value::Null),
    };
    let period = match v.get("period").and_then(Value::as_str) {
        Some("hour") => Period::Hour,
        _ => Period::Day,
    };
    let retry_after_ms = v
        .get("retryAfterMs")
        .and_then(Value::as_u64)
        .unwrap_or(60_000);
    Ceiling {
        period,
        retry_after_ms,
    }
}

/// Makes wasm-bindgen's task queue, on which every Promise of this module's
/// runs, now rather than on first use: it is made once, and schedules its
/// work with `queueMicrotask` when the global scope has one when it is made,
/// or else with a resolved Promise's `then`. `worker.js` calls this at
/// start-up with `queueMicrotask` out of sight (see there).
#[wasm_bindgen(js_name = startTasks)]
pub fn start_tasks() {
    wasm_bindgen_futures::spawn_local(async {});
}

/// The Workers proxy's logic; the package's `worker.js` moves the bytes.
#[wasm_bindgen]
pub struct WasmProxy {
    inner: Rc<RefCell<Proxy>>,
}

/// A method of the `hooks` object, if it has one.
fn hook(hooks: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(hooks, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
}

/// Calls a hook and awaits what it returns (a value or a Promise).
async fn call_hook(f: &Function, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    let out = f.call2(&JsValue::NULL, a, b)?;
    JsFuture::from(Promise::resolve(&out)).await
}

#[wasm_bindgen]
impl WasmProxy {
    /// Config as a plain object; a bad config throws an `ApiError` object
    /// (which never holds a secret).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<WasmProxy, JsValue> {
        let config = read_arg(config)
            .and_then(|c| ProxyConfig::from_json(&c))
            .map_err(|e| api_error_object(&ApiError::config(Say::ProxyConfig, e.field_errors)))?;
        Ok(WasmProxy {
            inner: Rc::new(RefCell::new(Proxy::new(config))),
        })
    }

    /// Whether payments can be authorized at all (intent keys or a hook).
    #[wasm_bindgen(js_name = authorizesPayments)]
    pub fn authorizes_payments(&self) -> bool {
        self.inner
            .try_borrow()
            .is_ok_and(|p| p.config().authorizes_payments())
    }

    /// Counts `spend` (decimal text) against this proxy's ceilings now: the
    /// JSON text of `{ period, retryAfterMs }` when a ceiling is reached,
    /// nothing when it fits. A Durable Object holding the merchant's
    /// ceilings answers the Worker's `reserve` hook with this.
    #[wasm_bindgen(js_name = reserveSpend)]
    pub fn reserve_spend(&self, spend: &str) -> Option<String> {
        let Ok(amount) = bdpay_core::money::Amount::parse(spend) else {
            return Some(ceiling_json(Ceiling {
                period: Period::Day,
                retry_after_ms: 60_000,
            }));
        };
        let now = FetchTransport.now_ms();
        let Ok(mut p) = self.inner.try_borrow_mut() else {
            return Some(ceiling_json(Ceiling {
                period: Period::Hour,
                retry_after_ms: 1_000,
            }));
        };
        p.reserve(amount, now).err().map(ceiling_json)
    }

    /// Handles one request: a Promise of the answer as text: the JSON of
    /// `{ status, headers, forwarded }`, a line break, the body. The request's `body` is `undefined`
    /// when the Worker stopped reading it at the size cap. `hooks` may have
    /// `authorize(payment)` (the payment as a plain object; a boolean, or a
    /// Promise of one: `true` allows) and `reserve(spend, origin)` (a refusal
    /// `{ period, retryAfterMs }` or its JSON text, or nothing, or a Promise
    /// of either), which replaces the per-isolate ceilings.
    #[allow(clippy::too_many_arguments)]
    pub fn handle(
        &self,
        method: &str,
        target: &str,
        origin: Option<String>,
        content_type: Option<String>,
        intent: Option<String>,
        body: Option<Vec<u8>>,
        client: &str,
        hooks: JsValue,
    ) -> Promise {
        let inbound = Inbound {
            method: method.to_owned(),
            target: target.to_owned(),
            origin,
            content_type,
            intent,
            body,
            client: client.to_owned(),
        };
        let proxy = self.inner.clone();
        future_to_promise(async move {
            let t = FetchTransport;
            let now = t.now_ms();
            // A summary is checked against its biller's schema: the list first.
            let billers = proxy.try_borrow().ok().and_then(|p| {
                p.billers_request(&inbound.target, now)
                    .map(|r| (r, p.config().upstream_timeout_ms))
            });
            if let Some((req, timeout)) = billers {
                if let Ok(answer) = t.call(req, timeout).await {
                    if let Ok(mut p) = proxy.try_borrow_mut() {
                        p.store_billers(&answer, now);
                    }
                }
            }
            let decision = match proxy.try_borrow_mut() {
                // A fresh `ref_id`, made only for a payment the hook
                // authorizes that came without one.
                Ok(mut p) => p.decide_with(&inbound, now, || {
                    bdpay_api::client::fresh_ref_id("bdp-edge-", now, || t.random_u32())
                }),
                Err(_) => return Err(JsValue::from_str("proxy busy")),
            };
            let (resp, forwarded) = match decision {
                Decision::Respond(r) => (r, false),
                Decision::Forward(fwd) => forward(&proxy, *fwd, &hooks, now).await?,
            };
            Ok(JsValue::from_str(&answer_text(&resp, forwarded)))
        })
    }
}

/// An answer as one string across: the JSON text of `{ status, headers,
/// forwarded }`, a line break (never in JSON text), then the body as it is
/// (`worker.js` splits them). Not a JS object built key by key (each key
/// and value a crossing), and the body is not escaped into JSON and parsed
/// back.
fn answer_text(r: &HttpResponse, forwarded: bool) -> String {
    let head = object([
        ("status", u64::from(r.status).into()),
        (
            "headers",
            Value::Object(
                r.headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            ),
        ),
        ("forwarded", forwarded.into()),
    ])
    .to_json();
    [head.as_str(), "\n", &String::from_utf8_lossy(&r.body)].concat()
}

/// The last steps of a checked request: the hook, the ceilings, the upstream.
async fn forward(
    proxy: &Rc<RefCell<Proxy>>,
    fwd: Forward,
    hooks: &JsValue,
    now: u64,
) -> Result<(HttpResponse, bool), JsValue> {
    let origin = fwd.context.origin.clone();
    let busy = || JsValue::from_str("proxy busy");
    if let Some(payment) = &fwd.ask_hook {
        let allowed = match hook(hooks, "authorize") {
            Some(f) => {
                let verdict = call_hook(&f, &js_value(payment), &JsValue::NULL).await;
                verdict.is_ok_and(|v| v.as_bool() == Some(true))
            }
            None => false,
        };
        if !allowed {
            return Ok((Proxy::refuse(Refusal::Denied, origin.as_deref()), false));
        }
    }
    if let Some(spend) = fwd.spend {
        let reached = match hook(hooks, "reserve") {
            Some(f) => {
                let spend = JsValue::from_str(&spend.to_decimal_string());
                match call_hook(&f, &spend, &JsValue::NULL).await {
                    Ok(v) if v.is_null() || v.is_undefined() => None,
                    Ok(v) => Some(ceiling_of(v)),
                    Err(e) => return Err(e),
                }
            }
            None => proxy
                .try_borrow_mut()
                .map_err(|_| busy())?
                .reserve(spend, now)
                .err(),
        };
        if let Some(c) = reached {
            return Ok((Proxy::ceiling_reached(c, origin.as_deref()), false));
        }
    }
    let timeout = proxy
        .try_borrow()
        .map(|p| p.config().upstream_timeout_ms)
        .unwrap_or(25_000);
    let answer = FetchTransport.call(fwd.upstream, timeout).await;
    let p = proxy.try_borrow().map_err(|_| busy())?;
    let r = match answer {
        Ok(up) => p.finish(&up, &fwd.context),
        Err(e) => p.upstream_failed(&e, origin.as_deref()),
    };
    Ok((r, true))
}
