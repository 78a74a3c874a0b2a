#![no_main]

use coding::transcript::TranscriptFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| circlework_fuzz::read_and_check(TranscriptFormat::Lines, data));
