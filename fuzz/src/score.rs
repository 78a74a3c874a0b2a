//! What the answers-CSV fuzz target checks: reading any bytes as an answers file for each
//! bundled instrument never panics, and every row written keeps the output's promises.

use std::sync::LazyLock;

use measures::batch::{OutputFormat, OutputRow, ScoreWriter, read_scores};
use measures::{InstrumentDef, Registry, ScaleValue};

/// Parsed once: parsing the bundled TOML on every input would dominate the run.
static REGISTRY: LazyLock<Option<Registry>> = LazyLock::new(|| Registry::bundled().ok());

/// Scores `data` as PHQ-9, GAD-7 and GCQ-S answers and asserts the invariants of each row.
pub fn score_and_check(data: &[u8]) {
    let Some(registry) = REGISTRY.as_ref() else {
        panic!("the bundled definitions must load");
    };
    for (def, _) in registry.instruments() {
        check(def, data);
    }
}

fn check(def: &InstrumentDef, data: &[u8]) {
    let rows = match read_scores(def, data) {
        Ok(rows) => rows,
        Err(err) => {
            assert!(!err.to_string().is_empty(), "header errors say what is wrong");
            return;
        }
    };
    let mut jsonl = ScoreWriter::new(def, OutputFormat::Jsonl, Vec::new()).ok();
    let mut csv = ScoreWriter::new(def, OutputFormat::Csv, Vec::new()).ok();
    let mut last_row = 1;
    for row in rows {
        let Ok(row) = row else { break };
        assert!(row.row > last_row, "rows are numbered after the header, in order");
        last_row = row.row;
        let out = OutputRow::new(def, &row);
        assert_eq!(out.error.is_some(), row.outcome.is_err(), "error iff unreadable");
        if let Some(error) = &out.error {
            assert!(
                error.starts_with("item") || error.starts_with("the row has"),
                "an error names the item or the row's width: {error}"
            );
            assert!(!out.valid, "a row with an error is not valid");
        }
        if out.valid {
            assert_eq!(out.total.is_some(), def.total().is_some(), "valid rows have a total");
        } else {
            assert!(out.total.is_none() && out.band.is_none(), "invalid rows have null scores");
            assert!(out.subscales.0.iter().all(|(_, v)| v.is_none()));
        }
        if let Some(total) = def.total() {
            let (lo, hi) = def.scale_range(total);
            if let Some(value) = out.total {
                assert!(matches!(value, ScaleValue::Sum(_)), "totals are whole numbers");
                let value = value.as_f64();
                assert!(lo <= value && value <= hi, "total {value} outside {lo}..{hi}");
                let band = out.band.unwrap_or_default();
                assert!(
                    def.bands("total").any(|b| b.label == band),
                    "band `{band}` is one of the instrument's"
                );
            }
        }
        for (id, value) in &out.subscales.0 {
            let Some(scale) = def.scale(id) else {
                panic!("subscale {id} is the instrument's");
            };
            let (lo, hi) = def.scale_range(scale);
            if let Some(value) = value {
                assert!(lo <= value.as_f64() && value.as_f64() <= hi, "{id} outside its range");
            }
        }
        let json = serde_json::to_value(&out).unwrap_or_default();
        assert_eq!(json["respondent"], row.respondent.as_str(), "respondent echoed");
        assert_eq!(json["valid"], out.valid);
        if let Some(writer) = &mut jsonl {
            assert!(writer.write(&out).is_ok(), "JSONL rows always write");
        }
        if let Some(writer) = &mut csv {
            assert!(writer.write(&out).is_ok(), "CSV rows always write");
        }
    }
}
