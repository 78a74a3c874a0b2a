//! Reading answer CSVs (header forms, BOM, CRLF, quoting, bad cells, short rows) and the
//! JSON Lines and CSV rows written for them.

use super::*;
use crate::{InstrumentDef, Registry};

fn def(id: &str) -> InstrumentDef {
    Registry::bundled().unwrap().get(id).unwrap().clone()
}

/// Scores `input` as `id` and writes it in `format`: (output, rows that had an error).
fn run(id: &str, input: &str, format: OutputFormat) -> Result<(String, usize), HeaderError> {
    let def = def(id);
    let rows = read_scores(&def, input.as_bytes())?;
    let mut out = Vec::new();
    let mut errors = 0;
    let mut writer = ScoreWriter::new(&def, format, &mut out).unwrap();
    for row in rows {
        let row = row.unwrap();
        errors += usize::from(row.outcome.is_err());
        writer.write(&OutputRow::new(&def, &row)).unwrap();
    }
    writer.finish().unwrap();
    Ok((String::from_utf8(out).unwrap(), errors))
}

fn jsonl(id: &str, input: &str) -> Vec<serde_json::Value> {
    let (out, _) = run(id, input, OutputFormat::Jsonl).unwrap();
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const PHQ9_HEADER: &str = "respondent,item1,item2,item3,item4,item5,item6,item7,item8,item9";

#[test]
fn a_phq9_row_is_written_exactly_as_documented() {
    let (out, errors) = run(
        "phq9",
        &format!("{PHQ9_HEADER}\nr1,1,1,1,1,1,1,1,1,1\n"),
        OutputFormat::Jsonl,
    )
    .unwrap();
    assert_eq!(errors, 0);
    assert_eq!(
        out,
        "{\"respondent\":\"r1\",\"valid\":true,\"total\":9,\"band\":\"mild\",\"subscales\":{}}\n"
    );
}

#[test]
fn gcqs_rows_have_null_total_and_three_subscales_in_order() {
    let header =
        "respondent,item1,item2,item3,item4,item5,item6,item7,item8,item9,item10,item11,item12";
    let input = format!("{header}\ng1,4,5,2,3,1,0,1,5,2,0,4,1\ng2,,5,,3,1,,1,5,,0,4,\n");
    let (out, _) = run("gcqs", &input, OutputFormat::Jsonl).unwrap();
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("{\"respondent\":\"g1\",\"valid\":true,\"total\":null,\"band\":null,\"subscales\":{\"engaged\":4.2,\"avoiding\":1.6666666666666667,\"conflict\":0.5}}"),
        "{first}"
    );
    let rows = jsonl("gcqs", &input);
    assert_eq!(rows[1]["valid"], false);
    assert_eq!(rows[1]["subscales"]["engaged"], serde_json::Value::Null);
    assert!(rows[1].get("error").is_none());
}

#[test]
fn too_many_missing_is_invalid_with_null_scores_but_no_error() {
    let input = format!("{PHQ9_HEADER}\nr1,,,,1,1,1,1,1,1\nr2,,,1,1,1,1,1,1,1\n");
    let (_, errors) = run("phq9", &input, OutputFormat::Jsonl).unwrap();
    assert_eq!(errors, 0);
    let rows = jsonl("phq9", &input);
    assert_eq!(rows[0]["valid"], false);
    assert_eq!(rows[0]["total"], serde_json::Value::Null);
    assert_eq!(rows[0]["band"], serde_json::Value::Null);
    assert_eq!(rows[1]["valid"], true);
    assert_eq!(rows[1]["total"], 9);
}

#[test]
fn a_bad_cell_names_its_item_and_other_rows_are_still_scored() {
    let input = format!(
        "{PHQ9_HEADER}\nr1,1,1,x,1,1,1,1,1,1\nr2,0,0,0,0,0,0,0,0,4\nr3,0,0,0,0,0,0,0,0,-1\nr4,0,0,0,0,0,0,0,0,1.0\nr5,1,1,1,1,1,1,1,1,1\n"
    );
    let (_, errors) = run("phq9", &input, OutputFormat::Jsonl).unwrap();
    assert_eq!(errors, 4);
    let rows = jsonl("phq9", &input);
    assert_eq!(rows[0]["valid"], false);
    assert_eq!(
        rows[0]["error"],
        "item3: `x` is not a whole number from 0 to 3"
    );
    assert_eq!(rows[0]["total"], serde_json::Value::Null);
    assert_eq!(rows[1]["error"], "item9: 4 is outside 0 to 3");
    assert_eq!(rows[2]["error"], "item9: -1 is outside 0 to 3");
    assert_eq!(
        rows[3]["error"],
        "item9: `1.0` is not a whole number from 0 to 3"
    );
    assert_eq!(rows[4]["total"], 9);
}

#[test]
fn bom_crlf_quotes_any_case_any_order_and_extra_columns_are_read() {
    let input = "\u{feff}Item9,\"Respondent\",notes,ITEM1,item2,item3,item4,item5,item6,item7,item8\r\n\
                 0,\"r, one\",\"said \"\"hi\"\"\",1,1,1,1,1,1,1,1\r\n\
                 \r\n\
                 \" 3 \",r2,,0,0,0,0,0,0,0,0\r\n";
    let def = def("phq9");
    let rows = read_scores(&def, input.as_bytes()).unwrap();
    assert_eq!(rows.header().ignored, ["notes"]);
    let rows: Vec<Row> = rows.map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].respondent, "r, one");
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[1].row, 3);
    let first = rows[0].outcome.as_ref().unwrap();
    assert_eq!(first.value("total"), Some(8.0));
    assert_eq!(rows[1].outcome.as_ref().unwrap().value("total"), Some(3.0));
}

#[test]
fn a_missing_or_repeated_column_stops_before_any_row() {
    let err = run(
        "phq9",
        "respondent,item1,item2\nr1,1,1\n",
        OutputFormat::Csv,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the header has no item3, item4, item5, item6, item7, item8, item9 columns: expected respondent and item1 to item9"
    );
    let err = run(
        "gad7",
        "item1,item2,item3,item4,item5,item6,item7\n",
        OutputFormat::Csv,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the header has no respondent column"),
        "{err}"
    );
    let err = run("gad7", "respondent,item1,item1,item2\n", OutputFormat::Csv).unwrap_err();
    assert_eq!(err.to_string(), "the header names item1 twice");
    let err = run("gad7", "\n\n", OutputFormat::Csv).unwrap_err();
    assert!(matches!(err, HeaderError::Empty { items: 7 }));
}

#[test]
fn a_short_or_long_row_is_an_error_row() {
    let input = format!("{PHQ9_HEADER}\nr1,1,1,1\nr2,1,1,1,1,1,1,1,1,1,1\nr3,0,0,0,0,0,0,0,0,0\n");
    let rows = jsonl("phq9", &input);
    assert_eq!(rows[0]["respondent"], "r1");
    assert_eq!(rows[0]["error"], "the row has 4 cells; the header has 10");
    assert_eq!(rows[1]["error"], "the row has 11 cells; the header has 10");
    assert_eq!(rows[2]["band"], "minimal");
}

#[test]
fn csv_output_has_a_column_per_field_and_empty_nulls() {
    let input = format!("{PHQ9_HEADER}\nr1,3,3,3,3,3,3,3,,\nr2,x,0,0,0,0,0,0,0,0\n");
    let (out, errors) = run("phq9", &input, OutputFormat::Csv).unwrap();
    assert_eq!(errors, 1);
    assert_eq!(
        out,
        "respondent,valid,total,band,error\n\
         r1,true,27,severe,\n\
         r2,false,,,item1: `x` is not a whole number from 0 to 3\n"
    );
    let header =
        "respondent,item1,item2,item3,item4,item5,item6,item7,item8,item9,item10,item11,item12";
    let (out, _) = run(
        "gcqs",
        &format!("{header}\ng,6,6,0,6,0,0,0,6,0,0,6,0\n"),
        OutputFormat::Csv,
    )
    .unwrap();
    assert_eq!(
        out,
        "respondent,valid,total,band,engaged,avoiding,conflict,error\ng,true,,,6,0,0,\n"
    );
}

#[test]
fn the_fuzz_seed_files_read_as_intended() {
    let seeds = [
        (
            "phq9",
            &include_bytes!("../../tests/fixtures/answers/phq9.csv")[..],
            4,
            1,
        ),
        (
            "gad7",
            &include_bytes!("../../tests/fixtures/answers/gad7.csv")[..],
            2,
            0,
        ),
        (
            "gcqs",
            &include_bytes!("../../tests/fixtures/answers/gcqs.csv")[..],
            3,
            1,
        ),
    ];
    for (id, bytes, rows, errors) in seeds {
        let (out, bad) = run(id, std::str::from_utf8(bytes).unwrap(), OutputFormat::Jsonl).unwrap();
        assert_eq!((out.lines().count(), bad), (rows, errors), "{id}: {out}");
    }
}
