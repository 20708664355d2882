//! Forwards between the decision and the upstream's answer, held here by
//! number: the Worker's JavaScript sends the upstream request itself and
//! carries back only the number, never the context the answer is checked
//! against (the operation, the origin, the `trx_id` a status read must show).

/// The most forwards one proxy holds at once; past it a request is refused
/// (`proxy_busy`), so a Worker that never came back cannot grow it for ever.
pub const MAX_IN_FLIGHT: usize = 4096;

/// Items by number, in the order they came. Numbers are not reused until
/// `u32` wraps, so a number taken once is gone.
#[derive(Debug)]
pub struct InFlight<T> {
    items: Vec<(u32, T)>,
    next: u32,
}

impl<T> Default for InFlight<T> {
    fn default() -> Self {
        InFlight {
            items: Vec::new(),
            next: 1,
        }
    }
}

impl<T> InFlight<T> {
    /// Holds `item` under a fresh number; `None` when [`MAX_IN_FLIGHT`] are held.
    pub fn hold(&mut self, item: T) -> Option<u32> {
        if self.items.len() >= MAX_IN_FLIGHT {
            return None;
        }
        let id = self.next;
        self.next = self.next.wrapping_add(1).max(1);
        self.items.push((id, item));
        Some(id)
    }

    /// The item held under `id`, no longer held; `None` when there is none.
    pub fn take(&mut self, id: u32) -> Option<T> {
        let at = self.items.iter().position(|(i, _)| *i == id)?;
        Some(self.items.swap_remove(at).1)
    }

    /// The item held under `id`, still held.
    pub fn get(&self, id: u32) -> Option<&T> {
        self.items.iter().find(|(i, _)| *i == id).map(|(_, t)| t)
    }

    /// The item held under `id`, still held, to change.
    pub fn get_mut(&mut self, id: u32) -> Option<&mut T> {
        self.items
            .iter_mut()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| t)
    }

    /// Whether any item held is one `pred` accepts.
    pub fn any(&self, pred: impl Fn(&T) -> bool) -> bool {
        self.items.iter().any(|(_, t)| pred(t))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_is_taken_once_by_its_own_number() {
        let mut f = InFlight::default();
        let a = f.hold("a").unwrap();
        let b = f.hold("b").unwrap();
        assert_ne!(a, b);
        assert_eq!(f.get(b), Some(&"b"));
        assert_eq!(f.take(a), Some("a"));
        assert_eq!(f.take(a), None, "taken once");
        assert_eq!(f.take(b), Some("b"));
        assert!(f.is_empty());
        assert_eq!(f.take(0), None);
        assert_eq!(f.take(12345), None);
    }

    #[test]
    fn numbers_are_not_reused_and_the_count_is_bounded() {
        let mut f = InFlight::default();
        let first = f.hold(0usize).unwrap();
        f.take(first);
        assert_ne!(
            f.hold(1).unwrap(),
            first,
            "a number taken is not given again"
        );
        for i in f.len()..MAX_IN_FLIGHT {
            assert!(f.hold(i).is_some());
        }
        assert_eq!(f.len(), MAX_IN_FLIGHT);
        assert_eq!(f.hold(0), None, "full: refused, not grown");
        assert_eq!(f.len(), MAX_IN_FLIGHT);
    }

    #[test]
    fn the_number_skips_zero_when_it_wraps() {
        let mut f = InFlight {
            items: Vec::new(),
            next: u32::MAX,
        };
        assert_eq!(f.hold(()), Some(u32::MAX));
        assert_eq!(f.hold(()), Some(1));
    }
}
