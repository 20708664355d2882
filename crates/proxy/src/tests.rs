//! The proxy's rules, one row a case: what comes in, what goes out.

use super::*;
use bdpay_api::client::TransportError;
use bdpay_api::http::Token;
use bdpay_core::json::parse;

const ORIGIN: &str = "https://shop.example";
const TOKEN: &str = "proxy-secret-token";
const WALLET_TOKEN: &str = "wallet-secret-token";
const KEY: &str = "merchant-intent-key-0123456789abcdef";

/// A proxy holding the wallet's sample biller list, as after its first fetch.
fn with_billers(mut p: Proxy) -> Proxy {
    let answer = HttpResponse {
        status: 200,
        headers: vec![],
        body: include_bytes!("../../../tests/fixtures/wallet-billers.json").to_vec(),
    };
    assert!(p
        .billers_request("/api/v1/private/wallet/utility-bill-pay/summary?x", 0)
        .is_some());
    p.store_billers(&answer, 0);
    assert!(p
        .billers_request("/api/v1/private/wallet/utility-bill-pay/summary?x", 1)
        .is_none());
    p
}

fn proxy(extra: &str) -> Proxy {
    let text = [
        r#"{"upstreamUrl":"https://gw.example","token":""#,
        TOKEN,
        r#"","walletToken":""#,
        WALLET_TOKEN,
        r#"","intentKey":""#,
        KEY,
        r#"","allowedOrigins":"https://shop.example, http://localhost:8080","clientPaymentsPerMinute":3"#,
        extra,
        "}",
    ]
    .concat();
    Proxy::new(ProxyConfig::from_json(&parse(text.as_bytes()).unwrap()).unwrap())
}

fn inbound(method: &str, target: &str, body: &str) -> Inbound {
    Inbound {
        method: method.into(),
        target: target.into(),
        origin: Some(ORIGIN.into()),
        content_type: Some("application/json; charset=utf-8".into()),
        intent: None,
        body: Some(body.as_bytes().to_vec()),
        client: "203.0.113.7".into(),
    }
}

/// An intent for `payment` signed with the proxy's key at time 0.
fn signed(payment: &str) -> String {
    bdpay_api::intent::create_request(
        &parse(payment.as_bytes()).unwrap(),
        &bdpay_api::intent::IntentKey::new(KEY).unwrap(),
        0,
        "bdp-intent-1",
        &bdpay_core::rules::Rules::default(),
    )
    .unwrap()
}

/// A `/request` carrying `intent`.
fn pay(body: &str, intent: &str) -> Inbound {
    Inbound {
        intent: Some(intent.into()),
        ..inbound("POST", "/api/gateway/v1/request", body)
    }
}

fn forwarded(d: Decision) -> Forward {
    match d {
        Decision::Forward(f) => *f,
        Decision::Respond(r) => {
            panic!("answered {} {}", r.status, String::from_utf8_lossy(&r.body))
        }
    }
}

const RECHARGE: &str =
    r#"{"type":"recharge","operator_code":"gp","phone":"+880 1712-345678","amount":100}"#;

fn answer(d: Decision) -> (u16, Value) {
    match d {
        Decision::Respond(r) => {
            assert!(!String::from_utf8_lossy(&r.body).contains(TOKEN));
            (r.status, parse(&r.body).unwrap_or(Value::Null))
        }
        Decision::Forward(f) => panic!("forwarded {:?}", f.upstream),
    }
}

#[test]
fn refusals_never_reach_upstream() {
    let rows: Vec<(&str, Inbound, u16, &str)> = vec![
        (
            "other origin",
            Inbound {
                origin: Some("https://evil.example".into()),
                ..inbound("POST", "/api/gateway/v1/request", RECHARGE)
            },
            403,
            "This origin may not use the proxy.",
        ),
        (
            "balance from a browser",
            inbound("GET", "/api/gateway/v1/balance", ""),
            403,
            "This operation is not available through the proxy.",
        ),
        (
            "beneficiaries",
            inbound(
                "GET",
                "/api/v1/private/wallet/utility-bill-pay/beneficiaries",
                "",
            ),
            403,
            "This operation is not available through the proxy.",
        ),
        (
            "unknown path",
            inbound("GET", "/admin", ""),
            404,
            "Not found.",
        ),
        (
            "wrong method",
            inbound("GET", "/api/gateway/v1/request", ""),
            405,
            "Method not allowed.",
        ),
        (
            "form body",
            Inbound {
                content_type: Some("application/x-www-form-urlencoded".into()),
                ..inbound("POST", "/api/gateway/v1/request", "type=recharge")
            },
            415,
            "Send JSON (Content-Type: application/json).",
        ),
        (
            "over the size cap",
            inbound("POST", "/api/gateway/v1/request", &" ".repeat(9000)),
            413,
            "The request body is too large.",
        ),
        (
            "cut off by the Worker",
            Inbound {
                body: None,
                ..inbound("POST", "/api/gateway/v1/request", "")
            },
            413,
            "The request body is too large.",
        ),
        (
            "not an object",
            inbound("POST", "/api/gateway/v1/request", "[1]"),
            422,
            "The request must be an object.",
        ),
        (
            "bad phone, with an intent",
            pay(
                r#"{"type":"recharge","operator_code":"GP","phone":"01112345678","amount":100}"#,
                &signed(RECHARGE),
            ),
            422,
            // 011 is no operator's: the library says so rather than ask for 11 digits.
            "No operator's numbers start with 011.",
        ),
        (
            "over the proxy's max, signed",
            pay(
                r#"{"type":"mfs","operator_code":"BK","phone":"01712345678","amount":5000.01}"#,
                &signed(
                    r#"{"type":"mfs","operator_code":"BK","phone":"01712345678","amount":5000.01}"#,
                ),
            ),
            422,
            "Amount must be at most ৳5,000.00.",
        ),
        (
            "bad PIN",
            inbound(
                "POST",
                "/api/v1/private/wallet/utility-bill-pay/execute",
                r#"{"request_id":"r1","pin":"12"}"#,
            ),
            403,
            "This operation is not available through the proxy.",
        ),
        (
            "summary without biller",
            inbound(
                "GET",
                "/api/v1/private/wallet/utility-bill-pay/summary?bll_no=1",
                "",
            ),
            422,
            "biller_id is required.",
        ),
        (
            "summary with odd values",
            inbound(
                "GET",
                "/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b1&x=%3Cscript%3E",
                "",
            ),
            422,
            "x may contain only letters, digits, spaces and - _ . +, at most 64 characters.",
        ),
    ];
    for (name, req, status, message) in rows {
        let (got, body) = answer(with_billers(proxy("")).decide(&req, 0, "bdp-x"));
        assert_eq!(
            (got, body.get("message").and_then(Value::as_str)),
            (status, Some(message)),
            "{name}"
        );
        let bn = body.get("message_bn").and_then(Value::as_str).unwrap_or("");
        assert!(
            bdpay_core::messages::check::has_bengali(bn),
            "{name}: no Bangla in {bn}"
        );
        assert_eq!(
            body.get("status"),
            Some(&Value::Bool(false)),
            "{name}: the gateway's error shape"
        );
    }
}

#[test]
fn field_errors_keep_codes_and_bangla() {
    let (_, body) = answer(proxy("").decide(
        &pay(
            r#"{"type":"recharge","operator_code":"GP","phone":"x","amount":"1.005"}"#,
            &signed(RECHARGE),
        ),
        0,
        "r",
    ));
    let fields: Vec<(String, String)> = body
        .get("field_errors")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|f| {
            (
                f.get("field").and_then(Value::as_str).unwrap().to_owned(),
                f.get("code").and_then(Value::as_str).unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("phone".to_owned(), "invalid_phone".to_owned()),
            ("amount".to_owned(), "too_many_decimals".to_owned())
        ]
    );
    assert_eq!(
        body.get("errors")
            .and_then(|e| e.get("phone"))
            .and_then(Value::as_array)
            .map(<[Value]>::len),
        Some(1)
    );
}

#[test]
fn preflight_answers_only_exposed_operations() {
    let mut p = proxy("");
    match p.decide(&inbound("OPTIONS", "/api/gateway/v1/request", ""), 0, "r") {
        Decision::Respond(r) => {
            assert_eq!(r.status, 204);
            assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
            assert_eq!(
                r.header("access-control-allow-methods"),
                Some("POST, OPTIONS")
            );
        }
        d => panic!("{d:?}"),
    }
    assert_eq!(
        answer(p.decide(&inbound("OPTIONS", "/api/gateway/v1/balance", ""), 0, "r")).0,
        404
    );
}

#[test]
fn forwards_the_signed_request_with_the_token_and_the_intents_ref_id() {
    let intent = signed(RECHARGE);
    let f = forwarded(proxy("").decide(&pay(RECHARGE, &intent), 1_000, "bdp-edge-1"));
    assert_eq!(f.upstream.url, "https://gw.example/api/gateway/v1/request");
    assert_eq!(f.upstream.token, Some(Token::new(TOKEN)));
    assert_eq!(
        f.upstream.body.as_deref(),
        Some(
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"ref_id":"bdp-intent-1"}"#
        )
    );
    assert_eq!(f.context.origin.as_deref(), Some(ORIGIN));
    assert_eq!(f.spend, Some(Amount::from_taka(100)));
    assert!(f.ask_hook.is_none());

    let summary = inbound(
        "GET",
        "/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b451&bll_typ=M&bllr_accno=ACC1",
        "",
    );
    let (got, body) =
        answer(proxy(r#","walletUrl":"https://wallet.example""#).decide(&summary, 0, "r"));
    assert_eq!(
        (got, body.get("code").and_then(Value::as_str)),
        (503, Some("billers_unavailable")),
        "no summary unchecked"
    );
    let summary = inbound(
        "GET",
        "/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b451&bll_typ=M&bllr_accno=ACC1&bill_mobno=01812345678",
        "",
    );
    let f = forwarded(
        with_billers(proxy(r#","walletUrl":"https://wallet.example""#)).decide(&summary, 0, "r"),
    );
    assert_eq!(
        f.upstream.url,
        "https://wallet.example/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b451&bll_typ=M&mode=SAPI&bllr_accno=ACC1&bill_mobno=01812345678"
    );
    assert_eq!(
        f.upstream.token,
        Some(Token::new(WALLET_TOKEN)),
        "the wallet's own token"
    );
    let server_side = Inbound {
        origin: None,
        ..inbound("GET", "/api/gateway/v1/balance", "")
    };
    forwarded(proxy(r#","operations":"balance,request""#).decide(&server_side, 0, "r"));
}

#[test]
fn payments_without_authorization_are_refused_whatever_the_origin() {
    let bare = |extra: &str| {
        let text = [
            r#"{"upstreamUrl":"https://gw.example","token":""#,
            TOKEN,
            r#"","walletToken":"w-token-123","walletPin":"1234","allowedOrigins":"https://shop.example","operations":"request,execute,status""#,
            extra,
            "}",
        ]
        .concat();
        Proxy::new(ProxyConfig::from_json(&parse(text.as_bytes()).unwrap()).unwrap())
    };
    let execute = || {
        inbound(
            "POST",
            "/api/v1/private/wallet/utility-bill-pay/execute",
            r#"{"request_id":"r1"}"#,
        )
    };
    let status = || inbound("POST", "/api/gateway/v1/status", r#"{"ref_id":"x1"}"#);
    let rows: Vec<(&str, Proxy, Inbound, &str)> = vec![
        (
            "page, nothing configured",
            bare(""),
            inbound("POST", "/api/gateway/v1/request", RECHARGE),
            "authorization_not_configured",
        ),
        (
            "script without Origin",
            bare(""),
            Inbound {
                origin: None,
                ..inbound("POST", "/api/gateway/v1/request", RECHARGE)
            },
            "authorization_not_configured",
        ),
        (
            "execute, nothing configured",
            bare(""),
            execute(),
            "authorization_not_configured",
        ),
        (
            "status, nothing configured",
            bare(""),
            status(),
            "authorization_not_configured",
        ),
        (
            "an intent to a proxy with no key",
            bare(""),
            pay(RECHARGE, &signed(RECHARGE)),
            "authorization_not_configured",
        ),
        (
            "keys, no intent",
            proxy(""),
            inbound("POST", "/api/gateway/v1/request", RECHARGE),
            "intent_required",
        ),
        (
            "keys, no intent, no Origin",
            proxy(""),
            Inbound {
                origin: None,
                ..inbound("POST", "/api/gateway/v1/request", RECHARGE)
            },
            "intent_required",
        ),
        (
            "status of a ref_id without its intent",
            proxy(""),
            status(),
            "intent_required",
        ),
    ];
    for (name, mut p, req, code) in rows {
        let (status, body) = answer(p.decide(&req, 1_000, "r"));
        assert_eq!(
            (status, body.get("code").and_then(Value::as_str)),
            (403, Some(code)),
            "{name}"
        );
        let message = body.get("message").and_then(Value::as_str).unwrap();
        if code == "authorization_not_configured" {
            assert!(
                message.contains("BDPAY_INTENT_KEY"),
                "{name}: names the setting"
            );
        }
        assert!(
            body.get("message_bn").and_then(Value::as_str).is_some(),
            "{name}"
        );
    }
    // Execute is server-side only by default.
    let (status, body) = answer(proxy("").decide(&execute(), 0, "r"));
    assert_eq!(
        (status, body.get("code").and_then(Value::as_str)),
        (403, Some("operation_not_exposed"))
    );
}

#[test]
fn an_intent_passes_only_for_the_payment_it_signed() {
    let intent = signed(RECHARGE);
    let other_key = bdpay_api::intent::create_request(
        &parse(RECHARGE.as_bytes()).unwrap(),
        &bdpay_api::intent::IntentKey::new("another-merchant-key-0123456789abcdef").unwrap(),
        0,
        "bdp-intent-1",
        &bdpay_core::rules::Rules::default(),
    )
    .unwrap();
    let mfs = r#"{"type":"mfs","operator_code":"BK","phone":"01712345678","amount":100}"#;
    let rows: Vec<(&str, Inbound, u16, &str)> = vec![
        (
            "amount + 1 paisa",
            pay(&RECHARGE.replace("100", "100.01"), &intent),
            403,
            "intent_mismatch",
        ),
        (
            "another phone",
            pay(&RECHARGE.replace("1712-345678", "1812-345678"), &intent),
            403,
            "intent_mismatch",
        ),
        (
            "another operator",
            pay(&RECHARGE.replace("\"gp\"", "\"BL\""), &intent),
            403,
            "intent_mismatch",
        ),
        ("another type", pay(mfs, &intent), 403, "intent_mismatch"),
        (
            "a sub_type added",
            pay(
                &RECHARGE.replace("}", r#","sub_type":"Postpaid"}"#),
                &intent,
            ),
            403,
            "intent_mismatch",
        ),
        (
            "another ref_id",
            pay(&RECHARGE.replace("}", r#","ref_id":"mine"}"#), &intent),
            403,
            "intent_mismatch",
        ),
        (
            "an unknown field",
            pay(&RECHARGE.replace("}", r#","note":"x"}"#), &intent),
            422,
            "validation",
        ),
        (
            "another merchant's key",
            pay(RECHARGE, &other_key),
            403,
            "intent_unknown_key",
        ),
        (
            "truncated",
            pay(RECHARGE, &intent[..intent.len() - 3]),
            403,
            "intent_bad_signature",
        ),
        (
            "garbled",
            pay(RECHARGE, "bdpi1.not.an.intent"),
            403,
            "intent_unknown_key",
        ),
        (
            "not an intent",
            pay(RECHARGE, "hello"),
            403,
            "intent_malformed",
        ),
    ];
    for (name, req, status, code) in rows {
        let (got, body) = answer(proxy("").decide(&req, 1_000, "r"));
        assert_eq!(
            (got, body.get("code").and_then(Value::as_str)),
            (status, Some(code)),
            "{name}"
        );
    }
    let (_, body) = answer(proxy("").decide(
        &pay(&RECHARGE.replace("100", "100.01"), &intent),
        1_000,
        "r",
    ));
    assert_eq!(
        body.get("message").and_then(Value::as_str),
        Some("The payment differs from its intent: amount.")
    );
    // Expired: 15 minutes, then the minute of allowed skew.
    let late = (bdpay_api::intent::DEFAULT_LIFETIME_S + bdpay_api::intent::CLOCK_SKEW_S + 1) * 1000;
    let (got, body) = answer(proxy("").decide(&pay(RECHARGE, &intent), late, "r"));
    assert_eq!(
        (got, body.get("code").and_then(Value::as_str)),
        (403, Some("intent_expired"))
    );
    // The same payment in another spelling is the same payment.
    let spelled = r#"{"type":"recharge","operator_code":"GP","phone":"০১৭১২৩৪৫৬৭৮","amount":"100.00","ref_id":"bdp-intent-1"}"#;
    forwarded(proxy("").decide(&pay(spelled, &intent), 1_000, "r"));
}

#[test]
fn rotation_accepts_the_previous_key() {
    let old = signed(RECHARGE);
    let rotated = [r#","intentKeyPrevious":""#, KEY, r#"""#].concat();
    let mut p = {
        let text = [
            r#"{"upstreamUrl":"https://gw.example","token":"t-123456","intentKey":"the-new-merchant-key-0123456789abcdef""#,
            &rotated,
            "}",
        ]
        .concat();
        Proxy::new(ProxyConfig::from_json(&parse(text.as_bytes()).unwrap()).unwrap())
    };
    forwarded(p.decide(
        &Inbound {
            origin: None,
            ..pay(RECHARGE, &old)
        },
        1_000,
        "r",
    ));
}

#[test]
fn status_reads_only_the_intents_own_payment() {
    let intent = signed(RECHARGE);
    let status = |body: &str| Inbound {
        intent: Some(intent.clone()),
        ..inbound("POST", "/api/gateway/v1/status", body)
    };
    let f = forwarded(proxy("").decide(&status(r#"{"ref_id":"bdp-intent-1"}"#), 1_000, "r"));
    assert_eq!(
        f.upstream.body.as_deref(),
        Some(r#"{"ref_id":"bdp-intent-1"}"#)
    );
    let f = forwarded(proxy("").decide(&status(r#"{"trx_id":"TRX9"}"#), 1_000, "r"));
    assert_eq!(
        f.upstream.body.as_deref(),
        Some(r#"{"ref_id":"bdp-intent-1"}"#),
        "asked by its own ref_id"
    );
    assert_eq!(f.context.expect_trx_id.as_deref(), Some("TRX9"));
    let other = HttpResponse {
        status: 200,
        headers: vec![],
        body: br#"{"status":true,"trx_id":"TRX1","ref_id":"bdp-intent-1"}"#.to_vec(),
    };
    assert_eq!(
        proxy("").finish(&other, &f.context).status,
        404,
        "another trx_id is not shown"
    );
    let (got, body) = answer(proxy("").decide(&status(r#"{"ref_id":"someone-else"}"#), 1_000, "r"));
    assert_eq!(
        (got, body.get("code").and_then(Value::as_str)),
        (403, Some("intent_mismatch"))
    );
}

#[test]
fn execute_under_an_intent_uses_the_proxys_pin_and_refuses_the_pages() {
    let key = bdpay_api::intent::IntentKey::new(KEY).unwrap();
    let intent = bdpay_api::intent::create_execute(
        &parse(br#"{"request_id":"2bf1c1ae","total":"$105.00"}"#).unwrap(),
        &key,
        0,
    )
    .unwrap();
    let exec = |body: &str| Inbound {
        intent: Some(intent.clone()),
        ..inbound(
            "POST",
            "/api/v1/private/wallet/utility-bill-pay/execute",
            body,
        )
    };
    let open = r#","operations":"execute,request","walletPin":"4321""#;
    let f = forwarded(proxy(open).decide(&exec(r#"{"request_id":"2bf1c1ae"}"#), 1_000, "r"));
    assert_eq!(
        f.upstream.body.as_deref(),
        Some(r#"{"request_id":"2bf1c1ae","pin":4321}"#)
    );
    assert_eq!(f.spend, Some(Amount::from_paisa(10_500)));
    let rows = [
        (
            open,
            r#"{"request_id":"2bf1c1ae","pin":"1111"}"#,
            "pin_not_allowed",
        ),
        (open, r#"{"request_id":"another"}"#, "intent_mismatch"),
        // Caught by the proxy fuzz target's authorization property: a
        // request_id that is no string was taken for none.
        (open, r#"{"request_id":5}"#, "intent_mismatch"),
        (open, r#"{"request_id":["2bf1c1ae"]}"#, "intent_mismatch"),
        (
            r#","operations":"execute""#,
            r#"{"request_id":"2bf1c1ae"}"#,
            "wallet_pin_missing",
        ),
    ];
    for (config, body, code) in rows {
        let (got, answer_body) = answer(proxy(config).decide(&exec(body), 1_000, "r"));
        assert_eq!(
            (got, answer_body.get("code").and_then(Value::as_str)),
            (403, Some(code)),
            "{body}"
        );
    }
    // A request's intent does not open execute.
    let (got, body) = answer(proxy(open).decide(
        &Inbound {
            intent: Some(signed(RECHARGE)),
            ..exec(r#"{"request_id":"2bf1c1ae"}"#)
        },
        1_000,
        "r",
    ));
    assert_eq!(
        (got, body.get("code").and_then(Value::as_str)),
        (403, Some("intent_other_operation"))
    );
}

#[test]
fn the_hook_is_asked_when_configured_and_no_intent_is_sent() {
    let mut p = proxy(r#","authorizeHook":true"#);
    let f = forwarded(p.decide(
        &inbound("POST", "/api/gateway/v1/request", RECHARGE),
        1_000,
        "bdp-edge-9",
    ));
    let asked = f.ask_hook.expect("the hook is asked");
    assert_eq!(
        asked.to_json(),
        r#"{"operation":"request","payment":{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"100.00","ref_id":"bdp-edge-9"}}"#
    );
    let mut pos = proxy(r#","authorizeHook":true,"operations":"execute""#);
    let exec = |body: &str| {
        inbound(
            "POST",
            "/api/v1/private/wallet/utility-bill-pay/execute",
            body,
        )
    };
    let (got, body) = answer(pos.decide(&exec(r#"{"request_id":"r1","pin":"12"}"#), 0, "r"));
    assert_eq!(
        (got, body.get("message").and_then(Value::as_str)),
        (422, Some("PIN must be 4 to 6 digits."))
    );
    let (got, body) = answer(pos.decide(&exec(r#"{"request_id":"r1"}"#), 0, "r"));
    assert_eq!(
        (got, body.get("code").and_then(Value::as_str)),
        (403, Some("wallet_pin_missing"))
    );
    let f = forwarded(pos.decide(&exec(r#"{"request_id":"r1","pin":"0123"}"#), 0, "r"));
    assert_eq!(
        f.upstream.body.as_deref(),
        Some(r#"{"request_id":"r1","pin":"0123"}"#)
    );
    assert!(f.ask_hook.is_some());
    // With an intent, the intent decides and the hook is not asked.
    let f = forwarded(p.decide(&pay(RECHARGE, &signed(RECHARGE)), 1_000, "r"));
    assert!(f.ask_hook.is_none());
}

#[test]
fn the_ceilings_count_every_payment() {
    let mut p = proxy(r#","budgetPerHour":"250""#);
    assert_eq!(p.reserve(Amount::from_taka(100), 0), Ok(()));
    assert_eq!(p.reserve(Amount::from_taka(150), 1), Ok(()));
    let c = p.reserve(Amount::from_paisa(1), 2).unwrap_err();
    assert_eq!(c.period, Period::Hour);
    let r = Proxy::ceiling_reached(c, Some(ORIGIN));
    assert_eq!(r.status, 429);
    assert!(String::from_utf8_lossy(&r.body).contains("budget_hour_reached"));
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
}

#[test]
fn each_client_has_its_own_payment_limit() {
    let mut p = proxy("");
    let intent = signed(RECHARGE);
    for _ in 0..3 {
        forwarded(p.decide(&pay(RECHARGE, &intent), 1_000, "r"));
    }
    match p.decide(&pay(RECHARGE, &intent), 2_000, "r") {
        Decision::Respond(r) => assert_eq!((r.status, r.header("retry-after")), (429, Some("59"))),
        d => panic!("{d:?}"),
    }
    let other = Inbound {
        client: "198.51.100.9".into(),
        ..pay(RECHARGE, &intent)
    };
    forwarded(p.decide(&other, 2_000, "r"));
    let status = Inbound {
        intent: Some(intent.clone()),
        ..inbound(
            "POST",
            "/api/gateway/v1/status",
            r#"{"ref_id":"bdp-intent-1"}"#,
        )
    };
    forwarded(p.decide(&status, 2_000, "r"));
}

#[test]
fn request_answers_reach_pages_without_the_merchants_balance() {
    let p = proxy("");
    let up = HttpResponse {
        status: 200,
        headers: vec![],
        body:
            br#"{"status":true,"trx_id":"T1","amount":100,"balance":400.00,"trx_status":"Pending"}"#
                .to_vec(),
    };
    let ctx = Context {
        op: Some(Operation::Request),
        origin: None,
        expect_trx_id: None,
        ref_id: None,
    };
    assert_eq!(
        String::from_utf8(p.finish(&up, &ctx).body).unwrap(),
        r#"{"status":true,"trx_id":"T1","amount":100,"trx_status":"Pending"}"#
    );
}

fn ctx(origin: Option<&str>) -> Context {
    Context {
        op: Some(Operation::Packages),
        origin: origin.map(str::to_owned),
        expect_trx_id: None,
        ref_id: None,
    }
}

#[test]
fn answers_pass_through_with_cors_and_never_the_token() {
    let p = proxy("");
    let up = HttpResponse {
        status: 422,
        headers: vec![("content-type".into(), "application/json".into())],
        body: br#"{"status":false,"message":"Insufficient balance"}"#.to_vec(),
    };
    let r = p.finish(&up, &ctx(Some(ORIGIN)));
    assert_eq!(
        (
            r.status,
            r.body.as_slice(),
            r.header("access-control-allow-origin")
        ),
        (422, up.body.as_slice(), Some(ORIGIN))
    );
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("Retry-After"),
        "a page may read Retry-After"
    );
    let leak = HttpResponse {
        status: 200,
        headers: vec![],
        body: ["{\"echo\":\"Bearer ", TOKEN, "\"}"].concat().into_bytes(),
    };
    let r = p.finish(&leak, &ctx(None));
    assert_eq!(r.status, 502);
    assert!(!String::from_utf8_lossy(&r.body).contains(TOKEN));
    assert_eq!(
        p.upstream_failed(&TransportError::Timeout, &ctx(None))
            .status,
        504
    );
    let redirected = TransportError::Unreadable {
        status: 307,
        why: bdpay_api::client::Unread::Redirect,
    };
    assert!(
        String::from_utf8_lossy(&p.upstream_failed(&redirected, &ctx(None)).body)
            .contains("upstream_unreadable")
    );
}

#[test]
fn a_payment_that_got_no_answer_is_said_as_unknown_never_as_failed() {
    let p = proxy("");
    let failures = [
        TransportError::Timeout,
        TransportError::Network("reset".into()),
        TransportError::Unreadable {
            status: 307,
            why: bdpay_api::client::Unread::Redirect,
        },
    ];
    for op in [Operation::Request, Operation::Execute, Operation::Status] {
        for e in &failures {
            let context = Context {
                op: Some(op),
                ..ctx(None)
            };
            let r = p.upstream_failed(e, &context);
            let body = String::from_utf8_lossy(&r.body).into_owned();
            let unknown = body.contains("\"code\":\"outcome_unknown\"");
            assert_eq!(unknown, op.is_payment(), "{op:?} {e:?}: {body}");
            if unknown {
                assert_eq!(r.status, 502);
                assert!(body.contains("Do not pay again"), "{body}");
            }
        }
    }
}

#[test]
fn a_token_hidden_by_json_escapes_is_withheld_too() {
    // Found by the proxy fuzz target: `/request` answers are rewritten (without `balance`),
    // which unescaped `\u006f` into the token (PHP writes a token's `/` as `\/`).
    let p = proxy("");
    let escaped = |s: &str| s.replace('o', "\\u006f").replace('-', "\\u002d");
    for op in [Operation::Request, Operation::Packages, Operation::Execute] {
        for token in [TOKEN, WALLET_TOKEN] {
            let up = HttpResponse {
                status: 200,
                headers: vec![],
                body: ["{\"echo\":\"", &escaped(token), "\",\"balance\":1}"]
                    .concat()
                    .into_bytes(),
            };
            let ctx = Context {
                op: Some(op),
                ..ctx(None)
            };
            let r = p.finish(&up, &ctx);
            assert_eq!(r.status, 502, "{op:?}");
            assert!(!String::from_utf8_lossy(&r.body).contains(token));
        }
    }
}

#[test]
fn upstream_headers_pass_only_when_well_formed() {
    let p = proxy("");
    let rows = [
        (
            vec![
                ("content-type", "application/json; charset=utf-8"),
                ("retry-after", " 7 "),
            ],
            Some("application/json; charset=utf-8"),
            Some("7"),
        ),
        (
            vec![
                ("content-type", "application/json; x=Bearer abc"),
                ("retry-after", "7 seconds"),
            ],
            Some("application/json"),
            None,
        ),
        (
            vec![
                ("content-type", "text/html"),
                ("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ],
            Some("text/html"),
            None,
        ),
        (vec![], Some("application/json"), None),
    ];
    for (given, content_type, retry_after) in rows {
        let up = HttpResponse {
            status: 429,
            headers: given
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: b"{}".to_vec(),
        };
        let r = p.finish(&up, &ctx(None));
        assert_eq!(
            (r.header("content-type"), r.header("retry-after")),
            (content_type, retry_after),
            "{given:?}"
        );
        assert!(r.headers.iter().all(|(_, v)| !v.contains(TOKEN)));
    }
}

#[test]
fn an_upstream_header_holding_the_token_withholds_the_answer() {
    // Found by fuzzing: a header value could carry the token.
    let p = proxy("");
    for (k, v) in [
        ("content-type", TOKEN.to_owned()),
        ("retry-after", ["7 ", TOKEN].concat()),
        ("x-debug", ["Bearer ", TOKEN].concat()),
    ] {
        let up = HttpResponse {
            status: 200,
            headers: vec![(k.to_owned(), v)],
            body: b"{}".to_vec(),
        };
        let r = p.finish(&up, &ctx(Some(ORIGIN)));
        assert_eq!(r.status, 502, "{k}");
        assert!(
            r.headers.iter().all(|(_, v)| !v.contains(TOKEN))
                && !String::from_utf8_lossy(&r.body).contains(TOKEN)
        );
    }
}

#[test]
fn config_is_checked() {
    let bad = [
        r#"{"upstreamUrl":"https://gw.example"}"#,
        r#"{"token":"t"}"#,
        r#"{"token":"t","upstreamUrl":"http://gw.example"}"#,
        r#"{"token":"t","upstreamUrl":"https://gw.example","allowedOrigins":"*"}"#,
        r#"{"token":"t","upstreamUrl":"https://gw.example","operations":"balance,steal"}"#,
        r#"{"token":"t","upstreamUrl":"https://gw.example","maxAmount":-1}"#,
    ];
    for b in bad {
        assert!(
            ProxyConfig::from_json(&parse(b.as_bytes()).unwrap()).is_err(),
            "{b}"
        );
    }
    let e = ProxyConfig::from_json(
        &parse(br#"{"token":"s3cr3t","upstreamUrl":"http://gw.example"}"#).unwrap(),
    )
    .unwrap_err();
    assert!(!e.to_json().to_json().contains("s3cr3t"));
}

/// Every config the proxy refuses says so in both languages, with no Latin
/// in the Bangla but the names and codes it was given.
#[test]
fn every_bad_config_in_both_languages() {
    use bdpay_api::error::Say;
    use bdpay_core::messages::check::assert_bilingual;
    let json = |text: &str| parse(text.as_bytes()).unwrap();
    let bilingual = |what: &str, e: &ApiError, given: &[&str]| {
        assert_bilingual(
            what,
            &e.code,
            (&e.message, &e.message_bn),
            &e.field_errors,
            given,
        );
    };
    let base = r#""upstreamUrl":"https://gw.example","token":"t""#;
    let proxy = [
        "[]".to_owned(),
        r#"{"token":"t"}"#.to_owned(),
        r#"{"upstreamUrl":"https://gw.example"}"#.to_owned(),
        r#"{"upstreamUrl":"http://gw.example","token":"t"}"#.to_owned(),
        r#"{"upstreamUrl":5,"token":"t"}"#.to_owned(),
        format!(r#"{{{base},"allowedOrigins":"*"}}"#),
        format!(r#"{{{base},"allowedOrigins":[1]}}"#),
        format!(r#"{{{base},"operations":"balance,steal"}}"#),
        format!(r#"{{{base},"maxAmount":-1}}"#),
        format!(r#"{{{base},"maxBodyBytes":"lots"}}"#),
        format!(r#"{{{base},"walletPin":"12"}}"#),
        format!(r#"{{{base},"walletToken":"a\nb"}}"#),
        format!(r#"{{{base},"intentKey":"short"}}"#),
        format!(r#"{{{base},"validator":{{"colour":1}}}}"#),
    ];
    for text in &proxy {
        let e = ProxyConfig::from_json(&json(text)).unwrap_err();
        let e = ApiError::config(Say::ProxyConfig, e.field_errors);
        bilingual(text, &e, &["balance, packages, request, status, billers, summary, execute, histories, beneficiaries"]);
    }
}

/// The proxy's number settings are read as the clients read theirs: a JSON
/// number or a decimal string, and the same error, word for word, for
/// anything else.
#[test]
fn number_settings_read_as_the_clients_read_theirs() {
    use bdpay_core::messages::Rule;
    let json = |text: &str| parse(text.as_bytes()).unwrap();
    let base = r#""upstreamUrl":"https://gw.example","token":"t""#;
    let proxy = |field: &str, value: &str| {
        let text = format!(r#"{{{base},"{field}":{value}}}"#);
        ProxyConfig::from_json(&json(&text))
    };
    let client = |value: &str| {
        let text = format!(r#"{{"baseUrl":"https://gw.example","timeoutMs":{value}}}"#);
        bdpay_api::client::Config::from_json(&json(&text))
    };
    for ok in ["30000", r#""30000""#] {
        let c = proxy("upstreamTimeoutMs", ok).unwrap();
        assert_eq!(c.upstream_timeout_ms, 30_000, "{ok}");
        assert_eq!(client(ok).unwrap().timeout_ms, 30_000, "{ok}");
        let c = proxy("maxBodyBytes", ok).unwrap();
        assert_eq!(c.max_body_bytes, 30_000, "{ok}");
    }
    // A timeout is held between 1 ms and ten minutes: the Worker's timer
    // gets it as it is, and a JavaScript timer past 2^31 - 1 ms fires at once.
    for (given, held) in [
        ("0", 1),
        ("600000", 600_000),
        ("3000000000", 600_000),
        (r#""18446744073709551615""#, 600_000),
    ] {
        let c = proxy("upstreamTimeoutMs", given).unwrap();
        assert_eq!(c.upstream_timeout_ms, held, "{given}");
    }
    for bad in [
        r#""30k""#, "-1", "1.5", "true", r#""-1""#, r#""1.5""#, "3e4",
    ] {
        let mine = proxy("upstreamTimeoutMs", bad).unwrap_err().field_errors;
        assert_eq!(
            mine,
            [FieldError::new("upstreamTimeoutMs", Rule::WholeNumber)],
            "{bad}"
        );
        assert_eq!(mine[0].code.as_str(), "invalid_value");
        let theirs = client(bad).unwrap_err().field_errors;
        assert_eq!(theirs.len(), 1, "{bad}");
        assert_eq!(
            (mine[0].code, theirs[0].code),
            (Code::InvalidValue, Code::InvalidValue)
        );
        // The same sentence, but for the name of the setting.
        for (m, t) in [
            (&mine[0].message, &theirs[0].message),
            (&mine[0].message_bn, &theirs[0].message_bn),
        ] {
            assert_eq!(
                m.replace("upstreamTimeoutMs", "X"),
                t.replace("timeoutMs", "X"),
                "{bad}"
            );
        }
        for field in ["clientReadsPerMinute", "clientPaymentsPerMinute"] {
            let e = proxy(field, bad).unwrap_err().field_errors;
            assert_eq!(e, [FieldError::new(field, Rule::WholeNumber)], "{bad}");
        }
    }
}

#[test]
fn busy_answers_proxy_busy_with_retry_after_and_cors() {
    let r = Proxy::busy(Some(ORIGIN));
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let body = parse(&r.body).unwrap();
    assert_eq!(body.get("code").and_then(Value::as_str), Some("proxy_busy"));
    let r = Proxy::busy(None);
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[test]
fn a_status_asks_after_the_payment_of_its_ref_id_only() {
    let of = |op, ref_id: Option<&str>| Context {
        op: Some(op),
        ref_id: ref_id.map(str::to_owned),
        ..ctx(None)
    };
    let sending = of(Operation::Request, Some("ORD-1"));
    assert!(of(Operation::Status, Some("ORD-1")).asks_after(&sending));
    assert!(!of(Operation::Status, Some("ORD-2")).asks_after(&sending));
    // Only a status asks, and only after a /request being sent.
    assert!(!of(Operation::Request, Some("ORD-1")).asks_after(&sending));
    assert!(!of(Operation::Status, Some("ORD-1")).asks_after(&of(Operation::Status, Some("ORD-1"))));
    // No ref_id on either side is no match.
    assert!(!of(Operation::Status, None).asks_after(&of(Operation::Request, None)));
}
