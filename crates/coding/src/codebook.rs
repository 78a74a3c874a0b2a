//! The project's codebook: for each process code a definition, what it includes and
//! excludes, the therapeutic factors it feeds and team-written examples (positives and
//! near misses). The data lives in `codebook.toml` beside this crate's manifest and is
//! embedded in the binary; annotators read the same file.

use std::collections::HashSet;

use domain::{ProcessCode, TherapeuticFactor};
use serde::Deserialize;

/// The codebook shipped with the product.
const EMBEDDED: &str = include_str!("../codebook.toml");

#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("the codebook is not valid TOML for its schema: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("the codebook lists {0} more than once")]
    DuplicateCode(ProcessCode),
    #[error("the codebook has no entry for {0}")]
    MissingCode(ProcessCode),
    #[error("the codebook entry for {0} has an example with empty text")]
    EmptyExample(ProcessCode),
}

/// Every code's entry, in the order the file gives them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    #[serde(rename = "code")]
    pub entries: Vec<CodeEntry>,
}

/// One code as annotators are told to apply it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: ProcessCode,
    pub label: String,
    pub definition: String,
    pub includes: Vec<String>,
    pub excludes: Vec<String>,
    /// The Yalom factors the code feeds (DATA.md's map); empty for risk, leader and urgent codes.
    pub factors: Vec<TherapeuticFactor>,
    #[serde(rename = "example")]
    pub examples: Vec<Example>,
}

/// A team-written utterance: a positive for its entry's code, or a near miss that
/// looks like one but is not.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub positive: bool,
    pub why: String,
    /// Other codes the text carries. Kept complete for the rule codes (safety,
    /// disclosure, universality, feedback) so the rules can be checked across entries.
    #[serde(default)]
    pub also: Vec<ProcessCode>,
    /// For reviewers: where a safety rule fires on a text that is not safety talk (or
    /// misses one that is), which rule and why that is accepted.
    #[serde(default)]
    pub rule_note: Option<String>,
}

impl Example {
    /// Whether a careful annotator would give this text `code`.
    pub fn carries(&self, entry_code: ProcessCode, code: ProcessCode) -> bool {
        (entry_code == code && self.positive) || self.also.contains(&code)
    }
}

impl Codebook {
    /// The codebook compiled into this build.
    pub fn embedded() -> Result<Codebook, CodebookError> {
        Codebook::parse(EMBEDDED)
    }

    /// Parse a codebook and check that it names every code exactly once.
    pub fn parse(text: &str) -> Result<Codebook, CodebookError> {
        let codebook: Codebook = toml::from_str(text)?;
        let mut seen = HashSet::new();
        for entry in &codebook.entries {
            if !seen.insert(entry.code) {
                return Err(CodebookError::DuplicateCode(entry.code));
            }
            if entry.examples.iter().any(|ex| ex.text.trim().is_empty()) {
                return Err(CodebookError::EmptyExample(entry.code));
            }
        }
        if let Some(missing) = ProcessCode::ALL.iter().find(|code| !seen.contains(*code)) {
            return Err(CodebookError::MissingCode(*missing));
        }
        Ok(codebook)
    }

    pub fn entry(&self, code: ProcessCode) -> Option<&CodeEntry> {
        self.entries.iter().find(|entry| entry.code == code)
    }

    /// Every example with the code of the entry it sits under.
    pub fn examples(&self) -> impl Iterator<Item = (ProcessCode, &Example)> {
        self.entries
            .iter()
            .flat_map(|entry| entry.examples.iter().map(move |ex| (entry.code, ex)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Codebook {
        Codebook::embedded().expect("the embedded codebook parses")
    }

    #[test]
    fn every_code_is_present_exactly_once() {
        let codebook = embedded();
        assert_eq!(codebook.entries.len(), ProcessCode::ALL.len());
        for code in ProcessCode::ALL {
            let count = codebook.entries.iter().filter(|e| e.code == *code).count();
            assert_eq!(count, 1, "{code} appears {count} times");
        }
    }

    #[test]
    fn every_code_has_ten_examples_with_positives_and_near_misses() {
        for entry in embedded().entries {
            let positives = entry.examples.iter().filter(|ex| ex.positive).count();
            let near_misses = entry.examples.len() - positives;
            assert!(
                entry.examples.len() >= 10,
                "{}: {} examples",
                entry.code,
                entry.examples.len()
            );
            assert!(positives >= 3, "{}: {positives} positives", entry.code);
            assert!(
                near_misses >= 3,
                "{}: {near_misses} near misses",
                entry.code
            );
        }
    }

    #[test]
    fn example_texts_are_unique_across_the_codebook() {
        let mut seen = HashSet::new();
        for (code, example) in embedded().examples() {
            let key = example.text.trim().to_lowercase();
            assert!(
                seen.insert(key),
                "{code}: duplicate example {:?}",
                example.text
            );
        }
    }

    #[test]
    fn entries_are_fully_written() {
        for entry in embedded().entries {
            assert!(!entry.label.trim().is_empty(), "{}", entry.code);
            assert!(
                entry.definition.len() > 40,
                "{}: short definition",
                entry.code
            );
            assert!(!entry.includes.is_empty(), "{}: no includes", entry.code);
            assert!(!entry.excludes.is_empty(), "{}: no excludes", entry.code);
            for example in &entry.examples {
                assert!(
                    !example.why.trim().is_empty(),
                    "{}: {:?}",
                    entry.code,
                    example.text
                );
                assert!(
                    !example.also.contains(&entry.code),
                    "{}: `also` repeats the entry's own code",
                    entry.code
                );
            }
        }
    }

    #[test]
    fn factors_follow_the_data_map() {
        for entry in embedded().entries {
            assert_eq!(entry.factors, entry.code.factors(), "{}", entry.code);
        }
    }

    #[test]
    fn a_codebook_naming_a_code_twice_is_rejected() {
        let mut text = String::from(EMBEDDED);
        text.push_str(
            "\n[[code]]\ncode = \"safety\"\nlabel = \"x\"\ndefinition = \"x\"\n\
             includes = []\nexcludes = []\nfactors = []\nexample = []\n",
        );
        assert!(matches!(
            Codebook::parse(&text),
            Err(CodebookError::DuplicateCode(ProcessCode::Safety))
        ));
    }

    #[test]
    fn a_codebook_missing_a_code_is_rejected() {
        let text = "[[code]]\ncode = \"hope\"\nlabel = \"Hope\"\ndefinition = \"d\"\n\
                    includes = []\nexcludes = []\nfactors = [\"instillation-of-hope\"]\nexample = []\n";
        assert!(matches!(
            Codebook::parse(text),
            Err(CodebookError::MissingCode(_))
        ));
    }

    #[test]
    fn unknown_codes_and_fields_are_rejected() {
        let text = "[[code]]\ncode = \"HOSTILE\"\n";
        assert!(matches!(
            Codebook::parse(text),
            Err(CodebookError::Parse(_))
        ));
        let text = "[[code]]\ncode = \"hope\"\ncolour = \"red\"\n";
        assert!(matches!(
            Codebook::parse(text),
            Err(CodebookError::Parse(_))
        ));
    }
}
