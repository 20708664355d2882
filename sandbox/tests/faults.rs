//! Fault injection over real loopback HTTP: each kind, from the header and
//! from the queue, what it leaves behind, and that the sandbox survives it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::{Duration, Instant};

use common::{at, len, s, Outcome, Sandbox, GW, WALLET};

const REQ: &str = "/api/gateway/v1/request";

fn recharge(ref_id: &str) -> String {
    format!(
        r#"{{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":50,"ref_id":"{ref_id}"}}"#
    )
}

/// Submits a recharge with an `X-Sandbox-Fault` header.
fn submit_with(sb: &Sandbox, token: &str, fault: &str, ref_id: &str) -> Outcome {
    let auth = format!("Bearer {token}");
    sb.send(
        "POST",
        REQ,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("X-Sandbox-Fault", fault),
        ],
        Some(recharge(ref_id).as_bytes()),
    )
}

fn held_count(sb: &Sandbox, token: &str) -> usize {
    len(&sb.held(token), "transactions")
}

fn still_alive(sb: &Sandbox, token: &str) {
    assert_eq!(
        sb.get(&format!("{GW}/balance"), token).status,
        200,
        "the sandbox answers after the fault"
    );
}

#[test]
fn reset_closes_the_connection_before_anything_is_recorded() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    assert!(matches!(
        submit_with(&sb, &t, "reset", "r-1"),
        Outcome::Reset
    ));
    assert!(matches!(
        submit_with(&sb, &t, "reset;close=fin", "r-2"),
        Outcome::Empty
    ));
    assert_eq!(held_count(&sb, &t), 0);
    let st = sb.post("/api/gateway/v1/status", &t, r#"{"ref_id":"r-1"}"#);
    assert_eq!(st.status, 404, "nothing under the ref_id");
    still_alive(&sb, &t);
}

#[test]
fn drop_after_commit_keeps_exactly_one_transaction() {
    let sb = Sandbox::start();
    let t = sb.account(r#"{"balances":{"flexiload_balance":"1000.00"}}"#);
    assert!(matches!(
        submit_with(&sb, &t, "drop_after_commit", "once-1"),
        Outcome::Empty
    ));
    assert_eq!(held_count(&sb, &t), 1);
    // The client's way out: ask by ref_id, and a resend is a duplicate, never a second payment.
    let st = sb.post("/api/gateway/v1/status", &t, r#"{"ref_id":"once-1"}"#);
    assert_eq!(
        (st.status, s(&st.json(), "ref_id")),
        (200, "once-1".to_owned())
    );
    let again = sb.post(REQ, &t, &recharge("once-1"));
    assert_eq!(
        (again.status, s(&again.json(), "message")),
        (422, "Duplicate transaction".to_owned())
    );
    assert_eq!(held_count(&sb, &t), 1);
    assert_eq!(
        s(
            &sb.get(&format!("{GW}/balance"), &t).json(),
            "data.flexiload_balance"
        ),
        "950.00"
    );
    // With an RST instead of a FIN.
    assert!(matches!(
        submit_with(&sb, &t, "drop_after_commit;close=rst", "once-2"),
        Outcome::Reset
    ));
    assert_eq!(held_count(&sb, &t), 2);
    still_alive(&sb, &t);
}

#[test]
fn latency_delays_before_or_after_the_commit() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    for (fault, ref_id) in [
        ("latency;ms=300", "l-1"),
        ("latency;ms=300;phase=after", "l-2"),
    ] {
        let started = Instant::now();
        let Outcome::Answer(r) = submit_with(&sb, &t, fault, ref_id) else {
            panic!("{fault}")
        };
        let took = started.elapsed();
        assert_eq!(r.status, 200);
        assert!(took >= Duration::from_millis(300), "{fault}: {took:?}");
    }
    assert_eq!(held_count(&sb, &t), 2);
}

#[test]
fn status_faults_answer_an_error_before_or_after_the_commit() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    // (fault, status, content type, body starts with, committed)
    let rows = [
        ("status;code=503", 503, "text/html", "<html>", false),
        (
            "status;code=502;body=json",
            502,
            "application/json",
            r#"{"status":false,"message":"Bad Gateway"}"#,
            false,
        ),
        (
            "status",
            500,
            "application/json",
            r#"{"status":false,"message":"Server Error"}"#,
            false,
        ),
        (
            "status;code=500;phase=after",
            500,
            "application/json",
            r#"{"status":false,"message":"Server Error"}"#,
            true,
        ),
        (
            "status;code=504;phase=after",
            504,
            "text/html",
            "<html>",
            true,
        ),
    ];
    let mut committed = 0;
    for (i, (fault, status, ct, start, commits)) in rows.into_iter().enumerate() {
        let Outcome::Answer(r) = submit_with(&sb, &t, fault, &format!("s-{i}")) else {
            panic!("{fault}")
        };
        assert_eq!(r.status, status, "{fault}");
        assert_eq!(r.header("content-type"), Some(ct), "{fault}");
        assert!(r.text().starts_with(start), "{fault}: {}", r.text());
        committed += usize::from(commits);
        assert_eq!(held_count(&sb, &t), committed, "{fault}");
    }
    // The wallet's error shape for wallet paths.
    let auth = format!("Bearer {t}");
    let r = sb.call(
        "GET",
        &format!("{WALLET}/utility/billers"),
        &[
            ("Authorization", &auth),
            ("X-Sandbox-Fault", "status;code=500"),
        ],
        None,
    );
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            500,
            r#"{"code":500,"messages":["Server Error"],"data":null}"#
        )
    );
}

#[test]
fn rate_limit_fault_says_when_to_retry() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let Outcome::Answer(r) = submit_with(&sb, &t, "rate_limit;secs=7", "rl-1") else {
        panic!()
    };
    assert_eq!((r.status, r.header("retry-after")), (429, Some("7")));
    assert_eq!(
        r.text(),
        r#"{"status":false,"message":"Too Many Attempts."}"#
    );
    assert_eq!(held_count(&sb, &t), 0);
    // A retry with the same ref_id then goes through.
    assert_eq!(sb.post(REQ, &t, &recharge("rl-1")).status, 200);
}

#[test]
fn broken_bodies_come_after_the_commit() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let rows = [
        ("malformed_json", "application/json"),
        ("wrong_content_type", "text/html; charset=UTF-8"),
        ("truncated", "application/json"),
    ];
    for (i, (fault, ct)) in rows.into_iter().enumerate() {
        let Outcome::Answer(r) = submit_with(&sb, &t, fault, &format!("b-{i}")) else {
            panic!("{fault}")
        };
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(ct)),
            "{fault}"
        );
        let parsed = bdpay_core::json::parse(&r.body);
        if fault == "wrong_content_type" {
            assert_eq!(s(&parsed.unwrap(), "trx_status"), "Pending");
        } else {
            assert!(parsed.is_err(), "{fault}: {}", r.text());
        }
        assert_eq!(held_count(&sb, &t), i + 1, "{fault} commits first");
    }
    let Outcome::Answer(r) = submit_with(&sb, &t, "truncated", "b-9") else {
        panic!()
    };
    assert!(
        r.text().starts_with(r#"{"status":true,"trx_id":"TRX"#),
        "{}",
        r.text()
    );
    let Outcome::Answer(r) = submit_with(&sb, &t, "malformed_json", "b-10") else {
        panic!()
    };
    assert!(
        r.text().starts_with("<br />") && r.text().contains(r#"{"status":true"#),
        "{}",
        r.text()
    );
}

#[test]
fn redirects_point_at_the_given_loopback_url_before_or_after_the_commit() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let rows = [
        ("redirect;location=http://127.0.0.1:9/x", 307, 0),
        (
            "redirect;code=308;phase=after;location=http://127.0.0.1:9/y",
            308,
            1,
        ),
    ];
    for (i, (fault, code, held)) in rows.into_iter().enumerate() {
        let Outcome::Answer(r) = submit_with(&sb, &t, fault, &format!("rd-{i}")) else {
            panic!("{fault}")
        };
        let to = fault.rsplit("location=").next();
        assert_eq!((r.status, r.header("location")), (code, to), "{fault}");
        assert_eq!(held_count(&sb, &t), held, "{fault}");
    }
    still_alive(&sb, &t);
}

#[test]
fn oversized_answers_are_the_answer_padded_declared_or_chunked() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let Outcome::Answer(r) = submit_with(&sb, &t, "oversized;bytes=300000", "os-1") else {
        panic!()
    };
    assert_eq!((r.status, r.body.len()), (200, 300_000));
    assert_eq!(s(&r.json(), "ref_id"), "os-1", "still the endpoint's JSON");
    let Outcome::Answer(r) = submit_with(&sb, &t, "oversized;length=chunked", "os-2") else {
        panic!()
    };
    assert_eq!(
        (r.header("content-length"), r.header("transfer-encoding")),
        (None, Some("chunked"))
    );
    assert!(r.body.len() > 2 * 1024 * 1024, "{} bytes", r.body.len());
    assert_eq!(held_count(&sb, &t), 2, "both committed");
}

#[test]
fn queued_faults_hit_the_next_matching_calls_only() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let other = sb.account("{}");
    let r = sb.admin(
        "POST",
        "/__sandbox/faults",
        &format!(r#"{{"kind":"status","code":503,"phase":"before","path":"/api/gateway/v1/request","token":"{t}","count":2}}"#),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(!r.text().contains(&t), "the token is not echoed");
    let listed = sb.call("GET", "/__sandbox/faults", &[], None).json();
    assert_eq!(
        (len(&listed, "faults"), s(&listed, "faults.0.remaining")),
        (1, "2".to_owned())
    );
    assert_eq!(s(&listed, "faults.0.kind"), "status");
    assert_eq!(at(&listed, "faults.0.for_token"), &true.into());

    // Other paths and other tokens are untouched.
    assert_eq!(sb.get(&format!("{GW}/balance"), &t).status, 200);
    assert_eq!(sb.post(REQ, &other, &recharge("o-1")).status, 200);
    assert_eq!(sb.post(REQ, &t, &recharge("q-1")).status, 503);
    let listed = sb.call("GET", "/__sandbox/faults", &[], None).json();
    assert_eq!(s(&listed, "faults.0.remaining"), "1");
    assert_eq!(sb.post(REQ, &t, &recharge("q-1")).status, 503);
    assert_eq!(
        sb.post(REQ, &t, &recharge("q-1")).status,
        200,
        "the queue is used up"
    );
    assert_eq!(
        len(
            &sb.call("GET", "/__sandbox/faults", &[], None).json(),
            "faults"
        ),
        0
    );

    // A queued connection reset, for any token, by path prefix.
    assert_eq!(
        sb.admin(
            "POST",
            "/__sandbox/faults",
            r#"{"kind":"reset","path":"/api/gateway/"}"#
        )
        .status,
        201
    );
    let auth = format!("Bearer {t}");
    assert!(matches!(
        sb.send(
            "GET",
            &format!("{GW}/balance"),
            &[("Authorization", &auth)],
            None
        ),
        Outcome::Reset
    ));
    // A queued drop for the wallet's execute path.
    assert_eq!(
        sb.admin("POST", "/__sandbox/faults", r#"{"kind":"drop_after_commit","path":"/api/v1/private/wallet/utility-bill-pay/execute"}"#).status,
        201
    );
    let id = s(
        &sb.get(&format!("{WALLET}/utility-bill-pay/summary?biller_id=b025&bll_typ=NM&mode=SAPI&bll_no=1234567890"), &t).json(),
        "data.summary.request_id",
    );
    let body = format!(r#"{{"request_id":"{id}","pin":1234}}"#);
    let out = sb.send(
        "POST",
        &format!("{WALLET}/utility-bill-pay/execute"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    );
    assert!(matches!(out, Outcome::Empty), "{out:?}");
    assert_eq!(len(&sb.held(&t), "payments"), 1, "paid once, answer lost");
    let hist = sb.post(
        &format!("{WALLET}/utility-bill-pay/histories"),
        &t,
        &format!(r#"{{"request_id":"{id}"}}"#),
    );
    assert_eq!(hist.status, 200, "histories tells what happened");

    // Several queued, then cleared.
    for _ in 0..3 {
        assert_eq!(
            sb.admin(
                "POST",
                "/__sandbox/faults",
                r#"{"kind":"latency","ms":10,"count":5}"#
            )
            .status,
            201
        );
    }
    let cleared = sb.admin("DELETE", "/__sandbox/faults", "");
    assert_eq!(s(&cleared.json(), "cleared"), "3");
    still_alive(&sb, &t);
}

#[test]
fn bad_faults_are_refused_with_400() {
    let sb = Sandbox::start();
    let rows = [
        "{}",
        r#"{"kind":"explode"}"#,
        r#"{"kind":"status","code":200}"#,
        r#"{"kind":"latency","ms":"soon"}"#,
        r#"{"kind":"reset","count":0}"#,
        r#"{"kind":"reset","path":"api"}"#,
        r#"{"kind":"reset","ms":5}"#,
        r#"{"kind":["reset"]}"#,
        "not json",
    ];
    for body in rows {
        let r = sb.admin("POST", "/__sandbox/faults", body);
        assert_eq!(r.status, 400, "{body}");
        assert!(!s(&r.json(), "error").is_empty());
    }
    let r = sb.call(
        "GET",
        &format!("{GW}/balance"),
        &[
            ("Authorization", "Bearer sandbox-token"),
            ("X-Sandbox-Fault", "status;code=99"),
        ],
        None,
    );
    assert_eq!(r.status, 400);
    assert!(s(&r.json(), "error").starts_with("X-Sandbox-Fault: code"));
    assert_eq!(
        len(
            &sb.call("GET", "/__sandbox/faults", &[], None).json(),
            "faults"
        ),
        0
    );
}

#[test]
fn faults_never_touch_admin_or_static_paths() {
    let sb = Sandbox::start();
    assert_eq!(
        sb.admin("POST", "/__sandbox/faults", r#"{"kind":"reset","count":3}"#)
            .status,
        201
    );
    let r = sb.call(
        "GET",
        "/__sandbox/transactions",
        &[("X-Sandbox-Fault", "reset")],
        None,
    );
    assert_eq!(r.status, 200);
    let r = sb.call(
        "GET",
        "/no-such-file.txt",
        &[("X-Sandbox-Fault", "reset")],
        None,
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        s(
            &sb.call("GET", "/__sandbox/faults", &[], None).json(),
            "faults.0.remaining"
        ),
        "3"
    );
}
