//! `ApiError::from_response` on any status, headers and body.
//! The check and its properties: `bdpay_fuzz::api_error` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::api_error(data));
