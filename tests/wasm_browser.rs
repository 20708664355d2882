//! The same tests as `wasm_node.rs`, run in headless Chromium through
//! chromedriver: `cargo test --target wasm32-unknown-unknown -p bdpay --test wasm_browser`.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;
