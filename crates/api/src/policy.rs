//! Retry decisions, backoff and client-side rate limiting as plain state
//! machines over values: time comes in as `now_ms`, randomness as a `u32`.
//! Nothing here sleeps; the client asks how long to wait and waits.

use alloc::collections::VecDeque;

use crate::error::{ApiError, ErrorKind};

/// How often and how patiently idempotent reads are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_ms: u64,
    pub max_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            base_ms: 300,
            max_ms: 10_000,
        }
    }
}

/// Whether a failed read says nothing of what was asked, so the same read
/// may answer later: a timeout, a dropped connection, a rate limit, a 5xx.
pub fn is_transient(e: &ApiError) -> bool {
    matches!(
        e.kind,
        ErrorKind::Timeout | ErrorKind::Network | ErrorKind::RateLimited | ErrorKind::Server
    )
}

impl RetryPolicy {
    /// Whether a failed read is worth another attempt. Never used for
    /// `/request` or `execute`: those are reconciled, not resent.
    pub fn should_retry(&self, e: &ApiError, attempt: u32) -> bool {
        attempt < self.max_retries && is_transient(e)
    }

    /// The wait before retry number `attempt + 1`: `Retry-After` when the
    /// server gave one, else exponential backoff with half of it jittered.
    pub fn backoff_ms(&self, attempt: u32, retry_after_ms: Option<u64>, random: u32) -> u64 {
        if let Some(ms) = retry_after_ms {
            // A server asking for more than two minutes is capped there.
            return ms.min(self.max_ms.max(120_000));
        }
        let exp = self
            .base_ms
            .saturating_mul(1u64 << attempt.min(20))
            .min(self.max_ms);
        let half = exp / 2;
        half + u64::from(random) % (half + 1)
    }
}

/// A sliding-window limiter: at most `limit` calls in any `period_ms`, and
/// none before a `Retry-After` pause ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub limit: u32,
    pub period_ms: u64,
    sent: VecDeque<u64>,
    paused_until: u64,
    /// The pause asked last, so a clock set back never stretches it.
    pause_ms: u64,
}

impl Window {
    pub fn per_minute(limit: u32) -> Window {
        Window::new(limit, 60_000)
    }

    pub fn new(limit: u32, period_ms: u64) -> Window {
        Window {
            limit,
            period_ms,
            sent: VecDeque::new(),
            paused_until: 0,
            pause_ms: 0,
        }
    }

    /// How long to wait before a call may go out; 0 means now. Never more
    /// than the period (or the pause asked), even when `now` is earlier than
    /// a call already counted: a clock set back must not turn a minute's
    /// wait into days.
    pub fn wait_ms(&mut self, now: u64) -> u64 {
        while self
            .sent
            .front()
            .is_some_and(|&t| t.saturating_add(self.period_ms) <= now)
        {
            self.sent.pop_front();
        }
        if self.paused_until > now {
            return (self.paused_until - now).min(self.pause_ms);
        }
        if (self.sent.len() as u64) < u64::from(self.limit) {
            return 0;
        }
        self.sent
            .front()
            .map_or(0, |&t| t.saturating_add(self.period_ms).saturating_sub(now))
            .min(self.period_ms)
    }

    /// Records a call sent at `now`.
    pub fn record(&mut self, now: u64) {
        self.sent.push_back(now);
    }

    /// Holds every call until `now + ms` (a 429's `Retry-After`).
    pub fn pause(&mut self, now: u64, ms: u64) {
        let until = now.saturating_add(ms);
        if until > self.paused_until {
            (self.paused_until, self.pause_ms) = (until, ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn reads_retry_only_transient_failures_within_budget() {
        let p = RetryPolicy::default();
        let e = |k| ApiError::of_kind(k, 0);
        for (kind, retry) in [
            (ErrorKind::Timeout, true),
            (ErrorKind::Network, true),
            (ErrorKind::RateLimited, true),
            (ErrorKind::Server, true),
            (ErrorKind::Validation, false),
            (ErrorKind::Unauthorized, false),
            (ErrorKind::NotFound, false),
            (ErrorKind::BadResponse, false),
        ] {
            assert_eq!(p.should_retry(&e(kind), 0), retry, "{kind:?}");
        }
        assert!(!p.should_retry(&e(ErrorKind::Timeout), 2), "budget spent");
    }

    #[test]
    fn backoff_grows_is_jittered_and_honours_retry_after() {
        let p = RetryPolicy {
            max_retries: 5,
            base_ms: 100,
            max_ms: 1000,
        };
        assert_eq!(
            (p.backoff_ms(0, None, 0), p.backoff_ms(0, None, u32::MAX)),
            (50, 50 + u64::from(u32::MAX) % 51)
        );
        assert_eq!(p.backoff_ms(3, None, 0), 400);
        assert_eq!(p.backoff_ms(10, None, 0), 500, "capped at max_ms");
        assert_eq!(
            p.backoff_ms(0, Some(3000), 7),
            3000,
            "Retry-After wins over the cap"
        );
    }

    #[test]
    fn window_keeps_a_burst_under_the_limit() {
        let mut w = Window::per_minute(30);
        let mut now = 1_000;
        let mut sent_at = Vec::new();
        // A caller sending 90 calls as fast as the window allows.
        while sent_at.len() < 90 {
            match w.wait_ms(now) {
                0 => {
                    w.record(now);
                    sent_at.push(now);
                }
                ms => now += ms,
            }
        }
        for (i, &t) in sent_at.iter().enumerate() {
            let in_last_minute = sent_at[..=i].iter().filter(|&&s| s + 60_000 > t).count();
            assert!(
                in_last_minute <= 30,
                "call {i} at {t}: {in_last_minute} in a minute"
            );
        }
        assert_eq!(sent_at[30], 61_000);
        assert_eq!(sent_at[89], 1_000 + 2 * 60_000);
    }

    #[test]
    fn pause_holds_calls_until_retry_after_ends() {
        let mut w = Window::per_minute(60);
        w.pause(5_000, 2_000);
        assert_eq!(w.wait_ms(5_500), 1_500);
        assert_eq!(w.wait_ms(7_000), 0);
    }

    #[test]
    fn a_clock_set_back_waits_no_longer_than_the_period_or_pause() {
        let mut w = Window::per_minute(1);
        w.record(900_000_000);
        assert_eq!(w.wait_ms(900_001_000), 59_000);
        assert_eq!(w.wait_ms(0), 60_000, "not the 900,060 s to the old time");
        let mut w = Window::per_minute(60);
        w.pause(900_000_000, 2_000);
        assert_eq!(w.wait_ms(0), 2_000);
    }
}
