//! The proxy's settings (`ProxyConfig::from_json`), validator config included.
//! The check and its properties: `bdpay_fuzz::proxy_config` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::proxy_config(data));
