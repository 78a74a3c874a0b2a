//! SQLite backups through the store crate: a copy made while a writer keeps committing is
//! consistent and restores to a sound database; damaged copies and existing files are refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate circlework_store as store;

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use domain::{MemberCode, MemberId};
use jiff::Timestamp;
use store::{
    AuditContext, SharedStore,
    backup::{BackupError, BackupOptions, backup_sqlite, check_backup, restore_sqlite},
    testing::TempDatabase,
};

fn at() -> Timestamp {
    "2026-03-02T18:00:00Z".parse().unwrap()
}

fn by() -> AuditContext {
    AuditContext::system("test", "test", at())
}

/// The `n`th member code: `M-` and `n` written in the code alphabet.
fn code(n: usize) -> MemberCode {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut body = String::new();
    let mut rest = n;
    for _ in 0..4 {
        body.insert(0, char::from(ALPHABET[rest % ALPHABET.len()]));
        rest /= ALPHABET.len();
    }
    MemberCode::parse(&format!("M-{body}")).unwrap()
}

fn path_of(db: &TempDatabase) -> PathBuf {
    PathBuf::from(store::sqlite_path(&db.url).unwrap())
}

/// A demo-sized database: `n` members, each with its audit row.
async fn seeded(n: usize) -> (SharedStore, TempDatabase, Vec<MemberId>) {
    let db = TempDatabase::sqlite().unwrap();
    let store = store::open(&db.url).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(store.create_member(&by(), &code(i), None).await.unwrap().id);
    }
    (store, db, ids)
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// Slow, small steps: many chances for the writer to commit in the middle of the copy.
fn slow() -> BackupOptions {
    BackupOptions {
        pages_per_step: 1,
        pause: Duration::from_millis(5),
        ..BackupOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_to_a_sound_database() {
    let (store, db, before) = seeded(300).await;
    let source = path_of(&db);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.db");

    let stop = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(AtomicUsize::new(before.len()));
    let writer = {
        let (store, stop, committed) = (store.clone(), stop.clone(), committed.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = committed.load(Ordering::SeqCst);
                store.create_member(&by(), &code(n), None).await.unwrap();
                committed.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let at_start = committed.load(Ordering::SeqCst);
    let summary = {
        let (source, out) = (source.clone(), out.clone());
        tokio::task::spawn_blocking(move || backup_sqlite(&source, &out, false, &slow()))
            .await
            .unwrap()
            .unwrap()
    };
    let at_end = committed.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();

    assert!(summary.steps > 1, "the copy took {} steps", summary.steps);
    assert!(
        at_end > at_start,
        "the writer committed nothing while the backup ran"
    );
    assert!(summary.report.is_sound(), "{:?}", summary.report.problems);

    let restored = dir.path().join("restored.db");
    let outcome = restore_sqlite(&out, &restored, false, at()).unwrap();
    assert!(outcome.moved_aside.is_empty());
    let copy = store::open(&format!("sqlite://{}", restored.display()))
        .await
        .unwrap();
    assert_eq!(
        copy.integrity_problems().await.unwrap(),
        Vec::<String>::new()
    );
    let chain = copy.verify_audit_chain().await.unwrap();
    assert_eq!(chain.first_break, None);
    assert_eq!(chain.rows_checked, summary.audit_head as u64);
    for id in &before {
        copy.member(*id).await.unwrap();
    }
    // One moment's snapshot: every member in the copy has its audit row and no more.
    let members = count(&restored, "SELECT COUNT(*) FROM members");
    let created = count(
        &restored,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'member' AND action = 'create'",
    );
    assert_eq!(members, created);
    assert!(members as usize >= at_start);
    // The source went on past the snapshot.
    assert!(count(&source, "SELECT COUNT(*) FROM members") > members);
}

#[tokio::test]
async fn the_copy_is_one_file_with_its_checksum_beside_it() {
    let (_store, db, _) = seeded(3).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.db");
    backup_sqlite(&path_of(&db), &out, false, &BackupOptions::default()).unwrap();

    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["copy.db", "copy.db.b2sum"]);
    let conn =
        rusqlite::Connection::open_with_flags(&out, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    let report = check_backup(&out).unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
    assert!(matches!(
        report.checksum,
        store::backup::ChecksumStatus::Matches(_)
    ));
    assert_eq!(report.audit_rows_checked, 3);
    // Every migration in the folder has run (other branches add their own).
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(report.migrations, migrations);
}

#[tokio::test]
async fn an_existing_out_file_is_refused_unless_replacing() {
    let (_store, db, _) = seeded(2).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.db");
    std::fs::write(&out, b"keep me").unwrap();
    let refused = backup_sqlite(&path_of(&db), &out, false, &BackupOptions::default());
    assert!(
        matches!(refused, Err(BackupError::Exists(_))),
        "{refused:?}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    backup_sqlite(&path_of(&db), &out, true, &BackupOptions::default()).unwrap();
    assert!(check_backup(&out).unwrap().is_sound());

    let itself = backup_sqlite(
        &path_of(&db),
        &path_of(&db),
        true,
        &BackupOptions::default(),
    );
    assert!(
        matches!(itself, Err(BackupError::SamePath(_))),
        "{itself:?}"
    );
}

#[test]
fn a_failed_backup_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER)")
        .unwrap();
    let out = dir.path().join("copy.db");
    assert!(backup_sqlite(&foreign, &out, false, &BackupOptions::default()).is_err());
    let missing = backup_sqlite(
        &dir.path().join("absent.db"),
        &out,
        false,
        &BackupOptions::default(),
    );
    assert!(matches!(missing, Err(BackupError::MissingSource(_))));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["foreign.db"]);
}

/// A fresh backup of a small database, in its own folder.
async fn fresh_backup() -> (tempfile::TempDir, PathBuf) {
    let (_store, db, _) = seeded(20).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.db");
    backup_sqlite(&path_of(&db), &out, false, &BackupOptions::default()).unwrap();
    (dir, out)
}

fn problems(path: &Path) -> String {
    let report = check_backup(path).unwrap();
    assert!(!report.is_sound(), "{} passed its checks", path.display());
    report.problems.join("\n")
}

#[tokio::test]
async fn flipped_bytes_and_truncation_are_found() {
    let (_dir, out) = fresh_backup().await;
    let mut bytes = std::fs::read(&out).unwrap();
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 8] {
        *byte ^= 0xA5;
    }
    std::fs::write(&out, &bytes).unwrap();
    assert!(problems(&out).contains("checksum"));

    // Without its checksum file, SQLite's own checks catch a cut-off copy.
    std::fs::remove_file(store::backup::checksum_path(&out)).unwrap();
    let original_len = bytes.len();
    std::fs::write(&out, &bytes[..original_len / 3]).unwrap();
    let found = problems(&out);
    assert!(!found.contains("checksum"), "{found}");
}

#[tokio::test]
async fn a_live_database_with_its_log_is_not_taken_for_a_backup() {
    let (_store, db, _) = seeded(3).await;
    let live = path_of(&db);
    // The open store keeps its commits in the log beside the file.
    assert!(
        std::fs::metadata(format!("{}-wal", live.display()))
            .unwrap()
            .len()
            > 0
    );
    let found = problems(&live);
    assert!(found.contains("write-ahead log"), "{found}");
}

#[tokio::test]
async fn checking_leaves_nothing_beside_the_file() {
    let (dir, out) = fresh_backup().await;
    // A copy in WAL mode is the hardest case: a read-only open would make -wal and -shm.
    rusqlite::Connection::open(&out)
        .unwrap()
        .pragma_update(None, "journal_mode", "WAL")
        .unwrap();
    std::fs::remove_file(store::backup::checksum_path(&out)).unwrap();
    let report = check_backup(&out).unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["copy.db"]);
}

#[tokio::test]
async fn an_edited_audit_row_in_a_copy_is_named() {
    let (_dir, out) = fresh_backup().await;
    std::fs::remove_file(store::backup::checksum_path(&out)).unwrap();
    rusqlite::Connection::open(&out)
        .unwrap()
        .execute("UPDATE audit_log SET detail = 'edited' WHERE seq = 5", [])
        .unwrap();
    let found = problems(&out);
    assert!(found.contains("audit chain broken at row 5"), "{found}");
}

#[tokio::test]
async fn a_copy_missing_a_migration_is_refused() {
    let (dir, out) = fresh_backup().await;
    std::fs::remove_file(store::backup::checksum_path(&out)).unwrap();
    rusqlite::Connection::open(&out)
        .unwrap()
        .execute("DELETE FROM _sqlx_migrations", [])
        .unwrap();
    assert!(problems(&out).contains("is missing"));
    let target = dir.path().join("target.db");
    let refused = restore_sqlite(&out, &target, false, at());
    assert!(
        matches!(refused, Err(BackupError::Unsound { .. })),
        "{refused:?}"
    );
    assert!(!target.exists());
}

#[tokio::test]
async fn restore_refuses_an_existing_target_and_with_force_keeps_it_aside() {
    let (dir, out) = fresh_backup().await;
    let target = dir.path().join("live.db");
    let wal = dir.path().join("live.db-wal");
    let shm = dir.path().join("live.db-shm");
    std::fs::write(&target, b"old database").unwrap();
    std::fs::write(&wal, b"old log").unwrap();
    std::fs::write(&shm, b"old index").unwrap();

    let refused = restore_sqlite(&out, &target, false, at());
    assert!(
        matches!(refused, Err(BackupError::Exists(_))),
        "{refused:?}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"old database");

    let outcome = restore_sqlite(&out, &target, true, at()).unwrap();
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(&out).unwrap()
    );
    let [(from_db, aside_db), (from_wal, aside_wal)] = outcome.moved_aside.as_slice() else {
        panic!("expected the database and its log moved aside: {outcome:?}")
    };
    assert_eq!((from_db, from_wal), (&target, &wal));
    assert_eq!(
        aside_db,
        &dir.path().join("live.db.before-restore-20260302T180000Z")
    );
    assert_eq!(
        aside_wal,
        &dir.path()
            .join("live.db.before-restore-20260302T180000Z-wal")
    );
    assert_eq!(std::fs::read(aside_db).unwrap(), b"old database");
    assert_eq!(std::fs::read(aside_wal).unwrap(), b"old log");
    assert!(!wal.exists() && !shm.exists());
    assert_eq!(outcome.removed, [shm]);
    // No temporary files are left in the folder.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".circlework-restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
