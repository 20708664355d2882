//! A small JSON reader and writer that keeps numbers as their decimal text.
//!
//! Money must not pass through `f64`, so a number stays the exact text the
//! sender wrote (`500.00`, `1e3`) until `money` reads it. The parser is bounded
//! (nesting depth, input size) and never panics, whatever bytes it is given.

use crate::prelude::*;

pub mod de;
pub mod units;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;
/// Largest document accepted, in bytes (responses of both APIs are far smaller).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

mod serde_impl;
pub use serde_impl::{from_deserializer, from_deserializer_with, number_text, WithNumbers};

/// A parsed JSON value. Objects keep their keys in document order; a repeated
/// key keeps its first value only when looked up with [`Value::get`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's text exactly as written, already checked against the JSON grammar.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Why a document is not acceptable JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    TooLarge,
    TooDeep,
    InvalidUtf8,
    /// Not JSON; the byte offset where reading stopped.
    Syntax(usize),
}

impl JsonError {
    /// A stable machine code for this error.
    pub fn code(self) -> &'static str {
        match self {
            JsonError::TooLarge => "too_large",
            JsonError::TooDeep => "too_deep",
            JsonError::InvalidUtf8 => "invalid_utf8",
            JsonError::Syntax(_) => "invalid_json",
        }
    }
}

/// Parses a complete JSON document.
///
/// ```
/// use bdpay_core::json::{parse, Value};
/// let v = parse(br#"{"amount": 500.00}"#).unwrap();
/// assert_eq!(v.get("amount"), Some(&Value::Number("500.00".into())));
/// ```
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    if bytes.len() > MAX_BYTES {
        return Err(JsonError::TooLarge);
    }
    parse_str(core::str::from_utf8(bytes).map_err(|_| JsonError::InvalidUtf8)?)
}

/// [`parse`] of text that is already a `str` (what the wasm bindings are
/// given): no second UTF-8 check, and no `from_utf8` in the validation wasm.
pub fn parse_str(text: &str) -> Result<Value, JsonError> {
    if text.len() > MAX_BYTES {
        return Err(JsonError::TooLarge);
    }
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(JsonError::Syntax(p.pos));
    }
    Ok(v)
}

/// Where the JSON number starting at `start` ends, or nothing if none
/// starts there (`-`, `0` or a non-zero digit first; fraction and exponent
/// each need a digit).
pub(crate) fn number_end(s: &[u8], start: usize) -> Option<usize> {
    let digits = |mut at: usize| {
        while let Some(b'0'..=b'9') = s.get(at) {
            at += 1;
        }
        at
    };
    let mut at = start;
    if s.get(at) == Some(&b'-') {
        at += 1;
    }
    at = match s.get(at) {
        Some(b'0') => at + 1,
        Some(b'1'..=b'9') => digits(at + 1),
        _ => return None,
    };
    if s.get(at) == Some(&b'.') {
        let end = digits(at + 1);
        if end == at + 1 {
            return None;
        }
        at = end;
    }
    if let Some(b'e' | b'E') = s.get(at) {
        at += 1;
        if let Some(b'+' | b'-') = s.get(at) {
            at += 1;
        }
        let end = digits(at);
        if end == at {
            return None;
        }
        at = end;
    }
    Some(at)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn err<T>(&self) -> Result<T, JsonError> {
        Err(JsonError::Syntax(self.pos))
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.s.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            self.err()
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.err(),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        let mut fields = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return self.err();
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return self.err();
            }
            self.pos += 1;
            self.skip_ws();
            let v = self.value(depth)?;
            fields.push((key, v));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(fields));
                }
                _ => return self.err(),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.err(),
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        self.pos = number_end(self.s, start).ok_or(JsonError::Syntax(self.pos))?;
        match self.text.get(start..self.pos) {
            Some(t) => Ok(Value::Number(t.to_owned())),
            None => self.err(),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return self.err(),
            };
            n = n * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go; the input is valid UTF-8
            // and the run ends on an ASCII byte, so the slice is on char boundaries.
            let start = self.pos;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            match self.text.get(start..self.pos) {
                Some(run) => out.push_str(run),
                None => return self.err(),
            }
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.escaped_char()?),
                        _ => return self.err(),
                    }
                }
                _ => return self.err(),
            }
        }
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining
    /// surrogate pairs; a lone surrogate becomes U+FFFD, as browsers do.
    fn escaped_char(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) && self.s.get(self.pos..self.pos + 2) == Some(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }
}

impl Value {
    /// The value of `key` in an object (the first one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A JSON number that is a whole number from 0 to `u64::MAX` (`30000`,
    /// not `3e4`, `1.0` or `-1`); strings are not numbers here.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A short English name of the value's JSON type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Serialises to compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => write_str(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Value::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Number(crate::text::decimal(n))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// An array of `items`, each made by `f`. A loop: smaller in the wasm than
/// `Value::Array(items.map(f).collect())` (Vec's from_iter and the adapters).
pub fn array_of<T>(items: impl IntoIterator<Item = T>, f: impl Fn(T) -> Value) -> Value {
    let mut out = Vec::new();
    for item in items {
        out.push(f(item));
    }
    Value::Array(out)
}

/// Builds an object from `(key, value)` pairs in order.
pub fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    object_of(Vec::from(fields))
}

// One copy in the wasm, whatever the number of fields.
fn object_of(fields: Vec<(&str, Value)>) -> Value {
    let mut out = Vec::with_capacity(fields.len());
    for (k, v) in fields {
        out.push((k.to_owned(), v));
    }
    Value::Object(out)
}

/// Writes `s` as a JSON string literal (quotes included): `"`, `\\` and the
/// control characters escaped, and U+2028 and U+2029 (which end a line in
/// old JavaScript). The runs between them are copied whole, not char by char.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    // A byte that may start a char to escape: ASCII, or E2 (U+2028 and U+2029
    // are E2 80 A8 and E2 80 A9); either starts a char, so the split is on a
    // char boundary.
    while let Some((run, tail)) = rest
        .bytes()
        .position(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0xe2)
        .and_then(|at| rest.split_at_checked(at))
    {
        out.push_str(run);
        let mut chars = tail.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(crate::text::hex_digit((c as u32) >> shift));
                }
            }
            c => out.push(c),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        for n in [
            "0",
            "-0",
            "500.00",
            "149",
            "1e3",
            "-2.5E-7",
            "12345678901234567890",
        ] {
            assert_eq!(parse(n.as_bytes()), Ok(Value::Number(n.into())), "{n}");
        }
    }

    #[test]
    fn rejects_malformed_documents() {
        let bad: &[&[u8]] = &[
            b"",
            b"{",
            b"[1,]",
            b"{\"a\":1,}",
            b"01",
            b"1.",
            b".5",
            b"+1",
            b"1e",
            b"NaN",
            b"\"abc",
            b"\"\\x\"",
            b"\"\\u12\"",
            b"tru",
            b"nul",
            b"[1 2]",
            b"{\"a\" 1}",
            b"{1:2}",
            b"\"a\nb\"",
            b"1 2",
        ];
        for b in bad {
            assert!(
                matches!(parse(b), Err(JsonError::Syntax(_))),
                "{:?}",
                String::from_utf8_lossy(b)
            );
        }
    }

    #[test]
    fn rejects_invalid_utf8_and_deep_nesting() {
        assert_eq!(parse(b"\"\xff\""), Err(JsonError::InvalidUtf8));
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()), Err(JsonError::TooDeep));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(ok.as_bytes()).is_ok());
    }

    #[test]
    fn strings_unescape_including_surrogate_pairs() {
        let v = parse(br#""a\"b\\c\/\n\u09e6\ud83d\ude00\ud800x""#).unwrap();
        assert_eq!(
            v,
            Value::String("a\"b\\c/\n\u{09e6}\u{1F600}\u{FFFD}x".into())
        );
    }

    /// The writer as it was, char by char: the reference for `write_str`.
    fn write_str_by_char(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(crate::text::hex_digit((c as u32) >> shift));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    #[test]
    fn write_str_writes_what_the_char_by_char_writer_wrote() {
        let mut cases: Vec<String> = [
            "",
            "plain",
            "\"",
            "a\"b\\c",
            "\n\r\t\u{0}\u{1}\u{1f}\u{7f}",
            "\u{2028}\u{2029}\u{2027}\u{202a}\u{20ac}",
            "৳১০০ – 30 Days \u{1F600}",
            "\u{2028}",
            "x\u{2029}",
            "\u{e2}\u{80}",
            "tail\\",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every char up to U+2100, alone and between plain runs.
        cases.extend(
            (0..0x2100u32)
                .filter_map(char::from_u32)
                .map(|c| format!("a{c}b{c}")),
        );
        for s in cases {
            let (mut fast, mut slow) = (String::new(), String::new());
            write_str(&mut fast, &s);
            write_str_by_char(&mut slow, &s);
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    #[test]
    fn round_trips_through_writer() {
        let text = r#"{"a":[1,true,null,"x\"y\u0001"],"b":{"c":-2.50},"৳":"১০০"}"#;
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(parse(v.to_json().as_bytes()).unwrap(), v);
        assert_eq!(v.to_json(), text);
    }

    #[test]
    fn get_finds_the_first_of_repeated_keys() {
        let v = parse(br#"{"k":1,"k":2}"#).unwrap();
        assert_eq!(v.get("k"), Some(&Value::Number("1".into())));
        assert_eq!(v.get("missing"), None);
        assert_eq!(Value::Null.get("k"), None);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse(&b);
        }

        #[test]
        fn never_panics_on_json_like_text(s in r#"[\[\]{}",:0-9eE.+\-a-z\\ ]{0,64}"#) {
            if let Ok(v) = parse(s.as_bytes()) {
                prop_assert_eq!(parse(v.to_json().as_bytes()), Ok(v));
            }
        }
    }
}
