//! The sandbox's memory: accounts with their balances, gateway transactions,
//! wallet summaries and payments, rate-limit windows and queued faults.
//!
//! Everything here is plain data behind one mutex, changed by synchronous
//! functions that take the current time as an argument; no lock is ever held
//! across an `.await`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bdpay_core::money::Amount;
use bdpay_core::operators::Service;

use crate::faults::Queued;
use crate::ids::{Ids, Token};
use crate::seed::{AccountSeed, Balances, Beneficiary, Catalog};

/// The time of a request: a monotonic instant for delays and windows, Unix
/// seconds for what the responses print.
#[derive(Clone, Copy, Debug)]
pub struct Now {
    pub instant: Instant,
    pub unix: i64,
}

impl Now {
    pub fn read() -> Now {
        Now {
            instant: Instant::now(),
            unix: crate::clock::unix_now(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrxStatus {
    Pending,
    Success,
    Failed,
}

impl TrxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrxStatus::Pending => "Pending",
            TrxStatus::Success => "Success",
            TrxStatus::Failed => "Failed",
        }
    }
}

/// Which balance a transaction was paid from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purse {
    Flexiload,
    Drive,
}

#[derive(Clone, Debug)]
pub struct Transaction {
    /// Run-wide order of commits (shared with payments).
    pub seq: u64,
    pub trx_id: String,
    pub ref_id: Option<String>,
    pub service: Service,
    pub sub_type: Option<String>,
    pub operator_code: String,
    pub operator_name: String,
    pub phone: Option<String>,
    pub bill_number: Option<String>,
    pub month: Option<String>,
    pub package_id: Option<u32>,
    pub package_name: Option<String>,
    pub amount: Amount,
    pub payable: Amount,
    pub purse: Purse,
    /// The purse's balance right after the debit.
    pub balance_after: Amount,
    pub status: TrxStatus,
    pub message: String,
    pub created_at: String,
    pub settle_at: Instant,
    /// The outcome it will settle to.
    pub will_fail: bool,
}

/// A bill looked up by `summary`, waiting for `execute`.
#[derive(Clone, Debug)]
pub struct Summary {
    pub request_id: String,
    pub biller_id: String,
    pub title: String,
    pub logo: String,
    pub account_no: String,
    pub amount: Amount,
    pub charge: Amount,
    /// The index of its payment in `Account::payments`, once executed.
    pub payment: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Payment {
    pub seq: u64,
    pub order_id: String,
    pub trx_id: String,
    pub biller_id: String,
    pub title: String,
    pub logo: String,
    pub account_no: String,
    pub amount: Amount,
    pub charge: Amount,
    pub created_at: String,
}

/// A fixed one-minute window, as Laravel's throttle counts.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    start: Instant,
    count: u32,
}

pub const WINDOW: Duration = Duration::from_secs(60);

impl Window {
    /// Counts one hit. `Err(secs)` when over `limit`: how long until the window ends.
    pub fn hit(&mut self, now: Instant, limit: u32) -> Result<u32, u64> {
        if now.duration_since(self.start) >= WINDOW {
            self.start = now;
            self.count = 0;
        }
        if self.count >= limit {
            let left = WINDOW.saturating_sub(now.duration_since(self.start));
            // Round up: a client that waits this long is let in.
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Err(secs.max(1));
        }
        self.count += 1;
        Ok(limit - self.count)
    }
}

pub struct Account {
    pub token: Token,
    pub user_id: u64,
    pub active: bool,
    pub balances: Balances,
    pub pin: String,
    pub settle_ms: u64,
    pub rate_limit: bool,
    pub beneficiaries: Vec<Beneficiary>,
    pub transactions: Vec<Transaction>,
    pub summaries: Vec<Summary>,
    pub payments: Vec<Payment>,
    /// Balance, packages and status share one window; `request` has its own.
    pub reads: Window,
    pub requests: Window,
}

impl Account {
    fn new(
        seed: &AccountSeed,
        token: Token,
        user_id: u64,
        catalog: &Catalog,
        now: Instant,
    ) -> Account {
        let window = Window {
            start: now,
            count: 0,
        };
        Account {
            token,
            user_id,
            active: seed.active,
            balances: seed.balances,
            pin: seed.pin.clone(),
            settle_ms: seed.settle_ms,
            rate_limit: seed.rate_limit,
            beneficiaries: seed
                .beneficiaries
                .clone()
                .unwrap_or_else(|| catalog.beneficiaries.clone()),
            transactions: Vec::new(),
            summaries: Vec::new(),
            payments: Vec::new(),
            reads: window,
            requests: window,
        }
    }

    pub fn purse_mut(&mut self, purse: Purse) -> &mut Amount {
        match purse {
            Purse::Flexiload => &mut self.balances.flexiload,
            Purse::Drive => &mut self.balances.drive,
        }
    }

    /// Moves every due `Pending` transaction to its outcome; a failure refunds.
    pub fn settle(&mut self, now: Instant) {
        let mut refunds: Vec<(Purse, Amount)> = Vec::new();
        for t in &mut self.transactions {
            if t.status == TrxStatus::Pending && now >= t.settle_at {
                if t.will_fail {
                    t.status = TrxStatus::Failed;
                    t.message = "Recipient not reachable".to_owned();
                    refunds.push((t.purse, t.payable));
                } else {
                    t.status = TrxStatus::Success;
                    t.message = "Successful".to_owned();
                }
            }
        }
        for (purse, payable) in refunds {
            let slot = self.purse_mut(purse);
            *slot = Amount::from_paisa(slot.paisa().saturating_add(payable.paisa()));
        }
    }
}

/// Everything that changes during a run.
pub struct World {
    pub accounts: HashMap<Token, Account>,
    pub faults: Vec<Queued>,
    pub ids: Ids,
    /// The next commit's sequence number (transactions and payments).
    pub next_trx: u64,
    pub next_fault: u64,
    next_user: u64,
}

impl World {
    /// A world with the catalog's accounts and nothing else.
    pub fn new(catalog: &Catalog, now: Instant) -> World {
        let mut w = World {
            accounts: HashMap::new(),
            faults: Vec::new(),
            ids: Ids::default(),
            next_trx: 1,
            next_fault: 1,
            next_user: 1000,
        };
        w.reset(catalog, now);
        w
    }

    /// Back to the seed: created accounts, transactions, payments and faults
    /// are dropped. Id counters keep counting, so old ids never come back.
    pub fn reset(&mut self, catalog: &Catalog, now: Instant) {
        self.accounts.clear();
        self.faults.clear();
        for seed in &catalog.accounts {
            let token = seed.token.clone().unwrap_or_else(|| self.ids.token());
            let user_id = seed.user_id.unwrap_or_else(|| self.take_user_id());
            self.accounts.insert(
                token.clone(),
                Account::new(seed, token, user_id, catalog, now),
            );
        }
    }

    fn take_user_id(&mut self) -> u64 {
        loop {
            let id = self.next_user;
            self.next_user += 1;
            if !self.accounts.values().any(|a| a.user_id == id) {
                return id;
            }
        }
    }

    /// Adds an account; a token given by the caller must be new.
    pub fn create_account(
        &mut self,
        seed: &AccountSeed,
        catalog: &Catalog,
        now: Instant,
    ) -> Result<(Token, u64), String> {
        let token = match &seed.token {
            Some(t) if self.accounts.contains_key(t) => {
                return Err("token: already in use".to_owned())
            }
            Some(t) => t.clone(),
            None => self.ids.token(),
        };
        let user_id = match seed.user_id {
            Some(id) => id,
            None => self.take_user_id(),
        };
        self.accounts.insert(
            token.clone(),
            Account::new(seed, token.clone(), user_id, catalog, now),
        );
        Ok((token, user_id))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn window_counts_to_the_limit_then_says_how_long_to_wait() {
        let t0 = Instant::now();
        let mut w = Window {
            start: t0,
            count: 0,
        };
        assert_eq!(w.hit(t0, 2), Ok(1));
        assert_eq!(w.hit(t0, 2), Ok(0));
        assert_eq!(w.hit(t0 + Duration::from_millis(500), 2), Err(60));
        assert_eq!(w.hit(t0 + Duration::from_secs(59), 2), Err(1));
        assert_eq!(
            w.hit(t0 + Duration::from_secs(60), 2),
            Ok(1),
            "a new window"
        );
    }

    #[test]
    fn reset_restores_seeded_accounts_only() {
        let catalog = Catalog::from_json(crate::seed::DEFAULT_SEED.as_bytes(), None).unwrap();
        let now = Instant::now();
        let mut w = World::new(&catalog, now);
        let seeded = w.accounts.len();
        let (token, id) = w
            .create_account(&catalog.new_account, &catalog, now)
            .unwrap();
        assert!(id >= 1000);
        assert_eq!(w.accounts.len(), seeded + 1);
        let again = AccountSeed {
            token: Some(token),
            ..catalog.new_account.clone()
        };
        assert!(w.create_account(&again, &catalog, now).is_err());
        w.reset(&catalog, now);
        assert_eq!(w.accounts.len(), seeded);
        assert!(w.accounts.contains_key(&Token::new("sandbox-token")));
    }
}
