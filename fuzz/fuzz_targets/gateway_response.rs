//! The gateway's response parsers (`parse_balance`, `parse_packages`, `parse_transaction`) on any response.
//! The check and its properties: `bdpay_fuzz::gateway_response` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::gateway_response(data));
