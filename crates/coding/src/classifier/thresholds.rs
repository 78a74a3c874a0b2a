//! Choosing each head's threshold on the tune part. Heads of one code are decided together
//! (the code is one yes/no for all its tasks), so thresholds are chosen by coordinate ascent
//! on the sum of the F1 of every task of that code.

use domain::ProcessCode;
use rayon::prelude::*;

use super::model::{HEADS, MODEL_CODES, Outputs, code_score};
use crate::corpus::Task;

/// Candidate thresholds tried per head.
const CANDIDATES: usize = 160;
const ROUNDS: usize = 3;

/// One labelled row of a task in the tuning data.
#[derive(Debug, Clone, Copy)]
pub struct TaskRow {
    pub task: Task,
    pub outputs: Outputs,
    pub label: bool,
}

/// Precision, recall and F1 from counts (0 when undefined).
pub fn f1_from_counts(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let precision = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    };
    let recall = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

/// Sum of the F1 of each of `code`'s tasks under `thresholds`.
fn objective(code: ProcessCode, rows: &[TaskRow], thresholds: &[f32; HEADS]) -> f64 {
    let mut counts = [(0usize, 0usize, 0usize); HEADS];
    for row in rows {
        let decided = code_score(code, &row.outputs.heads, &row.outputs.gate, thresholds).0 >= 0.5;
        if let Some((tp, fp, fn_)) = counts.get_mut(row.task.index()) {
            match (decided, row.label) {
                (true, true) => *tp += 1,
                (true, false) => *fp += 1,
                (false, true) => *fn_ += 1,
                (false, false) => {}
            }
        }
    }
    Task::ALL
        .iter()
        .filter(|t| t.code() == code)
        .filter_map(|t| counts.get(t.index()))
        .map(|(tp, fp, fn_)| f1_from_counts(*tp, *fp, *fn_).2)
        .sum()
}

/// Thresholds (logits) for every head, maximising each code's summed task F1 on `rows`.
pub fn tune(rows: &[TaskRow]) -> [f32; HEADS] {
    let per_code: Vec<Vec<(Task, f32)>> = MODEL_CODES
        .par_iter()
        .map(|code| {
            let code_rows: Vec<TaskRow> = rows
                .iter()
                .filter(|r| r.task.code() == *code)
                .copied()
                .collect();
            let heads: Vec<Task> = Task::ALL
                .iter()
                .copied()
                .filter(|t| t.code() == *code)
                .collect();
            let mut thresholds = [0.0f32; HEADS];
            let candidates: Vec<Vec<f32>> = heads
                .iter()
                .map(|head| candidates_for(*head, &code_rows))
                .collect();
            let mut best = objective(*code, &code_rows, &thresholds);
            for _ in 0..ROUNDS {
                let mut improved = false;
                for (head, options) in heads.iter().zip(&candidates) {
                    let i = head.index();
                    for option in options {
                        let mut trial = thresholds;
                        if let Some(slot) = trial.get_mut(i) {
                            *slot = *option;
                        }
                        let value = objective(*code, &code_rows, &trial);
                        if value > best + 1e-12 {
                            best = value;
                            thresholds = trial;
                            improved = true;
                        }
                    }
                }
                if !improved {
                    break;
                }
            }
            heads
                .iter()
                .map(|h| (*h, thresholds.get(h.index()).copied().unwrap_or(0.0)))
                .collect()
        })
        .collect();
    let mut thresholds = [0.0f32; HEADS];
    for (task, threshold) in per_code.into_iter().flatten() {
        if let Some(slot) = thresholds.get_mut(task.index()) {
            *slot = threshold;
        }
    }
    thresholds
}

/// Quantiles of a head's logits on its own task's rows.
fn candidates_for(head: Task, rows: &[TaskRow]) -> Vec<f32> {
    let mut logits: Vec<f32> = rows
        .iter()
        .filter(|r| r.task == head)
        .filter_map(|r| r.outputs.heads.get(head.index()).copied())
        .collect();
    logits.sort_by(f32::total_cmp);
    if logits.is_empty() {
        return vec![0.0];
    }
    let mut out: Vec<f32> = (0..CANDIDATES)
        .filter_map(|k| {
            logits
                .get(k * (logits.len() - 1) / (CANDIDATES - 1))
                .copied()
        })
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::model::SOURCES;
    use crate::corpus::Source;

    fn row(task: Task, logit: f32, label: bool) -> TaskRow {
        let mut heads = [-5.0f32; HEADS];
        heads[task.index()] = logit;
        let mut gate = [0.0f32; SOURCES];
        gate[task.source().index()] = 1.0;
        TaskRow {
            task,
            outputs: Outputs { heads, gate },
            label,
        }
    }

    #[test]
    fn f1_of_known_counts() {
        let (p, r, f) = f1_from_counts(2, 2, 0);
        assert_eq!((p, r), (0.5, 1.0));
        assert!((f - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(f1_from_counts(0, 0, 0), (0.0, 0.0, 0.0));
    }

    #[test]
    fn threshold_lands_between_the_classes() {
        // Positives have logits 2..3, negatives -1..1.5: the threshold must separate them.
        let mut rows = Vec::new();
        for k in 0..20 {
            rows.push(row(Task::MrdaChallenge, 2.0 + k as f32 / 20.0, true));
            rows.push(row(Task::MrdaChallenge, -1.0 + k as f32 / 8.0, false));
        }
        let thresholds = tune(&rows);
        let t = thresholds[Task::MrdaChallenge.index()];
        assert!(t > 1.375 && t <= 2.0, "{t}");
        assert_eq!(objective(ProcessCode::Challenge, &rows, &thresholds), 1.0);
        assert_eq!(Source::Mrda, Task::MrdaChallenge.source());
    }
}
