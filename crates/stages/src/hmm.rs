//! The stage model ready to run: log parameters, emission log-densities, and the forward,
//! backward and Viterbi recursions. Everything is in log space; the ending stage is entered
//! only by the forcing of [`Horizon`], with probability 1, and never left.

use crate::logspace::{LogP, NEG_INF, add, arg_max, log_sum_exp, normalise, to_probs};
use crate::{Channel, Climate, Horizon, Model, ModelError, Stage, StageProbs};

/// ln √(2π).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
/// From every state into the ending stage, with certainty (a forced session).
const INTO_ENDING: [LogP; 4] = [[NEG_INF, NEG_INF, NEG_INF, 0.0]; 4];
const ENDING_ONLY: LogP = [NEG_INF, NEG_INF, NEG_INF, 0.0];
const INFERRED: [bool; 4] = [true, true, true, false];
const ENDING: [bool; 4] = [false, false, false, true];

/// One channel's Gaussian, pre-computed for log-densities.
#[derive(Debug, Clone, Copy)]
struct LogNormal {
    mean: f64,
    /// 1 / (2σ²)
    half_precision: f64,
    /// −ln σ − ln √(2π)
    log_norm: f64,
}

impl LogNormal {
    fn log_density(&self, x: f64) -> f64 {
        let d = x - self.mean;
        self.log_norm - d * d * self.half_precision
    }
}

/// A validated model compiled for inference.
#[derive(Debug, Clone)]
pub struct Hmm {
    model: Model,
    log_initial: LogP,
    /// Transition log-probabilities, one array per *destination* state (columns).
    columns: [LogP; 4],
    /// Transition log-probabilities, one array per *source* state (rows).
    rows: [LogP; 4],
    emissions: [[LogNormal; 3]; 4],
}

/// Filtered and smoothed posteriors and the Viterbi path of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub sessions: Vec<SessionStage>,
    /// log P(observations) under the model.
    pub log_likelihood: f64,
}

/// One session's stage: `stage` from Viterbi (the most likely whole path), `posterior`
/// from forward filtering (what was knowable right after the session), `smoothed` from
/// forward–backward (in hindsight, given every session).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SessionStage {
    pub session: u32,
    pub stage: Stage,
    pub posterior: StageProbs,
    pub smoothed: StageProbs,
}

/// The forward pass: normalised log α per session and the log-likelihood.
#[derive(Debug, Clone)]
pub(crate) struct Forward {
    pub alpha: Vec<LogP>,
    pub log_likelihood: f64,
}

impl Hmm {
    /// Validates `model` and pre-computes its logs.
    pub fn new(model: &Model) -> Result<Self, ModelError> {
        model.validate()?;
        Ok(Self::compile(model))
    }

    /// The DOMAIN.md §1.4 model, compiled (its numbers are valid; a unit test checks).
    pub fn domain() -> Self {
        Self::compile(&Model::domain())
    }

    fn compile(model: &Model) -> Self {
        let [i0, i1, i2] = renormalised(model.initial.to_array());
        let log_initial = [i0.ln(), i1.ln(), i2.ln(), NEG_INF];
        let mut rows = [ENDING_ONLY; 4];
        for (row, probs) in rows.iter_mut().zip(model.transitions.to_rows()) {
            let [a, b, c] = renormalised(probs);
            *row = [a.ln(), b.ln(), c.ln(), NEG_INF];
        }
        let mut columns = [[NEG_INF; 4]; 4];
        for (i, row) in rows.iter().enumerate() {
            for (column, value) in columns.iter_mut().zip(row) {
                if let Some(slot) = column.get_mut(i) {
                    *slot = *value;
                }
            }
        }
        let mut emissions = [[LogNormal {
            mean: 0.0,
            half_precision: 0.0,
            log_norm: 0.0,
        }; 3]; 4];
        for (slot, stage) in emissions.iter_mut().zip(Stage::ALL) {
            for (cell, channel) in slot.iter_mut().zip(Channel::ALL) {
                let g = model.emissions.get(stage).get(channel);
                *cell = LogNormal {
                    mean: g.mean,
                    half_precision: 1.0 / (2.0 * g.sd * g.sd),
                    log_norm: -g.sd.ln() - LN_SQRT_2PI,
                };
            }
        }
        Self {
            model: model.clone(),
            log_initial,
            columns,
            rows,
            emissions,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// log p(observation | stage) for each stage. A missing channel drops out; a session
    /// with no answers gives 0 for every stage (it says nothing). Inputs are sanitised first.
    pub fn log_emission(&self, observation: &Climate) -> LogP {
        let values = observation.sanitised().to_array();
        let mut out = [0.0; 4];
        for (slot, stage) in out.iter_mut().zip(&self.emissions) {
            for (value, normal) in values.iter().zip(stage) {
                if let Some(x) = value {
                    *slot += normal.log_density(*x);
                }
            }
        }
        out
    }

    pub(crate) fn emissions_of(&self, observations: &[Climate]) -> Vec<LogP> {
        observations.iter().map(|o| self.log_emission(o)).collect()
    }

    /// Log transition matrix into session `session`, as destination columns.
    fn columns_into(&self, horizon: Horizon, session: u32) -> &[LogP; 4] {
        if horizon.is_ending(session) {
            &INTO_ENDING_COLUMNS
        } else {
            &self.columns
        }
    }

    fn rows_into(&self, horizon: Horizon, session: u32) -> &[LogP; 4] {
        if horizon.is_ending(session) {
            &INTO_ENDING
        } else {
            &self.rows
        }
    }

    fn start(&self, horizon: Horizon) -> (LogP, &'static [bool; 4]) {
        if horizon.is_ending(1) {
            (ENDING_ONLY, &ENDING)
        } else {
            (self.log_initial, &INFERRED)
        }
    }

    /// Forward filtering over pre-computed emissions.
    pub(crate) fn forward(&self, horizon: Horizon, emissions: &[LogP]) -> Forward {
        let mut alpha = Vec::with_capacity(emissions.len());
        let mut log_likelihood = 0.0;
        let mut previous: Option<LogP> = None;
        for (session, emission) in (1u32..).zip(emissions) {
            let allowed = allowed(horizon, session);
            let predicted = match &previous {
                None => self.start(horizon).0,
                Some(prev) => {
                    let columns = self.columns_into(horizon, session);
                    columns.map(|column| log_sum_exp(&add(prev, &column)))
                }
            };
            let (norm, total) = normalise(&add(&predicted, emission), allowed);
            log_likelihood += total;
            alpha.push(norm);
            previous = Some(norm);
        }
        Forward {
            alpha,
            log_likelihood: if log_likelihood.is_nan() {
                NEG_INF
            } else {
                log_likelihood
            },
        }
    }

    /// Backward pass: normalised log β per session (any per-session scale cancels when
    /// smoothing).
    pub(crate) fn backward(&self, horizon: Horizon, emissions: &[LogP]) -> Vec<LogP> {
        let mut beta = vec![[0.0; 4]; emissions.len()];
        let mut next: LogP = [0.0; 4];
        let mut session = u32::try_from(emissions.len()).unwrap_or(u32::MAX);
        for (slot, emission) in beta.iter_mut().rev().zip(emissions.iter().rev()) {
            *slot = next;
            // β_{t−1}(i) = log Σ_j A_ij · b_j(o_t) · β_t(j)
            let weighted = add(emission, &next);
            let rows = self.rows_into(horizon, session);
            let stepped = rows.map(|row| log_sum_exp(&add(&row, &weighted)));
            next = normalise(&stepped, &[true; 4]).0;
            session = session.saturating_sub(1);
        }
        beta
    }

    /// Smoothed posteriors γ from α and β.
    pub(crate) fn smooth(horizon: Horizon, alpha: &[LogP], beta: &[LogP]) -> Vec<LogP> {
        (1u32..)
            .zip(alpha.iter().zip(beta))
            .map(|(session, (a, b))| normalise(&add(a, b), allowed(horizon, session)).0)
            .collect()
    }

    /// The single most likely stage path.
    pub(crate) fn viterbi_path(&self, horizon: Horizon, emissions: &[LogP]) -> Vec<Stage> {
        let mut back: Vec<[u8; 4]> = Vec::with_capacity(emissions.len());
        let mut delta: LogP = [NEG_INF; 4];
        for (session, emission) in (1u32..).zip(emissions) {
            let mut pointers = [0u8; 4];
            let scores = if session == 1 {
                self.start(horizon).0
            } else {
                let columns = self.columns_into(horizon, session);
                let mut scores = [NEG_INF; 4];
                for ((score, pointer), column) in
                    scores.iter_mut().zip(pointers.iter_mut()).zip(columns)
                {
                    let (from, best) = arg_max(&add(&delta, column));
                    *score = best;
                    *pointer = u8::try_from(from).unwrap_or(0);
                }
                scores
            };
            // Keep the numbers near zero over thousands of sessions.
            let (_, top) = arg_max(&add(&scores, emission));
            delta = add(&scores, emission);
            if top.is_finite() {
                for d in &mut delta {
                    *d -= top;
                }
            }
            back.push(pointers);
        }
        let mut path = vec![Stage::Engagement; emissions.len()];
        let (mut state, _) = arg_max(&delta);
        for (slot, pointers) in path.iter_mut().zip(&back).rev() {
            *slot = Stage::from_index(state);
            state = usize::from(pointers.get(state).copied().unwrap_or(0));
        }
        path
    }

    /// Forward-filtered posteriors: after each session, given that session and the ones
    /// before it. Observation `i` is session `i + 1`.
    pub fn filter(&self, horizon: Horizon, observations: &[Climate]) -> Vec<StageProbs> {
        let emissions = self.emissions_of(observations);
        self.forward(horizon, &emissions)
            .alpha
            .iter()
            .map(probs)
            .collect()
    }

    /// Forward–backward smoothed posteriors, given every session.
    pub fn smoothed(&self, horizon: Horizon, observations: &[Climate]) -> Vec<StageProbs> {
        let emissions = self.emissions_of(observations);
        let forward = self.forward(horizon, &emissions);
        let beta = self.backward(horizon, &emissions);
        Self::smooth(horizon, &forward.alpha, &beta)
            .iter()
            .map(probs)
            .collect()
    }

    /// The Viterbi path: the most likely sequence of stages.
    pub fn viterbi(&self, horizon: Horizon, observations: &[Climate]) -> Vec<Stage> {
        self.viterbi_path(horizon, &self.emissions_of(observations))
    }

    /// All three at once, sharing the emission computation.
    pub fn timeline(&self, horizon: Horizon, observations: &[Climate]) -> Timeline {
        let emissions = self.emissions_of(observations);
        let forward = self.forward(horizon, &emissions);
        let beta = self.backward(horizon, &emissions);
        let gamma = Self::smooth(horizon, &forward.alpha, &beta);
        let path = self.viterbi_path(horizon, &emissions);
        let sessions = (1u32..)
            .zip(forward.alpha.iter().zip(&gamma).zip(path))
            .map(|(session, ((alpha, gamma), stage))| SessionStage {
                session,
                stage,
                posterior: probs(alpha),
                smoothed: probs(gamma),
            })
            .collect();
        Timeline {
            sessions,
            log_likelihood: forward.log_likelihood,
        }
    }
}

const INTO_ENDING_COLUMNS: [LogP; 4] = [[NEG_INF; 4], [NEG_INF; 4], [NEG_INF; 4], [0.0; 4]];

fn allowed(horizon: Horizon, session: u32) -> &'static [bool; 4] {
    if horizon.is_ending(session) {
        &ENDING
    } else {
        &INFERRED
    }
}

fn probs(log: &LogP) -> StageProbs {
    StageProbs::from_array(to_probs(log))
}

fn renormalised(probs: [f64; 3]) -> [f64; 3] {
    let sum: f64 = probs.iter().sum();
    if sum > 0.0 {
        probs.map(|p| p / sum)
    } else {
        [1.0 / 3.0; 3]
    }
}

#[cfg(test)]
mod tests;
