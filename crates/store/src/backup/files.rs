//! File helpers for backups: names beside a file, checksums, and syncing a folder so a
//! rename survives a crash.

use std::{
    ffi::OsString,
    fs::File,
    io::{Read, Write},
    path::{Path, PathBuf},
};

use blake2::{Blake2b, Digest, digest::consts::U32};

use super::BackupError;

/// `PATH` with `suffix` appended to its file name (`db.sqlite` -> `db.sqlite.partial`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Where the checksum of a backup file lives: `FILE.b2sum`.
pub fn checksum_path(backup: &Path) -> PathBuf {
    with_suffix(backup, ".b2sum")
}

/// The folder a file is in ("." for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Whether two paths name the same file, for paths that may not exist yet.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |path: &Path| -> Option<PathBuf> {
        let folder = folder_of(path).canonicalize().ok()?;
        Some(folder.join(path.file_name()?))
    };
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// BLAKE2b-256 of a file's bytes, as lowercase hex (what `b2sum --length=256` prints).
pub(crate) fn hash_file(path: &Path) -> Result<String, BackupError> {
    let mut file = File::open(path).map_err(BackupError::io("read", path))?;
    let mut hasher = Blake2b::<U32>::new();
    let mut buffer = vec![0_u8; 1 << 16];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(BackupError::io("read", path))?;
        let Some(chunk) = buffer.get(..read).filter(|chunk| !chunk.is_empty()) else {
            break;
        };
        hasher.update(chunk);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Writes `FILE.b2sum` for `backup` (named as it will be once in place) via `at`.
pub(crate) fn write_checksum(at: &Path, backup: &Path, hash: &str) -> Result<(), BackupError> {
    let name = backup
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = File::create(at).map_err(BackupError::io("write", at))?;
    file.write_all(format!("{hash}  {name}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(BackupError::io("write", at))
}

/// The hash recorded in a checksum file, if the file exists.
pub(crate) fn read_checksum(at: &Path) -> Result<Option<String>, BackupError> {
    match std::fs::read_to_string(at) {
        Ok(text) => Ok(Some(
            text.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase(),
        )),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(BackupError::io("read", at)(err)),
    }
}

/// Flushes a folder's entries, so renames in it survive a power cut (no-op off Unix).
pub(crate) fn sync_folder(folder: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(BackupError::io("sync the folder", folder))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// Removes a file if it is there; whether it was.
pub(crate) fn remove_if_present(path: &Path) -> Result<bool, BackupError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(BackupError::io("remove", path)(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_go_on_the_file_name() {
        assert_eq!(
            with_suffix(Path::new("data/c.db"), "-wal"),
            PathBuf::from("data/c.db-wal")
        );
        assert_eq!(
            checksum_path(Path::new("b.db")),
            PathBuf::from("b.db.b2sum")
        );
        assert_eq!(folder_of(Path::new("b.db")), Path::new("."));
    }

    #[test]
    fn checksums_round_trip_in_b2sum_format() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("copy.db");
        std::fs::write(&file, b"abc").unwrap();
        let hash = hash_file(&file).unwrap();
        // BLAKE2b-256("abc"), as `printf abc | b2sum --length=256` prints it.
        assert_eq!(
            hash,
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        );
        let sidecar = checksum_path(&file);
        write_checksum(&sidecar, &file, &hash).unwrap();
        assert_eq!(
            std::fs::read_to_string(&sidecar).unwrap(),
            format!("{hash}  copy.db\n")
        );
        assert_eq!(read_checksum(&sidecar).unwrap(), Some(hash));
        assert_eq!(read_checksum(&dir.path().join("none")).unwrap(), None);
    }

    #[test]
    fn same_file_sees_through_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.db");
        let via_dot = dir.path().join(".").join("a.db");
        assert!(same_file(&a, &via_dot));
        assert!(!same_file(&a, &dir.path().join("b.db")));
    }
}
