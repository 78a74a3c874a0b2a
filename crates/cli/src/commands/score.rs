//! `circlework score`: offline scoring of an answers CSV with an instrument's published rules,
//! one output row per respondent, streamed (files of any size in constant memory).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::path::PathBuf;

use anyhow::Context;
use measures::InstrumentDef;
use measures::batch::{OutputFormat, OutputRow, ScoreWriter, read_scores};

use super::Exit;

/// The status when the input (its header, a row, the instrument) is at fault.
const EXIT_BAD_INPUT: u8 = 2;
/// Rows named in the summary of rows with errors.
const ROWS_LISTED: usize = 10;

/// Output format of `circlework score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

/// Arguments of `circlework score`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Input: a CSV file whose header names `respondent` and one column per item, \
    `item1` to `itemN` (any case, any order; other columns are ignored). An empty cell is a missing \
    answer. A UTF-8 byte-order mark, CRLF line ends and quoted cells are fine.\n\n\
    Output, one row per respondent: `respondent`, `valid`, `total`, `band` and the subscales, e.g.\n  \
    {\"respondent\": \"r1\", \"valid\": true, \"total\": 9, \"band\": \"mild\", \"subscales\": {}}\n\
    GCQ-S has a null total and band and subscales engaged, avoiding, conflict. Totals are whole numbers \
    (prorated for missing items, rounded half up); bands are minimal, mild, moderate, moderately severe, \
    severe. A row with more missing items than the instrument allows (PHQ-9 2, GAD-7 1, GCQ-S 4) has \
    \"valid\": false and null scores. A cell that is not a whole number in the item's range gives \
    \"valid\": false and an \"error\" naming the item; the other rows are still scored.\n\n\
    Exit status:\n  \
    0  every row was read (rows failing the missing-data rule included)\n  \
    1  the file could not be read or the output written\n  \
    2  bad input: a row with an unreadable cell (after all rows are written), a header without \
    `respondent` or an item column, an unknown instrument or an invalid --definition file"
)]
pub struct Args {
    /// Instrument id: phq9, gad7 or gcqs.
    #[arg(
        long,
        required_unless_present = "definition",
        conflicts_with = "definition"
    )]
    instrument: Option<String>,
    /// Score with an instrument definition file (TOML) instead of a bundled instrument.
    #[arg(long, value_name = "TOML")]
    definition: Option<PathBuf>,
    /// The answers CSV; `-` for standard input.
    file: PathBuf,
    /// jsonl (one JSON object per line) or csv.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let def = instrument(&args)?;
    let input: Box<dyn Read> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = File::open(&args.file)
            .with_context(|| format!("could not open {}", args.file.display()))?;
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    let rows = read_scores(&def, input)
        .map_err(|err| Exit::new(EXIT_BAD_INPUT, format!("{}: {err}", args.file.display())))?;
    if !rows.header().ignored.is_empty() {
        eprintln!("ignoring columns: {}", rows.header().ignored.join(", "));
    }
    let format = match args.format {
        Format::Jsonl => OutputFormat::Jsonl,
        Format::Csv => OutputFormat::Csv,
    };
    let stdout = std::io::stdout();
    let mut writer = ScoreWriter::new(
        &def,
        format,
        BufWriter::with_capacity(1 << 16, stdout.lock()),
    )
    .context("could not write the output")?;
    let (mut read, mut bad) = (0usize, Vec::new());
    for row in rows {
        let row = row.with_context(|| format!("could not read {}", args.file.display()))?;
        read += 1;
        if row.outcome.is_err() {
            bad.push(row.row);
        }
        writer
            .write(&OutputRow::new(&def, &row))
            .context("could not write the output")?;
    }
    writer.finish().context("could not write the output")?;
    if bad.is_empty() {
        return Ok(());
    }
    let mut listed: Vec<String> = bad.iter().take(ROWS_LISTED).map(u64::to_string).collect();
    if bad.len() > ROWS_LISTED {
        listed.push("…".into());
    }
    Err(Exit::new(
        EXIT_BAD_INPUT,
        format!(
            "{} of {read} rows could not be scored (row {}; the header is row 1): see their \"error\"",
            bad.len(),
            listed.join(", ")
        ),
    )
    .into())
}

/// The bundled instrument named, or the definition file given.
fn instrument(args: &Args) -> anyhow::Result<InstrumentDef> {
    if let Some(path) = &args.definition {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read {}", path.display()))?;
        return measures::parse_definition(&path.display().to_string(), &text)
            .map_err(|err| Exit::new(EXIT_BAD_INPUT, err.to_string()).into());
    }
    let id = args.instrument.as_deref().unwrap_or_default();
    let registry = measures::Registry::bundled()?;
    registry.get(id).cloned().ok_or_else(|| {
        let known: Vec<&str> = registry.instruments().map(|(def, _)| def.id()).collect();
        Exit::new(
            EXIT_BAD_INPUT,
            format!("unknown instrument `{id}` (known: {})", known.join(", ")),
        )
        .into()
    })
}
