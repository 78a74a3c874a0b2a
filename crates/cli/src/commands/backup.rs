//! `circlework backup`: a consistent, checked copy of a live SQLite database.
//! PostgreSQL databases are backed up with PostgreSQL's own tools; the command says how.

use std::path::{Path, PathBuf};

use anyhow::bail;
use store::{
    Backend,
    backup::{BackupError, BackupOptions, BackupReport, ChecksumStatus, backup_sqlite},
};

use super::ExistingDatabaseArgs;

/// What to run instead for PostgreSQL (printed by `backup` and `restore`).
pub const POSTGRES_ADVICE: &str = "PostgreSQL databases are backed up with PostgreSQL's own tools: \
    `pg_dump --format=custom --file=FILE URL` to back up and `pg_restore --clean --if-exists \
    --dbname=URL FILE` to restore (see the README section \"Backups\")";

/// Arguments of `circlework backup`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The copy is made with SQLite's online backup API from one snapshot, \
    while the server goes on writing. It is written to FILE.partial, checked (integrity, \
    foreign keys, migrations, audit chain) and only then renamed to FILE; its BLAKE2b-256 \
    checksum goes to FILE.b2sum (check it with `b2sum --length=256 --check FILE.b2sum`). \
    Keep both files together.\n\nExit status: 0 when the backup was made, 1 otherwise."
)]
pub struct Args {
    #[command(flatten)]
    pub database: ExistingDatabaseArgs,
    /// File to write the backup to.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let source = sqlite_file(&args.database.database_url, "back up")?;
    let summary = match backup_sqlite(&source, &args.out, args.force, &BackupOptions::default()) {
        Err(BackupError::Exists(path)) => {
            bail!(
                "{} already exists; add --force to replace it",
                path.display()
            )
        }
        other => other?,
    };
    println!(
        "Backed up {} to {}: {} ({} bytes) in {}, audit log up to row {}.",
        source.display(),
        args.out.display(),
        plural(summary.pages, "page"),
        summary.bytes,
        plural(summary.steps, "step"),
        summary.audit_head
    );
    println!("{}", describe_checks(&summary.report));
    Ok(())
}

/// The SQLite file a `--database-url` names; for PostgreSQL, what to do instead.
pub fn sqlite_file(url: &str, verb: &str) -> anyhow::Result<PathBuf> {
    match Backend::from_url(url)? {
        Backend::Postgres => {
            bail!("circlework does not {verb} PostgreSQL databases. {POSTGRES_ADVICE}")
        }
        Backend::Sqlite => match store::sqlite_path(url) {
            Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
            _ => bail!("{} names no SQLite file", store::redact_url(url)),
        },
    }
}

/// One line on what a backup's checks found (for a sound backup).
pub fn describe_checks(report: &BackupReport) -> String {
    let checksum = match &report.checksum {
        ChecksumStatus::Matches(path) => format!("checksum matches {}", display(path)),
        ChecksumStatus::Written(path) => format!("checksum written to {}", display(path)),
        ChecksumStatus::Missing => "no checksum file beside it".to_owned(),
        ChecksumStatus::Differs(path) => format!("checksum DIFFERS from {}", display(path)),
    };
    format!(
        "Checked {}: integrity ok, foreign keys ok, {} applied, audit chain intact ({}), {checksum}.",
        display(&report.path),
        plural(report.migrations as u64, "migration"),
        plural(report.audit_rows_checked, "row")
    )
}

fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
