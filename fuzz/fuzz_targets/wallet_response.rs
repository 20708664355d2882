//! The wallet's response parsers (billers, summary, execute, histories, beneficiaries) on any response.
//! The check and its properties: `bdpay_fuzz::wallet_response` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::wallet_response(data));
