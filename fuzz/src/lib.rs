//! The checks behind the fuzz targets, one function per target: each feeds
//! fuzz bytes to a parser of untrusted text in `bdpay` and asserts what must
//! hold of its answer. A panic, an overflow (the targets are built with
//! overflow checks) or a failed assertion is a crash for libFuzzer.
//!
//! They live here rather than in `fuzz_targets/` so that `cargo test` replays
//! every seed and every regression through them on stable Rust, without
//! libFuzzer (see the tests at the end).

use std::sync::LazyLock;

use bdpay::billers::{parse_biller, parse_billers, validate_biller_form, Biller, FieldType};
use bdpay::billpay::{self, Execute};
use bdpay::client::Config;
use bdpay::error::{ApiError, ErrorKind};
use bdpay::gateway::{self, PackagesQuery, StatusQuery, PACKAGE_TYPES};
use bdpay::http::{is_loopback, BaseUrl, Endpoint, HttpRequest, HttpResponse, Token};
use bdpay::json::{self, object, Value};
use bdpay::money::{Amount, MAX_PAISA};
use bdpay::operators::{Registry, Service};
use bdpay::phone::{normalize_phone, normalize_wallet};
use bdpay::proxy::{Decision, Inbound, Proxy, ProxyConfig};
use bdpay::request::{month, ref_id, validate_request};
use bdpay::rules::Rules;
use bdpay::text::{bengali_digits, digit_value};

static RULES: LazyLock<Rules> = LazyLock::new(Rules::default);
static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::default);

/// The wallet reference's sample billers response (also a seed of `billers`).
pub const SAMPLE_BILLERS: &str = include_str!("../seeds/billers/reference-sample.json");

/// Bakhrabad Gas (`b451`) from the reference sample: a text, a mobile and a
/// select param, and a hidden field sharing the select's key.
pub static BAKHRABAD: LazyLock<Biller> = LazyLock::new(|| {
    let sample = json::parse(SAMPLE_BILLERS.as_bytes()).expect("the reference sample is JSON");
    parse_billers(&sample)
        .expect("the reference sample parses")
        .into_iter()
        .flat_map(|t| t.billers)
        .find(|b| b.biller_id == "b451")
        .expect("the reference sample has Bakhrabad Gas")
});

// ------------------------------------------------------------ text parsers

/// `normalize_phone` and `normalize_wallet` on any UTF-8: an accepted number
/// is canonical, on a live prefix, and normalises to itself in every form.
pub fn phone(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(n) = normalize_phone(s, &REGISTRY) {
        assert!(is_national(&n, 11), "{s:?} gave {n:?}");
        assert!(REGISTRY.is_live_prefix(&n[..3]), "{s:?} gave {n:?}");
        assert!(REGISTRY.detect(&n).is_some(), "{n:?} has no operator");
        for form in [n.clone(), ["+88", &n].concat(), bengali_digits(&n)] {
            assert_eq!(
                normalize_phone(&form, &REGISTRY).as_ref(),
                Some(&n),
                "{form:?}"
            );
        }
    }
    for lengths in [&[][..], &[11], &[12], &[11, 12]] {
        if let Some(w) = normalize_wallet(s, lengths, &REGISTRY) {
            assert!(
                is_national(&w, w.len()) && (w.len() == 11 || w.len() == 12),
                "{s:?} gave {w:?}"
            );
            assert!(
                lengths.is_empty() || lengths.contains(&(w.len() as u8)),
                "{s:?} {lengths:?} gave {w:?}"
            );
            assert_eq!(
                normalize_wallet(&w, lengths, &REGISTRY).as_ref(),
                Some(&w),
                "{lengths:?}"
            );
        }
    }
}

/// `Amount::parse` and `Amount::parse_display` on any UTF-8: `parse` agrees
/// with an exact reference reading of the decimal (below), an accepted amount
/// is within the bounds and its two-decimal text (and its JSON number) parses
/// back to the same amount, and a display amount is negative exactly when
/// its text starts with a minus.
pub fn amount(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Amount::parse(s).ok();
    match reference_paisa(s) {
        None => assert_eq!(parsed, None, "{s:?} is no decimal number"),
        Some(exact) => {
            let digits = s
                .chars()
                .take_while(|c| !matches!(c, 'e' | 'E'))
                .filter(|&c| digit_value(c).is_some());
            if parsed.is_some() || digits.count() <= 64 {
                assert_eq!(parsed.map(Amount::paisa), exact, "{s:?}");
            }
        }
    }
    if let Some(a) = Amount::parse_display(s) {
        let minus = s.trim().starts_with(['-', '\u{2212}']);
        assert!(
            a.paisa() == 0 || a.is_positive() != minus,
            "{s:?} gave {a:?}: a sign not in front"
        );
    }
    for a in parsed.into_iter().chain(Amount::parse_display(s)) {
        assert!(a.paisa().abs() <= MAX_PAISA, "{s:?} gave {a:?}");
        assert_eq!(Amount::parse(&a.to_decimal_string()), Ok(a), "{s:?}");
        assert_eq!(Amount::parse(&a.to_json_number()), Ok(a), "{s:?}");
        assert_eq!(
            Amount::parse_display(&a.to_decimal_string()),
            Some(a),
            "{s:?}"
        );
    }
}

/// `month` and `ref_id` on the input as a JSON value and as a plain string:
/// a month is `01`–`12`, a reference is 1–64 URL-, header- and log-safe
/// characters, and both read back as themselves.
pub fn month_ref_id(data: &[u8]) {
    let text = Value::String(String::from_utf8_lossy(data).into_owned());
    for v in json::parse(data).ok().iter().chain([&text]) {
        if let Ok(m) = month(v) {
            assert!(
                m.len() == 2 && ("01"..="12").contains(&m.as_str()),
                "{v:?} gave {m:?}"
            );
            assert_eq!(month(&Value::from(m.as_str())).ok().as_ref(), Some(&m));
        }
        if let Ok(r) = ref_id(v) {
            assert!((1..=64).contains(&r.len()), "{v:?} gave {r:?}");
            assert!(
                r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-_:".contains(&b)),
                "{r:?}"
            );
            assert_eq!(ref_id(&Value::from(r.as_str())).ok().as_ref(), Some(&r));
        }
    }
}

/// `json::parse` on any bytes: what it accepts, written back with `to_json`,
/// parses to the same value, and writing is stable.
pub fn json(data: &[u8]) {
    if let Ok(v) = json::parse(data) {
        let text = v.to_json();
        assert_eq!(json::parse(text.as_bytes()).as_ref(), Ok(&v), "{text}");
        assert_eq!(v.to_json(), text);
    }
}

/// `validate_request` on any JSON: an accepted request, as the body the
/// library sends (`to_json`) and as the upstream wire body (`to_wire_json`),
/// validates again to the same value.
pub fn request(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    if let Ok(r) = validate_request(&v, &RULES) {
        let op = RULES
            .registry
            .get(&r.operator_code)
            .expect("a known operator");
        assert!(op.offers(r.service), "{r:?}");
        if let (Some(a), Some(limit)) = (r.amount, RULES.limit(r.service)) {
            assert!(a.is_positive() && limit.min <= a && a <= limit.max, "{r:?}");
        }
        revalidates(&r, &RULES);
    }
}

/// `Rules::from_config` on any JSON: accepted rules give limits that read
/// back as themselves, and requests checked against them still revalidate.
pub fn rules(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    let Ok(rules) = Rules::from_config(&v) else {
        return;
    };
    let again = Rules::from_config(&object([("limits", rules.limits_json())]))
        .expect("limits_json is a valid config");
    for s in Service::ALL {
        if rules.limit(s).is_some_and(|l| l.max.is_positive()) {
            assert_eq!(again.limit(s), rules.limit(s), "{}", s.as_str());
        }
    }
    let _ = rules.registry.to_json();
    for body in SAMPLE_REQUESTS {
        let req = json::parse(body.as_bytes()).expect("sample requests are JSON");
        if let Ok(r) = validate_request(&req, &rules) {
            revalidates(&r, &rules);
        }
    }
}

/// `parse_billers` and `parse_biller` on any JSON: every biller and biller
/// type read back from its own `to_json`, and a form check of each biller
/// with plausible values does not panic.
pub fn billers(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    if let Ok(b) = parse_biller(&v) {
        assert_eq!(parse_biller(&b.to_json()).as_ref(), Ok(&b));
    }
    let Ok(types) = parse_billers(&v) else {
        return;
    };
    for t in types {
        let wrapped = object([("data", object([("types", Value::Array(vec![t.to_json()]))]))]);
        assert_eq!(parse_billers(&wrapped), Ok(vec![t.clone()]));
        for b in &t.billers {
            assert_eq!(parse_biller(&b.to_json()).as_ref(), Ok(b));
            let values = Value::Object(
                b.params
                    .iter()
                    .map(|p| (p.key.clone(), Value::from(plausible(p))))
                    .collect(),
            );
            let _ = validate_biller_form(b, &values, &REGISTRY);
        }
    }
}

/// `validate_biller_form` for Bakhrabad Gas on any JSON values: an accepted
/// form is the hidden fields with the person's normalised choices, and giving
/// those choices again is accepted with the same result.
pub fn biller_form(data: &[u8]) {
    let Ok(values) = json::parse(data) else {
        return;
    };
    let Ok(sent) = validate_biller_form(&BAKHRABAD, &values, &REGISTRY) else {
        return;
    };
    let get = |k: &str| {
        sent.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        sent.first(),
        Some(&("biller_id".to_owned(), "b451".to_owned()))
    );
    assert_eq!(get("mode"), Some("SAPI"));
    assert!(matches!(get("bll_typ"), Some("M" | "NM")), "{sent:?}");
    let mobile = get("bill_mobno").expect("a required param is sent");
    assert_eq!(normalize_phone(mobile, &REGISTRY).as_deref(), Some(mobile));
    let account = get("bllr_accno").expect("a required param is sent");
    assert!(
        !account.is_empty() && account.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{account:?}"
    );
    for (i, (k, _)) in sent.iter().enumerate() {
        assert!(
            !sent[..i].iter().any(|(seen, _)| seen == k),
            "{k} sent twice: {sent:?}"
        );
    }
    let again = Value::Object(
        (BAKHRABAD.params.iter())
            .filter_map(|p| Some((p.key.clone(), Value::from(get(&p.key)?))))
            .collect(),
    );
    assert_eq!(
        validate_biller_form(&BAKHRABAD, &again, &REGISTRY).as_ref(),
        Ok(&sent)
    );
}

// ------------------------------------------------------- response parsers

/// The gateway's response parsers on any response: success only for a 2xx,
/// an error always says something and keeps the HTTP status, and amounts are
/// within bounds.
pub fn gateway_response(data: &[u8]) {
    let resp = response(data);
    let bounded = |a: Amount| assert!(a.paisa().abs() <= MAX_PAISA, "{a:?}");
    let balance = gateway::parse_balance(&resp);
    sane(&balance, &resp);
    if let Ok(b) = balance {
        [b.flexiload_balance, b.drive_balance, b.bank_balance]
            .into_iter()
            .for_each(bounded);
        let _ = b.to_json();
    }
    let packages = gateway::parse_packages(&resp);
    sane(&packages, &resp);
    for p in packages.iter().flatten() {
        [p.price, p.commission].into_iter().for_each(bounded);
    }
    let transaction = gateway::parse_transaction(&resp);
    sane(&transaction, &resp);
    if let Ok(t) = transaction {
        assert!(!t.trx_id.is_empty() && !t.trx_status.is_empty());
        [t.amount, t.payable, t.balance]
            .into_iter()
            .flatten()
            .for_each(bounded);
        let _ = t.to_json();
    }
}

/// The wallet's response parsers on any response, as for the gateway.
pub fn wallet_response(data: &[u8]) {
    let resp = response(data);
    let bounded = |m: &billpay::Money| assert!(m.amount.paisa().abs() <= MAX_PAISA, "{m:?}");
    let billers = billpay::parse_billers_response(&resp);
    sane(&billers, &resp);
    billers.iter().flatten().for_each(|t| drop(t.to_json()));
    let summary = billpay::parse_summary(&resp);
    sane(&summary, &resp);
    if let Ok(s) = summary {
        assert!(!s.request_id.is_empty());
        [&s.amount, &s.charge, &s.total_payable]
            .into_iter()
            .for_each(bounded);
    }
    let receipt = billpay::parse_execute(&resp);
    sane(&receipt, &resp);
    if let Ok(r) = receipt {
        r.total_payable.iter().for_each(bounded);
    }
    let history = billpay::parse_history(&resp);
    sane(&history, &resp);
    if let Ok(h) = history {
        [Some(&h.amount), h.payment_received.as_ref()]
            .into_iter()
            .flatten()
            .for_each(bounded);
    }
    let beneficiaries = billpay::parse_beneficiaries(&resp);
    sane(&beneficiaries, &resp);
    beneficiaries
        .iter()
        .flatten()
        .for_each(|b| drop(b.to_json()));
}

/// `ApiError::from_response` on any response: an error that says something,
/// keeps the status, whose JSON form is valid JSON, and whose kind follows
/// the HTTP status wherever the status alone decides it.
pub fn api_error(data: &[u8]) {
    let resp = response(data);
    let e = ApiError::from_response(&resp);
    sane_error(&e, &resp);
    let text = e.to_json().to_json();
    assert!(json::parse(text.as_bytes()).is_ok(), "{text}");
    assert_eq!(e.retry_after_ms, resp.retry_after_ms());
    let by_status = match resp.status {
        401 => Some(ErrorKind::Unauthorized),
        403 => Some(ErrorKind::Forbidden),
        404 => Some(ErrorKind::NotFound),
        429 => Some(ErrorKind::RateLimited),
        500..=599 => Some(ErrorKind::Server),
        _ => None,
    };
    if let Some(kind) = by_status {
        assert_eq!(e.kind, kind, "{e:?}");
    }
}

// ---------------------------------------------------------- caller input

/// The checks of what a caller passes to `packages`, `status` and wallet
/// `execute`: accepted values are canonical and read back as themselves.
pub fn call_inputs(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    if let Ok(q) = PackagesQuery::from_json(&v, &RULES) {
        assert!(RULES.registry.get(&q.operator_code).is_some());
        assert!(q
            .package_type
            .as_deref()
            .is_none_or(|t| PACKAGE_TYPES.contains(&t)));
        let body = gateway::packages(&wallet_endpoint(), &q)
            .body
            .expect("a body");
        let again = json::parse(body.as_bytes()).expect("our body is JSON");
        assert_eq!(PackagesQuery::from_json(&again, &RULES).as_ref(), Ok(&q));
    }
    if let Ok(StatusQuery::TrxId(id) | StatusQuery::RefId(id)) = StatusQuery::from_json(&v) {
        assert!(ref_id(&Value::from(id.as_str())).is_ok(), "{id:?}");
    }
    if let Ok(exec) = Execute::from_json(&v) {
        assert!((4..=6).contains(&exec.pin.len()) && exec.pin.bytes().all(|b| b.is_ascii_digit()));
        let body = billpay::execute(&wallet_endpoint(), &exec)
            .body
            .expect("a body");
        let again = json::parse(body.as_bytes()).expect("our body is JSON");
        assert_eq!(Execute::from_json(&again).as_ref(), Ok(&exec), "{body}");
    }
}

/// `BaseUrl::parse` on any UTF-8 with and without a token: an accepted URL
/// is http(s) with no spaces, query or fragment, plain http carries a token
/// only to loopback unless allowed, and the result parses as itself.
pub fn base_url(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for (with_token, allow_http) in [(true, false), (true, true), (false, false)] {
        let Ok(u) = BaseUrl::parse(s, with_token, allow_http) else {
            continue;
        };
        let url = u.as_str();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        let rest = rest.unwrap_or_else(|| panic!("{s:?} gave {url:?}"));
        let authority = rest.split('/').next().unwrap_or("");
        assert!(!authority.is_empty() && !authority.contains('@'), "{url:?}");
        assert!(
            !url.contains(['?', '#']) && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        );
        if with_token && !allow_http && url.starts_with("http://") {
            assert!(is_loopback(authority), "{url:?}");
        }
        assert_eq!(BaseUrl::parse(url, with_token, allow_http).as_ref(), Ok(&u));
    }
}

/// `Config::from_json` on any JSON: accepted settings are clamped to their
/// bounds, and the token's value never shows in the config's `Debug` text.
pub fn client_config(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    let Ok(c) = Config::from_json(&v) else {
        return;
    };
    assert!(c.timeout_ms >= 1 && c.retry.max_retries <= 10 && c.poll_interval_ms >= 10);
    assert!((1..=20).contains(&c.reconcile_checks));
    if c.endpoint.token.is_some() {
        let mut other = c.clone();
        other.endpoint.token = Some(Token::new("a-different-token"));
        assert_eq!(
            format!("{c:?}"),
            format!("{other:?}"),
            "the token shows in Debug"
        );
    }
}

// ------------------------------------------------------------------ proxy

/// The token the fuzzed proxy holds: it must never show in an answer.
pub const PROXY_TOKEN: &str = "proxy-secret-token";
const PROXY_BASE: &str = "https://gw.example";
const PROXY_ORIGINS: [&str; 2] = ["https://shop.example", "http://localhost:8080"];

static PROXY_CONFIG: LazyLock<ProxyConfig> = LazyLock::new(|| {
    let config = [
        r#"{"upstreamUrl":""#,
        PROXY_BASE,
        r#"","token":""#,
        PROXY_TOKEN,
        r#"","allowedOrigins":""#,
        &PROXY_ORIGINS.join(", "),
        r#"","maxAmount":1000,"clientPaymentsPerMinute":3}"#,
    ]
    .concat();
    ProxyConfig::from_json(&json::parse(config.as_bytes()).expect("JSON")).expect("a config")
});

/// The proxy's request handling: a conversation of browser requests and
/// upstream answers (sections split by a `~~~` line; one starting with a
/// digit is an upstream answer, in [`response`]'s form, any other a request:
/// `METHOD /target`, `origin:`, `content-type:`, `client:` lines, an empty
/// line and the body; `body: cut` for a body the Worker stopped reading).
/// The token never shows in an answer, a header never carries a line break,
/// CORS answers only allowed origins, and what goes upstream passed every
/// check: allowed origin, exposed operation, the route's method, the
/// validators, the proxy's own amount cap.
pub fn proxy(data: &[u8]) {
    let mut proxy = Proxy::new(PROXY_CONFIG.clone());
    let mut origin = None;
    let sections = split_on(data, b"\n~~~\n");
    for (i, section) in sections.into_iter().enumerate().take(16) {
        if section.first().is_some_and(u8::is_ascii_digit) {
            let mut upstream = response(section);
            // What fetch's Headers can hold: no CR, LF or NUL in a value.
            upstream
                .headers
                .retain(|(_, v)| !v.contains(['\r', '\n', '\0']));
            let answer = proxy.finish(&upstream, origin.as_deref());
            safe_answer(&answer, origin.as_deref(), false);
            continue;
        }
        let req = inbound(section);
        // A refusal may quote the request; only a token the caller did not send is a leak.
        let sent_token = section
            .windows(PROXY_TOKEN.len())
            .any(|w| w == PROXY_TOKEN.as_bytes());
        match proxy.decide(&req, i as u64 * 1000, "bdp-fuzz-1") {
            Decision::Respond(answer) => {
                safe_answer(&answer, req.origin.as_deref(), sent_token);
                let preflight = req.method.eq_ignore_ascii_case("OPTIONS");
                assert!(
                    answer.status >= 400 || (preflight && answer.status == 204),
                    "{answer:?}"
                );
            }
            Decision::Forward {
                upstream,
                origin: o,
            } => {
                forwarded(&req, &upstream);
                // The Worker passes the upstream's answer back for this origin.
                origin = o;
            }
        }
    }
}

/// `ProxyConfig::from_json` on any JSON: accepted settings are within their
/// bounds, origins are plain URLs, and the token never shows in `Debug`.
pub fn proxy_config(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    let Ok(c) = ProxyConfig::from_json(&v) else {
        return;
    };
    assert!((256..=1 << 20).contains(&c.max_body_bytes) && c.max_amount.is_positive());
    assert!(c.client_limit.0 >= 1 && c.client_limit.1 >= 1 && c.upstream_timeout_ms >= 1);
    for o in &c.allowed_origins {
        assert!(
            o != "*" && !o.chars().any(|c| c.is_whitespace() || c.is_control()),
            "{o:?}"
        );
    }
    let mut other = c.clone();
    other.gateway.token = Some(Token::new("a-different-token"));
    other.wallet.token = Some(Token::new("a-different-token"));
    assert_eq!(
        format!("{c:?}"),
        format!("{other:?}"),
        "the token shows in Debug"
    );
}

/// An answer the proxy gives a browser: no token (unless the caller sent it
/// and it is quoted back), no line break in a header, CORS only for an
/// allowed origin.
fn safe_answer(answer: &HttpResponse, origin: Option<&str>, quoted: bool) {
    assert!(
        quoted || !String::from_utf8_lossy(&answer.body).contains(PROXY_TOKEN),
        "token in {answer:?}"
    );
    for (name, value) in &answer.headers {
        assert!(
            quoted || !value.contains(PROXY_TOKEN),
            "token in header {name}"
        );
        assert!(
            !value.contains(['\r', '\n']) && !name.contains(['\r', '\n', ':']),
            "{name:?}: {value:?}"
        );
        if name.eq_ignore_ascii_case("access-control-allow-origin") {
            assert_eq!(Some(value.as_str()), origin, "CORS for another origin");
            assert!(
                PROXY_ORIGINS.iter().any(|o| o.eq_ignore_ascii_case(value)),
                "CORS for {value:?}"
            );
        }
    }
}

/// A request the proxy sent upstream: everything it must have checked first.
fn forwarded(req: &Inbound, up: &HttpRequest) {
    let origin_ok = req
        .origin
        .as_deref()
        .is_none_or(|o| PROXY_ORIGINS.iter().any(|a| a.eq_ignore_ascii_case(o)));
    assert!(origin_ok, "forwarded for origin {:?}", req.origin);
    assert!(
        req.method.eq_ignore_ascii_case(up.method.as_str()),
        "{} became {:?}",
        req.method,
        up.method
    );
    let path = up
        .url
        .strip_prefix(PROXY_BASE)
        .unwrap_or_else(|| panic!("upstream {}", up.url));
    assert!(
        !path.ends_with("/balance") && !path.ends_with("/beneficiaries"),
        "not exposed: {path}"
    );
    assert!(
        !up.url.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{:?}",
        up.url
    );
    assert_eq!(up.token.as_ref(), Some(&Token::new(PROXY_TOKEN)));
    assert!(up
        .headers
        .iter()
        .all(|(k, v)| !k.eq_ignore_ascii_case("authorization") && !v.contains(PROXY_TOKEN)));
    let body = up
        .body
        .as_deref()
        .map(|b| json::parse(b.as_bytes()).expect("our body is JSON"));
    let inbound = req.body.as_deref().and_then(|b| json::parse(b).ok());
    match path {
        "/api/gateway/v1/request" => {
            let sent = validate_request(body.as_ref().expect("a body"), &PROXY_CONFIG.rules)
                .expect("valid");
            assert!(
                sent.ref_id.is_some() && sent.amount.is_none_or(|a| a <= PROXY_CONFIG.max_amount)
            );
            let checked = validate_request(inbound.as_ref().expect("JSON in"), &PROXY_CONFIG.rules);
            assert!(checked.is_ok(), "forwarded a request that fails validation");
        }
        "/api/v1/private/wallet/utility-bill-pay/execute" => {
            assert!(Execute::from_json(inbound.as_ref().expect("JSON in")).is_ok());
            assert!(Execute::from_json(body.as_ref().expect("a body")).is_ok());
        }
        _ => {}
    }
}

/// A browser request in the text form of [`proxy`].
fn inbound(section: &[u8]) -> Inbound {
    let (head, body) = match split_on(section, b"\n\n").as_slice() {
        [head] => (*head, &[][..]),
        [head, ..] => (*head, &section[head.len() + 2..]),
        [] => (&[][..], &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let first = lines.next().unwrap_or("");
    let (method, target) = first.split_once(' ').unwrap_or((first, ""));
    let mut req = Inbound {
        method: method.to_owned(),
        target: target.to_owned(),
        body: Some(body.to_vec()),
        client: "203.0.113.7".to_owned(),
        ..Inbound::default()
    };
    for line in lines {
        let (k, v) = line.split_once(':').unwrap_or((line, ""));
        let v = v.strip_prefix(' ').unwrap_or(v).to_owned();
        match k.trim().to_ascii_lowercase().as_str() {
            "origin" => req.origin = Some(v),
            "content-type" => req.content_type = Some(v),
            "client" => req.client = v,
            "body" if v.trim() == "cut" => req.body = None,
            _ => {}
        }
    }
    req
}

/// `data` cut at every `sep`.
fn split_on<'a>(data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(&rest[..at]);
        rest = &rest[at + sep.len()..];
    }
    parts.push(rest);
    parts
}

// ---------------------------------------------------------------- helpers

/// One request of each type, checked against fuzzed rules.
const SAMPLE_REQUESTS: &[&str] = &[
    r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":100,"sub_type":"Postpaid","ref_id":"ORD-2026-001"}"#,
    r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":3}"#,
    r#"{"type":"drive","operator_code":"BL","phone":"01911111111","package_id":7}"#,
    r#"{"type":"mfs","operator_code":"RK","phone":"018111111119","amount":500}"#,
    r#"{"type":"mfs","operator_code":"BK","phone":"01011111111","amount":500}"#,
    r#"{"type":"bill","operator_code":"BRD","bill_number":"1234567890","month":"04","amount":850,"phone":"01811111111"}"#,
    r#"{"type":"recharge","operator_code":"XT","phone":"01011111111","amount":"20.50"}"#,
];

fn revalidates(r: &bdpay::request::ValidRequest, rules: &Rules) {
    assert_eq!(
        validate_request(&r.to_json(), rules).as_ref(),
        Ok(r),
        "{}",
        r.to_json().to_json()
    );
    let wire = r.to_wire_json();
    assert_eq!(
        validate_request(&wire, rules).as_ref(),
        Ok(r),
        "{}",
        wire.to_json()
    );
}

/// The exact value of decimal text in paisa, written apart from `money` to
/// check it: `None` when `s` is not `-? digits (. digits)? ([eE] [+-]? digits)?`
/// (ASCII or Bengali digits, spaces around); `Some(None)` when it is a number
/// but not a whole number of paisa within [`MAX_PAISA`].
fn reference_paisa(s: &str) -> Option<Option<i64>> {
    let s = s.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(at) => (&s[..at], Some(&s[at + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.chars().map(digit_value).collect::<Option<Vec<u8>>>();
    let (int, frac) = (digits(int)?, digits(frac)?);
    if (int.is_empty() && frac.is_empty()) || (mantissa.contains('.') && frac.is_empty()) {
        return None;
    }
    // Past ±10^6 the answer no longer changes for inputs of fuzz size.
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (sign, e) = match e.strip_prefix(['+', '-']) {
                Some(rest) => (if e.starts_with('-') { -1 } else { 1 }, rest),
                None => (1, e),
            };
            let e = digits(e).filter(|d| !d.is_empty())?;
            sign * e
                .iter()
                .fold(0i64, |n, &d| (n * 10 + i64::from(d)).min(1_000_000))
        }
    };
    // value = all digits × 10^(exponent − fraction length); in paisa, two more.
    let mut all: Vec<u8> = int
        .into_iter()
        .chain(frac.iter().copied())
        .skip_while(|&d| d == 0)
        .collect();
    let mut shift = exponent - frac.len() as i64 + 2;
    while shift < 0 && all.last() == Some(&0) {
        all.pop();
        shift += 1;
    }
    if all.is_empty() {
        return Some(Some(0));
    }
    if shift < 0 || all.len() as i64 + shift > 16 {
        return Some(None);
    }
    let paisa = all.iter().fold(0i64, |n, &d| n * 10 + i64::from(d)) * 10i64.pow(shift as u32);
    Some((paisa <= MAX_PAISA).then_some(if negative { -paisa } else { paisa }))
}

/// `s` is `len` ASCII digits starting `01`.
fn is_national(s: &str, len: usize) -> bool {
    s.len() == len && s.starts_with("01") && s.bytes().all(|b| b.is_ascii_digit())
}

/// A value a person might type into param `p`.
fn plausible(p: &bdpay::billers::Param) -> String {
    match &p.field_type {
        FieldType::Select => p
            .options
            .first()
            .map(|o| o.value.clone())
            .unwrap_or_default(),
        FieldType::MobileNo => "01712345678".to_owned(),
        _ if p.value.is_empty() => "ACC১২৩".to_owned(),
        _ => p.value.clone(),
    }
}

/// A parser's answer to `resp`: success only for a 2xx, an error that says
/// something and keeps the status otherwise.
fn sane<T>(answer: &Result<T, ApiError>, resp: &HttpResponse) {
    match answer {
        Ok(_) => assert!(
            (200..300).contains(&resp.status),
            "success on {}",
            resp.status
        ),
        Err(e) => sane_error(e, resp),
    }
}

fn sane_error(e: &ApiError, resp: &HttpResponse) {
    assert!(!e.message.is_empty(), "{e:?}");
    assert_eq!(e.status, resp.status, "{e:?}");
}

fn wallet_endpoint() -> Endpoint {
    Endpoint {
        base: BaseUrl::parse("https://api.example", true, false).expect("a valid base URL"),
        token: Some(Token::new("fuzz-token")),
    }
}

/// An HTTP response from fuzz bytes, in a form seeds are written in: the
/// status on the first line, `name: value` header lines, an empty line, then
/// the body (any bytes). Input with no empty line is all body, status 200.
pub fn response(data: &[u8]) -> HttpResponse {
    let Some(at) = data.windows(2).position(|w| w == b"\n\n") else {
        return HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: data.to_vec(),
        };
    };
    let (head, body) = data.split_at(at);
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let status_line = lines.next().unwrap_or("").trim();
    let digits: String = status_line
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    let status = match digits.parse::<u32>() {
        Ok(n) => n.min(u32::from(u16::MAX)) as u16,
        Err(_) => 200,
    };
    let headers = lines
        .map(|l| match l.split_once(':') {
            Some((k, v)) => (
                k.trim().to_owned(),
                v.strip_prefix(' ').unwrap_or(v).to_owned(),
            ),
            None => (l.trim().to_owned(), String::new()),
        })
        .collect();
    HttpResponse {
        status,
        headers,
        body: body[2..].to_vec(),
    }
}

/// A target's check: feeds one input, panics on a failed property.
pub type Check = fn(&[u8]);

/// Every target by name, for the replay tests (and anyone who wants to run a
/// target's check on a file without libFuzzer).
pub const TARGETS: &[(&str, Check)] = &[
    ("phone", phone),
    ("amount", amount),
    ("month_ref_id", month_ref_id),
    ("json", json),
    ("request", request),
    ("rules", rules),
    ("billers", billers),
    ("biller_form", biller_form),
    ("gateway_response", gateway_response),
    ("wallet_response", wallet_response),
    ("api_error", api_error),
    ("call_inputs", call_inputs),
    ("base_url", base_url),
    ("client_config", client_config),
    ("proxy", proxy),
    ("proxy_config", proxy_config),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Runs every file of `dir/<target>/` through its target: how many ran,
    /// and the ones that panicked.
    fn replay(dir: &str) -> (usize, Vec<String>) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let (mut count, mut failed) = (0, Vec::new());
        for (name, check) in TARGETS {
            let Ok(entries) = std::fs::read_dir(root.join(name)) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("a readable directory").path();
                let data = std::fs::read(&path).expect("a readable file");
                if std::panic::catch_unwind(|| check(&data)).is_err() {
                    failed.push(format!("{name}: {}", path.display()));
                }
                count += 1;
            }
        }
        (count, failed)
    }

    #[test]
    fn every_seed_passes_its_target() {
        let (count, failed) = replay("seeds");
        assert!(count > 0, "no seeds found");
        assert!(failed.is_empty(), "seeds that crash: {failed:#?}");
    }

    #[test]
    fn every_regression_passes_its_target() {
        let (_, failed) = replay("regressions");
        assert!(
            failed.is_empty(),
            "regressions that crash again: {failed:#?}"
        );
    }

    #[test]
    fn every_target_has_seeds_and_a_fuzz_target_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (name, _) in TARGETS {
            assert!(
                root.join("fuzz_targets")
                    .join(format!("{name}.rs"))
                    .is_file(),
                "{name}"
            );
            let seeds = std::fs::read_dir(root.join("seeds").join(name)).map(Iterator::count);
            assert!(seeds.unwrap_or(0) > 0, "no seeds for {name}");
        }
    }

    #[test]
    fn reference_reading_of_decimals() {
        let rows: &[(&str, Option<Option<i64>>)] = &[
            ("100", Some(Some(10_000))),
            (" -1.5e2 ", Some(Some(-15_000))),
            ("১২৩.৪৫", Some(Some(12_345))),
            ("1e-2", Some(Some(1))),
            (".5", Some(Some(50))),
            ("-0", Some(Some(0))),
            ("0e-400", Some(Some(0))),
            ("500.000", Some(Some(50_000))),
            ("1000000000000", Some(Some(MAX_PAISA))),
            ("1e-3", Some(None)),
            ("1e+21", Some(None)),
            ("1000000000000.01", Some(None)),
            ("5.", None),
            ("1e", None),
            ("--5", None),
            ("1,000", None),
            ("e5", None),
        ];
        for (s, want) in rows {
            assert_eq!(reference_paisa(s), *want, "{s:?}");
        }
    }

    #[test]
    fn response_framing_reads_status_headers_and_body() {
        let r = response(b"429\nRetry-After: 7\nx\n\n{\"a\":1}\n\n");
        assert_eq!(r.status, 429);
        assert_eq!(
            r.headers,
            [
                ("Retry-After".into(), "7".into()),
                ("x".into(), String::new())
            ]
        );
        assert_eq!(r.body, b"{\"a\":1}\n\n");
        assert_eq!(response(b"{}").status, 200);
        assert_eq!(response(b"99999999\n\n").status, u16::MAX);
        assert_eq!(BAKHRABAD.params.len(), 3);
    }
}
