#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| circlework_fuzz::score_and_check(data));
