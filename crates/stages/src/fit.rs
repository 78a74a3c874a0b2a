//! Re-estimating the stage model from an organisation's completed groups: Baum–Welch with
//! conjugate priors centred on the current model (maximum a posteriori), keeping the
//! orderings DOMAIN.md §1.4 asks for (C_S2 above C_S1 and C_S3; E_S3 above E_S1).

use crate::hmm::Hmm;
use crate::logspace::{LogP, NEG_INF, add, log_sum_exp};
use crate::{
    Channel, Climate, FitSummary, Gaussian, Horizon, InferredProbs, Model, ModelError, SD_MAX,
    SD_MIN, Stage, Transitions,
};

/// One completed group: its horizon and a climate reading per session (session 1 first;
/// sessions without answers are [`Climate::MISSING`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingGroup {
    pub horizon: Horizon,
    pub observations: Vec<Climate>,
}

/// How strongly the prior holds and when to stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Fewer groups than this is refused (DOMAIN.md §1.4: at least 20 completed groups).
    pub min_groups: usize,
    pub max_iterations: u32,
    /// Stop when no parameter moves by more than this.
    pub tolerance: f64,
    /// Pseudo-groups behind the initial probabilities.
    pub initial_strength: f64,
    /// Pseudo-transitions behind each row of the transition matrix.
    pub transition_strength: f64,
    /// Pseudo-sessions behind each emission mean.
    pub mean_strength: f64,
    /// Pseudo-sessions behind each emission variance.
    pub sd_strength: f64,
    /// How far apart ordered means must stay (0–6 scale).
    pub order_margin: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            min_groups: 20,
            max_iterations: 200,
            tolerance: 1e-5,
            initial_strength: 10.0,
            transition_strength: 20.0,
            mean_strength: 5.0,
            sd_strength: 5.0,
            order_margin: 0.1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("re-estimation needs at least {needed} completed groups with answers; there are {got}")]
    TooFewGroups { needed: usize, got: usize },
    #[error("the starting model is not valid: {0}")]
    InvalidPrior(#[from] ModelError),
}

/// Sufficient statistics gathered by one E-step.
#[derive(Debug, Clone, Default)]
struct Counts {
    initial: [f64; 3],
    transitions: [[f64; 3]; 3],
    /// Per stage and channel: Σw, Σw·x, Σw·x².
    weight: [[f64; 3]; 4],
    sum: [[f64; 3]; 4],
    square: [[f64; 3]; 4],
    log_likelihood: f64,
}

/// Re-estimates `prior` (normally [`Model::domain`]) from `groups`. The prior is both the
/// starting point and the centre of the conjugate priors; the result's version is the
/// prior's plus one, with a [`FitSummary`].
pub fn fit(
    prior: &Model,
    groups: &[TrainingGroup],
    options: &FitOptions,
) -> Result<Model, FitError> {
    prior.validate()?;
    let usable: Vec<&TrainingGroup> = groups
        .iter()
        .filter(|g| g.observations.iter().any(|o| !o.sanitised().is_missing()))
        .collect();
    if usable.len() < options.min_groups.max(1) {
        return Err(FitError::TooFewGroups {
            needed: options.min_groups.max(1),
            got: usable.len(),
        });
    }
    let mut current = prior.clone();
    let mut iterations = 0;
    let mut converged = false;
    while iterations < options.max_iterations {
        iterations += 1;
        let counts = expected_counts(&Hmm::new(&current)?, &usable);
        let next = maximise(prior, &counts, options);
        let change = max_change(&current, &next);
        current = next;
        if change < options.tolerance {
            converged = true;
            break;
        }
    }
    let final_counts = expected_counts(&Hmm::new(&current)?, &usable);
    current.version = prior.version.saturating_add(1);
    current.description = format!(
        "re-estimated from {} completed groups (MAP, prior: version {})",
        usable.len(),
        prior.version
    );
    current.fitted = Some(FitSummary {
        prior_version: prior.version,
        groups: u32::try_from(usable.len()).unwrap_or(u32::MAX),
        sessions: u32::try_from(usable.iter().map(|g| g.observations.len()).sum::<usize>())
            .unwrap_or(u32::MAX),
        iterations,
        converged,
        log_likelihood: final_counts.log_likelihood,
    });
    current.validate()?;
    Ok(current)
}

fn expected_counts(hmm: &Hmm, groups: &[&TrainingGroup]) -> Counts {
    let mut counts = Counts::default();
    for group in groups {
        let emissions = hmm.emissions_of(&group.observations);
        let forward = hmm.forward(group.horizon, &emissions);
        let beta = hmm.backward(group.horizon, &emissions);
        let gamma = Hmm::smooth(group.horizon, &forward.alpha, &beta);
        counts.log_likelihood += forward.log_likelihood;
        if let Some(first) = gamma.first()
            && !group.horizon.is_ending(1)
        {
            for (slot, g) in counts.initial.iter_mut().zip(first) {
                *slot += g.exp();
            }
        }
        // Transitions between inferred stages (the ending is entered by force, not counted).
        let log_rows = log_rows(hmm.model());
        for (t, (alpha, pair)) in forward.alpha.iter().zip(beta.windows(2)).enumerate() {
            let session_next = u32::try_from(t + 2).unwrap_or(u32::MAX);
            if group.horizon.is_ending(session_next) {
                break;
            }
            let (Some(emission_next), Some(beta_next)) = (emissions.get(t + 1), pair.get(1)) else {
                break;
            };
            let weighted = add(emission_next, beta_next);
            let mut xi = [[NEG_INF; 4]; 3];
            for ((row, a), log_row) in xi.iter_mut().zip(alpha).zip(&log_rows) {
                *row = add(&add(log_row, &weighted), &[*a; 4]);
            }
            let total = log_sum_exp(&pad(xi.map(|row| log_sum_exp(&row))));
            if !total.is_finite() {
                continue;
            }
            for (count_row, row) in counts.transitions.iter_mut().zip(&xi) {
                for (count, value) in count_row.iter_mut().zip(row) {
                    *count += (value - total).exp();
                }
            }
        }
        for (observation, g) in group.observations.iter().zip(&gamma) {
            let values = observation.sanitised().to_array();
            for (stage_index, log_weight) in g.iter().enumerate() {
                let w = log_weight.exp();
                if w <= 0.0 {
                    continue;
                }
                let (Some(weight), Some(sum), Some(square)) = (
                    counts.weight.get_mut(stage_index),
                    counts.sum.get_mut(stage_index),
                    counts.square.get_mut(stage_index),
                ) else {
                    continue;
                };
                for (((value, wsum), xsum), xxsum) in values
                    .iter()
                    .zip(weight.iter_mut())
                    .zip(sum.iter_mut())
                    .zip(square.iter_mut())
                {
                    if let Some(x) = value {
                        *wsum += w;
                        *xsum += w * x;
                        *xxsum += w * x * x;
                    }
                }
            }
        }
    }
    counts
}

/// Log transition rows over the three inferred stages, padded to four columns.
fn log_rows(model: &Model) -> [LogP; 3] {
    model
        .transitions
        .to_rows()
        .map(|[a, b, c]| [a.ln(), b.ln(), c.ln(), NEG_INF])
}

const fn pad([a, b, c]: [f64; 3]) -> LogP {
    [a, b, c, NEG_INF]
}

fn maximise(prior: &Model, counts: &Counts, options: &FitOptions) -> Model {
    let mut model = prior.clone();
    model.initial = InferredProbs::from_array(dirichlet_map(
        counts.initial,
        prior.initial.to_array(),
        options.initial_strength,
    ));
    let rows = prior.transitions.to_rows();
    let mut fitted_rows = rows;
    for ((out, count), prior_row) in fitted_rows.iter_mut().zip(&counts.transitions).zip(rows) {
        *out = dirichlet_map(*count, prior_row, options.transition_strength);
    }
    model.transitions = Transitions::from_rows(fitted_rows);
    let mut effective = [[0.0; 3]; 4];
    for (stage_index, stage) in Stage::ALL.into_iter().enumerate() {
        let (Some(weights), Some(sums), Some(squares), Some(eff)) = (
            counts.weight.get(stage_index),
            counts.sum.get(stage_index),
            counts.square.get(stage_index),
            effective.get_mut(stage_index),
        ) else {
            continue;
        };
        for ((((channel, w), s), ss), e) in Channel::ALL
            .into_iter()
            .zip(weights)
            .zip(sums)
            .zip(squares)
            .zip(eff.iter_mut())
        {
            let prior_g = prior.emissions.get(stage).get(channel);
            *model.emissions.get_mut(stage).get_mut(channel) =
                normal_map(prior_g, *w, *s, *ss, options);
            *e = w + options.mean_strength;
        }
    }
    enforce_orderings(&mut model, &effective, options.order_margin);
    model
}

/// MAP of categorical probabilities under a Dirichlet prior with pseudo-counts
/// `strength · prior` (on top of the uniform 1s): zeros in the prior stay zero.
fn dirichlet_map(counts: [f64; 3], prior: [f64; 3], strength: f64) -> [f64; 3] {
    let mut out = [0.0; 3];
    for ((o, n), p) in out.iter_mut().zip(counts).zip(prior) {
        *o = if p > 0.0 {
            n.max(0.0) + strength * p
        } else {
            0.0
        };
    }
    let total: f64 = out.iter().sum();
    if total > 0.0 && total.is_finite() {
        out.map(|o| o / total)
    } else {
        prior
    }
}

/// Joint posterior mode of a normal's mean and variance under a normal–inverse-gamma
/// prior centred on `prior` (κ = mean strength, ν = sd strength pseudo-sessions).
fn normal_map(prior: Gaussian, w: f64, s: f64, ss: f64, options: &FitOptions) -> Gaussian {
    let kappa = options.mean_strength.max(1e-9);
    let nu = options.sd_strength.max(0.0);
    if !(w > 1e-12 && w.is_finite()) {
        return prior;
    }
    let mean_data = s / w;
    let scatter = (ss - w * mean_data * mean_data).max(0.0);
    let mean = ((kappa * prior.mean + s) / (kappa + w)).clamp(0.0, 6.0);
    let shrink = kappa * w / (kappa + w) * (mean_data - prior.mean).powi(2);
    let variance = (nu * prior.sd * prior.sd + scatter + shrink) / (nu + w + 3.0);
    let sd = variance.sqrt();
    let sd = if sd.is_finite() {
        sd.clamp(SD_MIN.max(0.1), SD_MAX)
    } else {
        prior.sd
    };
    Gaussian { mean, sd }
}

/// Moves ordered means apart by pooling (weighted by effective sessions) when the data
/// put them the wrong way round: E_S3 ≥ E_S1 + margin, C_S2 ≥ max(C_S1, C_S3) + margin.
fn enforce_orderings(model: &mut Model, effective: &[[f64; 3]; 4], margin: f64) {
    let weight = |stage: Stage, channel: Channel| -> f64 {
        effective
            .get(stage.index())
            .and_then(|row| row.get(channel_index(channel)))
            .copied()
            .unwrap_or(1.0)
            .max(1e-9)
    };
    // Engagement: working above engagement.
    let (w1, w3) = (
        weight(Stage::Engagement, Channel::Engaged),
        weight(Stage::Working, Channel::Engaged),
    );
    let (e1, e3) = (
        model.emissions.engagement.engaged.mean,
        model.emissions.working.engaged.mean,
    );
    if e3 < e1 + margin {
        let mid = (w1 * e1 + w3 * e3) / (w1 + w3);
        let low = (mid - margin * w3 / (w1 + w3)).clamp(0.0, 6.0 - margin);
        model.emissions.engagement.engaged.mean = low;
        model.emissions.working.engaged.mean = low + margin;
    }
    // Conflict: differentiation above both others (pool-adjacent violators on C − margin,
    // always pooling the means as fitted).
    let fitted = |s: Stage| model.emissions.get(s).conflict.mean;
    let c2 = fitted(Stage::Differentiation);
    let others = [
        (Stage::Engagement, fitted(Stage::Engagement)),
        (Stage::Working, fitted(Stage::Working)),
    ];
    let mut pooled: Vec<(Stage, f64)> = Vec::new();
    let mut level = c2 - margin;
    loop {
        let violating: Vec<(Stage, f64)> = others
            .into_iter()
            .filter(|(s, c)| !pooled.iter().any(|(p, _)| p == s) && level < *c)
            .collect();
        if violating.is_empty() {
            break;
        }
        pooled.extend(violating);
        let w2 = weight(Stage::Differentiation, Channel::Conflict);
        let (mut num, mut den) = (w2 * (c2 - margin), w2);
        for (s, c) in &pooled {
            let w = weight(*s, Channel::Conflict);
            num += w * c;
            den += w;
        }
        level = (num / den).clamp(0.0, 6.0 - margin);
    }
    if !pooled.is_empty() {
        for (s, _) in &pooled {
            model.emissions.get_mut(*s).conflict.mean = level;
        }
        model.emissions.differentiation.conflict.mean = level + margin;
    }
}

const fn channel_index(channel: Channel) -> usize {
    match channel {
        Channel::Engaged => 0,
        Channel::Avoiding => 1,
        Channel::Conflict => 2,
    }
}

fn max_change(a: &Model, b: &Model) -> f64 {
    let mut change: f64 = 0.0;
    for (x, y) in a.initial.to_array().iter().zip(b.initial.to_array()) {
        change = change.max((x - y).abs());
    }
    for (ra, rb) in a.transitions.to_rows().iter().zip(b.transitions.to_rows()) {
        for (x, y) in ra.iter().zip(rb) {
            change = change.max((x - y).abs());
        }
    }
    for stage in Stage::ALL {
        for channel in Channel::ALL {
            let (ga, gb) = (
                a.emissions.get(stage).get(channel),
                b.emissions.get(stage).get(channel),
            );
            change = change
                .max((ga.mean - gb.mean).abs())
                .max((ga.sd - gb.sd).abs());
        }
    }
    if change.is_nan() {
        f64::INFINITY
    } else {
        change
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::simulate;
    use rand::{SeedableRng, rngs::StdRng};

    fn groups_from(model: &Model, count: usize, seed: u64) -> Vec<TrainingGroup> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..count)
            .map(|_| {
                let horizon = Horizon::Planned(16);
                let (_, observations) = simulate(model, horizon, 16, &mut rng);
                TrainingGroup {
                    horizon,
                    observations,
                }
            })
            .collect()
    }

    #[test]
    fn re_estimation_moves_towards_the_data_and_versions_the_result() {
        let mut truth = Model::domain();
        truth.emissions.working.engaged.mean = 4.6;
        truth.emissions.differentiation.conflict.mean = 2.9;
        truth.emissions.engagement.avoiding.mean = 3.6;
        let groups = groups_from(&truth, 80, 11);
        let fitted = fit(&Model::domain(), &groups, &FitOptions::default()).unwrap();
        assert_eq!(fitted.version, 2);
        let summary = fitted.fitted.clone().unwrap();
        assert_eq!((summary.groups, summary.prior_version), (80, 1));
        assert!(
            summary.converged && summary.log_likelihood.is_finite(),
            "{summary:?}"
        );
        let e3 = fitted.emissions.working.engaged.mean;
        let c2 = fitted.emissions.differentiation.conflict.mean;
        let a1 = fitted.emissions.engagement.avoiding.mean;
        assert!((e3 - 4.6).abs() < 0.2, "E_S3 {e3}");
        assert!((c2 - 2.9).abs() < 0.25, "C_S2 {c2}");
        assert!((a1 - 3.6).abs() < 0.25, "A_S1 {a1}");
        // The ending stage is learned from the forced sessions.
        assert!((fitted.emissions.ending.engaged.mean - 4.0).abs() < 0.2);
        // Fitted models serialise and load like any other (JSON parsing may differ in the
        // last bit of a float).
        let from_json = Model::from_json(&fitted.to_json().unwrap()).unwrap();
        assert!(max_change(&from_json, &fitted) < 1e-12);
        assert_eq!(from_json.fitted, fitted.fitted);
        assert_eq!(
            Model::from_toml(&fitted.to_toml().unwrap()).unwrap(),
            fitted
        );
    }

    #[test]
    fn orderings_hold_even_when_the_data_reverse_them() {
        // Groups whose "differentiation" has the least conflict and whose "working" stage
        // is the least engaged.
        let mut reversed = Model::domain();
        reversed.emissions.differentiation.conflict.mean = 0.5;
        reversed.emissions.working.engaged.mean = 2.0;
        reversed.emissions.working.conflict.mean = 2.5;
        let groups = groups_from(&reversed, 40, 12);
        let options = FitOptions {
            mean_strength: 0.5,
            ..FitOptions::default()
        };
        let fitted = fit(&Model::domain(), &groups, &options).unwrap();
        let e = &fitted.emissions;
        let margin = options.order_margin - 1e-9;
        assert!(
            e.working.engaged.mean >= e.engagement.engaged.mean + margin,
            "{e:?}"
        );
        assert!(
            e.differentiation.conflict.mean >= e.engagement.conflict.mean + margin,
            "{e:?}"
        );
        assert!(
            e.differentiation.conflict.mean >= e.working.conflict.mean + margin,
            "{e:?}"
        );
    }

    #[test]
    fn too_few_groups_or_groups_without_answers_are_refused() {
        let groups = groups_from(&Model::domain(), 19, 13);
        assert_eq!(
            fit(&Model::domain(), &groups, &FitOptions::default()),
            Err(FitError::TooFewGroups {
                needed: 20,
                got: 19
            })
        );
        let empty = vec![
            TrainingGroup {
                horizon: Horizon::OpenEnded,
                observations: vec![Climate::MISSING; 5],
            };
            30
        ];
        assert!(matches!(
            fit(&Model::domain(), &empty, &FitOptions::default()),
            Err(FitError::TooFewGroups { got: 0, .. })
        ));
    }

    #[test]
    fn junk_inputs_give_a_valid_model() {
        let mut groups = groups_from(&Model::domain(), 20, 14);
        for group in &mut groups {
            group.observations.push(Climate {
                engaged: Some(f64::NAN),
                avoiding: Some(f64::INFINITY),
                conflict: Some(-1e308),
            });
            group.observations.push(Climate::MISSING);
        }
        groups.push(TrainingGroup {
            horizon: Horizon::Planned(1),
            observations: vec![Climate::new(6.0, 6.0, 6.0)],
        });
        let options = FitOptions {
            max_iterations: 5,
            ..FitOptions::default()
        };
        let fitted = fit(&Model::domain(), &groups, &options).unwrap();
        fitted.validate().unwrap();
        assert_eq!(fitted.fitted.unwrap().iterations, 5);
    }
}
