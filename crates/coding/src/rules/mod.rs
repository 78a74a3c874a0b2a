//! Reviewed rules for the codes that are not left to the statistical model: `safety`
//! (always), and `disclosure`, `universality`, `feedback` (no public labels exist).
//!
//! Interface stub: the matcher lands in the next commits.

use domain::ProcessCode;

/// The codes found by these rules, in the order `RuleFindings` stores them.
pub const RULE_CODES: [ProcessCode; 4] = [
    ProcessCode::Safety,
    ProcessCode::Disclosure,
    ProcessCode::Universality,
    ProcessCode::Feedback,
];

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
        let slot = RULE_CODES.iter().position(|rule_code| *rule_code == code)?;
        self.hits.get(slot)?.as_ref()
    }
}

/// The compiled rules. Build once; `Send + Sync`, share by reference across threads.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {}

impl RuleSet {
    pub fn new() -> RuleSet {
        RuleSet {}
    }

    /// Run every rule over one utterance.
    pub fn evaluate(&self, _text: &str) -> RuleFindings {
        RuleFindings::default()
    }
}
