//! `BulkJob` of the `bdpay/bulk` entry: a bulk job over a gateway
//! client's `fetch` transport, so the job shares that client's limiter. The
//! caller's host (`{ save, intent?, changed? }`) keeps the state; the
//! package's `BulkJob` (bulk.js) adds the stores and the events.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::clients::WasmGatewayClient;
use super::{api_error_object, js_value, read_arg};
use crate::transport::FetchTransport;
use bdpay_api::bulk::file::{read_csv, read_rows};
use bdpay_api::bulk::job::{Job, Stop};
use bdpay_api::bulk::notes::{issues_json, Issue};
use bdpay_api::bulk::run::{run, Ended, Host};
use bdpay_api::client::{fresh_ref_id, GatewayClient, Transport};
use bdpay_api::error::{ApiError, ErrorKind, Say};
use bdpay_core::json::{object, Value};
use bdpay_core::messages::Slot;
use bdpay_core::rules::Rules;

/// A bulk job; the package's `BulkJob` wraps it.
#[wasm_bindgen]
pub struct WasmBulkJob {
    job: Rc<RefCell<Job>>,
    client: Rc<GatewayClient<FetchTransport>>,
    stop: Rc<Cell<Option<Stop>>>,
    running: Rc<Cell<bool>>,
}

fn issue_error(i: &Issue) -> JsValue {
    js_value(&object([
        ("kind", "validation".into()),
        ("status", Value::from(0u64)),
        ("code", i.code.as_str().into()),
        ("message", i.message.as_str().into()),
        ("message_bn", i.message_bn.as_str().into()),
        ("field_errors", issues_json(std::slice::from_ref(i))),
    ]))
}

fn rules_of(client: &GatewayClient<FetchTransport>) -> &Rules {
    &client.config().rules
}

#[wasm_bindgen]
impl WasmBulkJob {
    /// A job over `input` (CSV text or an array of row objects), or, when
    /// `options.state` holds a saved state's JSON text, that job resumed.
    #[wasm_bindgen(constructor)]
    pub fn new(
        client: &WasmGatewayClient,
        input: JsValue,
        options: JsValue,
    ) -> Result<WasmBulkJob, JsValue> {
        let client = client.shared();
        let options = read_arg(options).map_err(|e| api_error_object(&e))?;
        let rules = rules_of(&client);
        let job = match options.get("state").and_then(Value::as_str) {
            Some(text) => {
                let state = bdpay_core::json::parse(text.as_bytes()).map_err(|e| {
                    issue_error(&Issue::of_field(&bdpay_core::messages::unreadable(
                        "state", e,
                    )))
                })?;
                Job::restore(&state, rules).map_err(|i| issue_error(&i))?
            }
            None => {
                let sheet = match input.as_string() {
                    Some(text) => read_csv(&text),
                    None => read_rows(&read_arg(input).map_err(|e| api_error_object(&e))?),
                }
                .map_err(|i| issue_error(&i))?;
                let t = client.transport();
                let id = match options.get("id").and_then(Value::as_str) {
                    Some(id) => bdpay_core::request::ref_id(&Value::from(id))
                        .map_err(|e| issue_error(&Issue::of_field(&e)))?,
                    None => fresh_ref_id("bk-", t.now_ms(), || t.random_u32()),
                };
                let duplicates = options.get("allowDuplicates").and_then(Value::as_bool);
                Job::new(&id, sheet, rules, duplicates.unwrap_or(false))
            }
        };
        Ok(WasmBulkJob {
            job: Rc::new(RefCell::new(job)),
            client,
            stop: Rc::new(Cell::new(None)),
            running: Rc::new(Cell::new(false)),
        })
    }

    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.job
            .try_borrow()
            .map(|j| j.id.clone())
            .unwrap_or_default()
    }

    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> JsValue {
        let cols = self
            .job
            .try_borrow()
            .map(|j| j.columns.clone())
            .unwrap_or_default();
        js_value(&Value::Array(cols.into_iter().map(Value::from).collect()))
    }

    /// Every row as the caller sees it.
    pub fn rows(&self) -> JsValue {
        let Ok(j) = self.job.try_borrow() else {
            return JsValue::NULL;
        };
        js_value(&Value::Array(
            j.rows.iter().map(|r| j.row_json(r)).collect(),
        ))
    }

    pub fn progress(&self) -> JsValue {
        let now = self.client.transport().now_ms();
        self.job
            .try_borrow()
            .map_or(JsValue::NULL, |j| js_value(&j.progress(now)))
    }

    /// What the rows still to send need, per operator and balance.
    pub fn totals(&self) -> JsValue {
        let Ok(j) = self.job.try_borrow() else {
            return JsValue::NULL;
        };
        let t = j.totals();
        js_value(&object([
            ("rows", Value::from(t.rows)),
            ("amount", t.amount.to_decimal_string().into()),
            (
                "operators",
                Value::Array(
                    t.operators
                        .iter()
                        .map(|(code, rows, amount)| {
                            object([
                                ("operator_code", code.as_str().into()),
                                ("rows", Value::from(*rows)),
                                ("amount", amount.to_decimal_string().into()),
                            ])
                        })
                        .collect(),
                ),
            ),
            (
                "balances",
                Value::Array(
                    t.balances
                        .iter()
                        .map(|(name, amount)| {
                            object([
                                ("balance", (*name).into()),
                                ("amount", amount.to_decimal_string().into()),
                            ])
                        })
                        .collect(),
                ),
            ),
        ]))
    }

    /// The state's JSON text, for a store.
    pub fn state(&self) -> String {
        self.job
            .try_borrow()
            .map(|j| j.to_json().to_json())
            .unwrap_or_default()
    }

    /// Changes cells of a row not sent yet (`{ column: text }`).
    pub fn edit(&self, line: u32, cells: JsValue) -> Result<(), JsValue> {
        let cells = read_arg(cells).map_err(|e| api_error_object(&e))?;
        let rules = rules_of(&self.client);
        let mut j = self.job.try_borrow_mut().map_err(|_| busy())?;
        j.edit(u64::from(line), &cells, rules)
            .map_err(|i| issue_error(&i))
    }

    /// Leaves rows out (`skip` true) or takes them back, before they are
    /// sent: all of `lines` or, when one cannot be, none.
    pub fn skip(&self, lines: Vec<u32>, skip: bool) -> Result<(), JsValue> {
        let rules = rules_of(&self.client);
        let lines: Vec<u64> = lines.into_iter().map(u64::from).collect();
        let mut j = self.job.try_borrow_mut().map_err(|_| busy())?;
        j.skip(&lines, skip, rules).map_err(|i| issue_error(&i))
    }

    /// Reads `/balance` and resolves with what the rows still to send lack
    /// (an empty array when the balance is enough).
    #[wasm_bindgen(js_name = checkBalance)]
    pub fn check_balance(&self) -> Promise {
        let (c, job) = (self.client.clone(), self.job.clone());
        future_to_promise(async move {
            let b = c.balance().await.map_err(|e| api_error_object(&e))?;
            let short = job
                .try_borrow()
                .map(|j| j.shortfalls(&b))
                .unwrap_or_default();
            Ok(js_value(&issues_json(&short)))
        })
    }

    /// Runs the job until it is finished or paused; resolves with
    /// `"finished"` or `"paused"`. `host` is `{ save(text), intent?(row),
    /// changed?(row, progress) }`; `save` and `intent` may return Promises.
    pub fn run(&self, host: JsValue) -> Promise {
        let save = function(&host, "save");
        let host = JsHost {
            save,
            intent: function(&host, "intent"),
            changed: function(&host, "changed"),
            stop: self.stop.clone(),
        };
        let (c, job, running) = (self.client.clone(), self.job.clone(), self.running.clone());
        if let Ok(mut j) = self.job.try_borrow_mut() {
            if j.stop == Some(Stop::Paused) {
                j.set_stop(None);
            }
        }
        future_to_promise(async move {
            if host.save.is_none() || running.replace(true) {
                return Err(api_error_object(&ApiError::says(
                    ErrorKind::Validation,
                    0,
                    Say::StoreFailed,
                    &[(
                        "what",
                        Slot::Code(if host.save.is_none() {
                            "no save"
                        } else {
                            "already running"
                        }),
                    )],
                )));
            }
            let out = run(&job, &c, &host).await;
            running.set(false);
            match out {
                Ok(Ended::Finished) => Ok(JsValue::from_str("finished")),
                Ok(Ended::Paused) => Ok(JsValue::from_str("paused")),
                Err(e) => Err(api_error_object(&e)),
            }
        })
    }

    /// Stops sending at the next step; payments sent are settled. `run` resolves `"paused"`.
    pub fn pause(&self) {
        if self.running.get() {
            self.stop.set(Some(Stop::Paused));
        } else if let Ok(mut j) = self.job.try_borrow_mut() {
            j.set_stop(Some(Stop::Paused));
        }
    }

    /// Sends nothing more, ever; payments sent are followed to their end.
    pub fn cancel(&self) {
        if self.running.get() {
            self.stop.set(Some(Stop::Cancelled));
        } else if let Ok(mut j) = self.job.try_borrow_mut() {
            j.set_stop(Some(Stop::Cancelled));
        }
    }

    /// The results file: input columns, `ref_id`, `trx_id`, `status`, `message`, `message_bn`.
    #[wasm_bindgen(js_name = resultsCsv)]
    pub fn results_csv(&self) -> String {
        self.job
            .try_borrow()
            .map(|j| j.results_csv())
            .unwrap_or_default()
    }
}

fn busy() -> JsValue {
    api_error_object(&ApiError::says(
        ErrorKind::Validation,
        0,
        Say::StoreFailed,
        &[("what", Slot::Code("busy"))],
    ))
}

fn function(host: &JsValue, name: &str) -> Option<Function> {
    js_sys::Reflect::get(host, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
}

struct JsHost {
    save: Option<Function>,
    intent: Option<Function>,
    changed: Option<Function>,
    stop: Rc<Cell<Option<Stop>>>,
}

/// What a host's function returned, awaited when it is a Promise.
async fn called(f: &Function, arg: &JsValue) -> Result<JsValue, JsValue> {
    let out = f.call1(&JsValue::UNDEFINED, arg)?;
    match out.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await,
        Err(v) => Ok(v),
    }
}

fn said(e: &JsValue) -> String {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "no reason given".to_owned());
    text.chars().take(200).collect()
}

impl Host for JsHost {
    async fn save(&self, state: &str) -> Result<(), ApiError> {
        let f = self.save.as_ref().ok_or_else(|| store_failed("no save"))?;
        called(f, &JsValue::from_str(state))
            .await
            .map(|_| ())
            .map_err(|e| store_failed(&said(&e)))
    }

    async fn intent(&self, row: &Value) -> Result<Option<String>, ApiError> {
        let Some(f) = &self.intent else {
            return Ok(None);
        };
        let line = row.get("line").and_then(Value::as_u64).unwrap_or(0);
        let no_intent = |what: &str| {
            ApiError::says(
                ErrorKind::Forbidden,
                0,
                Say::NoIntent,
                &[("line", Slot::Count(line)), ("what", Slot::Code(what))],
            )
        };
        match called(f, &js_value(row)).await {
            Ok(v) if v.is_null() || v.is_undefined() => Ok(None),
            Ok(v) => v.as_string().map(Some).ok_or_else(|| no_intent("not text")),
            Err(e) => Err(no_intent(&said(&e))),
        }
    }

    fn changed(&self, row: Option<&Value>, progress: &Value) {
        if let Some(f) = &self.changed {
            let row = row.map_or(JsValue::NULL, js_value);
            // A throwing listener must not stop the job.
            let _ = f.call2(&JsValue::UNDEFINED, &row, &js_value(progress));
        }
    }

    fn stop_asked(&self) -> Option<Stop> {
        self.stop.take()
    }
}

fn store_failed(what: &str) -> ApiError {
    ApiError::says(
        ErrorKind::Network,
        0,
        Say::StoreFailed,
        &[("what", Slot::Code(what))],
    )
}
