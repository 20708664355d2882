//! The proxy's request handling: browser requests through `Proxy::decide`, upstream answers through `Proxy::finish`.
//! The check and its properties: `bdpay_fuzz::proxy` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::proxy(data));
