//! `circlework instruments` end to end on an SQLite file: load a definition and a text pack,
//! see them in `list` and `show`, and have a bad file refused with its file and field named.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

/// Runs `circlework instruments ARGS`: (stdout, stderr, status).
fn instruments(args: &[&str]) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_circlework"))
        .arg("instruments")
        .args(args)
        .env_remove("CIRCLEWORK_DATABASE_URL")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap(),
    )
}

const DEFINITION: &str = r#"
id = "checkin"
version = 1
title = "Session check-in"
[licence]
status = "permission"
embed_text = false
[response]
min = 0
max = 10
[[items]]
n = 1
key = "relationship"
label = "Relationship"
[[items]]
n = 2
key = "goals"
label = "Goals"
[total]
method = "sum"
direction = "higher_better"
[missing]
max_missing = 0
source = "all items needed"
"#;

#[test]
fn definitions_and_wording_load_list_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let definition = dir.path().join("checkin.toml");
    std::fs::write(&definition, DEFINITION).unwrap();
    let pack = dir.path().join("checkin-text.toml");
    std::fs::write(
        &pack,
        "instrument = \"checkin\"\nversion = 1\nsource = \"Our own wording\"\n\
         [responses]\n0 = \"Poor\"\n1 = \"1\"\n2 = \"2\"\n3 = \"3\"\n4 = \"4\"\n5 = \"5\"\n6 = \"6\"\n7 = \"7\"\n8 = \"8\"\n9 = \"9\"\n10 = \"Great\"\n\
         [items]\n1 = \"How well did we get on?\"\n2 = \"Did we work on what you wanted?\"\n",
    )
    .unwrap();

    let (out, err, status) =
        instruments(&["load", definition.to_str().unwrap(), "--database-url", &url]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "Loaded checkin version 1 (2 items).\n");
    let (_, err, status) =
        instruments(&["load", definition.to_str().unwrap(), "--database-url", &url]);
    assert_eq!(status, 2);
    assert!(err.contains("already loaded"), "{err}");

    let (out, err, status) =
        instruments(&["load-text", pack.to_str().unwrap(), "--database-url", &url]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "Loaded the wording of checkin version 1 (2 items).\n");

    let (out, _, status) = instruments(&["list", "--database-url", &url]);
    assert_eq!(status, 0);
    let line = out.lines().find(|l| l.starts_with("checkin")).unwrap();
    assert!(
        line.contains("organisation") && line.contains("loaded"),
        "{out}"
    );
    let (out, _, _) = instruments(&["list"]);
    assert!(
        !out.contains("checkin"),
        "without a database only bundled instruments: {out}"
    );

    let (out, _, status) = instruments(&["show", "checkin", "--database-url", &url]);
    assert_eq!(status, 0);
    assert!(out.contains("\"Did we work on what you wanted?\""), "{out}");
    assert!(out.contains("Answers: 0 to 10 (0 Poor;"), "{out}");
    assert!(out.contains("Wording from: Our own wording"), "{out}");
}

#[test]
fn a_refused_file_names_file_and_field_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        DEFINITION.replace("[total]", "[[subscales]]\nid = \"x\"\nitems = [1, 5]"),
    )
    .unwrap();
    let (_, err, status) = instruments(&["load", bad.to_str().unwrap(), "--database-url", &url]);
    assert_eq!(status, 2, "{err}");
    assert!(
        err.contains("bad.toml: subscales[0].items: item 5 does not exist (items are 1 to 2)"),
        "{err}"
    );
    let pack = dir.path().join("pack.toml");
    std::fs::write(
        &pack,
        "instrument = \"gcqs\"\nversion = 1\nsource = \"x\"\n[items]\n1 = \"Only one\"\n",
    )
    .unwrap();
    let (_, err, status) =
        instruments(&["load-text", pack.to_str().unwrap(), "--database-url", &url]);
    assert_eq!(status, 2);
    assert!(
        err.contains("pack.toml: items: every item needs its wording; missing: 2, 3"),
        "{err}"
    );
    let (out, _, _) = instruments(&["list", "--database-url", &url]);
    assert!(
        !out.contains("checkin") && out.contains("not loaded"),
        "{out}"
    );
    let (_, err, status) = instruments(&["show", "nope"]);
    assert_eq!(status, 2);
    assert!(err.contains("no instrument nope"), "{err}");
}
