//! bdpay-api: the recharge gateway's and the wallet's APIs, sans-IO. Request
//! builders and answer readers as plain values, one error type, the retry
//! policy, the clients' state machines over a `Transport` the caller brings,
//! and payment intents. Time and randomness come in as arguments.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod billpay;
pub mod bulk;
pub mod client;
pub mod error;
pub mod gateway;
pub mod http;
pub mod intent;
pub mod policy;

#[cfg(test)]
mod testing;
