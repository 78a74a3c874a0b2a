//! The crate's errors: a file that fails validation (every problem, each naming its field),
//! answers that do not fit an instrument, and registry refusals.

use std::fmt;

/// One thing wrong with a file: where (`items[3].max`, `line 12`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A definition or text pack that could not be loaded: the file and all its problems.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub file: String,
    /// Never empty.
    pub problems: Vec<Problem>,
}

impl LoadError {
    pub fn new(file: &str, problems: Vec<Problem>) -> Self {
        Self {
            file: file.to_owned(),
            problems,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "{}: {count} problem{}",
            self.file,
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {}: {problem}", self.file)?;
        }
        Ok(())
    }
}

/// Answers that cannot be scored as given (not the same as too many missing: that is a
/// result, [`crate::Validity::Invalid`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("{instrument} has {expected} items, {found} answers were given")]
    WrongCount {
        instrument: String,
        expected: usize,
        found: usize,
    },
    #[error("item{item}: {value} is outside {min} to {max}")]
    OutOfRange {
        item: u8,
        value: u8,
        min: u8,
        max: u8,
    },
}

/// Why a registry refused a definition or a text pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("{id} is a bundled instrument; give the organisation's definition another id")]
    BundledId { id: String },
    #[error("{id} version {version} is already loaded; give a changed definition a new version")]
    VersionTaken { id: String, version: u32 },
    #[error("there is no instrument {id} version {version}")]
    Unknown { id: String, version: u32 },
    #[error(transparent)]
    Load(#[from] LoadError),
}
