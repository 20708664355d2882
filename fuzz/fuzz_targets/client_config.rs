//! The client options object (`Config::from_json`), validator config included.
//! The check and its properties: `bdpay_fuzz::client_config` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::client_config(data));
