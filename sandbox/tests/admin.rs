//! The admin endpoints, static files and the command line, over real
//! loopback HTTP and real processes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{at, len, num, s, scratch_dir, write, Sandbox, GW};

#[test]
fn accounts_are_created_with_the_options_asked_for() {
    let sb = Sandbox::start();
    let r = sb.admin(
        "POST",
        "/__sandbox/accounts",
        r#"{"balances":{"flexiload_balance":"1.50","drive_balance":2,"bank_balance":"3.25","wallet_balance":"4"},"settle_ms":0,"pin":"0007","active":true,"rate_limit":false}"#,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    let t = s(&v, "token");
    assert!(t.starts_with("sbx_") && at(&v, "user_id") != &bdpay_core::json::Value::Null);
    let b = sb.get(&format!("{GW}/balance"), &t).json();
    assert_eq!(
        at(&b, "data"),
        &bdpay_core::json::parse(
            br#"{"flexiload_balance":1.50,"drive_balance":2.00,"bank_balance":3.25}"#
        )
        .unwrap()
    );
    // An empty body gives the seed's defaults; each call a new token.
    let a = sb.account("");
    let c = sb.account("{}");
    assert_ne!(a, c);
    assert_eq!(
        at(
            &sb.get(&format!("{GW}/balance"), &a).json(),
            "data.flexiload_balance"
        ),
        &num("10000.00")
    );
    // A chosen token works at once, and cannot be taken twice.
    assert_eq!(sb.account(r#"{"token":"my-test-token"}"#), "my-test-token");
    assert_eq!(
        sb.get(&format!("{GW}/balance"), "my-test-token").status,
        200
    );
    assert_eq!(
        sb.admin(
            "POST",
            "/__sandbox/accounts",
            r#"{"token":"my-test-token"}"#
        )
        .status,
        400
    );
}

#[test]
fn bad_account_options_are_refused_with_every_problem() {
    let sb = Sandbox::start();
    let rows: &[(&str, &[&str])] = &[
        (
            r#"{"balances":{"flexiload_balance":-1}}"#,
            &["balances.flexiload_balance"],
        ),
        (r#"{"balances":{"gold":1}}"#, &["balances.gold"]),
        (
            r#"{"pin":"12","settle_ms":-5,"active":"yes"}"#,
            &["pin", "settle_ms", "active"],
        ),
        (r#"{"colour":"red"}"#, &["colour"]),
        ("[1]", &["expected an object"]),
        ("nope", &["not JSON"]),
    ];
    for (body, needles) in rows {
        let r = sb.admin("POST", "/__sandbox/accounts", body);
        assert_eq!(r.status, 400, "{body}");
        let all = r.text();
        for n in *needles {
            assert!(all.contains(n), "{body}: {n} not in {all}");
        }
    }
}

#[test]
fn transactions_can_be_listed_per_token_and_reset_clears_them() {
    let sb = Sandbox::start();
    let a = sb.account("{}");
    let b = sb.account("{}");
    let body = r#"{"type":"recharge","operator_code":"GP","phone":"01711111111","amount":10}"#;
    for t in [&a, &a, &b] {
        assert_eq!(sb.post("/api/gateway/v1/request", t, body).status, 200);
    }
    assert_eq!(len(&sb.held(&a), "transactions"), 2);
    assert_eq!(len(&sb.held(&b), "transactions"), 1);
    assert_eq!(len(&sb.held("unknown"), "transactions"), 0);
    let all = sb.call("GET", "/__sandbox/transactions", &[], None);
    let v = all.json();
    assert_eq!((len(&v, "transactions"), len(&v, "payments")), (3, 0));
    assert!(
        !all.text().contains(&a) && !all.text().contains(&b),
        "tokens are never listed"
    );
    // Oldest first.
    let ids: Vec<String> = (0..3)
        .map(|i| s(&v, &format!("transactions.{i}.trx_id")))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);

    let r = sb.admin("POST", "/__sandbox/reset", "");
    assert_eq!((r.status, r.text().as_str()), (200, r#"{"reset":true}"#));
    let v = sb.call("GET", "/__sandbox/transactions", &[], None).json();
    assert_eq!(len(&v, "transactions"), 0);
    assert_eq!(
        sb.get(&format!("{GW}/balance"), &a).status,
        401,
        "created accounts are gone"
    );
    assert_eq!(
        sb.get(&format!("{GW}/balance"), "sandbox-token").status,
        200,
        "seeded ones are back"
    );
    assert_eq!(sb.call("GET", "/__sandbox/nothing", &[], None).status, 404);
}

#[test]
fn www_and_pkg_are_served_with_the_right_content_types() {
    let dir = scratch_dir("static");
    let (www, pkg) = (dir.join("www"), dir.join("pkg"));
    write(
        &www.join("index.html"),
        b"<!doctype html><title>demo</title>",
    );
    write(&www.join("app.css"), b"body{}");
    write(&pkg.join("browser.js"), b"export const x = 1;");
    write(&pkg.join("bdpay_bg.wasm"), b"\0asm\x01\0\0\0");
    write(&pkg.join("index.d.ts"), b"export {};");
    write(&pkg.join("package.json"), b"{}");
    write(&dir.join("secret.txt"), b"outside");
    let sb = Sandbox::with_args(&[
        "--www",
        www.to_str().unwrap(),
        "--pkg",
        pkg.to_str().unwrap(),
    ]);
    let rows = [
        (
            "/",
            "text/html; charset=utf-8",
            &b"<!doctype html><title>demo</title>"[..],
        ),
        (
            "/index.html",
            "text/html; charset=utf-8",
            b"<!doctype html><title>demo</title>",
        ),
        ("/app.css", "text/css; charset=utf-8", b"body{}"),
        (
            "/pkg/browser.js",
            "text/javascript; charset=utf-8",
            b"export const x = 1;",
        ),
        ("/pkg/bdpay_bg.wasm", "application/wasm", b"\0asm\x01\0\0\0"),
        (
            "/pkg/index.d.ts",
            "text/plain; charset=utf-8",
            b"export {};",
        ),
        ("/pkg/package.json", "application/json", b"{}"),
    ];
    for (path, ct, body) in rows {
        let r = sb.call("GET", path, &[], None);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(ct)),
            "{path}"
        );
        assert_eq!(r.body, body, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-cache"), "{path}");
    }
    for path in [
        "/missing.js",
        "/pkg/missing.wasm",
        "/pkg/../secret.txt",
        "/pkg/%2e%2e/secret.txt",
        "/../secret.txt",
    ] {
        let r = sb.call("GET", path, &[], None);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(!r.text().contains("outside"), "{path}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_seed_file_replaces_the_built_in_one() {
    let dir = scratch_dir("seed");
    let seed = dir.join("seed.json");
    write(
        &seed,
        br#"{"operators":[{"code":"GP"}],
             "packages":[{"id":5,"operator":"GP","name":"Tiny","price":"9.99","commission":"0.01","type":"data","tag":null}],
             "accounts":[{"token":"file-token","balances":{"flexiload_balance":"20.00"}}]}"#,
    );
    let sb = Sandbox::with_args(&["--seed", seed.to_str().unwrap(), "--settle-ms", "0"]);
    assert_eq!(
        sb.get(&format!("{GW}/balance"), "sandbox-token").status,
        401,
        "the built-in seed is not used"
    );
    let r = sb.post(
        &format!("{GW}/packages"),
        "file-token",
        r#"{"operator_code":"GP"}"#,
    );
    assert_eq!(
        r.text(),
        r#"{"status":true,"data":[{"id":5,"name":"Tiny","price":9.99,"commission":0.01,"type":"data","tag":null}]}"#
    );
    let v = sb
        .post(
            "/api/gateway/v1/request",
            "file-token",
            r#"{"type":"data","operator_code":"GP","phone":"01711111111","package_id":5}"#,
        )
        .json();
    assert_eq!(
        (at(&v, "payable"), at(&v, "balance")),
        (&num("9.98"), &num("10.02"))
    );
    // --settle-ms 0: final at the next read.
    let st = sb
        .post(
            "/api/gateway/v1/status",
            "file-token",
            &format!(r#"{{"trx_id":"{}"}}"#, s(&v, "trx_id")),
        )
        .json();
    assert_eq!(s(&st, "trx_status"), "Success");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the binary to completion and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bdpay-sandbox"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (code, out, err)
}

#[test]
fn bad_command_lines_and_seeds_stop_with_a_reason() {
    let dir = scratch_dir("cli");
    let bad_seed = dir.join("bad.json");
    write(
        &bad_seed,
        br#"{"operators":[{"code":"ZZ"}],"accounts":[{"pin":"1"}]}"#,
    );
    let rows: &[(&[&str], i32, &[&str])] = &[
        (&["--port", "99999"], 2, &["not a port"]),
        (&["--listen", "0.0.0.0"], 2, &["unknown argument", "usage:"]),
        (
            &["--port", "0", "--seed", "/nonexistent/seed.json"],
            1,
            &["--seed /nonexistent/seed.json"],
        ),
        (
            &["--port", "0", "--seed", bad_seed.to_str().unwrap()],
            1,
            &["operators[0].code", "accounts[0].pin"],
        ),
        (&["--help"], 0, &["--settle-ms", "127.0.0.1"]),
    ];
    for (args, want_code, needles) in rows {
        let (code, out, err) = run(args);
        assert_eq!(code, *want_code, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed to stdout: {out}");
        for n in *needles {
            assert!(err.contains(n), "{args:?}: {n:?} not in {err}");
        }
    }
    // A port already taken.
    let sb = Sandbox::start();
    let port = sb.port.to_string();
    let (code, _, err) = run(&["--port", &port]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot listen on 127.0.0.1"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
