//! Tests of the JavaScript face (`bdpay::js`) compiled to wasm: one body, run
//! by `wasm_node.rs` in Node and by `wasm_browser.rs` in headless Chromium.
//! They call the exported functions the package's JS calls, with their
//! input written into the wasm's memory as api.js writes it; results are
//! read back with the crate's own JSON parser, so these tests see exactly
//! the text the npm package's wrapper will `JSON.parse`.

use bdpay::js::{parse_billers_text, Validator};
use bdpay::json::units::{units_of, NULL};
use bdpay::json::{object, parse, Value};
use wasm_bindgen_test::wasm_bindgen_test;

// The functions below call what the package's JS calls (pkg-template/api.js),
// as it calls them: units written at `unitsAt`, then `configure`,
// `validateRequestUnits`, `checkPhoneUnits`, `normalizeWalletUnits` or
// `prefixHints` over them.

/// `units` written where `unitsAt` says, as api.js writes into the wasm's
/// memory: their count.
fn write(v: &mut Validator, units: &[u16]) -> usize {
    let at = v.units_at(units.len()) as *mut u16;
    assert!(!at.is_null(), "no room for {} units", units.len());
    // SAFETY: `unitsAt` gives the address of a buffer of at least
    // `units.len()` code units, in this wasm's own memory, which nothing
    // else touches before the next call reads it.
    unsafe { core::ptr::copy_nonoverlapping(units.as_ptr(), at, units.len()) };
    units.len()
}

/// The units api.js writes for a value given as JSON text (`""`: `null`;
/// text that is no JSON: the one unit it writes for what JSON cannot carry).
fn units_of_json(text: &str) -> Vec<u16> {
    match (text, parse(text.as_bytes())) {
        ("", _) => vec![NULL],
        (_, Ok(v)) => units_of(&v),
        (_, Err(_)) => vec![0xffff],
    }
}

/// `createValidator(config)`: the defaults, then `configure`; a refused
/// config's ApiError, as JSON text.
fn configured(config_json: &str) -> Result<Validator, String> {
    let mut v = Validator::defaults();
    let len = write(&mut v, &units_of_json(config_json));
    match v.configure(len) {
        None => Ok(v),
        Some(error) => Err(error),
    }
}

fn defaults() -> Validator {
    Validator::defaults()
}

/// `validateRequest` of a request given as JSON text: the answer's JSON text.
fn validate(v: &mut Validator, request_json: &str) -> String {
    let len = write(v, &units_of_json(request_json));
    v.validate_request_units(len)
}

/// `checkPhoneUnits` of `input`: its last nine digits, or -1.
fn checked(v: &mut Validator, input: &str) -> i32 {
    let units: Vec<u16> = input.encode_utf16().collect();
    let len = write(v, &units);
    v.check_phone_units(len)
}

/// `normalizePhone`: the number api.js makes from `checkPhoneUnits`.
fn normalize_phone(v: &mut Validator, input: &str) -> Option<String> {
    let nine = checked(v, input);
    (nine >= 0).then(|| format!("01{nine:09}"))
}

/// `normalizeWallet`: the number's units, then the operator code's.
fn normalize_wallet(v: &mut Validator, input: &str, code: &str) -> Option<String> {
    let mut units: Vec<u16> = input.encode_utf16().collect();
    let input_len = units.len();
    units.extend(code.encode_utf16());
    write(v, &units);
    v.normalize_wallet_units(input_len, units.len() - input_len)
}

/// `detectOperator`: the prefix hint (`prefixHints`) of the checked
/// number's first digit, as JSON text.
fn detect_operator(v: &mut Validator, input: &str) -> Option<String> {
    let nine = checked(v, input);
    if nine < 0 {
        return None;
    }
    let hints = json(&v.prefix_hints());
    let third = usize::try_from(nine / 100_000_000).ok()?;
    hints
        .as_array()
        .and_then(|h| h.get(third))
        .filter(|h| **h != Value::Null)
        .map(Value::to_json)
}

fn json(text: &str) -> Value {
    parse(text.as_bytes()).unwrap_or_else(|e| panic!("not JSON ({e:?}): {text}"))
}

fn string_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut at = v;
    for key in path {
        at = at
            .get(key)
            .unwrap_or_else(|| panic!("no {key} in {}", v.to_json()));
    }
    at.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not a string in {}", v.to_json()))
}

/// `(field, code)` of every error in a `{ ok: false, errors }` result.
fn error_codes(result: &str) -> Vec<(String, String)> {
    let v = json(result);
    assert_eq!(v.get("ok"), Some(&Value::Bool(false)), "{result}");
    v.get("errors")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no errors in {result}"))
        .iter()
        .map(|e| {
            (
                string_at(e, &["field"]).to_owned(),
                string_at(e, &["code"]).to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect()
}

#[wasm_bindgen_test]
fn normalize_phone_accepts_every_documented_form() {
    let mut v = defaults();
    let rows: &[(&str, Option<&str>)] = &[
        ("01712345678", Some("01712345678")),
        ("+8801712345678", Some("01712345678")),
        ("8801712345678", Some("01712345678")),
        ("00880 1712 345678", Some("01712345678")),
        ("  017-1234-5678 ", Some("01712345678")),
        ("(017) 1234.5678", Some("01712345678")),
        ("০১৭১২৩৪৫৬৭৮", Some("01712345678")),
        ("+৮৮০ ১৩১২-৩৪৫৬৭৮", Some("01312345678")),
        ("01512345678", Some("01512345678")),
        ("0171234567", None),
        ("017123456789", None),
        ("01112345678", None),
        ("01212345678", None),
        ("01012345678", None),
        ("0171234567O", None),
        ("+01712345678", None),
        ("017\u{200b}12345678", None),
        ("", None),
    ];
    for (input, want) in rows {
        assert_eq!(
            normalize_phone(&mut v, input).as_deref(),
            *want,
            "{input:?}"
        );
    }
}

#[wasm_bindgen_test]
fn normalize_wallet_takes_rockets_twelve_digit_account_only() {
    let mut v = defaults();
    let rows: &[(&str, &str, Option<&str>)] = &[
        ("017-1234-5678-9", "RK", Some("017123456789")),
        ("01712345678", "RK", Some("01712345678")),
        ("017123456789", "BK", None),
        ("+880 1812 345678", "NG", Some("01812345678")),
        ("01712345678", "GP", None),
        ("01712345678", "nobody", None),
    ];
    for (input, op, want) in rows {
        assert_eq!(
            normalize_wallet(&mut v, input, op).as_deref(),
            *want,
            "{input} {op}"
        );
    }
}

#[wasm_bindgen_test]
fn detect_operator_gives_gp_for_013_with_skitto_as_alternative() {
    let mut v = defaults();
    let got = detect_operator(&mut v, "+880 1312-345678");
    assert_eq!(
        got.as_deref(),
        Some(
            r#"{"code":"GP","name":"Grameenphone","name_bn":"গ্রামীণফোন","alternatives":[{"code":"SK","name":"Skitto","name_bn":"স্কিটো"}]}"#
        )
    );
    let rows: &[(&str, Option<&str>)] = &[
        ("01412345678", Some("BL")),
        ("01512345678", Some("TT")),
        ("01612345678", Some("AT")),
        ("01712345678", Some("GP")),
        ("০১৮১২৩৪৫৬৭৮", Some("RB")),
        ("01912345678", Some("BL")),
        ("01112345678", None),
        ("not a phone", None),
    ];
    for (input, want) in rows {
        let code =
            detect_operator(&mut v, input).map(|j| string_at(&json(&j), &["code"]).to_owned());
        assert_eq!(code.as_deref(), *want, "{input}");
    }
}

#[wasm_bindgen_test]
fn operators_and_limits_are_data() {
    let v = defaults();
    let ops = json(&v.operators());
    let codes: Vec<&str> = ops
        .as_array()
        .unwrap_or_default()
        .iter()
        .map(|o| string_at(o, &["code"]))
        .collect();
    for code in [
        "GP", "RB", "AT", "BL", "SK", "TT", "BK", "NG", "RK", "DESCO", "BRD",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert_eq!(
        v.limits(),
        r#"{"recharge":{"min":"10.00","max":"5000.00"},"mfs":{"min":"10.00","max":"25000.00"},"bill":{"min":"1.00","max":"200000.00"}}"#
    );
}

#[wasm_bindgen_test]
fn validate_request_normalises_a_good_request_of_each_type() {
    let mut v = defaults();
    let rows = [
        (
            r#"{"type":"recharge","operator_code":"gp","phone":"+880 1712-345678","amount":100.5,"sub_type":"prepaid","ref_id":"ORD-1"}"#,
            r#"{"ok":true,"value":{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"100.50","sub_type":"Prepaid","ref_id":"ORD-1"}}"#,
        ),
        (
            r#"{"type":"data","operator_code":"RB","phone":"01812345678","package_id":"12"}"#,
            r#"{"ok":true,"value":{"type":"data","operator_code":"RB","phone":"01812345678","package_id":12}}"#,
        ),
        (
            r#"{"type":"drive","operator_code":"BL","phone":"০১৯১১১১১১১১","package_id":7}"#,
            r#"{"ok":true,"value":{"type":"drive","operator_code":"BL","phone":"01911111111","package_id":7}}"#,
        ),
        (
            r#"{"type":"mfs","operator_code":"RK","phone":"017123456789","amount":"500","sub_type":"Agent"}"#,
            r#"{"ok":true,"value":{"type":"mfs","operator_code":"RK","phone":"017123456789","amount":"500.00","sub_type":"Agent"}}"#,
        ),
        (
            r#"{"type":"bill","operator_code":"BRD","bill_number":"ACC-99","month":"৪","amount":"1250.75","phone":"01812345678"}"#,
            r#"{"ok":true,"value":{"type":"bill","operator_code":"BRD","phone":"01812345678","bill_number":"ACC-99","month":"04","amount":"1250.75"}}"#,
        ),
    ];
    for (input, want) in rows {
        assert_eq!(validate(&mut v, input), want, "{input}");
    }
}

#[wasm_bindgen_test]
fn validate_request_lists_every_bad_field_in_english_and_bangla() {
    let mut v = defaults();
    let out = validate(
        &mut v,
        r#"{"type":"recharge","operator_code":"XX","phone":"123","amount":"1.234","sub_type":"Gift","ref_id":"bad id!","package_id":1}"#,
    );
    assert_eq!(
        error_codes(&out),
        pairs(&[
            ("package_id", "unknown_field"),
            ("operator_code", "unknown_operator"),
            ("phone", "invalid_phone"),
            ("amount", "too_many_decimals"),
            ("sub_type", "invalid_sub_type"),
            ("ref_id", "invalid_ref_id"),
        ])
    );
    let first_phone_error = json(&out)
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|es| es.get(2).cloned())
        .unwrap_or(Value::Null);
    assert_eq!(
        first_phone_error.to_json(),
        r#"{"field":"phone","code":"invalid_phone","message":"Enter an 11-digit Bangladeshi mobile number, like 01712345678.","message_bn":"১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।"}"#
    );

    let rows: &[(&str, &[(&str, &str)])] = &[
        (
            r#"{"type":"bill"}"#,
            &[
                ("operator_code", "required"),
                ("bill_number", "required"),
                ("month", "required"),
                ("amount", "required"),
            ],
        ),
        (
            r#"{"type":"bill","operator_code":"DESCO","bill_number":"12","month":"13","amount":0}"#,
            &[
                ("bill_number", "invalid_bill_number"),
                ("month", "invalid_month"),
                ("amount", "amount_not_positive"),
            ],
        ),
        (
            r#"{"type":"data","operator_code":"TT","phone":"01512345678","package_id":0}"#,
            &[
                ("operator_code", "operator_not_supported"),
                ("package_id", "invalid_package_id"),
            ],
        ),
        (
            r#"{"type":"mfs","operator_code":"BK","phone":"017123456789","amount":"25000.01"}"#,
            &[("phone", "invalid_wallet"), ("amount", "amount_too_large")],
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"9.99"}"#,
            &[("amount", "amount_too_small")],
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":true}"#,
            &[("amount", "invalid_amount")],
        ),
        (r#"{"type":"gift"}"#, &[("type", "invalid_type")]),
        (r#"{}"#, &[("type", "required")]),
        (r#"[1,2]"#, &[("", "not_an_object")]),
        ("not json", &[("", "not_an_object")]),
    ];
    for (input, want) in rows {
        assert_eq!(
            error_codes(&validate(&mut v, input)),
            pairs(want),
            "{input}"
        );
    }
}

#[wasm_bindgen_test]
fn amount_errors_name_the_limit_grouped_and_in_bengali_digits() {
    let out = validate(
        &mut defaults(),
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":5001}"#,
    );
    let err = json(&out)
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|es| es.first().cloned())
        .unwrap_or(Value::Null);
    assert_eq!(
        string_at(&err, &["message"]),
        "Amount must be at most ৳5,000.00."
    );
    assert_eq!(
        string_at(&err, &["message_bn"]),
        "টাকার পরিমাণ ৳৫,০০০.০০ বা তার কম হতে হবে।"
    );
}

/// The billers response sample of the wallet reference (`tests/fixtures/`).
fn sample_billers_text() -> &'static str {
    include_str!("../fixtures/wallet-billers.json")
}

fn bakhrabad_json() -> String {
    let parsed = json(&parse_billers_text(sample_billers_text()));
    assert_eq!(parsed.get("ok"), Some(&Value::Bool(true)));
    parsed
        .get("value")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.get("billers").and_then(Value::as_array))
        .flatten()
        .find(|b| b.get("biller_id").and_then(Value::as_str) == Some("b451"))
        .map(Value::to_json)
        .unwrap_or_else(|| panic!("Bakhrabad Gas (b451) not in the sample"))
}

#[wasm_bindgen_test]
fn parse_billers_reads_the_sample_and_says_where_a_bad_one_breaks() {
    let parsed = json(&parse_billers_text(sample_billers_text()));
    let titles: Vec<&str> = parsed
        .get("value")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|t| string_at(t, &["title"]))
        .collect();
    assert_eq!(
        titles,
        [
            "Electricity",
            "Water",
            "Gas",
            "Internet",
            "DTH",
            "Education",
            "Other"
        ]
    );
    assert_eq!(
        parse_billers_text(
            r#"{"data":{"types":[{"title":"Gas","billers":[{"biller_id":"b1"}]}]}}"#
        ),
        r#"{"ok":false,"error":{"path":"data.types[0].billers[0].title","expected":"string"}}"#
    );
    assert_eq!(
        json(&parse_billers_text("{"))
            .get("ok")
            .and_then(Value::as_bool),
        Some(false)
    );
}

#[wasm_bindgen_test]
fn biller_form_merges_hidden_fields_and_the_users_choice_wins() {
    let v = defaults();
    let biller = bakhrabad_json();
    assert_eq!(
        v.validate_biller_form(
            &biller,
            r#"{"bllr_accno":"ACC১২৩","bill_mobno":"+880 1812-345678","bll_typ":"M"}"#
        ),
        r#"{"ok":true,"value":{"biller_id":"b451","bll_typ":"M","mode":"SAPI","bllr_accno":"ACC123","bill_mobno":"01812345678"}}"#
    );
    assert_eq!(
        error_codes(&v.validate_biller_form(
            &biller,
            r#"{"bllr_accno":"12 34","bill_mobno":"01112345678","bll_typ":"X","extra":"1"}"#
        )),
        pairs(&[
            ("extra", "unknown_field"),
            ("bllr_accno", "invalid_value"),
            ("bill_mobno", "invalid_phone"),
            ("bll_typ", "invalid_option"),
        ])
    );
    assert_eq!(
        error_codes(&v.validate_biller_form(&biller, "{}")),
        pairs(&[
            ("bllr_accno", "required"),
            ("bill_mobno", "required"),
            ("bll_typ", "required"),
        ])
    );
    assert_eq!(
        error_codes(&v.validate_biller_form("[]", "{}")),
        pairs(&[("biller", "not_an_object")])
    );
}

#[wasm_bindgen_test]
fn custom_config_adds_an_operator_on_010_and_changes_limits() {
    let mut v = configured(
        r#"{"operators":[{"code":"xt","name":"Xtra","kind":"mobile","services":["recharge"],"prefixes":["010"]}],
            "limits":{"recharge":{"min":20,"max":"1000.50"}}}"#,
    )
    .unwrap_or_else(|e| panic!("config refused: {e:?}"));
    assert_eq!(
        normalize_phone(&mut v, "01012345678").as_deref(),
        Some("01012345678")
    );
    assert_eq!(
        detect_operator(&mut v, "01012345678").as_deref(),
        Some(r#"{"code":"XT","name":"Xtra","name_bn":"Xtra","alternatives":[]}"#)
    );
    let ok = validate(
        &mut v,
        r#"{"type":"recharge","operator_code":"XT","phone":"01012345678","amount":"1000.50"}"#,
    );
    assert_eq!(
        ok,
        r#"{"ok":true,"value":{"type":"recharge","operator_code":"XT","phone":"01012345678","amount":"1000.50"}}"#
    );
    assert_eq!(
        error_codes(&validate(
            &mut v,
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"1000.51"}"#
        )),
        pairs(&[("amount", "amount_too_large")])
    );
    assert_eq!(normalize_phone(&mut defaults(), "01012345678"), None);
}

#[wasm_bindgen_test]
fn a_bad_config_throws_every_problem_as_an_error_in_both_languages() {
    let rows: &[(&str, &[(&str, &str)])] = &[
        (
            r#"{"limits":{"recharge":{"min":100,"max":5}},"operators":[{"code":"X"}],"colour":"red"}"#,
            &[
                ("limits.recharge", "invalid_amount"),
                ("operators[0]", "invalid_value"),
                ("colour", "unknown_field"),
            ],
        ),
        ("[]", &[("", "not_an_object")]),
        ("{not json", &[("", "not_an_object")]),
    ];
    for (config, want) in rows {
        let thrown = match configured(config) {
            Ok(_) => panic!("config accepted: {config}"),
            Err(e) => json(&e),
        };
        assert_eq!(
            (string_at(&thrown, &["kind"]), string_at(&thrown, &["code"])),
            ("validation", "invalid_validator_config"),
            "{config}"
        );
        assert!(string_at(&thrown, &["messageBn"]).starts_with("ভ্যালিডেটরের সেটিং সঠিক নয়: "));
        let fields = object([
            ("ok", false.into()),
            (
                "errors",
                thrown.get("fieldErrors").cloned().unwrap_or(Value::Null),
            ),
        ]);
        assert_eq!(error_codes(&fields.to_json()), pairs(want), "{config}");
    }
    assert!(configured("null").is_ok());
}

#[wasm_bindgen_test]
fn the_defaults_constructor_gives_the_rules_an_empty_config_gives() {
    let mut fast = Validator::defaults();
    for config in ["", "null", "{}"] {
        let read = configured(config).unwrap_or_else(|e| panic!("{config}: {e:?}"));
        assert_eq!(fast.operators(), read.operators(), "{config}");
        assert_eq!(fast.limits(), read.limits(), "{config}");
    }
    assert_eq!(
        normalize_phone(&mut fast, "+880 1712-345678").as_deref(),
        Some("01712345678")
    );
}
