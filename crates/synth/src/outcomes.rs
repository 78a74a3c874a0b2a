//! Synthetic PHQ-9 and GAD-7 answers for the demo group at a few sessions (intake, middle,
//! latest): most members mild and easing, the resisting member starting in the clinical
//! range and improving reliably, the withdrawing member getting reliably worse. The risk
//! item (PHQ-9 item 9) is always 0, so the demo raises no SAFETY alert of its own.

use rand::Rng;

use crate::climate::{ClimatePlan, ClimateSession, MemberRole};

/// The sessions at which the demo's members fill in the outcome measures.
pub const OUTCOME_SESSIONS: [u32; 3] = [1, 4, 7];

/// One member's answers to one instrument at one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeAnswers {
    pub session: u32,
    /// Member index in the plan.
    pub member: usize,
    /// `phq9` or `gad7`.
    pub instrument: &'static str,
    /// Item values in item order (PHQ-9: 9, GAD-7: 7), each 0–3.
    pub answers: Vec<u8>,
}

/// Totals (PHQ-9, GAD-7) at intake, and the change per outcome session after it.
fn course(role: MemberRole, rng: &mut impl Rng) -> [(i32, i32); 2] {
    match role {
        MemberRole::Typical => [
            (rng.random_range(5..=9), -rng.random_range(1..=2)),
            (rng.random_range(4..=7), -1),
        ],
        MemberRole::Resisting => [(13, -7), (9, -3)],
        MemberRole::Withdrawing { .. } => [(9, 7), (6, 5)],
    }
}

/// `total` spread over `items` items of 0–3 (risk items, listed, stay 0), with a little
/// randomness in where the points fall.
fn spread(total: i32, items: usize, risk: &[usize], rng: &mut impl Rng) -> Vec<u8> {
    let open: Vec<usize> = (0..items).filter(|i| !risk.contains(i)).collect();
    let mut answers = vec![0u8; items];
    let capacity = i32::try_from(open.len() * 3).unwrap_or(0);
    let mut left = total.clamp(0, capacity);
    while left > 0 {
        let pick = open.get(rng.random_range(0..open.len())).copied();
        if let Some(slot) = pick.and_then(|i| answers.get_mut(i))
            && *slot < 3
        {
            *slot += 1;
            left -= 1;
        }
    }
    answers
}

/// The demo's outcome answers: every member who attended an [`OUTCOME_SESSIONS`] session
/// answers both measures there.
pub fn demo_outcomes(
    plan: &ClimatePlan,
    sessions: &[ClimateSession],
    rng: &mut impl Rng,
) -> Vec<OutcomeAnswers> {
    let courses: Vec<[(i32, i32); 2]> = plan.members.iter().map(|m| course(m.role, rng)).collect();
    let mut out = Vec::new();
    for session in sessions
        .iter()
        .filter(|s| OUTCOME_SESSIONS.contains(&s.number))
    {
        let step = OUTCOME_SESSIONS
            .iter()
            .position(|n| *n == session.number)
            .map_or(0, |p| i32::try_from(p).unwrap_or(0));
        for (member, (draw, course)) in session.members.iter().zip(&courses).enumerate() {
            if draw.answers.is_none() {
                continue;
            }
            let [(phq, phq_step), (gad, gad_step)] = *course;
            out.push(OutcomeAnswers {
                session: session.number,
                member,
                instrument: "phq9",
                answers: spread(phq + phq_step * step, 9, &[8], rng),
            });
            out.push(OutcomeAnswers {
                session: session.number,
                member,
                instrument: "gad7",
                answers: spread(gad + gad_step * step, 7, &[], rng),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::climate::{demo_climate, demo_plan};
    use rand::{SeedableRng, rngs::StdRng};

    fn total(answers: &[u8]) -> i32 {
        answers.iter().map(|a| i32::from(*a)).sum()
    }

    #[test]
    fn answers_are_on_the_scale_with_the_planned_totals_and_no_risk() {
        let mut rng = StdRng::seed_from_u64(5);
        let sessions = demo_climate(7, &mut rng);
        let outcomes = demo_outcomes(&demo_plan(7), &sessions, &mut rng);
        assert!(!outcomes.is_empty());
        for o in &outcomes {
            assert!(o.answers.iter().all(|a| *a <= 3));
            assert_eq!(o.answers.len(), if o.instrument == "phq9" { 9 } else { 7 });
            if o.instrument == "phq9" {
                assert_eq!(o.answers[8], 0, "the risk item stays 0");
            }
        }
        // The withdrawing member (5) gets reliably worse on PHQ-9 by session 4 (Δ 6).
        let phq = |session, member| {
            outcomes
                .iter()
                .find(|o| o.session == session && o.member == member && o.instrument == "phq9")
                .map(|o| total(&o.answers))
        };
        assert!(phq(4, 5).unwrap() - phq(1, 5).unwrap() >= 6);
        // Member 3 left after session 3: nothing at 4 or 7; member 5 missed 7.
        assert_eq!(phq(4, 3), None);
        assert_eq!(phq(7, 5), None);
    }

    #[test]
    fn spreading_keeps_the_total_within_the_items() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(total(&spread(12, 9, &[8], &mut rng)), 12);
        assert_eq!(total(&spread(40, 9, &[8], &mut rng)), 24);
        assert_eq!(total(&spread(-3, 7, &[], &mut rng)), 0);
    }
}
