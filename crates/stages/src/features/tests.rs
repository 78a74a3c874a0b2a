//! Session features: means among respondents, rates, shares, balance, attendance, roster.

use domain::ProcessCode;
use proptest::prelude::*;

use super::*;
use crate::Climate;

fn member(presence: Presence, climate: Climate, talk: Option<u32>) -> MemberSession {
    MemberSession {
        enrolled: true,
        presence: Some(presence),
        climate,
        talk,
        aimed_at: None,
    }
}

fn session(number: u32, members: Vec<MemberSession>) -> SessionInput {
    SessionInput {
        number,
        members,
        process: None,
        outcomes: Vec::new(),
    }
}

#[test]
fn climate_means_are_over_respondents_only_and_missing_stays_missing() {
    let input = session(
        1,
        vec![
            member(Presence::Attended, Climate::new(4.0, 2.0, 1.0), None),
            member(
                Presence::Attended,
                Climate {
                    engaged: Some(2.0),
                    avoiding: None,
                    conflict: Some(f64::NAN),
                },
                None,
            ),
            member(Presence::Absent, Climate::MISSING, None),
        ],
    );
    let f = session_features(None, &input);
    assert_eq!(f.respondents, 2);
    let engaged = f.climate.engaged.unwrap();
    assert_eq!((engaged.mean, engaged.sd, engaged.n), (3.0, 1.0, 2));
    assert_eq!(f.climate.avoiding.unwrap().n, 1);
    assert_eq!(f.climate.conflict.unwrap().mean, 1.0);
    assert_eq!(f.process, None);
    assert_eq!(f.balance, None);
    assert_eq!(f.talk_share, vec![None, None, None]);
    assert_eq!(f.attendance_rate, Some(2.0 / 3.0));

    let nobody = session_features(
        None,
        &session(2, vec![member(Presence::Absent, Climate::MISSING, None)]),
    );
    assert_eq!(nobody.climate.observation(), Climate::MISSING);
    assert_eq!(nobody.respondents, 0);
}

#[test]
fn rates_are_per_hundred_units_and_shares_among_members_present() {
    let mut input = session(
        1,
        vec![
            member(Presence::Attended, Climate::MISSING, Some(30)),
            member(Presence::Attended, Climate::MISSING, Some(10)),
            member(Presence::Attended, Climate::MISSING, None),
            member(Presence::Absent, Climate::MISSING, None),
        ],
    );
    let mut counts = ProcessCounts::new(ProcessBasis::Utterances, 50);
    counts.set(ProcessCode::Hostility, 2);
    counts.set(ProcessCode::Judgment, 1);
    input.process = Some(counts);
    let f = session_features(None, &input);
    let rates = f.process.unwrap();
    assert_eq!(rates.rate(ProcessCode::Hostility), 4.0);
    assert_eq!(rates.hostility_judgment(), 6.0);
    assert_eq!(f.talk_share, vec![Some(0.75), Some(0.25), Some(0.0), None]);
    // Entropy of (0.75, 0.25, 0) over ln 3.
    let expected = -(0.75f64 * 0.75f64.ln() + 0.25 * 0.25f64.ln()) / 3f64.ln();
    assert!((f.balance.unwrap() - expected).abs() < 1e-12);

    input.process = Some(ProcessCounts::new(ProcessBasis::TalliedEvents, 0));
    assert_eq!(session_features(None, &input).process, None);
}

#[test]
fn balance_is_one_for_equal_talk_and_zero_for_one_speaker() {
    let mut input = session(
        1,
        vec![member(Presence::Attended, Climate::MISSING, Some(5)); 4],
    );
    input.process = Some(ProcessCounts::new(ProcessBasis::TalliedEvents, 20));
    assert!((session_features(None, &input).balance.unwrap() - 1.0).abs() < 1e-12);
    for m in input.members.iter_mut().skip(1) {
        m.talk = Some(0);
    }
    assert_eq!(session_features(None, &input).balance, Some(0.0));
    input.members.truncate(1);
    assert_eq!(session_features(None, &input).balance, None);
}

#[test]
fn joining_and_leaving_compare_with_the_previous_session() {
    let enrolled = member(Presence::Attended, Climate::MISSING, None);
    let not = MemberSession::default();
    let first = session(1, vec![enrolled, enrolled, not]);
    let second = session(2, vec![enrolled, not, enrolled]);
    let features = compute(&[first, second]);
    assert!(features[0].joined.is_empty() && features[0].left.is_empty());
    assert_eq!(features[1].joined, vec![2]);
    assert_eq!(features[1].left, vec![1]);
    assert_eq!(features[1].enrolled, 2);
}

#[test]
fn outcome_means_are_per_instrument_and_skip_non_finite_scores() {
    let mut input = session(1, vec![]);
    input.outcomes = vec![
        OutcomeScore {
            instrument: 1,
            member: 0,
            score: 12.0,
        },
        OutcomeScore {
            instrument: 0,
            member: 0,
            score: 30.0,
        },
        OutcomeScore {
            instrument: 1,
            member: 1,
            score: 8.0,
        },
        OutcomeScore {
            instrument: 1,
            member: 2,
            score: f64::NAN,
        },
    ];
    let f = session_features(None, &input);
    assert_eq!(f.outcomes.len(), 2);
    assert_eq!(
        (f.outcomes[0].instrument, f.outcomes[0].mean.mean),
        (0, 30.0)
    );
    assert_eq!(
        (
            f.outcomes[1].instrument,
            f.outcomes[1].mean.mean,
            f.outcomes[1].mean.n
        ),
        (1, 10.0, 2)
    );
    assert_eq!(f.attendance_rate, None);
}

proptest! {
    #[test]
    fn features_are_finite_and_shares_sum_to_one(
        talks in proptest::collection::vec(proptest::option::of(0u32..u32::MAX), 0..20),
        units in 0u32..u32::MAX,
        climate in proptest::collection::vec(proptest::option::of(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -1e9..1e9f64]), 0..20),
    ) {
        let members: Vec<MemberSession> = talks
            .iter()
            .zip(climate.iter().chain(std::iter::repeat(&None)))
            .map(|(talk, c)| member(Presence::Attended, Climate { engaged: *c, avoiding: *c, conflict: *c }, *talk))
            .collect();
        let mut input = session(1, members);
        let mut counts = ProcessCounts::new(ProcessBasis::Utterances, units);
        counts.set(ProcessCode::Hostility, u32::MAX);
        input.process = Some(counts);
        let f = session_features(None, &input);
        if let Some(rates) = f.process {
            prop_assert!(rates.per_100.iter().all(|r| r.is_finite()));
        }
        let shares: Vec<f64> = f.talk_share.iter().flatten().copied().collect();
        if !shares.is_empty() {
            prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        if let Some(b) = f.balance {
            prop_assert!((0.0..=1.0).contains(&b));
        }
        for mean in [f.climate.engaged, f.climate.avoiding, f.climate.conflict].into_iter().flatten() {
            prop_assert!((0.0..=6.0).contains(&mean.mean) && mean.sd.is_finite());
        }
    }
}
