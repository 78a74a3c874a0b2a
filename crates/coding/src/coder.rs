//! The coder: the statistical model for the ten codes with public labels, the reviewed rules
//! for safety, disclosure, universality and feedback, and the result for one utterance.

use std::borrow::Cow;
use std::sync::OnceLock;

use domain::ProcessCode;

use crate::classifier::features::{Block, FeatureName, FeatureSink};
use crate::classifier::model::MODEL_CODES;
use crate::classifier::sparse::block_value;
use crate::classifier::{FeatureBuf, Featurizer, Model, ModelError};
use crate::corpus::Task;
use crate::rules::{RULE_CODES, RuleFindings, RuleSet};

/// The model trained by `circlework train` and shipped with the code (see model/MODEL_CARD.md).
static EMBEDDED_MODEL: &[u8] = include_bytes!("../model/coder.bin");

/// A code is decided when its score reaches this (model scores are calibrated so that each
/// head's tuned threshold maps to it).
pub const DECISION_SCORE: f32 = 0.5;

/// The shipped model, read from the bytes embedded in the binary (no copy of the weights).
pub fn embedded_model() -> Result<Model, ModelError> {
    Model::from_bytes(Cow::Borrowed(EMBEDDED_MODEL))
}

/// Codes one utterance at a time. Build once and share: `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Coder {
    model: Model,
    rules: RuleSet,
}

/// Reusable scratch space for coding many utterances on one thread without allocating.
#[derive(Debug, Clone)]
pub struct Scratch {
    featurizer: Featurizer,
    features: FeatureBuf,
}

/// The result for one utterance: a score in [0, 1] for each of the 14 codes and the decisions.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedUtterance {
    /// Scores in [`ProcessCode::ALL`] order.
    pub scores: [f32; 14],
    /// Decisions in [`ProcessCode::ALL`] order.
    pub decided: [bool; 14],
    /// What the rules found (evidence for safety, disclosure, universality, feedback).
    pub rule_findings: RuleFindings,
    /// For each model code, the task head that weighed most in its score.
    pub leading_heads: [(ProcessCode, Task); MODEL_CODES.len()],
}

impl CodedUtterance {
    pub fn score(&self, code: ProcessCode) -> f32 {
        position(code)
            .and_then(|i| self.scores.get(i))
            .copied()
            .unwrap_or(0.0)
    }

    pub fn is_decided(&self, code: ProcessCode) -> bool {
        position(code)
            .and_then(|i| self.decided.get(i))
            .copied()
            .unwrap_or(false)
    }

    /// The decided codes, in [`ProcessCode::ALL`] order.
    pub fn codes(&self) -> impl Iterator<Item = ProcessCode> + '_ {
        ProcessCode::ALL
            .iter()
            .zip(&self.decided)
            .filter(|(_, decided)| **decided)
            .map(|(code, _)| *code)
    }
}

fn position(code: ProcessCode) -> Option<usize> {
    ProcessCode::ALL.iter().position(|c| *c == code)
}

/// Why a code was decided: the features that pushed its leading head most, or the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeExplanation {
    pub code: ProcessCode,
    pub score: f32,
    /// `task head` for model codes, the rule id for rule codes.
    pub source: String,
    /// Features and their push on the head's logit, strongest first (model codes), or the
    /// matched phrase (rule codes).
    pub evidence: Vec<(String, f32)>,
}

impl Coder {
    pub fn new(model: Model) -> Coder {
        Coder {
            model,
            rules: RuleSet::new(),
        }
    }

    /// The coder with the shipped model, built once per process.
    pub fn embedded() -> Result<&'static Coder, ModelError> {
        static CODER: OnceLock<Result<Coder, ModelError>> = OnceLock::new();
        CODER
            .get_or_init(|| embedded_model().map(Coder::new))
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn scratch(&self) -> Scratch {
        Scratch {
            featurizer: self.model.featurizer(),
            features: FeatureBuf::default(),
        }
    }

    /// Codes one utterance (allocates scratch space; use [`Coder::code_with`] in loops).
    pub fn code(&self, text: &str) -> CodedUtterance {
        self.code_with(text, &mut self.scratch())
    }

    /// Codes one utterance reusing `scratch`.
    pub fn code_with(&self, text: &str, scratch: &mut Scratch) -> CodedUtterance {
        let mut scores = [0.0f32; 14];
        let mut decided = [false; 14];
        let mut leading_heads = [(ProcessCode::Hostility, Task::GoemoHostility); MODEL_CODES.len()];
        if text.trim().is_empty() {
            return CodedUtterance {
                scores,
                decided,
                rule_findings: RuleFindings::default(),
                leading_heads,
            };
        }
        scratch.featurizer.extract(text, &mut scratch.features);
        let outputs = self.model.outputs(&scratch.features);
        for ((code, (score, task)), lead) in MODEL_CODES
            .iter()
            .zip(self.model.code_scores(&outputs))
            .zip(leading_heads.iter_mut())
        {
            *lead = (*code, task);
            if let Some(i) = position(*code)
                && let (Some(s), Some(d)) = (scores.get_mut(i), decided.get_mut(i))
            {
                *s = score;
                *d = score >= DECISION_SCORE;
            }
        }
        let rule_findings = self.rules.evaluate(text);
        for code in RULE_CODES {
            let Some(i) = position(code) else { continue };
            if let (Some(hit), Some(s), Some(d)) = (
                rule_findings.get(code),
                scores.get_mut(i),
                decided.get_mut(i),
            ) {
                // Safety is 0 or 1; the other rule codes carry the rule's own strength.
                *s = if code == ProcessCode::Safety {
                    1.0
                } else {
                    hit.score.clamp(0.0, 1.0)
                };
                *d = true;
            }
        }
        CodedUtterance {
            scores,
            decided,
            rule_findings,
            leading_heads,
        }
    }

    /// Codes `text` and says, for each decided code, what drove it: the `top` features that
    /// pushed the leading head's logit up most, or the rule that fired.
    pub fn explain(&self, text: &str, top: usize) -> (CodedUtterance, Vec<CodeExplanation>) {
        let coded = self.code(text);
        let mut named = NamedFeatures::default();
        self.model.featurizer().extract_into(text, &mut named);
        let (word_value, char_value) = (block_value(named.words), block_value(named.chars));
        let mut explanations = Vec::new();
        for code in coded.codes() {
            if let Some(hit) = coded.rule_findings.get(code) {
                explanations.push(CodeExplanation {
                    code,
                    score: coded.score(code),
                    source: hit.rule_id.to_owned(),
                    evidence: vec![(hit.evidence.clone(), hit.score)],
                });
                continue;
            }
            let Some((_, task)) = coded.leading_heads.iter().find(|(c, _)| *c == code) else {
                continue;
            };
            let mut pushes: Vec<(String, f32)> = Vec::new();
            for (block, bucket, name) in &named.found {
                let value = match block {
                    Block::Word => word_value,
                    Block::Char => char_value,
                };
                let push = self.model.contribution(*task, *bucket, value);
                match pushes.iter_mut().find(|(n, _)| n == name) {
                    Some(existing) => existing.1 += push,
                    None => pushes.push((name.clone(), push)),
                }
            }
            pushes.sort_by(|a, b| b.1.total_cmp(&a.1));
            pushes.truncate(top);
            explanations.push(CodeExplanation {
                code,
                score: coded.score(code),
                source: format!("{} head", task.name()),
                evidence: pushes,
            });
        }
        (coded, explanations)
    }
}

/// Collects features with their readable names (for explanations only: allocates).
#[derive(Debug, Default)]
struct NamedFeatures {
    found: Vec<(Block, u32, String)>,
    words: usize,
    chars: usize,
}

impl FeatureSink for NamedFeatures {
    fn feature(&mut self, block: Block, bucket: u32, name: FeatureName<'_>) {
        match block {
            Block::Word => self.words += 1,
            Block::Char => self.chars += 1,
        }
        self.found.push((block, bucket, name.render()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn coder() -> &'static Coder {
        Coder::embedded().unwrap()
    }

    #[test]
    fn explanations_list_strongest_features_first_for_decided_codes() {
        let (coded, explanations) = coder().explain("You stupid idiot, I hate you.", 4);
        assert!(coded.is_decided(ProcessCode::Hostility));
        let hostility = explanations
            .iter()
            .find(|e| e.code == ProcessCode::Hostility)
            .unwrap();
        assert!(hostility.source.ends_with("head"));
        assert!(hostility.evidence.len() <= 4);
        assert!(hostility.evidence.windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(explanations.len(), coded.codes().count());
    }

    #[test]
    fn scratch_reuse_gives_the_same_result_as_a_fresh_call() {
        let mut scratch = coder().scratch();
        let first = coder().code_with("a long first line to fill the buffers up", &mut scratch);
        let again = coder().code_with("short", &mut scratch);
        assert_eq!(again, coder().code("short"));
        assert_eq!(
            first,
            coder().code("a long first line to fill the buffers up")
        );
    }

    proptest! {
        #[test]
        fn any_text_gets_fourteen_scores_in_range_and_decisions_that_match(text in any::<String>()) {
            let coded = coder().code(&text);
            for (code, (score, decided)) in ProcessCode::ALL.iter().zip(coded.scores.iter().zip(&coded.decided)) {
                prop_assert!((0.0..=1.0).contains(score), "{code:?} {score}");
                if MODEL_CODES.contains(code) {
                    prop_assert_eq!(*decided, *score >= DECISION_SCORE);
                }
            }
            let safety = coded.score(ProcessCode::Safety);
            prop_assert!(safety == 0.0 || safety == 1.0);
        }
    }
}
