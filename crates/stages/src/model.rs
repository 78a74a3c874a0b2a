//! The stage model's parameters (DOMAIN.md §1.4, §6.2) as a serialisable, versioned value:
//! the DOMAIN.md priors are version 1; re-estimation produces later versions.

use serde::{Deserialize, Serialize};

use crate::{Channel, Stage};

/// Smallest and largest standard deviation a model may have: below 0.05 one session could
/// outweigh a hundred, and no GCQ-S mean varies by more than the scale's width.
pub const SD_MIN: f64 = 0.05;
pub const SD_MAX: f64 = 6.0;
/// How far probabilities in a file may stray from summing to 1 (they are renormalised).
const SUM_TOLERANCE: f64 = 1e-6;

/// A normal distribution of one channel in one stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gaussian {
    pub mean: f64,
    pub sd: f64,
}

/// Emissions of one stage: an independent normal per channel (diagonal covariance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateEmission {
    pub engaged: Gaussian,
    pub avoiding: Gaussian,
    pub conflict: Gaussian,
}

impl StateEmission {
    pub const fn get(&self, channel: Channel) -> Gaussian {
        match channel {
            Channel::Engaged => self.engaged,
            Channel::Avoiding => self.avoiding,
            Channel::Conflict => self.conflict,
        }
    }

    pub fn get_mut(&mut self, channel: Channel) -> &mut Gaussian {
        match channel {
            Channel::Engaged => &mut self.engaged,
            Channel::Avoiding => &mut self.avoiding,
            Channel::Conflict => &mut self.conflict,
        }
    }

    const fn of(e: (f64, f64), a: (f64, f64), c: (f64, f64)) -> Self {
        Self {
            engaged: Gaussian { mean: e.0, sd: e.1 },
            avoiding: Gaussian { mean: a.0, sd: a.1 },
            conflict: Gaussian { mean: c.0, sd: c.1 },
        }
    }
}

/// Emissions of all four stages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emissions {
    pub engagement: StateEmission,
    pub differentiation: StateEmission,
    pub working: StateEmission,
    pub ending: StateEmission,
}

impl Emissions {
    pub const fn get(&self, stage: Stage) -> &StateEmission {
        match stage {
            Stage::Engagement => &self.engagement,
            Stage::Differentiation => &self.differentiation,
            Stage::Working => &self.working,
            Stage::Ending => &self.ending,
        }
    }

    pub fn get_mut(&mut self, stage: Stage) -> &mut StateEmission {
        match stage {
            Stage::Engagement => &mut self.engagement,
            Stage::Differentiation => &mut self.differentiation,
            Stage::Working => &mut self.working,
            Stage::Ending => &mut self.ending,
        }
    }
}

/// Probabilities over the three inferred stages (the ending stage is forced, never entered
/// by chance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferredProbs {
    pub engagement: f64,
    pub differentiation: f64,
    pub working: f64,
}

impl InferredProbs {
    pub const fn from_array([engagement, differentiation, working]: [f64; 3]) -> Self {
        Self {
            engagement,
            differentiation,
            working,
        }
    }

    pub const fn to_array(self) -> [f64; 3] {
        [self.engagement, self.differentiation, self.working]
    }
}

/// Transition probabilities from each inferred stage to each inferred stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transitions {
    pub engagement: InferredProbs,
    pub differentiation: InferredProbs,
    pub working: InferredProbs,
}

impl Transitions {
    /// Rows (from) of columns (to), in stage order.
    pub const fn to_rows(self) -> [[f64; 3]; 3] {
        [
            self.engagement.to_array(),
            self.differentiation.to_array(),
            self.working.to_array(),
        ]
    }

    pub const fn from_rows([engagement, differentiation, working]: [[f64; 3]; 3]) -> Self {
        Self {
            engagement: InferredProbs::from_array(engagement),
            differentiation: InferredProbs::from_array(differentiation),
            working: InferredProbs::from_array(working),
        }
    }
}

/// How a re-estimated model was fitted, kept with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitSummary {
    /// The version of the model that was both the starting point and the prior.
    pub prior_version: u32,
    pub groups: u32,
    pub sessions: u32,
    pub iterations: u32,
    pub converged: bool,
    /// Log-likelihood of the training groups under the fitted model.
    pub log_likelihood: f64,
}

/// The stage model: initial and transition probabilities over S1–S3, Gaussian emissions
/// for S1–S4. Version 1 feeds the GCQ-S engaged, avoiding and conflict means only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// 1 for the DOMAIN.md priors; each re-estimation adds one.
    pub version: u32,
    /// What the parameters are, in words.
    pub description: String,
    pub initial: InferredProbs,
    pub transitions: Transitions,
    pub emissions: Emissions,
    /// Present on re-estimated models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fitted: Option<FitSummary>,
}

impl Default for Model {
    fn default() -> Self {
        Self::domain()
    }
}

/// A model file or value that cannot be used, naming the field and the problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
    #[error("the model is not valid JSON: {0}")]
    Json(String),
    #[error("the model is not valid TOML: {0}")]
    Toml(String),
}

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> ModelError {
    ModelError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

impl Model {
    /// The parameters of DOMAIN.md §1.4 (all design priors, marked (H) there).
    pub fn domain() -> Self {
        Self {
            version: 1,
            description: "DOMAIN.md §1.4 priors (design heuristics, not fitted)".to_owned(),
            initial: InferredProbs::from_array([0.90, 0.08, 0.02]),
            transitions: Transitions::from_rows([
                [0.60, 0.35, 0.05],
                [0.05, 0.55, 0.40],
                [0.00, 0.10, 0.90],
            ]),
            emissions: Emissions {
                engagement: StateEmission::of((3.0, 0.8), (3.2, 0.8), (1.0, 0.6)),
                differentiation: StateEmission::of((3.0, 0.8), (2.8, 0.8), (2.2, 0.8)),
                working: StateEmission::of((4.0, 0.7), (2.2, 0.8), (1.1, 0.6)),
                ending: StateEmission::of((4.0, 0.7), (2.5, 0.8), (0.9, 0.6)),
            },
            fitted: None,
        }
    }

    /// Checks every number: probabilities in 0–1 summing to 1 (within 1e-6), means on the
    /// 0–6 scale, standard deviations between [`SD_MIN`] and [`SD_MAX`].
    pub fn validate(&self) -> Result<(), ModelError> {
        check_probs("initial", self.initial.to_array())?;
        for (stage, row) in Stage::ALL.iter().zip(self.transitions.to_rows()) {
            check_probs(format!("transitions.{stage}"), row)?;
        }
        for stage in Stage::ALL {
            let emission = self.emissions.get(stage);
            for channel in Channel::ALL {
                let g = emission.get(channel);
                let field = format!("emissions.{stage}.{}", channel.as_str());
                if !(g.mean.is_finite() && (0.0..=6.0).contains(&g.mean)) {
                    return Err(invalid(
                        format!("{field}.mean"),
                        format!("must be between 0 and 6 (is {})", g.mean),
                    ));
                }
                if !(g.sd.is_finite() && (SD_MIN..=SD_MAX).contains(&g.sd)) {
                    return Err(invalid(
                        format!("{field}.sd"),
                        format!("must be between {SD_MIN} and {SD_MAX} (is {})", g.sd),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Reads and validates a model from JSON.
    pub fn from_json(text: &str) -> Result<Self, ModelError> {
        let model: Self =
            serde_json::from_str(text).map_err(|e| ModelError::Json(e.to_string()))?;
        model.validate()?;
        Ok(model)
    }

    /// Reads and validates a model from TOML.
    pub fn from_toml(text: &str) -> Result<Self, ModelError> {
        let model: Self = toml::from_str(text).map_err(|e| ModelError::Toml(e.to_string()))?;
        model.validate()?;
        Ok(model)
    }

    pub fn to_json(&self) -> Result<String, ModelError> {
        serde_json::to_string_pretty(self).map_err(|e| ModelError::Json(e.to_string()))
    }

    pub fn to_toml(&self) -> Result<String, ModelError> {
        toml::to_string(self).map_err(|e| ModelError::Toml(e.to_string()))
    }
}

fn check_probs(field: impl Into<String>, probs: [f64; 3]) -> Result<(), ModelError> {
    let field = field.into();
    if probs.iter().any(|p| !p.is_finite() || *p < 0.0 || *p > 1.0) {
        return Err(invalid(field, "each probability must be between 0 and 1"));
    }
    let sum: f64 = probs.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(invalid(
            field,
            format!("probabilities must sum to 1 (they sum to {sum})"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_model_is_valid_and_round_trips_through_json_and_toml() {
        let model = Model::domain();
        model.validate().unwrap();
        assert_eq!(Model::from_json(&model.to_json().unwrap()).unwrap(), model);
        let toml = model.to_toml().unwrap();
        assert!(toml.contains("[emissions.working.engaged]"), "{toml}");
        assert_eq!(Model::from_toml(&toml).unwrap(), model);
    }

    #[test]
    fn bad_numbers_are_named() {
        let mut model = Model::domain();
        model.transitions.working.working = 0.5;
        let err = model.validate().unwrap_err().to_string();
        assert!(err.starts_with("transitions.working:"), "{err}");

        let mut model = Model::domain();
        model.emissions.ending.conflict.sd = 0.0;
        let err = model.validate().unwrap_err().to_string();
        assert!(err.starts_with("emissions.ending.conflict.sd"), "{err}");

        let mut model = Model::domain();
        model.emissions.engagement.engaged.mean = f64::NAN;
        assert!(model.validate().is_err());
        assert!(Model::from_json("{\"version\": 1}").is_err());
    }
}
