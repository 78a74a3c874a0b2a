//! Training the coder from the corpora: features for every text, one logistic head per
//! proxy task and a softmax gate over sources on the train part, quantisation, then the
//! heads' thresholds chosen on the tune part. Deterministic: the same data and settings
//! give the same model bytes.

use rayon::prelude::*;

use crate::classifier::model::{Model, ModelError, Outputs};
use crate::classifier::solver::{FitSettings, Linear, Sample, fit};
use crate::classifier::sparse::Csr;
use crate::classifier::thresholds::{TaskRow, f1_from_counts, tune};
use crate::classifier::{FeatureBuf, Featurizer};
use crate::corpus::{Dataset, Part, Source, Task};

/// Knobs of a training run.
#[derive(Debug, Clone, Copy)]
pub struct TrainSettings {
    /// The feature table has `2^bits` rows.
    pub bits: u32,
    /// Regularisation strengths tried for each task head (scikit-learn's `C`); the one with
    /// the best F1 on the head's own task in the tune part is kept.
    pub head_cs: &'static [f32],
    /// Regularisation of the source gate.
    pub gate_c: f32,
    pub max_iterations: usize,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            bits: 18,
            head_cs: &[1.0, 4.0, 16.0],
            gate_c: 4.0,
            max_iterations: 150,
        }
    }
}

/// Trains a model on the train part and tunes its thresholds on the tune part. `log`
/// receives a line at each step.
pub fn train(
    dataset: &Dataset,
    settings: TrainSettings,
    log: &(dyn Fn(String) + Sync),
) -> Result<Model, ModelError> {
    let started = std::time::Instant::now();
    let texts: Vec<&str> = dataset
        .examples
        .iter()
        .map(|(_, e)| e.text.as_str())
        .collect();
    let parts: Vec<Csr> = texts
        .par_chunks(4096)
        .map(|chunk| Csr::from_texts(settings.bits, chunk.iter().copied()))
        .collect();
    let features = Csr::concat(parts);
    let dim = 1usize << settings.bits;
    log(format!(
        "features of {} texts in {:.1?}",
        features.rows(),
        started.elapsed()
    ));

    let jobs: Vec<Option<Task>> = Task::ALL.iter().copied().map(Some).chain([None]).collect();
    let mut fitted: Vec<Linear> = jobs
        .par_iter()
        .map(|job| match job {
            Some(task) => {
                let samples = balanced(
                    dataset
                        .task_rows(*task, Part::Train)
                        .map(|(row, label)| (row, usize::from(label))),
                );
                let tune_rows: Vec<(usize, bool)> = dataset.task_rows(*task, Part::Tune).collect();
                let mut best: Option<(f64, f32, Linear)> = None;
                for c in settings.head_cs {
                    let fit_settings = FitSettings {
                        c: *c,
                        max_iterations: settings.max_iterations,
                        ..FitSettings::default()
                    };
                    let head = fit(&features, dim, 2, &samples, fit_settings);
                    let f1 = best_f1(&head, &features, &tune_rows);
                    if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
                        best = Some((f1, *c, head));
                    }
                }
                let (f1, c, head) = best.unwrap_or((0.0, 0.0, Linear::zeros(dim, 1)));
                log(format!(
                    "{:<22} C={c:<5} own-task tune F1 {f1:.3} at {:.1?}",
                    task.name(),
                    started.elapsed()
                ));
                head
            }
            None => {
                let rows = dataset
                    .examples
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, e))| e.part == Part::Train)
                    .map(|(row, (source, _))| (row, source.index()));
                let fit_settings = FitSettings {
                    c: settings.gate_c,
                    max_iterations: settings.max_iterations,
                    ..FitSettings::default()
                };
                let gate = fit(
                    &features,
                    dim,
                    Source::ALL.len(),
                    &balanced(rows),
                    fit_settings,
                );
                log(format!("gate fitted at {:.1?}", started.elapsed()));
                gate
            }
        })
        .collect();
    let gate = fitted
        .pop()
        .ok_or_else(|| ModelError::Unsupported("no gate was fitted".into()))?;
    let model = Model::quantise(settings.bits, &fitted, &gate)?;
    let rows = task_rows(&model, dataset, Part::Tune);
    let tuned = model.with_thresholds(tune(&rows));
    log(format!("thresholds tuned at {:.1?}", started.elapsed()));
    tuned
}

/// The best F1 a head reaches on its own task's rows over all thresholds.
fn best_f1(head: &Linear, features: &Csr, rows: &[(usize, bool)]) -> f64 {
    let mut scored: Vec<(f32, bool)> = rows
        .iter()
        .map(|(row, label)| {
            let (indices, values) = features.row(*row);
            let mut logit = [0.0f32];
            head.logits(indices, values, &mut logit);
            (logit[0], *label)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = scored.iter().filter(|(_, l)| *l).count();
    let (mut tp, mut best) = (0usize, 0.0f64);
    for (taken, (_, label)) in scored.iter().enumerate() {
        tp += usize::from(*label);
        let (_, _, f1) = f1_from_counts(tp, taken + 1 - tp, positives - tp);
        best = best.max(f1);
    }
    best
}

/// Samples weighted so every class carries the same total weight.
fn balanced(rows: impl Iterator<Item = (usize, usize)>) -> Vec<Sample> {
    let rows: Vec<(usize, usize)> = rows.collect();
    let classes = rows.iter().map(|(_, c)| c + 1).max().unwrap_or(0);
    let mut counts = vec![0usize; classes];
    for (_, class) in &rows {
        if let Some(count) = counts.get_mut(*class) {
            *count += 1;
        }
    }
    let present = counts.iter().filter(|c| **c > 0).count().max(1);
    rows.iter()
        .map(|(row, class)| {
            let count = counts.get(*class).copied().unwrap_or(1).max(1);
            Sample {
                row: *row,
                class: *class,
                weight: rows.len() as f32 / (present * count) as f32,
            }
        })
        .collect()
}

/// The model's outputs on every labelled row of `part`, task by task.
pub fn task_rows(model: &Model, dataset: &Dataset, part: Part) -> Vec<TaskRow> {
    let wanted: Vec<usize> = dataset
        .examples
        .iter()
        .enumerate()
        .filter(|(_, (_, e))| e.part == part)
        .map(|(row, _)| row)
        .collect();
    let outputs: Vec<(usize, Outputs)> = wanted
        .par_chunks(2048)
        .flat_map_iter(|chunk| {
            let mut featurizer: Featurizer = model.featurizer();
            let mut buf = FeatureBuf::default();
            chunk
                .iter()
                .filter_map(|row| {
                    let (_, example) = dataset.examples.get(*row)?;
                    featurizer.extract(&example.text, &mut buf);
                    Some((*row, model.outputs(&buf)))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut rows = Vec::new();
    for (row, out) in outputs {
        let Some((_, example)) = dataset.examples.get(row) else {
            continue;
        };
        for (task, label) in &example.labels {
            if let Some(label) = label {
                rows.push(TaskRow {
                    task: *task,
                    outputs: out,
                    label: *label,
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusTexts, build};

    /// A tiny corpus where each task has a clear cue word, written by us.
    fn tiny_dataset() -> Dataset {
        let mut goemo = String::new();
        let mut dev = String::new();
        let lines = [
            ("you are an idiot and I hate this", "0"),
            ("this is so stupid, I hate it", "0"),
            ("I hope things get better for you", "1"),
            ("hope you feel better soon", "1"),
            ("the bus comes at nine", "2"),
            ("we had pasta for dinner", "2"),
        ];
        for k in 0..12 {
            for (i, (text, label)) in lines.iter().enumerate() {
                goemo.push_str(&format!("{text} {k}\t{label}\tt{k}x{i}\n"));
                dev.push_str(&format!("{text} again {k}\t{label}\td{k}x{i}\n"));
            }
        }
        let texts = CorpusTexts {
            goemotions_labels: "anger\noptimism\nneutral\n".into(),
            goemotions_train: goemo,
            goemotions_dev: dev,
            davidson: ",count,hate_speech,offensive_language,neither,class,tweet\n".into(),
            annomi: "transcript_id,interlocutor,utterance_text,main_therapist_behaviour,client_talk_type\n".into(),
            epitome_emotional_reactions: "sp_id,rp_id,seeker_post,response_post,level,rationales\n".into(),
            epitome_explorations: "sp_id,rp_id,seeker_post,response_post,level,rationales\n".into(),
            epitome_interpretations: "sp_id,rp_id,seeker_post,response_post,level,rationales\n".into(),
            mrda_train: "a|no.|S|s|ar\nb|yeah.|B|b|aa\n".into(),
            mrda_eval: "a|no way.|S|s|ar\n".into(),
        };
        build(&texts).unwrap()
    }

    fn small() -> TrainSettings {
        TrainSettings {
            bits: 12,
            max_iterations: 40,
            ..TrainSettings::default()
        }
    }

    #[test]
    fn training_twice_gives_the_same_model_bytes() {
        let dataset = tiny_dataset();
        let a = train(&dataset, small(), &|_| {}).unwrap();
        let b = train(&dataset, small(), &|_| {}).unwrap();
        assert_eq!(a.as_bytes(), b.as_bytes());
    }

    #[test]
    fn a_trained_head_separates_its_cue() {
        let dataset = tiny_dataset();
        let model = train(&dataset, small(), &|_| {}).unwrap();
        let mut featurizer = model.featurizer();
        let mut buf = FeatureBuf::default();
        featurizer.extract("I hate you, idiot", &mut buf);
        let hostile = model.outputs(&buf).heads[Task::GoemoHostility.index()];
        featurizer.extract("dinner at nine", &mut buf);
        let calm = model.outputs(&buf).heads[Task::GoemoHostility.index()];
        assert!(hostile > calm, "{hostile} vs {calm}");
    }

    #[test]
    fn balanced_weights_give_each_class_equal_mass() {
        let samples = balanced([(0, 1), (1, 0), (2, 0), (3, 0)].into_iter());
        let mass = |class| {
            samples
                .iter()
                .filter(|s| s.class == class)
                .map(|s| s.weight)
                .sum::<f32>()
        };
        assert!((mass(0) - mass(1)).abs() < 1e-5);
    }
}
