//! `circlework stages` end to end: the JSONL and CSV contracts, the forced ending, model files
//! and the errors (row and column named, exit status 2).

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `circlework stages ARGS` with `input` on standard input: (stdout, stderr, status).
fn run(args: &[&str], input: &str) -> (String, String, i32) {
    try_run(args, input).unwrap_or_else(|e| (String::new(), e.to_string(), -1))
}

fn try_run(
    args: &[&str],
    input: &str,
) -> Result<(String, String, i32), Box<dyn std::error::Error>> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_circlework"))
        .arg("stages")
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // A command that fails before reading its input closes the pipe: that is not our failure.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let output = child.wait_with_output()?;
    Ok((
        String::from_utf8(output.stdout)?,
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    ))
}

const GROUP: &str = "session,engaged,avoiding,conflict
1,3.0,3.3,0.9
2,2.9,2.8,2.6
3,3.0,2.7,2.4
4,,,
5,4.2,2.1,1.0
6,4.1,2.0,1.1
7,4.3,2.2,
8,4.0,2.4,0.8
9,4.1,2.5,0.9
10,4.2,2.6,0.8
";

const STAGES: [&str; 4] = ["engagement", "differentiation", "working", "ending"];

/// The four probabilities under `key`, in stage order (`None` if any is missing).
fn probabilities(object: &serde_json::Value, key: &str) -> Option<Vec<f64>> {
    let map = object.get(key)?.as_object()?;
    if map.len() != 4 {
        return None;
    }
    STAGES.iter().map(|s| map.get(*s)?.as_f64()).collect()
}

#[test]
fn one_object_per_session_with_viterbi_stage_and_both_posteriors() {
    let (stdout, stderr, status) = run(&["-", "--format", "jsonl", "--planned", "10"], GROUP);
    assert_eq!(status, 0, "{stderr}");
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 10);
    let stages: Vec<&str> = objects
        .iter()
        .map(|o| o["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages[0], "engagement");
    assert_eq!(&stages[1..3], &["differentiation", "differentiation"]);
    assert!(stages[4..8].iter().all(|s| *s == "working"), "{stages:?}");
    // N = 10: k = 2, so sessions 9 and 10 are the ending.
    assert_eq!(&stages[8..], &["ending", "ending"]);
    for line in stdout.lines() {
        let at = |key: &str| line.find(&format!("\"{key}\":")).unwrap();
        assert!(line.starts_with("{\"session\":"), "{line}");
        assert!(
            at("stage") < at("posterior") && at("posterior") < at("smoothed"),
            "{line}"
        );
    }
    for (number, object) in (1..).zip(&objects) {
        assert_eq!(object["session"], number);
        assert_eq!(object.as_object().unwrap().len(), 4);
        for key in ["posterior", "smoothed"] {
            let p = probabilities(object, key).unwrap();
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{p:?}");
        }
    }
    // Unrounded: the posterior of a session has more than a couple of decimals.
    let p = objects[1]["posterior"]["differentiation"].to_string();
    assert!(p.len() > 8, "{p}");
    assert_eq!(
        probabilities(&objects[9], "posterior"),
        Some(vec![0.0, 0.0, 0.0, 1.0])
    );
}

#[test]
fn json_is_another_name_for_jsonl_and_csv_has_a_header() {
    let (jsonl, _, _) = run(&["-"], GROUP);
    let (json, _, status) = run(&["-", "--format", "json"], GROUP);
    assert_eq!(status, 0);
    assert_eq!(json, jsonl);
    // Open-ended by default: no session is ever ending.
    assert!(!jsonl.contains("\"stage\":\"ending\""));

    let (csv, stderr, status) = run(&["-", "--format", "csv", "--planned", "10"], GROUP);
    assert_eq!(status, 0, "{stderr}");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "session,stage,posterior_engagement,posterior_differentiation,posterior_working,posterior_ending,smoothed_engagement,smoothed_differentiation,smoothed_working,smoothed_ending"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[9][..2], ["10", "ending"]);
    let posterior: f64 = rows[0][2..6]
        .iter()
        .map(|v| v.parse::<f64>().unwrap())
        .sum();
    assert!((posterior - 1.0).abs() < 1e-9);
}

#[test]
fn gaps_are_sessions_without_answers_and_only_given_rows_are_printed() {
    let (stdout, _, status) = run(&["-", "--planned", "8"], "session,conflict\n1,1.0\n7,0.9\n");
    assert_eq!(status, 0);
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[1]["session"], 7);
    // 8 planned: k = round(1.2) = 1, so session 7 is not yet the ending.
    assert_ne!(objects[1]["stage"], "ending");
    let (empty, _, status) = run(&["-"], "session,engaged\n");
    assert_eq!((empty.as_str(), status), ("", 0));
}

#[test]
fn a_model_file_replaces_the_domain_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.json");
    // A model whose working stage is the conflicted one.
    let mut model = serde_json::json!({
        "version": 2,
        "description": "test",
        "initial": {"engagement": 0.2, "differentiation": 0.2, "working": 0.6},
        "transitions": {
            "engagement": {"engagement": 0.6, "differentiation": 0.35, "working": 0.05},
            "differentiation": {"engagement": 0.05, "differentiation": 0.55, "working": 0.40},
            "working": {"engagement": 0.0, "differentiation": 0.10, "working": 0.90}
        },
        "emissions": {}
    });
    let g = |mean: f64| serde_json::json!({"mean": mean, "sd": 0.5});
    for stage in STAGES {
        let conflict = if stage == "working" { 5.0 } else { 1.0 };
        model["emissions"][stage] =
            serde_json::json!({"engaged": g(3.0), "avoiding": g(3.0), "conflict": g(conflict)});
    }
    std::fs::write(&path, model.to_string()).unwrap();
    let (stdout, stderr, status) = run(
        &["-", "--model", path.to_str().unwrap()],
        "session,conflict\n1,5.0\n",
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("\"stage\":\"working\""), "{stdout}");

    model["emissions"]["working"]["conflict"]["sd"] = serde_json::json!(0);
    std::fs::write(&path, model.to_string()).unwrap();
    let (_, stderr, status) = run(&["-", "--model", path.to_str().unwrap()], "session\n1\n");
    assert_eq!(status, 2);
    assert!(stderr.contains("emissions.working.conflict.sd"), "{stderr}");
}

#[test]
fn malformed_input_names_the_row_and_column_and_exits_2() {
    for (input, message) in [
        (
            "session,conflict\n1,1.0\n2,high\n",
            "row 2 (line 3), column \"conflict\": \"high\" is not a number from 0 to 6",
        ),
        (
            "session,engaged\n1,6.5\n",
            "row 1 (line 2), column \"engaged\": \"6.5\" is not a number from 0 to 6",
        ),
        (
            "session,conflict\n2,1\n1,1\n",
            "row 2 (line 3), column \"session\": session 1 comes after session 2",
        ),
        (
            "session,conflict\nfirst,1\n",
            "column \"session\": \"first\" is not a session number",
        ),
        (
            "session,engagment\n1,3\n",
            "column 2 (\"engagment\") is not one of session, engaged, avoiding, conflict",
        ),
        ("engaged\n3\n", "the header has no `session` column"),
        (
            "session,conflict\n1,1,1\n",
            "line 2: 3 fields where the header has 2",
        ),
    ] {
        let (stdout, stderr, status) = run(&["-"], input);
        assert_eq!(status, 2, "{input:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(message), "{input:?}: {stderr}");
        assert!(!stderr.contains("backtrace"), "{stderr}");
    }
    let (_, stderr, status) = run(&["/nonexistent/groups.csv"], "");
    assert_eq!(status, 2);
    assert!(
        stderr.contains("reading /nonexistent/groups.csv"),
        "{stderr}"
    );
    let (_, _, status) = run(&["-", "--planned", "0"], GROUP);
    assert_eq!(status, 2);
    let (_, _, status) = run(&["-", "--format", "xml"], GROUP);
    assert_eq!(status, 2);
}
