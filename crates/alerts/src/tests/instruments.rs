//! ALLIANCE_LOW, NOT_IMPROVING and DETERIORATION on synthetic instrument definitions
//! (SRS, ORS, OQ-45 and GQ are not bundled; PHQ-9-like numbers are used as data only).

use domain::Severity;
use stages::features::OutcomeScore;

use super::*;

/// Scores of member 0 on instrument 0, by session (None: not scored).
fn scored(rule: InstrumentRule, scores: &[Option<f64>]) -> Group {
    let mut group = Group::new(2, scores.len());
    group.instruments = vec![rule];
    for (session, score) in group.sessions.iter_mut().zip(scores) {
        if let Some(score) = score {
            session.outcomes.push(OutcomeScore {
                instrument: 0,
                member: 0,
                score: *score,
            });
        }
    }
    group
}

fn srs() -> InstrumentRule {
    synthetic(
        "srs",
        InstrumentRole::Alliance,
        Direction::HigherBetter,
        Some(5.0),
        Some((CompareOp::Lt, 36.0)),
    )
}

fn phq9_like() -> InstrumentRule {
    synthetic(
        "phq9",
        InstrumentRole::Outcome,
        Direction::LowerBetter,
        Some(6.0),
        Some((CompareOp::Ge, 10.0)),
    )
}

fn ors() -> InstrumentRule {
    synthetic(
        "ors",
        InstrumentRole::Outcome,
        Direction::HigherBetter,
        Some(5.0),
        Some((CompareOp::Lt, 25.0)),
    )
}

#[test]
fn alliance_below_its_cutoff_fires_and_at_it_does_not() {
    let alerts = scored(srs(), &[Some(38.0), Some(35.9), Some(37.0)]).evaluate();
    let low = of(&alerts, RuleId::AllianceLow);
    assert_eq!(low.len(), 1);
    assert_eq!((low[0].session, low[0].severity), (2, Severity::Medium));
    assert_eq!(low[0].evidence.triggers, ["status"]);
    assert_eq!(low[0].evidence.instrument.as_deref(), Some("srs/total"));
    assert_eq!(
        low[0].dedupe_key,
        "ALLIANCE_LOW|group:7|member:101|srs/total|session:2"
    );
    assert!(
        of(
            &scored(srs(), &[Some(38.0), Some(36.0)]).evaluate(),
            RuleId::AllianceLow
        )
        .is_empty()
    );
}

#[test]
fn alliance_reliably_worse_than_the_first_score_fires_as_a_change_alert() {
    let alerts = scored(srs(), &[Some(45.0), None, Some(40.0)]).evaluate();
    let low = of(&alerts, RuleId::AllianceLow);
    assert_eq!(low.len(), 1);
    assert_eq!(low[0].evidence.triggers, ["change"]);
    assert!(
        of(
            &scored(srs(), &[Some(45.0), Some(40.1)]).evaluate(),
            RuleId::AllianceLow
        )
        .is_empty()
    );
}

#[test]
fn deterioration_by_the_reliable_change_fires_and_less_does_not() {
    let alerts = scored(
        phq9_like(),
        &[Some(8.0), Some(10.0), Some(14.0), Some(15.0)],
    )
    .evaluate();
    let worse = of(&alerts, RuleId::Deterioration);
    assert_eq!(worse.len(), 1);
    assert_eq!((worse[0].session, worse[0].severity), (3, Severity::High));
    assert!(
        of(
            &scored(phq9_like(), &[Some(8.0), Some(13.0)]).evaluate(),
            RuleId::Deterioration
        )
        .is_empty()
    );
    // Higher-is-better scale (synthetic OQ-like reversed: ORS): 30 → 25 is a reliable drop.
    let alerts = scored(ors(), &[Some(30.0), Some(25.0)]).evaluate();
    assert_eq!(sessions_of(&alerts, RuleId::Deterioration), vec![2]);
    // No reliable-change value, no deterioration rule.
    let mut no_rci = ors();
    no_rci.rci = None;
    assert!(
        of(
            &scored(no_rci, &[Some(30.0), Some(5.0)]).evaluate(),
            RuleId::Deterioration
        )
        .is_empty()
    );
}

#[test]
fn no_reliable_gain_by_the_fourth_session_asks_for_a_check_in_and_by_the_eighth_a_review() {
    // Intake 15 (clinical), then 10 at session 4: a gain of 5 < 6.
    let mut scores = vec![
        Some(15.0),
        None,
        None,
        Some(10.0),
        None,
        None,
        None,
        Some(11.0),
    ];
    let alerts = scored(phq9_like(), &scores).evaluate();
    let not = of(&alerts, RuleId::NotImproving);
    assert_eq!(not.len(), 2, "{alerts:#?}");
    assert_eq!(
        (not[0].session, not[0].evidence.triggers.clone()),
        (4, vec!["check_in"])
    );
    assert_eq!(
        (not[1].session, not[1].evidence.triggers.clone()),
        (8, vec!["review"])
    );
    assert_eq!(
        not[1].dedupe_key,
        "NOT_IMPROVING|group:7|member:101|phq9/total/review|session:8"
    );
    assert!(not.iter().all(|a| a.severity == Severity::Medium));
    // Boundary: a gain of exactly 6 is reliable.
    scores[3] = Some(9.0);
    scores[7] = Some(9.0);
    assert!(
        of(
            &scored(phq9_like(), &scores).evaluate(),
            RuleId::NotImproving
        )
        .is_empty()
    );
    // Intake not in the clinical range: not judged.
    let fine = [Some(9.0), None, None, Some(9.0)];
    assert!(of(&scored(phq9_like(), &fine).evaluate(), RuleId::NotImproving).is_empty());
    // Higher-is-better (synthetic ORS): intake 20 < 25, then 24 (+4 < 5) fires, 25 (+5) does not.
    let alerts = scored(ors(), &[Some(20.0), None, None, Some(24.0)]).evaluate();
    assert_eq!(sessions_of(&alerts, RuleId::NotImproving), vec![4]);
    assert!(
        of(
            &scored(ors(), &[Some(20.0), None, None, Some(25.0)]).evaluate(),
            RuleId::NotImproving
        )
        .is_empty()
    );
}

#[test]
fn checks_count_the_members_own_sessions() {
    // Member joins at group session 3: their 4th session is group session 6.
    let mut group = scored(
        phq9_like(),
        &[None, None, Some(16.0), None, Some(14.0), None],
    );
    for number in 1..=2 {
        group.member(number, 0).enrolled = false;
    }
    assert_eq!(
        sessions_of(&group.evaluate(), RuleId::NotImproving),
        vec![6]
    );
}
