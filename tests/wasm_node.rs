//! The JS-facing API compiled to wasm, run in Node:
//! `cargo test --target wasm32-unknown-unknown -p bdpay --test wasm_node`.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
