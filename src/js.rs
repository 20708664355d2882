//! The JavaScript face of the core, compiled for wasm only.
//!
//! Values cross the boundary as JSON text: the package's JS wrapper calls
//! `JSON.stringify` on the way in and `JSON.parse` on the way out. That keeps
//! numbers as the decimal text JavaScript prints (so amounts stay exact without
//! floats in Rust) and keeps a JSON library out of the wasm. Nothing here may
//! panic: a panic would take the module down for the whole page or Worker.

use wasm_bindgen::prelude::*;

use crate::billers::{params_json, parse_biller, parse_billers, validate_biller_form, ShapeError};
use crate::json::{self, object, Value};
use crate::messages::{errors_json, Code, FieldError};
use crate::operators::Kind;
use crate::phone::{normalize_phone, normalize_wallet};
use crate::request::validate_request;
use crate::rules::Rules;

/// Validation rules in force: the operator registry and amount limits.
#[wasm_bindgen]
pub struct Validator {
    rules: Rules,
}

fn parse_input(text: &str, field: &str) -> Result<Value, Vec<FieldError>> {
    json::parse(text.as_bytes()).map_err(|e| vec![crate::messages::unreadable(field, e)])
}

fn shape_error_json(e: &ShapeError) -> Value {
    object([
        ("ok", false.into()),
        (
            "error",
            object([
                ("path", e.path.as_str().into()),
                ("expected", e.expected.into()),
            ]),
        ),
    ])
}

#[wasm_bindgen]
impl Validator {
    /// Rules from a config given as JSON text (`""` or `null` for the defaults).
    /// A bad config throws the JSON text of an `ApiError` (code
    /// `invalid_validator_config`) with every refused setting in `fieldErrors`.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<Validator, JsValue> {
        let config = if config_json.is_empty() {
            Ok(Value::Null)
        } else {
            parse_input(config_json, "")
        };
        config
            .and_then(|c| Rules::from_config(&c))
            .map(|rules| Validator { rules })
            .map_err(|errors| api_error_js(&ApiError::config(Say::ValidatorConfig, errors)))
    }

    #[wasm_bindgen(js_name = normalizePhone)]
    pub fn normalize_phone(&self, input: &str) -> Option<String> {
        normalize_phone(input, &self.rules.registry)
    }

    /// A wallet number for the given MFS operator (Rocket also takes 12 digits).
    #[wasm_bindgen(js_name = normalizeWallet)]
    pub fn normalize_wallet(&self, input: &str, operator_code: &str) -> Option<String> {
        let op = self
            .rules
            .registry
            .get(operator_code)
            .filter(|o| o.kind == Kind::Mfs)?;
        normalize_wallet(input, &op.wallet_digits, &self.rules.registry)
    }

    /// JSON of `{ code, name, name_bn, alternatives }`, or nothing for an invalid number.
    #[wasm_bindgen(js_name = detectOperator)]
    pub fn detect_operator(&self, input: &str) -> Option<String> {
        let registry = &self.rules.registry;
        let phone = normalize_phone(input, registry)?;
        registry.detect(&phone).map(|d| d.to_json().to_json())
    }

    /// As `detectOperator`, for a number still being typed: the hint of its
    /// first three digits (`"0131"` suggests Grameenphone and Skitto).
    #[wasm_bindgen(js_name = detectOperatorPartial)]
    pub fn detect_operator_partial(&self, input: &str) -> Option<String> {
        let prefix = crate::phone::typed_prefix(input)?;
        self.rules
            .registry
            .detect(&prefix)
            .map(|d| d.to_json().to_json())
    }

    /// JSON of the operator registry in force.
    pub fn operators(&self) -> String {
        self.rules.registry.to_json().to_json()
    }

    /// JSON of the amount limits in force.
    pub fn limits(&self) -> String {
        self.rules.limits_json().to_json()
    }

    /// JSON of `{ ok: true, value }` or `{ ok: false, errors }` for a `/request` body.
    #[wasm_bindgen(js_name = validateRequest)]
    pub fn validate_request(&self, request_json: &str) -> String {
        parse_input(request_json, "")
            .and_then(|req| validate_request(&req, &self.rules))
            .map_or_else(|errors| errors_json(&errors), |r| r.ok_json())
            .to_json()
    }

    /// JSON of `{ ok: true, value: params }` or `{ ok: false, errors }` for one biller's form.
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

/// JSON of `{ ok: true, value: types }` or `{ ok: false, error: { path, expected } }`
/// for the text of a billers response.
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

// ---- Clients -------------------------------------------------------------

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

use crate::client::{BillPayClient, Config, GatewayClient};
use crate::error::{ApiError, Say};
use crate::operators::Service;
use crate::transport::FetchTransport;

fn api_error_js(e: &ApiError) -> JsValue {
    JsValue::from_str(&e.to_json().to_json())
}

fn parse_arg(text: &str) -> Result<Value, ApiError> {
    crate::billpay::parse_input(text)
}

type Call = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Value, ApiError>>>>;

/// A Promise of the JSON text of `Ok`, rejected with the JSON text of the
/// `ApiError`. Boxed so that one `future_to_promise` serves every method.
fn promise(fut: impl std::future::Future<Output = Result<Value, ApiError>> + 'static) -> Promise {
    settle(Box::pin(fut))
}

fn settle(fut: Call) -> Promise {
    future_to_promise(async move {
        match fut.await {
            Ok(v) => Ok(JsValue::from_str(&v.to_json())),
            Err(e) => Err(api_error_js(&e)),
        }
    })
}

fn config(options_json: &str) -> Result<Config, JsValue> {
    parse_arg(options_json)
        .and_then(|o| Config::from_json(&o))
        .map_err(|e| api_error_js(&e))
}

fn list<T>(items: &[T], to_json: fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(to_json).collect())
}

/// The gateway client over `fetch`; the package's `GatewayClient` wraps it.
#[wasm_bindgen]
pub struct WasmGatewayClient {
    inner: Rc<GatewayClient<FetchTransport>>,
}

#[wasm_bindgen]
impl WasmGatewayClient {
    /// Options as JSON text; a bad option throws the JSON text of an `ApiError`.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmGatewayClient, JsValue> {
        Ok(WasmGatewayClient {
            inner: Rc::new(GatewayClient::new(FetchTransport, config(options_json)?)),
        })
    }

    pub fn balance(&self) -> Promise {
        let c = self.inner.clone();
        promise(async move { c.balance().await.map(|b| b.to_json()) })
    }

    pub fn packages(&self, query_json: &str) -> Promise {
        let c = self.inner.clone();
        let q = parse_arg(query_json);
        promise(async move {
            c.packages(&q?)
                .await
                .map(|p| list(&p, crate::gateway::Package::to_json))
        })
    }

    /// `service` is the request `type`: recharge, data, drive, mfs or bill.
    pub fn submit(&self, service: &str, args_json: &str) -> Promise {
        let c = self.inner.clone();
        let args = parse_arg(args_json);
        let service = Service::parse(service);
        promise(async move {
            let service = service.ok_or_else(|| {
                ApiError::invalid(vec![FieldError::new("type", Code::InvalidType)])
            })?;
            c.submit(service, &args?).await.map(|t| t.to_json())
        })
    }

    pub fn status(&self, query_json: &str) -> Promise {
        let c = self.inner.clone();
        let q = parse_arg(query_json);
        promise(async move { c.status(&q?).await.map(|t| t.to_json()) })
    }

    #[wasm_bindgen(js_name = waitForFinal)]
    pub fn wait_for_final(&self, trx_json: &str) -> Promise {
        let c = self.inner.clone();
        let t = parse_arg(trx_json);
        promise(async move { c.wait_for_final(&t?).await.map(|t| t.to_json()) })
    }

    /// A `ref_id` in the client's format, for callers who keep it before submitting.
    #[wasm_bindgen(js_name = newRefId)]
    pub fn new_ref_id(&self) -> String {
        self.inner.new_ref_id()
    }
}

/// The wallet bill-pay client over `fetch`; the package's `BillPayClient` wraps it.
#[wasm_bindgen]
pub struct WasmBillPayClient {
    inner: Rc<BillPayClient<FetchTransport>>,
}

#[wasm_bindgen]
impl WasmBillPayClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmBillPayClient, JsValue> {
        Ok(WasmBillPayClient {
            inner: Rc::new(BillPayClient::new(FetchTransport, config(options_json)?)),
        })
    }

    pub fn billers(&self) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            c.billers()
                .await
                .map(|t| list(&t, crate::billers::BillerType::to_json))
        })
    }

    pub fn summary(&self, biller_json: &str, values_json: &str) -> Promise {
        let c = self.inner.clone();
        let (b, v) = (parse_arg(biller_json), parse_arg(values_json));
        promise(async move { c.summary(&b?, &v?).await.map(|s| s.to_json()) })
    }

    pub fn execute(&self, args_json: &str) -> Promise {
        let c = self.inner.clone();
        let a = parse_arg(args_json);
        promise(async move { c.execute(&a?).await.map(|r| r.to_json()) })
    }

    pub fn histories(&self, request_id: &str) -> Promise {
        let c = self.inner.clone();
        let id = request_id.to_owned();
        promise(async move { c.histories(&id).await.map(|h| h.to_json()) })
    }

    pub fn beneficiaries(&self) -> Promise {
        let c = self.inner.clone();
        promise(async move {
            c.beneficiaries()
                .await
                .map(|b| list(&b, crate::billpay::Beneficiary::to_json))
        })
    }
}

// ---- Proxy ---------------------------------------------------------------

use std::cell::RefCell;

use js_sys::{Function, Reflect};
use wasm_bindgen_futures::JsFuture;

use crate::client::Transport;
use crate::http::HttpResponse;
use crate::proxy::{
    response_json, Ceiling, Decision, Forward, Inbound, Period, Proxy, ProxyConfig, Refusal,
};

fn ceiling_json(c: Ceiling) -> String {
    object([
        ("period", c.period.as_str().into()),
        ("retryAfterMs", c.retry_after_ms.into()),
    ])
    .to_json()
}

/// A ceiling from the `reserve` hook's answer; one it does not understand
/// refuses (fails closed) for a minute.
fn ceiling_of(text: &str) -> Ceiling {
    let v = json::parse(text.as_bytes()).unwrap_or(Value::Null);
    let period = match v.get("period").and_then(Value::as_str) {
        Some("hour") => Period::Hour,
        _ => Period::Day,
    };
    let retry_after_ms = match v.get("retryAfterMs") {
        Some(Value::Number(n)) => n.parse().unwrap_or(60_000),
        _ => 60_000,
    };
    Ceiling {
        period,
        retry_after_ms,
    }
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
    /// Config as JSON text; a bad config throws the JSON text of an `ApiError`
    /// (which never holds a secret).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<WasmProxy, JsValue> {
        let config = parse_arg(config_json)
            .and_then(|c| ProxyConfig::from_json(&c))
            .map_err(|e| api_error_js(&ApiError::config(Say::ProxyConfig, e.field_errors)))?;
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
        let Ok(amount) = crate::money::Amount::parse(spend) else {
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

    /// Handles one request: a Promise of the JSON text of
    /// `{ status, headers, body, forwarded }`. `body` is `undefined` when the
    /// Worker stopped reading it at the size cap. `hooks` may have
    /// `authorize(paymentJson)` (a boolean, or a Promise of one: `true`
    /// allows) and `reserve(spend, origin)` (the JSON text of a refusal, or
    /// nothing, or a Promise of either), which replaces the per-isolate ceilings.
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
            // For a payment the hook authorizes and that came without one.
            let ref_id = crate::client::fresh_ref_id("bdp-edge-", now, || t.random_u32());
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
                Ok(mut p) => p.decide(&inbound, now, &ref_id),
                Err(_) => return Err(JsValue::from_str("proxy busy")),
            };
            let (resp, forwarded) = match decision {
                Decision::Respond(r) => (r, false),
                Decision::Forward(fwd) => forward(&proxy, *fwd, &hooks, now).await?,
            };
            let mut out = response_json(&resp);
            if let Value::Object(fields) = &mut out {
                fields.push(("forwarded".to_owned(), forwarded.into()));
            }
            Ok(JsValue::from_str(&out.to_json()))
        })
    }
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
                let verdict =
                    call_hook(&f, &JsValue::from_str(&payment.to_json()), &JsValue::NULL).await;
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
                    Ok(v) => Some(ceiling_of(&v.as_string().unwrap_or_default())),
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

// ---- Payment intents (the merchant's server) -----------------------------

use crate::intent::{self, IntentKey};

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
    let t = FetchTransport;
    let now = if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        t.now_ms()
    };
    let ref_id = crate::client::fresh_ref_id("bdp-", now, || t.random_u32());
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
    let now = if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        FetchTransport.now_ms()
    };
    intent::create_execute(&input, &key, now / 1000).map_err(|e| api_error_js(&e))
}

/// The JSON text of an intent's claims, unverified (what a page shows and
/// sends): `{ operation, ref_id, expires, spend, body }`, or nothing.
#[wasm_bindgen(js_name = readIntent)]
pub fn read_intent(text: &str) -> Option<String> {
    let i = intent::peek(text, &Rules::default())?;
    let operation = match i.payment {
        intent::Payment::Request(_) => "request",
        intent::Payment::Execute { .. } => "execute",
    };
    Some(
        object([
            ("operation", operation.into()),
            ("ref_id", i.ref_id().into()),
            ("expires", i.expires_s.into()),
            ("spend", i.spend.to_decimal_string().into()),
            ("body", intent::page_body(&i)),
        ])
        .to_json(),
    )
}

/// The key id of a secret (for logs and rotation), or nothing for a bad one.
#[wasm_bindgen(js_name = intentKeyId)]
pub fn intent_key_id(secret: &str) -> Option<String> {
    IntentKey::new(secret).ok().map(|k| k.id().to_owned())
}
