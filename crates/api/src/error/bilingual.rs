//! Every error the clients, the validators and the proxy's config can
//! produce, through the code that produces it, once in each language: both
//! messages present, every slot filled, and Bangla with no Latin letters but
//! the names and codes it was given. The proxy's refusals are walked in
//! the proxy crate's tests, with its config.

use crate::prelude::*;

use super::wording::{all, known_texts};
use super::*;
use crate::client::{Config, TransportError, Unread};
use crate::gateway::{PackagesQuery, StatusQuery};
use crate::intent::{create_execute, create_request, IntentKey};
use bdpay_core::billers::{parse_billers, validate_biller_form};
use bdpay_core::json::parse;
use bdpay_core::messages::check::{assert_bilingual, sample};
use bdpay_core::operators::Registry;
use bdpay_core::request::validate_request;
use bdpay_core::rules::Rules;

/// `e` says everything in both languages; `given` are the names and codes
/// it was handed (a server's sentence, a JSON path), which may stay Latin.
fn bilingual(what: &str, e: &ApiError, given: &[&str]) {
    assert_bilingual(
        what,
        &e.code,
        (&e.message, &e.message_bn),
        &e.field_errors,
        given,
    );
}

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    }
}

fn json(text: &str) -> Value {
    parse(text.as_bytes()).unwrap()
}

#[test]
fn every_saying_in_both_languages() {
    for say in all() {
        let (_, en, bn) = say.row();
        let mut names = bdpay_core::messages::check::slots(en);
        names.extend(bdpay_core::messages::check::slots(bn));
        let args: Vec<(&str, Slot<'_>)> = names.iter().map(|n| (*n, sample(n))).collect();
        let e = ApiError::says(ErrorKind::Server, 0, say, &args);
        bilingual(&format!("{say:?}"), &e, &["code-1"]);
    }
    for kind in [
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::Validation,
        ErrorKind::InsufficientBalance,
        ErrorKind::Duplicate,
        ErrorKind::RateLimited,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Server,
        ErrorKind::BadResponse,
        ErrorKind::RefIdConflict,
        ErrorKind::OutcomeUnknown,
        ErrorKind::Repeat,
    ] {
        bilingual(kind.as_str(), &ApiError::of_kind(kind, 0), &[]);
    }
}

#[test]
fn every_known_server_sentence_is_read_in_bangla_whichever_api_sent_it() {
    for text in known_texts() {
        let bare = text.trim_end_matches('.');
        for body in [
            format!(r#"{{"status":false,"message":"{bare}"}}"#),
            format!(r#"{{"code":422,"messages":["{bare}."],"data":null}}"#),
        ] {
            let e = ApiError::from_response(&resp(422, &body));
            bilingual(text, &e, &[]);
            assert_ne!(e.code, "server_refused", "{text}");
            assert!(e.server_message.is_some(), "{text}");
        }
    }
}

#[test]
fn every_answer_without_a_known_sentence_is_explained() {
    let server = "The meter is locked for maintenance.";
    for status in [
        301, 400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 500, 502, 503, 504,
    ] {
        for body in [
            String::new(),
            "<html>oops</html>".to_owned(),
            format!(r#"{{"status":false,"message":"{server}"}}"#),
            format!(r#"{{"code":{status},"messages":["{server}"],"data":null}}"#),
            format!(
                r#"{{"message":"{server}","errors":{{"meter":["{server}"],"phone":["Bad."]}}}}"#
            ),
        ] {
            let e = ApiError::from_response(&resp(status, &body));
            bilingual(&format!("{status} {body}"), &e, &[server, "Bad."]);
        }
    }
}

#[test]
fn every_transport_failure_in_both_languages() {
    let failures = [
        TransportError::Timeout,
        TransportError::Network("TypeError: Failed to fetch".to_owned()),
        TransportError::Unreadable {
            status: 307,
            why: Unread::Redirect,
        },
        TransportError::Unreadable {
            status: 200,
            why: Unread::TooLarge,
        },
    ];
    for t in failures {
        let e = t.clone().into_api_error();
        bilingual(&format!("{t:?}"), &e, &[]);
        assert!(
            !e.message.contains("Failed to fetch"),
            "the runtime's words stay in messages"
        );
    }
    bilingual(
        "bad_response",
        &ApiError::bad_response(200, "data.summary.request_id"),
        &["data.summary.request_id"],
    );
}

#[test]
fn every_bad_client_setting_in_both_languages() {
    let configs = [
        r#"[]"#,
        r#"{}"#,
        r#"{"baseUrl":42}"#,
        r#"{"baseUrl":"ftp://gw.example"}"#,
        r#"{"baseUrl":"http://gw.example","token":"t"}"#,
        r#"{"baseUrl":"https://gw.example","token":""}"#,
        r#"{"baseUrl":"https://gw.example","token":7}"#,
        r#"{"baseUrl":"https://gw.example","timeoutMs":-1}"#,
        r#"{"baseUrl":"https://gw.example","maxRetries":"two"}"#,
        r#"{"baseUrl":"https://gw.example","rateLimit":"fast"}"#,
        r#"{"baseUrl":"https://gw.example","rateLimit":{"perMinute":0}}"#,
        r#"{"baseUrl":"https://gw.example","validator":{"limits":{"recharge":{"min":100,"max":5}}}}"#,
        r#"{"baseUrl":"https://gw.example","validator":{"limits":{"recharge":{"min":"x"}},"operators":{},"colour":1}}"#,
        r#"{"baseUrl":"https://gw.example","validator":{"operators":[{"code":"X"}]}}"#,
    ];
    for text in configs {
        let e = Config::from_json(&json(text)).unwrap_err();
        bilingual(text, &e, &[]);
    }
    let e = Config::from_json(&json(r#"{"baseUrl":"http://gw.example","token":"t"}"#)).unwrap_err();
    assert_eq!(
        (e.field_errors[0].code.as_str(), e.message_bn.as_str()),
        (
            "invalid_url",
            "baseUrl: টোকেন সহ অনুরোধ সাধারণ http:// দিয়ে এই কম্পিউটারের বাইরের কোনো হোস্টে পাঠানো যাবে না; https:// ব্যবহার করুন, অথবা allowInsecureHttp চালু করুন।"
        )
    );
    let e = Config::from_json(&json(r#"{"baseUrl":42}"#)).unwrap_err();
    assert_eq!(
        e.field_errors[0].code.as_str(),
        "invalid_url",
        "present, so not `required`"
    );
}

#[test]
fn every_bad_validator_setting_in_both_languages() {
    let validator = [
        r#"[]"#,
        r#"{"limits":{"recharge":{"min":100,"max":5}},"operators":[{"code":"X"}],"colour":"red"}"#,
        r#"{"limits":{"recharge":{"min":"x"},"data":{}},"operators":{}}"#,
        r#"{"limits":7}"#,
    ];
    for text in validator {
        let errors = Rules::from_config(&json(text)).unwrap_err();
        let e = ApiError::config(Say::ValidatorConfig, errors);
        bilingual(text, &e, &[]);
    }
    let e = ApiError::config(
        Say::ValidatorConfig,
        Rules::from_config(&json(r#"{"limits":{"recharge":{"min":100,"max":5}}}"#)).unwrap_err(),
    );
    assert_eq!(
        (e.message.as_str(), e.message_bn.as_str()),
        (
            "Invalid validator config: limits.recharge: limits.recharge: min (৳100.00) must not be more than max (৳5.00).",
            "ভ্যালিডেটরের সেটিং সঠিক নয়: limits.recharge: সর্বনিম্ন সীমা (৳১০০.০০) সর্বোচ্চ সীমার (৳৫.০০) চেয়ে বেশি হতে পারবে না।"
        )
    );
}

#[test]
fn every_bad_request_and_query_in_both_languages() {
    let rules = Rules::default();
    let requests = [
        r#"7"#,
        r#"{}"#,
        r#"{"type":"gift"}"#,
        r#"{"type":"recharge","operator_code":"BK","phone":"017","amount":"1.005","sub_type":"Gold","ref_id":"a b","extra":1}"#,
        r#"{"type":"recharge","operator_code":"ZZ","phone":"01712345678","amount":1}"#,
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":"abc"}"#,
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":0}"#,
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":5000.01}"#,
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":1e20}"#,
        r#"{"type":"mfs","operator_code":"RK","phone":"12","amount":100,"sub_type":"Prepaid"}"#,
        r#"{"type":"data","operator_code":"GP","phone":"01712345678","package_id":0}"#,
        r#"{"type":"bill","operator_code":"DESCO","bill_number":"1","month":13,"amount":200000.01}"#,
    ];
    for text in requests {
        let e = ApiError::invalid(validate_request(&json(text), &rules).unwrap_err());
        bilingual(text, &e, &[]);
    }
    let queries = [r#"{"operator_code":"BK","type":"gift","x":1}"#, r#"{}"#];
    for text in queries {
        bilingual(
            text,
            &PackagesQuery::from_json(&json(text), &rules).unwrap_err(),
            &[],
        );
    }
    for text in [r#"{}"#, r#"{"trx_id":"a b"}"#, r#"{"ref_id":"a b"}"#] {
        bilingual(text, &StatusQuery::from_json(&json(text)).unwrap_err(), &[]);
    }
    for text in [
        r#"{}"#,
        r#"{"request_id":"a b","pin":"12"}"#,
        r#"{"request_id":"r","pin":[1]}"#,
    ] {
        bilingual(
            text,
            &crate::billpay::Execute::from_json(&json(text)).unwrap_err(),
            &[],
        );
    }
}

#[test]
fn every_bad_biller_value_in_both_languages() {
    let billers = parse_billers(&json(include_str!(
        "../../../../tests/fixtures/wallet-billers.json"
    )))
    .unwrap();
    let registry = Registry::default();
    let mut seen = 0;
    for biller in billers.iter().flat_map(|t| &t.billers) {
        let every = |value: &str| {
            let pairs: Vec<String> = biller
                .params
                .iter()
                .map(|p| format!(r#""{}":{value}"#, p.key))
                .collect();
            format!("{{{}}}", pairs.join(","))
        };
        let long = format!(r#""{}""#, "a-b\\u0007".repeat(30));
        let values = [
            r#"{}"#.to_owned(),
            r#"{"unknown":"1"}"#.to_owned(),
            every(&long),
            every(r#""x-1""#),
            every("{}"),
        ];
        for v in values {
            if let Err(errors) = validate_biller_form(biller, &json(&v), &registry) {
                seen += errors.len();
                bilingual(&biller.title, &ApiError::invalid(errors), &[]);
            }
        }
    }
    assert!(seen > 10, "{seen} errors walked");
}

#[test]
fn every_bad_intent_in_both_languages() {
    assert!(IntentKey::new("short").is_err());
    let weak = IntentKey::new("short").unwrap_err();
    bilingual("weak key", &ApiError::invalid(vec![weak]), &[]);
    let key = IntentKey::new("0123456789abcdef0123456789abcdef").unwrap();
    let rules = Rules::default();
    for text in [
        r#"[]"#,
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"expiresIn":5}"#,
        r#"{"type":"recharge","operator_code":"GP","phone":"01712345678","amount":100,"expiresIn":"soon"}"#,
        r#"{"type":"data","operator_code":"GP","phone":"01712345678","package_id":3}"#,
        r#"{"type":"data","operator_code":"GP","phone":"01712345678","package_id":3,"price":"1e30"}"#,
    ] {
        let e = create_request(&json(text), &key, 0, "bdp-1", &rules).unwrap_err();
        bilingual(text, &e, &[]);
    }
    for text in [r#"{}"#, r#"{"request_id":"r","total":"x"}"#] {
        bilingual(
            text,
            &create_execute(&json(text), &key, 0).unwrap_err(),
            &[],
        );
    }
}
