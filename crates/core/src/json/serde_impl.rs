//! `Value` through serde, for the wasm boundary (serde-wasm-bindgen reads a
//! JS value into a `Value` and writes one back as a plain JS object).
//!
//! Reading keeps the same bounds as [`parse`](super::parse): at most
//! [`MAX_DEPTH`] levels of nesting (so a cyclic JS object is refused, not
//! followed) and about [`MAX_BYTES`] of content. A number is kept as the text
//! JavaScript's `String(n)` would print (shortest round trip, an exponent only
//! past 1e21 or below 1e-6), so amounts reach `money` as the same decimal text
//! that `JSON.stringify` used to send; NaN and the infinities read as `null`,
//! as `JSON.stringify` writes them.
//!
//! Writing turns a number's text into an `f64` (as `JSON.parse` would) and
//! leaves out an object key `__proto__`, which a plain JS object cannot hold
//! as data without changing its prototype.

use crate::prelude::*;

use super::{JsonError, Value, MAX_BYTES, MAX_DEPTH};
use core::cell::Cell;
use core::fmt;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// How serde_json with `arbitrary_precision` hands over a number.
const SERDE_JSON_NUMBER: &str = "$serde_json::private::Number";

impl serde::Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WithNumbers {
            value: self,
            number: |text| text.parse().ok(),
        }
        .serialize(s)
    }
}

/// A `Value` to serialize with its own reading of number text, for a caller
/// that has a cheaper one than Rust's (the wasm bindings use JavaScript's
/// `parseFloat`, which keeps Rust's float parser out of the wasm). Text it
/// cannot read is written as a string.
#[derive(Clone, Copy)]
pub struct WithNumbers<'a> {
    pub value: &'a Value,
    pub number: fn(&str) -> Option<f64>,
}

impl WithNumbers<'_> {
    fn of<'b>(&self, value: &'b Value) -> WithNumbers<'b> {
        WithNumbers {
            value,
            number: self.number,
        }
    }
}

impl serde::Serialize for WithNumbers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => match (self.number)(n) {
                // A whole number within 2⁵³ as an integer: the same JS
                // number, and `1` (not `1.0`) from serde_json natively.
                // (`f64::fract` is std's, not core's: whole is "survives
                // the cast to i64", which within range truncates.)
                Some(f) if f.abs() < 9_007_199_254_740_992.0 && f as i64 as f64 == f => {
                    // Whole and within range: the cast is exact.
                    s.serialize_i64(f as i64)
                }
                Some(f) => s.serialize_f64(f),
                None => s.serialize_str(n),
            },
            Value::String(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(&self.of(v))?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                let kept = fields.iter().filter(|(k, _)| k != "__proto__");
                let mut map = s.serialize_map(Some(kept.clone().count()))?;
                for (k, v) in kept {
                    map.serialize_entry(k, &self.of(v))?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let budget = Budget::new();
        let read = Seed {
            depth: 0,
            budget: &budget,
            number: number_text,
        }
        .deserialize(d);
        match (read, budget.failed.get()) {
            (Err(_), Some(e)) => Err(de::Error::custom(e.code())),
            (read, _) => read,
        }
    }
}

/// Reads a `Value` from any serde deserializer within the bounds of
/// [`parse`](super::parse): `TooDeep`, `TooLarge`, or `Syntax(0)` for a
/// value it cannot hold (a BigInt, a function, a symbol, a map key that is
/// not a string).
pub fn from_deserializer<'de, D: Deserializer<'de>>(d: D) -> Result<Value, JsonError> {
    from_deserializer_with(d, number_text)
}

/// As [`from_deserializer`], with the caller's text for a number that is
/// not an integer (`None` reads as null); it must give what
/// [`number_text`] gives, or JavaScript's own `String(n)` (which writes
/// `1e+21` where `number_text` writes `1e21`). The wasm bindings pass
/// JavaScript's, which keeps Rust's float formatting out of the wasm.
pub fn from_deserializer_with<'de, D: Deserializer<'de>>(
    d: D,
    number: fn(f64) -> Option<String>,
) -> Result<Value, JsonError> {
    let budget = Budget::new();
    Seed {
        depth: 0,
        budget: &budget,
        number,
    }
    .deserialize(d)
    .map_err(|_| budget.failed.get().unwrap_or(JsonError::Syntax(0)))
}

/// The number's text as JavaScript's `String(n)` prints it; `None` for NaN
/// and the infinities.
pub fn number_text(n: f64) -> Option<String> {
    if !n.is_finite() {
        return None;
    }
    let abs = n.abs();
    // `{}` is the shortest round-trip text and never has an exponent; `{:e}`
    // the same digits with one, which JavaScript uses outside [1e-6, 1e21).
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        Some(format!("{n:e}"))
    } else if n == 0.0 {
        // -0 prints as 0, as in JavaScript.
        Some("0".to_owned())
    } else {
        Some(format!("{n}"))
    }
}

/// What is left of the size bound, and why reading stopped, if it did.
struct Budget {
    left: Cell<usize>,
    failed: Cell<Option<JsonError>>,
}

impl Budget {
    fn new() -> Budget {
        Budget {
            left: Cell::new(MAX_BYTES),
            failed: Cell::new(None),
        }
    }

    /// Counts `n` bytes of content; an error once past the bound.
    fn spend<E: de::Error>(&self, n: usize) -> Result<(), E> {
        match self.left.get().checked_sub(n) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(self.fail(JsonError::TooLarge)),
        }
    }

    fn fail<E: de::Error>(&self, e: JsonError) -> E {
        self.failed.set(Some(e));
        E::custom(e.code())
    }
}

#[derive(Clone, Copy)]
struct Seed<'b> {
    depth: usize,
    budget: &'b Budget,
    number: fn(f64) -> Option<String>,
}

impl Seed<'_> {
    /// The seed for the items of a container, refused past `MAX_DEPTH`.
    fn inner<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(self.budget.fail(JsonError::TooDeep));
        }
        Ok(Seed {
            depth: self.depth + 1,
            ..self
        })
    }

    fn string<E: de::Error>(self, s: String) -> Result<Value, E> {
        self.budget.spend(s.len() + 2)?;
        Ok(Value::String(s))
    }

    fn number<E: de::Error>(self, text: String) -> Result<Value, E> {
        self.budget.spend(text.len())?;
        Ok(Value::Number(text))
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.budget.spend(4)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        self.budget.spend(5)?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        self.number(n.to_string())
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        self.number(n.to_string())
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        match (self.number)(n) {
            Some(text) => self.number(text),
            None => self.visit_unit(),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        self.string(s.to_owned())
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        self.string(s)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        self.budget.spend(2)?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            self.budget.spend(1)?;
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        self.budget.spend(2)?;
        let mut fields = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            self.budget.spend(k.len() + 4)?;
            if fields.is_empty() && k == SERDE_JSON_NUMBER {
                // serde_json with `arbitrary_precision` (native only): the
                // number's exact text, as a one-entry map.
                let text: String = map.next_value()?;
                return match super::parse(text.as_bytes()) {
                    Ok(n @ Value::Number(_)) => Ok(n),
                    _ => Err(de::Error::custom("a number")),
                };
            }
            let v = map.next_value_seed(inner)?;
            fields.push((k, v));
        }
        Ok(Value::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn numbers_read_as_javascript_prints_them() {
        let cases = [
            (500.0, "500"),
            (500.5, "500.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (10.005, "10.005"),
            (-0.0, "0"),
            (1e20, "100000000000000000000"),
            (1e21, "1e21"),
            (1e300, "1e300"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (4999.99, "4999.99"),
            (f64::MAX, "1.7976931348623157e308"),
            (5e-324, "5e-324"),
        ];
        for (n, text) in cases {
            assert_eq!(number_text(n).as_deref(), Some(text), "{n}");
            // Valid JSON, and the same number back.
            let back = parse(text.as_bytes()).unwrap();
            assert_eq!(back, Value::Number(text.to_owned()));
            assert_eq!(text.parse::<f64>().unwrap(), n);
        }
        for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(number_text(n), None);
        }
    }

    #[test]
    fn accepted_amounts_have_no_exponent() {
        // Every amount with two decimals up to far past any limit.
        for cents in (1u64..2_000_000).step_by(7).chain([9_999_999_999_999]) {
            let n = cents as f64 / 100.0;
            let text = number_text(n).unwrap();
            assert!(!text.contains('e'), "{text}");
            let amount = crate::money::Amount::parse(&text).unwrap();
            assert_eq!(amount.to_decimal_string().parse::<f64>().unwrap(), n);
        }
    }

    fn round_trip(text: &str) -> Value {
        let v = parse(text.as_bytes()).unwrap();
        let json = serde_json::to_string(&v).unwrap();
        from_deserializer(&mut serde_json::Deserializer::from_str(&json)).unwrap()
    }

    #[test]
    fn values_go_through_serde_and_back() {
        let v = round_trip(r#"{"a":[1,2.5,"x",true,null,{"b":{}}],"c":"৳ 500","d":-3}"#);
        assert_eq!(
            v.to_json(),
            r#"{"a":[1,2.5,"x",true,null,{"b":{}}],"c":"৳ 500","d":-3}"#
        );
        // As JSON.parse reads it: the number's value, not its text.
        assert_eq!(round_trip(r#"{"n":500.00}"#).to_json(), r#"{"n":500}"#);
        assert_eq!(
            serde_json::to_string(&parse(br#"{"__proto__":{"x":1},"y":2}"#).unwrap()).unwrap(),
            r#"{"y":2}"#,
            "__proto__ left out; a whole number written as JSON.stringify writes it"
        );
    }

    #[test]
    fn reading_is_bounded() {
        let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let read = |text: &str| from_deserializer(&mut serde_json::Deserializer::from_str(text));
        assert!(read(&deep(MAX_DEPTH)).is_ok());
        assert_eq!(read(&deep(MAX_DEPTH + 1)), Err(JsonError::TooDeep));
        let big = format!("[\"{}\"]", "x".repeat(MAX_BYTES));
        assert_eq!(read(&big), Err(JsonError::TooLarge));
        assert_eq!(read("{\"a\":"), Err(JsonError::Syntax(0)));
        assert_eq!(
            serde_json::from_str::<Value>(&deep(MAX_DEPTH + 1))
                .unwrap_err()
                .to_string(),
            "too_deep"
        );
    }
}
