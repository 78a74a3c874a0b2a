//! `circlework stages`: the stage timeline of one group from its GCQ-S session means.
//!
//! Input: CSV with a `session` column (1, 2, …, increasing; gaps are sessions without answers)
//! and any of `engaged`, `avoiding`, `conflict` (group means on 0–6; an empty cell is missing).
//! Output: one record per input row with the Viterbi stage, the forward-filtered posterior and
//! the forward–backward smoothed posterior, probabilities unrounded.
//!
//! Exit status: 0 on success; 2 when the input, the model file or the arguments are unusable
//! (the message names the row and column, or the model field); 1 when writing fails.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use stages::{Climate, Hmm, Horizon, Model, SessionStage};

use super::Exit;

/// Highest session number accepted (gaps up to it are filled with missing sessions).
const MAX_SESSION: u32 = 100_000;
const COLUMNS: [&str; 4] = ["session", "engaged", "avoiding", "conflict"];

/// Arguments of `circlework stages`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV file with a `session` column and any of `engaged`, `avoiding`, `conflict`;
    /// `-` for standard input.
    input: PathBuf,
    /// jsonl (or json): one object per session; csv: one row per session.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Planned sessions of a closed group: its last max(1, round(0.15·N)) sessions are the
    /// ending stage. Without it the group is open-ended (no ending stage).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    planned: Option<u32>,
    /// A model file (JSON, or TOML by its .toml extension) instead of the DOMAIN.md parameters.
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    #[value(alias = "json")]
    Jsonl,
    Csv,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let model = match &args.model {
        Some(path) => load_model(path).map_err(|e| bad_input(format!("{e:#}")))?,
        None => Model::domain(),
    };
    let hmm = Hmm::new(&model).map_err(|e| bad_input(format!("model: {e}")))?;
    let text = read_input(&args.input).map_err(|e| bad_input(format!("{e:#}")))?;
    let rows = parse(&text).map_err(bad_input)?;

    let last = rows.last().map_or(0, |(session, _)| *session);
    let mut observations = vec![Climate::MISSING; last as usize];
    for (session, climate) in &rows {
        if let Some(slot) = observations.get_mut(*session as usize - 1) {
            *slot = *climate;
        }
    }
    let timeline = hmm.timeline(Horizon::from_planned(args.planned), &observations);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written =
        write(&mut out, args.format, &rows, &timeline.sessions).and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("writing the output"),
    }
}

fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Exit::new(2, message))
}

fn load_model(path: &Path) -> anyhow::Result<Model> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the model file {}", path.display()))?;
    let toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let model = if toml {
        Model::from_toml(&text)
    } else {
        Model::from_json(&text)
    };
    model.with_context(|| format!("model file {}", path.display()))
}

fn read_input(path: &Path) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .with_context(|| format!("reading {}", path.display()))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "the input is not UTF-8 text (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The rows of the CSV: (session, climate), sessions strictly increasing.
fn parse(text: &str) -> Result<Vec<(u32, Climate)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_problem(&e))?.clone();
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err("the input is empty: expected a header with a `session` column".to_owned());
    }
    // Which input column holds each of session, engaged, avoiding, conflict.
    let mut index: [Option<usize>; 4] = [None; 4];
    for (position, name) in headers.iter().enumerate() {
        let lower = name.to_ascii_lowercase();
        let Some(known) = COLUMNS.iter().position(|c| *c == lower) else {
            return Err(format!(
                "column {} ({name:?}) is not one of session, engaged, avoiding, conflict",
                position + 1
            ));
        };
        match index.get_mut(known) {
            Some(slot @ None) => *slot = Some(position),
            _ => return Err(format!("column {} repeats {name:?}", position + 1)),
        }
    }
    let [Some(session_column), engaged, avoiding, conflict] = index else {
        return Err("the header has no `session` column".to_owned());
    };

    let mut rows: Vec<(u32, Climate)> = Vec::new();
    for (row, record) in (1u64..).zip(reader.records()) {
        let record = record.map_err(|e| csv_problem(&e))?;
        let line = record.position().map_or(row + 1, csv::Position::line);
        let at = |column: &str| format!("row {row} (line {line}), column {column:?}");
        let raw_session = record.get(session_column).unwrap_or("");
        let session = raw_session
            .parse::<u32>()
            .ok()
            .filter(|s| (1..=MAX_SESSION).contains(s))
            .ok_or_else(|| {
                format!(
                    "{}: {raw_session:?} is not a session number (a whole number from 1 to {MAX_SESSION})",
                    at("session")
                )
            })?;
        if let Some((previous, _)) = rows.last()
            && session <= *previous
        {
            return Err(format!(
                "{}: session {session} comes after session {previous}; sessions must increase",
                at("session")
            ));
        }
        let value = |column: Option<usize>, name: &str| -> Result<Option<f64>, String> {
            let Some(column) = column else {
                return Ok(None);
            };
            let raw = record.get(column).unwrap_or("");
            if raw.is_empty() {
                return Ok(None);
            }
            raw.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (0.0..=6.0).contains(v))
                .map(Some)
                .ok_or_else(|| format!("{}: {raw:?} is not a number from 0 to 6", at(name)))
        };
        let climate = Climate {
            engaged: value(engaged, "engaged")?,
            avoiding: value(avoiding, "avoiding")?,
            conflict: value(conflict, "conflict")?,
        };
        rows.push((session, climate));
    }
    Ok(rows)
}

fn csv_problem(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {}: {len} fields where the header has {expected_len}",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {}: not UTF-8 text",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        _ => format!("the CSV could not be read: {error}"),
    }
}

fn write(
    out: &mut impl Write,
    format: Format,
    rows: &[(u32, Climate)],
    sessions: &[SessionStage],
) -> std::io::Result<()> {
    if format == Format::Csv {
        let mut header = String::from("session,stage");
        for part in ["posterior", "smoothed"] {
            for stage in stages::Stage::ALL {
                header.push_str(&format!(",{part}_{stage}"));
            }
        }
        writeln!(out, "{header}")?;
    }
    for (session, _) in rows {
        let Some(result) = sessions.get(*session as usize - 1) else {
            continue;
        };
        match format {
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, result)?;
                writeln!(out)?;
            }
            Format::Csv => {
                write!(out, "{},{}", result.session, result.stage)?;
                for probs in [result.posterior, result.smoothed] {
                    for p in probs.to_array() {
                        // JSON's number text: shortest round-trip form, never rounded.
                        write!(
                            out,
                            ",{}",
                            serde_json::Number::from_f64(p)
                                .map_or_else(|| "0".to_owned(), |n| n.to_string())
                        )?;
                    }
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_is_rows_that_keep_the_contract_or_a_named_error(
            text in r"(session|engaged|conflict|avoiding|x)(,(session|engaged|conflict|avoiding)){0,3}\n([-0-9.,a-z ]{0,12}\n){0,8}",
        ) {
            match parse(&text) {
                Ok(rows) => {
                    prop_assert!(rows.windows(2).all(|w| w[0].0 < w[1].0));
                    for (session, climate) in &rows {
                        prop_assert!((1..=MAX_SESSION).contains(session));
                        for value in climate.to_array().into_iter().flatten() {
                            prop_assert!((0.0..=6.0).contains(&value));
                        }
                    }
                }
                Err(message) => prop_assert!(!message.is_empty()),
            }
        }
    }

    #[test]
    fn rows_are_read_with_missing_cells_and_errors_name_row_and_column() {
        let rows = parse("session,conflict,Engaged\n1,1.5,\n3,,4\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.conflict, Some(1.5));
        assert_eq!(rows[0].1.engaged, None);
        assert_eq!(
            rows[1],
            (
                3,
                Climate {
                    engaged: Some(4.0),
                    avoiding: None,
                    conflict: None
                }
            )
        );

        let err = parse("session,conflict\n1,1\n2,abc\n").unwrap_err();
        assert_eq!(
            err,
            "row 2 (line 3), column \"conflict\": \"abc\" is not a number from 0 to 6"
        );
        assert!(
            parse("session,conflict\n1,7\n")
                .unwrap_err()
                .contains("column \"conflict\"")
        );
        assert!(parse("session,conflict\n1,NaN\n").is_err());
        assert!(
            parse("session,conflict\n2,1\n2,1\n")
                .unwrap_err()
                .contains("sessions must increase")
        );
        assert!(
            parse("session,conflict\n0,1\n")
                .unwrap_err()
                .contains("not a session number")
        );
        assert!(
            parse("conflict\n1\n")
                .unwrap_err()
                .contains("no `session` column")
        );
        assert!(
            parse("session,engagement\n")
                .unwrap_err()
                .contains("column 2 (\"engagement\")")
        );
        assert!(
            parse("session,conflict,conflict\n")
                .unwrap_err()
                .contains("repeats")
        );
        assert!(
            parse("session,conflict\n1,2,3\n")
                .unwrap_err()
                .starts_with("line 2: 3 fields")
        );
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("\u{feff}session\n1\n").is_ok());
    }
}
