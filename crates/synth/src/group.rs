//! A demo group in its storming stretch: weekly sessions, a few held, one member drifting
//! away (late, then absent), one who left after session 3, the rest mostly present.

use domain::{AttendanceStatus, GroupKind, LeaveReason, MemberAlias, MemberCode, SessionStatus};
use jiff::{
    ToSpan,
    civil::{Date, Time},
};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// A member with a code, a facilitator's alias and, perhaps, a leaving date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoMember {
    pub code: MemberCode,
    pub alias: MemberAlias,
    pub joined_on: Date,
    pub left: Option<(Date, LeaveReason)>,
}

/// A session with its local date and time and, if held, everyone's attendance
/// (in the order of [`DemoGroup::members`]; `None` for members not on the roster then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSession {
    pub number: u32,
    pub date: Date,
    pub time: Time,
    pub status: SessionStatus,
    pub attendance: Vec<Option<AttendanceStatus>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoGroup {
    pub program: &'static str,
    pub name: &'static str,
    pub kind: GroupKind,
    pub planned_sessions: u32,
    pub capacity: u32,
    pub schedule: String,
    /// The weekly meeting: start time and length in minutes.
    pub time: Time,
    pub minutes: u32,
    pub starts_on: Date,
    pub members: Vec<DemoMember>,
    pub sessions: Vec<DemoSession>,
}

const ALIASES: [&str; 7] = ["Dee", "Marcus", "Tomas", "Ray", "Jules", "Sam", "Lee"];
const PLANNED: u32 = 12;
const HELD: u32 = 7;

/// The demo group for a given seed, meeting weekly so that its next session is `today`.
pub fn demo_group(seed: u64, today: Date) -> DemoGroup {
    let mut rng = StdRng::seed_from_u64(seed);
    let starts_on = today.checked_sub(i64::from(HELD).weeks()).unwrap_or(today);
    let time = Time::constant(18, 0, 0, 0);

    let mut codes: Vec<MemberCode> = Vec::new();
    while codes.len() < ALIASES.len() {
        let code = MemberCode::random(&mut rng);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let dropout_index = 3; // leaves after session 3
    let drifting_index = 5; // late, then misses the last two sessions
    let members: Vec<DemoMember> = codes
        .into_iter()
        .zip(ALIASES)
        .enumerate()
        .filter_map(|(index, (code, alias))| {
            let alias = MemberAlias::parse(alias).ok()?;
            let left = (index == dropout_index)
                .then(|| (starts_on.checked_add(3.weeks()).ok(), LeaveReason::Dropout))
                .and_then(|(day, reason)| day.map(|d| (d, reason)));
            Some(DemoMember {
                code,
                alias,
                joined_on: starts_on,
                left,
            })
        })
        .collect();

    let sessions = (1..=PLANNED)
        .map(|number| {
            let date = starts_on
                .checked_add(i64::from(number - 1).weeks())
                .unwrap_or(starts_on);
            let held = number <= HELD;
            let attendance = members
                .iter()
                .enumerate()
                .map(|(index, member)| {
                    if !held || member.left.is_some_and(|(left, _)| date >= left) {
                        return None;
                    }
                    Some(attendance_for(&mut rng, index == drifting_index, number))
                })
                .collect();
            DemoSession {
                number,
                date,
                time,
                status: if held {
                    SessionStatus::Held
                } else {
                    SessionStatus::Planned
                },
                attendance,
            }
        })
        .collect();

    DemoGroup {
        program: "Reentry and Recovery",
        name: "Men's Reentry Circle",
        kind: GroupKind::Closed,
        planned_sessions: PLANNED,
        capacity: 8,
        schedule: format!("Weekly, {} 18:00–19:30", today.weekday_name()),
        time,
        minutes: 90,
        starts_on,
        members,
        sessions,
    }
}

fn attendance_for(rng: &mut StdRng, drifting: bool, number: u32) -> AttendanceStatus {
    if drifting {
        return match number {
            n if n >= HELD - 1 => AttendanceStatus::Absent,
            n if n >= HELD - 3 => AttendanceStatus::Late,
            _ => AttendanceStatus::Present,
        };
    }
    match rng.random_range(0..20) {
        0 => AttendanceStatus::Late,
        1 => AttendanceStatus::LeftEarly,
        2 => AttendanceStatus::Excused,
        _ => AttendanceStatus::Present,
    }
}

trait WeekdayName {
    fn weekday_name(self) -> &'static str;
}

impl WeekdayName for Date {
    fn weekday_name(self) -> &'static str {
        match self.weekday() {
            jiff::civil::Weekday::Monday => "Mondays",
            jiff::civil::Weekday::Tuesday => "Tuesdays",
            jiff::civil::Weekday::Wednesday => "Wednesdays",
            jiff::civil::Weekday::Thursday => "Thursdays",
            jiff::civil::Weekday::Friday => "Fridays",
            jiff::civil::Weekday::Saturday => "Saturdays",
            jiff::civil::Weekday::Sunday => "Sundays",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 26)
    }

    #[test]
    fn the_same_seed_gives_the_same_group() {
        assert_eq!(demo_group(42, today()), demo_group(42, today()));
        assert_ne!(
            demo_group(42, today()).members,
            demo_group(43, today()).members
        );
    }

    #[test]
    fn held_sessions_are_past_and_the_next_is_today() {
        let group = demo_group(1, today());
        let held: Vec<_> = group
            .sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Held)
            .collect();
        assert_eq!(held.len(), 7);
        assert!(held.iter().all(|s| s.date < today()));
        let next = group
            .sessions
            .iter()
            .find(|s| s.status == SessionStatus::Planned)
            .unwrap();
        assert_eq!(next.date, today());
        assert_eq!(group.sessions.len(), 12);
    }

    #[test]
    fn members_are_pseudonymous_and_distinct() {
        let group = demo_group(7, today());
        let codes: std::collections::BTreeSet<_> =
            group.members.iter().map(|m| m.code.clone()).collect();
        assert_eq!(codes.len(), group.members.len());
    }

    #[test]
    fn a_member_who_left_has_no_attendance_afterwards() {
        let group = demo_group(3, today());
        let (index, member) = group
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| m.left.is_some())
            .unwrap();
        let (left_on, _) = member.left.unwrap();
        for session in group.sessions.iter().filter(|s| s.date >= left_on) {
            assert_eq!(session.attendance[index], None);
        }
    }

    #[test]
    fn the_drifting_member_misses_the_last_two_held_sessions() {
        let group = demo_group(9, today());
        let held: Vec<_> = group
            .sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Held)
            .collect();
        let last_two: Vec<_> = held.iter().rev().take(2).map(|s| s.attendance[5]).collect();
        assert_eq!(last_two, vec![Some(AttendanceStatus::Absent); 2]);
    }
}
