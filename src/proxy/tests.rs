//! The proxy's rules, one row a case: what comes in, what goes out.

use super::*;
use crate::json::parse;

const ORIGIN: &str = "https://shop.example";
const TOKEN: &str = "proxy-secret-token";

fn proxy(extra: &str) -> Proxy {
    let text = [
        r#"{"upstreamUrl":"https://gw.example","token":""#,
        TOKEN,
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
        body: Some(body.as_bytes().to_vec()),
        client: "203.0.113.7".into(),
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
        Decision::Forward { upstream, .. } => panic!("forwarded {upstream:?}"),
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
            "bad phone",
            inbound(
                "POST",
                "/api/gateway/v1/request",
                r#"{"type":"recharge","operator_code":"GP","phone":"01112345678","amount":100}"#,
            ),
            422,
            "Enter an 11-digit Bangladeshi mobile number, like 01712345678.",
        ),
        (
            "over the proxy's max",
            inbound(
                "POST",
                "/api/gateway/v1/request",
                r#"{"type":"mfs","operator_code":"BK","phone":"01712345678","amount":5000.01}"#,
            ),
            422,
            "Amount must be at most ৳5000.00.",
        ),
        (
            "bad PIN",
            inbound(
                "POST",
                "/api/v1/private/wallet/utility-bill-pay/execute",
                r#"{"request_id":"r1","pin":"12"}"#,
            ),
            422,
            "PIN must be 4 to 6 digits.",
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
            "x may contain only letters and digits.",
        ),
    ];
    for (name, req, status, message) in rows {
        let (got, body) = answer(proxy("").decide(&req, 0, "bdp-x"));
        assert_eq!(
            (got, body.get("message").and_then(Value::as_str)),
            (status, Some(message)),
            "{name}"
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
        &inbound(
            "POST",
            "/api/gateway/v1/request",
            r#"{"type":"recharge","operator_code":"GP","phone":"x","amount":"1.005"}"#,
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
fn forwards_the_canonical_request_with_the_token_and_a_ref_id() {
    match proxy("").decide(
        &inbound("POST", "/api/gateway/v1/request", RECHARGE),
        0,
        "bdp-edge-1",
    ) {
        Decision::Forward { upstream, origin } => {
            assert_eq!(upstream.url, "https://gw.example/api/gateway/v1/request");
            assert_eq!(upstream.token, Some(Token::new(TOKEN)));
            assert_eq!(
                upstream.body.as_deref(),
                Some(
                    r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"ref_id":"bdp-edge-1"}"#
                )
            );
            assert_eq!(origin.as_deref(), Some(ORIGIN));
        }
        d => panic!("{d:?}"),
    }
    let summary = inbound(
        "GET",
        "/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b451&bll_typ=M&bllr_accno=ACC1",
        "",
    );
    match proxy(r#","walletUrl":"https://wallet.example""#).decide(&summary, 0, "r") {
        Decision::Forward { upstream, .. } => assert_eq!(
            upstream.url,
            "https://wallet.example/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b451&bll_typ=M&bllr_accno=ACC1"
        ),
        d => panic!("{d:?}"),
    }
    let server_side = Inbound {
        origin: None,
        ..inbound("GET", "/api/gateway/v1/balance", "")
    };
    assert!(matches!(
        proxy(r#","operations":"balance,request""#).decide(&server_side, 0, "r"),
        Decision::Forward { .. }
    ));
}

#[test]
fn each_client_has_its_own_payment_limit() {
    let mut p = proxy("");
    for _ in 0..3 {
        assert!(matches!(
            p.decide(
                &inbound("POST", "/api/gateway/v1/request", RECHARGE),
                1_000,
                "r"
            ),
            Decision::Forward { .. }
        ));
    }
    match p.decide(
        &inbound("POST", "/api/gateway/v1/request", RECHARGE),
        2_000,
        "r",
    ) {
        Decision::Respond(r) => assert_eq!((r.status, r.header("retry-after")), (429, Some("59"))),
        d => panic!("{d:?}"),
    }
    let other = Inbound {
        client: "198.51.100.9".into(),
        ..inbound("POST", "/api/gateway/v1/request", RECHARGE)
    };
    assert!(matches!(
        p.decide(&other, 2_000, "r"),
        Decision::Forward { .. }
    ));
    assert!(
        matches!(
            p.decide(
                &inbound("POST", "/api/gateway/v1/status", r#"{"ref_id":"r"}"#),
                2_000,
                "r"
            ),
            Decision::Forward { .. }
        ),
        "reads have their own window"
    );
}

#[test]
fn answers_pass_through_with_cors_and_never_the_token() {
    let p = proxy("");
    let up = HttpResponse {
        status: 422,
        headers: vec![("content-type".into(), "application/json".into())],
        body: br#"{"status":false,"message":"Insufficient balance"}"#.to_vec(),
    };
    let r = p.finish(&up, Some(ORIGIN));
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
    let r = p.finish(&leak, None);
    assert_eq!(r.status, 502);
    assert!(!String::from_utf8_lossy(&r.body).contains(TOKEN));
    assert_eq!(p.upstream_failed(true, None).status, 504);
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
        let r = p.finish(&up, None);
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
        let r = p.finish(&up, Some(ORIGIN));
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
