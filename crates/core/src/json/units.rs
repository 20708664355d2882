//! A JSON value as the package's JS writes it into the validation entry's
//! memory: UTF-16 code units, each value a tag and what follows it. The JS
//! side (`encode` in pkg-template/api.js) has already run `JSON.stringify`
//! and `JSON.parse`, so what it writes is plain data; reading it here needs
//! no text grammar beyond a number's, and the validation wasm carries no
//! JSON parser.
//!
//! Layout: a count or length is two units, low half first. `NULL`,
//! `FALSE`, `TRUE` stand alone; `NUMBER` and `STRING` are followed by a
//! length and that many code units (a number as JavaScript prints it);
//! `ARRAY` by a count and that many values; `OBJECT` by a count and that
//! many pairs of a key (a length and its units) and a value. Any other
//! stream, whatever its units, is refused as `Syntax`, never a panic.

use super::{number_end, JsonError, Value, MAX_DEPTH};
use crate::prelude::*;

pub const NULL: u16 = 0;
pub const FALSE: u16 = 1;
pub const TRUE: u16 = 2;
pub const NUMBER: u16 = 3;
pub const STRING: u16 = 4;
pub const ARRAY: u16 = 5;
pub const OBJECT: u16 = 6;

/// A JS string's code units as text; a lone surrogate becomes U+FFFD, as
/// the JSON reader and browsers do.
pub fn text_of(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Reads one whole value from `units`.
pub fn read_units(units: &[u16]) -> Result<Value, JsonError> {
    let mut r = Reader { units, pos: 0 };
    let v = r.value(0)?;
    if r.pos == units.len() {
        Ok(v)
    } else {
        Err(JsonError::Syntax(r.pos))
    }
}

struct Reader<'a> {
    units: &'a [u16],
    pos: usize,
}

impl Reader<'_> {
    fn unit(&mut self) -> Result<u16, JsonError> {
        let u = self.units.get(self.pos).copied();
        self.pos += 1;
        u.ok_or(JsonError::Syntax(self.pos - 1))
    }

    /// A count or a length; one past what is left cannot be right (every
    /// value and every unit takes at least one unit).
    fn count(&mut self) -> Result<usize, JsonError> {
        let n = usize::from(self.unit()?) | usize::from(self.unit()?) << 16;
        if n > self.units.len() - self.pos.min(self.units.len()) {
            return Err(JsonError::Syntax(self.pos));
        }
        Ok(n)
    }

    /// Text of a length and its units ([`text_of`]).
    fn text(&mut self) -> Result<String, JsonError> {
        let n = self.count()?;
        let run = self
            .units
            .get(self.pos..self.pos + n)
            .ok_or(JsonError::Syntax(self.pos))?;
        self.pos += n;
        Ok(text_of(run))
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        let at = self.pos;
        match self.unit()? {
            NULL => Ok(Value::Null),
            FALSE => Ok(Value::Bool(false)),
            TRUE => Ok(Value::Bool(true)),
            NUMBER => {
                let t = self.text()?;
                if number_end(t.as_bytes(), 0) == Some(t.len()) {
                    Ok(Value::Number(t))
                } else {
                    Err(JsonError::Syntax(at))
                }
            }
            STRING => self.text().map(Value::String),
            tag @ (ARRAY | OBJECT) => {
                if depth >= MAX_DEPTH {
                    return Err(JsonError::TooDeep);
                }
                let n = self.count()?;
                if tag == ARRAY {
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.value(depth + 1)?);
                    }
                    Ok(Value::Array(items))
                } else {
                    let mut fields = Vec::with_capacity(n);
                    for _ in 0..n {
                        let key = self.text()?;
                        fields.push((key, self.value(depth + 1)?));
                    }
                    Ok(Value::Object(fields))
                }
            }
            _ => Err(JsonError::Syntax(at)),
        }
    }
}

/// `v` as `encode` in pkg-template/api.js writes it: for the tests here and
/// of the crates above (the wasm suites write their input as the package does).
#[cfg(any(test, feature = "check"))]
pub fn units_of(v: &Value) -> Vec<u16> {
    fn count(n: usize, out: &mut Vec<u16>) {
        out.extend([(n & 0xffff) as u16, (n >> 16) as u16]);
    }
    fn text(s: &str, out: &mut Vec<u16>) {
        let units: Vec<u16> = s.encode_utf16().collect();
        count(units.len(), out);
        out.extend(units);
    }
    fn encode(v: &Value, out: &mut Vec<u16>) {
        match v {
            Value::Null => out.push(NULL),
            Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
            Value::Number(n) => {
                out.push(NUMBER);
                text(n, out);
            }
            Value::String(s) => {
                out.push(STRING);
                text(s, out);
            }
            Value::Array(items) => {
                out.push(ARRAY);
                count(items.len(), out);
                items.iter().for_each(|i| encode(i, out));
            }
            Value::Object(fields) => {
                out.push(OBJECT);
                count(fields.len(), out);
                for (k, v) in fields {
                    text(k, out);
                    encode(v, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    encode(v, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use proptest::prelude::*;

    #[test]
    fn reads_what_the_json_reader_reads() {
        let text = r#"{"type":"recharge","amount":500.00,"n":-1.5e3,"ok":[true,false,null],"bn":"০১৭ বিকাশ 🙂","":{}}"#;
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(read_units(&units_of(&v)), Ok(v));
    }

    #[test]
    fn a_lone_surrogate_is_a_replacement_character() {
        let units = [STRING, 2, 0, 0xD800, u16::from(b'a')];
        assert_eq!(read_units(&units), Ok(Value::String("\u{FFFD}a".into())));
    }

    #[test]
    fn refuses_what_js_never_writes() {
        let bad: [&[u16]; 9] = [
            &[],
            &[0xFFFF],
            &[NULL, NULL],
            &[NUMBER, 2, 0, u16::from(b'0'), u16::from(b'1')],
            &[NUMBER, 1, 0, u16::from(b'x')],
            &[STRING, 5, 0, 1],
            &[ARRAY, 2, 0, NULL],
            &[OBJECT, 1, 0, 1, 0],
            &[ARRAY, 0xFFFF, 0xFFFF],
        ];
        for units in bad {
            assert!(
                matches!(read_units(units), Err(JsonError::Syntax(_))),
                "{units:?}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded_as_in_the_json_reader() {
        let nest = |n: usize| {
            let mut units = Vec::new();
            for _ in 0..n {
                units.extend([ARRAY, 1, 0]);
            }
            units.push(NULL);
            units
        };
        assert!(read_units(&nest(MAX_DEPTH)).is_ok());
        assert_eq!(read_units(&nest(MAX_DEPTH + 1)), Err(JsonError::TooDeep));
        // The JS writer stops at the limit with an empty array.
        let mut cut = nest(MAX_DEPTH);
        cut.pop();
        cut.extend([ARRAY, 0, 0]);
        assert_eq!(read_units(&cut), Err(JsonError::TooDeep));
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| Value::Number(f.to_string())),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..4).prop_map(Value::Object),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics_on_units(u in proptest::collection::vec(any::<u16>(), 0..256)) {
            let _ = read_units(&u);
        }

        #[test]
        fn never_panics_on_near_misses(v in value(), cut in any::<usize>(), flip in any::<u16>()) {
            let mut u = units_of(&v);
            if !u.is_empty() {
                let i = cut % u.len();
                u[i] ^= flip;
                let _ = read_units(&u);
                u.truncate(i);
                let _ = read_units(&u);
            }
        }

        #[test]
        fn round_trips(v in value()) {
            prop_assert_eq!(read_units(&units_of(&v)), Ok(v));
        }
    }
}
