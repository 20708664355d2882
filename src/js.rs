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
    /// A bad config throws the JSON text of `{ ok: false, errors }`.
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
            .map_err(|errors| JsValue::from_str(&errors_json(&errors).to_json()))
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
use crate::error::ApiError;
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

use crate::client::{Transport, TransportError};
use crate::proxy::{response_json, Decision, Inbound, Proxy, ProxyConfig};

/// The Workers proxy's logic; the package's `worker.js` moves the bytes.
#[wasm_bindgen]
pub struct WasmProxy {
    inner: Rc<RefCell<Proxy>>,
}

#[wasm_bindgen]
impl WasmProxy {
    /// Config as JSON text; a bad config throws the JSON text of an `ApiError`
    /// (which never holds the token).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<WasmProxy, JsValue> {
        let config = parse_arg(config_json)
            .and_then(|c| ProxyConfig::from_json(&c))
            .map_err(|e| api_error_js(&e))?;
        Ok(WasmProxy {
            inner: Rc::new(RefCell::new(Proxy::new(config))),
        })
    }

    /// Handles one request: a Promise of the JSON text of
    /// `{ status, headers, body, forwarded }`. `body` is `undefined` when the
    /// Worker stopped reading it at the size cap.
    pub fn handle(
        &self,
        method: &str,
        target: &str,
        origin: Option<String>,
        content_type: Option<String>,
        body: Option<Vec<u8>>,
        client: &str,
    ) -> Promise {
        let inbound = Inbound {
            method: method.to_owned(),
            target: target.to_owned(),
            origin,
            content_type,
            body,
            client: client.to_owned(),
        };
        let proxy = self.inner.clone();
        future_to_promise(async move {
            let t = FetchTransport;
            let now = t.now_ms();
            let ref_id = [
                "bdp-edge-",
                &crate::text::decimal(now),
                "-",
                &crate::text::decimal(u64::from(t.random_u32())),
            ]
            .concat();
            let decision = match proxy.try_borrow_mut() {
                Ok(mut p) => p.decide(&inbound, now, &ref_id),
                Err(_) => return Err(JsValue::from_str("proxy busy")),
            };
            let (resp, forwarded) = match decision {
                Decision::Respond(r) => (r, false),
                Decision::Forward { upstream, origin } => {
                    let timeout = proxy
                        .try_borrow()
                        .map(|p| p.config().upstream_timeout_ms)
                        .unwrap_or(25_000);
                    let answer = t.call(upstream, timeout).await;
                    let p = proxy
                        .try_borrow()
                        .map_err(|_| JsValue::from_str("proxy busy"))?;
                    let r = match answer {
                        Ok(up) => p.finish(&up, origin.as_deref()),
                        Err(e) => {
                            p.upstream_failed(e == TransportError::Timeout, origin.as_deref())
                        }
                    };
                    (r, true)
                }
            };
            let mut out = response_json(&resp);
            if let Value::Object(fields) = &mut out {
                fields.push(("forwarded".to_owned(), forwarded.into()));
            }
            Ok(JsValue::from_str(&out.to_json()))
        })
    }
}
