//! The repeat guard: the payments a gateway client sent lately, so that the
//! same payment (type, recipient, amount) sent again within a few minutes
//! under another `ref_id` is refused until the caller confirms it
//! (`confirm_repeat`). A second press of Pay after a success is the common
//! way a customer pays twice; a retry under the same `ref_id` is not a repeat.

use crate::prelude::*;

use core::cell::RefCell;

use bdpay_core::messages::Slot;
use bdpay_core::request::ValidRequest;
use bdpay_core::text::{bengali_digits, decimal};

use crate::error::{ApiError, ErrorKind, Say};
use crate::gateway::Transaction;

/// How long a payment is remembered by default: five minutes.
pub const DEFAULT_WINDOW_MS: u64 = 300_000;

/// At most this many payments are remembered; the oldest go first.
const REMEMBERED: usize = 64;

/// A payment sent: what makes it the same, its ids, and when.
struct Sent {
    key: String,
    ref_id: String,
    trx_id: String,
    at_ms: u64,
}

/// The payments of one client, newest last.
#[derive(Default)]
pub struct Recent {
    sent: RefCell<Vec<Sent>>,
}

/// What makes two payments the same: the type, the recipient (phone or
/// bill number, with the bill's month and the package) and the amount.
fn key_of(req: &ValidRequest) -> String {
    let paisa = req.amount.map(|a| decimal(a.paisa().unsigned_abs()));
    [
        req.service.as_str(),
        req.phone.as_deref().unwrap_or(""),
        req.bill_number.as_deref().unwrap_or(""),
        req.month.as_deref().unwrap_or(""),
        &req.package_id
            .map(|p| decimal(u64::from(p)))
            .unwrap_or_default(),
        &paisa.unwrap_or_default(),
    ]
    .join("|")
}

impl Recent {
    /// The `repeat` error when `req` is a payment sent within `window_ms`
    /// before `now_ms` under another `ref_id`; nothing was sent.
    pub fn check(&self, req: &ValidRequest, now_ms: u64, window_ms: u64) -> Result<(), ApiError> {
        if window_ms == 0 {
            return Ok(());
        }
        let key = key_of(req);
        let ref_id = req.ref_id.as_deref().unwrap_or("");
        let Ok(sent) = self.sent.try_borrow() else {
            return Ok(());
        };
        let Some(earlier) = sent.iter().rev().find(|s| {
            s.key == key && s.ref_id != ref_id && now_ms.saturating_sub(s.at_ms) < window_ms
        }) else {
            return Ok(());
        };
        let minutes = now_ms.saturating_sub(earlier.at_ms).div_ceil(60_000).max(1);
        let to = req
            .phone
            .as_deref()
            .or(req.bill_number.as_deref())
            .unwrap_or("");
        // A number is said in the language's digits.
        let to_bn = bengali_digits(to);
        let mut args = vec![
            ("to", Slot::Text(to, &to_bn)),
            ("minutes", Slot::Count(minutes)),
        ];
        if let Some(amount) = req.amount {
            args.push(("amount", Slot::Taka(amount)));
        }
        let mut e = ApiError::says(ErrorKind::Repeat, 0, Say::RepeatPayment, &args);
        e.messages = vec![earlier.trx_id.clone(), earlier.ref_id.clone()];
        Err(e)
    }

    /// `t`, the answer to `req`, sent at `now_ms`.
    pub fn remember(&self, req: &ValidRequest, t: &Transaction, now_ms: u64) {
        let Ok(mut sent) = self.sent.try_borrow_mut() else {
            return;
        };
        let ref_id = req.ref_id.clone().unwrap_or_default();
        sent.retain(|s| s.ref_id != ref_id);
        if sent.len() >= REMEMBERED {
            sent.remove(0);
        }
        sent.push(Sent {
            key: key_of(req),
            ref_id,
            trx_id: t.trx_id.clone(),
            at_ms: now_ms,
        });
    }

    /// A transaction seen `Failed`: paying it again is no repeat.
    pub fn seen(&self, t: &Transaction) {
        if t.trx_status != "Failed" {
            return;
        }
        if let Ok(mut sent) = self.sent.try_borrow_mut() {
            sent.retain(|s| s.trx_id != t.trx_id);
        }
    }
}
