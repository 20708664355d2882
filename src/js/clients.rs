//! `GatewayClient` over the package's `send` (the `bdpay/gateway` entry, and
//! `bdpay/clients` with billpay.rs), and what both clients' bindings share.
use wasm_bindgen::prelude::*;

use super::{api_error_object, js_value, read_arg};
use bdpay_core::json::Value;
use std::rc::Rc;
use wasm_bindgen_futures::future_to_promise;

use js_sys::Promise;

use crate::transport::JsTransport;
use bdpay_api::client::{Config, GatewayClient};
use bdpay_api::error::ApiError;
use bdpay_core::messages::{Code, FieldError};
use bdpay_core::operators::Service;

type Call = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Value, ApiError>>>>;

/// A Promise of `Ok` as a plain JS value, rejected with the `ApiError` as a
/// plain object. Boxed so that one `future_to_promise` serves every method.
pub(super) fn promise(
    fut: impl std::future::Future<Output = Result<Value, ApiError>> + 'static,
) -> Promise {
    settle(Box::pin(fut))
}

fn settle(fut: Call) -> Promise {
    future_to_promise(async move {
        match fut.await {
            Ok(v) => Ok(js_value(&v)),
            Err(e) => Err(api_error_object(&e)),
        }
    })
}

/// The transport over `send`; a client made without a function is a bug of
/// the package's own glue, said as a bad option.
pub(super) fn transport(send: JsValue) -> Result<JsTransport, JsValue> {
    JsTransport::new(send).ok_or_else(|| {
        api_error_object(&ApiError::invalid(vec![FieldError::new(
            "send",
            Code::InvalidType,
        )]))
    })
}

pub(super) fn config(options: JsValue) -> Result<Config, JsValue> {
    read_arg(options)
        .and_then(|o| Config::from_json(&o))
        .map_err(|e| api_error_object(&e))
}

pub(super) fn list<T>(items: &[T], to_json: fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(to_json).collect())
}

/// The gateway client over `send`; the package's `GatewayClient` wraps it.
#[wasm_bindgen]
pub struct WasmGatewayClient {
    inner: Rc<GatewayClient<JsTransport>>,
}

#[cfg(feature = "bulk")]
impl WasmGatewayClient {
    /// The client itself, for a bulk job that shares its limiter.
    pub(crate) fn shared(&self) -> Rc<GatewayClient<JsTransport>> {
        self.inner.clone()
    }
}

#[wasm_bindgen]
impl WasmGatewayClient {
    /// Options as a plain object and the package's `send` (pkg-template/send.js);
    /// a bad option throws an `ApiError` object.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, send: JsValue) -> Result<WasmGatewayClient, JsValue> {
        Ok(WasmGatewayClient {
            inner: Rc::new(GatewayClient::new(transport(send)?, config(options)?)),
        })
    }

    pub fn balance(&self) -> Promise {
        let c = self.inner.clone();
        promise(async move { c.balance().await.map(|b| b.to_json()) })
    }

    pub fn packages(&self, query: JsValue) -> Promise {
        let c = self.inner.clone();
        let q = read_arg(query);
        promise(async move {
            c.packages(&q?)
                .await
                .map(|p| list(&p, bdpay_api::gateway::Package::to_json))
        })
    }

    /// `service` is the request `type`: recharge, data, drive, mfs or bill;
    /// `""` for any of them, by the `type` of `args` or of its intent.
    pub fn submit(&self, service: &str, args: JsValue) -> Promise {
        let c = self.inner.clone();
        let args = read_arg(args);
        let service = match service {
            "" => Ok(None),
            s => Service::parse(s)
                .map(Some)
                .ok_or_else(|| ApiError::invalid(vec![FieldError::new("type", Code::InvalidType)])),
        };
        promise(async move { c.pay(service?, &args?).await.map(|t| t.to_json()) })
    }

    pub fn status(&self, query: JsValue) -> Promise {
        let c = self.inner.clone();
        let q = read_arg(query);
        promise(async move { c.status(&q?).await.map(|t| t.to_json()) })
    }

    #[wasm_bindgen(js_name = waitForFinal)]
    pub fn wait_for_final(&self, trx: JsValue) -> Promise {
        let c = self.inner.clone();
        let t = read_arg(trx);
        promise(async move { c.wait_for_final(&t?).await.map(|t| t.to_json()) })
    }

    /// A `ref_id` in the client's format, for callers who keep it before submitting.
    #[wasm_bindgen(js_name = newRefId)]
    pub fn new_ref_id(&self) -> String {
        self.inner.new_ref_id()
    }
}
