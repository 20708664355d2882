//! bdpay-core: the validation layer. Phone numbers and operators, amounts in
//! exact paisa, the rules in force, requests and biller forms, and every
//! message in English and Bangla. No I/O, no clock, no randomness; nothing
//! here knows about HTTP.
//!
//! ```
//! use bdpay_core::{operators::Registry, phone::normalize_phone};
//! let registry = Registry::default();
//! let phone = normalize_phone("+880 1312-345678", &registry).unwrap();
//! let hint = registry.detect(&phone).unwrap();
//! assert_eq!((hint.operator.code.as_str(), hint.alternatives[0].code.as_str()), ("GP", "SK"));
//! ```

#![no_std]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

extern crate alloc;
#[cfg(test)]
extern crate std;

/// What std's prelude gives and `no_std` does not: the validation entry's
/// wasm is built without std, so that no panic machinery (std's hook,
/// `core::fmt`) is linked into it.
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec::Vec;
    pub(crate) use alloc::{format, vec};
}

pub mod billers;
pub mod json;
pub mod messages;
pub mod money;
pub mod operators;
pub mod phone;
pub mod request;
pub mod rules;
pub mod settings;
pub mod text;
