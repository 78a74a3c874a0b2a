//! Session features: the numbers the stage model and the alert rules read, computed from
//! [`SessionInput`]s. Missing stays missing: a channel nobody supplied is `None`, never 0.

use domain::ProcessCode;
use serde::Serialize;

use super::input::{OutcomeScore, ProcessBasis, SessionInput};
use crate::Climate;

/// A mean over respondents, with how many there were and their spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mean {
    pub mean: f64,
    /// Population standard deviation (0 for one respondent).
    pub sd: f64,
    pub n: u32,
}

/// The GCQ-S group means of one session among the members who answered.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ClimateMeans {
    pub engaged: Option<Mean>,
    pub avoiding: Option<Mean>,
    pub conflict: Option<Mean>,
}

impl ClimateMeans {
    /// The means alone: the stage model's observation.
    pub fn observation(&self) -> Climate {
        Climate {
            engaged: self.engaged.map(|m| m.mean),
            avoiding: self.avoiding.map(|m| m.mean),
            conflict: self.conflict.map(|m| m.mean),
        }
    }
}

/// The group mean of one instrument scale in one session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OutcomeMean {
    pub instrument: usize,
    pub mean: Mean,
}

/// Process-code rates of one session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProcessRates {
    pub basis: ProcessBasis,
    pub units: u32,
    /// Events per 100 units, in [`ProcessCode::ALL`] order.
    pub per_100: [f64; 14],
}

impl ProcessRates {
    pub fn rate(&self, code: ProcessCode) -> f64 {
        self.per_100.get(code as usize).copied().unwrap_or(0.0)
    }

    /// `hostility` + `judgment` per 100 units (DOMAIN.md's HOSTILE+JUDGE per 100 turns).
    pub fn hostility_judgment(&self) -> f64 {
        self.rate(ProcessCode::Hostility) + self.rate(ProcessCode::Judgment)
    }
}

/// Everything the model and the rules read about one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionFeatures {
    pub session: u32,
    pub climate: ClimateMeans,
    /// Members who answered at least one GCQ-S subscale.
    pub respondents: u32,
    /// Group means per instrument scale, in order of instrument index.
    pub outcomes: Vec<OutcomeMean>,
    pub process: Option<ProcessRates>,
    /// Each member's share of member talk (utterances or tally marks), by member index;
    /// `None` for members not in the session or when the session has no process data.
    pub talk_share: Vec<Option<f64>>,
    /// Balance of participation: normalised Shannon entropy of the talk shares of the members
    /// in the session (1 = everyone equal, 0 = one member did all the talking); `None` with
    /// fewer than two members present or no member talk.
    pub balance: Option<f64>,
    pub enrolled: u32,
    /// Members with attendance recorded as attended.
    pub attended: u32,
    /// attended / enrolled members whose attendance was recorded; `None` when none was.
    pub attendance_rate: Option<f64>,
    /// Member indexes enrolled now but not at the previous session (none for the first).
    pub joined: Vec<usize>,
    /// Member indexes enrolled at the previous session but not now.
    pub left: Vec<usize>,
}

/// Features of every session, in order; `previous` links come from the slice order.
pub fn compute(sessions: &[SessionInput]) -> Vec<SessionFeatures> {
    let mut out = Vec::with_capacity(sessions.len());
    let mut previous: Option<&SessionInput> = None;
    for session in sessions {
        out.push(session_features(previous, session));
        previous = Some(session);
    }
    out
}

/// Running sums for a mean and a standard deviation.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    n: u32,
    sum: f64,
    square: f64,
}

impl Sums {
    fn add(&mut self, value: Option<f64>) {
        if let Some(x) = value {
            self.n += 1;
            self.sum += x;
            self.square += x * x;
        }
    }

    fn mean(self) -> Option<Mean> {
        if self.n == 0 {
            return None;
        }
        let n = f64::from(self.n);
        let mean = self.sum / n;
        let variance = (self.square / n - mean * mean).max(0.0);
        Some(Mean {
            mean,
            sd: variance.sqrt(),
            n: self.n,
        })
    }
}

/// One session's features; `previous` is the session before it (for joining and leaving).
pub fn session_features(
    previous: Option<&SessionInput>,
    session: &SessionInput,
) -> SessionFeatures {
    let mut engaged = Sums::default();
    let mut avoiding = Sums::default();
    let mut conflict = Sums::default();
    let mut respondents = 0;
    let (mut enrolled, mut attended, mut recorded) = (0u32, 0u32, 0u32);
    for member in &session.members {
        let climate = member.climate.sanitised();
        if !climate.is_missing() {
            respondents += 1;
        }
        engaged.add(climate.engaged);
        avoiding.add(climate.avoiding);
        conflict.add(climate.conflict);
        if member.enrolled {
            enrolled += 1;
            if let Some(presence) = member.presence {
                recorded += 1;
                if presence.attended() {
                    attended += 1;
                }
            }
        }
    }
    let (talk_share, balance) = talk(session);
    SessionFeatures {
        session: session.number,
        climate: ClimateMeans {
            engaged: engaged.mean(),
            avoiding: avoiding.mean(),
            conflict: conflict.mean(),
        },
        respondents,
        outcomes: outcome_means(&session.outcomes),
        process: session.process.and_then(|p| {
            (p.units > 0).then(|| ProcessRates {
                basis: p.basis,
                units: p.units,
                per_100: p.codes.map(|c| 100.0 * f64::from(c) / f64::from(p.units)),
            })
        }),
        talk_share,
        balance,
        enrolled,
        attended,
        attendance_rate: (recorded > 0).then(|| f64::from(attended) / f64::from(recorded)),
        joined: roster_change(session, previous, true),
        left: roster_change(session, previous, false),
    }
}

/// Members enrolled in one session and not the other: `joined` compares now with before.
fn roster_change(now: &SessionInput, before: Option<&SessionInput>, joined: bool) -> Vec<usize> {
    let Some(before) = before else {
        return Vec::new();
    };
    let was = |index: usize| before.members.get(index).is_some_and(|m| m.enrolled);
    now.members
        .iter()
        .enumerate()
        .filter(|(index, m)| {
            if joined {
                m.enrolled && !was(*index)
            } else {
                !m.enrolled && was(*index)
            }
        })
        .map(|(index, _)| index)
        .collect()
}

/// Talk shares among members in the session, and their normalised entropy.
fn talk(session: &SessionInput) -> (Vec<Option<f64>>, Option<f64>) {
    if session.process.is_none() {
        return (vec![None; session.members.len()], None);
    }
    // In the session: recorded as attended, or heard from (attendance may be unrecorded).
    let counted = |m: &super::input::MemberSession| {
        let talk = m.talk.unwrap_or(0);
        let present = m.presence.map_or(talk > 0, |p| p.attended() || talk > 0);
        present.then_some(talk)
    };
    let total: u64 = session
        .members
        .iter()
        .filter_map(counted)
        .map(u64::from)
        .sum();
    if total == 0 {
        return (vec![None; session.members.len()], None);
    }
    let total = total as f64;
    let (mut present, mut entropy) = (0usize, 0.0);
    let shares: Vec<Option<f64>> = session
        .members
        .iter()
        .map(|m| {
            counted(m).map(|c| {
                let p = f64::from(c) / total;
                present += 1;
                if p > 0.0 {
                    entropy -= p * p.ln();
                }
                p
            })
        })
        .collect();
    let balance = (present >= 2).then(|| (entropy / (present as f64).ln()).clamp(0.0, 1.0));
    (shares, balance)
}

fn outcome_means(scores: &[OutcomeScore]) -> Vec<OutcomeMean> {
    let mut sums: Vec<(usize, Sums)> = Vec::new();
    for score in scores {
        let Some(value) = clean_score(score.score) else {
            continue;
        };
        match sums.iter_mut().find(|(i, _)| *i == score.instrument) {
            Some((_, s)) => s.add(Some(value)),
            None => {
                let mut s = Sums::default();
                s.add(Some(value));
                sums.push((score.instrument, s));
            }
        }
    }
    sums.sort_by_key(|(i, _)| *i);
    sums.into_iter()
        .filter_map(|(instrument, s)| s.mean().map(|mean| OutcomeMean { instrument, mean }))
        .collect()
}

/// Scores are used only when finite (an instrument's own range is the scorer's business).
fn clean_score(score: f64) -> Option<f64> {
    score.is_finite().then_some(score)
}
