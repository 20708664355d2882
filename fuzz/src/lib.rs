//! The checks behind the fuzz targets, one function per target: each feeds
//! fuzz bytes to a parser of untrusted text in `bdpay` and asserts what must
//! hold of its answer. A panic, an overflow (the targets are built with
//! overflow checks) or a failed assertion is a crash for libFuzzer.
//!
//! They live here rather than in `fuzz_targets/` so that `cargo test` replays
//! every seed and every regression through them on stable Rust, without
//! libFuzzer (see the tests at the end).

use std::sync::LazyLock;

use base64ct::{Base64UrlUnpadded, Encoding};

use bdpay::billers::{parse_biller, parse_billers, validate_biller_form, Biller, FieldType};
use bdpay::billpay::{self, Execute};
use bdpay::client::Config;
use bdpay::error::{ApiError, ErrorKind};
use bdpay::gateway::{self, PackagesQuery, StatusQuery, PACKAGE_TYPES};
use bdpay::http::{is_loopback, BaseUrl, Endpoint, HttpResponse, Token};
use bdpay::intent::{self, IntentKey, Payment};
use bdpay::json::{self, object, Value};
use bdpay::money::{Amount, MAX_PAISA};
use bdpay::operators::{Registry, Service};
use bdpay::phone::{normalize_phone, normalize_wallet};
use bdpay::proxy::{
    Context, Decision, Forward, Inbound, Operation, Proxy, ProxyConfig, Refusal, ROUTES,
};
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
        [Some(&h.amount), h.details.payment_received.as_ref()]
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

// ----------------------------------------------------------------- intents

/// The time the `intent` target verifies at; its seeds were signed then.
pub const INTENT_NOW: u64 = 1_790_000_000;

/// Payments the `intent` target signs when its input is no claims of its
/// own, as `create_request` / `create_execute` inputs.
const SAMPLE_INTENTS: &[&str] = &[
    r#"{"type":"recharge","operator_code":"gp","phone":"+880 1712-345678","amount":100.5,"ref_id":"order-7"}"#,
    r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":3,"price":"49"}"#,
    r#"{"type":"bill","operator_code":"BRD","bill_number":"1234567890","month":"04","amount":850,"phone":"01811111111","expiresIn":86400}"#,
    r#"{"type":"mfs","operator_code":"RK","phone":"018111111119","amount":500,"expiresIn":10}"#,
    r#"{"request_id":"2bf1c1ae-db3e-4e8b-8945-2754f48bad0d","total":"৳105.00"}"#,
];

/// Reading and checking intents. The input, as text, goes through `verify`,
/// `verify_for_status` and `peek` (none panics), and what verifies is the
/// signing of its own decoded claims, byte for byte (after trimming): two
/// different texts never verify as the same claims. The input, as the claims
/// of an intent, goes through `peek`; claims it reads are signed, verify to
/// themselves, and re-sign to the same text. Then that intent (or, when the
/// input is no claims, a sample payment signed with a lifetime from it) with
/// one byte changed, where and how the input says, does not verify.
pub fn intent(data: &[u8]) {
    let keys = &FUZZ_KEYS[..2];
    let text = String::from_utf8_lossy(data);
    let read = |text: &str, now: u64| {
        let verified = intent::verify(text, keys, now, &RULES);
        let for_status = intent::verify_for_status(text, keys, now, &RULES);
        let peeked = intent::peek(text, &RULES);
        for i in verified.iter().chain(for_status.iter()) {
            assert_eq!(
                peeked.as_ref(),
                Some(i),
                "verified other claims than it shows"
            );
            assert!(
                keys.iter()
                    .any(|k| i.sign(k).is_ok_and(|s| s == text.trim())),
                "{text:?} verifies, but is not the signing of its own claims"
            );
        }
        if let Ok(i) = &verified {
            assert_eq!(for_status.as_ref(), Ok(i), "good to pay but not for status");
        }
        verified
    };
    let _ = read(&text, INTENT_NOW);

    let (choice, rest) = data.split_first().unwrap_or((&0, &[]));
    let as_claims = [
        "bdpi1.",
        keys[0].id(),
        ".",
        &Base64UrlUnpadded::encode_string(data),
        ".sig",
    ]
    .concat();
    let (signed, exp) = match intent::peek(&as_claims, &RULES) {
        Some(i) => {
            let s = i.sign(&keys[0]).expect("signed");
            assert_eq!(
                read(&s, i.expires_s),
                Ok(i.clone()),
                "claims that do not read back"
            );
            (s, i.expires_s)
        }
        None => {
            let sample = SAMPLE_INTENTS[usize::from(*choice) % SAMPLE_INTENTS.len()];
            let input = json::parse(sample.as_bytes()).expect("a sample is JSON");
            let now = INTENT_NOW + u64::from(rest.first().copied().unwrap_or(0));
            let key = &keys[usize::from(*choice / 128)];
            let s = match input.get("total") {
                Some(_) => intent::create_execute(&input, key, now),
                None => intent::create_request(&input, key, now, "fresh-ref", &RULES),
            }
            .expect("a sample signs");
            let i = read(&s, now).unwrap_or_else(|e| panic!("a fresh intent refused: {e:?}"));
            (s, i.expires_s)
        }
    };
    // Checked before its expiry, the signature is all that can refuse it.
    let n = rest
        .iter()
        .rev()
        .take(8)
        .fold(0u64, |n, &b| n << 8 | u64::from(b));
    let changed = mutated(&signed, n);
    assert_ne!(changed, signed);
    assert!(
        intent::verify(&changed, keys, exp, &RULES).is_err()
            && intent::verify_for_status(&changed, keys, exp, &RULES).is_err(),
        "{signed} with one byte changed verifies: {changed:?}"
    );
}

// ------------------------------------------------------------------ proxy

/// The secrets the fuzzed proxy holds: none may show in an answer unless the
/// input itself carried it (a refusal may quote the request, `finish` passes
/// the upstream's body), and the two tokens not even then from `finish`.
pub const PROXY_TOKEN: &str = "proxy-secret-token";
pub const WALLET_TOKEN: &str = "wallet-secret-token";
pub const WALLET_PIN: &str = "739146";
/// The merchant's current intent key; the `intent` target's key too.
pub const INTENT_KEY: &str = "fuzz-intent-key-0123456789abcdefghij";
pub const INTENT_KEY_PREVIOUS: &str = "fuzz-intent-key-previous-0123456789ab";
/// A well-formed key the proxy does not hold.
const FOREIGN_KEY: &str = "fuzz-intent-key-of-another-shop-012345";
const SECRETS: [&str; 5] = [
    PROXY_TOKEN,
    WALLET_TOKEN,
    WALLET_PIN,
    INTENT_KEY,
    INTENT_KEY_PREVIOUS,
];
const PROXY_BASE: &str = "https://gw.example";
const WALLET_BASE: &str = "https://wallet.example";
const PROXY_ORIGINS: [&str; 2] = ["https://shop.example", "http://localhost:8080"];

/// The proxy's four ways to authorize payments, picked by a first section
/// `config: <name>`: intents only (the default), intents and the Worker's
/// `authorize` hook, the hook only, and nothing (every payment refused).
const PROXY_MODES: [(&str, &str); 4] = [
    (
        "intents",
        r#""intentKey":"fuzz-intent-key-0123456789abcdefghij","intentKeyPrevious":"fuzz-intent-key-previous-0123456789ab""#,
    ),
    (
        "hook",
        r#""intentKey":"fuzz-intent-key-0123456789abcdefghij","authorizeHook":true"#,
    ),
    ("hook-only", r#""authorizeHook":true"#),
    ("none", r#""authorizeHook":false"#),
];

static PROXY_CONFIGS: LazyLock<Vec<ProxyConfig>> = LazyLock::new(|| {
    PROXY_MODES
        .iter()
        .map(|(_, keys)| {
            let config = [
                r#"{"upstreamUrl":""#,
                PROXY_BASE,
                r#"","walletUrl":""#,
                WALLET_BASE,
                r#"","token":""#,
                PROXY_TOKEN,
                r#"","walletToken":""#,
                WALLET_TOKEN,
                r#"","walletPin":""#,
                WALLET_PIN,
                r#"","allowedOrigins":""#,
                &PROXY_ORIGINS.join(", "),
                r#"","operations":"packages, request, status, billers, summary, execute, histories","#,
                r#""maxAmount":1000,"clientPaymentsPerMinute":3,"#,
                r#""budgetPerHour":1500,"budgetPerDay":"2500.50","#,
                keys,
                "}",
            ]
            .concat();
            ProxyConfig::from_json(&json::parse(config.as_bytes()).expect("JSON"))
                .expect("a config")
        })
        .collect()
});

/// The intent keys by name, as an `intent:` line picks them.
static FUZZ_KEYS: LazyLock<[IntentKey; 3]> = LazyLock::new(|| {
    [INTENT_KEY, INTENT_KEY_PREVIOUS, FOREIGN_KEY].map(|s| IntentKey::new(s).expect("a key"))
});

/// The proxy's request handling: a conversation of browser requests and
/// upstream answers (sections split by a `~~~` line; one starting with a
/// digit is an upstream answer, in [`response`]'s form, any other a request:
/// `METHOD /target`, then `origin:`, `content-type:`, `client:`, `intent:`,
/// `now:` (seconds) and `hook: deny` lines, an empty line and the body;
/// `body: cut` for a body the Worker stopped reading). A first section
/// `config: <mode>` picks the proxy (see [`PROXY_MODES`]).
///
/// `intent:` is either the header's text as is, or `<how>[@<secs>] [JSON]`:
/// an intent the harness signs (with `create_request`, or `create_execute`
/// when the JSON has a `total`) for the JSON, by default the request's own
/// body, at `secs` (by default the request's time). `how` is `sign` (the
/// current key), `old` (the previous key), `foreign` (a key the proxy does
/// not hold) or `mutate<N>` (signed, then byte `N % len` changed).
///
/// A secret never shows in an answer (see [`SECRETS`]), a header never
/// carries a line break, CORS answers only allowed origins, and what goes
/// upstream passed every check: allowed origin, exposed operation, the
/// route's method, the validators, the proxy's own amount cap, each
/// provider's own token, and above all the merchant's authorization: a
/// payment (and `status`) goes only with a valid intent for exactly that
/// normalised payment, or through the `authorize` hook when one is configured.
pub fn proxy(data: &[u8]) {
    let mut sections = split_on(data, b"\n~~~\n");
    let mut mode = 0;
    if let Some(name) = sections.first().and_then(|s| s.strip_prefix(b"config:")) {
        let name = String::from_utf8_lossy(name);
        mode = (PROXY_MODES.iter())
            .position(|(m, _)| *m == name.trim())
            .unwrap_or(0);
        sections.remove(0);
    }
    let config = &PROXY_CONFIGS[mode];
    let mut proxy = Proxy::new(config.clone());
    let mut context = Context::default();
    for (i, section) in sections.into_iter().enumerate().take(16) {
        let carried = carried(section);
        let quoted = |s: &&str| carried.contains(s);
        if section.first().is_some_and(u8::is_ascii_digit) {
            let mut upstream = response(section);
            // What fetch's Headers can hold: no CR, LF or NUL in a value.
            upstream
                .headers
                .retain(|(_, v)| !v.contains(['\r', '\n', '\0']));
            let answer = proxy.finish(&upstream, &context);
            // Only the PIN and the intent keys may pass back, and only
            // when the upstream itself sent them: `finish` withholds tokens.
            let may_show: Vec<&str> = [WALLET_PIN, INTENT_KEY, INTENT_KEY_PREVIOUS]
                .into_iter()
                .filter(quoted)
                .collect();
            safe_answer(&answer, context.origin.as_deref(), &may_show);
            finished(&answer, &upstream, &context);
            continue;
        }
        let now_default = i as u64 * 1000;
        let (req, head) = inbound(section, now_default);
        let may_show: Vec<&str> = SECRETS.into_iter().filter(quoted).collect();
        let refused = |answer: &HttpResponse| {
            safe_answer(answer, req.origin.as_deref(), &may_show);
            let preflight = req.method.eq_ignore_ascii_case("OPTIONS");
            assert!(
                answer.status >= 400 || (preflight && answer.status == 204),
                "{answer:?}"
            );
            // The proxy's own waits: whole seconds, at most its longest
            // window (a day), whatever the clock did.
            if let Some(wait) = answer.header("retry-after") {
                assert!(
                    wait.parse::<u64>().is_ok_and(|s| (1..=86_400).contains(&s)),
                    "retry-after {wait:?}"
                );
            }
        };
        let fwd = match proxy.decide(&req, head.now_ms, "bdp-fuzz-1") {
            Decision::Respond(answer) => {
                refused(&answer);
                continue;
            }
            Decision::Forward(fwd) => fwd,
        };
        forwarded(&req, &fwd, config, head.now_ms, &may_show);
        // What the Worker does next: ask the hook, reserve the spend.
        let origin = fwd.context.origin.as_deref();
        if fwd.ask_hook.is_some() && head.deny {
            refused(&Proxy::refuse(Refusal::Denied, origin));
            continue;
        }
        if let Some(spend) = fwd.spend {
            if let Err(c) = proxy.reserve(spend, head.now_ms) {
                let answer = Proxy::ceiling_reached(c, origin);
                assert_eq!(answer.status, 429);
                refused(&answer);
                continue;
            }
        }
        // The Worker passes the upstream's answer back in this context.
        context = fwd.context;
    }
}

/// `ProxyConfig::from_json` on any JSON: accepted settings are within their
/// bounds, origins are plain URLs, the wallet gets a token only when given
/// its own, and no secret (`token`, `walletToken`, `walletPin`, `intentKey`,
/// `intentKeyPrevious`) shows by value: the config's `Debug`, or the error,
/// is the same with every secret swapped for another of the same shape.
pub fn proxy_config(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    let swapped = swap_secrets(&v);
    let c = match ProxyConfig::from_json(&v) {
        Ok(c) => c,
        Err(e) => {
            let other = ProxyConfig::from_json(&swapped).err();
            assert_eq!(
                Some(e.to_json().to_json()),
                other.map(|o| o.to_json().to_json()),
                "an error that depends on a secret's value"
            );
            return;
        }
    };
    assert!((256..=1 << 20).contains(&c.max_body_bytes) && c.max_amount.is_positive());
    assert!(c.client_limit.0 >= 1 && c.client_limit.1 >= 1 && c.upstream_timeout_ms >= 1);
    for o in &c.allowed_origins {
        assert!(
            o != "*" && !o.chars().any(|c| c.is_whitespace() || c.is_control()),
            "{o:?}"
        );
    }
    assert!(c.intent_keys.len() <= 2);
    assert!([c.budget.0, c.budget.1]
        .iter()
        .flatten()
        .all(|a| a.is_positive()));
    if let Some(pin) = &c.wallet_pin {
        let pin = pin.as_str();
        assert!((4..=6).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()));
    }
    let own_wallet_token = matches!(v.get("walletToken"), Some(Value::String(s)) if !s.is_empty());
    assert_eq!(
        c.wallet.token.is_some(),
        own_wallet_token,
        "a token for the wallet"
    );
    assert_eq!(
        c.authorizes_payments(),
        !c.intent_keys.is_empty() || c.authorize_hook
    );
    let other = ProxyConfig::from_json(&swapped).expect("the same config, other secrets");
    // A key's id is derived from its secret: it may show, and differs. Only
    // where a key shows it: the same text elsewhere (a URL the fuzzer built
    // from the id it saw compared) is not a key's.
    let debug = |c: &ProxyConfig| {
        (c.intent_keys.iter()).fold(format!("{c:?}"), |d, k| {
            d.replace(&format!("IntentKey({:?}", k.id()), "IntentKey(\"<key id>\"")
        })
    };
    assert_eq!(debug(&c), debug(&other), "a secret shows in Debug");
}

/// `v` with every secret setting swapped for another value of the same
/// shape: each character for a different one of the same UTF-8 length
/// (digits for digits, control characters kept), so that validity stays.
fn swap_secrets(v: &Value) -> Value {
    let Value::Object(fields) = v else {
        return v.clone();
    };
    let swap = |s: &str| -> String {
        s.chars()
            .map(|c| match c.len_utf8() {
                _ if c.is_control() || c.is_whitespace() => c,
                _ if c.is_ascii_digit() => char::from(b'0' + (c as u8 - b'0' + 1) % 10),
                1 if c == 'x' => 'y',
                1 => 'x',
                2 if c == 'é' => 'è',
                2 => 'é',
                3 if c == '৳' => '৫',
                3 => '৳',
                _ if c == '😀' => '😁',
                _ => '😀',
            })
            .collect()
    };
    Value::Object(
        fields
            .iter()
            .map(|(k, val)| match (k.as_str(), val) {
                (
                    "token" | "walletToken" | "walletPin" | "intentKey" | "intentKeyPrevious",
                    Value::String(s),
                ) => (k.clone(), Value::String(swap(s))),
                _ => (k.clone(), val.clone()),
            })
            .collect(),
    )
}

/// An answer the proxy gives a browser: no secret but those in `may_show`
/// (what the input itself carried), no line break in a header, CORS only
/// for an allowed origin.
fn safe_answer(answer: &HttpResponse, origin: Option<&str>, may_show: &[&str]) {
    // The body as sent, and as a page's JSON.parse reads it: escapes such
    // as `\/` or `\u0061` hide nothing.
    let body = String::from_utf8_lossy(&answer.body);
    let read = json::parse(&answer.body)
        .map(|v| v.to_json())
        .unwrap_or_default();
    for secret in SECRETS.iter().filter(|s| !may_show.contains(s)) {
        assert!(
            !body.contains(secret) && !read.contains(secret),
            "{secret:?} in {answer:?}"
        );
    }
    for (name, value) in &answer.headers {
        for secret in SECRETS.iter().filter(|s| !may_show.contains(s)) {
            assert!(!value.contains(secret), "{secret:?} in header {name}");
        }
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

/// An upstream answer passed back: never the merchant's balance with a
/// payment's answer, and under a `status` intent asked by `trx_id`, a
/// success only for that transaction.
fn finished(answer: &HttpResponse, upstream: &HttpResponse, context: &Context) {
    let body = json::parse(&answer.body).ok();
    let ok = (200..300).contains(&answer.status);
    if context.op == Some(Operation::Request) && answer.status == upstream.status {
        assert!(
            body.as_ref().is_none_or(|b| b.get("balance").is_none()),
            "the balance passed back"
        );
    }
    if let (Some(expected), true) = (&context.expect_trx_id, ok) {
        let trx = body.as_ref().and_then(|b| b.get("trx_id")?.as_str());
        assert_eq!(trx, Some(expected.as_str()), "another transaction's status");
    }
}

/// A request the proxy sent upstream: everything it must have checked first.
/// `may_show`: the secrets the browser's request itself carried, which the
/// proxy may pass on as it got them (a `ref_id` is the browser's text).
fn forwarded(req: &Inbound, fwd: &Forward, config: &ProxyConfig, now_ms: u64, may_show: &[&str]) {
    let up = &fwd.upstream;
    let origin_ok = req
        .origin
        .as_deref()
        .is_none_or(|o| PROXY_ORIGINS.iter().any(|a| a.eq_ignore_ascii_case(o)));
    assert!(origin_ok, "forwarded for origin {:?}", req.origin);
    assert_eq!(fwd.context.origin, req.origin);
    assert!(
        req.method.eq_ignore_ascii_case(up.method.as_str()),
        "{} became {:?}",
        req.method,
        up.method
    );
    let (path, token) = match (
        up.url.strip_prefix(PROXY_BASE),
        up.url.strip_prefix(WALLET_BASE),
    ) {
        (Some(path), _) => (path, PROXY_TOKEN),
        (_, Some(path)) => (path, WALLET_TOKEN),
        _ => panic!("upstream {}", up.url),
    };
    let path = path.split('?').next().unwrap_or("");
    let (op, _) = ROUTES
        .iter()
        .map(|r| (r.0, r.2))
        .find(|r| r.1 == path)
        .unwrap_or_else(|| panic!("no route {path}"));
    assert_eq!(fwd.context.op, Some(op));
    assert_eq!(
        op.is_wallet(),
        token == WALLET_TOKEN,
        "{path} on {}",
        up.url
    );
    assert!(
        !matches!(op, Operation::Balance | Operation::Beneficiaries),
        "not exposed: {path}"
    );
    assert!(
        !up.url.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{:?}",
        up.url
    );
    assert_eq!(
        up.token.as_ref(),
        Some(&Token::new(token)),
        "the other's token"
    );
    let body_text = up.body.as_deref().unwrap_or("");
    for secret in [PROXY_TOKEN, WALLET_TOKEN, INTENT_KEY, INTENT_KEY_PREVIOUS] {
        let added = !may_show.contains(&secret);
        assert!(
            !added || (!up.url.contains(secret) && !body_text.contains(secret)),
            "{secret:?} sent upstream"
        );
    }
    assert!(up
        .headers
        .iter()
        .all(|(k, v)| !k.eq_ignore_ascii_case("authorization")
            && SECRETS.iter().all(|s| !v.contains(s))));
    let body = up
        .body
        .as_deref()
        .map(|b| json::parse(b.as_bytes()).expect("our body is JSON"));
    // The PIN goes in an `execute` only.
    if op != Operation::Execute {
        assert!(body.as_ref().is_none_or(|b| b.get("pin").is_none()));
    }
    let inbound = req.body.as_deref().and_then(|b| json::parse(b).ok());
    authorized(
        req,
        fwd,
        op,
        body.as_ref(),
        inbound.as_ref(),
        config,
        now_ms,
    );
}

/// The key property: a payment (or `status`) forwarded only with a valid
/// intent for exactly that normalised payment, or through the hook.
fn authorized(
    req: &Inbound,
    fwd: &Forward,
    op: Operation,
    body: Option<&Value>,
    inbound: Option<&Value>,
    config: &ProxyConfig,
    now_ms: u64,
) {
    if !matches!(
        op,
        Operation::Request | Operation::Execute | Operation::Status
    ) {
        assert!(fwd.ask_hook.is_none() && fwd.spend.is_none(), "{op:?}");
        return;
    }
    let (rules, keys) = (&config.rules, &config.intent_keys);
    let Some(text) = req.intent.as_deref() else {
        assert!(
            config.authorize_hook,
            "{op:?} forwarded with no intent and no hook"
        );
        let asked = fwd.ask_hook.as_ref().expect("the hook is asked");
        assert_eq!(
            asked.get("operation").and_then(Value::as_str),
            Some(op.as_str())
        );
        if op == Operation::Request {
            let sent = validate_request(body.expect("a body"), rules).expect("valid");
            assert_eq!(asked.get("payment"), Some(&sent.to_json()));
            assert!(sent.amount.is_none_or(|a| a <= config.max_amount));
            assert_eq!(fwd.spend, sent.amount);
        }
        return;
    };
    let now_s = now_ms / 1000;
    let intent = if op == Operation::Status {
        intent::verify_for_status(text, keys, now_s, rules)
    } else {
        intent::verify(text, keys, now_s, rules)
    }
    .unwrap_or_else(|e| panic!("{op:?} forwarded under an intent refused: {e:?}"));
    // Only the merchant's own signature over these very claims verifies.
    assert!(
        keys.iter()
            .any(|k| intent.sign(k).is_ok_and(|s| s == text.trim())),
        "verified, but not the signing of its own claims: {text:?}"
    );
    assert!(
        fwd.ask_hook.is_none(),
        "the hook asked for an intent's payment"
    );
    let body = body.expect("a body");
    let inbound = inbound.expect("JSON in");
    match (op, &intent.payment) {
        (Operation::Request, Payment::Request(signed)) => {
            let sent = validate_request(body, rules).expect("valid");
            assert_eq!(&sent, signed, "sent other than the signed payment");
            let mut asked = validate_request(inbound, rules).expect("the page's is valid");
            if asked.ref_id.is_none() {
                asked.ref_id.clone_from(&signed.ref_id);
            }
            assert_eq!(&asked, signed, "the page asked another payment");
            assert_eq!(fwd.spend, Some(intent.spend));
            assert!(intent.spend <= config.max_amount);
        }
        (Operation::Execute, Payment::Execute { request_id, .. }) => {
            let sent = Execute::from_json(body).expect("a valid execute");
            assert_eq!(&sent.request_id, request_id);
            assert_eq!(sent.pin, WALLET_PIN);
            let fields = inbound.as_object().expect("an object");
            assert!(fields.iter().all(|(k, _)| k == "request_id"), "{fields:?}");
            assert!(inbound
                .get("request_id")
                .is_none_or(|id| id.as_str().map(str::trim) == Some(request_id)));
            assert_eq!(fwd.spend, Some(intent.spend));
        }
        (Operation::Status, Payment::Request(_)) => {
            let asked = body.get("ref_id").and_then(Value::as_str);
            assert_eq!(asked, Some(intent.ref_id()), "another payment's status");
            assert!(fwd.spend.is_none());
        }
        (op, p) => panic!("{op:?} forwarded under an intent for {p:?}"),
    }
}

/// What a section carries, in every encoding the proxy decodes: as is, its
/// body's JSON strings unescaped, its target percent-decoded. A secret the
/// input carried may come back quoted (a field name in a refusal, the
/// upstream's own body): that is no leak.
fn carried(section: &[u8]) -> String {
    let (head, body) = match split_on(section, b"\n\n").as_slice() {
        [head, ..] if head.len() < section.len() => (*head, &section[head.len() + 2..]),
        _ => (section, &[][..]),
    };
    let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
    [
        String::from_utf8_lossy(section).into_owned(),
        json::parse(body).map(|v| v.to_json()).unwrap_or_default(),
        String::from_utf8_lossy(&percent_decoded(first)).into_owned(),
    ]
    .join("\n")
}

fn percent_decoded(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (b, hex) {
            (b'%', Some(h)) => {
                out.push(h);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The harness's part of a request section: its time, the hook's answer.
struct Head {
    now_ms: u64,
    deny: bool,
}

/// A browser request in the text form of [`proxy`], at `now_ms` unless a
/// `now:` line says otherwise.
fn inbound(section: &[u8], now_ms: u64) -> (Inbound, Head) {
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
    let mut extra = Head {
        now_ms,
        deny: false,
    };
    let mut intent = None;
    for line in lines {
        let (k, v) = line.split_once(':').unwrap_or((line, ""));
        let v = v.strip_prefix(' ').unwrap_or(v).to_owned();
        match k.trim().to_ascii_lowercase().as_str() {
            "origin" => req.origin = Some(v),
            "content-type" => req.content_type = Some(v),
            "client" => req.client = v,
            "intent" => intent = Some(v),
            "now" => {
                if let Ok(s) = v.trim().parse::<u64>() {
                    extra.now_ms = s.saturating_mul(1000);
                }
            }
            "hook" => extra.deny = v.trim() == "deny",
            "body" if v.trim() == "cut" => req.body = None,
            _ => {}
        }
    }
    req.intent = intent.map(|spec| intent_header(&spec, &req, extra.now_ms / 1000));
    (req, extra)
}

/// The `Bdpay-Intent` header an `intent:` line asks for (see [`proxy`]).
fn intent_header(spec: &str, req: &Inbound, now_s: u64) -> String {
    let (how, json_text) = spec.split_once(' ').unwrap_or((spec, ""));
    let (how, at) = match how.split_once('@') {
        Some((how, at)) => (how, at.parse().ok()),
        None => (how, Some(now_s)),
    };
    let (key, mutate) = match how {
        "sign" => (0, None),
        "old" => (1, None),
        "foreign" => (2, None),
        _ => match how.strip_prefix("mutate").map(str::parse::<u64>) {
            Some(Ok(n)) => (0, Some(n)),
            _ => return spec.to_owned(),
        },
    };
    let Some(at) = at else {
        return spec.to_owned();
    };
    let json_text = match json_text.trim() {
        "" => req.body.as_deref().unwrap_or_default(),
        t => t.as_bytes(),
    };
    let Ok(Value::Object(mut fields)) = json::parse(json_text) else {
        return String::new();
    };
    let execute = req.target.contains("/execute");
    if execute && !fields.iter().any(|(k, _)| k == "total") {
        fields.push(("total".to_owned(), Value::from("100")));
    }
    let input = Value::Object(fields);
    let key = &FUZZ_KEYS[key];
    let signed = if input.get("total").is_some() {
        intent::create_execute(&input, key, at)
    } else {
        intent::create_request(&input, key, at, "bdp-fuzz-intent", &RULES)
    };
    let Ok(text) = signed else {
        return String::new();
    };
    match mutate {
        None => text,
        Some(n) => mutated(&text, n),
    }
}

/// `text` with one byte changed: byte `n % len`, by a nonzero XOR from `n`.
fn mutated(text: &str, n: u64) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let len = bytes.len().max(1) as u64;
    let delta = ((n / len) % 255 + 1) as u8;
    if let Some(b) = bytes.get_mut((n % len) as usize) {
        *b ^= delta;
    }
    String::from_utf8_lossy(&bytes).into_owned()
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
    ("intent", intent),
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
    fn intent_seeds_named_valid_verify_and_no_other_does() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/intent");
        let mut valid = 0;
        for entry in std::fs::read_dir(dir).expect("seeds/intent") {
            let path = entry.expect("a readable directory").path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            let text = std::fs::read_to_string(&path).expect("a text seed");
            let verified = intent::verify(&text, &FUZZ_KEYS[..2], INTENT_NOW, &RULES);
            assert_eq!(verified.is_ok(), name.starts_with("valid-"), "{name}");
            valid += usize::from(verified.is_ok());
        }
        assert!(valid >= 5);
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

/// A bulk file: its bytes decoded and read as CSV, every row checked, the
/// results written, the job stored as text and restored to the same rows,
/// also from that text cut short anywhere after its plan (a kill in the
/// middle of an append); the same bytes as a stored job's text.
pub fn bulk_file(data: &[u8]) {
    use bdpay::bulk::file::read_bytes;
    use bdpay::bulk::job::Job;
    if let Ok((sheet, _)) = read_bytes(data) {
        let rows = sheet.rows.len();
        let job = Job::new("bk-fuzz", sheet, &RULES, false);
        let results = job.results_csv();
        assert!(results.lines().count() > rows, "a results line per row");
        let saved = job.state_text();
        let back = Job::restore(&saved, &RULES).expect("a stored job restores");
        let states = |j: &Job| j.rows().iter().map(|r| (r.line, r.state)).collect::<Vec<_>>();
        assert_eq!(states(&back), states(&job));
        let text = [saved.as_str(), r#"{"line":"#, &rows.to_string()].concat();
        let cut = Job::restore(&text, &RULES).expect("a last line cut short is left out");
        assert!(cut.rewrite_needed());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Job::restore(text, &RULES);
    }
}
