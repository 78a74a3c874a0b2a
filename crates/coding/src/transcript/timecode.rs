//! Caption timestamps (`00:01:02.500`, `00:01:02,500`, `01:02.500`) and plain seconds
//! (`62.5`) into milliseconds.
//!
//! One lenient parser serves WebVTT, SRT and CSV: either `.` or `,` may separate the
//! fraction, hours are optional, the fraction has 1 to 3 digits and may be left off.

/// What a WebVTT cue timing line should look like, for error messages.
pub const VTT_TIMING_EXPECTED: &str = "a cue timing like `00:00:01.000 --> 00:00:04.000`";
/// What an SRT timing line should look like, for error messages.
pub const SRT_TIMING_EXPECTED: &str = "a subtitle timing like `00:00:01,000 --> 00:00:04,000`";
/// What a cue's end time must be.
pub const END_AFTER_START_EXPECTED: &str = "an end time no earlier than the start time";

/// `[hh:]mm:ss[.fff]` (or `,fff`) in milliseconds.
pub fn parse_clock(text: &str) -> Option<u64> {
    let (clock, fraction) = match text.rfind(['.', ',']) {
        Some(at) => (text.get(..at)?, Some(text.get(at + 1..)?)),
        None => (text, None),
    };
    let mut parts = clock.split(':').rev();
    let seconds = small_number(parts.next()?)?;
    let minutes = small_number(parts.next()?)?;
    let hours = match parts.next() {
        Some(hours) => digits(hours, 1, 9)?,
        None => 0,
    };
    if parts.next().is_some() || seconds >= 60 || minutes >= 60 {
        return None;
    }
    let millis = match fraction {
        Some(fraction) => fraction_millis(fraction, 3)?,
        None => 0,
    };
    let whole_seconds = hours.checked_mul(3600)? + minutes * 60 + seconds;
    whole_seconds.checked_mul(1000)?.checked_add(millis)
}

/// Seconds as a decimal number (`12`, `12.5`, `12.3456`) in milliseconds; digits past the
/// third decimal are dropped.
pub fn parse_seconds(text: &str) -> Option<u64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction_millis(fraction, usize::MAX)?),
        None => (text, 0),
    };
    digits(whole, 1, 12)?
        .checked_mul(1000)?
        .checked_add(fraction)
}

/// `start --> end [cue settings]`: the start and end in milliseconds.
pub fn parse_cue_timing(line: &str) -> Option<(u64, u64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((parse_clock(start.trim())?, parse_clock(end)?))
}

/// One or two digits (minutes or seconds).
fn small_number(text: &str) -> Option<u64> {
    digits(text, 1, 2)
}

/// A run of `min..=max` ASCII digits (no sign, unlike `str::parse`).
fn digits(text: &str, min: usize, max: usize) -> Option<u64> {
    let all_digits = text.bytes().all(|b| b.is_ascii_digit());
    (all_digits && (min..=max).contains(&text.len()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A decimal fraction's digits (at least one, at most `max_len`) in thousandths.
fn fraction_millis(fraction: &str, max_len: usize) -> Option<u64> {
    if fraction.is_empty()
        || fraction.len() > max_len
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |acc, digit| acc * 10 + u64::from(digit - b'0'));
    Some(millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_caption_clocks() {
        let cases = [
            ("00:00:01.000", 1_000),
            ("00:00:01,250", 1_250),
            ("01:02:03.004", 3_723_004),
            ("02:03.5", 123_500),
            ("100:00:00.000", 360_000_000),
            ("00:00:07", 7_000),
        ];
        for (text, millis) in cases {
            assert_eq!(parse_clock(text), Some(millis), "{text}");
        }
    }

    #[test]
    fn rejects_malformed_clocks() {
        for text in [
            "",
            "1",
            "00:60.000",
            "00:61:00.000",
            "00:00:01.0000",
            "00:00:01.",
            "+0:00:01.000",
            "a:00:00.000",
            "00:00:-1.000",
            "1:2:3:4.000",
            "00:00:01.00a",
        ] {
            assert_eq!(parse_clock(text), None, "{text}");
        }
    }

    #[test]
    fn reads_seconds() {
        assert_eq!(parse_seconds("12"), Some(12_000));
        assert_eq!(parse_seconds("12.5"), Some(12_500));
        assert_eq!(parse_seconds("0.0419"), Some(41));
        for bad in ["", ".5", "-1", "+1", "1e3", "1.", "nan"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_cue_timings_with_settings() {
        assert_eq!(
            parse_cue_timing("00:00:01.000 --> 00:00:04.000 align:start position:10%"),
            Some((1_000, 4_000))
        );
        assert_eq!(
            parse_cue_timing("00:00:01,000-->00:00:04,000"),
            Some((1_000, 4_000))
        );
        assert_eq!(parse_cue_timing("00:00:01 -> 4"), None);
        assert_eq!(parse_cue_timing("00:00:01.000 -->"), None);
    }

    proptest! {
        #[test]
        fn formatted_clocks_read_back(millis in 0u64..400_000_000_000) {
            let text = format!(
                "{:02}:{:02}:{:02}.{:03}",
                millis / 3_600_000,
                millis / 60_000 % 60,
                millis / 1000 % 60,
                millis % 1000
            );
            prop_assert_eq!(parse_clock(&text), Some(millis));
        }
    }
}
