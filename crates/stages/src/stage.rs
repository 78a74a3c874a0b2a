//! The four canonical stages of group development and a probability for each.

use serde::{Deserialize, Serialize};

/// A stage of group development (DOMAIN.md §1.1), named as it appears in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// S1: forming, orientation; polite, tentative, leader-centred.
    Engagement,
    /// S2: storming, transition; conflict, control bids, challenges to the leader.
    Differentiation,
    /// S3: norming and performing; cohesion and work.
    Working,
    /// S4: adjourning; consolidation and goodbyes. Only in groups with planned sessions.
    Ending,
}

impl Stage {
    /// Every stage, in model order (S1–S4).
    pub const ALL: [Stage; 4] = [
        Self::Engagement,
        Self::Differentiation,
        Self::Working,
        Self::Ending,
    ];

    /// The stable lower-case name used in JSON, CSV and pages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Engagement => "engagement",
            Self::Differentiation => "differentiation",
            Self::Working => "working",
            Self::Ending => "ending",
        }
    }

    /// Position in [`Stage::ALL`] (0 for engagement … 3 for ending).
    pub const fn index(self) -> usize {
        match self {
            Self::Engagement => 0,
            Self::Differentiation => 1,
            Self::Working => 2,
            Self::Ending => 3,
        }
    }

    /// The stage at a position of [`Stage::ALL`]; positions past the end give `Ending`.
    pub const fn from_index(index: usize) -> Self {
        match index {
            0 => Self::Engagement,
            1 => Self::Differentiation,
            2 => Self::Working,
            _ => Self::Ending,
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Stage {
    type Err = UnknownStage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|stage| stage.as_str() == s)
            .ok_or_else(|| UnknownStage(s.to_owned()))
    }
}

/// A stage name that is not one of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage {0:?}; expected engagement, differentiation, working or ending")]
pub struct UnknownStage(pub String);

/// One probability per stage, summing to 1. Serialised as an object keyed by stage name,
/// e.g. `{"engagement": 0.2, "differentiation": 0.7, "working": 0.1, "ending": 0.0}`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct StageProbs {
    pub engagement: f64,
    pub differentiation: f64,
    pub working: f64,
    pub ending: f64,
}

impl StageProbs {
    /// Certainty of one stage.
    pub const fn certain(stage: Stage) -> Self {
        let mut probs = [0.0; 4];
        match stage {
            Stage::Engagement => probs[0] = 1.0,
            Stage::Differentiation => probs[1] = 1.0,
            Stage::Working => probs[2] = 1.0,
            Stage::Ending => probs[3] = 1.0,
        }
        Self::from_array(probs)
    }

    /// From probabilities in [`Stage::ALL`] order.
    pub const fn from_array([engagement, differentiation, working, ending]: [f64; 4]) -> Self {
        Self {
            engagement,
            differentiation,
            working,
            ending,
        }
    }

    /// The probabilities in [`Stage::ALL`] order.
    pub const fn to_array(self) -> [f64; 4] {
        [
            self.engagement,
            self.differentiation,
            self.working,
            self.ending,
        ]
    }

    pub const fn get(&self, stage: Stage) -> f64 {
        match stage {
            Stage::Engagement => self.engagement,
            Stage::Differentiation => self.differentiation,
            Stage::Working => self.working,
            Stage::Ending => self.ending,
        }
    }

    /// The most probable stage (the earlier stage on a tie).
    pub fn most_likely(&self) -> Stage {
        let mut best = Stage::Engagement;
        for stage in Stage::ALL {
            if self.get(stage) > self.get(best) {
                best = stage;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_serialise_lower_case() {
        for stage in Stage::ALL {
            assert_eq!(stage.as_str().parse::<Stage>(), Ok(stage));
            assert_eq!(Stage::from_index(stage.index()), stage);
            assert_eq!(
                serde_json::to_string(&stage).unwrap(),
                format!("\"{}\"", stage.as_str())
            );
        }
        assert!("Working".parse::<Stage>().is_err());
    }

    #[test]
    fn probabilities_serialise_as_an_object_keyed_by_stage() {
        let probs = StageProbs::from_array([0.2, 0.7, 0.1, 0.0]);
        assert_eq!(
            serde_json::to_string(&probs).unwrap(),
            r#"{"engagement":0.2,"differentiation":0.7,"working":0.1,"ending":0.0}"#
        );
        assert_eq!(probs.most_likely(), Stage::Differentiation);
        assert_eq!(StageProbs::certain(Stage::Ending).ending, 1.0);
    }
}
