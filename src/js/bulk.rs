//! `BulkJob` of the `bdpay/bulk` entry: a bulk job over a gateway
//! client's `fetch` transport, so the job shares that client's limiter. The
//! caller's host (`{ append, replace, intent?, changed? }`) stores the job's
//! text; the package's `BulkJob` (bulk.js) adds the stores and the events.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::clients::WasmGatewayClient;
use super::{api_error_object, js_value, read_arg};
use crate::transport::JsTransport;
use bdpay_api::bulk::file::{read_bytes, read_csv, read_rows, Sheet};
use bdpay_api::bulk::job::{Job, Stop};
use bdpay_api::bulk::notes::{issues_json, Issue};
use bdpay_api::bulk::run::{run, Ended, Host};
use bdpay_api::client::{fresh_ref_id, Clock, GatewayClient, Random};
use bdpay_api::error::{ApiError, ErrorKind, Say};
use bdpay_core::json::{object, Value};
use bdpay_core::messages::Slot;
use bdpay_core::rules::Rules;

/// A bulk job; the package's `BulkJob` wraps it.
#[wasm_bindgen]
pub struct WasmBulkJob {
    job: Rc<RefCell<Job>>,
    client: Rc<GatewayClient<JsTransport>>,
    stop: Rc<Cell<Option<Stop>>>,
    running: Rc<Cell<bool>>,
}

/// A file or row problem thrown as an `ApiError` object (the keys of
/// `ApiError::to_json`, which the package's `BdpayError` reads).
fn issue_error(i: &Issue) -> JsValue {
    js_value(&object([
        ("kind", "validation".into()),
        ("status", Value::from(0u64)),
        ("code", i.code.as_str().into()),
        ("message", i.message.as_str().into()),
        ("messageBn", i.message_bn.as_str().into()),
        ("fieldErrors", issues_json(std::slice::from_ref(i))),
    ]))
}

fn rules_of(client: &GatewayClient<JsTransport>) -> &Rules {
    &client.config().rules
}

#[wasm_bindgen]
impl WasmBulkJob {
    /// A job over `input` (the file's bytes as a `Uint8Array`, its text, or
    /// an array of row objects), or, when `options.state` holds a stored
    /// job's text, that job resumed. `options.encoding` names the encoding
    /// the caller decoded the text from, to be said back (`encoding`).
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
            Some(text) => Job::restore(text, rules).map_err(|i| issue_error(&i))?,
            None => {
                let (sheet, encoding) = sheet_of(input)?;
                let t = client.transport();
                let id = match options.get("id").and_then(Value::as_str) {
                    Some(id) => bdpay_core::request::ref_id(&Value::from(id))
                        .map_err(|e| issue_error(&Issue::of_field(&e)))?,
                    None => fresh_ref_id("bk-", t.now_ms(), || t.random_u32()),
                };
                let duplicates = options.get("allowDuplicates").and_then(Value::as_bool);
                let mut job = Job::new(&id, sheet, rules, duplicates.unwrap_or(false));
                job.encoding = encoding.or_else(|| {
                    options
                        .get("encoding")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
                job
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
            j.rows().iter().map(|r| j.row_json(r)).collect(),
        ))
    }

    pub fn progress(&self) -> JsValue {
        let now = self.client.transport().now_ms();
        self.job
            .try_borrow()
            .map_or(JsValue::NULL, |j| js_value(&j.progress(now)))
    }

    /// What may still be sent, per operator and balance, with its sentences.
    pub fn totals(&self) -> JsValue {
        self.job
            .try_borrow()
            .map_or(JsValue::NULL, |j| typed(&j.totals_view()))
    }

    /// What checking the file found, short: the first `limit` errors and a
    /// line per kind of warning.
    pub fn summary(&self, limit: u32) -> JsValue {
        self.job
            .try_borrow()
            .map_or(JsValue::NULL, |j| typed(&j.summary(limit as usize)))
    }

    /// The encoding the file was read in (`utf-8`, `utf-8 (bom)`,
    /// `utf-16le`, `utf-16be`, or what the caller decoded it from), if known.
    #[wasm_bindgen(getter)]
    pub fn encoding(&self) -> Option<String> {
        self.job.try_borrow().ok().and_then(|j| j.encoding.clone())
    }

    /// The file's delimiter: `,`, `;` or a tab.
    #[wasm_bindgen(getter)]
    pub fn delimiter(&self) -> String {
        self.job
            .try_borrow()
            .map(|j| char::from(j.delimiter).to_string())
            .unwrap_or_default()
    }

    /// Whether `input` (as the constructor takes it) is the file this job
    /// was made of; a file that cannot be read is not.
    pub fn matches(&self, input: JsValue) -> bool {
        let Ok((sheet, _)) = sheet_of(input) else {
            return false;
        };
        self.job.try_borrow().is_ok_and(|j| j.matches(&sheet))
    }

    /// The job's text as a store keeps it, whole: its plan, then a record
    /// per row that moved on.
    pub fn state(&self) -> String {
        self.job
            .try_borrow()
            .map(|j| j.state_text())
            .unwrap_or_default()
    }

    /// The records written since the last call (an edit, a skip, a cancel
    /// outside a run), for the store to append; `""` for none.
    #[wasm_bindgen(js_name = takeJournal)]
    pub fn take_journal(&self) -> String {
        self.job
            .try_borrow_mut()
            .map(|mut j| j.take_journal())
            .unwrap_or_default()
    }

    /// Whether the store must be given `state()` whole before anything is
    /// appended (it held a job of the previous version's form, or text
    /// that ended in a line cut short).
    #[wasm_bindgen(getter)]
    pub fn rewrite(&self) -> bool {
        self.job.try_borrow().is_ok_and(|j| j.rewrite_needed())
    }

    /// The store was given `state()` whole.
    #[wasm_bindgen(js_name = rewritten)]
    pub fn rewritten(&self) {
        if let Ok(mut j) = self.job.try_borrow_mut() {
            j.set_rewrite(false);
        }
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
    /// `"finished"` or `"paused"`. `host` is `{ append(records),
    /// replace(text), intent?(row), changed?(row, progress) }`; `append`,
    /// `replace` and `intent` may return Promises.
    pub fn run(&self, host: JsValue) -> Promise {
        let host = JsHost {
            append: function(&host, "append"),
            replace: function(&host, "replace"),
            intent: function(&host, "intent"),
            changed: function(&host, "changed"),
            stop: self.stop.clone(),
        };
        let (c, job, running) = (self.client.clone(), self.job.clone(), self.running.clone());
        if let Ok(mut j) = self.job.try_borrow_mut() {
            if j.stop() == Some(Stop::Paused) {
                j.set_stop(None);
            }
        }
        future_to_promise(async move {
            let no_store = host.append.is_none() || host.replace.is_none();
            if no_store || running.replace(true) {
                return Err(api_error_object(&ApiError::says(
                    ErrorKind::Validation,
                    0,
                    Say::StoreFailed,
                    &[(
                        "what",
                        Slot::Code(if no_store {
                            "no append or replace"
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

    /// The results file's `count` rows from the `from`th, as UTF-8 bytes
    /// (the header first when `from` is 0), written into `buf`: how many
    /// bytes, or 0 when they do not fit (ask for fewer rows, or give more
    /// room). The caller's buffer serves every part: no new one each time.
    #[wasm_bindgen(js_name = resultsInto)]
    pub fn results_into(&self, from: u32, count: u32, buf: &mut [u8]) -> u32 {
        let Ok(j) = self.job.try_borrow() else {
            return 0;
        };
        let part = j.results_bytes(from as usize, count as usize);
        match buf.get_mut(..part.len()) {
            Some(room) => {
                room.copy_from_slice(&part);
                u32::try_from(part.len()).unwrap_or(0)
            }
            None => 0,
        }
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
    append: Option<Function>,
    replace: Option<Function>,
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
    async fn append(&self, records: &str) -> Result<(), ApiError> {
        store(self.append.as_ref(), records).await
    }

    async fn replace(&self, state: &str) -> Result<(), ApiError> {
        store(self.replace.as_ref(), state).await
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

/// `f(text)`, awaited: a store's append or replace.
async fn store(f: Option<&Function>, text: &str) -> Result<(), ApiError> {
    let f = f.ok_or_else(|| store_failed("no store"))?;
    called(f, &JsValue::from_str(text))
        .await
        .map(|_| ())
        .map_err(|e| store_failed(&said(&e)))
}

/// The sheet of a job's input: the file's bytes (decoded, their encoding
/// said back), its text, or rows as objects.
fn sheet_of(input: JsValue) -> Result<(Sheet, Option<String>), JsValue> {
    if let Some(bytes) = input.dyn_ref::<js_sys::Uint8Array>() {
        let (sheet, encoding) = read_bytes(&bytes.to_vec()).map_err(|i| issue_error(&i))?;
        return Ok((sheet, Some(encoding.as_str().to_owned())));
    }
    let sheet = match input.as_string() {
        Some(text) => read_csv(&text),
        None => read_rows(&read_arg(input).map_err(|e| api_error_object(&e))?),
    }
    .map_err(|i| issue_error(&i))?;
    Ok((sheet, None))
}

/// A typed answer as a plain JS value (objects as plain objects).
fn typed<T: serde::Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

fn store_failed(what: &str) -> ApiError {
    ApiError::says(
        ErrorKind::Network,
        0,
        Say::StoreFailed,
        &[("what", Slot::Code(what))],
    )
}
