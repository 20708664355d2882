//! The merchant's spending ceilings: at most so much in any hour and in any
//! day, over every payment the proxy lets through. Exact amounts in sliding
//! windows; the time comes in as an argument.
//!
//! A reservation is given back only when the upstream refused the payment
//! before committing it ([`Budget::release`]); one whose outcome is unknown
//! keeps counting, so the ceiling errs on the side of spending less.

use std::collections::VecDeque;

use bdpay_core::money::Amount;

const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 24 * HOUR_MS;
/// More payments a day than this are refused outright (memory stays bounded;
/// the gateway itself takes at most 30 a minute, 43,200 a day).
const MAX_ENTRIES: usize = 50_000;

/// Which ceiling a payment would pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Hour,
    Day,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
        }
    }
}

/// A payment the ceiling refused: which one, and when to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ceiling {
    pub period: Period,
    pub retry_after_ms: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Budget {
    hourly: Option<Amount>,
    daily: Option<Amount>,
    /// `(time, paisa)` of each payment of the last day, oldest first.
    spent: VecDeque<(u64, i64)>,
}

impl Budget {
    /// No limit where `None`.
    pub fn new(hourly: Option<Amount>, daily: Option<Amount>) -> Budget {
        Budget {
            hourly,
            daily,
            spent: VecDeque::new(),
        }
    }

    pub fn is_limited(&self) -> bool {
        self.hourly.is_some() || self.daily.is_some()
    }

    /// Counts `amount` at `now` (ms) if it fits under both ceilings.
    pub fn reserve(&mut self, amount: Amount, now: u64) -> Result<(), Ceiling> {
        if !self.is_limited() {
            return Ok(());
        }
        while self
            .spent
            .front()
            .is_some_and(|&(t, _)| t.saturating_add(DAY_MS) <= now)
        {
            self.spent.pop_front();
        }
        for (period, limit, span) in [
            (Period::Hour, self.hourly, HOUR_MS),
            (Period::Day, self.daily, DAY_MS),
        ] {
            let Some(limit) = limit else { continue };
            let recent = || {
                self.spent
                    .iter()
                    .filter(|&&(t, _)| t.saturating_add(span) > now)
            };
            let total: i64 = recent().map(|&(_, p)| p).fold(0i64, i64::saturating_add);
            if total.saturating_add(amount.paisa()) > limit.paisa() {
                // When the oldest payment in the window leaves it; at most the span.
                let retry_after_ms = recent()
                    .next()
                    .map_or(span, |&(t, _)| t.saturating_add(span).saturating_sub(now))
                    .clamp(1_000, span);
                return Err(Ceiling {
                    period,
                    retry_after_ms,
                });
            }
        }
        if self.spent.len() >= MAX_ENTRIES {
            return Err(Ceiling {
                period: Period::Day,
                retry_after_ms: HOUR_MS,
            });
        }
        self.spent.push_back((now, amount.paisa()));
        Ok(())
    }
}

impl Budget {
    /// Counts `amount`, reserved at `at` (ms) by an earlier life of this
    /// budget (a Durable Object's stored spends, oldest first): no ceiling
    /// is checked, since it was checked then.
    pub fn seed(&mut self, amount: Amount, at: u64) {
        if self.is_limited() && self.spent.len() < MAX_ENTRIES {
            self.spent.push_back((at, amount.paisa()));
        }
    }

    /// Gives back a reservation of `amount`: a payment the upstream refused
    /// before committing it. The newest of that amount goes (the one just
    /// made, as a rule); nothing when none is held.
    pub fn release(&mut self, amount: Amount) {
        if let Some(at) = self.spent.iter().rposition(|&(_, p)| p == amount.paisa()) {
            self.spent.remove(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payments_pass_until_a_ceiling_then_wait_for_the_window() {
        let mut b = Budget::new(
            Some(Amount::from_taka(1_000)),
            Some(Amount::from_taka(1_500)),
        );
        let t = |taka| Amount::from_taka(taka);
        let rows = [
            (0, 600, Ok(())),
            (10_000, 400, Ok(())),
            (20_000, 1, Err((Period::Hour, HOUR_MS - 20_000))),
            (HOUR_MS, 500, Ok(())),
            (HOUR_MS + 1, 1, Err((Period::Day, DAY_MS - HOUR_MS - 1))),
            (DAY_MS + 10_000, 1_000, Ok(())),
        ];
        for (now, taka, want) in rows {
            assert_eq!(
                b.reserve(t(taka), now)
                    .map_err(|c| (c.period, c.retry_after_ms)),
                want,
                "{taka} at {now}"
            );
        }
    }

    #[test]
    fn a_clock_set_back_waits_at_most_the_window() {
        let mut b = Budget::new(Some(Amount::from_taka(100)), None);
        let late = 30 * DAY_MS;
        assert_eq!(b.reserve(Amount::from_taka(100), late), Ok(()));
        let c = b.reserve(Amount::from_taka(1), 0).unwrap_err();
        assert_eq!((c.period, c.retry_after_ms), (Period::Hour, HOUR_MS));
    }

    #[test]
    fn no_ceiling_counts_nothing() {
        let mut b = Budget::default();
        for i in 0..100_000 {
            assert_eq!(b.reserve(Amount::from_taka(1_000_000), i), Ok(()));
        }
        assert!(b.spent.is_empty());
    }

    #[test]
    fn one_paisa_over_is_refused() {
        let mut b = Budget::new(Some(Amount::from_paisa(10_000)), None);
        assert_eq!(b.reserve(Amount::from_paisa(9_999), 0), Ok(()));
        assert!(b.reserve(Amount::from_paisa(2), 1).is_err());
        assert_eq!(b.reserve(Amount::from_paisa(1), 2), Ok(()));
    }

    #[test]
    fn a_refused_payment_gives_its_reservation_back_and_only_its_own() {
        let mut b = Budget::new(Some(Amount::from_taka(1_000)), None);
        let t = |taka| Amount::from_taka(taka);
        assert_eq!(b.reserve(t(600), 0), Ok(()));
        // Replays of the same payment, each refused upstream as a duplicate.
        for now in 1..4 {
            assert!(b.reserve(t(600), now).is_err(), "600 more does not fit");
            assert_eq!(b.reserve(t(300), now), Ok(()));
            b.release(t(300));
        }
        assert_eq!(
            b.reserve(t(400), 10),
            Ok(()),
            "the ceiling is whole: 600 + 400"
        );
        // A release of an amount never reserved gives nothing back.
        b.release(t(5));
        assert!(b.reserve(t(1), 11).is_err());
    }

    #[test]
    fn seeded_spends_count_until_they_leave_the_window() {
        let mut b = Budget::new(Some(Amount::from_taka(100)), None);
        b.seed(Amount::from_taka(60), 0);
        b.seed(Amount::from_taka(40), 1_000);
        assert!(b.reserve(Amount::from_taka(1), 2_000).is_err());
        assert_eq!(b.reserve(Amount::from_taka(60), HOUR_MS), Ok(()));
        // Without a ceiling, nothing is kept.
        let mut free = Budget::default();
        free.seed(Amount::from_taka(60), 0);
        assert!(free.spent.is_empty());
    }
}
