//! `circlework audit verify` as a user runs it: intact on the demo, and each kind of
//! tampering (an edited, deleted, inserted or deleted-last row) fails naming a row.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

use domain::MemberCode;
use jiff::Timestamp;
use store::{
    AuditContext, AuditFilter, AuditRow,
    testing::{TempDatabase, postgres_or_skip},
};

const BIN: &str = env!("CARGO_BIN_EXE_circlework");

fn circlework(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CIRCLEWORK_DATABASE_URL")
        .output()
        .unwrap()
}

fn verify(url: &str) -> Output {
    circlework(&["audit", "verify", "--database-url", url])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh demo database: (its folder, its URL).
fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let seeded = circlework(&["demo", "--no-serve", "--database-url", &url]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    (dir, url)
}

/// Runs SQL on the database directly, behind the application's back.
async fn tamper(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::query(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

/// Asserts the check failed with status 1 and named `row`; returns what it printed.
fn assert_names_row(output: &Output, row: i64) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("audit chain broken at row {row}:")),
        "{stderr}"
    );
    stderr
}

async fn newest_row(url: &str) -> AuditRow {
    let store = store::open(url).await.unwrap();
    let filter = AuditFilter {
        limit: 1,
        ..AuditFilter::default()
    };
    store.audit_rows(&filter).await.unwrap().remove(0)
}

#[tokio::test]
async fn the_demo_verifies_and_an_edited_row_is_named() {
    let (_dir, url) = demo();
    let intact = verify(&url);
    let stdout = text(&intact.stdout);
    assert!(intact.status.success(), "{}", text(&intact.stderr));
    assert!(stdout.contains("Audit chain intact"), "{stdout}");
    let head = newest_row(&url).await.seq;
    assert!(stdout.contains(&format!("{head} rows checked")), "{stdout}");

    tamper(
        &url,
        "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 5",
    )
    .await;
    let stderr = assert_names_row(&verify(&url), 5);
    assert!(stderr.contains("edited"), "{stderr}");
}

#[tokio::test]
async fn a_deleted_middle_row_is_named() {
    let (_dir, url) = demo();
    tamper(&url, "DELETE FROM audit_log WHERE seq = 3").await;
    assert_names_row(&verify(&url), 3);
}

#[tokio::test]
async fn an_inserted_row_is_named_even_with_a_correct_hash() {
    let (_dir, url) = demo();
    let last = newest_row(&url).await;
    let mut forged = AuditRow {
        seq: last.seq + 1,
        detail: "a forged entry".into(),
        prev_hash: last.hash.clone(),
        ..last
    };
    forged.hash = forged.expected_hash();
    let value = |v: Option<i64>| v.map_or("NULL".to_owned(), |v| v.to_string());
    tamper(
        &url,
        &format!(
            "INSERT INTO audit_log (seq, at, actor_id, actor, origin, action, entity, entity_id, \
             group_id, member_id, detail, prev_hash, hash) VALUES \
             ({}, '{}', {}, '{}', '{}', '{}', '{}', {}, {}, {}, '{}', '{}', '{}')",
            forged.seq,
            forged.at,
            value(forged.actor_id),
            forged.actor,
            forged.origin,
            forged.action,
            forged.entity,
            value(forged.entity_id),
            value(forged.group_id),
            value(forged.member_id),
            forged.detail,
            forged.prev_hash,
            forged.hash
        ),
    )
    .await;
    assert_names_row(&verify(&url), forged.seq);
}

#[tokio::test]
async fn a_deleted_last_row_is_named() {
    let (_dir, url) = demo();
    let last = newest_row(&url).await.seq;
    tamper(&url, &format!("DELETE FROM audit_log WHERE seq = {last}")).await;
    assert_names_row(&verify(&url), last);
}

#[test]
fn a_missing_database_is_status_2_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let output = verify(&format!("sqlite://{}", path.display()));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("could not open"));
    assert!(!path.exists());

    let foreign = dir.path().join("foreign.db");
    std::fs::write(&foreign, b"").unwrap();
    let output = verify(&format!("sqlite://{}", foreign.display()));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("could not read the audit log"));
}

#[tokio::test]
async fn an_edited_row_is_named_on_postgres() {
    let Some(admin) = postgres_or_skip("an_edited_row_is_named_on_postgres") else {
        return;
    };
    let db = TempDatabase::postgres(&admin).await.unwrap();
    let store = store::open(&db.url).await.unwrap();
    let by = AuditContext::system(
        "test",
        "test",
        "2026-03-02T18:00:00Z".parse::<Timestamp>().unwrap(),
    );
    for code in ["M-2345", "M-2346", "M-2347", "M-2348", "M-2349", "M-234A"] {
        let code = MemberCode::parse(code).unwrap();
        store.create_member(&by, &code, None).await.unwrap();
    }
    let intact = verify(&db.url);
    assert!(intact.status.success(), "{}", text(&intact.stderr));
    assert!(text(&intact.stdout).contains("6 rows checked"));

    tamper(
        &db.url,
        "UPDATE audit_log SET actor = 'someone else' WHERE seq = 5",
    )
    .await;
    assert_names_row(&verify(&db.url), 5);
}
