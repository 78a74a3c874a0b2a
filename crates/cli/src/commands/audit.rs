//! `circlework audit ...`: checks on the tamper-evident audit log.

use anyhow::Context;
use store::{AuditStore, Backend, SqlStore};

use super::{ExistingDatabaseArgs, Exit};

/// The status when a row was edited, inserted or deleted.
const EXIT_BROKEN: u8 = 1;
/// The status when the database could not be opened or its audit log read.
const EXIT_UNREADABLE: u8 = 2;

/// `circlework audit` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check the audit log's hash chain from the first row to the head.
    #[command(after_help = "Exit status:\n  \
        0  the chain is intact (rows checked are printed)\n  \
        1  a row was edited, inserted or deleted; the first bad row is named on standard error\n  \
        2  the database could not be opened or its audit log could not be read")]
    Verify(VerifyArgs),
}

/// Arguments of `circlework audit verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    database: ExistingDatabaseArgs,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Verify(args) => verify(&args.database.database_url).await,
    }
}

/// Reads the chain without migrating or creating anything: checking must not change the
/// database it checks.
async fn verify(url: &str) -> anyhow::Result<()> {
    let where_ = store::redact_url(url);
    let unreadable = || Exit::new(EXIT_UNREADABLE, format!("could not open {where_}"));
    let backend = Backend::from_url(url).with_context(unreadable)?;
    if backend == Backend::Sqlite
        && let Some(path) = store::sqlite_path(url)
        && !std::path::Path::new(path).is_file()
    {
        return Err(anyhow::anyhow!("there is no database file at {path}").context(unreadable()));
    }
    let store = SqlStore::connect(url).await.with_context(unreadable)?;
    let report = store.verify_audit_chain().await.with_context(|| {
        Exit::new(
            EXIT_UNREADABLE,
            format!("could not read the audit log of {where_} (is it a Circlework database?)"),
        )
    });
    store.close().await;
    let report = report?;
    match report.first_break {
        None => {
            println!(
                "Audit chain intact: {} rows checked in {where_}.",
                report.rows_checked
            );
            Ok(())
        }
        Some(broken) => Err(Exit::new(
            EXIT_BROKEN,
            format!(
                "audit chain broken at row {}: {} ({} rows before it verified)",
                broken.seq, broken.reason, report.rows_checked
            ),
        )
        .into()),
    }
}
