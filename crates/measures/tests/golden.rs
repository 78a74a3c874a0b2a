//! Golden vectors from the published scoring rules (DOMAIN.md §3, §6.1): PHQ-9 and GAD-7 sums
//! and bands at every band boundary, their prorating (rounded half up) and invalid limits,
//! GCQ-S subscale means with missing items, reverse keying, risk items, and Jacobson–Truax.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

extern crate circlework_measures as measures;

use measures::{
    InstrumentDef, Outcome, Registry, ReliableChange, ScaleValue, Validity, classify_change,
    clinical_cutoff_c, parse_definition, reliable_change_delta, reliable_change_index,
    risk_answers, score,
};

fn def(id: &str) -> InstrumentDef {
    Registry::bundled().unwrap().get(id).unwrap().clone()
}

/// `answers` as digits, `.` for missing.
fn answers(pattern: &str) -> Vec<Option<u8>> {
    pattern
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(10).map(|d| d as u8))
        .collect()
}

/// (answers, total or None for invalid, band)
type Golden = (&'static str, Option<u32>, Option<&'static str>);

fn check_totals(id: &str, cases: &[Golden]) {
    let def = def(id);
    for &(pattern, total, band) in cases {
        let score = score(&def, &answers(pattern)).unwrap();
        let got = score.total.as_ref().unwrap();
        assert_eq!(
            got.value,
            total.map(ScaleValue::Sum),
            "{id} {pattern}: total"
        );
        assert_eq!(got.band.as_deref(), band, "{id} {pattern}: band");
        assert_eq!(
            score.is_valid(),
            total.is_some(),
            "{id} {pattern}: validity"
        );
    }
}

#[test]
fn phq9_totals_and_every_band_boundary() {
    check_totals(
        "phq9",
        &[
            ("000000000", Some(0), Some("minimal")),
            ("111100000", Some(4), Some("minimal")),
            ("111110000", Some(5), Some("mild")),
            ("111111111", Some(9), Some("mild")),
            ("211111111", Some(10), Some("moderate")),
            ("222221111", Some(14), Some("moderate")),
            ("222222111", Some(15), Some("moderately severe")),
            ("322222222", Some(19), Some("moderately severe")),
            ("332222222", Some(20), Some("severe")),
            ("333333333", Some(27), Some("severe")),
        ],
    );
}

#[test]
fn phq9_prorates_up_to_two_missing_items_rounding_half_up() {
    check_totals(
        "phq9",
        &[
            // 8 answered, sum 8: 8 × 9 / 8 = 9
            (".11111111", Some(9), Some("mild")),
            // 8 answered, sum 4: 36 / 8 = 4.5, rounded up to 5 (mild, not minimal)
            (".11110000", Some(5), Some("mild")),
            // 7 answered, sum 5: 45 / 7 = 6.43 → 6
            ("..1111100", Some(6), Some("mild")),
            // 7 answered, sum 21: 27, never more than the maximum
            ("..3333333", Some(27), Some("severe")),
            // 7 answered, sum 8: 72 / 7 = 10.29 → 10, moderate
            ("1111112..", Some(10), Some("moderate")),
            // three missing: invalid, no score
            ("...111111", None, None),
            (".........", None, None),
        ],
    );
    let score = score(&def("phq9"), &answers(".11110000")).unwrap();
    assert_eq!(score.validity, Validity::Valid { missing: 1 });
    assert!(score.total.as_ref().unwrap().prorated());
    assert_eq!(score.rule.max_missing, 2);
}

#[test]
fn gad7_totals_and_every_band_boundary() {
    check_totals(
        "gad7",
        &[
            ("0000000", Some(0), Some("minimal")),
            ("1111000", Some(4), Some("minimal")),
            ("1111100", Some(5), Some("mild")),
            ("2221110", Some(9), Some("mild")),
            ("2221111", Some(10), Some("moderate")),
            ("2222222", Some(14), Some("moderate")),
            ("3222222", Some(15), Some("severe")),
            ("3333333", Some(21), Some("severe")),
        ],
    );
}

#[test]
fn gad7_prorates_one_missing_item_and_refuses_two() {
    check_totals(
        "gad7",
        &[
            // 6 answered, sum 6: exactly 7
            (".111111", Some(7), Some("mild")),
            // sum 3: 21 / 6 = 3.5 → 4
            (".111000", Some(4), Some("minimal")),
            // sum 9: 63 / 6 = 10.5 → 11
            (".222111", Some(11), Some("moderate")),
            // sum 4: 28 / 6 = 4.67 → 5: crosses into mild
            ("11110.0", Some(5), Some("mild")),
            // two missing: invalid
            ("1111..0", None, None),
            ("..11111", None, None),
        ],
    );
}

fn means(pattern: &str) -> (bool, [Option<f64>; 3]) {
    let score = score(&def("gcqs"), &answers(pattern)).unwrap();
    assert!(score.total.is_none(), "GCQ-S has no total");
    let ids: Vec<&str> = score.subscales.iter().map(|s| s.scale.as_str()).collect();
    assert_eq!(ids, ["engaged", "avoiding", "conflict"]);
    let value = |id| score.value(id);
    (
        score.is_valid(),
        [value("engaged"), value("avoiding"), value("conflict")],
    )
}

#[test]
fn gcqs_subscales_are_means_of_the_answered_items() {
    // Engaged 1,2,4,8,11; Avoiding 3,5,9; Conflict 6,7,10,12.
    //                 item: 1 2 3 4 5 6 7 8 9 10 11 12
    let (valid, [e, a, c]) = means("452310152041");
    assert!(valid);
    assert_eq!(e, Some(21.0 / 5.0));
    assert_eq!(a, Some(5.0 / 3.0));
    assert_eq!(c, Some(0.5));

    // Four missing (1, 3, 6, 12) is still valid: means of what was answered.
    let (valid, [e, a, c]) = means(".5.31.15204.");
    assert!(valid);
    assert_eq!(e, Some(17.0 / 4.0));
    assert_eq!(a, Some(3.0 / 2.0));
    assert_eq!(c, Some(1.0 / 2.0));

    // Five missing: invalid, no scores.
    let (valid, values) = means(".5.31.15.04.");
    assert!(!valid);
    assert_eq!(values, [None, None, None]);

    // A subscale with none of its items answered has no value; the others still do.
    let (valid, [e, a, c]) = means("66.6.666.666");
    assert!(valid);
    assert_eq!((e, a, c), (Some(6.0), None, Some(6.0)));
}

#[test]
fn out_of_range_answers_and_wrong_counts_are_errors_not_scores() {
    let phq9 = def("phq9");
    let err = score(&phq9, &answers("111111114")).unwrap_err();
    assert_eq!(err.to_string(), "item9: 4 is outside 0 to 3");
    let err = score(&phq9, &answers("11111111")).unwrap_err();
    assert_eq!(err.to_string(), "phq9 has 9 items, 8 answers were given");
}

#[test]
fn phq9_item_9_above_zero_is_a_risk_answer() {
    let phq9 = def("phq9");
    let found = risk_answers(&phq9, &answers("000000001"));
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].item, found[0].value), (9, 1));
    assert_eq!(found[0].key, "self_harm");
    assert!(risk_answers(&phq9, &answers("333333330")).is_empty());
    assert!(risk_answers(&phq9, &answers("33333333.")).is_empty());
    assert!(risk_answers(&def("gad7"), &answers("3333333")).is_empty());
}

fn synthetic() -> InstrumentDef {
    parse_definition(
        "reverse_keyed.toml",
        include_str!("fixtures/reverse_keyed.toml"),
    )
    .unwrap()
}

#[test]
fn reverse_keyed_items_score_as_min_plus_max_minus_the_answer() {
    let def = synthetic();
    // Items 2 and 3 (0-4) reversed: 0 counts 4, 4 counts 0. Item 10 answers 1-5.
    let score = score(&def, &answers("1001111111")).unwrap();
    assert_eq!(score.value("total"), Some(1.0 + 4.0 + 4.0 + 6.0 + 1.0));
    assert_eq!(score.value("first_half"), Some(11.0 / 5.0));
    assert_eq!(score.value("second_half"), Some(5.0));
    let score = score_of(&def, "1441111111");
    assert_eq!(score, 8.0);
    assert_eq!(risk_answers(&def, &answers("0000010001")).len(), 1);
}

fn score_of(def: &InstrumentDef, pattern: &str) -> f64 {
    score(def, &answers(pattern))
        .unwrap()
        .value("total")
        .unwrap()
}

#[test]
fn jacobson_truax_reproduces_the_published_checks() {
    // DOMAIN.md §3.2: ORS SD 7, r .93 ⇒ 5.1; PHQ-9 SD 5, r .84 ⇒ 5.5; CORE-10 SD 7.7, α .90 ⇒ 6.7.
    assert!((reliable_change_delta(7.0, 0.93) - 5.13).abs() < 0.01);
    assert!((reliable_change_delta(5.0, 0.84) - 5.54).abs() < 0.01);
    assert!((reliable_change_delta(7.7, 0.90) - 6.75).abs() < 0.01);
    // GCQ-S default: SD 1.0, r .80 ⇒ 1.24 (stored as 1.2).
    assert!((reliable_change_delta(1.0, 0.80) - 1.24).abs() < 0.01);
    // A change of exactly Δ has |RC| = 1.96.
    let delta = reliable_change_delta(7.7, 0.90);
    assert!((reliable_change_index(20.0, 20.0 - delta, 7.7, 0.90) + 1.96).abs() < 1e-9);
    // CORE-10 norms: clinical M 19.7 SD 7.7, general M 4.7 SD 4.8 ⇒ c = 10.46 (published 11).
    let synthetic = synthetic();
    let c = synthetic.clinical_cutoff("total").unwrap().value;
    assert!((c - 10.46).abs() < 0.01, "{c}");
    assert_eq!(
        c,
        clinical_cutoff_c(synthetic.clinical_cutoff("total").unwrap().norms.unwrap())
    );
}

#[test]
fn phq9_change_is_read_with_the_iapt_values() {
    let phq9 = def("phq9");
    let change = |from: f64, to: f64| classify_change(&phq9, "total", from, to).unwrap();
    let recovered = change(15.0, 9.0);
    assert_eq!(recovered.reliable, ReliableChange::Improvement);
    assert_eq!(recovered.outcome, Outcome::Recovered);
    assert!(recovered.clinically_significant());
    assert_eq!(recovered.delta, 6.0);
    assert!(recovered.delta_source.contains("IAPT"));
    assert_eq!(change(15.0, 10.0).outcome, Outcome::Unchanged);
    assert_eq!(change(20.0, 14.0).outcome, Outcome::Improved);
    assert_eq!(change(8.0, 14.0).outcome, Outcome::Deteriorated);
    assert_eq!(change(8.0, 13.0).reliable, ReliableChange::NoReliableChange);
    // Starting below caseness, a reliable gain is improvement, not recovery.
    assert_eq!(change(9.0, 3.0).outcome, Outcome::Improved);
    let gad7 = def("gad7");
    let anxious = classify_change(&gad7, "total", 12.0, 7.0).unwrap();
    assert_eq!(anxious.outcome, Outcome::Recovered);
}

#[test]
fn gcqs_change_uses_direction_and_tolerates_binary_fractions() {
    let gcqs = def("gcqs");
    // 3.4 − 2.2 is 1.1999999999999997 in binary: still a reliable 1.2.
    let engaged = classify_change(&gcqs, "engaged", 2.2, 3.4).unwrap();
    assert_eq!(engaged.reliable, ReliableChange::Improvement);
    assert_eq!(engaged.baseline_clinical, None);
    assert_eq!(engaged.outcome, Outcome::Improved);
    let conflict = classify_change(&gcqs, "conflict", 2.2, 3.4).unwrap();
    assert_eq!(conflict.reliable, ReliableChange::Deterioration);
    // RC = 1.2 / (√2 · 1.0 · √.2) = 1.90: the index is reported beside the stored Δ.
    assert!((engaged.index.unwrap() - 1.897).abs() < 0.001);
}
