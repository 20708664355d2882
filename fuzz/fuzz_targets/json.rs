//! The JSON reader on any bytes, and the `to_json` → `parse` round trip.
//! The check and its properties: `bdpay_fuzz::json` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::json(data));
