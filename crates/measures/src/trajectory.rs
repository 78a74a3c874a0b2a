//! What the charts draw: one member's scores on a scale over sessions, with the cut-off lines
//! and the reliable-change band around their baseline; and a group's spread on a scale in one
//! session (the GCQ-S means per session).

use serde::Serialize;

use crate::change::{Change, classify_change};
use crate::definition::{Cutoff, Direction, InstrumentDef, Rci};
use crate::score::Score;

/// The band of no reliable change around the baseline: baseline ± Δ, kept inside the scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChangeBand {
    pub low: f64,
    pub high: f64,
}

/// One session on a member's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TrajectoryPoint<K> {
    /// The caller's session key (an id, a date, a number).
    pub at: K,
    /// None when the response was invalid (too many missing) or the scale unscored.
    pub value: Option<f64>,
    pub band: Option<String>,
    /// Change from the baseline (the first valid score), when the scale has a Δ.
    pub change: Option<Change>,
}

/// A member's scores on one scale over sessions, ready to chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Trajectory<K> {
    pub instrument: String,
    pub scale: String,
    pub label: String,
    pub direction: Direction,
    /// The scale's lowest and highest values (the chart's axis).
    pub range: (f64, f64),
    pub cutoffs: Vec<Cutoff>,
    pub reliable_change: Option<Rci>,
    /// The first valid score.
    pub baseline: Option<f64>,
    pub change_band: Option<ChangeBand>,
    pub points: Vec<TrajectoryPoint<K>>,
}

/// A member's line on `scale`; `scores` in session order (the first valid one is the
/// baseline). None when the instrument has no such scale.
pub fn trajectory<K: Clone>(
    def: &InstrumentDef,
    scale: &str,
    scores: &[(K, Score)],
) -> Option<Trajectory<K>> {
    let found = def.scale(scale)?;
    let range = def.scale_range(found);
    let rci = def.reliable_change(scale).cloned();
    let baseline = scores.iter().find_map(|(_, score)| score.value(scale));
    let change_band = match (baseline, &rci) {
        (Some(baseline), Some(rci)) => Some(ChangeBand {
            low: (baseline - rci.delta).max(range.0),
            high: (baseline + rci.delta).min(range.1),
        }),
        _ => None,
    };
    let points = scores
        .iter()
        .map(|(at, score)| {
            let value = score.value(scale);
            TrajectoryPoint {
                at: at.clone(),
                value,
                band: score.scale(scale).and_then(|s| s.band.clone()),
                change: baseline
                    .zip(value)
                    .and_then(|(baseline, value)| classify_change(def, scale, baseline, value)),
            }
        })
        .collect();
    Some(Trajectory {
        instrument: def.id().to_owned(),
        scale: scale.to_owned(),
        label: found.label.clone(),
        direction: found.direction,
        range,
        cutoffs: def.cutoffs(scale).cloned().collect(),
        reliable_change: rci,
        baseline,
        change_band,
        points,
    })
}

/// A line for the total and for each subscale.
pub fn trajectories<K: Clone>(def: &InstrumentDef, scores: &[(K, Score)]) -> Vec<Trajectory<K>> {
    def.scales()
        .filter_map(|scale| trajectory(def, &scale.id, scores))
        .collect()
}

/// How a set of values spreads: the group's GCQ-S subscale in one session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (0 for a single value).
    pub sd: f64,
    pub min: f64,
    pub max: f64,
}

/// Mean, SD and range of the finite values; None when there are none.
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
    let values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(Spread {
        n,
        mean,
        sd,
        min,
        max,
    })
}

/// The group's spread on `scale` in one session, over the members' valid scores.
pub fn group_spread<'a>(
    scores: impl IntoIterator<Item = &'a Score>,
    scale: &str,
) -> Option<Spread> {
    spread(scores.into_iter().filter_map(|score| score.value(scale)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, Registry, score};

    fn phq9() -> InstrumentDef {
        Registry::bundled().unwrap().get("phq9").unwrap().clone()
    }

    fn scored(def: &InstrumentDef, answers: [Option<u8>; 9]) -> Score {
        score(def, &answers).unwrap()
    }

    #[test]
    fn a_member_line_has_baseline_band_cutoffs_and_change() {
        let def = phq9();
        let s = |v: u8| {
            scored(
                &def,
                [
                    Some(v),
                    Some(v),
                    Some(v),
                    Some(v),
                    Some(v),
                    Some(v),
                    Some(1),
                    Some(1),
                    Some(0),
                ],
            )
        };
        let invalid = scored(
            &def,
            [
                None,
                None,
                None,
                Some(1),
                Some(1),
                Some(1),
                Some(1),
                Some(1),
                Some(1),
            ],
        );
        // Session 1 invalid, then totals 14, 8, 20.
        let sessions = vec![(1, invalid), (2, s(2)), (3, s(1)), (4, s(3))];
        let line = trajectory(&def, "total", &sessions).unwrap();
        assert_eq!(line.range, (0.0, 27.0));
        assert_eq!(line.baseline, Some(14.0));
        assert_eq!(
            line.change_band,
            Some(ChangeBand {
                low: 8.0,
                high: 20.0
            })
        );
        assert_eq!(line.cutoffs.len(), 1);
        assert_eq!(line.points.len(), 4);
        assert_eq!(line.points[0].value, None);
        assert!(line.points[0].change.is_none());
        assert_eq!(line.points[2].value, Some(8.0));
        assert_eq!(line.points[2].band.as_deref(), Some("mild"));
        let recovered = line.points[2].change.as_ref().unwrap();
        assert_eq!(recovered.outcome, Outcome::Recovered);
        assert_eq!(
            line.points[3].change.as_ref().unwrap().outcome,
            Outcome::Deteriorated
        );
        assert!(trajectory(&def, "engaged", &sessions).is_none());
        assert_eq!(trajectories(&def, &sessions).len(), 1);
    }

    #[test]
    fn the_change_band_stays_inside_the_scale() {
        let def = phq9();
        let low = scored(
            &def,
            [
                Some(1),
                Some(1),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
            ],
        );
        let line = trajectory(&def, "total", &[("a", low)]).unwrap();
        assert_eq!(
            line.change_band,
            Some(ChangeBand {
                low: 0.0,
                high: 8.0
            })
        );
    }

    #[test]
    fn group_spread_is_mean_sd_and_range_of_valid_scores() {
        let gcqs = Registry::bundled().unwrap().get("gcqs").unwrap().clone();
        let member = |v: u8| score(&gcqs, &[Some(v); 12]).unwrap();
        let none = score(&gcqs, &[None; 12]).unwrap();
        let scores = [member(2), member(4), member(6), none];
        let spread = group_spread(&scores, "conflict").unwrap();
        assert_eq!(spread.n, 3);
        assert_eq!(spread.mean, 4.0);
        assert_eq!(spread.sd, 2.0);
        assert_eq!((spread.min, spread.max), (2.0, 6.0));
        assert_eq!(group_spread(&scores[3..], "conflict"), None);
        assert_eq!(spread_of_one(), 0.0);
    }

    fn spread_of_one() -> f64 {
        spread([3.5]).unwrap().sd
    }
}
