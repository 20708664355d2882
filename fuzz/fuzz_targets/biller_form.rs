//! A person's form values for Bakhrabad Gas (the wallet reference's sample) through `validate_biller_form`.
//! The check and its properties: `bdpay_fuzz::biller_form` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::biller_form(data));
