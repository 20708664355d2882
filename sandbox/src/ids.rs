//! Identifiers the sandbox hands out: account tokens, wallet request ids
//! (UUID-shaped) and gateway transaction ids (`TRX` + digits).
//!
//! They only need to be unique within one run and hard to guess by accident;
//! nothing here is a secret worth a cryptographic generator.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A bearer token. It never prints: `Debug` shows `Token(***)` and there is
/// no `Display`, so a log line or an error cannot carry one by mistake.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token(String);

impl Token {
    pub fn new(text: &str) -> Token {
        Token(text.to_owned())
    }

    /// The token's text, for comparing with what a request carries.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// A splitmix64 stream seeded from the process's random hasher keys.
pub struct Ids {
    state: u64,
}

impl Default for Ids {
    fn default() -> Ids {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_nanos()));
        Ids { state: h.finish() }
    }
}

impl Ids {
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A fresh account token: `sbx_` and 32 hex digits.
    pub fn token(&mut self) -> Token {
        Token(format!(
            "sbx_{:016x}{:016x}",
            self.next_u64(),
            self.next_u64()
        ))
    }

    /// A random (version 4 shaped) UUID, as the wallet uses for request ids.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// `TRX` + the Dhaka date + a run-wide sequence of at least seven digits,
/// like the reference's `TRX202604281234001`.
pub fn trx_id(date: &str, seq: u64) -> String {
    format!("TRX{date}{seq:07}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_documented_shapes() {
        let mut ids = Ids::default();
        let u = ids.uuid();
        let groups: Vec<usize> = u.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{u}");
        assert!(u.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_eq!(u.chars().nth(14), Some('4'));
        assert!(matches!(u.chars().nth(19), Some('8' | '9' | 'a' | 'b')));
        let t = ids.token();
        assert!(t.expose().starts_with("sbx_") && t.expose().len() == 36);
        assert_ne!(ids.token(), t);
        assert_eq!(trx_id("20260428", 42), "TRX202604280000042");
    }

    #[test]
    fn tokens_never_print() {
        assert_eq!(format!("{:?}", Token::new("secret")), "Token(***)");
    }
}
