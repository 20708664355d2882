//! Bulk files: CSV in, the checks, the results CSV, and the saved state.
//! The check and its properties: `bdpay_fuzz::bulk_file` in `fuzz/src/lib.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bdpay_fuzz::bulk_file(data));
