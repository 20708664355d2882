//! Bangladeshi mobile and wallet numbers: from what a person types to the
//! canonical national form `01XXXXXXXXX`.
//!
//! Accepted: ASCII or Bengali digits, `+880`/`880`/`00880` in front, and
//! spaces, tabs, dashes, dots and brackets anywhere. Anything else (letters,
//! look-alike digits, zero-width or direction marks) is refused, not stripped.

use crate::prelude::*;

use crate::operators::Registry;

pub use bdpay_numbering::MAX_INPUT_CHARS;

use bdpay_numbering::{digits_of, national};

/// The canonical 11-digit form of a mobile number on a live prefix of `registry`.
///
/// ```
/// use bdpay_core::{operators::Registry, phone::normalize_phone};
/// let r = Registry::default();
/// assert_eq!(normalize_phone("+880 1712-345678", &r).as_deref(), Some("01712345678"));
/// assert_eq!(normalize_phone("০১৭১২৩৪৫৬৭৮", &r).as_deref(), Some("01712345678"));
/// assert_eq!(normalize_phone("01112345678", &r), None); // 011 is dead
/// ```
pub fn normalize_phone(input: &str, registry: &Registry) -> Option<String> {
    let n = national_of(input)?;
    registry.prefix_index_of([n[0], n[1], n[2]])?;
    Some(ascii_text(&n))
}

/// The national number in `input`, whatever its prefix. Not inlined: its
/// two callers share one copy in the wasm.
#[inline(never)]
fn national_of(input: &str) -> Option<[u8; 11]> {
    national(&digits_of(input)?)
}

/// The prefix of a whole national number (11 digits, `01X`, in any form
/// [`normalize_phone`] reads) that no operator of `registry` uses: what a
/// number [`normalize_phone`] refused for its prefix alone was refused for.
///
/// ```
/// use bdpay_core::{operators::Registry, phone::unused_prefix};
/// let r = Registry::default();
/// assert_eq!(unused_prefix("+880 1112-345678", &r).as_deref(), Some("011"));
/// assert_eq!(unused_prefix("01712345678", &r), None); // live
/// assert_eq!(unused_prefix("0111234567", &r), None); // too short: another mistake
/// ```
pub fn unused_prefix(input: &str, registry: &Registry) -> Option<String> {
    let n = national_of(input)?;
    let prefix = [n[0], n[1], n[2]];
    registry
        .prefix_index_of(prefix)
        .is_none()
        .then(|| ascii_text(&prefix))
}

/// ASCII bytes as text, without `from_utf8`'s check (its code is the size
/// of this module's in the wasm).
fn ascii_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A live mobile number as the fast paths carry it: no text, two integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The canonical number's last nine digits (`01` + these, zero-padded, is the number).
    pub last_nine: u32,
    /// Its prefix's [`Registry::prefix_index`].
    pub prefix: usize,
}

impl Checked {
    /// The canonical form, `01XXXXXXXXX`.
    pub fn canonical(self) -> String {
        let mut out = String::with_capacity(11);
        out.push_str("01");
        let mut digits = [b'0'; 9];
        let mut n = self.last_nine;
        for d in digits.iter_mut().rev() {
            // `n % 10` is below 10, so the cast cannot truncate.
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out.extend(digits.iter().map(|&d| char::from(d)));
        out
    }
}

/// [`normalize_phone`] without building the number's text: the same numbers
/// are accepted, and `Some(c)` gives `c.canonical()` equal to what it returns.
pub fn check_phone(input: &str, registry: &Registry) -> Option<Checked> {
    checked(&digits_of(input)?, registry)
}

/// [`check_phone`] over a JS string's UTF-16 code units.
///
/// One pass over the units with no buffer (`last_nine_of_units`); the
/// property tests hold it to [`check_phone`] on the same text.
pub fn check_phone_units(units: &[u16], registry: &Registry) -> Option<Checked> {
    let last_nine = bdpay_numbering::last_nine_of_units(units)?;
    // The national number is `01` and the nine: its prefix is `01` and their first.
    let third = u8::try_from(last_nine / 100_000_000).ok()?;
    let prefix = registry.prefix_index_of([b'0', b'1', b'0' + third])?;
    Some(Checked { last_nine, prefix })
}

fn checked(digits: &bdpay_numbering::Digits, registry: &Registry) -> Option<Checked> {
    let n = national(digits)?;
    let prefix = registry.prefix_index_of([n[0], n[1], n[2]])?;
    Some(Checked {
        last_nine: bdpay_numbering::last_nine(&n),
        prefix,
    })
}

/// The first three national digits (`"017"`) of a mobile number still being
/// typed, once there are enough of them: `"0171"`, `"+88017"` and `"০১৩"`
/// qualify; a complete number does too. `None` for anything that cannot
/// become a Bangladeshi mobile number (letters, a foreign code, too long).
///
/// ```
/// use bdpay_core::phone::typed_prefix;
/// assert_eq!(typed_prefix("+880 171").as_deref(), Some("017"));
/// assert_eq!(typed_prefix("01"), None);
/// ```
pub fn typed_prefix(input: &str) -> Option<String> {
    typed_prefix_of(&digits_of(input)?).map(|p| ascii_text(&p))
}

/// [`typed_prefix`] over a JS string's UTF-16 code units, as ASCII digits.
pub fn typed_prefix_units(units: &[u16]) -> Option<[u8; 3]> {
    typed_prefix_of(&bdpay_numbering::digits_of_units(units)?)
}

fn typed_prefix_of(found: &bdpay_numbering::Digits) -> Option<[u8; 3]> {
    let (digits, plus) = (found.as_bytes(), found.plus);
    // The national number typed so far: a `0` (`zero`) before what follows
    // the country code, or the digits as typed.
    let (zero, rest) = match strip(digits, b"00880").or_else(|| strip(digits, b"880")) {
        Some(rest) if rest.starts_with(b"1") => (1, rest),
        Some(_) => return None,
        None if !plus && digits.starts_with(b"01") => (0, digits),
        None => return None,
    };
    if !(3..=11).contains(&(zero + rest.len())) {
        return None;
    }
    match (zero, rest) {
        (1, [a, b, ..]) => Some([b'0', *a, *b]),
        (0, [z, a, b, ..]) => Some([*z, *a, *b]),
        _ => None,
    }
}

/// `digits` after `prefix`, if they start with it: `<[u8]>::strip_prefix`
/// without its `split_at` (a panic path in the wasm).
fn strip<'a>(digits: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    if digits.starts_with(prefix) {
        digits.get(prefix.len()..)
    } else {
        None
    }
}

/// The canonical wallet number for a wallet operator that accepts `lengths`
/// digits: the mobile number, or for Rocket also the 12-digit account (the
/// mobile number and one check digit, whose rule is not public, so not checked).
///
/// ```
/// use bdpay_core::{operators::Registry, phone::normalize_wallet};
/// let r = Registry::default();
/// assert_eq!(normalize_wallet("017-1234-5678-9", &[11, 12], &r).as_deref(), Some("017123456789"));
/// assert_eq!(normalize_wallet("017123456789", &[11], &r), None);
/// ```
pub fn normalize_wallet(input: &str, lengths: &[u8], registry: &Registry) -> Option<String> {
    // `iter().any`, not `contains`: a slice of bytes' `contains` is memchr
    // (about 400 bytes of wasm for a list of one or two lengths).
    #[allow(clippy::manual_contains)]
    let allows = |n: u8| lengths.iter().any(|&l| l == n);
    if let Some(n) = normalize_phone(input, registry) {
        return (lengths.is_empty() || allows(11)).then_some(n);
    }
    let found = digits_of(input)?;
    let (digits, plus) = (found.as_bytes(), found.plus);
    if plus || !allows(12) || digits.len() != 12 {
        return None;
    }
    let mut wallet = normalize_phone(&ascii_text(digits.get(..11)?), registry)?;
    wallet.push(char::from(*digits.get(11)?));
    Some(wallet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_the_ways_people_write_numbers() {
        let r = Registry::default();
        let rows: &[(&str, Option<&str>)] = &[
            ("01712345678", Some("01712345678")),
            ("+8801712345678", Some("01712345678")),
            ("8801712345678", Some("01712345678")),
            ("008801712345678", Some("01712345678")),
            ("0088 01712345678", Some("01712345678")),
            ("+88 017-1234-5678", Some("01712345678")),
            ("  (017) 12.34.56.78 ", Some("01712345678")),
            ("০১৩১২৩৪৫৬৭৮", Some("01312345678")),
            ("+৮৮০১৯১২৩৪৫৬৭৮", Some("01912345678")),
            ("\t01512345678", Some("01512345678")),
            // Wrong length.
            ("0171234567", None),
            ("017123456789", None),
            ("+880171234567", None),
            ("+88017123456789", None),
            // Dead or unallocated prefixes, and a third digit that is no prefix at all.
            ("01012345678", None),
            ("01112345678", None),
            ("01212345678", None),
            ("02712345678", None),
            // Not national without a country code, or a foreign one.
            ("1712345678", None),
            ("+01712345678", None),
            ("+1 212 555 0100", None),
            // Letters, look-alikes, invisible marks.
            ("0171234567a", None),
            ("O1712345678", None),
            ("٠١٧١٢٣٤٥٦٧٨", None),
            ("０１７１２３４５６７８", None),
            ("0171\u{200B}2345678", None),
            ("\u{200F}01712345678", None),
            ("01712345678\u{202E}", None),
            ("", None),
            ("+", None),
            ("++8801712345678", None),
            ("017 1234 5678                                     ", None),
        ];
        for (input, want) in rows {
            assert_eq!(normalize_phone(input, &r).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn unused_prefixes_are_told_apart_from_other_mistakes() {
        let r = Registry::default();
        let rows: &[(&str, Option<&str>)] = &[
            ("01012345678", Some("010")),
            ("০১১১২৩৪৫৬৭৮", Some("011")),
            ("+880 1212-345678", Some("012")),
            ("0088 01112345678", Some("011")),
            ("01712345678", None),
            ("0111234567", None),
            ("011123456789", None),
            ("02712345678", None),
            ("+01112345678", None),
            ("0111234567a", None),
        ];
        for (input, want) in rows {
            assert_eq!(unused_prefix(input, &r).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn prefixes_of_numbers_being_typed() {
        let rows: &[(&str, Option<&str>)] = &[
            ("013", Some("013")),
            ("0171", Some("017")),
            ("০১৯১", Some("019")),
            ("+88016", Some("016")),
            ("008801", None),
            ("0088018", Some("018")),
            ("01712345678", Some("017")),
            ("017123456789", None),
            ("01", None),
            ("+1 212", None),
            ("017a", None),
        ];
        for (input, want) in rows {
            assert_eq!(typed_prefix(input).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn rocket_accepts_12_digit_account() {
        let r = Registry::default();
        assert_eq!(
            normalize_wallet("017123456789", &[11, 12], &r).as_deref(),
            Some("017123456789")
        );
        assert_eq!(
            normalize_wallet("+8801712345678", &[11, 12], &r).as_deref(),
            Some("01712345678")
        );
        assert_eq!(
            normalize_wallet("+88017123456789", &[11, 12], &r),
            None,
            "12-digit accounts have no country code"
        );
        assert_eq!(
            normalize_wallet("011123456789", &[11, 12], &r),
            None,
            "dead prefix"
        );
        assert_eq!(
            normalize_wallet("0171234567890", &[11, 12], &r),
            None,
            "13 digits"
        );
        assert_eq!(
            normalize_wallet("017123456789", &[11], &r),
            None,
            "bKash wallets are 11 digits"
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    /// What `digits_of` must do, written plainly: at most 40 characters;
    /// spaces and tabs trimmed; one `+` first; then digits (ASCII or Bengali)
    /// and separators only.
    fn reference_digits(input: &str) -> Option<(String, bool)> {
        if input.chars().count() > MAX_INPUT_CHARS {
            return None;
        }
        let trimmed = input.trim_matches([' ', '\t']);
        let (plus, body) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::new();
        for c in body.chars() {
            match crate::text::digit_value(c) {
                Some(d) => digits.push(char::from(b'0' + d)),
                None if matches!(c, ' ' | '\t' | '-' | '.' | '(' | ')') => {}
                None => return None,
            }
        }
        Some((digits, plus))
    }

    /// Units the reader treats apart: digits of both scripts and their
    /// neighbours, separators, `+`, a line break, lone surrogates, look-alikes.
    const UNITS: [u16; 26] = [
        0x30, 0x31, 0x33, 0x37, 0x38, 0x39, 0x09E6, 0x09E7, 0x09EE, 0x09EF, 0x09E5, 0x09F0, 0x20,
        0x09, 0x2D, 0x2E, 0x28, 0x29, 0x2B, 0x2F, 0x3A, 0x0A, 0xD800, 0xDC00, 0xFF10, 0x0660,
    ];

    proptest! {
        #[test]
        fn a_strings_utf16_units_check_as_its_text_does(s in "[0-9০-৯+ ()\\-.\u{1F600}a]{0,44}|\\PC{0,50}|[ \t]{0,2}\\+?[ +]?(00)?(88)?[-. ]?0?1[0-9০-৯]{0,3}[-. ()\t]?[0-9০-৯]{0,8}[0-9a+]?") {
            let r = Registry::default();
            let units: Vec<u16> = s.encode_utf16().collect();
            prop_assert_eq!(check_phone_units(&units, &r), check_phone(&s, &r));
        }

        #[test]
        fn any_units_check_as_the_digit_reader_reads_them(units in prop_oneof![
            proptest::collection::vec(proptest::sample::select(UNITS.to_vec()), 0..44),
            // A number in one of its forms, with one unit put in or changed.
            (proptest::sample::select(vec!["", "+", " +880", "880", "00880", "+00880", "(+88)"]), 3u8..=9, "[0-9০-৯]{8}",
                any::<proptest::sample::Index>(), proptest::sample::select(UNITS.to_vec()), any::<bool>())
                .prop_map(|(front, third, rest, at, unit, replace)| {
                    let mut u: Vec<u16> = [front, "01", &third.to_string(), &rest].concat().encode_utf16().collect();
                    let i = at.index(u.len() + 1);
                    if replace && i < u.len() { u[i] = unit } else { u.insert(i, unit) }
                    u
                }),
        ]) {
            // The one-pass reader against the general one, on any units
            // (lone surrogates too), with digits common enough to make numbers.
            let r = Registry::default();
            let general = bdpay_numbering::digits_of_units(&units).and_then(|d| checked(&d, &r));
            prop_assert_eq!(check_phone_units(&units, &r), general);
        }

        #[test]
        fn a_strings_utf16_units_give_its_typed_prefix(s in "(\\+|00)?(880)?[0-9০-৯ \\-]{0,14}|\\PC{0,20}") {
            let units: Vec<u16> = s.encode_utf16().collect();
            let got = typed_prefix_units(&units).map(|p| ascii_text(&p));
            prop_assert_eq!(got, typed_prefix(&s));
        }

        #[test]
        fn never_panics_and_output_is_canonical(s in "\\PC{0,50}") {
            let r = Registry::default();
            if let Some(n) = normalize_phone(&s, &r) {
                prop_assert_eq!(n.len(), 11);
                prop_assert!(n.bytes().all(|b| b.is_ascii_digit()) && n.starts_with("01"));
                prop_assert_eq!(normalize_phone(&n, &r), Some(n.clone()));
            }
            let _ = normalize_wallet(&s, &[11, 12], &r);
        }

        #[test]
        fn digits_are_read_as_the_plain_definition_reads_them(s in "[ \t]{0,2}\\+?[-. ()\t0-9০-৯a+]{0,14}|\\PC{0,45}") {
            let fast = digits_of(&s).map(|d| (d.as_str().to_owned(), d.plus));
            prop_assert_eq!(fast, reference_digits(&s));
        }

        #[test]
        fn check_phone_accepts_what_normalize_phone_does(s in "(\\+?88)?0?1[0-9]{0,10}|\\PC{0,20}") {
            let r = Registry::default();
            let checked = check_phone(&s, &r);
            prop_assert_eq!(checked.map(Checked::canonical), normalize_phone(&s, &r));
            if let Some(c) = checked {
                prop_assert_eq!(r.detect_at(c.prefix), r.detect(&c.canonical()));
            }
        }

        #[test]
        fn every_live_number_normalizes_in_every_form(third in 3u8..=9, rest in "[0-9]{8}") {
            let r = Registry::default();
            let n = ["01", &third.to_string(), &rest].concat();
            for form in [n.clone(), ["+88", &n].concat(), ["0088", &n].concat(), crate::text::bengali_digits(&n)] {
                prop_assert_eq!(normalize_phone(&form, &r), Some(n.clone()));
            }
        }
    }
}
