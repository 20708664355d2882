use super::*;
use bdpay_core::json::parse;

const NOW: u64 = 1_790_000_000;
const SECRET: &str = "merchant-key-one-0123456789abcdefghij";
const OTHER: &str = "merchant-key-two-0123456789abcdefghij";

fn key(s: &str) -> IntentKey {
    IntentKey::new(s).unwrap()
}

fn recharge(extra: &str) -> String {
    let input = parse(
        format!(
            r#"{{"type":"recharge","operator_code":"gp","phone":"+880 1712-345678","amount":100.5,"ref_id":"order-7"{extra}}}"#
        )
        .as_bytes(),
    )
    .unwrap();
    create_request(&input, &key(SECRET), NOW, "fresh", &Rules::default()).unwrap()
}

fn check(token: &str, keys: &[IntentKey], now: u64) -> Result<Intent, IntentError> {
    verify(token, keys, now, &Rules::default())
}

#[test]
fn a_signed_request_verifies_with_its_normalised_fields() {
    let intent = check(&recharge(""), &[key(SECRET)], NOW).unwrap();
    let Payment::Request(r) = &intent.payment else {
        panic!("a request intent")
    };
    assert_eq!(r.operator_code, "GP");
    assert_eq!(r.phone.as_deref(), Some("01712345678"));
    assert_eq!(r.amount, Some(Amount::from_paisa(10_050)));
    assert_eq!(intent.spend, Amount::from_paisa(10_050));
    assert_eq!(intent.ref_id(), "order-7");
    assert_eq!(intent.expires_s, NOW + DEFAULT_LIFETIME_S);
}

#[test]
fn a_missing_ref_id_is_filled_with_the_fresh_one() {
    let input = parse(br#"{"type":"mfs","operator_code":"BK","phone":"01712345678","amount":500}"#)
        .unwrap();
    let token = create_request(&input, &key(SECRET), NOW, "bdp-1-ab", &Rules::default()).unwrap();
    assert_eq!(
        check(&token, &[key(SECRET)], NOW).unwrap().ref_id(),
        "bdp-1-ab"
    );
}

#[test]
fn expiry_is_checked_with_bounded_skew() {
    let token = recharge(r#","expiresIn":60"#);
    let rows = [
        (NOW, Ok(())),
        (NOW + 60, Ok(())),
        (NOW + 60 + CLOCK_SKEW_S, Ok(())),
        (NOW + 61 + CLOCK_SKEW_S, Err(IntentError::Expired)),
        (NOW + 10_000, Err(IntentError::Expired)),
        // A proxy whose clock is far behind sees an intent that lives too long.
        (
            NOW + 60 - MAX_LIFETIME_S - CLOCK_SKEW_S - 1,
            Err(IntentError::TooLong),
        ),
    ];
    for (now, want) in rows {
        assert_eq!(
            check(&token, &[key(SECRET)], now).map(|_| ()),
            want,
            "at {now}"
        );
    }
}

#[test]
fn status_reading_outlives_the_payment_window_by_the_grace() {
    let token = recharge(r#","expiresIn":60"#);
    let rules = Rules::default();
    let keys = [key(SECRET)];
    assert!(verify_for_status(&token, &keys, NOW + 60 + STATUS_GRACE_S, &rules).is_ok());
    assert_eq!(
        verify_for_status(&token, &keys, NOW + 61 + STATUS_GRACE_S, &rules).map(|_| ()),
        Err(IntentError::Expired)
    );
}

#[test]
fn two_keys_are_accepted_while_rotating_and_a_third_is_unknown() {
    let old = recharge("");
    assert!(check(&old, &[key(OTHER), key(SECRET)], NOW).is_ok());
    assert_eq!(
        check(&old, &[key(OTHER)], NOW).map(|_| ()),
        Err(IntentError::UnknownKey)
    );
}

#[test]
fn every_alteration_is_refused() {
    let token = recharge("");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 4);
    let claims = String::from_utf8(Base64UrlUnpadded::decode_vec(parts[2]).unwrap()).unwrap();
    let forged = |from: &str, to: &str| {
        let c = Base64UrlUnpadded::encode_string(claims.replacen(from, to, 1).as_bytes());
        [parts[0], parts[1], &c, parts[3]].join(".")
    };
    // Signed with another secret under this key's id.
    let resigned = {
        let signed = [parts[0], parts[1], parts[2]].join(".");
        let tag = key(OTHER).mac(&signed).unwrap().finalize().into_bytes();
        [signed, Base64UrlUnpadded::encode_string(&tag)].join(".")
    };
    let rows: Vec<(String, IntentError)> = vec![
        (forged("100.50", "100.51"), IntentError::BadSignature),
        (
            forged("01712345678", "01812345678"),
            IntentError::BadSignature,
        ),
        (forged(r#""exp":"#, r#""exp":9"#), IntentError::BadSignature),
        (resigned, IntentError::BadSignature),
        (
            token[..token.len() - 1].to_owned(),
            IntentError::BadSignature,
        ),
        (
            token[..token.len() - 20].to_owned(),
            IntentError::BadSignature,
        ),
        ([&token, "x"].concat(), IntentError::BadSignature),
        (token.replacen("bdpi1", "bdpi2", 1), IntentError::Malformed),
        (
            [parts[0], parts[1], parts[2]].join("."),
            IntentError::Malformed,
        ),
        ([&token, ".x"].concat(), IntentError::Malformed),
        (String::new(), IntentError::Malformed),
        ("x".repeat(5000), IntentError::Malformed),
        (
            [parts[0], "AAAAAAAAAAA", parts[2], parts[3]].join("."),
            IntentError::UnknownKey,
        ),
    ];
    for (text, want) in rows {
        assert_eq!(
            check(&text, &[key(SECRET)], NOW).map(|_| ()),
            Err(want),
            "{text:.60}"
        );
    }
}

#[test]
fn bad_payments_are_refused_with_field_errors_before_anything_is_signed() {
    let rows: &[(&str, &[&str])] = &[
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"123","amount":100}"#,
            &["phone"],
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":1.005}"#,
            &["amount"],
        ),
        (
            r#"{"type":"data","operator_code":"GP","phone":"01712345678","package_id":3}"#,
            &["price"],
        ),
        (
            r#"{"type":"data","operator_code":"GP","phone":"01712345678","package_id":3,"price":0}"#,
            &["price"],
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"expiresIn":999999}"#,
            &["expiresIn"],
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"expiresIn":"60"}"#,
            &["expiresIn"],
        ),
        (
            r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"pin":"1234"}"#,
            &["pin"],
        ),
        (r#"[1]"#, &[""]),
    ];
    for (input, fields) in rows {
        let err = create_request(
            &parse(input.as_bytes()).unwrap(),
            &key(SECRET),
            NOW,
            "r",
            &Rules::default(),
        )
        .unwrap_err();
        let got: Vec<&str> = err.field_errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(&got, fields, "{input}");
    }
}

#[test]
fn a_data_intent_spends_the_package_price() {
    let input = parse(
        br#"{"type":"data","operator_code":"GP","phone":"01712345678","package_id":3,"price":"149"}"#,
    )
    .unwrap();
    let token = create_request(&input, &key(SECRET), NOW, "r-1", &Rules::default()).unwrap();
    let intent = check(&token, &[key(SECRET)], NOW).unwrap();
    assert_eq!(intent.spend, Amount::from_taka(149));
    // The price is the merchant's note to the proxy, never sent upstream.
    assert!(!page_body(&intent).to_json().contains("price"));
}

#[test]
fn an_execute_intent_binds_the_request_id_and_the_total() {
    let rows = [
        (
            r#"{"request_id":"2bf1c1ae-db3e","total":"$105.00"}"#,
            Ok(10_500),
        ),
        (r#"{"request_id":"2bf1c1ae-db3e","total":105}"#, Ok(10_500)),
        (r#"{"request_id":"2bf1c1ae-db3e"}"#, Err(vec!["total"])),
        (
            r#"{"request_id":"2bf 1","total":5}"#,
            Err(vec!["request_id"]),
        ),
        (
            r#"{"request_id":"a","total":5,"pin":1234}"#,
            Err(vec!["pin"]),
        ),
        (r#"{"request_id":"a","total":-5}"#, Err(vec!["total"])),
    ];
    for (input, want) in rows {
        let got =
            create_execute(&parse(input.as_bytes()).unwrap(), &key(SECRET), NOW).map_err(|e| {
                e.field_errors
                    .iter()
                    .map(|f| f.field.clone())
                    .collect::<Vec<_>>()
            });
        match (got, want) {
            (Ok(token), Ok(paisa)) => {
                let intent = check(&token, &[key(SECRET)], NOW).unwrap();
                assert_eq!(
                    intent.payment,
                    Payment::Execute {
                        request_id: "2bf1c1ae-db3e".into(),
                        total: Amount::from_paisa(paisa)
                    }
                );
                assert_eq!(intent.spend, Amount::from_paisa(paisa));
                assert_eq!(
                    page_body(&intent).to_json(),
                    r#"{"request_id":"2bf1c1ae-db3e"}"#
                );
            }
            (Err(fields), Err(want)) => assert_eq!(fields, want, "{input}"),
            (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn short_or_multiline_secrets_are_refused_and_debug_hides_the_secret() {
    assert!(IntentKey::new("short").is_err());
    assert!(IntentKey::new(&[SECRET, "\n"].concat()).is_err());
    let shown = format!("{:?}", key(SECRET));
    assert!(!shown.contains(SECRET) && shown.contains("***"), "{shown}");
    assert_ne!(key(SECRET).id(), key(OTHER).id());
}

#[test]
fn peek_reads_the_claims_without_trusting_them() {
    let token = recharge("");
    let intent = peek(&token, &Rules::default()).unwrap();
    assert_eq!(intent.ref_id(), "order-7");
    assert_eq!(
        page_body(&intent).to_json(),
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100.5,"ref_id":"order-7"}"#
    );
    assert!(peek("bdpi1.x.%%%.y", &Rules::default()).is_none());
}

#[cfg(not(target_arch = "wasm32"))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn verify_never_panics(s in "\\PC*") {
            let _ = check(&s, &[key(SECRET)], NOW);
            let _ = peek(&s, &Rules::default());
        }

        #[test]
        fn verify_never_panics_on_intent_shaped_text(a in "[A-Za-z0-9_-]{0,12}", b in "[A-Za-z0-9_-]{0,200}", c in "[A-Za-z0-9_-]{0,50}") {
            let _ = check(&["bdpi1", &a, &b, &c].join("."), &[key(SECRET)], NOW);
        }
    }
}
