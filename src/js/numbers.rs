//! The validation entry's fast path for phone numbers: one wasm call per
//! number, or one per list, with no text built in Rust and no JSON per call.
//!
//! A result is one `i32`: `-1` for anything that is not a live mobile number,
//! otherwise the canonical number's last nine digits (`01` before them,
//! zero-padded, is the number). Their first digit is the prefix's third, which
//! indexes [`Validator::prefix_hints`]. The package's JS turns the hints into
//! frozen objects once, so every number on a prefix shares one. (An `i32`
//! needs no float division or remainder in JS to take it apart: a `%` on a
//! float is a call into the runtime there.)
//!
//! A number comes in as the UTF-16 code units the package's JS writes
//! straight into [`Validator::units_at`]'s buffer (`checkPhoneUnits`,
//! `checkPhonesUnits`): no allocation and no UTF-8 encoding per call.

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

use bdpay_core::json::units::read_units;
use bdpay_core::json::{JsonError, Value};
use bdpay_core::phone::{check_phone_units, Checked};

use super::validation::Validator;

const NOT_A_NUMBER: i32 = -1;

/// The most numbers one `checkPhonesUnits` call reads: a chunk of
/// `checkPhones` (CHUNK in api.js).
const MAX_NUMBERS: usize = 4096;

/// The code units of a chunk of `checkPhones`: 4,096 numbers of up to 40
/// units, each followed by a line break.
const CHUNK_UNITS: usize = MAX_NUMBERS * 41;

/// The most code units the buffer holds: a value for `validateRequestUnits`
/// or `configure` (validation.rs) as long as the JSON reader's largest
/// document. Past the chunk's size, the buffer is let go after the call.
pub(super) const MAX_UNITS: usize = bdpay_core::json::MAX_BYTES;

/// `Checked` as its last nine digits: below 10⁹, so always an `i32`.
fn packed(c: Checked) -> i32 {
    i32::try_from(c.last_nine).unwrap_or(NOT_A_NUMBER)
}

#[wasm_bindgen]
impl Validator {
    /// Where to write `len` code units: the address of the buffer, which
    /// moves only when a longer one is asked for (or after a value longer
    /// than a chunk, [`Validator::value_units`]); 0 past [`MAX_UNITS`].
    #[wasm_bindgen(js_name = unitsAt)]
    pub fn units_at(&mut self, len: usize) -> usize {
        if len > MAX_UNITS {
            return 0;
        }
        if self.units.len() < len {
            self.units.resize(len, 0);
        }
        self.units.as_ptr() as usize
    }

    /// The value in the first `len` units of the buffer (json/units.rs);
    /// `too_large` if they could not be written there. A buffer grown past
    /// a chunk for it is let go.
    pub(super) fn value_units(&mut self, len: usize) -> Result<Value, JsonError> {
        let value = match self.units.get(..len) {
            Some(units) => read_units(units),
            None => Err(JsonError::TooLarge),
        };
        if self.units.len() > CHUNK_UNITS {
            self.units = Vec::new();
        }
        value
    }

    /// `checkPhone` of the first `len` code units of the buffer.
    #[wasm_bindgen(js_name = checkPhoneUnits)]
    pub fn check_phone_units(&self, len: usize) -> i32 {
        self.units
            .get(..len)
            .and_then(|u| check_phone_units(u, &self.rules.registry))
            .map_or(NOT_A_NUMBER, packed)
    }

    /// `checkPhones` of the first `len` code units of the buffer: `count`
    /// numbers (at most [`MAX_NUMBERS`]) separated by line breaks. Answers
    /// the address of the results, one `i32` each (`-1` for a line past
    /// the last), which stay there until the next call: the package's JS
    /// reads them in place, so no array is copied in or out (and
    /// wasm-bindgen's slice glue stays out of the wasm).
    #[wasm_bindgen(js_name = checkPhonesUnits)]
    pub fn check_phones_units(&mut self, len: usize, count: usize) -> usize {
        let registry = &self.rules.registry;
        let units = self.units.get(..len).unwrap_or(&[]);
        self.results.clear();
        self.results.resize(count.min(MAX_NUMBERS), NOT_A_NUMBER);
        for (slot, number) in self.results.iter_mut().zip(units.split(|&u| u == 10)) {
            *slot = check_phone_units(number, registry).map_or(NOT_A_NUMBER, packed);
        }
        self.results.as_ptr() as usize
    }

    /// The JSON text of what each mobile prefix suggests, `010` to `019`
    /// by its third digit: `[{ code, name, name_bn, alternatives } | null]`.
    #[wasm_bindgen(js_name = prefixHints)]
    pub fn prefix_hints(&self) -> String {
        let registry = &self.rules.registry;
        bdpay_core::json::array_of(b'0'..=b'9', |d| {
            let index = registry.prefix_index_of([b'0', b'1', d]);
            index
                .and_then(|i| registry.detect_at(i))
                .map_or(Value::Null, |d| d.to_json())
        })
        .to_json()
    }
}
