//! `circlework restore`: check a backup and put it in place as the SQLite database.

use std::path::PathBuf;

use anyhow::bail;
use domain::Clock;
use store::backup::{BackupError, restore_sqlite};
use web::SystemClock;

use super::backup::{describe_checks, sqlite_file};

/// Arguments of `circlework restore`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The backup is checked first (its FILE.b2sum checksum when present, \
    SQLite's integrity and foreign-key checks, the migrations, the audit chain); a file that \
    fails is refused and nothing changes. With --force an existing database is moved aside, \
    with its write-ahead log, to PATH.before-restore-<UTC time>, never deleted. The copy is \
    synced in the target's folder and renamed into place. Stop the server first.\n\n\
    Exit status: 0 when the backup was restored, 1 otherwise."
)]
pub struct Args {
    /// Backup file made by `circlework backup`.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Database to restore into: sqlite://PATH (PostgreSQL: use pg_restore).
    #[arg(
        long,
        env = "CIRCLEWORK_DATABASE_URL",
        default_value = "sqlite://./data/circlework.db"
    )]
    pub database_url: String,
    /// Replace an existing database (it is kept as PATH.before-restore-<UTC time>).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let target = sqlite_file(&args.database_url, "restore")?;
    let outcome = match restore_sqlite(&args.from, &target, args.force, SystemClock.now()) {
        Ok(outcome) => outcome,
        Err(BackupError::Exists(path)) => bail!(
            "{} already exists; add --force to replace it (the old file is kept beside it)",
            path.display()
        ),
        Err(BackupError::Unsound { path, problems }) => bail!(
            "refusing to restore {}: it failed its checks; nothing was changed.\n  - {}",
            path.display(),
            problems.join("\n  - ")
        ),
        Err(err) => return Err(err.into()),
    };
    println!("{}", describe_checks(&outcome.report));
    for (from, to) in &outcome.moved_aside {
        println!("Moved {} aside to {}.", from.display(), to.display());
    }
    for removed in &outcome.removed {
        println!("Removed the stale {}.", removed.display());
    }
    println!("Restored {} to {}.", args.from.display(), target.display());
    Ok(())
}
