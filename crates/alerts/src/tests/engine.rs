//! The engine as a whole: any evidence, growing session by session, gives stable alerts —
//! an alert raised on a shorter history comes back identical (same key, same evidence) on
//! every longer one, keys are unique, and nothing is NaN.

use domain::EventSource;
use proptest::prelude::*;
use stages::features::{OutcomeScore, ProcessCounts};
use stages::{Hmm, Horizon};

use super::*;

fn any_presence() -> impl Strategy<Value = Option<Presence>> {
    prop_oneof![
        4 => Just(Some(Presence::Attended)),
        2 => Just(Some(Presence::Absent)),
        1 => Just(Some(Presence::Excused)),
        1 => Just(None),
    ]
}

fn any_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        3 => (0.0..=6.0f64).prop_map(Some),
        2 => Just(None),
        1 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-1e300), Just(1e300)].prop_map(Some),
    ]
}

fn any_member() -> impl Strategy<Value = MemberSession> {
    (
        any_presence(),
        any_value(),
        any_value(),
        proptest::option::of(0u32..40),
        proptest::option::of(0u32..3),
        any::<u8>(),
    )
        .prop_map(|(presence, e, c, talk, aimed_at, roster)| MemberSession {
            // Mostly on the roster; sometimes not (joined later or left).
            enrolled: roster > 20,
            presence,
            climate: Climate {
                engaged: e,
                avoiding: None,
                conflict: c,
            },
            talk,
            aimed_at,
        })
}

prop_compose! {
    fn any_group()(
        members in 1usize..5,
        sessions in 0usize..14,
    )(
        members in Just(members),
        sessions in Just(sessions),
        rows in proptest::collection::vec(proptest::collection::vec(any_member(), members), sessions),
        process in proptest::collection::vec(proptest::option::of((0u32..200, 0u32..20, 0u32..20)), sessions),
        scores in proptest::collection::vec((0usize..2, 0usize..members, prop_oneof![0.0..40.0f64, Just(f64::NAN)], 0usize..sessions.max(1)), 0..30),
        risk in proptest::collection::vec((1u32..16, 0usize..members, 0.0..3.0f64), 0..3),
        events in proptest::collection::vec((1u32..16, proptest::option::of(0usize..6)), 0..3),
        planned in proptest::option::of(1u32..16),
    ) -> Group {
        let mut group = Group::new(members, sessions);
        group.planned = planned;
        for ((session, row), p) in group.sessions.iter_mut().zip(rows).zip(process) {
            session.members = row;
            session.process = p.map(|(units, h, j)| {
                let mut counts = ProcessCounts::new(ProcessBasis::Utterances, units);
                counts.set(domain::ProcessCode::Hostility, h);
                counts.set(domain::ProcessCode::Judgment, j);
                counts
            });
        }
        for (instrument, member, score, position) in scores {
            if let Some(session) = group.sessions.get_mut(position) {
                session.outcomes.push(OutcomeScore { instrument, member, score });
            }
        }
        group.instruments = vec![
            synthetic("phq9", InstrumentRole::Outcome, Direction::LowerBetter, Some(6.0), Some((CompareOp::Ge, 10.0))),
            synthetic("gsrs", InstrumentRole::Alliance, Direction::HigherBetter, Some(5.0), Some((CompareOp::Lt, 36.0))),
        ];
        group.risk = risk.into_iter().map(|(session, member, value)| RiskAnswer { session, member, instrument: "phq9".to_owned(), item: 9, value, lowest: 0.0 }).collect();
        group.safety = events.into_iter().map(|(session, member)| SafetyEvent { session, member, source: EventSource::Tally, utterance_index: None }).collect();
        group
    }
}

impl Group {
    /// The first `len` sessions, with posteriors from the model (filtered, as in production).
    fn prefix(&self, len: usize) -> Group {
        let mut group = Group::new(self.members.len(), 0);
        group.planned = self.planned;
        group.sessions = self.sessions[..len].to_vec();
        group.instruments = self.instruments.clone();
        group.risk = self
            .risk
            .iter()
            .filter(|r| r.session as usize <= len)
            .cloned()
            .collect();
        group.safety = self
            .safety
            .iter()
            .filter(|e| e.session as usize <= len)
            .copied()
            .collect();
        let features = stages::features::compute(&group.sessions);
        let observations: Vec<Climate> = features.iter().map(|f| f.climate.observation()).collect();
        group.stages = Hmm::domain().filter(Horizon::from_planned(self.planned), &observations);
        group
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn alerts_on_a_shorter_history_come_back_unchanged_on_a_longer_one(group in any_group()) {
        let full = group.prefix(group.sessions.len()).evaluate();
        for alert in &full {
            for o in &alert.evidence.observed {
                prop_assert!(o.value.is_finite(), "{alert:#?}");
            }
            prop_assert!(!alert.evidence.triggers.is_empty());
            prop_assert!(alert.evidence.window.0 <= alert.evidence.window.1);
        }
        for len in 0..group.sessions.len() {
            for alert in group.prefix(len).evaluate() {
                let later = full.iter().find(|a| a.dedupe_key == alert.dedupe_key);
                prop_assert_eq!(later, Some(&alert));
            }
        }
    }
}

#[test]
fn empty_groups_and_mismatched_lengths_raise_nothing_and_do_not_panic() {
    let group = Group::new(0, 0);
    assert!(group.evaluate().is_empty());
    let mut group = Group::new(3, 4).conflict(&[Some(5.0); 4]);
    group.stages.truncate(1);
    group.members.truncate(1);
    group.planned = Some(0);
    let alerts = group.evaluate();
    assert_eq!(sessions_of(&alerts, RuleId::ConflictEsc), vec![1]);
}
