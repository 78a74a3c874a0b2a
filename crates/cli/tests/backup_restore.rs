//! `circlework backup` and `circlework restore` as a user runs them: a backup taken while
//! another process keeps writing restores to a sound database; damaged backups, existing
//! files and PostgreSQL URLs are refused with a message that says what to do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use domain::{MemberCode, MemberId};
use jiff::Timestamp;
use store::AuditContext;

const BIN: &str = env!("CARGO_BIN_EXE_circlework");

fn circlework(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CIRCLEWORK_DATABASE_URL")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run_ok(args: &[&str]) -> String {
    let output = circlework(args);
    assert!(
        output.status.success(),
        "{args:?} failed: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// Runs a command that must fail with status 1; returns its standard error.
fn run_refused(args: &[&str]) -> String {
    let output = circlework(args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{args:?}: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stderr)
}

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A folder with the demo database seeded in it as `live.db`.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    run_ok(&["demo", "--no-serve", "--database-url", &url(&live)]);
    (dir, live)
}

fn backup(live: &Path, out: &Path) -> String {
    run_ok(&[
        "backup",
        "--database-url",
        &url(live),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn by() -> AuditContext {
    let at: Timestamp = "2026-03-02T18:00:00Z".parse().unwrap();
    AuditContext::system("load", "test", at)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_to_a_sound_database() {
    let (dir, live) = demo();
    let store = store::open(&url(&live)).await.unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(AtomicUsize::new(0));
    let created: Arc<std::sync::Mutex<Vec<MemberId>>> = Arc::default();
    let writer = {
        let (store, stop, committed, created) = (
            store.clone(),
            stop.clone(),
            committed.clone(),
            created.clone(),
        );
        tokio::spawn(async move {
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                // The demo's codes are random: skip one it already uses.
                match store.create_member(&by(), &code(n), None).await {
                    Ok(member) => created.lock().unwrap().push(member.id),
                    Err(store::StoreError::Taken(_)) => continue,
                    Err(err) => panic!("{err}"),
                }
                committed.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while committed.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before: Vec<MemberId> = created.lock().unwrap().clone();
    let out = dir.path().join("copy.db");
    let printed = {
        let (live, out) = (live.clone(), out.clone());
        tokio::task::spawn_blocking(move || backup(&live, &out))
            .await
            .unwrap()
    };
    let during = committed.load(Ordering::SeqCst) - before.len();
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    assert!(
        during > 0,
        "the writer committed nothing while the backup ran"
    );
    assert!(printed.contains("Backed up"), "{printed}");
    assert!(printed.contains("audit chain intact"), "{printed}");

    let restored = dir.path().join("restored.db");
    let printed = run_ok(&[
        "restore",
        "--from",
        out.to_str().unwrap(),
        "--database-url",
        &url(&restored),
    ]);
    assert!(printed.contains("checksum matches"), "{printed}");
    assert!(printed.contains("Restored"), "{printed}");

    let copy = store::open(&url(&restored)).await.unwrap();
    assert_eq!(
        copy.integrity_problems().await.unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(copy.verify_audit_chain().await.unwrap().first_break, None);
    for id in &before {
        copy.member(*id).await.unwrap();
    }
    let verified = run_ok(&["audit", "verify", "--database-url", &url(&restored)]);
    assert!(verified.contains("intact"), "{verified}");
}

/// Every file in a folder with its bytes, to show nothing changed.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_changes() {
    let (dir, live) = demo();
    let out = dir.path().join("copy.db");
    backup(&live, &out);
    let target = dir.path().join("target.db");
    std::fs::copy(&live, &target).unwrap();

    let mut bytes = std::fs::read(&out).unwrap();
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 16] {
        *byte ^= 0xFF;
    }
    std::fs::write(&out, &bytes).unwrap();
    let before = snapshot(dir.path());
    let restore = [
        "restore",
        "--force",
        "--from",
        out.to_str().unwrap(),
        "--database-url",
        &url(&target),
    ];
    let stderr = run_refused(&restore);
    assert!(stderr.contains("failed its checks"), "{stderr}");
    assert!(stderr.contains("checksum"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before);

    // A cut-off copy without its checksum file fails SQLite's own checks.
    std::fs::remove_file(dir.path().join("copy.db.b2sum")).unwrap();
    backup_again(&live, &out);
    std::fs::remove_file(dir.path().join("copy.db.b2sum")).unwrap();
    let whole = std::fs::read(&out).unwrap();
    std::fs::write(&out, &whole[..whole.len() / 2]).unwrap();
    let before = snapshot(dir.path());
    let stderr = run_refused(&restore);
    assert!(stderr.contains("failed its checks"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before);
}

fn backup_again(live: &Path, out: &Path) {
    run_ok(&[
        "backup",
        "--force",
        "--database-url",
        &url(live),
        "--out",
        out.to_str().unwrap(),
    ]);
}

#[test]
fn existing_files_are_refused_without_force() {
    let (dir, live) = demo();
    let out = dir.path().join("copy.db");
    std::fs::write(&out, b"an older backup").unwrap();
    let stderr = run_refused(&[
        "backup",
        "--database-url",
        &url(&live),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stderr.contains("already exists; add --force"), "{stderr}");
    assert_eq!(std::fs::read(&out).unwrap(), b"an older backup");
    backup_again(&live, &out);

    let target = dir.path().join("target.db");
    std::fs::write(&target, b"a database in use").unwrap();
    let mut restore = vec!["restore", "--from", out.to_str().unwrap(), "--database-url"];
    let target_url = url(&target);
    restore.push(&target_url);
    let stderr = run_refused(&restore);
    assert!(stderr.contains("already exists; add --force"), "{stderr}");
    assert_eq!(std::fs::read(&target).unwrap(), b"a database in use");

    restore.push("--force");
    let printed = run_ok(&restore);
    assert!(printed.contains("aside to"), "{printed}");
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().contains("target.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), b"a database in use");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(&out).unwrap()
    );
}

#[test]
fn postgres_urls_are_pointed_to_pg_dump_and_pg_restore() {
    let postgres = "postgres://circlework:secret@db.example/circlework";
    let stderr = run_refused(&["backup", "--database-url", postgres, "--out", "x.dump"]);
    assert!(stderr.contains("pg_dump --format=custom"), "{stderr}");
    assert!(stderr.contains("\"Backups\""), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
    let stderr = run_refused(&["restore", "--database-url", postgres, "--from", "x.dump"]);
    assert!(stderr.contains("pg_restore"), "{stderr}");
    assert!(!Path::new("x.dump").exists());
}
