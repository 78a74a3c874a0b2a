//! Jacobson & Truax (1991): the reliable-change index, the clinical cut-off c, and reading a
//! member's change from baseline as reliable improvement or deterioration and as clinically
//! significant (recovered) or not.

use serde::Serialize;

use crate::definition::{Direction, InstrumentDef, Norms};

/// |RC| above this is reliable at p < .05.
pub const RC_CRITICAL: f64 = 1.96;

/// Slack for comparing changes of means with the reliable-change value (3.4 − 2.2 is not
/// exactly 1.2 in binary).
const EPSILON: f64 = 1e-9;

/// The smallest reliable change: Δ = 1.96 · SD₁ · √(2(1 − r)).
pub fn reliable_change_delta(sd: f64, reliability: f64) -> f64 {
    RC_CRITICAL * sd * (2.0 * (1.0 - reliability)).sqrt()
}

/// RC = (x₂ − x₁) / S_diff with S_diff = √2 · SD₁ · √(1 − r).
pub fn reliable_change_index(baseline: f64, current: f64, sd: f64, reliability: f64) -> f64 {
    let s_diff = std::f64::consts::SQRT_2 * sd * (1.0 - reliability).sqrt();
    (current - baseline) / s_diff
}

/// Cut-off c = (SD₀·M₁ + SD₁·M₀) / (SD₀ + SD₁): the point equally far, in SDs, from the
/// functional (0) and clinical (1) means.
pub fn clinical_cutoff_c(norms: Norms) -> f64 {
    let Norms {
        functional_mean: m0,
        functional_sd: sd0,
        clinical_mean: m1,
        clinical_sd: sd1,
    } = norms;
    (sd0 * m1 + sd1 * m0) / (sd0 + sd1)
}

/// Whether a change is larger than measurement error, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliableChange {
    Improvement,
    Deterioration,
    NoReliableChange,
}

/// Jacobson & Truax's four outcome classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Reliable improvement that ends outside the clinical range, having started in it.
    Recovered,
    /// Reliable improvement, without crossing out of the clinical range.
    Improved,
    Unchanged,
    Deteriorated,
}

/// A member's change on one scale from a baseline score, with the values it was judged by.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Change {
    pub scale: String,
    pub baseline: f64,
    pub current: f64,
    /// current − baseline.
    pub difference: f64,
    /// The reliable-change value used, and where it comes from.
    pub delta: f64,
    pub delta_source: String,
    /// RC itself, when the definition gives the SD and reliability.
    pub index: Option<f64>,
    pub reliable: ReliableChange,
    /// In the clinical range at baseline and now (None: the scale has no clinical cut-off).
    pub baseline_clinical: Option<bool>,
    pub current_clinical: Option<bool>,
    pub outcome: Outcome,
}

impl Change {
    /// Reliable improvement from the clinical range to outside it.
    pub fn clinically_significant(&self) -> bool {
        self.outcome == Outcome::Recovered
    }
}

/// Reads the change from `baseline` to `current` on `scale`; None when the definition has
/// no reliable-change value for that scale. A change of at least Δ is reliable (IAPT
/// convention: PHQ-9 6 or more, GAD-7 4 or more).
pub fn classify_change(
    def: &InstrumentDef,
    scale: &str,
    baseline: f64,
    current: f64,
) -> Option<Change> {
    let direction = def.scale(scale)?.direction;
    let rci = def.reliable_change(scale)?;
    let difference = current - baseline;
    let gain = match direction {
        Direction::HigherBetter => difference,
        Direction::LowerBetter => -difference,
    };
    let reliable = if gain >= rci.delta - EPSILON {
        ReliableChange::Improvement
    } else if -gain >= rci.delta - EPSILON {
        ReliableChange::Deterioration
    } else {
        ReliableChange::NoReliableChange
    };
    let cutoff = def.clinical_cutoff(scale);
    let baseline_clinical = cutoff.map(|c| c.met_by(baseline));
    let current_clinical = cutoff.map(|c| c.met_by(current));
    let outcome = match reliable {
        ReliableChange::Improvement
            if baseline_clinical == Some(true) && current_clinical == Some(false) =>
        {
            Outcome::Recovered
        }
        ReliableChange::Improvement => Outcome::Improved,
        ReliableChange::Deterioration => Outcome::Deteriorated,
        ReliableChange::NoReliableChange => Outcome::Unchanged,
    };
    let index = match (rci.sd, rci.reliability) {
        (Some(sd), Some(r)) => Some(reliable_change_index(baseline, current, sd, r)),
        _ => None,
    };
    Some(Change {
        scale: scale.to_owned(),
        baseline,
        current,
        difference,
        delta: rci.delta,
        delta_source: rci.source.clone(),
        index,
        reliable,
        baseline_clinical,
        current_clinical,
        outcome,
    })
}
