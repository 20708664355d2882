//! Bulk recharge: a file of numbers, each paid exactly once, resumable.
//!
//! - [`file`]: CSV in (or rows as objects) and the results CSV out;
//! - [`plan`]: every row checked before anything is sent, and the totals;
//! - [`job`]: the job's state, its next step and what an answer changes;
//! - [`run`]: the driver over a [`crate::client::GatewayClient`] and a
//!   [`run::Host`] that saves the state.
//!
//! Every row's `ref_id` is the job's id and the row's line, so a payment is
//! found again by `status` whatever happened to the page or the process.

pub mod file;
pub mod job;
pub mod notes;
pub mod plan;
pub mod run;

#[cfg(test)]
mod tests;
