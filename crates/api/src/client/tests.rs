//! The clients against the scripted gateway of [`crate::testing`]: every
//! exactly-once case, retries, the limiter and `wait_for_final`.

use crate::prelude::*;

use std::cell::{Cell, RefCell};

use super::*;
use crate::testing::{block_on, json_resp, FakeGateway, Fault, Peer};
use bdpay_core::json::parse;

fn config(extra: &str) -> Config {
    let text = [
        r#"{"baseUrl":"http://127.0.0.1:9","token":"tok""#,
        extra,
        "}",
    ]
    .concat();
    Config::from_json(&parse(text.as_bytes()).unwrap()).unwrap()
}

fn recharge(ref_id: Option<&str>) -> Value {
    let r = ref_id
        .map(|r| [r#","ref_id":""#, r, "\""].concat())
        .unwrap_or_default();
    parse(
        [
            r#"{"operator_code":"GP","phone":"+8801712345678","amount":"100.50""#,
            &r,
            "}",
        ]
        .concat()
        .as_bytes(),
    )
    .unwrap()
}

#[test]
fn a_plain_recharge_is_sent_once_with_a_generated_ref_id() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    let t = block_on(client.submit(Service::Recharge, &recharge(None))).unwrap();
    assert_eq!(t.trx_status, "Pending");
    assert_eq!(t.amount, Some(bdpay_core::money::Amount::from_paisa(10050)));
    let committed = gw.committed.borrow();
    assert_eq!(committed.len(), 1);
    assert!(
        committed[0].0.starts_with("bdp-0-9e3779b99e3779b9"),
        "{}",
        committed[0].0
    );
    assert_eq!(committed[0].2, "01712345678");
}

#[test]
fn every_unknown_outcome_is_settled_by_status_not_by_resending() {
    let rows = [
        (Fault::DropAfterCommit, Ok(())),
        (Fault::TimeoutAfterCommit, Ok(())),
        (Fault::ServerErrorAfter, Ok(())),
        (Fault::GarbledAfter, Ok(())),
        (Fault::ResetBefore, Err((ErrorKind::Network, true))),
        (Fault::ServerErrorBefore, Err((ErrorKind::Server, true))),
    ];
    for (fault, want) in rows {
        let gw = FakeGateway::default();
        gw.faults.borrow_mut().push(fault);
        let client = GatewayClient::new(&gw, config(""));
        let got = block_on(client.submit(Service::Recharge, &recharge(Some("ORD-1"))));
        let requests = gw.times_of("request").len();
        assert_eq!(requests, 1, "{fault:?}: /request sent once");
        match want {
            Ok(()) => {
                assert_eq!(got.map(|t| t.ref_id), Ok(Some("ORD-1".into())), "{fault:?}");
                assert_eq!(gw.committed.borrow().len(), 1, "{fault:?}");
            }
            Err((kind, not_committed)) => {
                let e = got.unwrap_err();
                assert_eq!(
                    (e.kind, e.not_committed),
                    (kind, not_committed),
                    "{fault:?}"
                );
                assert!(gw.committed.borrow().is_empty(), "{fault:?}");
            }
        }
    }
}

#[test]
fn a_repeated_ref_id_returns_the_existing_payment_or_a_conflict_error() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    let first = block_on(client.submit(Service::Recharge, &recharge(Some("ORD-7")))).unwrap();
    let again = block_on(client.submit(Service::Recharge, &recharge(Some("ORD-7")))).unwrap();
    assert_eq!(
        first.trx_id, again.trx_id,
        "same payment replayed, not paid twice"
    );
    let other =
        parse(br#"{"operator_code":"GP","phone":"01812345678","amount":20,"ref_id":"ORD-7"}"#)
            .unwrap();
    assert_eq!(
        block_on(client.submit(Service::Recharge, &other))
            .unwrap_err()
            .kind,
        ErrorKind::RefIdConflict
    );
    assert_eq!(gw.committed.borrow().len(), 1);
    gw.status_faults
        .borrow_mut()
        .extend([Fault::ResetBefore; 3]);
    assert_eq!(
        block_on(client.submit(Service::Recharge, &other))
            .unwrap_err()
            .kind,
        ErrorKind::Duplicate,
        "status unreadable: the gateway's own word stands"
    );
}

/// A `/status` answer for `ref_id` ORD-1 with `fields` (JSON members) added.
fn held_under_ord_1(fields: &str) -> String {
    [
        r#"{"status":true,"trx_id":"TRX-HELD","trx_status":"Success""#,
        fields,
        "}",
    ]
    .concat()
}

#[test]
fn an_unknown_outcome_or_a_duplicate_is_this_payment_only_if_status_says_so() {
    // The request: recharge GP 01712345678 ৳100.50 under ORD-1.
    let same = r#","ref_id":"ORD-1","type":"recharge","operator_code":"GP","phone":"01712345678","amount":100.50"#;
    let rows: [(&str, &str, Result<(), &str>); 12] = [
        ("the same payment", same, Ok(())),
        (
            "the same, as /request answers it (no operator_code)",
            r#","ref_id":"ORD-1","type":"recharge","operator":"Grameenphone","phone":"01712345678","amount":"100.5""#,
            Ok(()),
        ),
        (
            "the same, phone with the country code",
            r#","type":"recharge","phone":"+8801712345678","amount":100.50"#,
            Ok(()),
        ),
        (
            "another phone",
            r#","ref_id":"ORD-1","type":"recharge","operator_code":"GP","phone":"01812345678","amount":100.50"#,
            Err("phone"),
        ),
        (
            "another amount",
            r#","ref_id":"ORD-1","type":"recharge","operator_code":"GP","phone":"01712345678","amount":100.00"#,
            Err("amount"),
        ),
        (
            "another type",
            r#","ref_id":"ORD-1","type":"mfs","operator_code":"GP","phone":"01712345678","amount":100.50"#,
            Err("type"),
        ),
        (
            "another operator",
            r#","ref_id":"ORD-1","type":"recharge","operator_code":"RB","phone":"01712345678","amount":100.50"#,
            Err("operator_code"),
        ),
        (
            "another ref_id",
            r#","ref_id":"ORD-2","type":"recharge","phone":"01712345678","amount":100.50"#,
            Err("ref_id"),
        ),
        (
            "no phone",
            r#","type":"recharge","amount":100.50"#,
            Err("phone"),
        ),
        (
            "no amount",
            r#","type":"recharge","phone":"01712345678""#,
            Err("amount"),
        ),
        (
            "no type",
            r#","phone":"01712345678","amount":100.50"#,
            Err("type"),
        ),
        (
            "another phone and amount",
            r#","type":"recharge","phone":"01912345678","amount":5"#,
            Err("phone, amount"),
        ),
    ];
    // How the client comes to ask: its answer lost, or refused as a duplicate.
    for path in ["unknown outcome", "duplicate"] {
        for (name, fields, want) in &rows {
            let gw = FakeGateway::default();
            if path == "duplicate" {
                gw.committed.borrow_mut().push((
                    "ORD-1".into(),
                    "TRX-HELD".into(),
                    "01700000000".into(),
                    "1".into(),
                ));
            } else {
                gw.faults.borrow_mut().push(Fault::ServerErrorBefore);
            }
            gw.status_answer.replace(Some(held_under_ord_1(fields)));
            let client = GatewayClient::new(&gw, config(""));
            let got = block_on(client.submit(Service::Recharge, &recharge(Some("ORD-1"))));
            let calls: Vec<String> = gw.calls.borrow().iter().map(|c| c.1.clone()).collect();
            assert_eq!(calls, ["request", "status"], "{path}, {name}");
            match want {
                Ok(()) => assert_eq!(
                    got.map(|t| t.trx_id),
                    Ok("TRX-HELD".to_owned()),
                    "{path}, {name}"
                ),
                Err(fields) => {
                    let e = got.unwrap_err();
                    assert_eq!(
                        (e.kind.as_str(), e.not_committed),
                        ("ref_id_conflict", false),
                        "{path}, {name}"
                    );
                    assert!(
                        e.message
                            .contains(&["ref_id ORD-1 (differing in ", fields, ")"].concat()),
                        "{path}, {name}: {}",
                        e.message
                    );
                    assert!(
                        !e.message.contains("01812345678"),
                        "no other order's values"
                    );
                }
            }
        }
    }
}

#[test]
fn a_status_answer_that_cannot_be_read_confirms_nothing() {
    let gw = FakeGateway::default();
    gw.faults.borrow_mut().push(Fault::ServerErrorBefore);
    gw.status_answer
        .replace(Some(r#"{"status":true,"trx_id":"T"}"#.into()));
    let client = GatewayClient::new(&gw, config(r#","reconcileChecks":2"#));
    let e = block_on(client.submit(Service::Recharge, &recharge(Some("ORD-1")))).unwrap_err();
    assert_eq!(
        (e.kind, e.not_committed),
        (ErrorKind::OutcomeUnknown, false)
    );
    assert_eq!((e.code.as_str(), e.status), ("outcome_unknown", 500));
}

#[test]
fn a_payment_that_landed_while_status_cannot_be_read_is_said_as_unknown() {
    // Committed, its answer lost, and every status ask failing: the payment
    // may have gone through, and the error says so in both languages.
    for fault in [
        Fault::DropAfterCommit,
        Fault::TimeoutAfterCommit,
        Fault::ServerErrorAfter,
    ] {
        let gw = FakeGateway::default();
        gw.faults.borrow_mut().push(fault);
        gw.status_faults
            .borrow_mut()
            .extend([Fault::ResetBefore; 40]);
        let client = GatewayClient::new(&gw, config(r#","reconcileChecks":2"#));
        let e = block_on(client.submit(Service::Recharge, &recharge(Some("ORD-U")))).unwrap_err();
        assert_eq!(
            (e.kind, e.not_committed),
            (ErrorKind::OutcomeUnknown, false),
            "{fault:?}"
        );
        assert!(e.message.contains("Do not pay again"), "{}", e.message);
        assert!(
            e.message_bn.contains("আবার পেমেন্ট করবেন না"),
            "{}",
            e.message_bn
        );
        assert_eq!(gw.committed.borrow().len(), 1, "{fault:?}: it did land");
        let requests = gw.times_of("request").len();
        assert_eq!(requests, 1, "{fault:?}: sent once");
    }
}

#[test]
fn a_rate_limited_request_waits_retry_after_then_goes_once() {
    let gw = FakeGateway::default();
    gw.faults.borrow_mut().push(Fault::RateLimited);
    let client = GatewayClient::new(&gw, config(""));
    block_on(client.submit(Service::Recharge, &recharge(None))).unwrap();
    let calls = gw.calls.borrow();
    assert_eq!(
        calls.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(),
        ["request", "request"]
    );
    assert!(
        calls[1].0 - calls[0].0 >= 2_000,
        "waited Retry-After: {calls:?}"
    );
    assert_eq!(gw.committed.borrow().len(), 1);
}

#[test]
fn invalid_requests_never_reach_the_network() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    let bad = parse(br#"{"operator_code":"GP","phone":"01112345678","amount":"1.005"}"#).unwrap();
    let e = block_on(client.submit(Service::Recharge, &bad)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(
        e.field_errors
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>(),
        ["invalid_phone", "too_many_decimals"]
    );
    let wrong_type =
        parse(br#"{"type":"mfs","operator_code":"GP","phone":"01712345678","amount":10}"#).unwrap();
    assert_eq!(
        block_on(client.submit(Service::Recharge, &wrong_type))
            .unwrap_err()
            .field_errors[0]
            .code
            .as_str(),
        "invalid_type"
    );
    assert!(gw.calls.borrow().is_empty());
}

#[test]
fn reads_retry_transient_failures_with_backoff() {
    let gw = FakeGateway::default();
    gw.committed.borrow_mut().push((
        "R1".into(),
        "TRX0".into(),
        "01712345678".into(),
        "10".into(),
    ));
    gw.status_faults
        .borrow_mut()
        .extend([Fault::ResetBefore, Fault::RateLimited]);
    let client = GatewayClient::new(&gw, config(""));
    let t = block_on(client.status(&parse(br#"{"ref_id":"R1"}"#).unwrap())).unwrap();
    assert_eq!(t.trx_id, "TRX0");
    let times: Vec<u64> = gw.calls.borrow().iter().map(|c| c.0).collect();
    assert_eq!(times.len(), 3);
    assert!(
        times[2] - times[1] >= 2_000,
        "Retry-After honoured: {times:?}"
    );
    gw.status_faults
        .borrow_mut()
        .extend([Fault::ResetBefore; 3]);
    let e = block_on(client.status(&parse(br#"{"ref_id":"R1"}"#).unwrap())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "gives up after max_retries");
}

#[test]
fn the_limiter_spreads_a_burst_over_the_minute() {
    let gw = FakeGateway::default();
    // One payment 35 times over, with the repeat guard off.
    let client = GatewayClient::new(&gw, config(r#","repeatGuardMs":0"#));
    for i in 0..35 {
        block_on(client.submit(
            Service::Recharge,
            &recharge(Some(&["B", &i.to_string()].concat())),
        ))
        .unwrap();
    }
    let times: Vec<u64> = gw.times_of("request");
    assert_eq!(times.len(), 35);
    assert_eq!(times[29], 0);
    assert_eq!(times[30], 60_000, "the 31st request waits for the window");
    let unlimited = FakeGateway::default();
    let client = GatewayClient::new(&unlimited, config(r#","rateLimit":false"#));
    for _ in 0..35 {
        block_on(client.balance()).unwrap();
    }
    assert_eq!(unlimited.now.get(), 0);
}

#[test]
fn wait_for_final_polls_with_backoff_until_success_or_deadline() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(
        &gw,
        config(r#","pollIntervalMs":1000,"waitTimeoutMs":60000"#),
    );
    let t = block_on(client.submit(Service::Recharge, &recharge(Some("W1")))).unwrap();
    gw.pending_polls.set(3);
    let done = block_on(client.wait_for_final(&t.to_json())).unwrap();
    assert_eq!(done.trx_status, "Success");
    let polls: Vec<u64> = gw.times_of("status");
    assert_eq!(polls, [0, 1_000, 2_500, 4_750]);
    gw.pending_polls.set(1_000);
    let e = block_on(client.wait_for_final(&parse(br#"{"ref_id":"W1"}"#).unwrap())).unwrap_err();
    assert_eq!(
        (e.kind, e.messages.as_slice()),
        (ErrorKind::Timeout, ["Pending".to_owned()].as_slice())
    );
    assert!(gw.now.get() >= 4_750 + 60_000);
}

#[test]
fn wait_for_final_keeps_polling_through_rate_limits_and_failures() {
    // Three 429s (Retry-After 2 s) on every read's retries, then a dropped
    // read, then Success: the wait ends with Success, not with the 429.
    let gw = FakeGateway::default();
    let client = GatewayClient::new(
        &gw,
        config(r#","pollIntervalMs":1000,"waitTimeoutMs":120000"#),
    );
    let t = block_on(client.submit(Service::Recharge, &recharge(Some("W2")))).unwrap();
    gw.pending_polls.set(1);
    gw.status_faults.borrow_mut().extend(
        [Fault::RateLimited; 9]
            .into_iter()
            .chain([Fault::ResetBefore; 4]),
    );
    let done = block_on(client.wait_for_final(&t.to_json())).unwrap();
    assert_eq!(done.trx_status, "Success");
    let polls: Vec<u64> = gw.times_of("status");
    assert!(polls.len() >= 15, "{polls:?}");
    assert!(
        polls.windows(2).take(9).all(|w| w[1] - w[0] >= 2_000),
        "Retry-After honoured: {polls:?}"
    );
    assert!(
        gw.now.get() < 120_000,
        "ended by Success, not by the deadline"
    );
    // Failing past the deadline: the last failure is what it says.
    gw.status_faults
        .borrow_mut()
        .extend([Fault::ResetBefore; 400]);
    let client = GatewayClient::new(
        &gw,
        config(r#","pollIntervalMs":1000,"waitTimeoutMs":30000"#),
    );
    let start = gw.now.get();
    let e = block_on(client.wait_for_final(&parse(br#"{"ref_id":"W2"}"#).unwrap())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(gw.now.get() - start >= 30_000, "polled until the deadline");
}

#[test]
fn config_refuses_plain_http_with_a_token_off_loopback() {
    let bad = parse(br#"{"baseUrl":"http://flexiloadbd.net","token":"secret-123"}"#).unwrap();
    let e = Config::from_json(&bad).unwrap_err();
    assert_eq!(
        (
            e.field_errors[0].field.as_str(),
            e.field_errors[0].code.as_str()
        ),
        ("baseUrl", "invalid_url")
    );
    let ftp = Config::from_json(&parse(br#"{"baseUrl":"ftp://x"}"#).unwrap()).unwrap_err();
    assert_eq!(ftp.message, "baseUrl must be an http:// or https:// URL.");
    assert!(!e.message.contains("secret-123") && e.message.contains("allowInsecureHttp"));
    let ok = parse(
        br#"{"baseUrl":"http://flexiloadbd.net","token":"secret-123","allowInsecureHttp":true}"#,
    )
    .unwrap();
    assert!(Config::from_json(&ok).is_ok());
    let proxy = parse(br#"{"baseUrl":"http://proxy.shop.test"}"#).unwrap();
    assert!(
        Config::from_json(&proxy).is_ok(),
        "no token, nothing to protect"
    );
}

/// A wallet that pays each request id once; `drop_next` loses the next answer.
#[derive(Default)]
struct FakeWallet {
    now: Cell<u64>,
    paid: RefCell<Vec<String>>,
    drop_next: Cell<bool>,
    /// Resend a dropped POST once, as Chromium does on a reused connection.
    browser_resend: Cell<bool>,
    executes: Cell<u32>,
    /// Request ids the wallet never issued.
    unknown: RefCell<Vec<String>>,
    /// `histories` cannot be reached.
    histories_down: Cell<bool>,
}

impl FakeWallet {
    fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let body = parse(req.body.as_deref().unwrap_or("{}").as_bytes()).unwrap();
        let id = body
            .get("request_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let invalid = r#"{"code":422,"messages":["The selected request id is invalid."],"data":null,"error_title":null}"#;
        if req.url.ends_with("/execute") {
            self.executes.set(self.executes.get() + 1);
            if self.paid.borrow().contains(&id) || self.unknown.borrow().contains(&id) {
                return Ok(json_resp(422, invalid));
            }
            if body.get("pin") != Some(&Value::Number("1234".into())) {
                return Ok(json_resp(
                    422,
                    r#"{"code":422,"messages":["Sorry! PIN does not match."],"data":null,"error_title":"E_PIN_ERROR"}"#,
                ));
            }
            self.paid.borrow_mut().push(id);
            if self.drop_next.replace(false) {
                if self.browser_resend.get() {
                    return self.handle(req);
                }
                return Err(TransportError::Network("connection closed".into()));
            }
            return Ok(json_resp(
                200,
                r#"{"summary":{"biller":{"title":"Gas","logo":"l"},"total_payable":"৳105.00"}}"#,
            ));
        }
        if req.url.ends_with("/histories") {
            if self.histories_down.get() {
                return Err(TransportError::Network("reset".into()));
            }
            if self.paid.borrow().contains(&id) {
                return Ok(json_resp(
                    200,
                    r#"{"code":200,"messages":[],"data":{"order_id":"o","title":"Gas","logo":"l","amount":"৳105.00","trx_id":"t","created_at":"20/02/2025 03:45 PM","details":{}}}"#,
                ));
            }
            return Ok(json_resp(422, invalid));
        }
        Ok(json_resp(404, ""))
    }
}

impl Peer for FakeWallet {
    fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        FakeWallet::handle(self, req)
    }
    fn clock(&self) -> &Cell<u64> {
        &self.now
    }
}

#[test]
fn execute_pays_once_whatever_happens_to_the_answer() {
    let exec = |pin: &str| {
        parse(
            ["{\"request_id\":\"r-1\",\"pin\":\"", pin, "\"}"]
                .concat()
                .as_bytes(),
        )
        .unwrap()
    };
    for (drop, resend) in [(false, false), (true, false), (true, true)] {
        let w = FakeWallet::default();
        w.drop_next.set(drop);
        w.browser_resend.set(resend);
        let client = BillPayClient::new(&w, config(""));
        let r = block_on(client.execute(&exec("1234"))).unwrap();
        let total = r.total_payable.map(|m| m.amount);
        let want = if drop {
            None
        } else {
            Some(bdpay_core::money::Amount::from_taka(105))
        };
        assert_eq!(
            total, want,
            "drop {drop} resend {resend}: no summary seen, so no total guessed"
        );
        assert_eq!(
            r.history.is_some(),
            drop,
            "a found payment carries its history record"
        );
        assert_eq!(w.paid.borrow().len(), 1);
        assert_eq!(
            w.executes.get(),
            if resend { 2 } else { 1 },
            "the client itself never resends"
        );
    }
    let w = FakeWallet::default();
    let client = BillPayClient::new(&w, config(""));
    let e = block_on(client.execute(&exec("9999"))).unwrap_err();
    assert_eq!(
        (e.kind, e.title.as_deref()),
        (ErrorKind::Validation, Some("E_PIN_ERROR"))
    );
    w.unknown.borrow_mut().push("never-issued".into());
    let e =
        block_on(client.execute(&parse(br#"{"request_id":"never-issued","pin":"1234"}"#).unwrap()))
            .unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Validation, "The selected request id is invalid."),
        "unpaid stays refused"
    );
    assert!(w.paid.borrow().is_empty());
}

#[test]
fn a_bill_whose_answer_is_lost_while_histories_is_down_is_said_as_unknown() {
    // Dropped with no resend: the transport's error; resent by a browser:
    // "The selected request id is invalid." for the id just paid. Either
    // way, with histories unreadable, the payment may have gone through.
    for resend in [false, true] {
        let w = FakeWallet::default();
        w.drop_next.set(true);
        w.browser_resend.set(resend);
        w.histories_down.set(true);
        let client = BillPayClient::new(&w, config(r#","reconcileChecks":2"#));
        let e = block_on(client.execute(&parse(br#"{"request_id":"r-1","pin":"1234"}"#).unwrap()))
            .unwrap_err();
        assert_eq!(
            (e.kind, e.not_committed),
            (ErrorKind::OutcomeUnknown, false),
            "resend {resend}: {}",
            e.message
        );
        assert_eq!(w.paid.borrow().len(), 1, "it did pay, once");
    }
    // A request id the wallet never issued gets the same sentence: with
    // histories down, the client cannot tell it from one just paid, so it
    // does not say "refused" either.
    let w = FakeWallet::default();
    w.unknown.borrow_mut().push("never-issued".into());
    w.histories_down.set(true);
    let client = BillPayClient::new(&w, config(""));
    let e =
        block_on(client.execute(&parse(br#"{"request_id":"never-issued","pin":"1234"}"#).unwrap()))
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutcomeUnknown);
}

#[test]
fn a_history_record_is_this_bill_only_if_its_amount_is_the_summarys() {
    let taka = bdpay_core::money::Amount::from_taka;
    // The fake's history record says ৳105.00.
    let rows = [
        ("bill amount, no charge", Some((105, 105)), Ok(Some(105))),
        (
            "bill amount 100 + charge 5",
            Some((100, 105)),
            Ok(Some(105)),
        ),
        ("another bill", Some((200, 210)), Err(())),
        ("no summary seen", None, Ok(None)),
    ];
    // The answer lost; and lost, then resent by the browser ("invalid" request id).
    for resend in [false, true] {
        for (name, priced, want) in &rows {
            let w = FakeWallet::default();
            w.drop_next.set(true);
            w.browser_resend.set(resend);
            let client = BillPayClient::new(&w, config(""));
            if let Some((amount, total)) = priced {
                client.priced.borrow_mut().push(Priced {
                    request_id: "r-1".into(),
                    amount: taka(*amount),
                    total: billpay::Money {
                        amount: taka(*total),
                        display: String::new(),
                    },
                });
            }
            let got =
                block_on(client.execute(&parse(br#"{"request_id":"r-1","pin":"1234"}"#).unwrap()));
            match want {
                Ok(total) => assert_eq!(
                    got.map(|r| r.total_payable.map(|m| m.amount)),
                    Ok(total.map(taka)),
                    "{name}, resend {resend}"
                ),
                Err(()) => {
                    let e = got.unwrap_err();
                    assert_eq!(
                        (e.kind, e.not_committed),
                        (ErrorKind::RefIdConflict, false),
                        "{name}, resend {resend}"
                    );
                    assert!(e.message.contains("request_id r-1"), "{}", e.message);
                }
            }
            assert_eq!(w.paid.borrow().len(), 1, "{name}: paid once");
        }
    }
}

/// Number settings are read as the proxy reads its own: a JSON number or a
/// decimal string, and anything else refused by name.
#[test]
fn number_settings_take_a_number_or_decimal_text() {
    let read = |field: &str, value: &str| {
        let text = format!(r#"{{"baseUrl":"https://gw.example","{field}":{value}}}"#);
        Config::from_json(&parse(text.as_bytes()).unwrap())
    };
    for ok in ["30000", r#""30000""#] {
        assert_eq!(read("timeoutMs", ok).unwrap().timeout_ms, 30_000, "{ok}");
        assert_eq!(read("waitTimeoutMs", ok).unwrap().wait_timeout_ms, 30_000);
    }
    assert_eq!(read("maxRetries", r#""3""#).unwrap().retry.max_retries, 3);
    assert_eq!(
        read("reconcileChecks", r#""7""#).unwrap().reconcile_checks,
        7
    );
    let limits = read("rateLimit", r#"{"perMinute":"20","periodMs":1000}"#).unwrap();
    assert_eq!(
        limits.rate_limit,
        Some(RateLimit {
            reads: 20,
            requests: 30,
            period_ms: 1000
        })
    );
    let want = FieldError::new("timeoutMs", Rule::WholeNumber);
    for bad in [
        r#""30k""#, "-1", "1.5", "true", r#""-1""#, r#""1.5""#, "3e4",
    ] {
        let e = read("timeoutMs", bad).unwrap_err();
        assert_eq!(e.field_errors, std::slice::from_ref(&want), "{bad}");
        assert_eq!(e.field_errors[0].code.as_str(), "invalid_value");
    }
    for bad in [r#""30k""#, "-1", "1.5", "true", "0", r#""0""#] {
        let limits = format!(r#"{{"perMinute":{bad}}}"#);
        let e = read("rateLimit", &limits).unwrap_err();
        assert_eq!(
            e.field_errors,
            [FieldError::new("rateLimit", Rule::RateLimit)],
            "{bad}"
        );
    }
}

#[test]
fn the_same_payment_again_within_minutes_needs_a_confirmation() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    let requests = || gw.times_of("request").len();
    let first = block_on(client.submit(Service::Recharge, &recharge(Some("R-1")))).unwrap();
    gw.now.set(90_000);
    let e = block_on(client.submit(Service::Recharge, &recharge(Some("R-2")))).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_str()),
        (ErrorKind::Repeat, "repeat_payment")
    );
    assert_eq!(
        e.message,
        "৳100.50 to 01712345678 was sent 2 min ago. Nothing was sent now: confirm to pay it again."
    );
    assert!(
        e.message_bn
            .starts_with("০১৭১২৩৪৫৬৭৮ নম্বরে ৳১০০.৫০ ২ মিনিট আগে"),
        "{}",
        e.message_bn
    );
    assert_eq!(e.messages, [first.trx_id.clone(), "R-1".to_owned()]);
    assert_eq!(requests(), 1, "nothing sent");

    // The same ref_id is the same payment, not a repeat: answered, not paid again.
    let again = block_on(client.submit(Service::Recharge, &recharge(Some("R-1")))).unwrap();
    assert_eq!(again.trx_id, first.trx_id);
    // Another amount is another payment.
    let other = parse(br#"{"operator_code":"GP","phone":"01712345678","amount":50}"#).unwrap();
    block_on(client.submit(Service::Recharge, &other)).unwrap();
    // Confirmed, it goes.
    let mut confirmed = recharge(Some("R-2"));
    if let Value::Object(fields) = &mut confirmed {
        fields.push(("confirm_repeat".into(), Value::Bool(true)));
    }
    block_on(client.submit(Service::Recharge, &confirmed)).unwrap();
    assert_eq!(gw.committed.borrow().len(), 3);
    // Past the window, it goes without asking.
    gw.now.set(90_000 + 300_000);
    block_on(client.submit(Service::Recharge, &recharge(Some("R-3")))).unwrap();
    assert_eq!(gw.committed.borrow().len(), 4);

    let mut bad = recharge(Some("R-4"));
    if let Value::Object(fields) = &mut bad {
        fields.push(("confirm_repeat".into(), Value::from("yes")));
    }
    let e = block_on(client.submit(Service::Recharge, &bad)).unwrap_err();
    assert_eq!(e.field_errors[0].field, "confirm_repeat");

    // Off with repeatGuardMs 0.
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(r#","repeatGuardMs":0"#));
    block_on(client.submit(Service::Recharge, &recharge(Some("O-1")))).unwrap();
    block_on(client.submit(Service::Recharge, &recharge(Some("O-2")))).unwrap();
    assert_eq!(gw.committed.borrow().len(), 2);
}

#[test]
fn a_payment_seen_failed_may_be_paid_again_without_asking() {
    let gw = FakeGateway::default();
    gw.status_answer.replace(Some(
        r#"{"status":true,"trx_id":"TRX0","ref_id":"F-1","type":"recharge","phone":"01712345678","amount":"100.50","trx_status":"Failed"}"#.into(),
    ));
    let client = GatewayClient::new(&gw, config(""));
    let t = block_on(client.submit(Service::Recharge, &recharge(Some("F-1")))).unwrap();
    assert_eq!(t.trx_id, "TRX0", "the fake numbers its first trx TRX0");
    assert_eq!(
        block_on(client.wait_for_final(&t.to_json()))
            .unwrap()
            .trx_status,
        "Failed"
    );
    block_on(client.submit(Service::Recharge, &recharge(Some("F-2")))).unwrap();
    assert_eq!(gw.committed.borrow().len(), 2);
}

/// An intent for `payment` (JSON text), signed with a test key at time 0.
fn intent_for(payment: &str) -> String {
    let key =
        crate::intent::IntentKey::new("test-merchant-intent-key-0123456789abcdefghij").unwrap();
    crate::intent::create_request(
        &parse(payment.as_bytes()).unwrap(),
        &key,
        0,
        "bdp-fresh",
        &Rules::default(),
    )
    .unwrap()
}

#[test]
fn an_intent_alone_pays_what_it_signed_read_once_in_the_client() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    let intent = intent_for(
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":250,"ref_id":"ORD-7"}"#,
    );
    let args = bdpay_core::json::object([("intent", intent.as_str().into())]);
    let t = block_on(client.request(&args)).unwrap();
    assert_eq!(t.ref_id.as_deref(), Some("ORD-7"));
    assert_eq!(
        *gw.committed.borrow(),
        [(
            "ORD-7".to_owned(),
            t.trx_id.clone(),
            "01712345678".to_owned(),
            // As the page sends it: the intent's amount as a JSON number.
            "250".to_owned()
        )]
    );
    // By its method, the same: the type comes from the method and must match.
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    assert!(block_on(client.submit(Service::Recharge, &args)).is_ok());
    let e = block_on(client.submit(Service::Mfs, &args)).unwrap_err();
    assert_eq!(e.field_errors[0].field, "type");
    assert_eq!(gw.committed.borrow().len(), 1);
}

#[test]
fn fields_the_page_gives_stay_beside_its_intent() {
    let gw = FakeGateway::default();
    let client = GatewayClient::new(&gw, config(""));
    let intent = intent_for(
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":250,"ref_id":"ORD-8"}"#,
    );
    // The page's own phone is sent as it gave it (a proxy refuses it as not
    // the signed one); nothing of the intent overrides the page.
    let args = bdpay_core::json::object([
        ("intent", intent.as_str().into()),
        ("phone", "01812345678".into()),
    ]);
    block_on(client.request(&args)).unwrap();
    assert_eq!(gw.committed.borrow()[0].2, "01812345678");
    // No intent, or one that does not read: the arguments as they are.
    let bare = bdpay_core::json::object([("intent", "not-an-intent".into())]);
    let e = block_on(client.request(&bare)).unwrap_err();
    assert_eq!(e.field_errors[0].field, "type");
    assert_eq!(gw.committed.borrow().len(), 1);
}
