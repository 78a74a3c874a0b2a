//! Scoring one response: reverse keying, the missing-data rule (prorated sums, means of the
//! answered items), totals, subscales and severity bands; and which risk items were answered.

use serde::Serialize;

use crate::AnswerError;
use crate::definition::{InstrumentDef, Method, MissingRule, Scale};

/// A scale's value: sums are whole numbers (prorated sums rounded half up), means are not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ScaleValue {
    Sum(u32),
    Mean(f64),
}

impl ScaleValue {
    pub fn as_f64(self) -> f64 {
        match self {
            Self::Sum(sum) => f64::from(sum),
            Self::Mean(mean) => mean,
        }
    }
}

/// The total or one subscale of a scored response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ScaleScore {
    /// `total` or the subscale id.
    pub scale: String,
    /// None when the response is invalid, or none of the scale's items were answered.
    pub value: Option<ScaleValue>,
    /// Items of the scale answered, and how many it has (fewer answered: prorated).
    pub answered: usize,
    pub items: usize,
    /// The severity band the value falls in, for scales with bands.
    pub band: Option<String>,
}

impl ScaleScore {
    pub fn prorated(&self) -> bool {
        self.value.is_some() && self.answered < self.items
    }
}

/// Whether the missing-data rule let the response be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "validity", rename_all = "snake_case")]
pub enum Validity {
    Valid {
        missing: usize,
    },
    /// More items missing than the rule allows: no scores.
    Invalid {
        missing: usize,
        max_missing: usize,
    },
}

/// A scored response, with the rule that was applied (the prorating limits are ours: keep
/// them with the score).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Score {
    pub instrument: String,
    pub version: u32,
    pub answered: usize,
    pub missing: usize,
    pub validity: Validity,
    pub rule: MissingRule,
    /// None when the instrument has no total (GCQ-S).
    pub total: Option<ScaleScore>,
    /// One per subscale, in definition order.
    pub subscales: Vec<ScaleScore>,
}

impl Score {
    pub const fn is_valid(&self) -> bool {
        matches!(self.validity, Validity::Valid { .. })
    }

    /// The total or a subscale by id.
    pub fn scale(&self, id: &str) -> Option<&ScaleScore> {
        self.total
            .iter()
            .chain(&self.subscales)
            .find(|scale| scale.scale == id)
    }

    pub fn value(&self, scale: &str) -> Option<f64> {
        self.scale(scale)?.value.map(ScaleValue::as_f64)
    }

    pub fn band(&self) -> Option<&str> {
        self.total.as_ref()?.band.as_deref()
    }
}

/// Checks answers against the items: one per item, each missing or in the item's range.
pub fn check_answers(def: &InstrumentDef, answers: &[Option<u8>]) -> Result<(), AnswerError> {
    if answers.len() != def.items().len() {
        return Err(AnswerError::WrongCount {
            instrument: def.id().to_owned(),
            expected: def.items().len(),
            found: answers.len(),
        });
    }
    for (item, answer) in def.items().iter().zip(answers) {
        if let Some(value) = *answer
            && !item.accepts(value)
        {
            return Err(AnswerError::OutOfRange {
                item: item.n,
                value,
                min: item.min,
                max: item.max,
            });
        }
    }
    Ok(())
}

/// Scores a response: `answers[i]` is item `i + 1`, None when missing.
pub fn score(def: &InstrumentDef, answers: &[Option<u8>]) -> Result<Score, AnswerError> {
    check_answers(def, answers)?;
    let answered = answers.iter().filter(|a| a.is_some()).count();
    let missing = answers.len() - answered;
    let rule = def.missing().clone();
    let valid = missing <= rule.max_missing && answered > 0;
    let validity = if valid {
        Validity::Valid { missing }
    } else {
        Validity::Invalid {
            missing,
            max_missing: rule.max_missing,
        }
    };
    let scale_score = |scale: &Scale| score_scale(def, scale, answers, valid);
    Ok(Score {
        instrument: def.id().to_owned(),
        version: def.version(),
        answered,
        missing,
        validity,
        rule,
        total: def.total().map(scale_score),
        subscales: def.subscales().iter().map(scale_score).collect(),
    })
}

fn score_scale(
    def: &InstrumentDef,
    scale: &Scale,
    answers: &[Option<u8>],
    valid: bool,
) -> ScaleScore {
    let keyed: Vec<u32> = scale
        .items
        .iter()
        .filter_map(|&n| {
            let item = def.item(n)?;
            let answer = (*answers.get(usize::from(n).checked_sub(1)?)?)?;
            Some(u32::from(item.keyed(answer)))
        })
        .collect();
    let answered = keyed.len();
    let items = scale.items.len();
    let value = (valid && answered > 0).then(|| {
        let sum: u32 = keyed.iter().sum();
        match scale.method {
            Method::Sum => {
                let (lo, hi) = sum_bounds(def, scale);
                ScaleValue::Sum(prorate(sum, answered, items).clamp(lo, hi))
            }
            Method::Mean => ScaleValue::Mean(f64::from(sum) / answered as f64),
        }
    });
    let band = match value {
        Some(ScaleValue::Sum(total)) => def
            .bands(&scale.id)
            .find(|band| band.min <= total && total <= band.max)
            .map(|band| band.label.clone()),
        _ => None,
    };
    ScaleScore {
        scale: scale.id.clone(),
        value,
        answered,
        items,
        band,
    }
}

/// The lowest and highest sum of a scale's items (prorating never leaves them).
fn sum_bounds(def: &InstrumentDef, scale: &Scale) -> (u32, u32) {
    scale
        .items
        .iter()
        .filter_map(|&n| def.item(n))
        .fold((0, 0), |(lo, hi), item| {
            (lo + u32::from(item.min), hi + u32::from(item.max))
        })
}

/// sum × items / answered, rounded half up, in whole numbers (no floating-point ties).
pub fn prorate(sum: u32, answered: usize, items: usize) -> u32 {
    if answered == 0 || answered >= items {
        return sum;
    }
    let (sum, answered, items) = (u64::from(sum), answered as u64, items as u64);
    let rounded = (2 * sum * items + answered) / (2 * answered);
    u32::try_from(rounded).unwrap_or(u32::MAX)
}

/// A risk item answered above its lowest value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RiskAnswer {
    pub item: u8,
    pub key: String,
    pub value: u8,
}

/// The risk items (PHQ-9 item 9) answered above their lowest value: each one calls for the
/// SAFETY alert. Missing answers raise nothing.
pub fn risk_answers(def: &InstrumentDef, answers: &[Option<u8>]) -> Vec<RiskAnswer> {
    def.items()
        .iter()
        .zip(answers)
        .filter_map(|(item, answer)| {
            let value = (*answer)?;
            (item.risk && value > item.min).then(|| RiskAnswer {
                item: item.n,
                key: item.key.clone(),
                value,
            })
        })
        .collect()
}
