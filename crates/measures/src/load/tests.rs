//! Validation: the bundled files load, and each kind of mistake is refused with the file,
//! the field and the problem named.

use super::parse_definition;
use crate::{Direction, LicenceStatus, Method, bundled};

/// A small valid definition the tests break one field at a time.
const BASE: &str = r#"
id = "mini"
version = 1
title = "Mini scale"
[licence]
status = "permission"
embed_text = false
[response]
min = 0
max = 4
[[items]]
n = 1
key = "a"
label = "A"
[[items]]
n = 2
key = "b"
label = "B"
reverse = true
[[items]]
n = 3
key = "c"
label = "C"
risk = true
[total]
method = "sum"
direction = "lower_better"
[[subscales]]
id = "first"
items = [1, 2]
method = "mean"
direction = "higher_better"
[missing]
max_missing = 1
source = "test rule"
[[bands]]
scale = "total"
min = 0
max = 5
label = "low"
[[bands]]
scale = "total"
min = 6
max = 12
label = "high"
[[cutoffs]]
scale = "total"
op = ">="
value = 6
label = "clinical"
clinical = true
source = "test"
[[reliable_change]]
scale = "total"
sd = 2.0
reliability = 0.8
source = "test"
"#;

/// The problems `text` has, as "field: message" lines (panics if it loads).
fn problems(text: &str) -> Vec<String> {
    let err = parse_definition("test.toml", text).expect_err("should be refused");
    assert_eq!(err.file, "test.toml");
    assert!(!err.problems.is_empty());
    err.problems.iter().map(ToString::to_string).collect()
}

fn assert_problem(text: &str, field: &str, words: &str) {
    let found = problems(text);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&format!("{field}: ")) && p.contains(words)),
        "expected `{field}: …{words}…`, got {found:#?}"
    );
}

#[test]
fn the_base_definition_loads_with_computed_values() {
    let def = parse_definition("test.toml", BASE).unwrap();
    assert_eq!(def.id(), "mini");
    assert_eq!(def.items().len(), 3);
    assert!(def.items()[1].reverse);
    let first = def.scale("first").unwrap();
    assert_eq!(first.label, "First");
    assert_eq!(first.method, Method::Mean);
    assert_eq!(first.direction, Direction::HigherBetter);
    // Δ = 1.96 · 2 · √(2 · 0.2)
    let rci = def.reliable_change("total").unwrap();
    assert!((rci.delta - 2.479).abs() < 1e-3, "{}", rci.delta);
    assert_eq!(def.clinical_cutoff("total").unwrap().value, 6.0);
}

#[test]
fn every_bundled_definition_loads() {
    let defs = bundled::definitions().unwrap();
    let ids: Vec<&str> = defs.iter().map(|d| d.id()).collect();
    assert_eq!(ids, ["phq9", "gad7", "gcqs"]);
    for def in &defs {
        match def.id() {
            "gcqs" => {
                assert_eq!(def.licence().status, LicenceStatus::Unclear);
                assert!(!def.has_text(), "GCQ-S wording must not be bundled");
                assert!(def.total().is_none());
            }
            _ => {
                assert_eq!(def.licence().status, LicenceStatus::Free);
                assert!(def.has_text());
                assert_eq!(def.response_options().len(), 4);
            }
        }
    }
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let text = BASE.replace("title = \"Mini scale\"", "title = Mini scale");
    let found = problems(&text);
    assert!(found[0].starts_with("line 4, column"), "{found:?}");
}

#[test]
fn a_misspelt_field_is_refused_not_ignored() {
    let text = BASE.replace("reverse = true", "revers = true");
    let found = problems(&text);
    assert!(
        found[0].starts_with("line ") && found[0].contains("revers"),
        "{found:?}"
    );
}

#[test]
fn a_subscale_naming_a_missing_item_is_refused() {
    let text = BASE.replace("items = [1, 2]", "items = [1, 7]");
    assert_problem(&text, "subscales[0].items", "item 7 does not exist");
}

#[test]
fn a_subscale_listing_an_item_twice_is_refused() {
    let text = BASE.replace("items = [1, 2]", "items = [1, 1]");
    assert_problem(&text, "subscales[0].items", "item 1 is listed twice");
}

#[test]
fn a_subscale_named_total_or_without_items_is_refused() {
    let text = BASE.replace("id = \"first\"", "id = \"total\"");
    assert_problem(&text, "subscales[0].id", "give the subscale another id");
    let text = BASE.replace("items = [1, 2]\n", "");
    assert_problem(&text, "subscales[0].items", "needs its item numbers");
}

#[test]
fn duplicate_item_numbers_are_refused() {
    let text = BASE.replacen("n = 2", "n = 1", 1);
    assert_problem(&text, "items[1].n", "item number 1 is used twice");
}

#[test]
fn a_gap_in_item_numbers_is_refused() {
    let text = BASE.replacen("n = 3", "n = 4", 1);
    assert_problem(&text, "items", "missing: 3");
}

#[test]
fn duplicate_item_keys_are_refused() {
    let text = BASE.replacen("key = \"b\"", "key = \"a\"", 1);
    assert_problem(&text, "items[1].key", "used twice");
}

#[test]
fn an_empty_response_range_is_refused() {
    let text = BASE.replace("max = 4\n[[items]]", "max = 0\n[[items]]");
    assert_problem(&text, "response.max", "must be greater than response.min");
    let text = BASE.replace("reverse = true", "reverse = true\nmin = 3\nmax = 3");
    assert_problem(&text, "items[1].max", "max must be greater than min");
}

#[test]
fn a_response_value_out_of_bounds_is_refused() {
    let text = BASE.replace("reverse = true", "reverse = true\nmax = 300");
    assert_problem(
        &text,
        "items[1].max",
        "300 is not a whole number from 0 to 255",
    );
}

#[test]
fn response_labels_must_label_every_value_in_range() {
    let text = BASE.replace(
        "max = 4\n",
        "max = 4\nlabels = { 0 = \"No\", 9 = \"Yes\" }\n",
    );
    assert_problem(
        &text,
        "response.labels.9",
        "not an answer value from 0 to 4",
    );
    let text = BASE.replace(
        "max = 4\n",
        "max = 4\nlabels = { 0 = \"No\", 4 = \"Yes\" }\n",
    );
    assert_problem(&text, "response.labels", "1, 2, 3 has no label");
}

#[test]
fn a_band_gap_is_refused() {
    let text = BASE.replace("min = 6\nmax = 12", "min = 7\nmax = 12");
    assert_problem(&text, "bands", "total: no band covers 6 to 6 (a gap)");
}

#[test]
fn a_band_overlap_is_refused() {
    let text = BASE.replace("min = 6\nmax = 12", "min = 5\nmax = 12");
    assert_problem(&text, "bands", "total: bands overlap at 5 to 5");
}

#[test]
fn bands_must_reach_both_ends_of_the_scale() {
    let text = BASE.replace("min = 6\nmax = 12", "min = 6\nmax = 11");
    assert_problem(
        &text,
        "bands",
        "no band covers 12 to 12, the top of the scale",
    );
    let text = BASE.replace("min = 6\nmax = 12", "min = 6\nmax = 13");
    assert_problem(&text, "bands", "beyond the scale's maximum of 12");
    let text = BASE.replace("min = 0\nmax = 5", "min = 1\nmax = 5");
    assert_problem(&text, "bands", "no band covers 0 to 0");
}

#[test]
fn a_band_with_min_above_max_or_on_a_mean_scale_is_refused() {
    let text = BASE.replace("min = 0\nmax = 5", "min = 5\nmax = 0");
    assert_problem(&text, "bands[0].max", "below the band's min");
    let text = BASE.replace("scale = \"total\"\nmin = 0", "scale = \"first\"\nmin = 0");
    assert_problem(&text, "bands[0].scale", "severity bands are for sum scales");
}

#[test]
fn a_reverse_keyed_item_outside_any_scale_range_is_refused() {
    // Reverse keying needs the item's own range: an inverted one is refused at the item.
    let text = BASE.replace("reverse = true", "reverse = true\nmin = 4\nmax = 2");
    assert_problem(&text, "items[1].max", "range 4 to 2 is empty");
}

#[test]
fn cutoffs_are_checked() {
    let text = BASE.replace("value = 6\n", "value = 40\n");
    assert_problem(
        &text,
        "cutoffs[0].value",
        "outside the scale's range 0 to 12",
    );
    let text = BASE.replace("op = \">=\"", "op = \"=>\"");
    assert_problem(&text, "cutoffs[0].op", "not one of >=, >, <=, <");
    let text = BASE.replace("scale = \"total\"\nop", "scale = \"nope\"\nop");
    assert_problem(
        &text,
        "cutoffs[0].scale",
        "`nope` is not a scale of this instrument",
    );
    let text = BASE.replace("value = 6\n", "");
    assert_problem(&text, "cutoffs[0].value", "needs a value");
    let text = format!(
        "{BASE}[[cutoffs]]\nscale = \"total\"\nop = \">\"\nvalue = 8\nlabel = \"x\"\nclinical = true\nsource = \"s\"\n"
    );
    assert_problem(
        &text,
        "cutoffs[1].clinical",
        "already has a clinical cut-off",
    );
}

#[test]
fn a_cutoff_from_norms_is_jacobson_truax_c() {
    let text = BASE.replace(
        "value = 6\n",
        "norms = { functional_mean = 2.0, functional_sd = 1.0, clinical_mean = 8.0, clinical_sd = 2.0 }\n",
    );
    let def = parse_definition("test.toml", &text).unwrap();
    // (1·8 + 2·2) / 3 = 4
    assert!((def.clinical_cutoff("total").unwrap().value - 4.0).abs() < 1e-12);
    let text = BASE.replace(
        "value = 6\n",
        "value = 6\nnorms = { functional_mean = 2.0, functional_sd = 0.0, clinical_mean = 8.0, clinical_sd = 2.0 }\n",
    );
    assert_problem(&text, "cutoffs[0].value", "not both");
    assert_problem(&text, "cutoffs[0].norms.functional_sd", "greater than 0");
}

#[test]
fn reliable_change_values_are_checked() {
    let text = BASE.replace("sd = 2.0\nreliability = 0.8\n", "");
    assert_problem(
        &text,
        "reliable_change[0].delta",
        "give the published delta",
    );
    let text = BASE.replace("reliability = 0.8", "reliability = 1.0");
    assert_problem(&text, "reliable_change[0].reliability", "below 1");
    let text = BASE.replace("sd = 2.0\nreliability = 0.8\n", "delta = 13\n");
    assert_problem(
        &text,
        "reliable_change[0].delta",
        "more than the scale's whole range",
    );
    let text = BASE.replace("sd = 2.0\nreliability = 0.8\n", "sd = 2.0\n");
    assert_problem(&text, "reliable_change[0].sd", "together");
}

#[test]
fn the_missing_rule_must_leave_an_item_to_answer() {
    let text = BASE.replace("max_missing = 1", "max_missing = 3");
    assert_problem(&text, "missing.max_missing", "must be from 0 to 2");
}

#[test]
fn licence_and_wording_must_agree() {
    let text = BASE.replace("label = \"A\"", "label = \"A\"\ntext = \"Wording\"");
    assert_problem(&text, "items[0].text", "comes from a text pack");
    let text = BASE.replace("embed_text = false", "embed_text = true");
    assert_problem(&text, "items[0].text", "every item needs its wording");
    let text = BASE
        .replace("status = \"permission\"", "status = \"unclear\"")
        .replace("embed_text = false", "embed_text = true");
    assert_problem(&text, "licence.embed_text", "must be false");
    let text = BASE.replace("status = \"permission\"", "status = \"open\"");
    assert_problem(&text, "licence.status", "`open` is not one of");
}

#[test]
fn identifiers_and_texts_are_checked() {
    let text = BASE.replace("id = \"mini\"", "id = \"Mini Scale\"");
    assert_problem(&text, "id", "is not an identifier");
    let text = BASE.replace("label = \"A\"", "label = \"  \"");
    assert_problem(&text, "items[0].label", "must not be empty");
    let text = BASE.replace("label = \"A\"", "label = \"A\\u0007\"");
    assert_problem(&text, "items[0].label", "control characters");
    let text = BASE.replace("version = 1", "version = 0");
    assert_problem(&text, "version", "at least 1");
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = BASE
        .replace("id = \"mini\"", "id = \"9\"")
        .replace("items = [1, 2]", "items = [1, 9]");
    let found = problems(&text);
    assert!(found.iter().any(|p| p.starts_with("id: ")), "{found:?}");
    assert!(
        found.iter().any(|p| p.starts_with("subscales[0].items: ")),
        "{found:?}"
    );
    let message = parse_definition("org/mini.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("org/mini.toml: 2 problems"),
        "{message}"
    );
    assert!(message.contains("\n  org/mini.toml: id: "), "{message}");
}
