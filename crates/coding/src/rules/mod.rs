//! Reviewed rules for the codes that are not left to the statistical model: `safety`
//! (always found by these rules, and every hit goes to a person), and `disclosure`,
//! `universality`, `feedback` (no public labels exist, so their accuracy is unmeasured).
//!
//! Each code has its own table file; RULES.md beside this crate's manifest describes
//! every rule id for review.

mod disclosure;
mod feedback;
mod matcher;
mod safety;
pub mod table;
mod universality;
mod words;

#[cfg(test)]
mod codebook_checks;

use std::sync::Arc;

use domain::ProcessCode;

pub use matcher::BuildError;
use matcher::Matcher;
pub use table::{Rule, Trigger};
pub use words::WordError;

/// The codes found by these rules, in the order `RuleFindings` stores them.
pub const RULE_CODES: [ProcessCode; 4] = [
    ProcessCode::Safety,
    ProcessCode::Disclosure,
    ProcessCode::Universality,
    ProcessCode::Feedback,
];

const RULE_COUNT: usize = safety::RULES.len()
    + disclosure::RULES.len()
    + universality::RULES.len()
    + feedback::RULES.len();

/// Every rule, safety first.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    safety::RULES
        .iter()
        .chain(disclosure::RULES)
        .chain(universality::RULES)
        .chain(feedback::RULES)
}

/// Given when the rules could not be compiled: every utterance goes to a person rather
/// than safety talk going unseen. A unit test keeps this from ever shipping.
pub const RULES_UNAVAILABLE: &str = "SAFETY.RULES_UNAVAILABLE";

/// One rule that fired: which rule, for which code, on what phrase, how strongly.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHit {
    /// Stable rule id such as `SAFETY.SELF_HARM.1` (see RULES.md).
    pub rule_id: &'static str,
    pub code: ProcessCode,
    /// The matched phrase, for `--explain` and alert evidence.
    pub evidence: String,
    /// In [0, 1]; 1.0 for every safety hit.
    pub score: f32,
}

/// What the rules found in one utterance: at most one hit per rule code.
/// Holds no heap memory when nothing fires.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleFindings {
    hits: [Option<RuleHit>; 4],
}

impl RuleFindings {
    /// The hit for `code`, if a rule for it fired.
    pub fn get(&self, code: ProcessCode) -> Option<&RuleHit> {
        self.hits.get(slot(code)?)?.as_ref()
    }

    /// Every hit, in `RULE_CODES` order.
    pub fn hits(&self) -> impl Iterator<Item = &RuleHit> {
        self.hits.iter().flatten()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.iter().all(Option::is_none)
    }

    fn set(&mut self, hit: RuleHit) {
        if let Some(held) = slot(hit.code).and_then(|i| self.hits.get_mut(i)) {
            *held = Some(hit);
        }
    }
}

fn slot(code: ProcessCode) -> Option<usize> {
    RULE_CODES.iter().position(|rule_code| *rule_code == code)
}

/// The compiled rules. Build once (a few milliseconds); `Send + Sync`, and cheap to clone:
/// clones share the compiled tables.
#[derive(Debug, Clone)]
pub struct RuleSet {
    matcher: Option<Arc<Matcher<RULE_COUNT>>>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::new()
    }
}

impl RuleSet {
    /// The shipped rules. Should they ever fail to compile, every utterance gets a safety
    /// hit (`RULES_UNAVAILABLE`) so nothing is missed silently; `try_new` reports the cause.
    pub fn new() -> RuleSet {
        RuleSet {
            matcher: Matcher::new(all_rules().collect()).ok().map(Arc::new),
        }
    }

    pub fn try_new() -> Result<RuleSet, BuildError> {
        Ok(RuleSet {
            matcher: Some(Arc::new(Matcher::new(all_rules().collect())?)),
        })
    }

    /// Run every rule over one utterance.
    pub fn evaluate(&self, text: &str) -> RuleFindings {
        let Some(matcher) = &self.matcher else {
            return unavailable();
        };
        matcher.scan(text)
    }
}

fn unavailable() -> RuleFindings {
    let mut findings = RuleFindings::default();
    findings.set(RuleHit {
        rule_id: RULES_UNAVAILABLE,
        code: ProcessCode::Safety,
        evidence: String::new(),
        score: 1.0,
    });
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    /// Compiled once for all tests: building the automaton is the slow part.
    static SHARED: LazyLock<RuleSet> = LazyLock::new(RuleSet::new);

    fn codes(rules: &RuleSet, text: &str) -> Vec<ProcessCode> {
        rules.evaluate(text).hits().map(|hit| hit.code).collect()
    }

    #[test]
    fn the_shipped_rules_compile() {
        if let Err(err) = RuleSet::try_new() {
            panic!("{err}");
        }
        assert!(RuleSet::new().matcher.is_some());
    }

    #[test]
    fn rule_set_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<RuleSet>();
    }

    #[test]
    fn quiet_text_gives_empty_findings() {
        let findings = RuleSet::new().evaluate("Can we open a window? It's warm in here.");
        assert!(findings.is_empty());
        assert_eq!(findings, RuleFindings::default());
    }

    #[test]
    fn findings_keep_one_hit_per_code_and_safety_scores_one() {
        let rules = RuleSet::new();
        let findings = rules.evaluate("Me too. Some days I want to kill myself.");
        let safety = findings.get(ProcessCode::Safety).expect("safety fires");
        assert_eq!(safety.score, 1.0);
        assert_eq!(safety.evidence, "kill myself");
        assert!(safety.rule_id.starts_with("SAFETY."));
        assert!(findings.get(ProcessCode::Universality).is_some());
        assert!(findings.get(ProcessCode::Hostility).is_none());
    }

    #[test]
    fn matching_ignores_case_apostrophe_style_and_spacing() {
        let rules = RuleSet::new();
        for text in [
            "I DON'T WANT TO LIVE anymore",
            "i don\u{2019}t want to live anymore",
            "i dont want to live anymore",
            "I don't  want\tto\nlive anymore",
            "i don't\u{a0}want to live anymore",
        ] {
            assert_eq!(codes(&rules, text), vec![ProcessCode::Safety], "{text:?}");
        }
    }

    #[test]
    fn phrases_must_be_whole_words() {
        let rules = RuleSet::new();
        assert!(codes(&rules, "Is there some tool for this?").is_empty());
        assert_eq!(codes(&rules, "me too!"), vec![ProcessCode::Universality]);
    }

    #[test]
    fn sequences_need_their_parts_in_order_and_close() {
        let rules = RuleSet::new();
        let feedback = |text: &str| rules.evaluate(text).get(ProcessCode::Feedback).cloned();
        let hit = feedback("When you talk over me, I feel invisible.").expect("fires");
        assert_eq!(hit.evidence, "When you talk over me, I feel");
        assert!(feedback("I feel fine. When you are ready, start.").is_none());
        let far = format!("When you {} I feel it", "x ".repeat(100));
        assert!(feedback(&far).is_none());
    }

    #[test]
    fn an_unless_phrase_blocks_the_trigger_inside_it() {
        let rules = RuleSet::new();
        assert!(
            codes(&rules, "Drug abuse runs in my family.")
                .iter()
                .all(|code| *code != ProcessCode::Safety)
        );
        assert!(codes(&rules, "He abused me for years.").contains(&ProcessCode::Safety));
    }

    #[test]
    fn the_unavailable_fallback_sends_everything_to_a_person() {
        let rules = RuleSet { matcher: None };
        let hit = rules.evaluate("hello").get(ProcessCode::Safety).cloned();
        assert_eq!(hit.map(|h| h.rule_id), Some(RULES_UNAVAILABLE));
    }

    #[test]
    fn every_rule_id_is_unique_well_formed_and_scored_in_range() {
        let mut seen = std::collections::HashSet::new();
        for rule in all_rules() {
            assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
            let prefix = rule.code.as_str().to_uppercase();
            assert!(rule.id.starts_with(&format!("{prefix}.")), "{}", rule.id);
            assert!(RULE_CODES.contains(&rule.code), "{}", rule.id);
            assert!((0.0..=1.0).contains(&rule.score), "{}", rule.id);
            if rule.code == ProcessCode::Safety {
                assert_eq!(rule.score, 1.0, "{}", rule.id);
            }
            assert!(rule.intent.len() > 20, "{}: say what it is for", rule.id);
        }
    }

    #[test]
    fn table_entries_are_tidy() {
        for rule in all_rules() {
            for entry in table::entries(rule) {
                assert_eq!(entry, entry.to_lowercase(), "{}: {entry:?}", rule.id);
                assert_eq!(entry, entry.trim(), "{}: {entry:?}", rule.id);
                assert!(!entry.contains("  "), "{}: {entry:?}", rule.id);
                assert!(!entry.contains('\u{2019}'), "{}: write ' only", rule.id);
                let opens = entry.matches('{').count();
                assert_eq!(opens, entry.matches('}').count(), "{}: {entry:?}", rule.id);
                assert!(!entry.trim_end_matches('*').contains('*'), "{}", rule.id);
            }
        }
    }

    #[test]
    fn no_unless_phrase_fires_its_own_rule() {
        let rules = RuleSet::new();
        for rule in all_rules() {
            for entry in rule.unless {
                for phrase in table::expand(entry) {
                    let fired = rules
                        .evaluate(&phrase.text)
                        .hits()
                        .any(|hit| hit.rule_id == rule.id);
                    assert!(
                        !fired,
                        "{}: unless {:?} does not block",
                        rule.id, phrase.text
                    );
                }
            }
        }
    }

    /// Whether `phrase` occurs in `words` as whole words (its last word as a prefix when
    /// open-ended).
    fn contains_phrase(words: &[&str], phrase: &table::Phrase) -> bool {
        let wanted: Vec<&str> = phrase.text.split(' ').collect();
        words.windows(wanted.len()).any(|window| {
            window
                .iter()
                .zip(&wanted)
                .enumerate()
                .all(|(i, (word, want))| {
                    if phrase.open_ended && i + 1 == wanted.len() {
                        word.starts_with(want)
                    } else {
                        word == want
                    }
                })
        })
    }

    #[test]
    fn every_unless_entry_contains_a_phrase_of_its_rule() {
        for rule in all_rules() {
            let (first, then): (&[&str], &[&str]) = match rule.trigger {
                Trigger::Any(phrases) => (phrases, &[]),
                Trigger::Sequence { first, then, .. } => (first, then),
            };
            let phrases: Vec<table::Phrase> = first
                .iter()
                .chain(then)
                .flat_map(|entry| table::expand(entry))
                .collect();
            for entry in rule.unless {
                let covers = table::expand(entry).iter().any(|unless| {
                    let words: Vec<&str> = unless.text.split(' ').collect();
                    phrases.iter().any(|phrase| contains_phrase(&words, phrase))
                });
                assert!(
                    covers,
                    "{}: unless {entry:?} contains none of its phrases",
                    rule.id
                );
            }
        }
    }

    proptest! {
        #[test]
        fn evaluate_never_panics_on_any_text(text in "\\PC*") {
            let findings = SHARED.evaluate(&text);
            for hit in findings.hits() {
                prop_assert!((0.0..=1.0).contains(&hit.score));
            }
        }

        #[test]
        fn evaluate_copes_with_very_long_text(
            unit in "(kill myself|me too|when you|i feel|drug abuse|\\PC{0,8}| ){1,40}",
            repeats in 1usize..3000,
        ) {
            let text = unit.repeat(repeats);
            let findings = SHARED.evaluate(&text);
            prop_assert!(findings.hits().count() <= RULE_CODES.len());
        }

        #[test]
        fn evidence_is_taken_from_the_text(text in "[a-zA-Z' .,!?]{0,200}") {
            let findings = SHARED.evaluate(&text);
            for hit in findings.hits() {
                prop_assert!(text.contains(&hit.evidence), "{:?} not in {:?}", hit.evidence, text);
            }
        }

        #[test]
        fn extra_spacing_and_case_do_not_change_the_codes(
            words in proptest::collection::vec("(i|feel|me|too|when|you|kill|myself|my|wife|left|same|here|abuse|drug|so|lonely|[a-z]{1,6})", 0..30),
            upper in any::<bool>(),
        ) {
            let rules = &*SHARED;
            let plain = words.join(" ");
            let spaced = words.join(" \t ");
            let cased = if upper { plain.to_uppercase() } else { plain.clone() };
            prop_assert_eq!(codes(rules, &plain), codes(rules, &spaced));
            prop_assert_eq!(codes(rules, &plain), codes(rules, &cased));
        }
    }
}
