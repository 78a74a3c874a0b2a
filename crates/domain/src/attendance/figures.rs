//! Figures derived from attendance: a member's attendance rate, their current run of
//! absences, the minutes lost to late arrivals and early leaves, and one session's counts.
//!
//! Pure functions of recorded evidence, so the pages that show them and the alert rules
//! that fire on them (DOMAIN.md §5: two consecutive absences, attendance under 75% over
//! the last four sessions) read the same numbers.
//!
//! What counts:
//! - Only **held** sessions at which the member was **on the roster** (enrolled that day).
//!   Planned and cancelled sessions, and sessions before joining or after leaving, never
//!   count for or against anyone.
//! - A held session with **no mark** yet (attendance not taken) is unknown: it is reported
//!   as `unmarked` and left out of the rate and the streak.
//! - The **rate** is attended ÷ marked sessions (present, late and left early attend;
//!   excused and absent do not).
//! - The **current absence streak** is the run of the latest marked sessions at which the
//!   member was absent or excused, ending at the most recent marked one.

use jiff::Timestamp;

use crate::{AttendanceMark, AttendanceStatus, MemberId, SessionStatus};

/// One session as the figures see it, from one member's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRecord {
    pub at: Timestamp,
    pub status: SessionStatus,
    /// On the group's roster on the day of the session.
    pub on_roster: bool,
    pub mark: Option<AttendanceMark>,
}

/// A member's attendance figures over a run of sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberFigures {
    /// Held sessions the member was on the roster for.
    pub counted: u32,
    /// Of those: present, late or left early.
    pub attended: u32,
    pub excused: u32,
    pub absent: u32,
    /// Held sessions without a mark yet.
    pub unmarked: u32,
    /// Sessions attended late, and the minutes missed at the start.
    pub times_late: u32,
    pub late_minutes: u32,
    /// Sessions left early, and the minutes missed at the end.
    pub times_left_early: u32,
    pub left_early_minutes: u32,
    /// The run of the latest marked sessions missed (absent or excused).
    pub current_absence_streak: u32,
}

impl MemberFigures {
    /// Figures over `sessions`, in any order (they are taken in time order).
    pub fn from_sessions(sessions: &[SessionRecord]) -> Self {
        let mut counted: Vec<&SessionRecord> = sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Held && s.on_roster)
            .collect();
        counted.sort_by_key(|s| s.at);
        let mut figures = Self::default();
        for session in counted {
            figures.counted += 1;
            let Some(mark) = session.mark else {
                figures.unmarked += 1;
                continue;
            };
            let status = mark.status();
            if status.attended() {
                figures.attended += 1;
                figures.current_absence_streak = 0;
            } else {
                figures.current_absence_streak += 1;
                match status {
                    AttendanceStatus::Excused => figures.excused += 1,
                    _ => figures.absent += 1,
                }
            }
            if mark.late_minutes() > 0 {
                figures.times_late += 1;
                figures.late_minutes = figures.late_minutes.saturating_add(mark.late_minutes());
            }
            if mark.left_early_minutes() > 0 {
                figures.times_left_early += 1;
                figures.left_early_minutes = figures
                    .left_early_minutes
                    .saturating_add(mark.left_early_minutes());
            }
        }
        figures
    }

    /// Sessions with a mark: the rate's denominator.
    pub const fn marked(&self) -> u32 {
        self.attended + self.excused + self.absent
    }

    /// Attended ÷ marked, or `None` before any marked session.
    pub fn attendance_rate(&self) -> Option<f64> {
        let marked = self.marked();
        (marked > 0).then(|| f64::from(self.attended) / f64::from(marked))
    }

    /// The rate as a whole percentage, halves rounded up; `None` before any marked session.
    pub fn attendance_percent(&self) -> Option<u32> {
        let marked = self.marked();
        (marked > 0).then(|| (self.attended * 200 + marked) / (marked * 2))
    }
}

/// How one session went for the members expected at it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCounts {
    /// Members on the roster that day.
    pub expected: u32,
    pub present: u32,
    pub late: u32,
    pub left_early: u32,
    pub excused: u32,
    pub absent: u32,
    /// Expected members without a mark.
    pub unmarked: u32,
}

impl SessionCounts {
    /// Counts the marks of the `expected` members; marks of anyone else are ignored.
    pub fn tally<'a>(
        expected: &[MemberId],
        marks: impl IntoIterator<Item = (MemberId, &'a AttendanceMark)>,
    ) -> Self {
        let mut counts = Self {
            expected: u32::try_from(expected.len()).unwrap_or(u32::MAX),
            ..Self::default()
        };
        let mut marked = 0u32;
        for (member, mark) in marks {
            if !expected.contains(&member) {
                continue;
            }
            marked += 1;
            match mark.status() {
                AttendanceStatus::Present => counts.present += 1,
                AttendanceStatus::Late => counts.late += 1,
                AttendanceStatus::LeftEarly => counts.left_early += 1,
                AttendanceStatus::Excused => counts.excused += 1,
                AttendanceStatus::Absent => counts.absent += 1,
            }
        }
        counts.unmarked = counts.expected.saturating_sub(marked);
        counts
    }

    /// Present, late or left early.
    pub const fn attended(&self) -> u32 {
        self.present + self.late + self.left_early
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;
    use proptest::prelude::*;

    fn at(day: i64) -> Timestamp {
        Timestamp::from_second(1_770_000_000 + day * 604_800).unwrap()
    }

    fn held(day: i64, mark: Option<AttendanceMark>) -> SessionRecord {
        SessionRecord {
            at: at(day),
            status: SessionStatus::Held,
            on_roster: true,
            mark,
        }
    }

    fn mark(status: AttendanceStatus) -> Option<AttendanceMark> {
        Some(AttendanceMark::plain(status))
    }

    #[test]
    fn nothing_held_means_no_rate() {
        let figures = MemberFigures::from_sessions(&[]);
        assert_eq!(figures, MemberFigures::default());
        assert_eq!(figures.attendance_rate(), None);
        assert_eq!(figures.attendance_percent(), None);
    }

    #[test]
    fn a_worked_example() {
        let sessions = [
            held(1, mark(Present)),
            held(2, Some(AttendanceMark::new(Late, 10, 0, 90).unwrap())),
            held(3, mark(Excused)),
            held(4, Some(AttendanceMark::new(LeftEarly, 5, 20, 90).unwrap())),
            held(5, mark(Absent)),
            held(6, None),
            held(7, mark(Absent)),
            SessionRecord {
                status: SessionStatus::Planned,
                ..held(8, None)
            },
            SessionRecord {
                status: SessionStatus::Cancelled,
                ..held(9, mark(Absent))
            },
            SessionRecord {
                on_roster: false,
                ..held(0, mark(Absent))
            },
        ];
        let figures = MemberFigures::from_sessions(&sessions);
        assert_eq!(
            figures,
            MemberFigures {
                counted: 7,
                attended: 3,
                excused: 1,
                absent: 2,
                unmarked: 1,
                times_late: 2,
                late_minutes: 15,
                times_left_early: 1,
                left_early_minutes: 20,
                current_absence_streak: 2,
            }
        );
        assert_eq!(figures.attendance_percent(), Some(50));
        assert_eq!(figures.attendance_rate(), Some(0.5));
    }

    #[test]
    fn percentages_round_halves_up() {
        let two_of_three = MemberFigures {
            attended: 2,
            absent: 1,
            ..MemberFigures::default()
        };
        assert_eq!(two_of_three.attendance_percent(), Some(67));
        let one_of_eight = MemberFigures {
            attended: 1,
            absent: 7,
            ..MemberFigures::default()
        };
        assert_eq!(
            one_of_eight.attendance_percent(),
            Some(13),
            "12.5 rounds up"
        );
    }

    #[test]
    fn session_counts_ignore_people_not_expected() {
        let present = AttendanceMark::plain(Present);
        let absent = AttendanceMark::plain(Absent);
        let late = AttendanceMark::new(Late, 5, 0, 90).unwrap();
        let counts = SessionCounts::tally(
            &[MemberId(1), MemberId(2), MemberId(3), MemberId(4)],
            [
                (MemberId(1), &present),
                (MemberId(2), &late),
                (MemberId(3), &absent),
                (MemberId(9), &present),
            ],
        );
        assert_eq!(
            counts,
            SessionCounts {
                expected: 4,
                present: 1,
                late: 1,
                absent: 1,
                unmarked: 1,
                ..SessionCounts::default()
            }
        );
        assert_eq!(counts.attended(), 2);
    }

    fn any_status() -> impl Strategy<Value = AttendanceStatus> {
        prop::sample::select(AttendanceStatus::ALL.to_vec())
    }

    fn any_mark() -> impl Strategy<Value = Option<AttendanceMark>> {
        prop::option::of(
            (any_status(), 1u32..40, 1u32..40).prop_map(|(status, late, early)| match status {
                Late => AttendanceMark::new(Late, late, 0, 90).ok(),
                LeftEarly => AttendanceMark::new(LeftEarly, 0, early, 90).ok(),
                other => Some(AttendanceMark::plain(other)),
            }),
        )
        .prop_map(Option::flatten)
    }

    fn any_record() -> impl Strategy<Value = SessionRecord> {
        (
            0i64..60,
            prop::sample::select(SessionStatus::ALL.to_vec()),
            any::<bool>(),
            any_mark(),
        )
            .prop_map(|(day, status, on_roster, mark)| SessionRecord {
                at: at(day),
                status,
                on_roster,
                mark,
            })
    }

    proptest! {
        #[test]
        fn counts_add_up_and_the_rate_is_a_proportion(records in prop::collection::vec(any_record(), 0..40)) {
            let f = MemberFigures::from_sessions(&records);
            prop_assert_eq!(f.counted, f.attended + f.excused + f.absent + f.unmarked);
            prop_assert!(f.current_absence_streak <= f.excused + f.absent);
            prop_assert!(f.times_late <= f.attended && f.times_left_early <= f.attended);
            match f.attendance_rate() {
                Some(rate) => prop_assert!((0.0..=1.0).contains(&rate)),
                None => prop_assert_eq!(f.marked(), 0),
            }
            if let Some(percent) = f.attendance_percent() {
                prop_assert!(percent <= 100);
            }
        }

        #[test]
        fn order_of_input_does_not_matter(mut records in prop::collection::vec(any_record(), 0..30)) {
            // Distinct times, so "time order" is one order.
            for (i, record) in records.iter_mut().enumerate() {
                record.at = at(i64::try_from(i).unwrap());
            }
            let forward = MemberFigures::from_sessions(&records);
            records.reverse();
            prop_assert_eq!(forward, MemberFigures::from_sessions(&records));
        }

        #[test]
        fn the_next_session_moves_the_streak(records in prop::collection::vec(any_record(), 0..30), status in any_status()) {
            let before = MemberFigures::from_sessions(&records);
            let mut next = records.clone();
            next.push(held(100, Some(AttendanceMark::plain(status))));
            let after = MemberFigures::from_sessions(&next);
            if status.attended() {
                prop_assert_eq!(after.current_absence_streak, 0);
            } else {
                prop_assert_eq!(after.current_absence_streak, before.current_absence_streak + 1);
            }
            prop_assert_eq!(after.counted, before.counted + 1);
        }

        #[test]
        fn sessions_that_do_not_count_change_nothing(records in prop::collection::vec(any_record(), 0..30), extra in any_record()) {
            let before = MemberFigures::from_sessions(&records);
            let mut more = records.clone();
            more.push(SessionRecord { on_roster: false, ..extra });
            more.push(SessionRecord { status: SessionStatus::Cancelled, ..extra });
            more.push(SessionRecord { status: SessionStatus::Planned, ..extra });
            prop_assert_eq!(before, MemberFigures::from_sessions(&more));
        }
    }
}
