//! `circlework instruments ...`: list and show the instruments an installation knows, and
//! load an organisation's own definitions and licensed item wording (text packs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use domain::Clock;
use measures::{InstrumentDef, Method, Origin, Registry, TextOrigin};
use store::{AuditContext, StoreError};
use web::SystemClock;

use super::{DatabaseArgs, Exit};

/// The status when a file is refused (invalid, or its id and version already loaded).
const EXIT_REFUSED: u8 = 2;

/// `circlework instruments` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the instruments: bundled ones, and the organisation's with --database-url.
    List(ReadArgs),
    /// Show one instrument: items, scales, missing-data rule, bands, cut-offs, reliable change.
    Show(ShowArgs),
    /// Add an organisation's instrument definition (TOML; format in the measures crate docs).
    #[command(
        after_help = "The definition is validated first; every problem is printed with \
        the file and field it is in, and nothing is stored. A definition cannot be changed once \
        loaded: load a changed one under a new version (stored scores keep the version they were \
        scored with). Bundled ids (phq9, gad7, gcqs) are reserved.\n\n\
        Exit status: 0 loaded; 1 the file or database could not be read; 2 the file was refused."
    )]
    Load(LoadArgs),
    /// Add licensed item wording to an instrument (a text pack), replacing earlier wording.
    #[command(
        after_help = "FILE is TOML naming the instrument and version, where the wording \
        comes from, the wording of every item by number and, optionally, a label for every answer \
        value and the instructions shown above the items:\n\n  \
        instrument = \"gcqs\"\n  \
        version = 1\n  \
        source = \"Licensed copy held by our organisation, 2026\"\n  \
        instructions = \"Think about the group as a whole ...\"   # optional\n  \
        [responses]                                # optional; all values or none\n  \
        0 = \"Not at all\"\n  \
        # ... one line per value, 0 to 6 for GCQ-S\n  \
        6 = \"Extremely\"\n  \
        [items]                                    # every item, by number\n  \
        1 = \"...\"\n  \
        # ...\n  \
        12 = \"...\"\n\n\
        The pack is checked against the definition: an item number it does not have, an item \
        without wording or an answer value outside its range refuses the whole file.\n\n\
        Exit status: 0 loaded; 1 the file or database could not be read; 2 the file was refused."
    )]
    LoadText(LoadArgs),
}

/// Where to find an organisation's instruments; bundled ones only without it.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Database URL (sqlite://PATH or postgres://...) holding the organisation's instruments.
    #[arg(long, env = "CIRCLEWORK_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Instrument id (phq9, gad7, gcqs, or an organisation's).
    id: String,
    /// A version other than the newest.
    #[arg(long, value_name = "N")]
    instrument_version: Option<u32>,
    #[command(flatten)]
    read: ReadArgs,
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The TOML file.
    file: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::List(args) => {
            let registry = registry(&args).await?;
            print!("{}", list(&registry));
            Ok(())
        }
        Command::Show(args) => {
            let registry = registry(&args.read).await?;
            let def = match args.instrument_version {
                Some(version) => registry.version(&args.id, version),
                None => registry.get(&args.id),
            };
            let def = def.ok_or_else(|| {
                Exit::new(
                    EXIT_REFUSED,
                    format!(
                        "no instrument {} (see `circlework instruments list`)",
                        args.id
                    ),
                )
            })?;
            print!("{}", show(def));
            Ok(())
        }
        Command::Load(args) => {
            let (store, by, text) = open_for_load(&args).await?;
            let def = store
                .add_instrument_definition(&by, &args.file.display().to_string(), &text)
                .await
                .map_err(refusal)?;
            println!(
                "Loaded {} version {} ({} items).",
                def.id(),
                def.version(),
                def.items().len()
            );
            Ok(())
        }
        Command::LoadText(args) => {
            let (store, by, text) = open_for_load(&args).await?;
            let def = store
                .put_instrument_text(&by, &args.file.display().to_string(), &text)
                .await
                .map_err(refusal)?;
            println!(
                "Loaded the wording of {} version {} ({} items).",
                def.id(),
                def.version(),
                def.items().len()
            );
            Ok(())
        }
    }
}

async fn registry(args: &ReadArgs) -> anyhow::Result<Registry> {
    match &args.database_url {
        None => Ok(Registry::bundled()?),
        Some(url) => {
            let store = super::open_store(url).await?;
            Ok(store.instrument_registry().await?)
        }
    }
}

async fn open_for_load(
    args: &LoadArgs,
) -> anyhow::Result<(store::SharedStore, AuditContext, String)> {
    let text = read(&args.file)?;
    let store = super::open_store(&args.database.database_url).await?;
    let by = AuditContext::system("cli", "cli", SystemClock.now());
    Ok((store, by, text))
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

/// A refused file ends with status 2 and the store's message (which names file and field).
fn refusal(err: StoreError) -> anyhow::Error {
    match err {
        StoreError::Refused(message) => Exit::new(EXIT_REFUSED, message).into(),
        StoreError::Taken(_) => Exit::new(
            EXIT_REFUSED,
            "that instrument id and version are already loaded; give a changed definition a new version",
        )
        .into(),
        other => other.into(),
    }
}

fn wording(def: &InstrumentDef) -> &'static str {
    let origin = def
        .items()
        .first()
        .and_then(|item| item.text.as_ref())
        .map(|t| t.origin);
    match (def.has_text(), origin) {
        (true, Some(TextOrigin::OrganisationPack)) => "loaded",
        (true, _) => "in definition",
        (false, _) => "not loaded",
    }
}

/// One line per instrument (newest version).
fn list(registry: &Registry) -> String {
    let mut out = format!(
        "{:<14} {:>7}  {:<12} {:<11} {:>5}  {:<13} {}\n",
        "ID", "VERSION", "ORIGIN", "LICENCE", "ITEMS", "WORDING", "TITLE"
    );
    for (def, origin) in registry.instruments() {
        let origin = match origin {
            Origin::Bundled => "bundled",
            Origin::Organisation => "organisation",
        };
        let _ = writeln!(
            out,
            "{:<14} {:>7}  {:<12} {:<11} {:>5}  {:<13} {}",
            def.id(),
            def.version(),
            origin,
            def.licence().status.as_str(),
            def.items().len(),
            wording(def),
            def.title()
        );
    }
    out
}

fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything about one definition, in reading order.
fn show(def: &InstrumentDef) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} version {}: {}",
        def.id(),
        def.version(),
        def.title()
    );
    if let Some(citation) = def.citation() {
        let _ = writeln!(out, "Citation: {citation}");
    }
    let licence = def.licence();
    let _ = writeln!(
        out,
        "Licence: {}; wording {}",
        licence.status.as_str(),
        wording(def)
    );
    if let Some(note) = &licence.note {
        let _ = writeln!(out, "  {note}");
    }
    if let Some(source) = def.text_source() {
        let _ = writeln!(out, "  Wording from: {source}");
    }
    let (min, max) = def.response_range();
    let options: Vec<String> = def
        .response_options()
        .iter()
        .map(|o| format!("{} {}", o.value, o.label))
        .collect();
    let _ = write!(out, "Answers: {min} to {max}");
    if !options.is_empty() {
        let _ = write!(out, " ({})", options.join("; "));
    }
    out.push('\n');
    if let Some(instructions) = def.instructions() {
        let _ = writeln!(out, "Instructions: {instructions}");
    }
    out.push_str("Items:\n");
    for item in def.items() {
        let mut flags = String::new();
        if (item.min, item.max) != (min, max) {
            let _ = write!(flags, " [{} to {}]", item.min, item.max);
        }
        if item.reverse {
            flags.push_str(" [reverse]");
        }
        if item.risk {
            flags.push_str(" [risk]");
        }
        let _ = writeln!(
            out,
            "  {:>3}  {:<22} {}{flags}",
            item.n, item.key, item.label
        );
        if let Some(text) = &item.text {
            let _ = writeln!(out, "       \"{}\"", text.text);
        }
    }
    out.push_str("Scales:\n");
    for scale in def.scales() {
        let method = match scale.method {
            Method::Sum => "sum",
            Method::Mean => "mean",
        };
        let direction = match scale.direction {
            measures::Direction::HigherBetter => "higher is better",
            measures::Direction::LowerBetter => "lower is better",
        };
        let (lo, hi) = def.scale_range(scale);
        let _ = writeln!(
            out,
            "  {}: {method} of items {} ({lo} to {hi}; {direction})",
            scale.id,
            join(&scale.items)
        );
        let bands: Vec<String> = def
            .bands(&scale.id)
            .map(|b| format!("{}-{} {}", b.min, b.max, b.label))
            .collect();
        if !bands.is_empty() {
            let source = def
                .bands(&scale.id)
                .find(|b| !b.source.is_empty())
                .map(|b| b.source.as_str());
            let _ = write!(out, "    bands: {}", bands.join(", "));
            if let Some(source) = source {
                let _ = write!(out, " [{source}]");
            }
            out.push('\n');
        }
        for cutoff in def.cutoffs(&scale.id) {
            let _ = writeln!(
                out,
                "    cut-off: {} {} {}{} [{}]",
                cutoff.op.as_str(),
                cutoff.value,
                cutoff.label,
                if cutoff.clinical { " (clinical)" } else { "" },
                cutoff.source
            );
        }
        if let Some(rci) = def.reliable_change(&scale.id) {
            let _ = writeln!(out, "    reliable change: {} [{}]", rci.delta, rci.source);
        }
    }
    let missing = def.missing();
    let _ = writeln!(
        out,
        "Missing data: at most {} of {} items missing [{}]",
        missing.max_missing,
        def.items().len(),
        missing.source
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_has_a_line_per_bundled_instrument() {
        let out = list(&Registry::bundled().unwrap());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(lines[3].starts_with("phq9"), "{out}");
        assert!(
            lines[2].contains("unclear") && lines[2].contains("not loaded"),
            "{out}"
        );
    }

    #[test]
    fn show_prints_keys_sources_and_free_wording() {
        let registry = Registry::bundled().unwrap();
        let out = show(registry.get("phq9").unwrap());
        assert!(out.contains("9  self_harm"), "{out}");
        assert!(out.contains("[risk]"), "{out}");
        assert!(out.contains("bands: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe"), "{out}");
        assert!(out.contains("reliable change: 6 [IAPT"), "{out}");
        assert!(
            out.contains("\"Little interest or pleasure in doing things\""),
            "{out}"
        );
        let out = show(registry.get("gcqs").unwrap());
        assert!(
            out.contains("engaged: mean of items 1, 2, 4, 8, 11 (0 to 6; higher is better)"),
            "{out}"
        );
        assert!(!out.contains('"'), "no GCQ-S wording is shipped: {out}");
    }
}
