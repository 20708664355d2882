//! bdpay: Bangladeshi mobile recharge, data and drive packages, MFS transfers
//! and utility bills, for merchants' web checkouts.
//!
//! The work is done in three crates, one per layer, each depending only on the
//! ones below it:
//! - `bdpay-core` (validation: phone numbers, operators, money, rules,
//!   requests, biller forms, messages in both languages);
//! - `bdpay-api` (both APIs, sans-IO: builders, readers, errors, retry policy,
//!   clients over a caller's transport, payment intents);
//! - `bdpay-proxy` (the Worker's config, routes, limiter and decision).
//!
//! This crate re-exports them under one name and holds the wasm bindings
//! (`js`, one module per npm entry), the transport over the package's one
//! `send` (pkg-template/send.js) and the global scope's clock. Each npm entry
//! is its own build of this crate: no features for `bdpay` (validation only),
//! `clients`, `worker` or `server` for the others; native builds get all.
//!
//! ```
//! use bdpay::{operators::Registry, phone::normalize_phone};
//! let registry = Registry::default();
//! let phone = normalize_phone("+880 1312-345678", &registry).unwrap();
//! let hint = registry.detect(&phone).unwrap();
//! assert_eq!((hint.operator.code.as_str(), hint.alternatives[0].code.as_str()), ("GP", "SK"));
//! ```

// The validation entries (`bdpay`, `bdpay/billers`: no `std` feature) are
// built without std, as are the crates below; only `src/js`'s validation
// modules are compiled in them. A panic there stops the module at once
// (`panic` below) as std's would with `panic = "abort"`, with no hook to run
// and no message to format, so none of that code is in the wasm.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

pub use bdpay_core::{billers, json, messages, money, operators, phone, request, rules, text};

#[cfg(feature = "bulk")]
pub use bdpay_api::bulk;
pub use bdpay_api::{billpay, client, error, gateway, http, intent, policy};

#[cfg(feature = "worker")]
pub use bdpay_proxy as proxy;

#[cfg(target_arch = "wasm32")]
pub mod js;

/// Talc, not std's dlmalloc, as the wasm's allocator: a quarter of the code
/// for the same job (single-threaded wasm, memory grown as needed).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
#[cfg(all(target_arch = "wasm32", feature = "std"))]
pub mod clock;
#[cfg(all(target_arch = "wasm32", feature = "std"))]
pub mod transport;

/// A panic in a `no_std` entry: the wasm traps (`unreachable`), which the
/// page sees as a `RuntimeError` thrown from the call, as with std.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The README's Rust example, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
