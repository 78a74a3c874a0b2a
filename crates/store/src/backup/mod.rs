//! Backups of SQLite databases: a consistent copy of a live file through SQLite's online
//! backup API ([`backup_sqlite`]), the checks a copy must pass ([`check_backup`]) and the
//! restore that puts a checked copy in place atomically ([`restore_sqlite`]).
//!
//! sqlx exposes no safe handle to the backup API, so this module uses rusqlite, linked
//! against the same SQLite library as sqlx. PostgreSQL has its own tools (`pg_dump`,
//! `pg_restore`); nothing here touches it.
//!
//! Each backup gets a checksum file beside it (`FILE.b2sum`, BLAKE2b-256 in the format of
//! `b2sum --length=256`), so damage that SQLite's own checks cannot see (a flipped byte
//! inside a stored value) is still caught before a restore.

mod check;
mod copy;
mod files;
mod restore;

use std::path::PathBuf;

pub use check::{BackupReport, ChecksumStatus, check_backup};
pub use copy::{BackupOptions, BackupSummary, backup_sqlite};
pub use files::checksum_path;
pub use restore::{RestoreOutcome, restore_sqlite};

/// Why a backup or restore did not happen. Nothing is left half-written in any case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database file at {0}")]
    MissingSource(PathBuf),
    /// The destination exists and replacing it was not asked for.
    #[error("{0} already exists")]
    Exists(PathBuf),
    #[error("{0} is the database itself; choose another file")]
    SamePath(PathBuf),
    /// The file failed its checks; `problems` says how.
    #[error("{path} failed its checks: {}", problems.join("; "))]
    Unsound {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error("{path} changed while it was being copied; try again")]
    ChangedWhileCopying { path: PathBuf },
    #[error("SQLite error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl BackupError {
    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    pub(crate) fn sqlite(path: &std::path::Path) -> impl FnOnce(rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        move |source| Self::Sqlite { path, source }
    }
}
