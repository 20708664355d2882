//! Phone numbers: `normalize_phone` and `normalize_wallet` on any UTF-8.
//! The check and its properties: `bdpay_fuzz::phone` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::phone(data));
