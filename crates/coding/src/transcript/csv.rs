//! CSV transcripts: `speaker,text[,start,end]`, read with the `csv` crate (quoted fields may
//! hold commas, quotes and newlines).
//!
//! A first row naming `speaker` and `text` (any case, any order, optionally `start` and
//! `end`) is a header and picks the columns; without one the columns are positional. Times
//! are seconds (`12.5`) or clocks (`00:00:12.500`, `00:00:12,500`); an empty cell is no time.
//! An empty speaker cell is no speaker. Rows that are empty, or whose text cleans to nothing,
//! are dropped.

use csv::{ReaderBuilder, StringRecord, Trim};

use super::clean::clean_text;
use super::timecode::{END_AFTER_START_EXPECTED, parse_clock, parse_seconds};
use super::{ReadError, Utterance, excerpt, number_non_empty};

const FIELDS_EXPECTED: &str = "a `speaker,text` row";
const TIME_EXPECTED: &str = "a time in seconds like `12.5` or a clock like `00:00:12.500`";

/// Which column holds what.
#[derive(Debug, Clone, Copy)]
struct Columns {
    speaker: usize,
    text: usize,
    start: Option<usize>,
    end: Option<usize>,
}

/// `speaker,text,start,end` in that order.
const POSITIONAL: Columns = Columns {
    speaker: 0,
    text: 1,
    start: Some(2),
    end: Some(3),
};

pub fn read(input: &str) -> Result<Vec<Utterance>, ReadError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(input.as_bytes());
    let mut record = StringRecord::new();
    let mut columns = None;
    let mut rows = Vec::new();
    let mut line = 1;
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|err| malformed(&err, line))?;
        if !more {
            break;
        }
        line = record_line(&record, line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let columns = match columns {
            Some(columns) => columns,
            None => {
                let found = header_columns(&record);
                columns = Some(found.unwrap_or(POSITIONAL));
                if found.is_some() {
                    continue;
                }
                POSITIONAL
            }
        };
        rows.push(read_row(&record, columns, line)?);
    }
    Ok(number_non_empty(rows))
}

fn read_row(record: &StringRecord, columns: Columns, line: usize) -> Result<Utterance, ReadError> {
    let text = record.get(columns.text).ok_or_else(|| {
        let cells = record.iter().collect::<Vec<_>>().join(",");
        let found = format!("{} field(s), `{}`", record.len(), excerpt(&cells));
        ReadError::describing(line, FIELDS_EXPECTED, found)
    })?;
    let speaker = record
        .get(columns.speaker)
        .map(clean_text)
        .filter(|speaker| !speaker.is_empty());
    let start_ms = read_time(record, columns.start, line)?;
    let end_ms = read_time(record, columns.end, line)?;
    if let (Some(start), Some(end)) = (start_ms, end_ms)
        && end < start
    {
        let found = format!("start {start} ms, end {end} ms");
        return Err(ReadError::describing(line, END_AFTER_START_EXPECTED, found));
    }
    Ok(Utterance {
        index: 0,
        speaker,
        text: clean_text(text),
        start_ms,
        end_ms,
    })
}

fn read_time(
    record: &StringRecord,
    column: Option<usize>,
    line: usize,
) -> Result<Option<u64>, ReadError> {
    let Some(cell) = column.and_then(|column| record.get(column)) else {
        return Ok(None);
    };
    if cell.is_empty() {
        return Ok(None);
    }
    parse_seconds(cell)
        .or_else(|| parse_clock(cell))
        .map(Some)
        .ok_or_else(|| ReadError::quoting(line, TIME_EXPECTED, cell))
}

/// The columns a header row names, or `None` when the row is not a header.
fn header_columns(record: &StringRecord) -> Option<Columns> {
    let find = |name: &str| {
        record
            .iter()
            .position(|cell| cell.eq_ignore_ascii_case(name))
    };
    Some(Columns {
        speaker: find("speaker")?,
        text: find("text")?,
        start: find("start"),
        end: find("end"),
    })
}

/// The 1-based line a record starts on.
fn record_line(record: &StringRecord, fallback: usize) -> usize {
    record
        .position()
        .and_then(|position| usize::try_from(position.line()).ok())
        .unwrap_or(fallback)
}

fn malformed(err: &csv::Error, line: usize) -> ReadError {
    let line = err
        .position()
        .and_then(|position| usize::try_from(position.line()).ok())
        .unwrap_or(line);
    ReadError::describing(line, "well-formed CSV", err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (Option<String>, String, Option<u64>, Option<u64>);

    fn rows(input: &str) -> Vec<Row> {
        read(input)
            .unwrap()
            .into_iter()
            .map(|u| (u.speaker, u.text, u.start_ms, u.end_ms))
            .collect()
    }

    fn row(speaker: Option<&str>, text: &str, start: Option<u64>, end: Option<u64>) -> Row {
        (speaker.map(str::to_owned), text.to_owned(), start, end)
    }

    #[test]
    fn reads_positional_rows_with_quoted_fields() {
        let input = "Ama,\"Well, I said \"\"no\"\".\",1.5,4\nKofi,\"two\nlines\",00:00:04.500,\"00:00:06,250\"\n";
        assert_eq!(
            rows(input),
            [
                row(
                    Some("Ama"),
                    "Well, I said \"no\".",
                    Some(1_500),
                    Some(4_000)
                ),
                row(Some("Kofi"), "two lines", Some(4_500), Some(6_250)),
            ]
        );
    }

    #[test]
    fn a_header_picks_the_columns() {
        let input = "\u{feff}Start,End,Text,Speaker\n1,2,hello,Ama\n,,<i>quiet</i> &amp; calm,\n";
        assert_eq!(
            rows(input),
            [
                row(Some("Ama"), "hello", Some(1_000), Some(2_000)),
                row(None, "quiet & calm", None, None),
            ]
        );
    }

    #[test]
    fn times_are_optional_and_empty_rows_are_skipped() {
        let input = "speaker,text\n\nAma,hi\n,\nKofi,  \n";
        assert_eq!(rows(input), [row(Some("Ama"), "hi", None, None)]);
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let cases = [
            (
                "Ama,hi\nlonely\n",
                2,
                FIELDS_EXPECTED,
                "1 field(s), `lonely`",
            ),
            (
                "Ama,hi,1\n\"Kofi\",\"a\nb\",soon\n",
                2,
                TIME_EXPECTED,
                "`soon`",
            ),
            (
                "speaker,text,start,end\nAma,hi,1,abc\n",
                2,
                TIME_EXPECTED,
                "`abc`",
            ),
            ("Ama,hi,-1\n", 1, TIME_EXPECTED, "`-1`"),
            (
                "Ama,hi,5,2\n",
                1,
                END_AFTER_START_EXPECTED,
                "start 5000 ms, end 2000 ms",
            ),
        ];
        for (input, line, expected, found) in cases {
            assert_eq!(
                read(input).unwrap_err(),
                ReadError {
                    line,
                    expected: expected.into(),
                    found: found.into()
                },
                "{input:?}"
            );
        }
    }
}
