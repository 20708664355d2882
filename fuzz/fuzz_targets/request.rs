//! Bytes → `json::parse` → `validate_request`; an accepted request revalidates to itself.
//! The check and its properties: `bdpay_fuzz::request` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::request(data));
