//! STAGE_STALLED.

use domain::Severity;

use super::*;

fn stalled(planned: Option<u32>, working: &[f64]) -> Vec<u32> {
    let mut group = Group::new(2, working.len());
    group.planned = planned;
    group.stages = working
        .iter()
        .map(|w| StageProbs::from_array([1.0 - w, 0.0, *w, 0.0]))
        .collect();
    sessions_of(&group.evaluate(), RuleId::StageStalled)
}

#[test]
fn working_unlikely_after_half_the_plan_fires_once_per_stretch() {
    // 12 planned: judged from session 6 (half) to 10 (11 and 12 are the ending).
    let working = [0.1, 0.1, 0.1, 0.1, 0.4, 0.4, 0.45, 0.7, 0.3, 0.3, 0.0, 0.0];
    assert_eq!(stalled(Some(12), &working), vec![6, 9]);
    let mut group = Group::new(1, 6);
    group.planned = Some(12);
    group.stages = vec![StageProbs::from_array([0.6, 0.0, 0.4, 0.0]); 6];
    let alerts = group.evaluate();
    assert_eq!(
        of(&alerts, RuleId::StageStalled)[0].severity,
        Severity::Info
    );
}

#[test]
fn boundary_half_a_working_probability_and_the_session_before_half_are_quiet() {
    assert!(stalled(Some(12), &[0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5]).is_empty());
    assert!(stalled(Some(12), &[0.0; 5]).is_empty());
    assert_eq!(stalled(Some(12), &[0.0; 6]), vec![6]);
    // Odd plans: 9 planned, half is 4.5, so session 5 is the first judged.
    assert_eq!(stalled(Some(9), &[0.0; 5]), vec![5]);
    // Open-ended groups have no plan to be half-way through.
    assert!(stalled(None, &[0.0; 20]).is_empty());
}
