//! The `bdpay/worker` entry: the Workers proxy's decisions.
//!
//! Every call here is synchronous: `worker.js` sends the upstream request
//! itself with the runtime's `fetch`, and awaits the hooks, between calls.
//! A request is one `decide`, then, when it goes upstream, one `finish` (or
//! `failed`) with the answer; the forward's context stays here, under a
//! number, in between. No Promise of the wasm's, so no task queue of
//! wasm-bindgen's and no closure per request.
use wasm_bindgen::prelude::*;

use std::cell::RefCell;

use super::{api_error_object, read_arg};
use crate::clock::{whole_ms, JsClock};
use bdpay_api::client::{Clock, Random};
use bdpay_api::error::{ApiError, Say};
use bdpay_api::http::{HttpRequest, HttpResponse};
use bdpay_core::json::{self, object, Value};
use bdpay_core::money::Amount;
use bdpay_proxy::{
    Ceiling, Context, Decision, Forward, InFlight, Inbound, Operation, Period, Proxy, ProxyConfig,
    Refusal,
};

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

/// A forward between `decide` and the upstream's answer.
struct Waiting {
    context: Context,
    /// What the payment spends, and whether and where it was counted.
    spend: Option<Spend>,
}

/// A payment's spend against the ceilings: counted where, or still to be
/// counted. A counted one is given back when the upstream refuses the
/// payment before committing it.
#[derive(Clone, Copy)]
enum Spend {
    /// Not counted yet (the hook is asked first).
    Later(Amount),
    /// On this proxy's own ceilings.
    Here(Amount),
    /// On the `reserve` hook's (a Durable Object's), given back by `release`.
    Hook(Amount),
}

/// The Workers proxy's logic; the package's `worker.js` moves the bytes.
#[wasm_bindgen]
pub struct WasmProxy {
    inner: RefCell<Proxy>,
    waiting: RefCell<InFlight<Waiting>>,
}

fn busy() -> JsValue {
    JsValue::from_str("proxy busy")
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
            inner: RefCell::new(Proxy::new(config)),
            waiting: RefCell::new(InFlight::default()),
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
        let Ok(amount) = Amount::parse(spend) else {
            return Some(ceiling_json(Ceiling {
                period: Period::Day,
                retry_after_ms: 60_000,
            }));
        };
        let now = JsClock.now_ms();
        let Ok(mut p) = self.inner.try_borrow_mut() else {
            return Some(ceiling_json(Ceiling {
                period: Period::Hour,
                retry_after_ms: 1_000,
            }));
        };
        p.reserve(amount, now).err().map(ceiling_json)
    }

    /// Counts `spend` (decimal text), reserved at `at_ms` in an earlier life
    /// of these ceilings: the Durable Object's stored spends, oldest first.
    #[wasm_bindgen(js_name = seedSpend)]
    pub fn seed_spend(&self, spend: &str, at_ms: f64) {
        let at = whole_ms(at_ms).unwrap_or(0);
        if let (Ok(amount), Ok(mut p)) = (Amount::parse(spend), self.inner.try_borrow_mut()) {
            p.seed(amount, at);
        }
    }

    /// Gives back a reservation of `spend` (decimal text) on this proxy's
    /// ceilings: the upstream refused that payment before committing it. A
    /// Durable Object holding the merchant's ceilings answers the Worker's
    /// `release` hook with this.
    #[wasm_bindgen(js_name = releaseSpend)]
    pub fn release_spend(&self, spend: &str) {
        if let (Ok(amount), Ok(mut p)) = (Amount::parse(spend), self.inner.try_borrow_mut()) {
            p.release(amount);
        }
    }

    /// Decides one request, as text: a JSON head, a line break (never in
    /// JSON text), then a body. The head is one of
    /// - `{ status, headers, forwarded: false }`: the answer to give, the
    ///   body after the line break;
    /// - `{ send, timeoutMs, billers: true }`: the wallet's biller list is to
    ///   be read first (`send`: `{ method, url, headers, body? }`, the body
    ///   after the line break when `body` is `true`), handed to
    ///   `storeBillers`, and the request decided again with `billersRead`;
    /// - `{ send, timeoutMs, forward, authorize?, reserve? }`: the request
    ///   to send upstream, its answer to `finish(forward, …)` (or `failed`)
    ///   once `authorize` (the payment, for the `authorize` hook: only `true`
    ///   allows; else `refused(forward)`) and `reserve` (the spend, for the
    ///   `reserve` hook, or `reserveHere` when there is none) let it pass.
    ///
    /// `send.headers` holds the token: `worker.js` gives it to `fetch` and
    /// to nothing else. The request's `body` is `undefined` when the Worker
    /// stopped reading it at the size cap. `reserveHere`: there is no
    /// `reserve` hook, so a payment that needs no `authorize` is counted
    /// against this proxy's own ceilings here and now.
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &self,
        method: &str,
        target: &str,
        origin: Option<String>,
        content_type: Option<String>,
        intent: Option<String>,
        body: Option<Vec<u8>>,
        client: &str,
        billers_read: bool,
        reserve_here: bool,
    ) -> Result<String, JsValue> {
        let t = JsClock;
        let now = t.now_ms();
        let mut p = self.inner.try_borrow_mut().map_err(|_| busy())?;
        let timeout = p.config().upstream_timeout_ms;
        if !billers_read {
            // A summary is checked against its biller's schema: the list first.
            if let Some(req) = p.billers_request(target, now) {
                return Ok(send_text(&req, timeout, &[("billers", true.into())]));
            }
        }
        let inbound = Inbound {
            method: method.to_owned(),
            target: target.to_owned(),
            origin,
            content_type,
            intent,
            body,
            client: client.to_owned(),
        };
        // A fresh `ref_id`, made only for a payment the hook authorizes that
        // came without one.
        let decision = p.decide_with(&inbound, now, || {
            bdpay_api::client::fresh_ref_id("bdp-edge-", now, || t.random_u32())
        });
        let Forward {
            upstream,
            context,
            spend,
            ask_hook,
        } = match decision {
            Decision::Respond(r) => return Ok(answer_text(&r, false, false)),
            Decision::Forward(fwd) => *fwd,
        };
        if context.op == Some(Operation::Status) {
            // Not "not found" while this proxy is still sending that payment:
            // it may yet land.
            let waiting = self.waiting.try_borrow().map_err(|_| busy())?;
            if waiting.any(|w| context.asks_after(&w.context)) {
                let r = Proxy::in_flight(context.origin.as_deref());
                return Ok(answer_text(&r, false, false));
            }
        }
        let spend = match spend {
            // Nothing to wait for before counting it: counted now.
            Some(amount) if reserve_here && ask_hook.is_none() => {
                if let Err(c) = p.reserve(amount, now) {
                    let r = Proxy::ceiling_reached(c, context.origin.as_deref());
                    return Ok(answer_text(&r, false, false));
                }
                Some(Spend::Here(amount))
            }
            spend => spend.map(Spend::Later),
        };
        let mut waiting = self.waiting.try_borrow_mut().map_err(|_| busy())?;
        let later = match spend {
            Some(Spend::Later(amount)) => Some(amount.to_decimal_string()),
            _ => None,
        };
        let origin = context.origin.clone();
        let Some(id) = waiting.hold(Waiting { context, spend }) else {
            // Nothing is sent: what was counted is given back.
            if let Some(Spend::Here(amount)) = spend {
                p.release(amount);
            }
            return Ok(answer_text(&Proxy::busy(origin.as_deref()), false, false));
        };
        let mut extra = vec![("forward", Value::from(u64::from(id)))];
        if let Some(payment) = ask_hook {
            extra.push(("authorize", payment));
        }
        if let Some(spend) = later {
            extra.push(("reserve", spend.into()));
        }
        Ok(send_text(&upstream, timeout, &extra))
    }

    /// Keeps the wallet's biller list from its answer (`status`, its
    /// `Content-Type`, the body); an unreadable answer keeps the copy held.
    #[wasm_bindgen(js_name = storeBillers)]
    pub fn store_billers(&self, status: u16, content_type: Option<String>, body: &str) {
        let answer = upstream_answer(status, content_type, None, body);
        if let Ok(mut p) = self.inner.try_borrow_mut() {
            p.store_billers(&answer, JsClock.now_ms());
        }
    }

    /// The `authorize` hook did not allow forward `id`: the answer to give
    /// (as `decide`'s); nothing is sent.
    pub fn refused(&self, id: u32) -> Result<String, JsValue> {
        let w = self.take(id)?;
        let r = Proxy::refuse(Refusal::Denied, w.context.origin.as_deref());
        Ok(answer_text(&r, false, false))
    }

    /// Counts forward `id`'s spend against this proxy's own ceilings (there
    /// is no `reserve` hook): the answer to give when a ceiling is reached
    /// (the forward is then dropped), nothing when it fits.
    #[wasm_bindgen(js_name = reserveHere)]
    pub fn reserve_here(&self, id: u32) -> Result<Option<String>, JsValue> {
        let now = JsClock.now_ms();
        let mut waiting = self.waiting.try_borrow_mut().map_err(|_| busy())?;
        let Some(w) = waiting.get_mut(id) else {
            return Err(busy());
        };
        let Some(Spend::Later(amount)) = w.spend else {
            return Ok(None);
        };
        let reached = self
            .inner
            .try_borrow_mut()
            .map_err(|_| busy())?
            .reserve(amount, now)
            .err();
        if reached.is_none() {
            w.spend = Some(Spend::Here(amount));
        }
        Ok(reached.map(|c| {
            let origin = waiting.take(id).and_then(|w| w.context.origin);
            answer_text(&Proxy::ceiling_reached(c, origin.as_deref()), false, false)
        }))
    }

    /// The `reserve` hook's answer for forward `id` (`null`/`undefined`: it
    /// fits): the answer to give when a ceiling is reached (the forward is
    /// then dropped), nothing when it fits.
    pub fn reserved(&self, id: u32, answer: JsValue) -> Result<Option<String>, JsValue> {
        if answer.is_null() || answer.is_undefined() {
            let mut waiting = self.waiting.try_borrow_mut().map_err(|_| busy())?;
            let w = waiting.get_mut(id).ok_or_else(busy)?;
            if let Some(Spend::Later(amount)) = w.spend {
                w.spend = Some(Spend::Hook(amount));
            }
            return Ok(None);
        }
        let c = ceiling_of(answer);
        let w = self.take(id)?;
        let r = Proxy::ceiling_reached(c, w.context.origin.as_deref());
        Ok(Some(answer_text(&r, false, false)))
    }

    /// The upstream's answer to forward `id` (its status, `Content-Type`,
    /// `Retry-After` and body as text), checked and rewritten: the answer to
    /// give, as `decide`'s, with `same: true` and nothing after the line
    /// break when its body is `body` unchanged.
    pub fn finish(
        &self,
        id: u32,
        status: u16,
        content_type: Option<String>,
        retry_after: Option<String>,
        body: &str,
    ) -> Result<String, JsValue> {
        let w = self.take(id)?;
        let up = upstream_answer(status, content_type, retry_after, body);
        let mut p = self.inner.try_borrow_mut().map_err(|_| busy())?;
        // Refused before it committed: its reservation is given back, here
        // or (`release` in the answer's head) by the hook's `release`.
        let mut release = None;
        if w.context.refused_before_commit(status) {
            match w.spend {
                Some(Spend::Here(amount)) => p.release(amount),
                Some(Spend::Hook(amount)) => release = Some(amount.to_decimal_string()),
                Some(Spend::Later(_)) | None => {}
            }
        }
        let r = p.finish(&up, &w.context);
        let same = r.body == up.body;
        Ok(answer_head(&r, true, same, release))
    }

    /// No upstream answer to forward `id` could be passed on: `why` is
    /// send.js's `FAILED` (0 timed out, 1 not reached, 2 a redirect, 3 a
    /// body past the cap), `status` the answer's that was not read. The
    /// answer to give, as `decide`'s.
    pub fn failed(&self, id: u32, why: u8, status: u16) -> Result<String, JsValue> {
        let w = self.take(id)?;
        let e = crate::transport::failure(why, status, String::new());
        let p = self.inner.try_borrow().map_err(|_| busy())?;
        let r = p.upstream_failed(&e, &w.context);
        Ok(answer_text(&r, true, false))
    }

    /// Drops forward `id` (the Worker gave up on it: a hook threw); nothing
    /// when it is not held.
    pub fn release(&self, id: u32) {
        if let Ok(mut waiting) = self.waiting.try_borrow_mut() {
            waiting.take(id);
        }
    }
}

impl WasmProxy {
    fn take(&self, id: u32) -> Result<Waiting, JsValue> {
        self.waiting
            .try_borrow_mut()
            .map_err(|_| busy())?
            .take(id)
            .ok_or_else(busy)
    }
}

/// An upstream's answer as the proxy reads it: only the headers it looks at.
fn upstream_answer(
    status: u16,
    content_type: Option<String>,
    retry_after: Option<String>,
    body: &str,
) -> HttpResponse {
    let mut headers = Vec::new();
    if let Some(v) = retry_after {
        headers.push(("retry-after".to_owned(), v));
    }
    if let Some(v) = content_type {
        headers.push(("content-type".to_owned(), v));
    }
    HttpResponse {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// A request for `worker.js` to send: `{ send: { method, url, headers,
/// body? }, timeoutMs, …extra }`, a line break, the body (sent when
/// `send.body` is `true`). The headers hold the token as `authorization`.
fn send_text(req: &HttpRequest, timeout_ms: u64, extra: &[(&str, Value)]) -> String {
    let mut headers: Vec<(String, Value)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    if let Some(token) = &req.token {
        headers.push(("authorization".to_owned(), token.header_value().into()));
    }
    let mut send = vec![
        ("method".to_owned(), req.method.as_str().into()),
        ("url".to_owned(), req.url.as_str().into()),
        ("headers".to_owned(), Value::Object(headers)),
    ];
    if req.body.is_some() {
        send.push(("body".to_owned(), true.into()));
    }
    let send = Value::Object(send);
    let mut head = vec![
        ("send".to_owned(), send),
        ("timeoutMs".to_owned(), timeout_ms.into()),
    ];
    head.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let head = Value::Object(head).to_json();
    [head.as_str(), "\n", req.body.as_deref().unwrap_or("")].concat()
}

/// An answer as one string across: the JSON text of `{ status, headers,
/// forwarded }` (and `same: true` when the body is the upstream's as
/// `worker.js` holds it, then not repeated), a line break (never in JSON
/// text), then the body as it is (`worker.js` splits them). Not a JS object
/// built key by key (each key and value a crossing), and the body is not
/// escaped into JSON and parsed back.
fn answer_text(r: &HttpResponse, forwarded: bool, same: bool) -> String {
    answer_head(r, forwarded, same, None)
}

/// [`answer_text`], its head with `release`: the spend (decimal text) the
/// `release` hook is to give back.
fn answer_head(r: &HttpResponse, forwarded: bool, same: bool, release: Option<String>) -> String {
    let mut head = vec![
        ("status".to_owned(), u64::from(r.status).into()),
        (
            "headers".to_owned(),
            Value::Object(
                r.headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            ),
        ),
        ("forwarded".to_owned(), forwarded.into()),
    ];
    if let Some(spend) = release {
        head.push(("release".to_owned(), spend.into()));
    }
    if same {
        head.push(("same".to_owned(), true.into()));
        return [Value::Object(head).to_json().as_str(), "\n"].concat();
    }
    let head = Value::Object(head).to_json();
    [head.as_str(), "\n", &String::from_utf8_lossy(&r.body)].concat()
}
