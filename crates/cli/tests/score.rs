//! `circlework score` end to end: the JSONL and CSV rows of issue 9 item 7, the exit statuses
//! (bad cells 2 after every row is written; missing data alone 0), headers and large input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `circlework score ARGS` with `input` on standard input: (stdout, stderr, status).
fn score(args: &[&str], input: &[u8]) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_circlework"))
        .arg("score")
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Write from a thread: a large input must not block on a full output pipe.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap(),
    )
}

fn header(items: usize) -> String {
    let mut header = String::from("respondent");
    for n in 1..=items {
        header.push_str(&format!(",item{n}"));
    }
    header
}

fn json(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap()
}

#[test]
fn phq9_rows_are_scored_with_bands_and_prorating() {
    let input = format!(
        "{}\nr1,1,1,1,1,1,1,1,1,1\nr2,3,3,3,2,2,2,2,2,0\nr3,,1,1,1,1,0,0,0,0\nr4,,,,1,1,1,1,1,1\n",
        header(9)
    );
    let (out, err, status) = score(&["--instrument", "phq9", "-"], input.as_bytes());
    assert_eq!(status, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"respondent":"r1","valid":true,"total":9,"band":"mild","subscales":{}}"#
    );
    assert_eq!(json(lines[1])["band"], "moderately severe");
    assert_eq!(json(lines[1])["total"], 19);
    // One missing, sum 4 of 8 answered: 4.5 rounds up to 5.
    assert_eq!(json(lines[2])["total"], 5);
    assert_eq!(json(lines[2])["band"], "mild");
    // Three missing fails the rule: a result, not an error.
    assert_eq!(
        lines[3],
        r#"{"respondent":"r4","valid":false,"total":null,"band":null,"subscales":{}}"#
    );
}

#[test]
fn gad7_and_gcqs_rows_have_their_own_shapes() {
    let input = format!("{}\na,3,3,3,3,3,0,0\nb,,1,1,1,0,0,0\n", header(7));
    let (out, _, status) = score(&["--instrument", "gad7", "-"], input.as_bytes());
    assert_eq!(status, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        (
            json(lines[0])["total"].clone(),
            json(lines[0])["band"].clone()
        ),
        (15.into(), "severe".into())
    );
    assert_eq!(json(lines[1])["total"], 4);

    let input = format!("{}\ng1,4,5,2,3,1,0,1,5,2,0,4,1\n", header(12));
    let (out, _, status) = score(&["--instrument", "gcqs", "-"], input.as_bytes());
    assert_eq!(status, 0);
    let row = json(out.lines().next().unwrap());
    assert_eq!(row["total"], serde_json::Value::Null);
    assert_eq!(row["band"], serde_json::Value::Null);
    let subscales = row["subscales"].as_object().unwrap();
    let keys: Vec<&str> = subscales.keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3);
    assert_eq!(subscales["engaged"], 4.2);
    assert_eq!(subscales["conflict"], 0.5);
    assert!((subscales["avoiding"].as_f64().unwrap() - 5.0 / 3.0).abs() < 1e-12);
}

#[test]
fn a_bad_cell_is_named_every_row_is_written_and_the_status_is_2() {
    let input = format!(
        "{}\nr1,1,1,1,1,1,1,1,1,1\nr2,1,1,1,7,1,1,1,1,1\nr3,1,1,1,1,1,1,1,1,one\nr4,0,0,0,0,0,0,0,0,0\n",
        header(9)
    );
    let (out, err, status) = score(&["--instrument", "phq9", "-"], input.as_bytes());
    assert_eq!(status, 2, "{err}");
    let rows: Vec<serde_json::Value> = out.lines().map(json).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1]["valid"], false);
    assert_eq!(rows[1]["total"], serde_json::Value::Null);
    assert_eq!(rows[1]["error"], "item4: 7 is outside 0 to 3");
    assert_eq!(
        rows[2]["error"],
        "item9: `one` is not a whole number from 0 to 3"
    );
    assert_eq!(rows[3]["band"], "minimal");
    assert!(rows[0].get("error").is_none());
    assert!(
        err.contains("2 of 4 rows could not be scored (row 3, 4;"),
        "{err}"
    );
}

#[test]
fn csv_output_from_a_file_with_bom_crlf_quotes_and_extra_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.csv");
    std::fs::write(
        &path,
        "\u{feff}\"Respondent\",Item1,item2,item3,item4,item5,item6,item7,site\r\n\"r,1\",0,1,2,3,0,1,2,\"North, east\"\r\n",
    )
    .unwrap();
    let (out, err, status) = score(
        &[
            "--instrument",
            "gad7",
            "--format",
            "csv",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        out,
        "respondent,valid,total,band,error\n\"r,1\",true,9,mild,\n"
    );
    assert!(err.contains("ignoring columns: site"), "{err}");
}

#[test]
fn a_missing_column_or_unknown_instrument_stops_with_status_2_and_no_rows() {
    let (out, err, status) = score(
        &["--instrument", "phq9", "-"],
        b"respondent,item1,item2\nr1,1,1\n",
    );
    assert_eq!(status, 2);
    assert!(out.is_empty());
    assert!(err.contains("the header has no item3, item4"), "{err}");
    let (out, err, status) = score(&["--instrument", "bdi", "-"], b"respondent\n");
    assert_eq!(status, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown instrument `bdi` (known: gad7, gcqs, phq9)"),
        "{err}"
    );
    let (_, err, status) = score(&["--instrument", "phq9", "/nonexistent/answers.csv"], b"");
    assert_eq!(status, 1);
    assert!(
        err.contains("could not open /nonexistent/answers.csv"),
        "{err}"
    );
}

#[test]
fn a_large_input_streams_through_with_one_row_out_per_row_in() {
    let rows = 20_000;
    let mut input = header(9);
    input.push('\n');
    for at in 0..rows {
        let v = at % 4;
        input.push_str(&format!("r{at},{v},{v},{v},{v},{v},{v},{v},{v},\n"));
    }
    let (out, err, status) = score(
        &["--instrument", "phq9", "--format", "csv", "-"],
        input.as_bytes(),
    );
    assert_eq!(status, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), rows + 1);
    // Eight answered, item 9 missing: v × 8 prorated to v × 9.
    assert_eq!(lines[4], "r3,true,27,severe,");
}

#[test]
fn a_definition_file_can_be_scored_directly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.toml");
    std::fs::write(
        &path,
        "id = \"two\"\nversion = 1\ntitle = \"Two items\"\n[licence]\nstatus = \"permission\"\nembed_text = false\n\
         [response]\nmin = 0\nmax = 10\n[[items]]\nn = 1\nkey = \"a\"\nlabel = \"A\"\n[[items]]\nn = 2\nkey = \"b\"\nlabel = \"B\"\nreverse = true\n\
         [total]\nmethod = \"sum\"\ndirection = \"higher_better\"\n[missing]\nmax_missing = 0\nsource = \"none\"\n",
    )
    .unwrap();
    let definition = path.to_str().unwrap();
    let (out, err, status) = score(
        &["--definition", definition, "-"],
        b"respondent,item1,item2\nx,7,2\n",
    );
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        out,
        "{\"respondent\":\"x\",\"valid\":true,\"total\":15,\"band\":null,\"subscales\":{}}\n"
    );
    std::fs::write(&path, "id = \"two\"\n").unwrap();
    let (_, err, status) = score(&["--definition", definition, "-"], b"respondent\n");
    assert_eq!(status, 2);
    assert!(
        err.contains("two.toml: 1 problem") && err.contains("missing field"),
        "{err}"
    );
}
