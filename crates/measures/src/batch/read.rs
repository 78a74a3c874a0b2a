//! Reading answer rows from CSV: a header naming `respondent` and `item1`…`itemN` (any case,
//! any order, other columns ignored), then one row per respondent, empty cells missing.
//! Rows stream one at a time, so a file of any size reads in constant memory.

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use crate::definition::InstrumentDef;
use crate::score::{Score, score};

/// A header that cannot be used: nothing is scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("the file is empty: expected a header row naming respondent and item1 to item{items}")]
    Empty { items: usize },
    #[error("the header has no {} column{}: expected respondent and item1 to item{items}", .missing.join(", "), if .missing.len() == 1 { "" } else { "s" })]
    MissingColumns { missing: Vec<String>, items: usize },
    #[error("the header names {column} twice")]
    DuplicateColumn { column: String },
    #[error("could not read the header: {0}")]
    Read(String),
}

/// A row that cannot be scored; other rows still are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("item{item}: `{found}` is not a whole number from {min} to {max}")]
    NotANumber {
        item: u8,
        found: String,
        min: u8,
        max: u8,
    },
    #[error("item{item}: {value} is outside {min} to {max}")]
    OutOfRange {
        item: u8,
        value: i64,
        min: u8,
        max: u8,
    },
    #[error("the row has {found} cells; the header has {expected}")]
    Width { found: usize, expected: usize },
}

/// Which column holds what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    respondent: usize,
    /// Column of item 1, item 2, ...
    items: Vec<usize>,
    width: usize,
    /// Columns that are neither `respondent` nor an item, as written.
    pub ignored: Vec<String>,
}

impl Header {
    /// Maps the header row's names (trimmed, any case, a leading byte-order mark dropped).
    pub fn parse(def: &InstrumentDef, record: &ByteRecord) -> Result<Self, HeaderError> {
        let items = def.items().len();
        let mut respondent = None;
        let mut item_columns = vec![None; items];
        let mut ignored = Vec::new();
        for (at, raw) in record.iter().enumerate() {
            let raw = if at == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let name = String::from_utf8_lossy(raw).trim().to_owned();
            let lower = name.to_ascii_lowercase();
            let slot = if lower == "respondent" {
                Some(&mut respondent)
            } else {
                lower
                    .strip_prefix("item")
                    .filter(|digits| !digits.starts_with('0'))
                    .and_then(|digits| digits.parse::<usize>().ok())
                    .and_then(|n| item_columns.get_mut(n.checked_sub(1)?))
            };
            match slot {
                Some(slot) if slot.is_some() => {
                    return Err(HeaderError::DuplicateColumn { column: lower });
                }
                Some(slot) => *slot = Some(at),
                None => ignored.push(name),
            }
        }
        let mut missing = Vec::new();
        if respondent.is_none() {
            missing.push("respondent".to_owned());
        }
        for (at, column) in item_columns.iter().enumerate() {
            if column.is_none() {
                missing.push(format!("item{}", at + 1));
            }
        }
        match respondent {
            Some(respondent) if missing.is_empty() => Ok(Self {
                respondent,
                items: item_columns.into_iter().flatten().collect(),
                width: record.len(),
                ignored,
            }),
            _ => Err(HeaderError::MissingColumns { missing, items }),
        }
    }
}

/// One data row: where it was, who, and its score or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The record's number in the file, the header being 1: a spreadsheet's row number
    /// (blank lines are skipped and not counted; a quoted cell may span lines).
    pub row: u64,
    pub respondent: String,
    pub outcome: Result<Score, RowError>,
}

/// Rows of a CSV file, scored one at a time.
#[derive(Debug)]
pub struct ScoreRows<'a, R: Read> {
    def: &'a InstrumentDef,
    reader: csv::Reader<R>,
    header: Header,
    record: ByteRecord,
    failed: bool,
}

/// Reads the header of `input` and returns the rows to come.
pub fn read_scores<R: Read>(
    def: &InstrumentDef,
    input: R,
) -> Result<ScoreRows<'_, R>, HeaderError> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = ByteRecord::new();
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|err| HeaderError::Read(err.to_string()))?;
        if !more {
            return Err(HeaderError::Empty {
                items: def.items().len(),
            });
        }
        if !is_blank(&record) {
            break;
        }
    }
    let header = Header::parse(def, &record)?;
    Ok(ScoreRows {
        def,
        reader,
        header,
        record,
        failed: false,
    })
}

impl<R: Read> ScoreRows<'_, R> {
    pub const fn header(&self) -> &Header {
        &self.header
    }
}

impl<R: Read> Iterator for ScoreRows<'_, R> {
    /// A row, or a read error after which nothing more comes.
    type Item = Result<Row, csv::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
                Ok(false) => return None,
                Ok(true) if is_blank(&self.record) => {}
                Ok(true) => return Some(Ok(score_row(self.def, &self.header, &self.record))),
            }
        }
    }
}

/// A line with no cells, or one empty cell.
fn is_blank(record: &ByteRecord) -> bool {
    record.iter().all(|cell| cell.trim_ascii().is_empty()) && record.len() <= 1
}

fn score_row(def: &InstrumentDef, header: &Header, record: &ByteRecord) -> Row {
    let number = record.position().map_or(0, |p| p.record() + 1);
    let respondent = record
        .get(header.respondent)
        .map(|cell| String::from_utf8_lossy(cell).trim().to_owned())
        .unwrap_or_default();
    let outcome = if record.len() == header.width {
        answers(def, header, record).and_then(|answers| {
            // Every answer was checked against its item's range just above.
            score(def, &answers).map_err(|err| match err {
                crate::AnswerError::OutOfRange {
                    item,
                    value,
                    min,
                    max,
                } => RowError::OutOfRange {
                    item,
                    value: i64::from(value),
                    min,
                    max,
                },
                crate::AnswerError::WrongCount {
                    found, expected, ..
                } => RowError::Width { found, expected },
            })
        })
    } else {
        Err(RowError::Width {
            found: record.len(),
            expected: header.width,
        })
    };
    Row {
        row: number,
        respondent,
        outcome,
    }
}

fn answers(
    def: &InstrumentDef,
    header: &Header,
    record: &ByteRecord,
) -> Result<Vec<Option<u8>>, RowError> {
    def.items()
        .iter()
        .zip(&header.items)
        .map(|(item, &column)| {
            let cell = record.get(column).unwrap_or_default().trim_ascii();
            if cell.is_empty() {
                return Ok(None);
            }
            let text = String::from_utf8_lossy(cell);
            let value: i64 = text.parse().map_err(|_| RowError::NotANumber {
                item: item.n,
                found: crate::load::excerpt(&text),
                min: item.min,
                max: item.max,
            })?;
            u8::try_from(value)
                .ok()
                .filter(|v| item.accepts(*v))
                .map(Some)
                .ok_or(RowError::OutOfRange {
                    item: item.n,
                    value,
                    min: item.min,
                    max: item.max,
                })
        })
        .collect()
}
