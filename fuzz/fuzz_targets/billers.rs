//! Biller schemas: `parse_billers` and `parse_biller` on any JSON, and their `to_json` round trip.
//! The check and its properties: `bdpay_fuzz::billers` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::billers(data));
