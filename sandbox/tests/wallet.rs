//! The wallet's bill-pay API over real loopback HTTP: billers, summary,
//! execute (with the PIN cases), histories, beneficiaries and every
//! documented error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use bdpay_core::json::Value;
use common::{at, len, num, s, Sandbox, WALLET};

fn p(endpoint: &str) -> String {
    format!("{WALLET}/{endpoint}")
}

const DESCO: &str = "biller_id=b025&bll_typ=NM&mode=SAPI";

fn summary(sb: &Sandbox, token: &str, query: &str) -> common::Resp {
    sb.get(&format!("{}?{query}", p("utility-bill-pay/summary")), token)
}

/// Looks a bill up and returns its request id.
fn request_id(sb: &Sandbox, token: &str, query: &str) -> String {
    let r = summary(sb, token, query);
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    s(&r.json(), "data.summary.request_id")
}

#[test]
fn every_endpoint_checks_the_bearer_token() {
    let sb = Sandbox::start();
    let calls = [
        ("GET", "utility/billers"),
        ("GET", "utility-bill-pay/summary"),
        ("POST", "utility-bill-pay/execute"),
        ("POST", "utility-bill-pay/histories"),
        ("GET", "utility-bill-pay/beneficiaries"),
    ];
    for (method, endpoint) in calls {
        for auth in [None, Some("Bearer wrong"), Some("Token sandbox-token")] {
            let mut h = vec![("Content-Type", "application/json")];
            if let Some(a) = auth {
                h.push(("Authorization", a));
            }
            let r = sb.call(method, &p(endpoint), &h, Some(b"{}"));
            assert_eq!(
                (r.status, r.text().as_str()),
                (
                    401,
                    r#"{"code":401,"messages":["Unauthenticated."],"data":null}"#
                ),
                "{endpoint} {auth:?}"
            );
        }
        let r = sb.call(
            method,
            &p(endpoint),
            &[("Authorization", "Bearer sandbox-inactive-token")],
            Some(b"{}"),
        );
        assert_eq!(r.status, 403, "{endpoint}");
        assert_eq!(at(&r.json(), "code"), &num("403"));
    }
}

#[test]
fn billers_serve_the_reference_sample_and_more() {
    let sb = Sandbox::start();
    let r = sb.get(&p("utility/billers"), "sandbox-token");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(
        (at(&v, "code"), s(&v, "messages.0")),
        (&num("200"), "Biller List".to_owned())
    );
    let types = at(&v, "data.types").as_array().unwrap();
    let titles: Vec<String> = (0..types.len())
        .map(|i| s(&v, &format!("data.types.{i}.title")))
        .collect();
    for t in [
        "Electricity",
        "Water",
        "Gas",
        "Internet",
        "DTH",
        "Education",
        "Other",
        "Insurance",
    ] {
        assert!(titles.iter().any(|x| x == t), "{t}");
    }
    let billers: Vec<&Value> = types
        .iter()
        .flat_map(|t| at(t, "billers").as_array().unwrap())
        .collect();
    let ids: Vec<String> = billers.iter().map(|b| s(b, "biller_id")).collect();
    for id in [
        "b025", "b099", "b430", "b451", "b091", "b566", "b101", "b207", "b701",
    ] {
        assert!(ids.iter().any(|x| x == id), "{id}");
    }
    let params: Vec<&Value> = billers
        .iter()
        .flat_map(|b| at(b, "params").as_array().unwrap())
        .collect();
    assert!(
        params.iter().any(|p| at(p, "is_read_only") == &true.into()),
        "a read-only param"
    );
    assert!(
        params
            .iter()
            .any(|p| s(p, "type") == "numeric" && s(p, "field_type") == "numeric"),
        "a numeric param"
    );
    assert!(
        types
            .iter()
            .any(|t| at(t, "is_active") == &false.into() && len(t, "billers") > 0),
        "an inactive type with billers"
    );
    // The library reads it with its own parser.
    let parsed = bdpay_core::billers::parse_billers(&v).unwrap();
    assert_eq!(parsed.len(), types.len());
}

#[test]
fn summary_prices_bills_deterministically() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    // (query, amount, total, has_beneficiary)
    let rows = [
        (
            format!("{DESCO}&bll_no=1234567890"),
            "৳1,250.50",
            "$1,255.50",
            true,
        ),
        (format!("{DESCO}&bll_no=5550001"), "", "", false),
        (
            "biller_id=b099&bll_typ=NM&mode=SAPI&bil_no=9876543210".to_owned(),
            "৳640.00",
            "$645.00",
            true,
        ),
        (
            "biller_id=b430&bll_typ=NM&mode=SAPI&bllr_accno=JG20260042&bill_mobno=%2B8801712345678"
                .to_owned(),
            "৳1,835.75",
            "$1,840.75",
            false,
        ),
        (
            "biller_id=b451&bll_typ=M&mode=SAPI&bllr_accno=77&bill_mobno=01812345678".to_owned(),
            "",
            "",
            false,
        ),
        (
            "biller_id=b101&bll_typ=NM&mode=SAPI&bll_no=A1&zone=CTG".to_owned(),
            "",
            "",
            false,
        ),
        (
            "biller_id=b207&bll_typ=NM&mode=SAPI&cust_id=%E0%A7%A7%E0%A7%A8".to_owned(),
            "",
            "",
            false,
        ),
    ];
    for (query, amount, total, beneficiary) in &rows {
        let r = summary(&sb, &t, query);
        assert_eq!(r.status, 200, "{query}: {}", r.text());
        let v = r.json();
        assert_eq!((at(&v, "code"), len(&v, "messages")), (&num("200"), 0));
        let id = s(&v, "data.summary.request_id");
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        assert_eq!(s(&v, "data.summary.charge"), "+ ৳5.00");
        let got_amount = s(&v, "data.summary.amount");
        let got_total = s(&v, "data.summary.total_payable");
        assert!(
            got_amount.starts_with('৳') && got_total.starts_with('$'),
            "{got_amount} {got_total}"
        );
        let a = bdpay_core::money::Amount::parse_display(&got_amount).unwrap();
        let tot = bdpay_core::money::Amount::parse_display(&got_total).unwrap();
        assert_eq!(tot.paisa() - a.paisa(), 500, "{query}");
        if !amount.is_empty() {
            assert_eq!((got_amount.as_str(), got_total.as_str()), (*amount, *total));
        }
        assert_eq!(
            at(&v, "data.summary.has_beneficiary"),
            &(*beneficiary).into(),
            "{query}"
        );
        assert!(
            !s(&v, "data.summary.biller.title").is_empty()
                && !s(&v, "data.summary.biller.logo").is_empty()
        );
    }
    // The same account number always costs the same.
    let again = |q: &str| s(&summary(&sb, &t, q).json(), "data.summary.amount");
    assert_eq!(again(&rows[1].0), again(&rows[1].0));
}

#[test]
fn summary_refusals_are_422() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let rows: &[(&str, &str)] = &[
        ("", "The biller id field is required."),
        ("biller_id=b999", "The selected biller id is invalid."),
        (
            "biller_id=b701&bll_typ=NM&mode=SAPI&policy_no=1",
            "The selected biller id is invalid.",
        ),
        (
            "biller_id=b025&bll_typ=NM&mode=SAPI&bll_no=4040001",
            "Bill not found.",
        ),
        (
            "biller_id=b025&bll_typ=NM&bll_no=1234",
            "The mode field is required.",
        ),
        (
            "biller_id=b025&bll_typ=M&mode=SAPI&bll_no=1234",
            "The selected bll typ is invalid.",
        ),
        (
            "biller_id=b025&bll_typ=NM&mode=SAPI",
            "Bill No is required.",
        ),
        (
            "biller_id=b025&bll_typ=NM&mode=SAPI&bll_no=12%2034",
            "Bill No may contain only letters and digits.",
        ),
        (
            "biller_id=b025&bll_typ=NM&mode=SAPI&bll_no=1234&colour=red",
            "colour is not part of this request.",
        ),
        (
            "biller_id=b451&bll_typ=X&mode=SAPI&bllr_accno=77&bill_mobno=01812345678",
            "Choose one of the options for Bill Type.",
        ),
        (
            "biller_id=b430&bll_typ=NM&mode=SAPI&bllr_accno=77&bill_mobno=01112345678",
            "No operator's numbers start with 011.",
        ),
        (
            "biller_id=b430&bll_typ=NM&mode=SAPI&bllr_accno=77&bill_mobno=0181234567",
            "Enter an 11-digit Bangladeshi mobile number, like 01712345678.",
        ),
        (
            "biller_id=b101&bll_typ=NM&mode=SAPI&bll_no=1&zone=DHK",
            "Zone cannot be changed.",
        ),
        (
            // A numeric field: digits only (the rule, not "letters and digits").
            "biller_id=b207&bll_typ=NM&mode=SAPI&cust_id=12a",
            "Customer ID may contain only digits.",
        ),
    ];
    for (query, message) in rows {
        let r = summary(&sb, &t, query);
        assert_eq!(r.status, 422, "{query}: {}", r.text());
        let v = r.json();
        assert_eq!(at(&v, "code"), &num("422"));
        assert_eq!(at(&v, "data"), &Value::Null);
        assert_eq!(s(&v, "messages.0"), *message, "{query}");
    }
    let r = summary(&sb, &t, "biller_id=b025&bll_typ=NM&mode=SAPI&bll_no=4049");
    assert_eq!(
        r.text(),
        r#"{"code":422,"messages":["Bill not found."],"data":null}"#
    );
    // Every problem is listed.
    let r = summary(
        &sb,
        &t,
        "biller_id=b430&bll_typ=NM&bllr_accno=a%20b&bill_mobno=0",
    );
    assert_eq!(len(&r.json(), "messages"), 3, "{}", r.text());
}

#[test]
fn execute_checks_the_pin_and_pays_once() {
    let sb = Sandbox::start();
    let t = sb.account(r#"{"pin":"2468","balances":{"wallet_balance":"2000.00"}}"#);
    let id = request_id(&sb, &t, &format!("{DESCO}&bll_no=1234567890"));
    let exec = |body: String| sb.post(&p("utility-bill-pay/execute"), &t, &body);

    let r = exec(format!(r#"{{"request_id":"{id}","pin":1235}}"#));
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            422,
            r#"{"code":422,"messages":["Sorry! PIN does not match."],"data":null,"error_title":"E_PIN_ERROR"}"#
        )
    );
    let r = exec(format!(r#"{{"request_id":"{id}","pin":2468}}"#));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.text(),
        r#"{"summary":{"biller":{"title":"Electricity Bill Payment","logo":"https://deshipay.s3.ap-southeast-1.amazonaws.com/ekshop-biller/desco.png"},"total_payable":"৳1,255.50"}}"#
    );
    let invalid = r#"{"code":422,"messages":["The selected request id is invalid."],"data":null,"error_title":null}"#;
    for body in [
        format!(r#"{{"request_id":"{id}","pin":2468}}"#),
        r#"{"request_id":"2bf1c1ae-db3e-4e8b-8945-2754f48bad0d","pin":2468}"#.to_owned(),
    ] {
        let r = exec(body);
        assert_eq!(
            (r.status, r.text().as_str()),
            (422, invalid),
            "executed twice or unknown"
        );
    }
    let held = sb.held(&t);
    assert_eq!(len(&held, "payments"), 1);
    assert_eq!(
        (
            at(&held, "payments.0.amount"),
            at(&held, "payments.0.total_payable")
        ),
        (&num("1250.50"), &num("1255.50"))
    );
    assert_eq!(s(&held, "payments.0.account_no"), "1234567890");

    // A request id from another account is not this account's.
    let other = sb.account("{}");
    let theirs = request_id(&sb, &other, &format!("{DESCO}&bll_no=777"));
    assert_eq!(
        exec(format!(r#"{{"request_id":"{theirs}","pin":2468}}"#)).status,
        422
    );

    // Refusals for missing or wrong-typed fields, and for too little money.
    let id2 = request_id(&sb, &t, &format!("{DESCO}&bll_no=1234567890"));
    let rows = [
        ("{}".to_owned(), "The request id field is required."),
        (
            format!(r#"{{"request_id":"{id2}"}}"#),
            "The pin field is required.",
        ),
        (
            format!(r#"{{"request_id":"{id2}","pin":""}}"#),
            "The pin field is required.",
        ),
        (
            format!(r#"{{"request_id":"{id2}","pin":[1]}}"#),
            "The pin must be a number.",
        ),
        ("[]".to_owned(), "The request id field is required."),
        ("{x".to_owned(), "The request body must be a JSON object."),
        (
            format!(r#"{{"request_id":"{id2}","pin":"2468"}}"#),
            "Insufficient balance.",
        ),
    ];
    for (body, message) in rows {
        let r = exec(body.clone());
        assert_eq!(r.status, 422, "{body}");
        assert_eq!(s(&r.json(), "messages.0"), message, "{body}");
        assert_eq!(at(&r.json(), "error_title"), &Value::Null, "{body}");
    }
    // Still one payment: 2000.00 - 1255.50 left too little for a second.
    assert_eq!(len(&sb.held(&t), "payments"), 1);
}

#[test]
fn a_pin_with_a_leading_zero_only_survives_as_a_string() {
    let sb = Sandbox::start();
    // The seeded account with PIN 0420, and one made the same way.
    for token in [
        "sandbox-pin0-token".to_owned(),
        sb.account(r#"{"pin":"0420"}"#),
    ] {
        let id = request_id(&sb, &token, &format!("{DESCO}&bll_no=1234567890"));
        let exec = |body: String| sb.post(&p("utility-bill-pay/execute"), &token, &body);
        let r = exec(format!(r#"{{"request_id":"{id}","pin":420}}"#));
        assert_eq!(
            (r.status, s(&r.json(), "error_title")),
            (422, "E_PIN_ERROR".to_owned())
        );
        let r = exec(format!(r#"{{"request_id":"{id}","pin":"0420"}}"#));
        assert_eq!(r.status, 200, "{}", r.text());
    }
}

#[test]
fn histories_return_one_record_once_paid() {
    let sb = Sandbox::start();
    let t = sb.account("{}");
    let id = request_id(
        &sb,
        &t,
        "biller_id=b099&bll_typ=NM&mode=SAPI&bil_no=9876543210",
    );
    let hist = |body: String| sb.post(&p("utility-bill-pay/histories"), &t, &body);

    let r = hist(format!(r#"{{"request_id":"{id}"}}"#));
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            404,
            r#"{"code":404,"messages":["Sorry! Something went wrong. Please try again later."],"data":null}"#
        ),
        "looked up, not paid"
    );
    let r = hist(r#"{"request_id":"00000000-0000-4000-8000-000000000000"}"#.to_owned());
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            422,
            r#"{"code":422,"messages":["The selected request id is invalid."],"data":null,"error_title":null}"#
        )
    );
    let r = hist("{}".to_owned());
    assert_eq!(
        (r.status, s(&r.json(), "messages.0")),
        (422, "The request id field is required.".to_owned())
    );

    assert_eq!(
        sb.post(
            &p("utility-bill-pay/execute"),
            &t,
            &format!(r#"{{"request_id":"{id}","pin":1234}}"#)
        )
        .status,
        200
    );
    let r = hist(format!(r#"{{"request_id":"{id}"}}"#));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(s(&v, "messages.0"), "Your Money Request has been accepted.");
    let keys: Vec<&str> = at(&v, "data")
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "order_id",
            "title",
            "logo",
            "amount",
            "trx_id",
            "created_at",
            "details"
        ]
    );
    assert_eq!(
        (s(&v, "data.order_id"), s(&v, "data.amount")),
        (id.clone(), "৳640.00".to_owned())
    );
    assert_eq!(s(&v, "data.details.payment_received"), "৳640.00");
    assert_ne!(s(&v, "data.trx_id"), id);
    let created = s(&v, "data.created_at");
    // dd/mm/yyyy hh:mm AM
    let b = created.as_bytes();
    assert!(
        created.len() == 19
            && b[2] == b'/'
            && b[5] == b'/'
            && (created.ends_with(" AM") || created.ends_with(" PM")),
        "{created}"
    );
}

#[test]
fn beneficiaries_belong_to_the_account() {
    let sb = Sandbox::start();
    let v = sb
        .get(&p("utility-bill-pay/beneficiaries"), "sandbox-token")
        .json();
    assert_eq!(
        (at(&v, "code"), len(&v, "data.beneficiaries")),
        (&num("200"), 2)
    );
    let keys: Vec<&str> = at(&v, "data.beneficiaries.0")
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "user_id",
            "biller_logo",
            "display_title",
            "display_ac_no",
            "bllr_id",
            "srvc_id",
            "inpt_pref"
        ]
    );
    assert_eq!(at(&v, "data.beneficiaries.0.user_id"), &num("25"));
    let empty = sb
        .get(&p("utility-bill-pay/beneficiaries"), "sandbox-empty-token")
        .json();
    assert_eq!(len(&empty, "data.beneficiaries"), 0);
    let custom = sb.account(
        r#"{"beneficiaries":[{"biller_logo":"l","display_title":"Gas","display_ac_no":"42","bllr_id":"b430","srvc_id":"s","inpt_pref":"p"}]}"#,
    );
    let v = sb.get(&p("utility-bill-pay/beneficiaries"), &custom).json();
    assert_eq!(
        (
            len(&v, "data.beneficiaries"),
            s(&v, "data.beneficiaries.0.display_ac_no")
        ),
        (1, "42".to_owned())
    );
}
