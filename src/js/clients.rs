//! The `bdpay/clients` entry: `GatewayClient` and `BillPayClient` over `fetch`.
use wasm_bindgen::prelude::*;

use super::{api_error_js, parse_arg};
use bdpay_core::json::Value;
use std::rc::Rc;
use wasm_bindgen_futures::future_to_promise;

use js_sys::Promise;

use crate::transport::FetchTransport;
use bdpay_api::client::{BillPayClient, Config, GatewayClient};
use bdpay_api::error::ApiError;
use bdpay_core::messages::{Code, FieldError};
use bdpay_core::operators::Service;

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
                .map(|p| list(&p, bdpay_api::gateway::Package::to_json))
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
                .map(|t| list(&t, bdpay_core::billers::BillerType::to_json))
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
                .map(|b| list(&b, bdpay_api::billpay::Beneficiary::to_json))
        })
    }
}
