//! `BillPayClient` over the package's `send`: the `bdpay/clients` entry.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::clients::{config, list, promise, transport};
use super::read_arg;
use crate::transport::JsTransport;
use bdpay_api::client::BillPayClient;

/// The wallet bill-pay client over `send`; the package's `BillPayClient` wraps it.
#[wasm_bindgen]
pub struct WasmBillPayClient {
    inner: Rc<BillPayClient<JsTransport>>,
}

#[wasm_bindgen]
impl WasmBillPayClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, send: JsValue) -> Result<WasmBillPayClient, JsValue> {
        Ok(WasmBillPayClient {
            inner: Rc::new(BillPayClient::new(transport(send)?, config(options)?)),
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

    pub fn summary(&self, biller: JsValue, values: JsValue) -> Promise {
        let c = self.inner.clone();
        let (b, v) = (read_arg(biller), read_arg(values));
        promise(async move { c.summary(&b?, &v?).await.map(|s| s.to_json()) })
    }

    pub fn execute(&self, args: JsValue) -> Promise {
        let c = self.inner.clone();
        let a = read_arg(args);
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
