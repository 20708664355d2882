//! Per-client call limits of the proxy, bounded in memory.
//!
//! When the table is full it forgets only clients that have made no call
//! within the window (they hold no state worth keeping), oldest first; when
//! every tracked client is still active it refuses the newcomer (fails
//! closed). It must never reset a live client's window: a flood of fresh
//! client keys would otherwise wipe an attacker's own count.

use std::collections::{BTreeSet, HashMap};

use bdpay_api::policy::Window;

/// How many clients the table holds at most.
pub const MAX_CLIENTS: usize = 10_000;
const PERIOD_MS: u64 = 60_000;

struct Entry {
    reads: Window,
    payments: Window,
    last_seen: u64,
}

/// Why a call may not go now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The client is over its own limit: wait this long.
    OverLimit { wait_ms: u64 },
    /// The table is full of active clients: wait this long, when the
    /// oldest of them falls idle.
    Full { wait_ms: u64 },
}

pub struct Limiter {
    per_minute: (u32, u32),
    capacity: usize,
    clients: HashMap<String, Entry>,
    /// `(last_seen, client)`, so the least recently seen comes first.
    by_age: BTreeSet<(u64, String)>,
}

impl Limiter {
    /// `per_minute` is `(reads, payments)` per client.
    pub fn new(per_minute: (u32, u32)) -> Limiter {
        Limiter::with_capacity(per_minute, MAX_CLIENTS)
    }

    pub fn with_capacity(per_minute: (u32, u32), capacity: usize) -> Limiter {
        Limiter {
            per_minute,
            capacity: capacity.max(1),
            clients: HashMap::new(),
            by_age: BTreeSet::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// Counts a call of `client` at `now` (ms), a payment or a read.
    pub fn check(&mut self, client: &str, payment: bool, now: u64) -> Result<(), Refused> {
        if !self.clients.contains_key(client) {
            self.make_room(now)?;
        }
        let (reads, pays) = self.per_minute;
        let entry = self
            .clients
            .entry(client.to_owned())
            .or_insert_with(|| Entry {
                reads: Window::per_minute(reads),
                payments: Window::per_minute(pays),
                last_seen: now,
            });
        self.by_age.remove(&(entry.last_seen, client.to_owned()));
        entry.last_seen = entry.last_seen.max(now);
        self.by_age.insert((entry.last_seen, client.to_owned()));
        let w = if payment {
            &mut entry.payments
        } else {
            &mut entry.reads
        };
        match w.wait_ms(now) {
            0 => {
                w.record(now);
                Ok(())
            }
            wait_ms => Err(Refused::OverLimit { wait_ms }),
        }
    }

    /// Frees one slot if the table is full, by forgetting the least recently
    /// seen client when it is idle; refuses when every tracked client is active.
    fn make_room(&mut self, now: u64) -> Result<(), Refused> {
        if self.clients.len() < self.capacity {
            return Ok(());
        }
        let Some((seen, client)) = self.by_age.first().cloned() else {
            return Ok(());
        };
        let idle_at = seen.saturating_add(PERIOD_MS);
        if idle_at > now {
            // At most the window, also when the clock was set back.
            return Err(Refused::Full {
                wait_ms: (idle_at - now).min(PERIOD_MS),
            });
        }
        self.by_age.remove(&(seen, client.clone()));
        self.clients.remove(&client);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_fresh_clients_never_resets_a_live_window() {
        let mut l = Limiter::with_capacity((60, 2), 100);
        assert_eq!(l.check("attacker", true, 0), Ok(()));
        assert_eq!(l.check("attacker", true, 1), Ok(()));
        assert!(matches!(
            l.check("attacker", true, 2),
            Err(Refused::OverLimit { .. })
        ));
        // 20,000 fresh keys within the minute: the table fills, then refuses.
        let mut full = 0;
        for i in 0..20_000u64 {
            if let Err(Refused::Full { .. }) = l.check(&i.to_string(), false, 3 + i / 1000) {
                full += 1;
            }
        }
        assert_eq!(full, 20_000 - 99);
        assert!(l.len() <= 100);
        assert!(
            matches!(
                l.check("attacker", true, 30),
                Err(Refused::OverLimit { .. })
            ),
            "the attacker's window is intact"
        );
    }

    #[test]
    fn idle_clients_are_forgotten_oldest_first() {
        let mut l = Limiter::with_capacity((1, 1), 2);
        assert_eq!(l.check("a", false, 0), Ok(()));
        assert_eq!(l.check("b", false, 30_000), Ok(()));
        assert_eq!(
            l.check("c", false, 40_000),
            Err(Refused::Full { wait_ms: 20_000 })
        );
        // At 60 s `a` is idle and goes; `b` stays with its window.
        assert_eq!(l.check("c", false, 60_000), Ok(()));
        assert!(matches!(
            l.check("b", false, 60_000),
            Err(Refused::OverLimit { .. })
        ));
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn reads_and_payments_have_their_own_windows() {
        let mut l = Limiter::new((1, 1));
        assert_eq!(l.check("a", true, 0), Ok(()));
        assert_eq!(l.check("a", false, 0), Ok(()));
        assert_eq!(
            l.check("a", true, 1_000),
            Err(Refused::OverLimit { wait_ms: 59_000 })
        );
    }

    #[test]
    fn a_clock_set_back_waits_at_most_the_window() {
        let mut l = Limiter::with_capacity((1, 1), 1);
        let late = 739_086_000;
        assert_eq!(l.check("a", true, late), Ok(()));
        assert_eq!(
            l.check("a", true, 0),
            Err(Refused::OverLimit { wait_ms: PERIOD_MS })
        );
        assert_eq!(
            l.check("b", false, 0),
            Err(Refused::Full { wait_ms: PERIOD_MS })
        );
    }
}
