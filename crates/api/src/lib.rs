//! bdpay-api: the recharge gateway's and the wallet's APIs, sans-IO. Request
//! builders and answer readers as plain values, one error type, the retry
//! policy, the clients' state machines over a `Transport` the caller brings,
//! and payment intents. Time and randomness come in as arguments.

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
// Bulk jobs read files with the csv crate, which needs std; everything else
// is `no_std`, so the validation entry's wasm links no std (bdpay-core).
#[cfg(any(test, feature = "bulk"))]
extern crate std;

/// What std's prelude gives and `no_std` does not.
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::string::String;
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
    #[cfg(test)]
    pub(crate) use alloc::{format, string::ToString};
}

pub mod billpay;
#[cfg(feature = "bulk")]
pub mod bulk;
pub mod client;
pub mod error;
pub mod gateway;
pub mod http;
pub mod intent;
pub mod policy;

#[cfg(test)]
mod testing;
