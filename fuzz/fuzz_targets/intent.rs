//! Payment intents: `verify`, `verify_for_status` and `peek` on any text; signing round trips; one byte changed never verifies.
//! The check and its properties: `bdpay_fuzz::intent` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::intent(data));
