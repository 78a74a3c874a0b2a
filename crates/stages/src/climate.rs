//! A GCQ-S climate reading (engaged, avoiding, conflict on the 0–6 scale), any part of which
//! may be missing. It is both a member's own subscale scores and a session's group means,
//! and it is the stage model's observation.

use serde::{Deserialize, Serialize};

/// Lowest and highest value on the GCQ-S answer scale.
pub const SCALE_MIN: f64 = 0.0;
pub const SCALE_MAX: f64 = 6.0;

/// The three GCQ-S subscales. `None` is a channel nobody answered: missing, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Climate {
    pub engaged: Option<f64>,
    pub avoiding: Option<f64>,
    pub conflict: Option<f64>,
}

/// The three channels, in model order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Engaged,
    Avoiding,
    Conflict,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Self::Engaged, Self::Avoiding, Self::Conflict];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Engaged => "engaged",
            Self::Avoiding => "avoiding",
            Self::Conflict => "conflict",
        }
    }
}

impl Climate {
    /// A session without any answers: a missing observation.
    pub const MISSING: Climate = Climate {
        engaged: None,
        avoiding: None,
        conflict: None,
    };

    /// All three channels present.
    pub const fn new(engaged: f64, avoiding: f64, conflict: f64) -> Self {
        Self {
            engaged: Some(engaged),
            avoiding: Some(avoiding),
            conflict: Some(conflict),
        }
    }

    pub const fn get(&self, channel: Channel) -> Option<f64> {
        match channel {
            Channel::Engaged => self.engaged,
            Channel::Avoiding => self.avoiding,
            Channel::Conflict => self.conflict,
        }
    }

    /// The channels in model order, as an array.
    pub const fn to_array(self) -> [Option<f64>; 3] {
        [self.engaged, self.avoiding, self.conflict]
    }

    pub const fn is_missing(&self) -> bool {
        self.engaged.is_none() && self.avoiding.is_none() && self.conflict.is_none()
    }

    /// The reading as the model uses it: NaN and infinities become missing, finite values
    /// outside the 0–6 scale are clamped onto it (a GCQ-S mean cannot lie outside it, and
    /// clamping keeps every likelihood finite).
    pub fn sanitised(self) -> Self {
        Self {
            engaged: clean_value(self.engaged),
            avoiding: clean_value(self.avoiding),
            conflict: clean_value(self.conflict),
        }
    }
}

/// One value as the model uses it (see [`Climate::sanitised`]).
pub fn clean_value(value: Option<f64>) -> Option<f64> {
    value
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(SCALE_MIN, SCALE_MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_values_become_missing_and_extremes_are_clamped() {
        let raw = Climate {
            engaged: Some(f64::NAN),
            avoiding: Some(f64::INFINITY),
            conflict: Some(-1e300),
        };
        let clean = raw.sanitised();
        assert_eq!(clean.engaged, None);
        assert_eq!(clean.avoiding, None);
        assert_eq!(clean.conflict, Some(0.0));
        assert!(!clean.is_missing());
        assert!(Climate::MISSING.is_missing());
        assert_eq!(Climate::new(9.0, 3.0, 1.0).sanitised().engaged, Some(6.0));
    }
}
