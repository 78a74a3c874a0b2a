//! A synthetic group for the chart samples and the benchmark: `sessions` × `members`, moving
//! through engagement, differentiation and working to a planned ending, with gaps (sessions
//! nobody answered, sessions without a transcript), late arrivals, a member who joins and
//! one who leaves. Deterministic: a hash of the position stands in for randomness.

use circlework_reports::{
    AttendanceInput, AttendanceMark, AttendanceRow, ClimateSession, ProfileSession, StageSession,
    TimelineUtterance, TrajectoryInput, stage_sessions,
};
use domain::ProcessCode;
use measures::{Registry, score, spread, trajectory};
use stages::features::{ProcessBasis, ProcessRates};
use stages::{Climate, Hmm, Horizon, Stage};

/// Everything the dashboard and a member page draw.
#[derive(Debug)]
pub struct Dataset {
    pub climate: Vec<ClimateSession>,
    pub stages: Vec<StageSession>,
    pub attendance: AttendanceInput,
    pub profile: Vec<ProfileSession>,
    pub utterances: Vec<TimelineUtterance>,
    pub trajectory: Option<TrajectoryInput>,
}

/// A number in [0, 1) from a position (SplitMix64).
fn unit(a: u64, b: u64, c: u64) -> f64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(c.wrapping_mul(0x94D0_49BB_1331_11EB))
        .wrapping_add(0x2545_F491_4F6C_DD1D);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The stage a session was in, by its position in the group's life.
fn stage_at(session: u32, sessions: u32) -> Stage {
    let t = f64::from(session) / f64::from(sessions.max(1));
    if Horizon::Planned(sessions).is_ending(session) {
        Stage::Ending
    } else if t < 0.2 {
        Stage::Engagement
    } else if t < 0.45 {
        Stage::Differentiation
    } else {
        Stage::Working
    }
}

pub fn dataset(sessions: u32, members: usize) -> Dataset {
    let numbers: Vec<u32> = (1..=sessions).collect();
    let mut climate = Vec::new();
    for &s in &numbers {
        let (e, a, c) = match stage_at(s, sessions) {
            Stage::Engagement => (2.6, 3.4, 1.0),
            Stage::Differentiation => (3.0, 2.6, 3.3),
            Stage::Working => (4.5, 1.7, 1.2),
            Stage::Ending => (4.2, 1.9, 0.8),
        };
        // Every ninth session nobody answered.
        if s % 9 == 5 {
            climate.push(ClimateSession {
                session: s,
                ..ClimateSession::default()
            });
            continue;
        }
        let member = |base: f64, channel: u64| {
            (0..members as u64)
                .map(move |m| (base + 2.0 * unit(u64::from(s), m, channel) - 1.0).clamp(0.0, 6.0))
        };
        climate.push(ClimateSession {
            session: s,
            engaged: spread(member(e, 1)),
            avoiding: spread(member(a, 2)),
            conflict: spread(member(c, 3)),
        });
    }

    let observations: Vec<Climate> = climate
        .iter()
        .map(|c| Climate {
            engaged: c.engaged.map(|s| s.mean),
            avoiding: c.avoiding.map(|s| s.mean),
            conflict: c.conflict.map(|s| s.mean),
        })
        .collect();
    let horizon = Horizon::Planned(sessions);
    let timeline = Hmm::domain().timeline(horizon, &observations);
    // The facilitator calls most sessions, mostly as the model does, sometimes a stage late.
    let calls: Vec<(u32, Stage)> = numbers
        .iter()
        .filter(|s| unit(u64::from(**s), 0, 7) < 0.75)
        .map(|&s| {
            let own = if unit(u64::from(s), 0, 8) < 0.2 {
                stage_at(s.saturating_sub(2).max(1), sessions)
            } else {
                stage_at(s, sessions)
            };
            (s, own)
        })
        .collect();
    let stages = stage_sessions(&timeline, horizon, &calls);

    let codes = [
        "M-7K2Q", "M-ABCD", "M-HJ4R", "M-PQ9X", "M-ZT3W", "M-N8VE", "M-C6MF", "M-RW2D",
    ];
    let attendance = AttendanceInput {
        sessions: numbers.clone(),
        members: (0..members)
            .map(|m| AttendanceRow {
                member: codes
                    .get(m)
                    .map_or_else(|| format!("M-X{m:03}"), |c| (*c).to_owned()),
                marks: numbers
                    .iter()
                    .map(|&s| {
                        if m == members.saturating_sub(1) && s < 5 {
                            return AttendanceMark::NotEnrolled;
                        }
                        if m == 2 && s > sessions.saturating_sub(8) {
                            return AttendanceMark::Absent;
                        }
                        let r = unit(u64::from(s), m as u64, 4);
                        match r {
                            r if r < 0.78 => AttendanceMark::Present,
                            r if r < 0.84 => AttendanceMark::Late,
                            r if r < 0.88 => AttendanceMark::LeftEarly,
                            r if r < 0.93 => AttendanceMark::Excused,
                            r if r < 0.99 => AttendanceMark::Absent,
                            _ => AttendanceMark::NotRecorded,
                        }
                    })
                    .collect(),
            })
            .collect(),
    };

    let profile = numbers
        .iter()
        .map(|&s| {
            let rates = (s % 7 != 3).then(|| {
                let (hostile, support) = match stage_at(s, sessions) {
                    Stage::Engagement => (1.0, 4.0),
                    Stage::Differentiation => (5.5, 3.0),
                    Stage::Working => (1.2, 8.5),
                    Stage::Ending => (0.5, 9.0),
                };
                let mut per_100 = [0.0; 14];
                for (i, slot) in per_100.iter_mut().enumerate() {
                    *slot = 2.0 + 6.0 * unit(u64::from(s), i as u64, 5);
                }
                let jitter = |k: u64| 0.6 + 0.8 * unit(u64::from(s), k, 6);
                for (code, rate) in [
                    (ProcessCode::Hostility, hostile * 0.6 * jitter(1)),
                    (ProcessCode::Judgment, hostile * 0.4 * jitter(2)),
                    (ProcessCode::Support, support * jitter(3)),
                    (ProcessCode::Facilitation, 22.0 * jitter(4)),
                    (ProcessCode::Safety, 0.0),
                ] {
                    if let Some(slot) = per_100.get_mut(code as usize) {
                        *slot = rate;
                    }
                }
                ProcessRates {
                    basis: ProcessBasis::Utterances,
                    units: 150 + (unit(u64::from(s), 0, 9) * 100.0) as u32,
                    per_100,
                }
            });
            ProfileSession { session: s, rates }
        })
        .collect();

    let utterances = (0..600u64)
        .map(|i| {
            let heated = (140..190).contains(&i) || (420..440).contains(&i);
            let warm = (250..330).contains(&i);
            let r = unit(i, 0, 10);
            let mut codes = Vec::new();
            if r < if heated { 0.35 } else { 0.03 } {
                codes.push(if r < 0.02 {
                    ProcessCode::Judgment
                } else {
                    ProcessCode::Hostility
                });
            }
            if unit(i, 1, 10) < if warm { 0.3 } else { 0.05 } {
                codes.push(ProcessCode::Support);
            }
            TimelineUtterance {
                start: Some(i as f64 * 9.0),
                codes,
            }
        })
        .collect();

    Dataset {
        climate,
        stages,
        attendance,
        profile,
        utterances,
        trajectory: phq9(sessions),
    }
}

/// A member's PHQ-9 line falling from moderately severe to mild, two sessions unanswered.
fn phq9(sessions: u32) -> Option<TrajectoryInput> {
    let registry = Registry::bundled().ok()?;
    let def = registry.get("phq9")?;
    let scores: Vec<(u32, measures::Score)> = (1..=sessions)
        .filter_map(|s| {
            let total = if s % 11 == 4 {
                None
            } else {
                let t = f64::from(s) / f64::from(sessions.max(1));
                let noise = 3.0 * unit(u64::from(s), 0, 11) - 1.5;
                Some((17.0 - 10.0 * t + noise).round().clamp(0.0, 27.0) as u8)
            };
            let answers: Vec<Option<u8>> = match total {
                Some(t) => (0..9u8)
                    .map(|item| Some(t.saturating_sub(item * 3).min(3)))
                    .collect(),
                None => vec![None; 9],
            };
            score(def, &answers).ok().map(|sc| (s, sc))
        })
        .collect();
    let line = trajectory(def, "total", &scores)?;
    Some(TrajectoryInput::from_measures("PHQ-9", def, &line, |s| *s))
}
