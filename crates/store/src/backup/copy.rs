//! Making a backup: SQLite's online backup API, page by page, from a read snapshot.
//!
//! The source connection holds one read transaction for the whole copy. In WAL mode (the
//! mode Circlework's databases run in) that snapshot blocks no writer, and it keeps the
//! backup from restarting each time a writer commits, which under steady load would make
//! it never finish. Steps are small with a pause between them, so the copy does not hog
//! the disk the server is writing to.

use std::{path::Path, thread, time::Duration};

use rusqlite::{Connection, OpenFlags, backup::StepResult};

use super::{
    BackupError, BackupReport, ChecksumStatus, check_backup,
    files::{
        checksum_path, folder_of, remove_if_present, same_file, sync_folder, with_suffix,
        write_checksum,
    },
};

/// The wait before retrying a step that found the backup file locked.
const BUSY_RETRY: Duration = Duration::from_millis(10);

/// How the copy paces itself.
#[derive(Debug, Clone, Copy)]
pub struct BackupOptions {
    /// Pages copied per step (a page is usually 4 KiB).
    pub pages_per_step: i32,
    /// Pause after each step.
    pub pause: Duration,
    /// Give up when the destination stays locked this long.
    pub busy_limit: Duration,
}

impl Default for BackupOptions {
    fn default() -> Self {
        Self {
            pages_per_step: 256,
            pause: Duration::from_millis(2),
            busy_limit: Duration::from_secs(30),
        }
    }
}

/// What a finished backup holds.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    pub pages: u64,
    pub bytes: u64,
    pub steps: u64,
    /// The number of the newest audit row in the copy.
    pub audit_head: i64,
    /// The checks the copy passed before it was put in place.
    pub report: BackupReport,
}

/// Copies the SQLite database at `source` to `dest`, consistent as of one moment, while
/// other connections go on writing. The copy is written to `dest.partial`, checked with
/// [`check_backup`], and only then renamed to `dest`, with its checksum in `dest.b2sum`.
/// An existing `dest` is refused unless `replace`.
pub fn backup_sqlite(
    source: &Path,
    dest: &Path,
    replace: bool,
    options: &BackupOptions,
) -> Result<BackupSummary, BackupError> {
    if !source.is_file() {
        return Err(BackupError::MissingSource(source.to_path_buf()));
    }
    if same_file(source, dest) {
        return Err(BackupError::SamePath(dest.to_path_buf()));
    }
    if dest.exists() && !replace {
        return Err(BackupError::Exists(dest.to_path_buf()));
    }
    let partial = with_suffix(dest, ".partial");
    let partial_checksum = with_suffix(&checksum_path(dest), ".partial");
    remove_if_present(&partial)?;
    let copied = copy_and_check(source, &partial, options).and_then(|summary| {
        write_checksum(&partial_checksum, dest, &summary.report.hash)?;
        Ok(summary)
    });
    let mut summary = match copied {
        Ok(summary) => summary,
        Err(err) => {
            // Best effort: the error that stopped the backup is the one worth reporting.
            let _ = remove_if_present(&partial);
            let _ = remove_if_present(&partial_checksum);
            return Err(err);
        }
    };
    std::fs::rename(&partial, dest).map_err(BackupError::io("rename the copy to", dest))?;
    let checksum = checksum_path(dest);
    std::fs::rename(&partial_checksum, &checksum)
        .map_err(BackupError::io("rename the checksum to", &checksum))?;
    sync_folder(folder_of(dest))?;
    summary.report.path = dest.to_path_buf();
    summary.report.checksum = ChecksumStatus::Written(checksum);
    Ok(summary)
}

/// Copies into `partial`, makes it a self-contained single file, and checks it.
fn copy_and_check(
    source: &Path,
    partial: &Path,
    options: &BackupOptions,
) -> Result<BackupSummary, BackupError> {
    let (pages, steps, audit_head) = copy_pages(source, partial, options)?;
    // The copied header still says WAL; switch the copy to a rollback journal so it is
    // one file that opens read-only anywhere.
    let dest = Connection::open_with_flags(partial, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(BackupError::sqlite(partial))?;
    dest.pragma_update(None, "journal_mode", "DELETE")
        .map_err(BackupError::sqlite(partial))?;
    dest.close()
        .map_err(|(_, source)| BackupError::sqlite(partial)(source))?;
    std::fs::File::open(partial)
        .and_then(|file| file.sync_all())
        .map_err(BackupError::io("sync", partial))?;
    let report = check_backup(partial)?;
    if !report.is_sound() {
        return Err(BackupError::Unsound {
            path: partial.to_path_buf(),
            problems: report.problems,
        });
    }
    Ok(BackupSummary {
        pages,
        bytes: report.bytes,
        steps,
        audit_head,
        report,
    })
}

/// The page copy itself; returns (pages, steps, audit head at the snapshot).
fn copy_pages(
    source: &Path,
    partial: &Path,
    options: &BackupOptions,
) -> Result<(u64, u64, i64), BackupError> {
    // Read-write (never create) so the connection can take part in WAL recovery; it only reads.
    let from = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(BackupError::sqlite(source))?;
    from.busy_timeout(Duration::from_secs(10))
        .map_err(BackupError::sqlite(source))?;
    // Begin the snapshot: every page copied below is as of this read.
    from.execute_batch("BEGIN")
        .map_err(BackupError::sqlite(source))?;
    let audit_head: i64 = from
        .query_row("SELECT seq FROM audit_head WHERE id = 1", [], |row| {
            row.get(0)
        })
        .map_err(BackupError::sqlite(source))?;
    let mut to = Connection::open(partial).map_err(BackupError::sqlite(partial))?;
    let (pages, steps) = {
        let backup =
            rusqlite::backup::Backup::new(&from, &mut to).map_err(BackupError::sqlite(partial))?;
        let mut steps = 0_u64;
        let mut busy_for = Duration::ZERO;
        loop {
            steps += 1;
            match backup
                .step(options.pages_per_step)
                .map_err(BackupError::sqlite(partial))?
            {
                StepResult::Done => break,
                StepResult::More => busy_for = Duration::ZERO,
                StepResult::Busy | StepResult::Locked => {
                    thread::sleep(BUSY_RETRY);
                    busy_for += BUSY_RETRY + options.pause;
                    if busy_for > options.busy_limit {
                        return Err(BackupError::sqlite(partial)(
                            rusqlite::Error::SqliteFailure(
                                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                                Some("the backup file stayed locked".to_owned()),
                            ),
                        ));
                    }
                }
                // StepResult is non-exhaustive; anything new is treated as "go on".
                _ => {}
            }
            thread::sleep(options.pause);
        }
        let pages = u64::try_from(backup.progress().pagecount).unwrap_or_default();
        (pages, steps)
    };
    from.execute_batch("COMMIT")
        .map_err(BackupError::sqlite(source))?;
    to.close()
        .map_err(|(_, source)| BackupError::sqlite(partial)(source))?;
    Ok((pages, steps, audit_head))
}
