//! bdpay: Bangladeshi mobile recharge, data and drive packages, MFS transfers
//! and utility bills, for merchants' web checkouts.
//!
//! The core is sans-IO: a deterministic implementation that builds requests
//! and reads responses as plain values. It contains no networking code, no
//! clock and no randomness; time and reference ids come in as arguments.
//! Only `js` (compiled for wasm) touches JavaScript.
//!
//! ```
//! use bdpay::{operators::Registry, phone::normalize_phone};
//! let registry = Registry::default();
//! let phone = normalize_phone("+880 1312-345678", &registry).unwrap();
//! let hint = registry.detect(&phone).unwrap();
//! assert_eq!((hint.operator.code.as_str(), hint.alternatives[0].code.as_str()), ("GP", "SK"));
//! ```

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod billers;
pub mod billpay;
pub mod client;
pub mod error;
pub mod gateway;
pub mod http;
pub mod intent;
pub mod json;
pub mod messages;
pub mod money;
pub mod operators;
pub mod phone;
pub mod policy;
pub mod proxy;
pub mod request;
pub mod rules;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod transport;

/// The README's Rust example, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
