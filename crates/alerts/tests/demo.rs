//! The whole engine on the demo group's synthetic climate: features, stage posteriors and
//! alerts, wired the way the store will wire them. The demo must show a differentiation
//! stretch, a conflict alert and a dropout alert.

use circlework_alerts::{GroupEvidence, RuleId, Thresholds, evaluate};
use domain::{GroupId, MemberId, ProcessCode};
use rand::{SeedableRng, rngs::StdRng};
use stages::features::{MemberSession, Presence, ProcessBasis, ProcessCounts, SessionInput};
use stages::{Climate, Hmm, Horizon, Stage};
use synth::climate::{ClimateSession, gcqs_subscales};

/// The drawn sessions as the features' plain inputs (what the store will assemble).
fn inputs(sessions: &[ClimateSession]) -> Vec<SessionInput> {
    sessions
        .iter()
        .map(|s| {
            let mut process = ProcessCounts::new(ProcessBasis::Utterances, s.utterances);
            process.set(ProcessCode::Hostility, s.hostility);
            process.set(ProcessCode::Judgment, s.judgment);
            SessionInput {
                number: s.number,
                members: s
                    .members
                    .iter()
                    .map(|m| MemberSession {
                        enrolled: m.attendance.is_some(),
                        presence: m.attendance.map(Presence::from_status),
                        climate: m.answers.as_ref().map_or(Climate::MISSING, gcqs_subscales),
                        talk: m.talk,
                        aimed_at: None,
                    })
                    .collect(),
                process: Some(process),
                outcomes: Vec::new(),
            }
        })
        .collect()
}

struct Outcome {
    stages: Vec<Stage>,
    rules: Vec<RuleId>,
    alerts: Vec<circlework_alerts::RaisedAlert>,
}

fn analyse(seed: u64) -> Outcome {
    let drawn = synth::demo_climate(7, &mut StdRng::seed_from_u64(seed));
    let sessions = inputs(&drawn);
    let features = stages::features::compute(&sessions);
    let observations: Vec<Climate> = features.iter().map(|f| f.climate.observation()).collect();
    let horizon = Horizon::Planned(12);
    let hmm = Hmm::domain();
    let timeline = hmm.timeline(horizon, &observations);
    let filtered: Vec<_> = timeline.sessions.iter().map(|s| s.posterior).collect();
    let members: Vec<MemberId> = (1..=7).map(MemberId).collect();
    let evidence = GroupEvidence {
        group: GroupId(1),
        members: &members,
        planned_sessions: Some(12),
        sessions: &sessions,
        features: &features,
        stages: &filtered,
        instruments: &[],
        risk_answers: &[],
        safety_events: &[],
    };
    let alerts = evaluate(&evidence, &Thresholds::default());
    Outcome {
        stages: timeline.sessions.iter().map(|s| s.stage).collect(),
        rules: alerts.iter().map(|a| a.rule).collect(),
        alerts,
    }
}

#[test]
fn the_demo_group_differentiates_then_works_and_raises_conflict_and_dropout_alerts() {
    let seeds = 0..40u64;
    let (mut shaped, mut conflict, mut dropout) = (0, 0, 0);
    for seed in seeds.clone() {
        let outcome = analyse(seed);
        let first_differentiation = outcome
            .stages
            .iter()
            .position(|s| *s == Stage::Differentiation);
        let last_working = outcome.stages.iter().rposition(|s| *s == Stage::Working);
        shaped += usize::from(
            matches!((first_differentiation, last_working), (Some(d), Some(w)) if d < w && d <= 3),
        );
        conflict += usize::from(
            outcome.rules.contains(&RuleId::ConflictEsc)
                || outcome.rules.contains(&RuleId::ConflictExpected),
        );
        dropout += usize::from(outcome.rules.contains(&RuleId::DropoutRisk));
    }
    let n = seeds.count();
    println!(
        "demo over {n} seeds: differentiation then working {shaped}, conflict alert {conflict}, dropout alert {dropout}"
    );
    // Member 5's two no-shows in a row always raise DROPOUT_RISK.
    assert_eq!(dropout, n);
    assert!(shaped * 10 >= n * 8, "{shaped} of {n}");
    assert!(conflict * 10 >= n * 8, "{conflict} of {n}");
}

#[test]
fn the_demo_climate_seed_shows_all_of_it() {
    use Stage::{Differentiation as D, Engagement as E, Working as W};
    let outcome = analyse(synth::climate::DEMO_CLIMATE_SEED);
    assert_eq!(outcome.stages, [E, E, D, D, D, W, W]);
    assert!(
        outcome
            .rules
            .iter()
            .any(|r| matches!(r, RuleId::ConflictEsc | RuleId::ConflictExpected)),
        "{:?}",
        outcome.rules
    );
    // Member 5 (id 6) missed sessions 6 and 7: high risk at 7.
    let missed = domain::AlertSubject::Member {
        group_id: GroupId(1),
        member_id: MemberId(6),
    };
    assert!(outcome.alerts.iter().any(|a| a.rule == RuleId::DropoutRisk
        && a.subject == missed
        && a.session == 7
        && a.severity == domain::Severity::High));
}
