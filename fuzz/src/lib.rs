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
use bdpay::error::ApiError;
use bdpay::gateway::{self, PackagesQuery, StatusQuery, PACKAGE_TYPES};
use bdpay::http::{is_loopback, BaseUrl, Endpoint, HttpResponse, Token};
use bdpay::json::{self, object, Value};
use bdpay::money::{Amount, MAX_PAISA};
use bdpay::operators::{Registry, Service};
use bdpay::phone::{normalize_phone, normalize_wallet};
use bdpay::request::{month, ref_id, validate_request};
use bdpay::rules::Rules;
use bdpay::text::bengali_digits;

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

/// `Amount::parse` and `Amount::parse_display` on any UTF-8: an accepted
/// amount is within the bounds and its two-decimal text (and its JSON number)
/// parses back to the same amount.
pub fn amount(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Amount::parse(s).ok();
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

/// The gateway's response parsers on any response: no panic, an error always
/// says something and keeps the HTTP status, and amounts are within bounds.
pub fn gateway_response(data: &[u8]) {
    let resp = response(data);
    match gateway::parse_balance(&resp) {
        Ok(b) => {
            for a in [b.flexiload_balance, b.drive_balance, b.bank_balance] {
                assert!(a.paisa().abs() <= MAX_PAISA);
            }
            let _ = b.to_json();
        }
        Err(e) => sane_error(&e, &resp),
    }
    match gateway::parse_packages(&resp) {
        Ok(list) => list
            .iter()
            .for_each(|p| assert!(p.price.paisa().abs() <= MAX_PAISA)),
        Err(e) => sane_error(&e, &resp),
    }
    match gateway::parse_transaction(&resp) {
        Ok(t) => {
            assert!(!t.trx_id.is_empty() && !t.trx_status.is_empty());
            let _ = t.to_json();
        }
        Err(e) => sane_error(&e, &resp),
    }
}

/// The wallet's response parsers on any response, as for the gateway.
pub fn wallet_response(data: &[u8]) {
    let resp = response(data);
    let bounded = |m: &billpay::Money| assert!(m.amount.paisa().abs() <= MAX_PAISA, "{m:?}");
    match billpay::parse_billers_response(&resp) {
        Ok(types) => types.iter().for_each(|t| drop(t.to_json())),
        Err(e) => sane_error(&e, &resp),
    }
    match billpay::parse_summary(&resp) {
        Ok(s) => [&s.amount, &s.charge, &s.total_payable]
            .into_iter()
            .for_each(bounded),
        Err(e) => sane_error(&e, &resp),
    }
    match billpay::parse_execute(&resp) {
        Ok(r) => r.total_payable.iter().for_each(bounded),
        Err(e) => sane_error(&e, &resp),
    }
    match billpay::parse_history(&resp) {
        Ok(h) => [Some(&h.amount), h.payment_received.as_ref()]
            .into_iter()
            .flatten()
            .for_each(bounded),
        Err(e) => sane_error(&e, &resp),
    }
    match billpay::parse_beneficiaries(&resp) {
        Ok(list) => list.iter().for_each(|b| drop(b.to_json())),
        Err(e) => sane_error(&e, &resp),
    }
}

/// `ApiError::from_response` on any response: an error that says something,
/// keeps the status, and whose JSON form is valid JSON.
pub fn api_error(data: &[u8]) {
    let resp = response(data);
    let e = ApiError::from_response(&resp);
    sane_error(&e, &resp);
    let text = e.to_json().to_json();
    assert!(json::parse(text.as_bytes()).is_ok(), "{text}");
    assert_eq!(e.retry_after_ms, resp.retry_after_ms());
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
/// bounds, and the token adds nothing to the config's `Debug` text.
pub fn client_config(data: &[u8]) {
    let Ok(v) = json::parse(data) else {
        return;
    };
    let Ok(c) = Config::from_json(&v) else {
        return;
    };
    assert!(c.timeout_ms >= 1 && c.retry.max_retries <= 10 && c.poll_interval_ms >= 10);
    assert!((1..=20).contains(&c.reconcile_checks));
    if let Some(Value::String(token)) = v.get("token") {
        let shown = format!("{c:?}");
        let mut without = c.clone();
        without.endpoint.token = None;
        let base = format!("{without:?}");
        assert!(
            shown.matches(token.as_str()).count() <= base.matches(token.as_str()).count(),
            "token shown"
        );
    }
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
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Runs every file of `dir/<target>/` through its target; returns how many.
    fn replay(dir: &str) -> usize {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut count = 0;
        for (name, check) in TARGETS {
            let Ok(entries) = std::fs::read_dir(root.join(name)) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("a readable directory").path();
                let data = std::fs::read(&path).expect("a readable file");
                let ok = std::panic::catch_unwind(|| check(&data));
                assert!(ok.is_ok(), "{name} panicked on {}", path.display());
                count += 1;
            }
        }
        count
    }

    #[test]
    fn every_seed_passes_its_target() {
        assert!(replay("seeds") > 0, "no seeds found");
    }

    #[test]
    fn every_regression_passes_its_target() {
        replay("regressions");
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
