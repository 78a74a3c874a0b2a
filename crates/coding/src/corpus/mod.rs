//! The public corpora of DATA.md turned into the 18 proxy tasks, each text placed in one
//! development part (train, tune or report) by a fixed, seeded rule.
//!
//! Parsing works on text already read; [`files`] is the one place that touches the disk.

pub mod files;
mod parse;
mod split;
mod task;

pub use parse::{CorpusError, CorpusTexts, build};
pub use split::{Part, part_by_id};
pub use task::{Source, Task};

/// One text of one source, with its part and its label on every task of that source
/// (`None`: the task leaves this text out).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub part: Part,
    pub labels: Vec<(Task, Option<bool>)>,
}

/// Every labelled text of the corpora, grouped by source.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub examples: Vec<(Source, Example)>,
}

impl Dataset {
    /// The texts of one task in one part, with their labels (left-out texts skipped).
    pub fn task_rows(&self, task: Task, part: Part) -> impl Iterator<Item = (usize, bool)> + '_ {
        self.examples
            .iter()
            .enumerate()
            .filter(move |(_, (_, example))| example.part == part)
            .filter_map(move |(row, (_, example))| {
                example
                    .labels
                    .iter()
                    .find(|(t, _)| *t == task)
                    .and_then(|(_, label)| *label)
                    .map(|label| (row, label))
            })
    }

    /// Number of texts per part, for the model card.
    pub fn count(&self, source: Source, part: Part) -> usize {
        self.examples
            .iter()
            .filter(|(s, e)| *s == source && e.part == part)
            .count()
    }
}
