//! A bill's `month` and a caller's `ref_id`, as JSON values and as plain text.
//! The check and its properties: `bdpay_fuzz::month_ref_id` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::month_ref_id(data));
