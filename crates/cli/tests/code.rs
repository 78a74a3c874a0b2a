//! `circlework code` end to end: the JSONL contract of DATA.md on standard input.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `circlework code ARGS` on `input`: (stdout, stderr, success).
fn try_run_code(
    args: &[&str],
    input: &[u8],
) -> Result<(String, String, bool), Box<dyn std::error::Error>> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_circlework"))
        .arg("code")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().ok_or("no stdin")?.write_all(input)?;
    let output = child.wait_with_output()?;
    Ok((
        String::from_utf8(output.stdout)?,
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.success(),
    ))
}

const CODES: [&str; 14] = [
    "hostility",
    "judgment",
    "challenge",
    "avoidance",
    "disclosure",
    "emotion",
    "support",
    "universality",
    "feedback",
    "validation",
    "hope",
    "advice",
    "facilitation",
    "safety",
];

/// The keys of a line's `scores` object in the order they were written. serde_json's
/// `Value` keeps objects in a sorted map, which would hide the written order.
fn score_keys_in_written_order(line: &str) -> Option<Vec<String>> {
    let marker = "\"scores\":{";
    let body = line.get(line.find(marker)? + marker.len()..)?;
    let body = body.get(..body.find('}')?)?;
    body.split(',')
        .map(|pair| {
            let (key, _) = pair.split_once(':')?;
            Some(key.trim().trim_matches('"').to_owned())
        })
        .collect()
}

#[test]
fn keys_are_read_in_written_order() {
    let line = r#"{"codes":[],"scores":{"b":0.1,"a":0,"c":1}}"#;
    assert_eq!(score_keys_in_written_order(line).unwrap(), ["b", "a", "c"]);
}

#[test]
fn each_line_gets_one_object_with_every_score_in_order() {
    let input =
        "I feel so alone this week.\n\nThanks, that helps a lot.\r\nwhat do the rest of you think?";
    let (stdout, stderr, ok) = try_run_code(
        &["--input-format", "lines", "--output-format", "jsonl"],
        input.as_bytes(),
    )
    .unwrap();
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    for line in &lines {
        let object: serde_json::Value = serde_json::from_str(line).unwrap();
        let scores = object["scores"].as_object().unwrap();
        assert_eq!(scores.len(), 14);
        assert_eq!(
            score_keys_in_written_order(line).unwrap(),
            CODES,
            "scores come in the codebook's order"
        );
        for code in CODES {
            let score = scores[code].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&score), "{code} {score}");
        }
        for code in object["codes"].as_array().unwrap() {
            assert!(CODES.contains(&code.as_str().unwrap()));
        }
        let safety = scores["safety"].as_f64().unwrap();
        assert!(safety == 0.0 || safety == 1.0);
    }
    let empty: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert!(empty["codes"].as_array().unwrap().is_empty());
}

#[test]
fn invalid_utf8_and_a_very_long_line_do_not_fail() {
    let mut input = b"caf\xe9 \xff\xfe broken bytes\n".to_vec();
    input.extend(std::iter::repeat_n(b'a', 300_000));
    input.extend_from_slice(b" end\nlast line\n");
    let (stdout, stderr, ok) = try_run_code(&["--threads", "2"], &input).unwrap();
    assert!(ok, "{stderr}");
    assert_eq!(stdout.lines().count(), 3);
}

#[test]
fn one_and_two_threads_write_the_same_bytes() {
    let input: String = (0..5_000)
        .map(|i| format!("line number {i}, thanks for sharing\n"))
        .collect();
    let (one, _, ok_one) = try_run_code(&["--threads", "1"], input.as_bytes()).unwrap();
    let (two, _, ok_two) = try_run_code(&["--threads", "2"], input.as_bytes()).unwrap();
    assert!(ok_one && ok_two);
    assert_eq!(one.lines().count(), 5_000);
    assert_eq!(one, two);
}

#[test]
fn transcripts_add_speaker_and_text_and_csv_has_a_header() {
    let (stdout, stderr, ok) = try_run_code(
        &["--input-format", "plain"],
        b"Ann: I feel stuck.\nBo: Me too.\n",
    )
    .unwrap();
    assert!(ok, "{stderr}");
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["speaker"], "Ann");
    assert_eq!(first["text"], "I feel stuck.");
    let (csv, _, ok) = try_run_code(&["--output-format", "csv"], b"hello there\n").unwrap();
    assert!(ok);
    let mut rows = csv.lines();
    assert!(
        rows.next()
            .unwrap()
            .starts_with("index,speaker,start,end,text,codes,hostility")
    );
    assert!(rows.next().unwrap().starts_with("0,,,,hello there,"));
}

#[test]
fn explain_names_what_drove_each_code() {
    let (stdout, _, ok) =
        try_run_code(&["--explain"], b"You are a stupid idiot and I hate you.\n").unwrap();
    assert!(ok);
    let object: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let explain = object["explain"].as_object().unwrap();
    assert!(explain.contains_key("hostility"), "{stdout}");
    assert!(
        !explain["hostility"]["evidence"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
