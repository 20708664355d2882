//! Exact money: amounts are whole paisa in an `i64`, read from decimal text.
//!
//! Nothing here uses floating point. JSON numbers arrive as their text (see
//! `json`), and display strings such as `"+ ৳5.00"` or `"$105.00"` are read
//! by their digits, never by their symbol.

use crate::prelude::*;

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

impl AmountError {
    /// The stable code of the matching field error.
    pub fn code(self) -> &'static str {
        match self {
            AmountError::Invalid => "invalid_amount",
            AmountError::TooManyDecimals => "too_many_decimals",
            AmountError::TooLarge => "amount_too_large",
        }
    }
}

impl core::fmt::Display for AmountError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.code())
    }
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

    /// The sum, held at [`MAX_PAISA`] (totals of a bulk file).
    pub fn saturating_add(self, other: Amount) -> Amount {
        Amount(self.0.saturating_add(other.0).min(MAX_PAISA))
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
        // Plain `Chars`, not `Peekable` (its assertion is a panic, and its
        // message, in the wasm).
        let text = text.trim();
        let (negative, mut chars) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.chars()),
            None => (false, text.chars()),
        };
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
                exponent = Some(parse_exponent(chars.as_str())?);
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
        crate::text::cat(&[
            sign,
            &decimal(abs / 100),
            ".",
            if cents < 10 { "0" } else { "" },
            &decimal(cents),
        ])
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
        // From the paisa, as to_decimal_string writes them, not by cutting
        // that text (`split_once` is memchr and slicing panics in the wasm).
        let abs = self.0.unsigned_abs();
        let cents = abs % 100;
        crate::text::cat(&[
            if self.0 < 0 { "-" } else { "" },
            &crate::text::grouped(&decimal(abs / 100), lakh),
            ".",
            if cents < 10 { "0" } else { "" },
            &decimal(cents),
        ])
    }

    /// The shortest JSON number for the amount: `100`, `99.5`, `99.55`.
    pub fn to_json_number(self) -> String {
        let s = self.to_decimal_string();
        let s = s.trim_end_matches('0');
        s.trim_end_matches('.').to_owned()
    }
}

/// serde_json's name for a number kept as text (its `arbitrary_precision`
/// feature hands a number over as a map with this one key).
const SERDE_JSON_NUMBER: &str = "$serde_json::private::Number";

/// The one way an amount is read by serde: a JSON number by its exact
/// decimal text (our `json::Value` hands over the text as written; a float
/// from elsewhere goes through its shortest round-trip text), a decimal
/// string, or a display string (`"৳100.00"`, `"+ ৳5.00"`). `1.005`, as a
/// number or a string, is `too_many_decimals`: never rounded.
impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

/// An amount as its decimal string with two decimals: `"100.50"`.
impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal_string())
    }
}

impl Amount {
    /// A decimal text, else a display string; the decimal reading's error if
    /// neither reads.
    fn from_wire_text(text: &str) -> Result<Amount, AmountError> {
        Amount::parse(text).or_else(|e| Amount::parse_display(text).ok_or(e))
    }
}

struct AmountVisitor;

impl<'de> serde::de::Visitor<'de> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an amount")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
        Amount::from_wire_text(v).map_err(E::custom)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
        Amount::parse(&decimal(v)).map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
        let text = decimal(v.unsigned_abs());
        let text = if v < 0 { ["-", &text].concat() } else { text };
        Amount::parse(&text).map_err(E::custom)
    }

    /// A float from a reader that has no number text: its shortest
    /// round-trip text (`0.1 + 0.2` is `0.30000000000000004`, refused),
    /// then the decimal reading. Display never writes an exponent, and a
    /// very large or very small float is refused by its digit count.
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
        if !v.is_finite() {
            return Err(E::custom(AmountError::Invalid));
        }
        Amount::parse(&v.to_string()).map_err(E::custom)
    }

    fn visit_f32<E: serde::de::Error>(self, v: f32) -> Result<Amount, E> {
        if !v.is_finite() {
            return Err(E::custom(AmountError::Invalid));
        }
        Amount::parse(&v.to_string()).map_err(E::custom)
    }

    /// serde_json with `arbitrary_precision`: `{ "$serde_json::private::Number": "500.00" }`.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
        use serde::de::Error;
        let number = match map.next_key::<alloc::borrow::Cow<'de, str>>()? {
            Some(k) if k == SERDE_JSON_NUMBER => {
                map.next_value::<alloc::borrow::Cow<'de, str>>()?
            }
            _ => return Err(A::Error::custom(AmountError::Invalid)),
        };
        Amount::parse(&number).map_err(A::Error::custom)
    }
}

/// The exponent after `e`: an optional sign, then digits.
fn parse_exponent(text: &str) -> Result<i64, AmountError> {
    match text.strip_prefix('-') {
        Some(digits) => read_exponent_digits(digits.chars(), true),
        None => read_exponent_digits(text.strip_prefix('+').unwrap_or(text).chars(), false),
    }
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

#[cfg(test)]
mod serde_tests {
    use super::*;
    use crate::json::{de::from_value, parse, Value};
    use serde::de::IntoDeserializer;
    use serde::Deserialize;

    fn from_f64(f: f64) -> Result<Amount, String> {
        let d: serde::de::value::F64Deserializer<serde::de::value::Error> = f.into_deserializer();
        Amount::deserialize(d).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_numbers_strings_and_display_strings() {
        let rows: &[(&str, Result<i64, &str>)] = &[
            ("500.00", Ok(50000)),
            ("1e3", Ok(100000)),
            ("-2.5", Ok(-250)),
            ("1.005", Err("too_many_decimals")),
            ("1e21", Err("amount_too_large")),
            (r#""99.50""#, Ok(9950)),
            (r#""৳100.00""#, Ok(10000)),
            (r#""+ ৳5.00""#, Ok(500)),
            (r#""$105.00""#, Ok(10500)),
            (r#""1.005""#, Err("too_many_decimals")),
            (r#""৳""#, Err("invalid_amount")),
            ("true", Err("an amount")),
            ("null", Err("an amount")),
            ("[]", Err("an amount")),
            ("{}", Err("invalid_amount")),
        ];
        for (doc, want) in rows {
            let v = parse(doc.as_bytes()).unwrap();
            let got = from_value::<Amount>(&v).map(Amount::paisa);
            assert_eq!(
                got.as_ref().map_err(|e| e.expected()),
                want.as_ref().map_err(|e| *e),
                "{doc}"
            );
            // serde_json (arbitrary_precision) agrees, number text and all.
            let json: Result<Amount, _> = serde_json::from_str(doc);
            assert_eq!(json.is_ok(), want.is_ok(), "{doc}");
            if let (Ok(a), Ok(p)) = (&json, want) {
                assert_eq!(a.paisa(), *p, "{doc}");
            }
        }
        let e = serde_json::from_str::<Amount>("1.005").unwrap_err();
        assert!(e.to_string().contains("too_many_decimals"), "{e}");
    }

    #[test]
    fn floats_go_through_their_shortest_text() {
        assert_eq!(from_f64(99.5), Ok(Amount::from_paisa(9950)));
        assert_eq!(from_f64(0.07), Ok(Amount::from_paisa(7)));
        assert_eq!(from_f64(1e12), Ok(Amount::from_taka(1_000_000_000_000)));
        assert_eq!(from_f64(1e13), Err("amount_too_large".into()));
        assert_eq!(from_f64(1.005), Err("too_many_decimals".into()));
        assert_eq!(from_f64(0.1 + 0.2), Err("too_many_decimals".into()));
        for bad in [f64::NAN, f64::INFINITY, f64::MAX, f64::MIN_POSITIVE, 1e300] {
            assert!(from_f64(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serializes_as_its_decimal_string() {
        assert_eq!(
            serde_json::to_string(&Amount::from_paisa(-1050)).unwrap(),
            r#""-10.50""#
        );
        let a: Amount = from_value(&Value::String("12.5".into())).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), r#""12.50""#);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use crate::json::{de::from_value, Value};
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::Deserialize;

    /// The reading by hand that the serde path must match: a number by its
    /// decimal text, a string as a decimal or else a display string.
    fn by_hand(v: &Value) -> Option<Amount> {
        match v {
            Value::Number(n) => Amount::parse(n).ok(),
            Value::String(s) => Amount::parse(s).ok().or_else(|| Amount::parse_display(s)),
            _ => None,
        }
    }

    proptest! {
        #[test]
        fn serde_reads_any_text_as_the_hand_reader_does(s in "\\PC{0,24}") {
            let v = Value::String(s);
            prop_assert_eq!(from_value::<Amount>(&v).ok(), by_hand(&v));
        }

        #[test]
        fn serde_reads_any_number_as_the_hand_reader_does(s in "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?") {
            let v = Value::Number(s.clone());
            let ours = from_value::<Amount>(&v).ok();
            prop_assert_eq!(ours, by_hand(&v));
            prop_assert_eq!(serde_json::from_str::<Amount>(&s).ok(), ours);
        }

        #[test]
        fn any_f64_never_panics(bits in any::<u64>()) {
            let f = f64::from_bits(bits);
            let d: serde::de::value::F64Deserializer<serde::de::value::Error> = f.into_deserializer();
            let _ = Amount::deserialize(d);
        }

        #[test]
        fn a_two_decimal_f64_reads_exactly(paisa in -10_000_000_000i64..10_000_000_000) {
            let f = paisa as f64 / 100.0;
            let d: serde::de::value::F64Deserializer<serde::de::value::Error> = f.into_deserializer();
            prop_assert_eq!(Amount::deserialize(d).ok(), Some(Amount::from_paisa(paisa)));
        }
    }

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
