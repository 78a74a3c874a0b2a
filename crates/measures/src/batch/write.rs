//! Writing scored rows as JSON Lines or CSV. A JSON row is
//! `{"respondent": "r1", "valid": true, "total": 9, "band": "mild", "subscales": {}}`, with
//! `"error"` added when a cell could not be read; CSV has the same fields as columns, the
//! subscales by id, empty for null.

use std::io::Write;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::read::Row;
use crate::definition::InstrumentDef;
use crate::score::ScaleValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
}

/// The fields of one output row, in output order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputRow<'a> {
    pub respondent: &'a str,
    pub valid: bool,
    pub total: Option<ScaleValue>,
    pub band: Option<&'a str>,
    pub subscales: Subscales<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Subscale id → value, in definition order (a JSON object).
#[derive(Debug, Clone, PartialEq)]
pub struct Subscales<'a>(pub Vec<(&'a str, Option<ScaleValue>)>);

impl Serialize for Subscales<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (id, value) in &self.0 {
            map.serialize_entry(id, value)?;
        }
        map.end()
    }
}

impl<'a> OutputRow<'a> {
    /// The row as written: scores only when the response is valid, every subscale named.
    pub fn new(def: &'a InstrumentDef, row: &'a Row) -> Self {
        let score = row.outcome.as_ref().ok().filter(|score| score.is_valid());
        let total = score.and_then(|s| s.total.as_ref());
        let subscales = def
            .subscales()
            .iter()
            .map(|scale| {
                let value = score.and_then(|s| s.scale(&scale.id)).and_then(|s| s.value);
                (scale.id.as_str(), value)
            })
            .collect();
        Self {
            respondent: &row.respondent,
            valid: score.is_some(),
            total: total.and_then(|t| t.value),
            band: total.and_then(|t| t.band.as_deref()),
            subscales: Subscales(subscales),
            error: row.outcome.as_ref().err().map(ToString::to_string),
        }
    }
}

/// Writes rows in one format to `out`.
#[derive(Debug)]
pub enum ScoreWriter<W: Write> {
    Jsonl(W),
    /// Boxed: the CSV writer's buffer makes it much larger than the JSON variant.
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> ScoreWriter<W> {
    /// Starts the output (CSV writes its header row now).
    pub fn new(def: &InstrumentDef, format: OutputFormat, out: W) -> Result<Self, csv::Error> {
        Ok(match format {
            OutputFormat::Jsonl => Self::Jsonl(out),
            OutputFormat::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                let mut header = vec!["respondent", "valid", "total", "band"];
                header.extend(def.subscales().iter().map(|s| s.id.as_str()));
                header.push("error");
                writer.write_record(&header)?;
                Self::Csv(Box::new(writer))
            }
        })
    }

    pub fn write(&mut self, row: &OutputRow<'_>) -> Result<(), csv::Error> {
        match self {
            Self::Jsonl(out) => {
                serde_json::to_writer(&mut *out, row).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            Self::Csv(writer) => {
                let mut cells = vec![
                    row.respondent.to_owned(),
                    row.valid.to_string(),
                    cell(row.total),
                    row.band.unwrap_or_default().to_owned(),
                ];
                cells.extend(row.subscales.0.iter().map(|(_, value)| cell(*value)));
                cells.push(row.error.clone().unwrap_or_default());
                writer.write_record(&cells)?;
            }
        }
        Ok(())
    }

    /// Flushes what is buffered.
    pub fn finish(self) -> Result<(), csv::Error> {
        match self {
            Self::Jsonl(mut out) => out.flush()?,
            Self::Csv(mut writer) => writer.flush()?,
        }
        Ok(())
    }
}

/// A value as CSV text: integers plain, means in full precision, null empty.
fn cell(value: Option<ScaleValue>) -> String {
    match value {
        None => String::new(),
        Some(ScaleValue::Sum(sum)) => sum.to_string(),
        Some(ScaleValue::Mean(mean)) => mean.to_string(),
    }
}
