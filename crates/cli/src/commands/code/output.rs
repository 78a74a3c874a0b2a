//! Writing coded utterances as JSONL (hand-written on the hot path), CSV or a table.

use std::io::Write;

use anyhow::Context;
use coding::coder::{CodeExplanation, CodedUtterance};
use domain::ProcessCode;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Jsonl,
    Csv,
    Table,
}

/// One coded utterance with what is known about it.
#[derive(Debug)]
pub struct Record<'a> {
    pub index: usize,
    pub speaker: Option<&'a str>,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    /// Present for transcripts (JSONL) and always shown in CSV and table output.
    pub text: Option<&'a str>,
    pub coded: &'a CodedUtterance,
    pub explanation: Option<&'a [CodeExplanation]>,
}

pub struct Writer<W: Write> {
    format: OutputFormat,
    explain: bool,
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(format: OutputFormat, explain: bool, mut out: W) -> anyhow::Result<Writer<W>> {
        match format {
            OutputFormat::Csv => {
                let mut header = vec!["index", "speaker", "start", "end", "text", "codes"];
                header.extend(ProcessCode::ALL.iter().map(|c| c.as_str()));
                if explain {
                    header.push("explain");
                }
                out.write_all(&csv_row(&header)?)?;
            }
            OutputFormat::Table => {
                writeln!(out, "{:>6}  {:<12} {:<40} text", "#", "speaker", "codes")?;
            }
            OutputFormat::Jsonl => {}
        }
        Ok(Writer {
            format,
            explain,
            out,
        })
    }

    pub fn explains(&self) -> bool {
        self.explain
    }

    pub fn is_jsonl(&self) -> bool {
        self.format == OutputFormat::Jsonl
    }

    /// Writes already formatted JSONL lines.
    pub fn write_raw(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out.write_all(bytes).context("writing the output")
    }

    /// The JSONL line of the evaluation contract, with no extra fields.
    pub fn write_jsonl_fast(&mut self, coded: &CodedUtterance) -> anyhow::Result<()> {
        let mut line = Vec::with_capacity(320);
        jsonl_scores(coded, &mut line);
        self.write_raw(&line)
    }

    pub fn write(&mut self, record: &Record<'_>) -> anyhow::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                let mut line = Vec::with_capacity(512);
                jsonl_record(record, &mut line)?;
                self.write_raw(&line)
            }
            OutputFormat::Csv => self.write_csv(record),
            OutputFormat::Table => self.write_table(record),
        }
    }

    fn write_csv(&mut self, record: &Record<'_>) -> anyhow::Result<()> {
        let codes: Vec<&str> = record.coded.codes().map(|c| c.as_str()).collect();
        let mut row = vec![
            record.index.to_string(),
            record.speaker.unwrap_or("").to_owned(),
            record.start_ms.map(seconds).unwrap_or_default(),
            record.end_ms.map(seconds).unwrap_or_default(),
            record.text.unwrap_or("").to_owned(),
            codes.join(" "),
        ];
        row.extend(ProcessCode::ALL.iter().map(|c| {
            let mut s = Vec::new();
            score(record.coded.score(*c), &mut s);
            String::from_utf8_lossy(&s).into_owned()
        }));
        if self.explain {
            row.push(record.explanation.map(explain_line).unwrap_or_default());
        }
        let bytes = csv_row(&row)?;
        self.write_raw(&bytes)
    }

    fn write_table(&mut self, record: &Record<'_>) -> anyhow::Result<()> {
        let codes: Vec<&str> = record.coded.codes().map(|c| c.as_str()).collect();
        let text: String = record.text.unwrap_or("").chars().take(80).collect();
        writeln!(
            self.out,
            "{:>6}  {:<12} {:<40} {}",
            record.index,
            record.speaker.unwrap_or("-"),
            codes.join(","),
            text
        )?;
        if let Some(explanation) = record.explanation {
            for why in explanation {
                writeln!(
                    self.out,
                    "{:>8}{:<12} {:.2} {}: {}",
                    "",
                    why.code.as_str(),
                    why.score,
                    why.source,
                    evidence(why)
                )?;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.flush().context("writing the output")
    }
}

/// One CSV row, quoted as needed.
fn csv_row<T: AsRef<[u8]>>(fields: &[T]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(fields)?;
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))
}

fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

fn evidence(why: &CodeExplanation) -> String {
    why.evidence
        .iter()
        .map(|(name, push)| format!("{name} ({push:+.2})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn explain_line(explanation: &[CodeExplanation]) -> String {
    explanation
        .iter()
        .map(|why| format!("{}: {}: {}", why.code.as_str(), why.source, evidence(why)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `"code":` keys, built once.
const KEYS: [&str; 14] = [
    "\"hostility\":",
    "\"judgment\":",
    "\"challenge\":",
    "\"avoidance\":",
    "\"disclosure\":",
    "\"emotion\":",
    "\"support\":",
    "\"universality\":",
    "\"feedback\":",
    "\"validation\":",
    "\"hope\":",
    "\"advice\":",
    "\"facilitation\":",
    "\"safety\":",
];

/// Writes `{"codes":[...],"scores":{...}` without the closing brace.
fn codes_and_scores(coded: &CodedUtterance, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"codes\":[");
    let mut first = true;
    for code in coded.codes() {
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'"');
        out.extend_from_slice(code.as_str().as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b"],\"scores\":{");
    for (i, (key, value)) in KEYS.iter().zip(&coded.scores).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(key.as_bytes());
        score(*value, out);
    }
    out.push(b'}');
}

/// One contract line: `{"codes":[...],"scores":{...}}\n`.
pub fn jsonl_scores(coded: &CodedUtterance, out: &mut Vec<u8>) {
    codes_and_scores(coded, out);
    out.extend_from_slice(b"}\n");
}

fn jsonl_record(record: &Record<'_>, out: &mut Vec<u8>) -> anyhow::Result<()> {
    codes_and_scores(record.coded, out);
    if let Some(speaker) = record.speaker {
        out.extend_from_slice(b",\"speaker\":");
        serde_json::to_writer(&mut *out, speaker)?;
    }
    if let Some(start) = record.start_ms {
        out.extend_from_slice(format!(",\"start\":{}", seconds(start)).as_bytes());
    }
    if let Some(end) = record.end_ms {
        out.extend_from_slice(format!(",\"end\":{}", seconds(end)).as_bytes());
    }
    if let Some(text) = record.text {
        out.extend_from_slice(b",\"text\":");
        serde_json::to_writer(&mut *out, text)?;
    }
    if let Some(explanation) = record.explanation {
        let map: serde_json::Map<String, serde_json::Value> = explanation
            .iter()
            .map(|why| {
                (
                    why.code.as_str().to_owned(),
                    serde_json::json!({
                        "source": why.source,
                        "evidence": why.evidence.iter().map(|(name, push)| serde_json::json!([name, (push * 1000.0).round() / 1000.0])).collect::<Vec<_>>(),
                    }),
                )
            })
            .collect();
        out.extend_from_slice(b",\"explain\":");
        serde_json::to_writer(&mut *out, &map)?;
    }
    out.extend_from_slice(b"}\n");
    Ok(())
}

/// A score in [0, 1] with at most 3 decimals, trailing zeros dropped: `0`, `1`, `0.5`, `0.123`.
pub fn score(value: f32, out: &mut Vec<u8>) {
    let thousandths = if value.is_nan() {
        0
    } else {
        (value.clamp(0.0, 1.0) * 1000.0).round() as u32
    };
    match thousandths {
        0 => out.push(b'0'),
        1000.. => out.push(b'1'),
        mut t => {
            out.extend_from_slice(b"0.");
            let mut digits = [b'0'; 3];
            for slot in digits.iter_mut().rev() {
                *slot = b'0' + (t % 10) as u8;
                t /= 10;
            }
            let keep = digits.iter().rposition(|d| *d != b'0').map_or(0, |p| p + 1);
            out.extend_from_slice(digits.get(..keep).unwrap_or(&[]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(value: f32) -> String {
        let mut out = Vec::new();
        score(value, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn scores_are_written_with_three_decimals_at_most() {
        assert_eq!(text(0.0), "0");
        assert_eq!(text(1.0), "1");
        assert_eq!(text(0.5), "0.5");
        assert_eq!(text(0.1234), "0.123");
        assert_eq!(text(0.0996), "0.1");
        assert_eq!(text(0.9996), "1");
        assert_eq!(text(0.007), "0.007");
        assert_eq!(text(f32::NAN), "0");
    }

    proptest! {
        #[test]
        fn a_written_score_parses_back_within_half_a_thousandth(value in 0.0f32..=1.0) {
            let parsed: f64 = text(value).parse().unwrap();
            prop_assert!((parsed - f64::from(value)).abs() <= 0.0005 + 1e-6);
        }
    }
}
