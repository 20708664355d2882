//! serde's `Deserializer` over our own [`Value`]: the wire types derive
//! `Deserialize` and are read from the `Value` that [`parse`](super::parse)
//! made, in wasm and natively alike (serde_json is never compiled into the
//! wasm).
//!
//! - A number is handed over as its exact text wherever the type asks for a
//!   string or for anything (`deserialize_any`), so an `Amount` is read from
//!   `500.00` exactly; an integer type parses the text as an integer, never
//!   through `f64`.
//! - A struct's field given twice keeps its first value, as [`Value::get`]
//!   does (a map gets every entry in document order).
//! - Keys nobody asked for are skipped without being walked.
//! - An error says where (`data.types[0].billers[1].title`) and what was
//!   expected there. Nothing here panics, whatever the value.
//!
//! ```
//! use bdpay_core::json::{de, parse};
//! #[derive(Debug, serde::Deserialize)]
//! struct Fee { amount: bdpay_core::money::Amount, note: Option<String> }
//! let v = parse(br#"{"amount": 99.50, "note": 7}"#).unwrap();
//! let fee: Fee = de::from_value(&v).unwrap();
//! assert_eq!((fee.amount.paisa(), fee.note.as_deref()), (9950, Some("7")));
//! let e = de::from_value::<Vec<Fee>>(&parse(br#"[{"amount": 1}, {"note": "x"}]"#).unwrap()).unwrap_err();
//! assert_eq!(e.path(), "[1].amount");
//! ```

use crate::prelude::*;

use super::Value;
use core::fmt;
use serde::de::{self, DeserializeSeed, Visitor};

/// Reads a `T` from a parsed document.
pub fn from_value<'de, T: de::Deserialize<'de>>(v: &'de Value) -> Result<T, Error> {
    T::deserialize(v)
}

/// A place in a document: a key of an object or an index of an array.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Why a value could not be read as the type asked for, and where. (Boxed:
/// a result carrying it stays small.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    /// From the innermost step out, pushed as the error travels out.
    steps: Vec<Step>,
    expected: String,
}

impl Error {
    fn expecting(expected: &str) -> Error {
        Error(Box::new(Inner {
            steps: Vec::new(),
            expected: expected.to_owned(),
        }))
    }

    fn within(mut self, step: Step) -> Error {
        self.0.steps.push(step);
        self
    }

    /// What was expected there: `string`, `boolean`, `array`, `object`,
    /// `integer`, or the reason a value was refused (`too_many_decimals`).
    pub fn expected(&self) -> &str {
        &self.0.expected
    }

    /// Where, from the value that was read: `data.types[0].title`.
    pub fn path(&self) -> String {
        self.path_from("")
    }

    /// Where, from the value that was read, which sits at `root` in the
    /// whole document.
    pub fn path_from(&self, root: &str) -> String {
        let mut out = root.to_owned();
        for step in self.0.steps.iter().rev() {
            match step {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&crate::text::decimal(*i as u64));
                    out.push(']');
                }
            }
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            write!(f, "expected {}", self.0.expected)
        } else {
            write!(f, "{path}: expected {}", self.0.expected)
        }
    }
}

impl core::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::expecting(&msg.to_string())
    }

    fn invalid_type(_: de::Unexpected<'_>, exp: &dyn de::Expected) -> Error {
        Error::expecting(&exp.to_string())
    }

    fn invalid_value(_: de::Unexpected<'_>, exp: &dyn de::Expected) -> Error {
        Error::expecting(&exp.to_string())
    }

    /// A required field that is absent. Every required field of the wire
    /// types is text, hence `string`.
    fn missing_field(field: &'static str) -> Error {
        Error::expecting("string").within(Step::Key(field.to_owned()))
    }

    /// Never reached from a [`Value`]: a struct gets each of its fields
    /// once, the first given (see `Map`). Said without `format_args!`,
    /// which keeps serde's formatting of it out of the wasm.
    fn duplicate_field(field: &'static str) -> Error {
        Error::expecting("one value").within(Step::Key(field.to_owned()))
    }
}

fn wrong(expected: &str) -> Error {
    Error::expecting(expected)
}

macro_rules! integer {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Value::Number(n) => match n.parse::<$t>() {
                    Ok(i) => visitor.$visit(i.into()),
                    Err(_) => Err(wrong("integer")),
                },
                _ => Err(wrong("integer")),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &'de Value {
    type Error = Error;

    /// A number goes to the visitor as its exact text.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) | Value::String(n) => visitor.visit_borrowed_str(n),
            Value::Array(items) => visitor.visit_seq(Seq::new(items)),
            Value::Object(fields) => visitor.visit_map(Map::new(fields, &[])),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(wrong("boolean")),
        }
    }

    integer!(
        deserialize_i8 visit_i64 i8, deserialize_i16 visit_i64 i16,
        deserialize_i32 visit_i64 i32, deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u64 u8, deserialize_u16 visit_u64 u16,
        deserialize_u32 visit_u64 u32, deserialize_u64 visit_u64 u64
    );

    /// Floats get the number's text: a visitor that wants one parses it.
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// A string, or a number as its exact text.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::String(s) | Value::Number(s) => visitor.visit_borrowed_str(s),
            _ => Err(wrong("string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    /// `null` (or an absent field) is `None`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            _ => Err(wrong("null")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Array(items) => visitor.visit_seq(Seq::new(items)),
            _ => Err(wrong("array")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    /// Every entry, in document order (repeated keys too).
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Object(fields) => visitor.visit_map(Map::new(fields, &[])),
            _ => Err(wrong("object")),
        }
    }

    /// A field given twice keeps its first value.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::Object(fields) => visit_struct(visitor, Map::new(fields, names)),
            _ => Err(wrong("object")),
        }
    }

    /// Unit variants only, named by a string.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::String(s) => {
                visitor.visit_enum(de::IntoDeserializer::into_deserializer(s.as_str()))
            }
            _ => Err(wrong("string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// Nothing to read: the value is not walked.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// A struct's fields read, in a function of its own per struct.
#[inline(never)]
fn visit_struct<'de, V: Visitor<'de>>(visitor: V, map: Map<'de>) -> Result<V::Value, Error> {
    visitor.visit_map(map)
}

impl<'de> de::IntoDeserializer<'de, Error> for &'de Value {
    type Deserializer = &'de Value;

    fn into_deserializer(self) -> &'de Value {
        self
    }
}

struct Seq<'de> {
    items: core::iter::Enumerate<core::slice::Iter<'de, Value>>,
}

impl<'de> Seq<'de> {
    fn new(items: &'de [Value]) -> Seq<'de> {
        Seq {
            items: items.iter().enumerate(),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some((i, v)) => seed
                .deserialize(v)
                .map(Some)
                .map_err(|e| e.within(Step::Index(i))),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'de> {
    fields: core::slice::Iter<'de, (String, Value)>,
    /// A struct's field names: one of them given again is skipped.
    names: &'static [&'static str],
    /// Which of `names` were handed out (a bit each, the first 128).
    seen: u128,
    value: Option<(&'de str, &'de Value)>,
}

impl<'de> Map<'de> {
    fn new(fields: &'de [(String, Value)], names: &'static [&'static str]) -> Map<'de> {
        Map {
            fields: fields.iter(),
            names,
            seen: 0,
            value: None,
        }
    }

    /// Whether `key` names a field already handed out (marking it if not).
    fn repeated(&mut self, key: &str) -> bool {
        let Some(bit) = self
            .names
            .iter()
            .position(|n| *n == key)
            .and_then(|i| 1u128.checked_shl(u32::try_from(i).ok()?))
        else {
            return false;
        };
        let seen = self.seen & bit != 0;
        self.seen |= bit;
        seen
    }
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        while let Some((k, v)) = self.fields.next() {
            if !self.repeated(k) {
                self.value = Some((k, v));
                let key = de::value::BorrowedStrDeserializer::<Error>::new(k);
                return seed.deserialize(key).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some((k, v)) => seed
                .deserialize(v)
                .map_err(|e| e.within(Step::Key(k.to_owned()))),
            None => Err(wrong("a key before its value")),
        }
    }
}

/// Field readers for `#[serde(deserialize_with = "...")]`, for the wire
/// types' lenient fields.
pub mod field {
    use crate::prelude::*;
    use core::fmt;
    use serde::de::{self, Deserialize, Deserializer, IgnoredAny, Visitor};

    /// `null` reads as the type's default (an absent field needs
    /// `#[serde(default)]` beside this).
    pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Option::<T>::deserialize(d).map(Option::unwrap_or_default)
    }

    /// A boolean whose `null` means `true` (with `#[serde(default = "field::yes")]`).
    pub fn null_as_true<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Option::<bool>::deserialize(d).map(|b| b.unwrap_or(true))
    }

    pub fn yes() -> bool {
        true
    }

    /// Text where any JSON may stand: a string, or a number as its text;
    /// anything else (`null`, a boolean, an array, an object) is `None`.
    pub fn loose_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(Loose)
    }

    /// [`loose_text`], `""` for none.
    pub fn loose_text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        loose_text(d).map(Option::unwrap_or_default)
    }

    /// [`loose_text`] that must be there and not be empty.
    pub fn required_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match loose_text(d)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(de::Error::custom("non-empty string")),
        }
    }

    /// A whole number given as a number or as text (`"42"`, `" 42 "`);
    /// anything else is `None`.
    pub fn loose_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        loose_text(d).map(|t| t.and_then(|s| s.trim().parse().ok()))
    }

    /// The value, or the type's default where it does not fit. Only for
    /// documents already parsed (a `json::Value`): a streaming reader may
    /// not recover from an error inside a value.
    pub fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Ok(T::deserialize(d).unwrap_or_default())
    }

    /// A value that reads as `None` where it does not fit (as an item of a
    /// list whose bad items are dropped); see [`or_default`].
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Maybe<T>(pub Option<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Maybe<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Maybe<T>, D::Error> {
            Ok(Maybe(T::deserialize(d).ok()))
        }
    }

    /// An object's entries in document order.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Entries<T>(pub Vec<(String, T)>);

    impl<T> Default for Entries<T> {
        fn default() -> Entries<T> {
            Entries(Vec::new())
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entries<T>, D::Error> {
            struct V<T>(core::marker::PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Entries<T>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("object")
                }
                fn visit_map<A: de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Entries<T>, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry::<String, T>()? {
                        out.push(entry);
                    }
                    Ok(Entries(out))
                }
            }
            d.deserialize_map(V(core::marker::PhantomData))
        }
    }

    struct Loose;

    impl<'de> Visitor<'de> for Loose {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("text")
        }

        fn visit_str<E>(self, v: &str) -> Result<Option<String>, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Option<String>, E> {
            Ok(Some(crate::text::decimal(v)))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Option<String>, E> {
            let digits = crate::text::decimal(v.unsigned_abs());
            Ok(Some(if v < 0 {
                ["-", &digits].concat()
            } else {
                digits
            }))
        }

        fn visit_bool<E>(self, _: bool) -> Result<Option<String>, E> {
            Ok(None)
        }

        fn visit_unit<E>(self) -> Result<Option<String>, E> {
            Ok(None)
        }

        fn visit_none<E>(self) -> Result<Option<String>, E> {
            Ok(None)
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Option<String>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        id: u64,
        delta: i32,
        ok: bool,
        note: Option<String>,
        inner: Vec<Inner>,
    }

    fn read<'de, T: Deserialize<'de>>(v: &'de Value) -> Result<T, (String, String)> {
        from_value(v).map_err(|e: Error| (e.path(), e.expected().to_owned()))
    }

    #[test]
    fn reads_derived_types_with_numbers_as_text() {
        let v = parse(br#"{"id":12345678901234567890,"delta":-7,"ok":true,"note":1.50,"inner":[{"name":"a","tags":["x",2]}],"extra":{"deep":[1,2,3]}}"#).unwrap();
        assert_eq!(
            read::<Outer>(&v),
            Ok(Outer {
                id: 12345678901234567890,
                delta: -7,
                ok: true,
                note: Some("1.50".into()),
                inner: vec![Inner {
                    name: "a".into(),
                    tags: vec!["x".into(), "2".into()]
                }],
            })
        );
    }

    #[test]
    fn the_first_of_repeated_keys_wins() {
        let v = parse(br#"{"name":"first","name":"second"}"#).unwrap();
        assert_eq!(read::<Inner>(&v).map(|i| i.name), Ok("first".into()));
    }

    #[test]
    fn errors_say_where_and_what() {
        let rows: &[(&[u8], &str, &str)] = &[
            (
                br#"{"id":1.5,"delta":0,"ok":true,"inner":[]}"#,
                "id",
                "integer",
            ),
            (
                br#"{"id":-1,"delta":0,"ok":true,"inner":[]}"#,
                "id",
                "integer",
            ),
            (
                br#"{"id":1,"delta":3000000000,"ok":true,"inner":[]}"#,
                "delta",
                "integer",
            ),
            (
                br#"{"id":1,"delta":0,"ok":"yes","inner":[]}"#,
                "ok",
                "boolean",
            ),
            (
                br#"{"id":1,"delta":0,"ok":true,"inner":{}}"#,
                "inner",
                "array",
            ),
            (
                br#"{"id":1,"delta":0,"ok":true,"inner":[{"name":"a"},{"tags":[]}]}"#,
                "inner[1].name",
                "string",
            ),
            (
                br#"{"id":1,"delta":0,"ok":true,"inner":[{"name":"a","tags":[null]}]}"#,
                "inner[0].tags[0]",
                "string",
            ),
            (
                br#"{"id":1,"delta":0,"ok":true,"inner":[7]}"#,
                "inner[0]",
                "object",
            ),
            (br#"[]"#, "", "object"),
        ];
        for (doc, path, expected) in rows {
            let v = parse(doc).unwrap();
            assert_eq!(
                read::<Outer>(&v),
                Err(((*path).to_owned(), (*expected).to_owned())),
                "{}",
                String::from_utf8_lossy(doc)
            );
        }
        let e = from_value::<Inner>(&parse(b"{}").unwrap()).unwrap_err();
        assert_eq!(e.path_from("data.types[2]"), "data.types[2].name");
        assert_eq!(e.to_string(), "name: expected string");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use crate::json::parse;
    use proptest::prelude::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Any {
        a: Option<u64>,
        b: Option<Vec<String>>,
        c: Option<bool>,
        d: Option<crate::money::Amount>,
        e: Option<std::collections::BTreeMap<String, String>>,
        f: Option<(i8, String)>,
    }

    proptest! {
        #[test]
        fn never_panics_on_json_like_text(s in r#"[\[\]{}",:0-9eE.+\-abcdef\\ ]{0,64}"#) {
            if let Ok(v) = parse(s.as_bytes()) {
                let _ = from_value::<Any>(&v);
                let _ = from_value::<Vec<Any>>(&v);
            }
        }
    }
}
