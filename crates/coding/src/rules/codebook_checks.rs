//! The rules against the codebook's team-written examples.
//!
//! These examples are the rules' development set: the rules were written while reading
//! them. The figures printed here show the rules do what the codebook says, and are no
//! measure of accuracy; none may be claimed from them.

use domain::ProcessCode;

use super::{RULE_CODES, RuleSet};
use crate::codebook::{Codebook, Example};

fn codebook() -> Codebook {
    Codebook::embedded().expect("the embedded codebook parses")
}

#[test]
fn every_safety_example_is_caught() {
    let rules = RuleSet::new();
    let mut missed = Vec::new();
    let mut checked = 0;
    for (code, example) in codebook().examples() {
        if example.carries(code, ProcessCode::Safety) {
            checked += 1;
            if rules
                .evaluate(&example.text)
                .get(ProcessCode::Safety)
                .is_none()
            {
                missed.push(example.text.clone());
            }
        }
    }
    assert!(checked >= 15, "only {checked} safety examples");
    assert!(missed.is_empty(), "safety rules missed: {missed:#?}");
}

#[test]
fn safety_near_misses_that_fire_are_documented() {
    let rules = RuleSet::new();
    for (code, example) in codebook().examples() {
        if example.carries(code, ProcessCode::Safety) {
            continue;
        }
        let fired = rules
            .evaluate(&example.text)
            .get(ProcessCode::Safety)
            .cloned();
        match (&fired, &example.rule_note) {
            (Some(hit), Some(note)) => assert!(
                note.contains(hit.rule_id),
                "{:?}: the note should name {}",
                example.text,
                hit.rule_id
            ),
            (Some(hit), None) => panic!(
                "{:?} is not safety talk but {} fires on {:?}: add a rule_note or fix the rule",
                example.text, hit.rule_id, hit.evidence
            ),
            (None, Some(_)) => panic!(
                "{:?} has a rule_note but no safety rule fires",
                example.text
            ),
            (None, None) => {}
        }
    }
}

#[test]
fn the_safety_entry_has_near_misses_that_stay_quiet() {
    let rules = RuleSet::new();
    let codebook = codebook();
    let entry = codebook.entry(ProcessCode::Safety).expect("safety entry");
    let quiet = entry
        .examples
        .iter()
        .filter(|ex| !ex.positive && ex.rule_note.is_none())
        .filter(|ex| rules.evaluate(&ex.text).get(ProcessCode::Safety).is_none())
        .count();
    assert!(quiet >= 6, "only {quiet} safety near misses stay quiet");
}

/// Precision and recall of one rule code over every codebook example.
#[derive(Debug)]
struct Agreement {
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
    misses: Vec<String>,
    false_alarms: Vec<String>,
}

impl Agreement {
    fn precision(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_pos).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_neg).max(1) as f64
    }
}

fn agreement(
    rules: &RuleSet,
    examples: &[(ProcessCode, &Example)],
    code: ProcessCode,
) -> Agreement {
    let mut result = Agreement {
        true_pos: 0,
        false_pos: 0,
        false_neg: 0,
        misses: Vec::new(),
        false_alarms: Vec::new(),
    };
    for (entry_code, example) in examples {
        let truth = example.carries(*entry_code, code);
        let fired = rules.evaluate(&example.text).get(code).is_some();
        match (truth, fired) {
            (true, true) => result.true_pos += 1,
            (true, false) => {
                result.false_neg += 1;
                result.misses.push(example.text.clone());
            }
            (false, true) => {
                result.false_pos += 1;
                result.false_alarms.push(example.text.clone());
            }
            (false, false) => {}
        }
    }
    result
}

/// Floors the rules reach on their own development set (see the module comment): they
/// guard against a rule edit that breaks what the codebook asks for.
const FLOORS: [(ProcessCode, f64, f64); 3] = [
    (ProcessCode::Disclosure, 0.85, 0.70),
    (ProcessCode::Universality, 0.90, 0.90),
    (ProcessCode::Feedback, 0.90, 0.90),
];

#[test]
fn unlabelled_codes_reach_their_floors_on_the_development_examples() {
    let rules = RuleSet::new();
    let codebook = codebook();
    let examples: Vec<_> = codebook.examples().collect();
    let mut failures = Vec::new();
    for (code, min_precision, min_recall) in FLOORS {
        let result = agreement(&rules, &examples, code);
        println!(
            "{code}: precision {:.2}, recall {:.2} (tp {}, fp {}, fn {}) on {} development examples",
            result.precision(),
            result.recall(),
            result.true_pos,
            result.false_pos,
            result.false_neg,
            examples.len()
        );
        println!(
            "  missed: {:#?}\n  false alarms: {:#?}",
            result.misses, result.false_alarms
        );
        if result.precision() < min_precision || result.recall() < min_recall {
            failures.push(code);
        }
    }
    assert!(failures.is_empty(), "below floor: {failures:?}");
}

#[test]
fn every_rule_code_has_its_examples_in_the_codebook() {
    let codebook = codebook();
    for code in RULE_CODES {
        let positives = codebook
            .examples()
            .filter(|(entry_code, ex)| ex.carries(*entry_code, code))
            .count();
        assert!(positives >= 8, "{code}: {positives} positive examples");
    }
}
