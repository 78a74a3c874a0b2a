//! Prints how fast each transcript reader goes, and whether its time per megabyte stays flat
//! as the input grows (it should: every reader is one linear pass).
//!
//!     cargo run --release -p circlework-coding --example transcript_throughput -- [MB]
//!
//! Each input is the sample session repeated to about `MB` megabytes (default 100), read at a
//! quarter, half and the full size; then a few hostile shapes (one huge line, a line of `<`,
//! a line of `&`, cues of unclosed tags) at the full size.

use std::error::Error;
use std::time::Instant;

use circlework_coding::transcript::{TranscriptFormat, read};

const SAMPLE_TXT: &str = include_str!("../tests/fixtures/sample-session.txt");
const SAMPLE_VTT: &str = include_str!("../tests/fixtures/sample-session.vtt");
const SAMPLE_SRT: &str = include_str!("../tests/fixtures/sample-session.srt");
const SAMPLE_CSV: &str = include_str!("../tests/fixtures/sample-session.csv");

const MB: usize = 1_000_000;

fn main() -> Result<(), Box<dyn Error>> {
    let full_mb: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 100,
    };
    println!("reader  input                     MB   utterances   seconds    MB/s   ms/MB");
    let (vtt_header, vtt_body) = SAMPLE_VTT.split_once("\n\n").ok_or("no VTT header")?;
    let (csv_header, csv_body) = SAMPLE_CSV.split_once('\n').ok_or("no CSV header")?;
    let shapes = [
        (TranscriptFormat::Lines, "", SAMPLE_TXT),
        (TranscriptFormat::Plain, "", SAMPLE_TXT),
        (TranscriptFormat::Vtt, vtt_header, vtt_body),
        (TranscriptFormat::Srt, "", SAMPLE_SRT),
        (TranscriptFormat::Csv, csv_header, csv_body),
    ];
    for (format, header, body) in shapes {
        for quarters in [1, 2, 4] {
            let input = repeated(header, body, full_mb * MB * quarters / 4);
            measure(format, "sample session repeated", &input)?;
        }
    }
    let bytes = full_mb * MB;
    measure(
        TranscriptFormat::Plain,
        "one line, no newline",
        &"word ".repeat(bytes / 5),
    )?;
    measure(
        TranscriptFormat::Plain,
        "one line of `<v`",
        &"<v".repeat(bytes / 2),
    )?;
    measure(
        TranscriptFormat::Lines,
        "one line of `&#x`",
        &"&#x".repeat(bytes / 3),
    )?;
    let one_cue = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{}",
        "<i>a ".repeat(bytes / 5)
    );
    measure(TranscriptFormat::Vtt, "one cue of `<i>a `", &one_cue)?;
    let voices = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{}",
        "<v a".repeat(bytes / 4)
    );
    measure(TranscriptFormat::Vtt, "one cue of `<v a`", &voices)?;
    Ok(())
}

/// `header` once, then `body` until the text is at least `bytes` long.
fn repeated(header: &str, body: &str, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + body.len() + header.len() + 2);
    if !header.is_empty() {
        text.push_str(header);
        text.push_str("\n\n");
    }
    while text.len() < bytes {
        text.push_str(body);
        text.push('\n');
    }
    text
}

fn measure(format: TranscriptFormat, shape: &str, input: &str) -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    let utterances = read(format, input)?;
    let seconds = started.elapsed().as_secs_f64();
    let megabytes = input.len() as f64 / MB as f64;
    println!(
        "{:<7} {:<24} {:>5.0} {:>12} {:>9.3} {:>7.1} {:>7.2}",
        format.as_str(),
        shape,
        megabytes,
        utterances.len(),
        seconds,
        megabytes / seconds,
        seconds * 1000.0 / megabytes
    );
    Ok(())
}
