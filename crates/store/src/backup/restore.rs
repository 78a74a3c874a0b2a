//! Restoring a backup: check it, keep the old database, and swap the copy in with a rename.

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
};

use blake2::{Blake2b, Digest, digest::consts::U32};

use super::{
    BackupError, BackupReport, check_backup,
    files::{folder_of, remove_if_present, same_file, sync_folder, with_suffix},
};

/// What a restore did, for the command to report.
#[derive(Debug, Clone)]
pub struct RestoreOutcome {
    /// The checks the backup passed.
    pub report: BackupReport,
    /// Where the database that was replaced now is.
    pub moved_aside: Vec<(PathBuf, PathBuf)>,
    /// Leftover files of the target's old journal that were deleted.
    pub removed: Vec<PathBuf>,
}

/// Puts the backup at `backup` in place at `target`. The backup is checked first and a
/// file that fails is refused with nothing changed. An existing `target` is refused unless
/// `replace`; then it is moved aside, with its write-ahead log, to
/// `TARGET.before-restore-<at, UTC>`. The copy lands in a temporary file in the target's
/// folder, is synced, and is renamed into place. Stop any server using `target` first.
pub fn restore_sqlite(
    backup: &Path,
    target: &Path,
    replace: bool,
    at: jiff::Timestamp,
) -> Result<RestoreOutcome, BackupError> {
    if !backup.is_file() {
        return Err(BackupError::MissingSource(backup.to_path_buf()));
    }
    if same_file(backup, target) {
        return Err(BackupError::SamePath(target.to_path_buf()));
    }
    if target.exists() && !replace {
        return Err(BackupError::Exists(target.to_path_buf()));
    }
    let report = check_backup(backup)?;
    if !report.is_sound() {
        return Err(BackupError::Unsound {
            path: backup.to_path_buf(),
            problems: report.problems,
        });
    }
    let folder = folder_of(target);
    std::fs::create_dir_all(folder).map_err(BackupError::io("create the folder", folder))?;
    let staged = stage_copy(backup, folder, &report.hash)?;
    // The restored file keeps the permissions of the one it replaces; a new one stays
    // private to its owner (the temporary file's default).
    if let Ok(old) = std::fs::metadata(target) {
        std::fs::set_permissions(staged.path(), old.permissions())
            .map_err(BackupError::io("set the permissions of", staged.path()))?;
    }

    let mut moved_aside = Vec::new();
    let mut removed = Vec::new();
    let wal = with_suffix(target, "-wal");
    let shm = with_suffix(target, "-shm");
    if target.exists() {
        let aside = aside_name(target, at);
        rename(target, &aside)?;
        moved_aside.push((target.to_path_buf(), aside.clone()));
        // The old log holds commits of the old file: it moves with it, named to match.
        if wal.exists() {
            let aside_wal = with_suffix(&aside, "-wal");
            rename(&wal, &aside_wal)?;
            moved_aside.push((wal.clone(), aside_wal));
        }
    }
    // A log left without its database would be replayed onto the restored file.
    for stale in [&wal, &shm] {
        if remove_if_present(stale)? {
            removed.push(stale.clone());
        }
    }
    staged
        .persist(target)
        .map_err(|err| BackupError::io("move the restored copy to", target)(err.error))?;
    sync_folder(folder)?;
    Ok(RestoreOutcome {
        report,
        moved_aside,
        removed,
    })
}

/// Copies the backup into a temporary file beside the target and syncs it; the copy must
/// hash to what the check saw, or the backup changed in between.
fn stage_copy(
    backup: &Path,
    folder: &Path,
    expected_hash: &str,
) -> Result<tempfile::NamedTempFile, BackupError> {
    let staged = tempfile::Builder::new()
        .prefix(".circlework-restore-")
        .tempfile_in(folder)
        .map_err(BackupError::io("create a temporary file in", folder))?;
    let mut source = File::open(backup).map_err(BackupError::io("read", backup))?;
    let copied_hash = {
        let mut hashing = HashingWriter {
            inner: BufWriter::new(staged.as_file()),
            hasher: Blake2b::<U32>::new(),
        };
        std::io::copy(&mut source, &mut hashing)
            .and_then(|_| hashing.inner.flush())
            .map_err(BackupError::io("copy", backup))?;
        let HashingWriter { hasher, .. } = hashing;
        hex::encode(hasher.finalize())
    };
    if copied_hash != expected_hash {
        return Err(BackupError::ChangedWhileCopying {
            path: backup.to_path_buf(),
        });
    }
    staged
        .as_file()
        .sync_all()
        .map_err(BackupError::io("sync", staged.path()))?;
    Ok(staged)
}

/// Passes bytes through while hashing them.
struct HashingWriter<W> {
    inner: W,
    hasher: Blake2b<U32>,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(buf.get(..written).unwrap_or_default());
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `TARGET.before-restore-20260101T120000Z`, numbered if two restores share a second.
fn aside_name(target: &Path, at: jiff::Timestamp) -> PathBuf {
    let stamp = at.strftime("%Y%m%dT%H%M%SZ").to_string();
    let base = with_suffix(target, &format!(".before-restore-{stamp}"));
    let mut candidate = base.clone();
    let mut n = 1;
    while candidate.exists() || with_suffix(&candidate, "-wal").exists() {
        candidate = with_suffix(&base, &format!("-{n}"));
        n += 1;
    }
    candidate
}

fn rename(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::rename(from, to).map_err(BackupError::io("move aside", from))
}
