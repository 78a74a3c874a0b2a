//! `circlework analyze` on the demo database, as a user runs it: an early differentiation
//! stretch followed by working, a conflict alert and a dropout alert, stored by the demo's
//! evaluation, with DOMAIN.md's spellings; and the exit status for what cannot be read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

use serde_json::Value;
use store::testing::{TempDatabase, postgres_or_skip};

const BIN: &str = env!("CARGO_BIN_EXE_circlework");

const RULES: [&str; 9] = [
    "SAFETY",
    "CONFLICT_ESC",
    "CONFLICT_EXPECTED",
    "WITHDRAWAL",
    "ALLIANCE_LOW",
    "DROPOUT_RISK",
    "NOT_IMPROVING",
    "DETERIORATION",
    "STAGE_STALLED",
];

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

fn analyze(url: &str, group: &str) -> Output {
    circlework(&["analyze", "--database-url", url, "--group", group])
}

/// Seeds the demo at `url` and checks what `analyze` says about its group.
fn the_demo_group_differentiates_then_works_with_conflict_and_dropout_alerts(url: &str) {
    let seeded = circlework(&["demo", "--no-serve", "--database-url", url]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let output = analyze(url, "1");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();

    let stages: Vec<&str> = report["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages.len(), 7, "the demo holds seven sessions: {stages:?}");
    let first_differentiation = stages.iter().position(|s| *s == "differentiation");
    let last_working = stages.iter().rposition(|s| *s == "working");
    assert!(
        matches!((first_differentiation, last_working), (Some(d), Some(w)) if d <= 3 && d < w),
        "an early differentiation stretch, then working: {stages:?}"
    );
    for session in report["sessions"].as_array().unwrap() {
        let posterior = session["posterior"].as_object().unwrap();
        let mut keys: Vec<&str> = posterior.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["differentiation", "ending", "engagement", "working"],
            "lower-case stage names"
        );
        let sum: f64 = posterior.values().map(|p| p.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert!(session["features"]["climate"]["conflict"]["mean"].is_f64());
    }

    let rules = |list: &str| -> Vec<String> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                a.get("rule")
                    .or_else(|| a.get("rule_id"))
                    .and_then(Value::as_str)
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    for list in ["alerts", "stored_alerts"] {
        let found = rules(list);
        assert!(
            found.iter().all(|r| RULES.contains(&r.as_str())),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|r| r == "CONFLICT_ESC" || r == "CONFLICT_EXPECTED"),
            "{list}: {found:?}"
        );
        assert!(
            found.iter().any(|r| r == "DROPOUT_RISK"),
            "{list}: {found:?}"
        );
    }
    // The demo's evaluation stored exactly what the evidence supports.
    assert_eq!(rules("alerts").len(), rules("stored_alerts").len());

    // An unknown group is named, with status 2.
    let unknown = analyze(url, "999");
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown.stderr));
    assert!(text(&unknown.stderr).contains("there is no group 999"));
}

#[test]
fn the_demo_on_sqlite() {
    let db = TempDatabase::sqlite().unwrap();
    the_demo_group_differentiates_then_works_with_conflict_and_dropout_alerts(&db.url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_on_postgres() {
    let Some(admin) = postgres_or_skip("the_demo_on_postgres") else {
        return;
    };
    let db = TempDatabase::postgres(&admin).await.unwrap();
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        the_demo_group_differentiates_then_works_with_conflict_and_dropout_alerts(&url)
    })
    .await
    .unwrap();
}

#[test]
fn a_missing_database_is_an_error_not_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let output = analyze(&format!("sqlite://{}", path.display()), "1");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(!path.exists());
}
