//! CONFLICT_ESC and CONFLICT_EXPECTED.

use domain::Severity;
use stages::features::ProcessBasis;

use super::*;

#[test]
fn conflict_at_the_level_fires_and_just_below_does_not() {
    let group = Group::new(4, 3).conflict(&[Some(2.5), Some(3.0), Some(2.0)]);
    let alerts = group.evaluate();
    let esc = of(&alerts, RuleId::ConflictEsc);
    assert_eq!(esc.len(), 1, "{alerts:#?}");
    assert_eq!(esc[0].session, 2);
    assert_eq!(esc[0].severity, Severity::High);
    assert_eq!(esc[0].evidence.triggers, ["conflict_level"]);
    assert_eq!(esc[0].dedupe_key, "CONFLICT_ESC|group:7|session:2");
    assert!(
        esc[0]
            .evidence
            .thresholds
            .iter()
            .any(|t| t.name == "conflict_level" && t.value == 3.0)
    );

    let quiet = Group::new(4, 3).conflict(&[Some(2.5), Some(2.99), Some(2.0)]);
    assert!(of(&quiet.evaluate(), RuleId::ConflictEsc).is_empty());
}

#[test]
fn a_rise_of_one_since_the_last_session_with_answers_fires() {
    // 1.2 → (no answers) → 2.2: +1.0 exactly, across a session without answers.
    let group = Group::new(3, 3).conflict(&[Some(1.2), None, Some(2.2)]);
    let esc = group.evaluate();
    let esc = of(&esc, RuleId::ConflictEsc);
    assert_eq!(esc.len(), 1);
    assert_eq!(esc[0].session, 3);
    assert_eq!(esc[0].evidence.triggers, ["conflict_rise"]);
    assert_eq!(esc[0].evidence.window, (1, 3));

    let quiet = Group::new(3, 3).conflict(&[Some(1.2), None, Some(2.1)]);
    assert!(of(&quiet.evaluate(), RuleId::ConflictEsc).is_empty());
}

#[test]
fn hostility_and_judgment_at_three_per_hundred_rising_twice_fires() {
    let rising = Group::new(3, 3).hostility(&[Some(1), Some(2), Some(3)], ProcessBasis::Utterances);
    let alerts = rising.evaluate();
    let esc = of(&alerts, RuleId::ConflictEsc);
    assert_eq!(esc.len(), 1, "{alerts:#?}");
    assert_eq!(esc[0].session, 3);
    assert_eq!(esc[0].evidence.triggers, ["hostility_judgment_rising"]);
    assert_eq!(esc[0].evidence.window, (1, 3));

    // Boundary: 2 per 100 at the end is under the rate, even though rising.
    let low = Group::new(3, 3).hostility(&[Some(0), Some(1), Some(2)], ProcessBasis::Utterances);
    assert!(of(&low.evaluate(), RuleId::ConflictEsc).is_empty());
    // High but not rising twice.
    let flat = Group::new(3, 3).hostility(&[Some(4), Some(3), Some(5)], ProcessBasis::Utterances);
    assert!(of(&flat.evaluate(), RuleId::ConflictEsc).is_empty());
    // A tallied session is not compared with transcript rates.
    let mut mixed =
        Group::new(3, 3).hostility(&[Some(1), Some(2), Some(3)], ProcessBasis::Utterances);
    mixed.sessions[0].process.as_mut().unwrap().basis = ProcessBasis::TalliedEvents;
    assert!(of(&mixed.evaluate(), RuleId::ConflictEsc).is_empty());
}

#[test]
fn a_run_of_high_conflict_is_one_alert_and_a_new_run_another() {
    let group =
        Group::new(3, 6).conflict(&[Some(3.1), Some(3.4), None, Some(3.2), Some(1.0), Some(3.5)]);
    let alerts = group.evaluate();
    assert_eq!(sessions_of(&alerts, RuleId::ConflictEsc), vec![1, 6]);
}

#[test]
fn while_the_group_is_differentiating_conflict_is_expected_from_point_six() {
    let mut group = Group::new(3, 2).conflict(&[Some(1.0), Some(3.2)]);
    group.stages[1] = StageProbs::from_array([0.2, 0.6, 0.2, 0.0]);
    let alerts = group.evaluate();
    assert!(of(&alerts, RuleId::ConflictEsc).is_empty());
    let expected = of(&alerts, RuleId::ConflictExpected);
    assert_eq!(expected.len(), 1);
    assert_eq!(expected[0].severity, Severity::Info);
    assert_eq!(
        expected[0].evidence.triggers,
        ["conflict_level", "conflict_rise"]
    );
    assert!(
        expected[0]
            .evidence
            .observed
            .iter()
            .any(|o| o.name == "p_differentiation" && o.value == 0.6)
    );

    group.stages[1] = StageProbs::from_array([0.41, 0.59, 0.0, 0.0]);
    let alerts = group.evaluate();
    assert!(of(&alerts, RuleId::ConflictExpected).is_empty());
    assert_eq!(of(&alerts, RuleId::ConflictEsc).len(), 1);

    // No trigger, no alert, whatever the stage.
    let mut calm = Group::new(3, 2).conflict(&[Some(1.0), Some(1.5)]);
    calm.stages[1] = StageProbs::certain(Stage::Differentiation);
    assert!(of(&calm.evaluate(), RuleId::ConflictExpected).is_empty());
}

#[test]
fn the_organisation_can_lower_the_conflict_level() {
    let mut group = Group::new(3, 1).conflict(&[Some(2.6)]);
    assert!(of(&group.evaluate(), RuleId::ConflictEsc).is_empty());
    group.thresholds = Thresholds::from_settings(&domain::OrganisationSettings {
        alert_conflict_level: 2.5,
        ..Default::default()
    });
    let alerts = group.evaluate();
    let esc = of(&alerts, RuleId::ConflictEsc);
    assert_eq!(esc.len(), 1);
    let used = esc[0]
        .evidence
        .thresholds
        .iter()
        .find(|t| t.name == "conflict_level")
        .unwrap();
    assert_eq!(
        (used.value, used.source.as_ref()),
        (2.5, "organisation settings")
    );
}
