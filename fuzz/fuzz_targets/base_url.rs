//! `BaseUrl::parse`: no token over plain http except to loopback.
//! The check and its properties: `bdpay_fuzz::base_url` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::base_url(data));
