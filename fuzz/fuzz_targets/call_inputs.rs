//! What a caller passes to `packages`, `status` and wallet `execute`.
//! The check and its properties: `bdpay_fuzz::call_inputs` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::call_inputs(data));
