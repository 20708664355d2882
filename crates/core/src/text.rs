//! Small text helpers shared by the parsers: digits in either script and
//! integer formatting without pulling `core::fmt` into the wasm.

use crate::prelude::*;

pub use bdpay_numbering::digit_value;

/// `s` with Bengali digits replaced by ASCII ones; other characters kept.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match digit_value(c) {
            Some(d) => char::from(b'0' + d),
            None => c,
        })
        .collect()
}

/// The parts one after the other, as `parts.concat()` gives them, but by
/// `push_str`: `concat` and `join` bring `join_generic_copy` (about 1 KB of
/// wasm, and a panic message) into every entry.
pub fn cat(parts: &[&str]) -> String {
    joined(parts, "")
}

/// The items with `sep` between them, as `items.join(sep)` gives them.
pub fn joined(items: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

/// How many characters `s` has, as `s.chars().count()` says, by counting
/// the bytes that start one: smaller in the wasm than `chars().count()`.
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// `n` in decimal.
pub fn decimal(n: u64) -> String {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    buf.get(i..)
        .map(|d| d.iter().map(|&b| char::from(b)).collect())
        .unwrap_or_default()
}

/// `s` with ASCII digits written as Bengali digits.
pub fn bengali_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x09E6 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Decimal digits with separators: thousands (`"1,234,567"`) or, with
/// `lakh`, the Indian and Bangladeshi grouping (`"12,34,567"`: the last
/// three digits, then pairs). Anything that is not all ASCII digits is
/// returned as it is.
pub fn grouped(digits: &str, lakh: bool) -> String {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_owned();
    }
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 2);
    let step = if lakh { 2 } else { 3 };
    for (i, c) in digits.chars().enumerate() {
        let left = n - i;
        if i > 0 && left >= 3 && (left - 3) % step == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The lowercase hex digit of the low four bits of `n`.
pub fn hex_digit(n: u32) -> char {
    char::from_digit(n & 0xf, 16).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_in_both_scripts() {
        assert_eq!(ascii_digits("০১৭১১-২৩৪৫৬৭"), "01711-234567");
        assert_eq!(digit_value('৯'), Some(9));
        assert_eq!(digit_value('٣'), None, "Arabic-Indic three is a look-alike");
        assert_eq!(digit_value('３'), None, "full-width three is a look-alike");
        assert_eq!(bengali_digits("৳1,050.25"), "৳১,০৫০.২৫");
    }

    #[test]
    fn groups_by_thousands_or_by_lakh() {
        let rows = [
            ("0", "0", "0"),
            ("999", "999", "999"),
            ("1000", "1,000", "1,000"),
            ("86400", "86,400", "86,400"),
            ("200000", "200,000", "2,00,000"),
            ("1234567", "1,234,567", "12,34,567"),
            ("100000000", "100,000,000", "10,00,00,000"),
            ("12a", "12a", "12a"),
        ];
        for (digits, thousands, lakh) in rows {
            assert_eq!(
                (
                    grouped(digits, false).as_str(),
                    grouped(digits, true).as_str()
                ),
                (thousands, lakh),
                "{digits}"
            );
        }
    }

    #[test]
    fn cat_joined_and_char_count_match_std() {
        for parts in [
            &[][..],
            &[""],
            &["a"],
            &["৳", "1,000", ".", "00"],
            &["", "x", ""],
        ] {
            assert_eq!(cat(parts), parts.concat());
            for sep in ["", ", ", " বা "] {
                assert_eq!(joined(parts, sep), parts.join(sep));
            }
        }
        for s in ["", "abc", "০১৭১১", "a\u{1F600}b", "\u{0}é"] {
            assert_eq!(char_count(s), s.chars().count(), "{s}");
        }
    }

    #[test]
    fn decimal_formats_every_magnitude() {
        for n in [0u64, 7, 10, 999, 1_000_000, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
