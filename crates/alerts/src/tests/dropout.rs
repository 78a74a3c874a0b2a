//! DROPOUT_RISK: D2–D5.

use domain::Severity;

use super::*;

fn dropout(group: &Group) -> Vec<(u32, Severity, Vec<&'static str>)> {
    of(&group.evaluate(), RuleId::DropoutRisk)
        .into_iter()
        .map(|a| (a.session, a.severity, a.evidence.triggers.clone()))
        .collect()
}

#[test]
fn d2_two_no_shows_in_a_row_is_high_and_one_is_nothing() {
    let mut group = Group::new(2, 6);
    group.presence(0, "AAAAXA");
    assert!(dropout(&group).is_empty());
    group.presence(0, "AAAAXX");
    let alerts = group.evaluate();
    let risk = of(&alerts, RuleId::DropoutRisk);
    assert_eq!(risk.len(), 1);
    assert_eq!((risk[0].session, risk[0].severity), (6, Severity::High));
    assert_eq!(risk[0].evidence.triggers, ["D2", "D4"]);
    assert_eq!(risk[0].subject, member_subject(0));
    assert_eq!(
        risk[0].dedupe_key,
        "DROPOUT_RISK|group:7|member:101|high|session:6"
    );
}

#[test]
fn d2_an_excused_absence_counts_in_the_run_and_an_unmarked_session_does_not_break_it() {
    let mut group = Group::new(1, 7);
    group.presence(0, "AAAXEAA");
    // Session 5: absent then excused, two in a row: high.
    let risk = dropout(&group);
    assert_eq!(
        risk.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(),
        vec![(5, Severity::High)]
    );
    assert_eq!(risk[0].2, vec!["D2", "D4"]);
    group.presence(0, "AAAX?XA");
    assert_eq!(dropout(&group)[0].0, 6);
    // The organisation asks for three.
    group.presence(0, "AAAXEAA");
    group.thresholds = Thresholds::from_settings(&domain::OrganisationSettings {
        alert_consecutive_absences: 3,
        ..Default::default()
    });
    assert!(dropout(&group).iter().all(|(_, s, _)| *s != Severity::High));
}

#[test]
fn d3_a_no_show_in_the_first_three_sessions_is_medium_and_the_fourth_is_not() {
    let mut group = Group::new(2, 5);
    group.presence(0, "AAXAA");
    assert_eq!(dropout(&group), vec![(3, Severity::Medium, vec!["D3"])]);
    group.presence(0, "AAAXA");
    assert!(dropout(&group).is_empty());
}

#[test]
fn d4_attendance_below_three_quarters_of_the_last_four_is_medium() {
    let mut group = Group::new(1, 8);
    // Last four at session 8: A E A X → 2 of 4 = 0.5.
    group.presence(0, "AAAAAEAX");
    assert_eq!(dropout(&group), vec![(8, Severity::Medium, vec!["D4"])]);
    // Boundary: 3 of 4 = 0.75 is not below.
    group.presence(0, "AAAAAAEA");
    assert!(dropout(&group).is_empty());
}

#[test]
fn d5_factors_raise_medium_to_high_and_two_raise_an_alert_alone() {
    // D3 + deviance (member engaged 1.0 vs the group's mean): high.
    let mut group = Group::new(3, 3);
    group.presence(0, "AXA");
    for m in 0..3 {
        group.member(2, m).climate = climate(Some(4.0), Some(1.0));
    }
    group.member(2, 0).climate = climate(None, None);
    group.member(3, 0).climate = climate(Some(1.0), Some(1.0));
    group.member(3, 1).climate = climate(Some(4.0), Some(1.0));
    group.member(3, 2).climate = climate(Some(4.0), Some(1.0));
    // Session 3: group mean 3.0, member 1.0: |−2.0| > 1.5.
    let risk = dropout(&group);
    assert_eq!(risk, vec![(2, Severity::Medium, vec!["D3"])]);

    let mut group = Group::new(3, 2);
    group.presence(0, "AX");
    group.member(2, 0).climate = climate(Some(1.0), None);
    group.member(2, 1).climate = climate(Some(4.0), None);
    group.member(2, 2).climate = climate(Some(4.0), None);
    assert_eq!(
        dropout(&group),
        vec![(2, Severity::High, vec!["D3", "D5:deviance"])]
    );

    // Boundary: a difference of exactly 1.5 is not deviance.
    group.member(2, 0).climate = climate(Some(2.0), None);
    group.member(2, 1).climate = climate(Some(3.5), None);
    group.member(2, 2).climate = climate(Some(3.5), None);
    // Group mean 3.0; member 2.0 → 1.0. Make it exactly 1.5: member 2.0, others 3.75 → mean 3.1666…
    group.member(2, 1).climate = climate(Some(4.25), None);
    group.member(2, 2).climate = climate(Some(4.25), None);
    // mean (2 + 4.25 + 4.25) / 3 = 3.5, difference 1.5.
    assert_eq!(dropout(&group), vec![(2, Severity::Medium, vec!["D3"])]);

    // Two D5 factors with no absence: medium on their own; one is not enough.
    let mut group = Group::new(3, 1);
    group.member(1, 0).aimed_at = Some(2);
    assert!(dropout(&group).is_empty());
    group.member(1, 0).climate = climate(Some(1.0), None);
    group.member(1, 1).climate = climate(Some(4.5), None);
    group.member(1, 2).climate = climate(Some(4.5), None);
    assert_eq!(
        dropout(&group),
        vec![(1, Severity::Medium, vec!["D5:deviance", "D5:aimed_at"])]
    );
}

#[test]
fn risk_that_escalates_raises_a_second_alert_and_one_that_eases_does_not() {
    let mut group = Group::new(1, 6);
    group.presence(0, "AXXAXA");
    // Session 2: D3 medium; session 3: D2 high (a new alert); session 4 back to D4 medium in
    // the same run: nothing new; session 5: D4 with streak 1; session 6: D4 still.
    let risk = dropout(&group);
    assert_eq!(
        risk.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(),
        vec![(2, Severity::Medium), (3, Severity::High)]
    );
}

#[test]
fn members_who_left_are_not_judged() {
    let mut group = Group::new(2, 4);
    group.presence(0, "AXX?");
    for number in 2..=4 {
        group.member(number, 0).enrolled = false;
    }
    assert!(dropout(&group).is_empty());
}
