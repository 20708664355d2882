//! Two ways to read a gateway's JSON answer into typed Rust values in wasm,
//! with money read exactly into whole paisa (never through f64's arithmetic).
//!
//! Features (build one at a time):
//!   (none)  baseline: no JSON reader; same decimal parser and summary code.
//!   a_ap    serde_json::from_str, `arbitrary_precision`: amount = serde_json::Number's text.
//!   a_raw   serde_json::from_str, `raw_value`: amount = &RawValue's text.
//!   b_swb   JSON.parse in JS, serde_wasm_bindgen::from_value; a non-integer
//!           number arrives as f64 and is turned back into text with JS String(n).

#[cfg(any(
    all(feature = "a_ap", feature = "a_raw"),
    all(feature = "a_ap", feature = "b_swb"),
    all(feature = "a_raw", feature = "b_swb")
))]
compile_error!("build one reader feature at a time");

use serde::de::{Deserialize, Deserializer, Error};
use wasm_bindgen::prelude::*;

/// Whole paisa (1/100 taka).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub i64);

/// Exact decimal text to paisa. Grammar: JSON's number grammar without the
/// leading-zero rule: `-?d+(.d+)?([eE][+-]?d+)?`. The value must be a whole
/// number of paisa: "100.5" = 10050, "100.500" = 10050, "1e3" = 100000,
/// "1.005e2" = 10050; "100.505" is refused. "-0" = 0. Out of i64 is refused.
/// Integer arithmetic only; no indexing that can panic.
pub fn paisa(s: &str) -> Result<i64, &'static str> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let neg = b.first() == Some(&b'-');
    if neg {
        i = 1;
    }
    // value = mant * 10^(pending + scale)
    let mut mant: i64 = 0;
    let mut pending: i64 = 0; // zeros seen after the last nonzero digit
    let mut scale: i64 = 2; // paisa
    let push = |d: u8, mant: &mut i64, pending: &mut i64| -> Result<(), &'static str> {
        if d == 0 {
            if *mant != 0 {
                *pending += 1;
            }
            return Ok(());
        }
        let mut m = *mant;
        for _ in 0..=*pending {
            m = m.checked_mul(10).ok_or("amount has too many digits")?;
        }
        *mant = m.checked_add(i64::from(d)).ok_or("amount has too many digits")?;
        *pending = 0;
        Ok(())
    };
    let mut int_digits = 0;
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        push(c - b'0', &mut mant, &mut pending)?;
        int_digits += 1;
        i += 1;
    }
    if int_digits == 0 {
        return Err("amount is not a decimal number");
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let mut frac_digits = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            push(c - b'0', &mut mant, &mut pending)?;
            scale -= 1;
            frac_digits += 1;
            i += 1;
        }
        if frac_digits == 0 {
            return Err("amount is not a decimal number");
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut exp: i64 = 0;
        let mut exp_digits = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            exp = (exp * 10 + i64::from(c - b'0')).min(1_000_000); // saturate
            exp_digits += 1;
            i += 1;
        }
        if exp_digits == 0 {
            return Err("amount is not a decimal number");
        }
        scale += if eneg { -exp } else { exp };
    }
    if i != b.len() {
        return Err("amount is not a decimal number");
    }
    if mant == 0 {
        return Ok(0);
    }
    let shift = pending + scale;
    if shift < 0 {
        // mant ends in a nonzero digit: a fraction of a paisa.
        return Err("amount has more than 2 decimals");
    }
    if shift > 18 {
        return Err("amount out of range");
    }
    let mut v = mant;
    for _ in 0..shift {
        v = v.checked_mul(10).ok_or("amount out of range")?;
    }
    Ok(if neg { -v } else { v })
}

// ---- Amount's Deserialize -------------------------------------------------

#[cfg(feature = "a_raw")]
impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: &'de serde_json::value::RawValue = Deserialize::deserialize(d)?;
        let t = raw.get();
        // A JSON string's raw text keeps its quotes and escapes; paisa() refuses
        // any escape (backslash), so only plain "123.45" strings pass.
        let t = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(t);
        paisa(t).map(Amount).map_err(D::Error::custom)
    }
}

#[cfg(not(feature = "a_raw"))]
impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

#[cfg(not(feature = "a_raw"))]
struct AmountVisitor;

#[cfg(not(feature = "a_raw"))]
impl<'de> serde::de::Visitor<'de> for AmountVisitor {
    type Value = Amount;
    fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str("an amount: a decimal number or a string of one")
    }
    fn visit_i64<E: Error>(self, v: i64) -> Result<Amount, E> {
        v.checked_mul(100).map(Amount).ok_or_else(|| E::custom("amount out of range"))
    }
    fn visit_u64<E: Error>(self, v: u64) -> Result<Amount, E> {
        i64::try_from(v)
            .ok()
            .and_then(|v| v.checked_mul(100))
            .map(Amount)
            .ok_or_else(|| E::custom("amount out of range"))
    }
    fn visit_str<E: Error>(self, v: &str) -> Result<Amount, E> {
        paisa(v).map(Amount).map_err(E::custom)
    }
    /// B: the number is already an f64 (JSON.parse). JS String(n) gives the
    /// shortest text that reads back as the same f64; that text is parsed.
    #[cfg(feature = "b_swb")]
    fn visit_f64<E: Error>(self, v: f64) -> Result<Amount, E> {
        let s: String = js_sys::Number::from(v)
            .to_string_with_radix(10)
            .map(String::from)
            .map_err(|_| E::custom("amount is not a number"))?;
        paisa(&s).map(Amount).map_err(E::custom)
    }
    /// A (arbitrary_precision): a number that is not a plain i64/u64 arrives
    /// as serde_json's private one-entry map; serde_json::Number reads it.
    #[cfg(feature = "a_ap")]
    fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Amount, M::Error> {
        let n = serde_json::Number::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        paisa(n.as_str()).map(Amount).map_err(M::Error::custom)
    }
}

// ---- The answer types -----------------------------------------------------

#[derive(serde::Deserialize)]
#[allow(dead_code)]
pub struct Answer<T> {
    pub status: bool,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default = "none")]
    pub data: Option<T>,
}
fn none<T>() -> Option<T> {
    None
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
pub struct Txn {
    pub trx_id: String,
    pub ref_id: String,
    pub phone: String,
    pub amount: Amount,
    pub trx_status: String,
    pub operator_code: String,
    pub created_at: String,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
pub struct Package {
    pub id: u32,
    pub name: String,
    pub price: Amount,
    pub validity: String,
}

// ---- Summaries (shared by every build, baseline included) -----------------

fn summary_txn(r: Result<Answer<Txn>, String>) -> String {
    match r {
        Err(e) => format!("err {e}"),
        Ok(a) if !a.status => format!("err gateway {}", a.message.unwrap_or_default()),
        Ok(Answer { data: None, .. }) => "err no data".into(),
        Ok(Answer { data: Some(t), .. }) => format!("ok {} {} {}", t.trx_id, t.amount.0, t.trx_status),
    }
}

fn summary_packages(r: Result<Answer<Vec<Package>>, String>) -> String {
    match r {
        Err(e) => format!("err {e}"),
        Ok(a) if !a.status => format!("err gateway {}", a.message.unwrap_or_default()),
        Ok(Answer { data: None, .. }) => "err no data".into(),
        Ok(Answer { data: Some(p), .. }) => {
            let mut sum: i64 = 0;
            for x in &p {
                match sum.checked_add(x.price.0) {
                    Some(s) => sum = s,
                    None => return "err sum out of range".into(),
                }
            }
            let last = p.last().map(|x| x.name.as_str()).unwrap_or("");
            format!("ok {} {} {}", p.len(), sum, last)
        }
    }
}

// ---- Exports --------------------------------------------------------------

#[cfg(any(feature = "a_ap", feature = "a_raw"))]
#[wasm_bindgen]
pub fn read(text: &str) -> String {
    summary_txn(serde_json::from_str(text).map_err(|e| e.to_string()))
}

#[cfg(any(feature = "a_ap", feature = "a_raw"))]
#[wasm_bindgen]
pub fn read_packages(text: &str) -> String {
    summary_packages(serde_json::from_str(text).map_err(|e| e.to_string()))
}

#[cfg(feature = "b_swb")]
#[wasm_bindgen]
pub fn read(v: JsValue) -> String {
    summary_txn(serde_wasm_bindgen::from_value(v).map_err(|e| e.to_string()))
}

#[cfg(feature = "b_swb")]
#[wasm_bindgen]
pub fn read_packages(v: JsValue) -> String {
    summary_packages(serde_wasm_bindgen::from_value(v).map_err(|e| e.to_string()))
}

/// Baseline: no JSON reader. Takes an amount's text, builds the same values
/// by hand and the same summaries, so (A or B) minus this is the reader's cost.
#[cfg(not(any(feature = "a_ap", feature = "a_raw", feature = "b_swb")))]
#[wasm_bindgen]
pub fn read(text: &str) -> String {
    summary_txn(
        paisa(text)
            .map(|a| Answer {
                status: true,
                message: None,
                data: Some(Txn {
                    trx_id: text.into(),
                    ref_id: text.into(),
                    phone: text.into(),
                    amount: Amount(a),
                    trx_status: text.into(),
                    operator_code: text.into(),
                    created_at: text.into(),
                }),
            })
            .map_err(String::from),
    )
}

#[cfg(not(any(feature = "a_ap", feature = "a_raw", feature = "b_swb")))]
#[wasm_bindgen]
pub fn read_packages(text: &str) -> String {
    summary_packages(
        paisa(text)
            .map(|a| Answer {
                status: true,
                message: None,
                data: Some(vec![Package { id: 1, name: text.into(), price: Amount(a), validity: text.into() }]),
            })
            .map_err(String::from),
    )
}

#[cfg(test)]
mod tests {
    use super::paisa;
    #[test]
    fn decimals() {
        assert_eq!(paisa("100.50"), Ok(10050));
        assert_eq!(paisa("100.5"), Ok(10050));
        assert_eq!(paisa("100.500"), Ok(10050));
        assert_eq!(paisa("1.005e2"), Ok(10050));
        assert_eq!(paisa("1e3"), Ok(100000));
        assert_eq!(paisa("1e+21").is_err(), true);
        assert_eq!(paisa("-0"), Ok(0));
        assert_eq!(paisa("0.1"), Ok(10));
        assert_eq!(paisa("0.000"), Ok(0));
        assert_eq!(paisa("1e-2"), Ok(1));
        assert!(paisa("1e-3").is_err());
        assert!(paisa("100.505").is_err());
        assert!(paisa("Infinity").is_err());
        assert!(paisa("1.").is_err());
        assert!(paisa(".5").is_err());
        assert!(paisa("").is_err());
        assert!(paisa("-").is_err());
        assert!(paisa("1e").is_err());
        assert!(paisa("1e99999999999999999999").is_err());
        assert_eq!(paisa("0e99999999999999999999"), Ok(0));
        assert_eq!(paisa("92233720368547758.07"), Ok(i64::MAX));
        assert!(paisa("92233720368547758.08").is_err());
        assert_eq!(paisa("-92233720368547758.07"), Ok(-i64::MAX));
        assert!(paisa("12345678901234567890.12").is_err());
    }
}
