//! Synthetic GCQ-S climate answers: each member's 12 answers (0–6) per session, drawn from the
//! stage model's emissions (DOMAIN.md §1.4) along a chosen stage path (DOMAIN.md §1.3: ideal,
//! initial resistance, minimal), with absences, members leaving, a resisting member and a
//! withdrawing one. Also each attending member's talk and the session's hostility and
//! judgment counts, so a demo has process data that fits its stage.

use domain::AttendanceStatus;
use rand::Rng;
use stages::simulate::standard_normal;
use stages::{Climate, Horizon, Model, Stage, StateEmission};

/// GCQ-S items of each subscale (1-based): engaged, avoiding, conflict (DOMAIN.md §3.1).
pub const ENGAGED_ITEMS: [usize; 5] = [1, 2, 4, 8, 11];
pub const AVOIDING_ITEMS: [usize; 3] = [3, 5, 9];
pub const CONFLICT_ITEMS: [usize; 4] = [6, 7, 10, 12];

/// The climate trajectories of DOMAIN.md §1.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagePath {
    /// Engagement, then a differentiation stretch (conflict peaks), then working: rising
    /// engagement, low–high–low conflict.
    Ideal,
    /// Conflict from the start, then settling: high–low–low conflict, low–average–average
    /// engagement (mandated groups).
    InitialResistance,
    /// Flat: the group stays in engagement.
    Minimal,
}

/// The stage of every planned session along `path`, ending forced as the model does.
pub fn stage_path(path: StagePath, planned: u32) -> Vec<Stage> {
    let horizon = Horizon::Planned(planned);
    let before_ending = horizon
        .first_ending_session()
        .map_or(planned, |s| s.saturating_sub(1));
    let share = |percent: u32| ((before_ending * percent + 50) / 100).max(1);
    (1..=planned)
        .map(|session| {
            if horizon.is_ending(session) {
                return Stage::Ending;
            }
            match path {
                StagePath::Ideal => {
                    if session <= share(20) {
                        Stage::Engagement
                    } else if session <= share(20) + share(30) {
                        Stage::Differentiation
                    } else {
                        Stage::Working
                    }
                }
                StagePath::InitialResistance => {
                    if session <= share(35) {
                        Stage::Differentiation
                    } else if session <= share(60) {
                        Stage::Engagement
                    } else {
                        Stage::Working
                    }
                }
                StagePath::Minimal => Stage::Engagement,
            }
        })
        .collect()
}

/// How a member behaves beyond the group's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberRole {
    Typical,
    /// More conflict and avoidance and less engagement than the group, easing once the group
    /// is working.
    Resisting,
    /// From this session on: engagement and talk fall session by session.
    Withdrawing {
        from_session: u32,
    },
}

/// One member's plan: role, when on the roster, and which sessions they miss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPlan {
    pub role: MemberRole,
    pub joins_at: u32,
    /// Last session on the roster, if they leave.
    pub leaves_after: Option<u32>,
    /// No-shows.
    pub absent: Vec<u32>,
    pub excused: Vec<u32>,
    pub late: Vec<u32>,
}

impl MemberPlan {
    pub fn typical() -> Self {
        Self {
            role: MemberRole::Typical,
            joins_at: 1,
            leaves_after: None,
            absent: Vec::new(),
            excused: Vec::new(),
            late: Vec::new(),
        }
    }

    fn on_roster(&self, session: u32) -> bool {
        session >= self.joins_at && self.leaves_after.is_none_or(|last| session <= last)
    }

    fn attendance(&self, session: u32) -> Option<AttendanceStatus> {
        if !self.on_roster(session) {
            None
        } else if self.absent.contains(&session) {
            Some(AttendanceStatus::Absent)
        } else if self.excused.contains(&session) {
            Some(AttendanceStatus::Excused)
        } else if self.late.contains(&session) {
            Some(AttendanceStatus::Late)
        } else {
            Some(AttendanceStatus::Present)
        }
    }
}

/// A group to draw: its plan, path, how many sessions were held, and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClimatePlan {
    pub planned: u32,
    /// Sessions to draw (the first `held` of the path).
    pub held: u32,
    pub path: StagePath,
    pub members: Vec<MemberPlan>,
}

/// One member in one drawn session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberDraw {
    /// `None` when not on the roster.
    pub attendance: Option<AttendanceStatus>,
    /// The 12 GCQ-S answers (item 1 first), for members who attended.
    pub answers: Option<[u8; 12]>,
    /// Utterances, for members who attended.
    pub talk: Option<u32>,
}

/// One drawn session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClimateSession {
    pub number: u32,
    /// The stage the session was drawn from (the hidden truth).
    pub stage: Stage,
    /// By member, in the plan's order.
    pub members: Vec<MemberDraw>,
    /// Utterances of the session, facilitators included.
    pub utterances: u32,
    pub hostility: u32,
    pub judgment: u32,
}

/// Draws every held session of `plan` from `model`'s emissions.
pub fn draw(plan: &ClimatePlan, model: &Model, rng: &mut impl Rng) -> Vec<ClimateSession> {
    let path = stage_path(plan.path, plan.planned);
    // A member's lasting tendency: small offsets from the group on each subscale.
    let offsets: Vec<[f64; 3]> = plan
        .members
        .iter()
        .map(|_| [0.0; 3].map(|_: f64| 0.3 * standard_normal(rng)))
        .collect();
    (1..=plan.held)
        .map(|number| {
            let stage = path
                .get(number as usize - 1)
                .copied()
                .unwrap_or(Stage::Ending);
            let emission = model.emissions.get(stage);
            // The session's group level: most of the emission spread is between sessions.
            let level = group_level(emission, rng);
            let members: Vec<MemberDraw> = plan
                .members
                .iter()
                .zip(&offsets)
                .map(|(member, offset)| draw_member(member, *offset, level, stage, number, rng))
                .collect();
            let member_talk: u32 = members.iter().filter_map(|m| m.talk).sum();
            let utterances = member_talk + member_talk / 4 + 5;
            let rate = match stage {
                Stage::Differentiation => 3.5,
                Stage::Working => 1.0,
                Stage::Engagement | Stage::Ending => 0.5,
            };
            let expected = rate * f64::from(utterances) / 100.0;
            let hostile_judging = (expected + expected.sqrt() * standard_normal(rng))
                .round()
                .max(0.0) as u32;
            ClimateSession {
                number,
                stage,
                members,
                utterances,
                hostility: hostile_judging / 2,
                judgment: hostile_judging - hostile_judging / 2,
            }
        })
        .collect()
}

fn group_level(emission: &StateEmission, rng: &mut impl Rng) -> [f64; 3] {
    [emission.engaged, emission.avoiding, emission.conflict]
        .map(|g| g.mean + 0.8 * g.sd * standard_normal(rng))
}

fn draw_member(
    member: &MemberPlan,
    offset: [f64; 3],
    level: [f64; 3],
    stage: Stage,
    session: u32,
    rng: &mut impl Rng,
) -> MemberDraw {
    let attendance = member.attendance(session);
    if !attendance.is_some_and(AttendanceStatus::attended) {
        return MemberDraw {
            attendance,
            answers: None,
            talk: None,
        };
    }
    let mut target = [0.0; 3];
    for ((t, l), o) in target.iter_mut().zip(level).zip(offset) {
        *t = l + o;
    }
    let [engaged, avoiding, conflict] = &mut target;
    let mut talk_factor = 1.0;
    match member.role {
        MemberRole::Typical => {}
        MemberRole::Resisting => {
            let strength = if stage == Stage::Working || stage == Stage::Ending {
                0.5
            } else {
                1.0
            };
            *engaged -= 1.2 * strength;
            *avoiding += 0.8 * strength;
            *conflict += 1.6 * strength;
            talk_factor = 1.3;
        }
        MemberRole::Withdrawing { from_session } if session >= from_session => {
            let steps = f64::from(session - from_session + 1);
            *engaged -= 0.9 * steps;
            *avoiding += 0.4 * steps;
            talk_factor = 0.5f64.powf(steps);
        }
        MemberRole::Withdrawing { .. } => {}
    }
    let mut answers = [0u8; 12];
    for (items, value) in [
        (&ENGAGED_ITEMS[..], *engaged),
        (&AVOIDING_ITEMS[..], *avoiding),
        (&CONFLICT_ITEMS[..], *conflict),
    ] {
        // Session-to-session noise of a member's own rating: with the item noise below, about
        // the measurement error GCQ-S's default member Δ assumes (SD 1.0, r .80; DOMAIN.md §3.2).
        let member_value = value + 0.3 * standard_normal(rng);
        for item in items {
            if let Some(slot) = answers.get_mut(item - 1) {
                let answer = (member_value + 0.5 * standard_normal(rng)).round();
                *slot = answer.clamp(0.0, 6.0) as u8;
            }
        }
    }
    let talk = (talk_factor * (12.0 + 3.0 * standard_normal(rng)))
        .round()
        .max(0.0) as u32;
    MemberDraw {
        attendance,
        answers: Some(answers),
        talk: Some(talk),
    }
}

/// A member's GCQ-S subscale means from their 12 answers (DOMAIN.md §3.1 keys; the measures
/// crate is the product's scorer, this is for synthetic data and tests).
pub fn gcqs_subscales(answers: &[u8; 12]) -> Climate {
    let mean = |items: &[usize]| {
        let sum: u32 = items
            .iter()
            .filter_map(|i| answers.get(i - 1))
            .map(|a| u32::from(*a))
            .sum();
        f64::from(sum) / items.len() as f64
    };
    Climate::new(
        mean(&ENGAGED_ITEMS),
        mean(&AVOIDING_ITEMS),
        mean(&CONFLICT_ITEMS),
    )
}

/// The demo group's climate plan: 12 planned sessions along the ideal path, the first
/// `held` drawn, seven members in the order of [`crate::demo_group`]'s: member 1 resists,
/// member 3 leaves after session 3, member 5 withdraws from session 4 (late twice, then
/// absent two sessions in a row: 6 and 7).
pub fn demo_plan(held: u32) -> ClimatePlan {
    let mut members = vec![MemberPlan::typical(); 7];
    if let Some(m) = members.get_mut(1) {
        m.role = MemberRole::Resisting;
    }
    if let Some(m) = members.get_mut(3) {
        m.leaves_after = Some(3);
    }
    if let Some(m) = members.get_mut(5) {
        m.role = MemberRole::Withdrawing { from_session: 4 };
        m.late = vec![4, 5];
        m.absent = vec![6, 7];
    }
    ClimatePlan {
        planned: 12,
        held: held.min(12),
        path: StagePath::Ideal,
        members,
    }
}

/// A seed whose draw of [`demo_climate`] with 7 held sessions shows the ideal path cleanly:
/// engagement, a differentiation stretch (sessions 3–5) with a conflict alert, then working,
/// and member 5's dropout risk (checked by the alerts crate's demo test).
pub const DEMO_CLIMATE_SEED: u64 = 1;

/// The demo group's climate: [`demo_plan`] drawn from the DOMAIN.md model.
pub fn demo_climate(held: u32, rng: &mut impl Rng) -> Vec<ClimateSession> {
    draw(&demo_plan(held), &Model::domain(), rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};
    use stages::Hmm;

    #[test]
    fn paths_follow_domain_trajectories() {
        use Stage::{Differentiation as D, Ending as X, Engagement as E, Working as W};
        assert_eq!(
            stage_path(StagePath::Ideal, 12),
            [E, E, D, D, D, W, W, W, W, W, X, X]
        );
        assert_eq!(
            stage_path(StagePath::InitialResistance, 12),
            [D, D, D, D, E, E, W, W, W, W, X, X]
        );
        assert_eq!(stage_path(StagePath::Minimal, 4), [E, E, E, X]);
        assert_eq!(stage_path(StagePath::Ideal, 1), [X]);
        assert!(stage_path(StagePath::Ideal, 0).is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_answers() {
        let a = demo_climate(7, &mut StdRng::seed_from_u64(1));
        let b = demo_climate(7, &mut StdRng::seed_from_u64(1));
        let c = demo_climate(7, &mut StdRng::seed_from_u64(2));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 7);
    }

    #[test]
    fn only_attending_members_answer_and_answers_are_on_the_scale() {
        let sessions = demo_climate(12, &mut StdRng::seed_from_u64(3));
        for session in &sessions {
            for member in &session.members {
                let attended = member.attendance.is_some_and(AttendanceStatus::attended);
                assert_eq!(member.answers.is_some(), attended);
                assert_eq!(member.talk.is_some(), attended);
                assert!(member.answers.iter().flatten().all(|a| *a <= 6));
            }
        }
        // Member 3 left after session 3; member 5 missed sessions 6 and 7 in a row.
        assert!(
            sessions[3..]
                .iter()
                .all(|s| s.members[3].attendance.is_none())
        );
        assert_eq!(
            [
                sessions[5].members[5].attendance,
                sessions[6].members[5].attendance
            ],
            [Some(AttendanceStatus::Absent); 2]
        );
    }

    #[test]
    fn the_resisting_member_reports_more_conflict_and_the_withdrawing_one_falls_away() {
        let sessions = demo_climate(12, &mut StdRng::seed_from_u64(4));
        let conflict = |member: usize| {
            let values: Vec<f64> = sessions[..5]
                .iter()
                .filter_map(|s| s.members[member].answers)
                .map(|a| gcqs_subscales(&a).conflict.unwrap())
                .collect();
            values.iter().sum::<f64>() / values.len() as f64
        };
        assert!(
            conflict(1) > conflict(0) + 0.8,
            "{} vs {}",
            conflict(1),
            conflict(0)
        );
        let talk = |session: usize| sessions[session].members[5].talk.unwrap();
        assert!(talk(4) < talk(1), "{} vs {}", talk(4), talk(1));
    }

    #[test]
    fn the_model_recovers_the_ideal_path_from_drawn_answers() {
        let model = Model::domain();
        let hmm = Hmm::new(&model).unwrap();
        let (mut right, mut total) = (0, 0);
        for seed in 0..60 {
            let plan = ClimatePlan {
                members: vec![MemberPlan::typical(); 8],
                ..demo_plan(12)
            };
            let sessions = draw(&plan, &model, &mut StdRng::seed_from_u64(seed));
            let observations: Vec<Climate> = sessions.iter().map(group_mean).collect();
            let path = hmm.viterbi(Horizon::Planned(12), &observations);
            for (session, stage) in sessions.iter().zip(path).take(10) {
                total += 1;
                right += usize::from(session.stage == stage);
            }
        }
        let accuracy = right as f64 / total as f64;
        println!("ideal path recovered from drawn answers: {accuracy:.3} of sessions 1–10");
        assert!(accuracy >= 0.8, "{accuracy}");
    }

    fn group_mean(session: &ClimateSession) -> Climate {
        let scores: Vec<Climate> = session
            .members
            .iter()
            .filter_map(|m| m.answers.as_ref().map(gcqs_subscales))
            .collect();
        let mean = |f: fn(&Climate) -> Option<f64>| {
            let values: Vec<f64> = scores.iter().filter_map(f).collect();
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        };
        Climate {
            engaged: mean(|c| c.engaged),
            avoiding: mean(|c| c.avoiding),
            conflict: mean(|c| c.conflict),
        }
    }
}
