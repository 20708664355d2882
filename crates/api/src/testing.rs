//! A scripted in-memory gateway with a fake clock, for the tests of the
//! clients and of bulk jobs.

use crate::prelude::*;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::client::{Clock, Random, Transport, TransportError};
use crate::http::{HttpRequest, HttpResponse, Token};
use bdpay_core::json::{parse, Value};

/// Runs a future whose every await is ready at once (the fake transport never pends).
pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// A scripted server with a fake clock: any `&P` is a transport whose
/// `sleep` only moves the clock, so every await is ready at once.
pub(crate) trait Peer {
    fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError>;
    fn clock(&self) -> &Cell<u64>;
}

impl<P: Peer> Transport for &P {
    async fn call(
        &self,
        req: HttpRequest,
        _timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        self.handle(&req)
    }
}

impl<P: Peer> Clock for &P {
    async fn sleep(&self, ms: u64) {
        self.clock().set(self.clock().get() + ms);
    }
    fn now_ms(&self) -> u64 {
        self.clock().get()
    }
}

impl<P: Peer> Random for &P {
    fn random_u32(&self) -> u32 {
        0x9e37_79b9
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Fault {
    /// No answer and nothing committed.
    ResetBefore,
    /// Committed, then the connection dropped.
    DropAfterCommit,
    /// Committed, then the answer took longer than the timeout.
    TimeoutAfterCommit,
    /// 500 before committing.
    ServerErrorBefore,
    /// Committed, then 502 from a proxy.
    ServerErrorAfter,
    /// Committed, then an unreadable body.
    GarbledAfter,
    /// 429 before anything, with `Retry-After: 2`.
    RateLimited,
}

#[derive(Default)]
pub(crate) struct FakeGateway {
    pub(crate) now: Cell<u64>,
    /// `(ref_id, trx_id, phone, amount text)` committed.
    pub(crate) committed: RefCell<Vec<(String, String, String, String)>>,
    /// Faults for the next calls to `/request`.
    pub(crate) faults: RefCell<Vec<Fault>>,
    /// Faults for the next calls to `/status`.
    pub(crate) status_faults: RefCell<Vec<Fault>>,
    pub(crate) calls: RefCell<Vec<(u64, String)>>,
    /// `/status` answers Pending this many times before Success.
    pub(crate) pending_polls: Cell<u32>,
    /// When set, `/status` answers this body (200) whatever it holds.
    pub(crate) status_answer: RefCell<Option<String>>,
    /// When set, every call fails so, after this many ms of the clock (the
    /// network down, or a gateway that never answers).
    pub(crate) down: RefCell<Option<(TransportError, u64)>>,
}

pub(crate) fn json_resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    }
}

impl FakeGateway {
    /// The clock's time at each call to `path` (`"request"`, `"status"`).
    pub(crate) fn times_of(&self, path: &str) -> Vec<u64> {
        let calls = self.calls.borrow();
        calls.iter().filter(|c| c.1 == path).map(|c| c.0).collect()
    }

    pub(crate) fn trx_json(
        &self,
        ref_id: &str,
        trx_id: &str,
        phone: &str,
        amount: &str,
        status: &str,
    ) -> String {
        [
            r#"{"status":true,"trx_id":""#,
            trx_id,
            r#"","ref_id":""#,
            ref_id,
            r#"","type":"recharge","phone":""#,
            phone,
            r#"","amount":"#,
            amount,
            r#","payable":"#,
            amount,
            r#","trx_status":""#,
            status,
            r#""}"#,
        ]
        .concat()
    }

    fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = req.url.rsplit('/').next().unwrap_or("").to_owned();
        self.calls.borrow_mut().push((self.now.get(), path.clone()));
        if let Some((e, ms)) = self.down.borrow().clone() {
            self.now.set(self.now.get() + ms);
            return Err(e);
        }
        assert_eq!(req.token, Some(Token::new("tok")));
        let body = req.body.as_deref().map(|b| parse(b.as_bytes()).unwrap());
        match path.as_str() {
            "request" => {
                let body = body.unwrap();
                let fault = if self.faults.borrow().is_empty() {
                    None
                } else {
                    Some(self.faults.borrow_mut().remove(0))
                };
                match fault {
                    Some(Fault::ResetBefore) => {
                        return Err(TransportError::Network("reset".into()))
                    }
                    Some(Fault::ServerErrorBefore) => return Ok(json_resp(500, "")),
                    Some(Fault::RateLimited) => {
                        return Ok(HttpResponse {
                            status: 429,
                            headers: vec![("retry-after".into(), "2".into())],
                            body: br#"{"status":false,"message":"Too Many Attempts."}"#.to_vec(),
                        })
                    }
                    _ => {}
                }
                let ref_id = body
                    .get("ref_id")
                    .and_then(Value::as_str)
                    .unwrap()
                    .to_owned();
                if self.committed.borrow().iter().any(|c| c.0 == ref_id) {
                    return Ok(json_resp(
                        422,
                        r#"{"status":false,"message":"Duplicate transaction"}"#,
                    ));
                }
                let trx_id = ["TRX", &self.committed.borrow().len().to_string()].concat();
                let phone = body
                    .get("phone")
                    .and_then(Value::as_str)
                    .unwrap()
                    .to_owned();
                let amount = match body.get("amount") {
                    Some(Value::Number(n)) => n.clone(),
                    _ => "0".into(),
                };
                self.committed.borrow_mut().push((
                    ref_id.clone(),
                    trx_id.clone(),
                    phone.clone(),
                    amount.clone(),
                ));
                match fault {
                    Some(Fault::DropAfterCommit) => {
                        Err(TransportError::Network("connection closed".into()))
                    }
                    Some(Fault::TimeoutAfterCommit) => Err(TransportError::Timeout),
                    Some(Fault::ServerErrorAfter) => Ok(json_resp(502, "<html>Bad gateway</html>")),
                    Some(Fault::GarbledAfter) => Ok(json_resp(200, r#"{"status":true,"trx_id":"#)),
                    _ => Ok(json_resp(
                        200,
                        &self.trx_json(&ref_id, &trx_id, &phone, &amount, "Pending"),
                    )),
                }
            }
            "status" => {
                let fault = if self.status_faults.borrow().is_empty() {
                    None
                } else {
                    Some(self.status_faults.borrow_mut().remove(0))
                };
                match fault {
                    Some(Fault::RateLimited) => {
                        return Ok(HttpResponse {
                            status: 429,
                            headers: vec![("retry-after".into(), "2".into())],
                            body: vec![],
                        })
                    }
                    Some(_) => return Err(TransportError::Network("reset".into())),
                    None => {}
                }
                if let Some(answer) = self.status_answer.borrow().as_deref() {
                    return Ok(json_resp(200, answer));
                }
                let body = body.unwrap();
                let key = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
                let committed = self.committed.borrow();
                let found = committed.iter().find(|c| {
                    Some(&c.0) == key("ref_id").as_ref() || Some(&c.1) == key("trx_id").as_ref()
                });
                match found {
                    None => Ok(json_resp(
                        404,
                        r#"{"status":false,"message":"Transaction not found"}"#,
                    )),
                    Some(c) => {
                        let status = if self.pending_polls.get() > 0 {
                            self.pending_polls.set(self.pending_polls.get() - 1);
                            "Pending"
                        } else {
                            "Success"
                        };
                        Ok(json_resp(
                            200,
                            &self.trx_json(&c.0, &c.1, &c.2, &c.3, status),
                        ))
                    }
                }
            }
            "balance" => Ok(json_resp(
                200,
                r#"{"status":true,"data":{"flexiload_balance":500.00,"drive_balance":0,"bank_balance":0}}"#,
            )),
            _ => Ok(json_resp(404, "")),
        }
    }
}

impl Peer for FakeGateway {
    fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        FakeGateway::handle(self, req)
    }
    fn clock(&self) -> &Cell<u64> {
        &self.now
    }
}
