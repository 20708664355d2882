//! Money: `Amount::parse` and `Amount::parse_display`, and the decimal round trip.
//! The check and its properties: `bdpay_fuzz::amount` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::amount(data));
