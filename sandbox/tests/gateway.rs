//! The recharge gateway over real loopback HTTP: every endpoint, every
//! documented error, balances, settling and rate limits.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::thread::sleep;
use std::time::Duration;

use common::{at, len, num, s, Sandbox, GW};

const REQ: &str = "/api/gateway/v1/request";
const STATUS: &str = "/api/gateway/v1/status";

fn p(endpoint: &str) -> String {
    format!("{GW}/{endpoint}")
}

#[test]
fn every_endpoint_checks_the_bearer_token() {
    let sb = Sandbox::start();
    let inactive = sb.account(r#"{"active":false}"#);
    let endpoints = [
        ("GET", "balance"),
        ("POST", "packages"),
        ("POST", "request"),
        ("POST", "status"),
    ];
    // (Authorization header or none, status, message)
    let cases: Vec<(Option<String>, u16, &str)> = vec![
        (None, 401, "Unauthenticated."),
        (Some("Bearer nope".to_owned()), 401, "Unauthenticated."),
        (Some("Bearer".to_owned()), 401, "Unauthenticated."),
        (
            Some("Basic c2FuZGJveC10b2tlbjo=".to_owned()),
            401,
            "Unauthenticated.",
        ),
        (
            Some("Bearer sandbox-inactive-token".to_owned()),
            403,
            "Account inactive or API access not enabled.",
        ),
        (
            Some(format!("Bearer {inactive}")),
            403,
            "Account inactive or API access not enabled.",
        ),
    ];
    for (method, endpoint) in endpoints {
        for (auth, status, message) in &cases {
            let mut h = vec![("Content-Type", "application/json")];
            if let Some(a) = auth {
                h.push(("Authorization", a.as_str()));
            }
            let r = sb.call(method, &p(endpoint), &h, Some(b"{}"));
            assert_eq!(r.status, *status, "{endpoint} {auth:?}");
            let body = r.json();
            assert_eq!(at(&body, "status"), &false.into(), "{endpoint}");
            assert_eq!(s(&body, "message"), *message);
            assert!(
                !r.text().contains("inactive-token") && !r.text().contains(&inactive),
                "token echoed"
            );
        }
    }
    // The seeded token of the built-in default works, with the scheme in any case.
    let r = sb.call(
        "GET",
        &p("balance"),
        &[("Authorization", "bearer sandbox-token")],
        None,
    );
    assert_eq!(r.status, 200);
}

#[test]
fn balance_is_written_with_two_decimals() {
    let sb = Sandbox::start();
    let r = sb.get(&p("balance"), "sandbox-token");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.text(),
        r#"{"status":true,"data":{"flexiload_balance":10000.00,"drive_balance":2000.00,"bank_balance":0.00}}"#
    );
    let t = sb.account(
        r#"{"balances":{"flexiload_balance":"12.3","drive_balance":0.05,"bank_balance":"7"}}"#,
    );
    let b = sb.get(&p("balance"), &t).json();
    assert_eq!(at(&b, "data.flexiload_balance"), &num("12.30"));
    assert_eq!(at(&b, "data.drive_balance"), &num("0.05"));
    assert_eq!(at(&b, "data.bank_balance"), &num("7.00"));
}

#[test]
fn packages_filter_by_type_and_need_a_live_operator() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let ids = |body: &str| -> Vec<String> {
        let r = sb.post(&p("packages"), &t, body);
        assert_eq!(r.status, 200, "{body}: {}", r.text());
        let v = r.json();
        (0..len(&v, "data"))
            .map(|i| s(&v, &format!("data.{i}.id")))
            .collect()
    };
    let rows: &[(&str, &[&str])] = &[
        (
            r#"{"operator_code":"GP"}"#,
            &["1", "2", "3", "4", "5", "6", "7", "8"],
        ),
        (r#"{"operator_code":"GP","type":"data"}"#, &["1", "2", "3"]),
        (r#"{"operator_code":"gp","type":"drive"}"#, &["7", "8"]),
        (r#"{"operator_code":"RB","type":"combo"}"#, &["12"]),
        (r#"{"operator_code":"BL","type":"rate"}"#, &["22"]),
        (r#"{"operator_code":"BL","type":"minutes"}"#, &[]),
        (
            r#"{"operator_code":"GP","type":""}"#,
            &["1", "2", "3", "4", "5", "6", "7", "8"],
        ),
    ];
    for (body, want) in rows {
        assert_eq!(ids(body), *want, "{body}");
    }
    let first = sb.post(
        &p("packages"),
        &t,
        r#"{"operator_code":"GP","type":"data"}"#,
    );
    assert!(first.text().contains(
        r#"{"id":1,"name":"1 GB – 30 Days","price":149.00,"commission":5.00,"type":"data","tag":"HOT"}"#
    ));

    let errors: &[(&str, &str, &str)] = &[
        ("{}", "operator_code", "Operator is required."),
        (
            r#"{"operator_code":"XX"}"#,
            "operator_code",
            "Operator not found or not active",
        ),
        (
            r#"{"operator_code":"AT"}"#,
            "operator_code",
            "Operator not found or not active",
        ),
        (
            r#"{"operator_code":"GP","type":"voice"}"#,
            "type",
            "Type must be one of data, combo, minutes, rate, drive.",
        ),
        (
            r#"{"operator_code":5}"#,
            "operator_code",
            "Unknown operator.",
        ),
        ("[1]", "body", "The request must be an object."),
        ("{oops", "body", "The request body must be an object."),
    ];
    for (body, field, message) in errors {
        let r = sb.post(&p("packages"), &t, body);
        assert_eq!(r.status, 422, "{body}");
        let v = r.json();
        assert_eq!(
            (s(&v, "message").as_str(), at(&v, "status")),
            (*message, &false.into()),
            "{body}"
        );
        assert_eq!(s(&v, &format!("errors.{field}.0")), *message, "{body}");
    }
}

/// (body, amount, payable, balance after, purse read back from /balance)
#[test]
fn requests_of_all_five_types_debit_the_right_balance() {
    let sb = Sandbox::start();
    let t = sb.account(r#"{"balances":{"flexiload_balance":"5000.00","drive_balance":"500.00"},"settle_ms":60000}"#);
    let rows = [
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":100,"sub_type":"Postpaid","ref_id":"ORD-1"}"#,
            "Grameenphone",
            "100.00",
            "100.00",
            "4900.00",
        ),
        (
            r#"{"type":"data","operator_code":"GP","phone":"+8801711111112","package_id":1}"#,
            "Grameenphone",
            "149.00",
            "144.00",
            "4756.00",
        ),
        (
            r#"{"type":"drive","operator_code":"RB","phone":"01811111113","package_id":"14"}"#,
            "Robi",
            "117.00",
            "112.25",
            "387.75",
        ),
        (
            r#"{"type":"mfs","operator_code":"RK","phone":"018111111134","amount":"500.5","sub_type":"Agent"}"#,
            "Rocket",
            "500.50",
            "500.50",
            "4255.50",
        ),
        (
            r#"{"type":"bill","operator_code":"DESCO","bill_number":"1234567890","month":"4","amount":850}"#,
            "DESCO",
            "850.00",
            "850.00",
            "3405.50",
        ),
    ];
    for (body, operator, amount, payable, balance) in rows {
        let r = sb.post(REQ, &t, body);
        assert_eq!(r.status, 200, "{body}: {}", r.text());
        let v = r.json();
        assert_eq!(at(&v, "status"), &true.into());
        let trx = s(&v, "trx_id");
        assert!(
            trx.len() > 3 && trx.starts_with("TRX") && trx[3..].bytes().all(|b| b.is_ascii_digit()),
            "{trx}"
        );
        let created = s(&v, "created_at");
        assert!(
            created.len() == 27 && created.ends_with(".000000Z") && &created[10..11] == "T",
            "{created}"
        );
        assert_eq!(s(&v, "operator"), operator);
        assert_eq!(
            (at(&v, "amount"), at(&v, "payable"), at(&v, "balance")),
            (&num(amount), &num(payable), &num(balance)),
            "{body}"
        );
        assert_eq!(s(&v, "trx_status"), "Pending");
        for key in [
            "ref_id",
            "type",
            "phone",
            "bill_number",
            "package",
            "message",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {}", r.text());
        }
    }
    let b = sb.get(&p("balance"), &t).json();
    assert_eq!(
        (
            at(&b, "data.flexiload_balance"),
            at(&b, "data.drive_balance")
        ),
        (&num("3405.50"), &num("387.75"))
    );
    assert_eq!(len(&sb.held(&t), "transactions"), 5);

    // What the validators made of the input is what the gateway keeps.
    let st = sb.post(STATUS, &t, r#"{"ref_id":"ORD-1"}"#).json();
    assert_eq!(
        (s(&st, "sub_type"), s(&st, "operator_code")),
        ("Postpaid".to_owned(), "GP".to_owned())
    );
    let held = sb.held(&t);
    assert_eq!(s(&held, "transactions.1.phone"), "01711111112");
    assert_eq!(s(&held, "transactions.1.package_name"), "1 GB – 30 Days");
    assert_eq!(s(&held, "transactions.4.month"), "04");
}

#[test]
fn request_refusals_are_422_with_a_message() {
    let sb = Sandbox::start();
    let t = sb.account(r#"{"balances":{"flexiload_balance":"150.00","drive_balance":"0"}}"#);
    assert_eq!(sb.post(REQ, &t, r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":10,"ref_id":"dup-1"}"#).status, 200);
    // (body, message, field with that message or "" for none)
    let rows: &[(&str, &str, &str)] = &[
        (r#"{}"#, "Type is required.", "type"),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01112345678","amount":100}"#,
            "No operator's numbers start with 011.",
            "phone",
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"0171234567","amount":100}"#,
            "Enter an 11-digit Bangladeshi mobile number, like 01712345678.",
            "phone",
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":"1.005"}"#,
            "Amount can have at most 2 decimal places.",
            "amount",
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111"}"#,
            "Amount is required.",
            "amount",
        ),
        (
            r#"{"type":"recharge","operator_code":"XX","phone":"01711111111","amount":20}"#,
            "Operator not found or not active",
            "operator_code",
        ),
        (
            r#"{"type":"recharge","operator_code":"AT","phone":"01611111111","amount":20}"#,
            "Operator not found or not active",
            "operator_code",
        ),
        (
            r#"{"type":"bill","operator_code":"DPDC","bill_number":"55556666","month":"01","amount":20}"#,
            "Service not available",
            "",
        ),
        (
            r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":999}"#,
            "The selected package id is invalid.",
            "package_id",
        ),
        (
            r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":7}"#,
            "The selected package id is invalid.",
            "package_id",
        ),
        (
            r#"{"type":"drive","operator_code":"GP","phone":"01711111111","package_id":7}"#,
            "Insufficient balance",
            "",
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":141}"#,
            "Insufficient balance",
            "",
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":10,"ref_id":"dup-1"}"#,
            "Duplicate transaction",
            "ref_id",
        ),
        (
            r#"{"type":"mfs","operator_code":"GP","phone":"01711111111","amount":100}"#,
            "This operator does not offer mfs.",
            "operator_code",
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":20,"package_id":1}"#,
            "Package is not part of this request.",
            "package_id",
        ),
        ("not json", "The request body must be an object.", "body"),
    ];
    for (body, message, field) in rows {
        let r = sb.post(REQ, &t, body);
        assert_eq!(r.status, 422, "{body}: {}", r.text());
        let v = r.json();
        assert_eq!(at(&v, "status"), &false.into(), "{body}");
        assert_eq!(s(&v, "message"), *message, "{body}");
        if !field.is_empty() {
            assert_eq!(s(&v, &format!("errors.{field}.0")), *message, "{body}");
        }
    }
    // Nothing refused was kept or charged.
    assert_eq!(len(&sb.held(&t), "transactions"), 1);
    assert_eq!(
        at(&sb.get(&p("balance"), &t).json(), "data.flexiload_balance"),
        &num("140.00")
    );
}

#[test]
fn a_form_encoded_body_is_read_like_laravel_does() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let auth = format!("Bearer {t}");
    let r = sb.call(
        "POST",
        REQ,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(b"type=recharge&operator_code=GP&phone=01711111111&amount=20.50"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(at(&r.json(), "amount"), &num("20.50"));
}

#[test]
fn transactions_settle_to_success_or_fail_and_refund() {
    let sb = Sandbox::start();
    let t = sb.account(r#"{"settle_ms":700,"balances":{"flexiload_balance":"1000.00"}}"#);
    let ok = sb.post(REQ, &t, r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":100,"ref_id":"ok-1"}"#).json();
    let bad = sb.post(REQ, &t, r#"{"type":"recharge","operator_code":"BL","phone":"01911111199","amount":200,"ref_id":"bad-1"}"#).json();
    let bill = sb.post(REQ, &t, r#"{"type":"bill","operator_code":"JLB","bill_number":"ACC0099","month":12,"amount":50,"phone":"01511111111"}"#).json();
    assert_eq!(at(&bad, "balance"), &num("700.00"));
    let status_of = |body: String| sb.post(STATUS, &t, &body).json();
    for v in [&ok, &bad, &bill] {
        let st = status_of(format!(r#"{{"trx_id":"{}"}}"#, s(v, "trx_id")));
        assert_eq!(s(&st, "trx_status"), "Pending");
    }
    // A wide margin: the Pending checks above must land within the settle delay
    // even on a loaded machine.
    sleep(Duration::from_millis(900));
    let rows = [(&ok, "Success"), (&bad, "Failed"), (&bill, "Failed")];
    for (v, want) in rows {
        let st = status_of(format!(r#"{{"trx_id":"{}"}}"#, s(v, "trx_id")));
        assert_eq!(s(&st, "trx_status"), want, "{}", s(v, "trx_id"));
        if want == "Failed" {
            assert_eq!(s(&st, "message"), "Recipient not reachable");
        }
    }
    // Both failures were refunded: 1000 - 100.
    assert_eq!(
        at(&sb.get(&p("balance"), &t).json(), "data.flexiload_balance"),
        &num("900.00")
    );
}

#[test]
fn status_finds_by_trx_id_or_ref_id_within_the_account() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let other = sb.account("{}");
    let v = sb.post(REQ, &t, r#"{"type":"data","operator_code":"RB","phone":"01811111111","package_id":11,"ref_id":"R-77"}"#).json();
    let trx = s(&v, "trx_id");
    for body in [
        format!(r#"{{"trx_id":"{trx}"}}"#),
        r#"{"ref_id":"R-77"}"#.to_owned(),
        format!(r#"{{"trx_id":"{trx}","ref_id":"R-77"}}"#),
    ] {
        let r = sb.post(STATUS, &t, &body);
        assert_eq!(r.status, 200, "{body}");
        let st = r.json();
        let keys = [
            "status",
            "trx_id",
            "ref_id",
            "type",
            "sub_type",
            "operator",
            "operator_code",
            "phone",
            "bill_number",
            "package_name",
            "amount",
            "payable",
            "trx_status",
            "message",
            "created_at",
        ];
        let got: Vec<&str> = st
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(got, keys);
        assert_eq!(
            (s(&st, "trx_id"), s(&st, "package_name")),
            (trx.clone(), "2 GB – 7 Days".to_owned())
        );
        assert_eq!(
            (at(&st, "amount"), at(&st, "payable")),
            (&num("98.00"), &num("95.00"))
        );
    }
    let not_found = [
        r#"{"trx_id":"TRX000"}"#.to_owned(),
        r#"{"ref_id":"R-78"}"#.to_owned(),
    ];
    for body in &not_found {
        let r = sb.post(STATUS, &t, body);
        assert_eq!(
            (r.status, r.text().as_str()),
            (
                404,
                r#"{"status":false,"message":"Transaction not found."}"#
            )
        );
    }
    // Another account cannot see it.
    assert_eq!(
        sb.post(STATUS, &other, &format!(r#"{{"trx_id":"{trx}"}}"#))
            .status,
        404
    );
    for body in ["{}", r#"{"trx_id":"","ref_id":null}"#, r#"{"trx_id":5}"#] {
        let r = sb.post(STATUS, &t, body);
        assert_eq!(r.status, 422, "{body}");
        assert_eq!(at(&r.json(), "status"), &false.into());
        assert!(at(&r.json(), "errors").as_object().is_some(), "{body}");
    }
}

#[test]
fn rate_limits_are_per_token_and_per_bucket() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let other = sb.account("{}");
    // 30 a minute for /request, whatever the answer.
    for i in 0..30 {
        let r = sb.post(REQ, &t, "{}");
        assert_eq!(r.status, 422, "call {i}");
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((29 - i).to_string().as_str())
        );
    }
    let r = sb.post(REQ, &t, "{}");
    assert_eq!(
        (r.status, r.text().as_str()),
        (429, r#"{"status":false,"message":"Too Many Attempts."}"#)
    );
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // The read bucket is separate: 60 across balance, packages and status.
    for i in 0..60 {
        let r = match i % 3 {
            0 => sb.get(&p("balance"), &t),
            1 => sb.post(&p("packages"), &t, r#"{"operator_code":"GP"}"#),
            _ => sb.post(STATUS, &t, r#"{"ref_id":"none"}"#),
        };
        assert_ne!(r.status, 429, "read {i}");
    }
    for endpoint in ["balance", "packages", "status"] {
        let r = if endpoint == "balance" {
            sb.get(&p(endpoint), &t)
        } else {
            sb.post(&p(endpoint), &t, "{}")
        };
        assert_eq!(r.status, 429, "{endpoint}");
        assert!(r.header("retry-after").is_some());
    }
    // Another token has its own windows.
    assert_eq!(sb.get(&p("balance"), &other).status, 200);
    assert_eq!(sb.post(REQ, &other, "{}").status, 422);
    // An account made with limits off is never throttled.
    let free = sb.account(r#"{"rate_limit":false}"#);
    for _ in 0..70 {
        assert_eq!(sb.get(&p("balance"), &free).status, 200);
    }
}

#[test]
fn unknown_gateway_paths_and_methods() {
    let sb = Sandbox::start();
    let r = sb.get(&p("nothing"), "sandbox-token");
    assert_eq!((r.status, at(&r.json(), "status")), (404, &false.into()));
    let r = sb.get(REQ, "sandbox-token");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
}
