//! Scoring the coder on the 18 proxy tasks: per-task precision, recall and F1 of the code's
//! own yes/no decision, and their macro average.

use std::fmt;

use crate::classifier::model::{Model, code_score};
use crate::classifier::thresholds::f1_from_counts;
use crate::corpus::{Dataset, Part, Task};
use crate::train::task_rows;

/// One task's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskScore {
    pub task: Task,
    pub texts: usize,
    pub positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Every task's figures on one part, and the macro-F1.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub part: Part,
    pub tasks: Vec<TaskScore>,
}

impl Evaluation {
    pub fn macro_f1(&self) -> f64 {
        if self.tasks.is_empty() {
            return 0.0;
        }
        self.tasks.iter().map(|t| t.f1).sum::<f64>() / self.tasks.len() as f64
    }
}

/// Runs the model on every task's texts in `part` and scores its decisions.
pub fn evaluate(model: &Model, dataset: &Dataset, part: Part) -> Evaluation {
    let rows = task_rows(model, dataset, part);
    let thresholds = model.thresholds();
    let tasks = Task::ALL
        .iter()
        .map(|task| {
            let (mut tp, mut fp, mut fn_, mut texts, mut positives) = (0, 0, 0, 0, 0);
            for row in rows.iter().filter(|r| r.task == *task) {
                let decided = code_score(
                    task.code(),
                    &row.outputs.heads,
                    &row.outputs.gate,
                    &thresholds,
                )
                .0 >= 0.5;
                texts += 1;
                positives += usize::from(row.label);
                match (decided, row.label) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    (false, false) => {}
                }
            }
            let (precision, recall, f1) = f1_from_counts(tp, fp, fn_);
            TaskScore {
                task: *task,
                texts,
                positives,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    Evaluation { part, tasks }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<22} {:>13} {:>6} {:>6} {:>9} {:>6} {:>6}",
            "task", "code", "texts", "pos", "precision", "recall", "F1"
        )?;
        for t in &self.tasks {
            writeln!(
                f,
                "{:<22} {:>13} {:>6} {:>6} {:>9.3} {:>6.3} {:>6.3}",
                t.task.name(),
                t.task.code().as_str(),
                t.texts,
                t.positives,
                t.precision,
                t.recall,
                t.f1
            )?;
        }
        write!(
            f,
            "macro-F1 over {} tasks ({} part): {:.3}",
            self.tasks.len(),
            self.part.name(),
            self.macro_f1()
        )
    }
}
