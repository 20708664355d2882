//! The validator config (`Rules::from_config`), and requests checked against it.
//! The check and its properties: `bdpay_fuzz::rules` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::rules(data));
