//! Exact money: amounts are whole paisa in an `i64`, read from decimal text.
//!
//! Nothing here uses floating point. JSON numbers arrive as their text (see
//! `json`), and display strings such as `"+ ৳5.00"` or `"$105.00"` are read
//! by their digits, never by their symbol.

use crate::text::{decimal, digit_value};

/// Largest amount accepted anywhere: ৳1,000,000,000,000 (far above any limit).
pub const MAX_PAISA: i64 = 100_000_000_000_000;

/// An exact amount of Bangladeshi Taka, in paisa (1/100 Taka).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

/// Why a text is not an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not a decimal number at all.
    Invalid,
    /// More than two digits after the decimal point (trailing zeros aside).
    TooManyDecimals,
    /// Beyond [`MAX_PAISA`].
    TooLarge,
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_paisa(paisa: i64) -> Amount {
        Amount(paisa)
    }

    pub const fn from_taka(taka: i64) -> Amount {
        Amount(taka * 100)
    }

    pub const fn paisa(self) -> i64 {
        self.0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Reads a decimal number: an optional `-`, digits (ASCII or Bengali), an
    /// optional fraction and an optional exponent, as JSON and JavaScript write
    /// numbers. Surrounding spaces are allowed.
    ///
    /// ```
    /// use bdpay_core::money::{Amount, AmountError};
    /// assert_eq!(Amount::parse("99.50"), Ok(Amount::from_paisa(9950)));
    /// assert_eq!(Amount::parse("১০০"), Ok(Amount::from_taka(100)));
    /// assert_eq!(Amount::parse("1e3"), Ok(Amount::from_taka(1000)));
    /// assert_eq!(Amount::parse("1.005"), Err(AmountError::TooManyDecimals));
    /// ```
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let mut chars = text.trim().chars().peekable();
        let negative = chars.next_if_eq(&'-').is_some();
        let mut digits: Vec<u8> = Vec::new();
        let mut frac_len: i64 = 0;
        let mut seen_point = false;
        let mut exponent: Option<i64> = None;
        while let Some(c) = chars.next() {
            if let Some(d) = digit_value(c) {
                digits.push(d);
                if seen_point {
                    frac_len += 1;
                }
            } else if c == '.' && !seen_point {
                seen_point = true;
            } else if (c == 'e' || c == 'E') && !digits.is_empty() {
                exponent = Some(parse_exponent(chars.by_ref())?);
                break;
            } else {
                return Err(AmountError::Invalid);
            }
            if digits.len() > 64 {
                return Err(AmountError::TooLarge);
            }
        }
        if digits.is_empty() || (seen_point && frac_len == 0) {
            return Err(AmountError::Invalid);
        }
        // Zero is exact whatever its exponent (`0e-4`).
        if digits.iter().all(|&d| d == 0) {
            return Ok(Amount(0));
        }
        // Digits after the point once the exponent is applied.
        let mut scale = frac_len - exponent.unwrap_or(0);
        while scale > 2 && digits.last() == Some(&0) {
            digits.pop();
            scale -= 1;
        }
        if scale > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        let mut paisa: i64 = 0;
        for d in digits {
            paisa = paisa
                .checked_mul(10)
                .and_then(|p| p.checked_add(i64::from(d)))
                .ok_or(AmountError::TooLarge)?;
        }
        for _ in scale..2 {
            paisa = paisa.checked_mul(10).ok_or(AmountError::TooLarge)?;
            if paisa > MAX_PAISA {
                return Err(AmountError::TooLarge);
            }
        }
        if paisa > MAX_PAISA {
            return Err(AmountError::TooLarge);
        }
        Ok(Amount(if negative { -paisa } else { paisa }))
    }

    /// Reads a display string as the wallet API sends it: `"৳100.00"`,
    /// `"+ ৳5.00"`, `"$105.00"`, `"Tk 1,050"`, `"BDT 20"`. The currency mark
    /// is ignored (the wallet has sent `$` for Taka); a sign and thousands
    /// separators are allowed.
    ///
    /// ```
    /// use bdpay_core::money::Amount;
    /// assert_eq!(Amount::parse_display("+ ৳5.00"), Some(Amount::from_taka(5)));
    /// assert_eq!(Amount::parse_display("$105.00"), Some(Amount::from_taka(105)));
    /// assert_eq!(Amount::parse_display("৳"), None);
    /// ```
    pub fn parse_display(text: &str) -> Option<Amount> {
        let mut rest = text.trim();
        let mut negative = false;
        if let Some(r) = rest.strip_prefix('+') {
            rest = r.trim_start();
        } else if let Some(r) = rest
            .strip_prefix('-')
            .or_else(|| rest.strip_prefix('\u{2212}'))
        {
            negative = true;
            rest = r.trim_start();
        }
        for mark in ["৳", "$", "Tk.", "Tk", "TK", "BDT", "টাকা"] {
            if let Some(r) = rest.strip_prefix(mark) {
                rest = r.trim_start();
                break;
            }
        }
        for mark in ["৳", "Tk", "TK", "BDT", "টাকা"] {
            if let Some(r) = rest.strip_suffix(mark) {
                rest = r.trim_end();
                break;
            }
        }
        // One sign at most, and only in front: removing thousands separators
        // must not bring another one to the front (`"-,-5"`).
        if rest.contains(['-', '+', '\u{2212}', 'e', 'E']) {
            return None;
        }
        let plain: String = rest.chars().filter(|&c| c != ',').collect();
        let amount = Amount::parse(&plain).ok()?;
        Some(if negative { Amount(-amount.0) } else { amount })
    }

    /// The amount with exactly two decimals: `"100.50"`, `"-5.00"`.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let cents = abs % 100;
        [
            sign,
            &decimal(abs / 100),
            ".",
            if cents < 10 { "0" } else { "" },
            &decimal(cents),
        ]
        .concat()
    }

    /// The amount for people: two decimals, the whole taka grouped by
    /// thousands (`"200,000.00"`) or, with `lakh`, as Bangladesh writes it
    /// (`"2,00,000.00"`).
    ///
    /// ```
    /// use bdpay_core::money::Amount;
    /// assert_eq!(Amount::from_taka(200_000).grouped(false), "200,000.00");
    /// assert_eq!(Amount::from_paisa(-123_456_75).grouped(true), "-1,23,456.75");
    /// ```
    pub fn grouped(self, lakh: bool) -> String {
        let plain = self.to_decimal_string();
        let (sign, rest) = plain
            .strip_prefix('-')
            .map_or(("", plain.as_str()), |r| ("-", r));
        let (whole, cents) = rest.split_once('.').unwrap_or((rest, "00"));
        [sign, &crate::text::grouped(whole, lakh), ".", cents].concat()
    }

    /// The shortest JSON number for the amount: `100`, `99.5`, `99.55`.
    pub fn to_json_number(self) -> String {
        let s = self.to_decimal_string();
        let s = s.trim_end_matches('0');
        s.trim_end_matches('.').to_owned()
    }
}

fn parse_exponent(chars: impl Iterator<Item = char>) -> Result<i64, AmountError> {
    let mut chars = chars.peekable();
    let negative = match chars.peek() {
        Some('-') => true,
        Some('+') => false,
        _ => return read_exponent_digits(chars, false),
    };
    chars.next();
    read_exponent_digits(chars, negative)
}

fn read_exponent_digits(
    chars: impl Iterator<Item = char>,
    negative: bool,
) -> Result<i64, AmountError> {
    let mut n: i64 = 0;
    let mut any = false;
    for c in chars {
        let d = digit_value(c).ok_or(AmountError::Invalid)?;
        any = true;
        // Past 10^400 in either direction the answer no longer changes.
        n = (n * 10 + i64::from(d)).min(400);
    }
    if !any {
        return Err(AmountError::Invalid);
    }
    Ok(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_text_exactly() {
        let rows: &[(&str, Result<i64, AmountError>)] = &[
            ("100", Ok(10000)),
            ("100.5", Ok(10050)),
            ("100.50", Ok(10050)),
            ("0.01", Ok(1)),
            ("500.000", Ok(50000)),
            ("-5", Ok(-500)),
            (" 42 ", Ok(4200)),
            ("১২৩.৪৫", Ok(12345)),
            ("1.5e2", Ok(15000)),
            ("1e-2", Ok(1)),
            ("1e-3", Err(AmountError::TooManyDecimals)),
            ("0.001", Err(AmountError::TooManyDecimals)),
            ("1.005", Err(AmountError::TooManyDecimals)),
            ("1e+21", Err(AmountError::TooLarge)),
            ("1e999999999999", Err(AmountError::TooLarge)),
            ("99999999999999999999999", Err(AmountError::TooLarge)),
            ("", Err(AmountError::Invalid)),
            ("-", Err(AmountError::Invalid)),
            (".5", Ok(50)),
            ("5.", Err(AmountError::Invalid)),
            ("1.2.3", Err(AmountError::Invalid)),
            ("NaN", Err(AmountError::Invalid)),
            ("Infinity", Err(AmountError::Invalid)),
            ("1,000", Err(AmountError::Invalid)),
            ("١٠٠", Err(AmountError::Invalid)),
            ("--5", Err(AmountError::Invalid)),
            ("1e", Err(AmountError::Invalid)),
            // Found by fuzzing against an exact reference reading.
            ("0e-4", Ok(0)),
            ("-0.000", Ok(0)),
            ("0e999", Ok(0)),
        ];
        for (text, want) in rows {
            assert_eq!(Amount::parse(text).map(Amount::paisa), *want, "{text:?}");
        }
    }

    #[test]
    fn reads_display_strings_by_their_digits() {
        let rows: &[(&str, Option<i64>)] = &[
            ("৳100.00", Some(10000)),
            ("+ ৳5.00", Some(500)),
            ("$105.00", Some(10500)),
            ("- ৳5", Some(-500)),
            ("Tk 1,050.25", Some(105025)),
            ("১,০০০ টাকা", Some(100000)),
            ("BDT 20", Some(2000)),
            ("৳", None),
            ("", None),
            ("৳abc", None),
            ("+ -5", None),
            ("৳1e5", None),
            // Found by fuzzing: a comma must not hide a second sign.
            ("-,-5", None),
            (",-5", None),
            ("৳1,-5", None),
        ];
        for (text, want) in rows {
            assert_eq!(
                Amount::parse_display(text).map(Amount::paisa),
                *want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn formats_with_two_decimals_and_as_short_json() {
        for (paisa, text, json) in [
            (10050, "100.50", "100.5"),
            (500, "5.00", "5"),
            (7, "0.07", "0.07"),
            (-1999, "-19.99", "-19.99"),
            (0, "0.00", "0"),
        ] {
            assert_eq!(Amount::from_paisa(paisa).to_decimal_string(), text);
            assert_eq!(Amount::from_paisa(paisa).to_json_number(), json);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = Amount::parse(&s);
            let _ = Amount::parse_display(&s);
        }

        #[test]
        fn decimal_string_round_trips(paisa in -MAX_PAISA..=MAX_PAISA) {
            let a = Amount::from_paisa(paisa);
            prop_assert_eq!(Amount::parse(&a.to_decimal_string()), Ok(a));
            prop_assert_eq!(Amount::parse(&a.to_json_number()), Ok(a));
        }
    }
}
