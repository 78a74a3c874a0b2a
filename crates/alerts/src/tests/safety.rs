//! SAFETY from risk items and from `safety` events.

use domain::{EventSource, Severity};

use super::*;

fn risk(session: u32, member: usize, value: f64) -> RiskAnswer {
    RiskAnswer {
        session,
        member,
        instrument: "phq9".to_owned(),
        item: 9,
        value,
        lowest: 0.0,
    }
}

#[test]
fn a_risk_item_above_zero_fires_at_once_and_zero_does_not() {
    let mut group = Group::new(3, 2);
    group.risk = vec![risk(2, 1, 1.0), risk(2, 0, 0.0), risk(1, 2, f64::NAN)];
    let alerts = group.evaluate();
    let safety = of(&alerts, RuleId::Safety);
    assert_eq!(safety.len(), 1, "{alerts:#?}");
    let alert = safety[0];
    assert_eq!(alert.severity, Severity::Urgent);
    assert_eq!(alert.subject, member_subject(1));
    assert_eq!(alert.session, 2);
    assert_eq!(alert.rule_version, 1);
    assert_eq!(alert.evidence.instrument.as_deref(), Some("phq9/item9"));
    assert_eq!(alert.evidence.observed[0].value, 1.0);
    assert_eq!(
        alert.dedupe_key,
        "SAFETY|group:7|member:102|answers|session:2"
    );
    let json = alert.evidence_json();
    assert_eq!(json["triggers"][0], "risk_item");
}

#[test]
fn boundary_the_smallest_answer_above_zero_fires() {
    let mut group = Group::new(1, 1);
    group.risk = vec![risk(1, 0, 0.0)];
    assert!(of(&group.evaluate(), RuleId::Safety).is_empty());
    group.risk = vec![risk(1, 0, 1.0)];
    assert_eq!(of(&group.evaluate(), RuleId::Safety).len(), 1);
    // Two risk items of one member in one session are one alert (CORE-10 item 6 too).
    group.risk.push(RiskAnswer {
        instrument: "core10".to_owned(),
        item: 6,
        ..risk(1, 0, 2.0)
    });
    let alerts = group.evaluate();
    assert_eq!(of(&alerts, RuleId::Safety).len(), 1);
    assert_eq!(
        alerts[0].evidence.instrument.as_deref(),
        Some("phq9/item9,core10/item6")
    );
}

#[test]
fn any_safety_event_fires_tallied_or_coded_even_for_an_unknown_speaker() {
    let mut group = Group::new(2, 3);
    assert!(of(&group.evaluate(), RuleId::Safety).is_empty());
    group.safety = vec![
        SafetyEvent {
            session: 3,
            member: Some(0),
            source: EventSource::Tally,
            utterance_index: None,
        },
        SafetyEvent {
            session: 3,
            member: Some(0),
            source: EventSource::Tally,
            utterance_index: None,
        },
        SafetyEvent {
            session: 2,
            member: None,
            source: EventSource::Transcript,
            utterance_index: Some(41),
        },
    ];
    let alerts = group.evaluate();
    let safety = of(&alerts, RuleId::Safety);
    assert_eq!(safety.len(), 2, "{safety:#?}");
    assert_eq!(
        safety[0].subject,
        domain::AlertSubject::Group {
            group_id: GroupId(7)
        }
    );
    assert_eq!(safety[0].evidence.triggers, ["safety_transcript"]);
    assert_eq!(safety[1].subject, member_subject(0));
    assert!(safety.iter().all(|a| a.severity == Severity::Urgent));
    let count = safety[1]
        .evidence
        .observed
        .iter()
        .find(|o| o.name == "safety_events")
        .unwrap();
    assert_eq!(count.value, 2.0);
}

#[test]
fn an_item_whose_scale_starts_at_one_fires_above_one() {
    // A synthetic risk item on a 1–5 scale.
    let mut group = Group::new(1, 1);
    let answer = |value| RiskAnswer {
        instrument: "synthetic".to_owned(),
        item: 4,
        lowest: 1.0,
        ..risk(1, 0, value)
    };
    group.risk = vec![answer(1.0)];
    assert!(of(&group.evaluate(), RuleId::Safety).is_empty());
    group.risk = vec![answer(2.0)];
    assert_eq!(of(&group.evaluate(), RuleId::Safety).len(), 1);
}
