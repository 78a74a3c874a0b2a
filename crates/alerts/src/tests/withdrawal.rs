//! WITHDRAWAL from talk share and from the member's own engagement.

use domain::Severity;
use stages::features::ProcessCounts;

use super::*;

/// Four members present; member 0 says `quiet` of 100 utterances per session.
fn talk(quiet: &[u32]) -> Group {
    let mut group = Group::new(4, quiet.len());
    for (number, q) in (1..).zip(quiet) {
        group.sessions[number - 1].process =
            Some(ProcessCounts::new(ProcessBasis::Utterances, 120));
        group.member(number, 0).talk = Some(*q);
        for other in 1..4 {
            group.member(number, other).talk =
                Some((100 - q) / 3 + u32::from(other == 1) * ((100 - q) % 3));
        }
    }
    group
}

#[test]
fn a_share_under_a_quarter_of_equal_for_two_sessions_fires() {
    // Equal share is 1/4; a quarter of it is 0.0625: 5 of 100 is under it.
    let alerts = talk(&[20, 5, 5]).evaluate();
    let withdrawal = of(&alerts, RuleId::Withdrawal);
    assert_eq!(withdrawal.len(), 1, "{alerts:#?}");
    assert_eq!(withdrawal[0].session, 3);
    assert_eq!(withdrawal[0].subject, member_subject(0));
    assert_eq!(withdrawal[0].severity, Severity::Medium);
    assert_eq!(withdrawal[0].evidence.window, (2, 3));
}

#[test]
fn one_quiet_session_or_a_share_at_the_boundary_does_not_fire() {
    assert!(of(&talk(&[20, 5, 20]).evaluate(), RuleId::Withdrawal).is_empty());
    // Boundary: exactly a quarter of an equal share (6.25 of 100) is not under it.
    let mut group = Group::new(4, 2);
    for number in 1..=2 {
        group.sessions[number - 1].process =
            Some(ProcessCounts::new(ProcessBasis::TalliedEvents, 400));
        group.member(number, 0).talk = Some(25);
        for other in 1..4 {
            group.member(number, other).talk = Some(125);
        }
    }
    assert!(of(&group.evaluate(), RuleId::Withdrawal).is_empty());
    group.member(2, 0).talk = Some(24);
    group.member(1, 0).talk = Some(24);
    assert_eq!(sessions_of(&group.evaluate(), RuleId::Withdrawal), vec![2]);
}

#[test]
fn the_members_engagement_dropping_by_the_member_delta_against_the_others_fires() {
    let mut group = Group::new(3, 3);
    for number in 1..=3 {
        for other in 0..2 {
            group.member(number, other).climate = climate(Some(4.0), None);
        }
    }
    group.member(1, 2).climate = climate(Some(4.0), None);
    group.member(2, 2).climate = climate(Some(2.9), None);
    group.member(3, 2).climate = climate(Some(2.8), None);
    // 4.0 → 2.9 (−1.1 against the others' steady 4.0) does not; 2.9 → 2.8 does not.
    assert!(of(&group.evaluate(), RuleId::Withdrawal).is_empty());
    // Boundary: −1.2 does.
    group.member(2, 2).climate = climate(Some(2.8), None);
    let alerts = group.evaluate();
    let withdrawal = of(&alerts, RuleId::Withdrawal);
    assert_eq!(withdrawal.len(), 1);
    assert_eq!(withdrawal[0].session, 2);
    assert_eq!(withdrawal[0].evidence.triggers, ["engaged_drop"]);
    // The whole group dropping together is not one member withdrawing.
    for other in 0..2 {
        group.member(2, other).climate = climate(Some(2.8), None);
        group.member(3, other).climate = climate(Some(2.8), None);
    }
    assert!(of(&group.evaluate(), RuleId::Withdrawal).is_empty());
}
