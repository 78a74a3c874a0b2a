//! Checking a backup before it is trusted: the checksum beside it, SQLite's own integrity
//! and foreign-key checks, the migrations it carries, and the audit chain.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{
    BackupError,
    files::{checksum_path, hash_file, read_checksum, with_suffix},
};
use crate::{
    AuditRow, Backend,
    audit::{AUDIT_COLUMNS, ChainWalker},
};

/// How a file compares with the checksum written beside it at backup time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecksumStatus {
    Matches(PathBuf),
    /// Written by the backup that just made the file.
    Written(PathBuf),
    /// No `FILE.b2sum` beside it: only SQLite's checks and the audit chain vouch for it.
    Missing,
    Differs(PathBuf),
}

/// What [`check_backup`] found. The file is fit to restore when `problems` is empty.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// BLAKE2b-256 of the file, hex.
    pub hash: String,
    pub checksum: ChecksumStatus,
    pub migrations: usize,
    pub audit_rows_checked: u64,
    pub problems: Vec<String>,
}

impl BackupReport {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// SQLite's integrity check stops after this many problems.
const MAX_INTEGRITY_LINES: u32 = 20;

/// Checks the SQLite file at `path`, opened read-only. Problems with the file's contents
/// land in the report; only a file that cannot be read at all is an error.
pub fn check_backup(path: &Path) -> Result<BackupReport, BackupError> {
    let bytes = std::fs::metadata(path)
        .map_err(BackupError::io("read", path))?
        .len();
    let hash = hash_file(path)?;
    let mut problems = Vec::new();
    let sidecar = checksum_path(path);
    let checksum = match read_checksum(&sidecar)? {
        None => ChecksumStatus::Missing,
        Some(recorded) if recorded == hash => ChecksumStatus::Matches(sidecar),
        Some(_) => {
            problems.push(format!(
                "its contents do not match the checksum in {}: the file was changed or damaged after the backup",
                sidecar.display()
            ));
            ChecksumStatus::Differs(sidecar)
        }
    };
    let mut report = BackupReport {
        path: path.to_path_buf(),
        bytes,
        hash,
        checksum,
        migrations: 0,
        audit_rows_checked: 0,
        problems,
    };
    let log = with_suffix(path, "-wal");
    if std::fs::metadata(&log).is_ok_and(|meta| meta.len() > 0) {
        report.problems.push(format!(
            "a write-ahead log is beside it ({}): it is a live database, or a copy taken without \
             its log, not a backup; make one with `circlework backup`",
            log.display()
        ));
    }
    // Immutable: no locks, no -wal or -shm created beside the file, and only the main file
    // is read, which is exactly what a restore copies.
    let inspected = Connection::open_with_flags(
        immutable_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| inspect(&conn, &mut report));
    if let Err(err) = inspected {
        report
            .problems
            .push(format!("it is not a readable Circlework database: {err}"));
    }
    Ok(report)
}

/// `file:PATH?mode=ro&immutable=1`, with the characters URIs reserve escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// The checks that need SQL; a failing query (a damaged page, a missing table) is an error.
fn inspect(conn: &Connection, report: &mut BackupReport) -> rusqlite::Result<()> {
    let mut integrity = conn.prepare(&format!("PRAGMA integrity_check({MAX_INTEGRITY_LINES})"))?;
    for line in integrity.query_map([], |row| row.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            report.problems.push(format!("integrity check: {line}"));
        }
    }
    let dangling: i64 =
        conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })?;
    if dangling > 0 {
        report
            .problems
            .push(format!("{dangling} rows break foreign keys"));
    }
    check_migrations(conn, report)?;
    check_audit_chain(conn, report)
}

/// The copy must carry exactly the migrations this build knows, each applied and unchanged.
fn check_migrations(conn: &Connection, report: &mut BackupReport) -> rusqlite::Result<()> {
    let mut applied = conn.prepare("SELECT version, success, checksum FROM _sqlx_migrations")?;
    let applied: Vec<(i64, bool, Vec<u8>)> = applied
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let known: Vec<_> = Backend::Sqlite
        .migrator()
        .iter()
        .filter(|migration| !migration.migration_type.is_down_migration())
        .collect();
    for migration in &known {
        match applied
            .iter()
            .find(|(version, _, _)| *version == migration.version)
        {
            None => report.problems.push(format!(
                "migration {} ({}) is missing",
                migration.version, migration.description
            )),
            Some((_, false, _)) => report
                .problems
                .push(format!("migration {} did not finish", migration.version)),
            Some((_, true, checksum)) if checksum.as_slice() != &*migration.checksum => {
                report.problems.push(format!(
                    "migration {} differs from the one this version of circlework has",
                    migration.version
                ))
            }
            Some(_) => report.migrations += 1,
        }
    }
    for (version, _, _) in &applied {
        if !known.iter().any(|migration| migration.version == *version) {
            report.problems.push(format!(
                "migration {version} is unknown to this version of circlework (the backup is from a newer one)"
            ));
        }
    }
    Ok(())
}

/// Feeds the copy's audit rows to the store's own chain walker.
fn check_audit_chain(conn: &Connection, report: &mut BackupReport) -> rusqlite::Result<()> {
    let (head_seq, head_hash): (i64, String) =
        conn.query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let mut walker = ChainWalker::new();
    let mut statement = conn.prepare(&format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY seq"
    ))?;
    let mut rows = statement.query([])?;
    let mut outcome = Ok(());
    while let Some(row) = rows.next()? {
        let row = AuditRow {
            seq: row.get("seq")?,
            at: row.get("at")?,
            actor_id: row.get("actor_id")?,
            actor: row.get("actor")?,
            origin: row.get("origin")?,
            action: row.get("action")?,
            entity: row.get("entity")?,
            entity_id: row.get("entity_id")?,
            group_id: row.get("group_id")?,
            member_id: row.get("member_id")?,
            detail: row.get("detail")?,
            prev_hash: row.get("prev_hash")?,
            hash: row.get("hash")?,
        };
        outcome = walker.check(&row);
        if outcome.is_err() {
            break;
        }
    }
    report.audit_rows_checked = walker.rows_checked;
    if let Err(broken) = outcome.and_then(|()| walker.finish(head_seq, &head_hash)) {
        report.problems.push(format!(
            "audit chain broken at row {}: {}",
            broken.seq, broken.reason
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_sqlite_would_read_as_query_or_fragment() {
        assert_eq!(
            immutable_uri(Path::new("/b/100%?#.db")),
            "file:/b/100%25%3f%23.db?mode=ro&immutable=1"
        );
    }
}
