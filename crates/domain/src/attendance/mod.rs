//! Who was in the room, and for how much of the session.

pub mod figures;

use jiff::Timestamp;
use serde::Serialize;

use crate::{MemberId, ParseError, SessionId};

crate::named_enum! {
    pub enum AttendanceStatus("attendance status") {
        Present => "present",
        Late => "late",
        LeftEarly => "left-early",
        Excused => "excused",
        Absent => "absent",
    }
}

impl AttendanceStatus {
    /// Was the member in the session at all (late and left-early count)?
    pub const fn attended(self) -> bool {
        matches!(self, Self::Present | Self::Late | Self::LeftEarly)
    }

    /// Words for the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Present => "Present",
            Self::Late => "Late",
            Self::LeftEarly => "Left early",
            Self::Excused => "Excused",
            Self::Absent => "Absent",
        }
    }
}

/// A checked mark: a status, and the minutes a late arrival or an early leave cost.
/// Only late and left-early marks carry minutes, and together they stay shorter than the
/// session, so figures built on them are never negative or longer than the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AttendanceMark {
    status: AttendanceStatus,
    late_minutes: u32,
    left_early_minutes: u32,
}

impl AttendanceMark {
    /// A mark without minutes (present, excused, absent).
    pub const fn plain(status: AttendanceStatus) -> Self {
        Self {
            status,
            late_minutes: 0,
            left_early_minutes: 0,
        }
    }

    /// Checks a mark for a session of `session_minutes`. Late needs its late minutes and
    /// left-early its early-leave minutes (each may also carry the other); present,
    /// excused and absent take none.
    pub fn new(
        status: AttendanceStatus,
        late_minutes: u32,
        left_early_minutes: u32,
        session_minutes: u32,
    ) -> Result<Self, ParseError> {
        match status {
            AttendanceStatus::Late if late_minutes == 0 => {
                return Err(ParseError::new(
                    "minutes late",
                    "say how many minutes late (1 or more)",
                ));
            }
            AttendanceStatus::LeftEarly if left_early_minutes == 0 => {
                return Err(ParseError::new(
                    "minutes left early",
                    "say how many minutes before the end (1 or more)",
                ));
            }
            AttendanceStatus::Present | AttendanceStatus::Excused | AttendanceStatus::Absent
                if late_minutes > 0 || left_early_minutes > 0 =>
            {
                return Err(ParseError::new(
                    "minutes",
                    "only late and left-early marks take minutes",
                ));
            }
            _ => {}
        }
        if late_minutes.saturating_add(left_early_minutes) >= session_minutes {
            return Err(ParseError::new(
                "minutes",
                format!(
                    "late and early-leave minutes together must be less than the session's {session_minutes} minutes"
                ),
            ));
        }
        Ok(Self {
            status,
            late_minutes,
            left_early_minutes,
        })
    }

    /// A mark as stored, without the session-length check (stored marks were checked).
    pub const fn from_stored(
        status: AttendanceStatus,
        late_minutes: u32,
        left_early_minutes: u32,
    ) -> Self {
        Self {
            status,
            late_minutes,
            left_early_minutes,
        }
    }

    pub const fn status(&self) -> AttendanceStatus {
        self.status
    }

    pub const fn late_minutes(&self) -> u32 {
        self.late_minutes
    }

    pub const fn left_early_minutes(&self) -> u32 {
        self.left_early_minutes
    }
}

/// One member's attendance at one session. `arrived_at` and `left_at` are kept for late
/// arrivals and early leaves (the session's start plus the late minutes, its end less the
/// early-leave minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendance {
    pub session_id: SessionId,
    pub member_id: MemberId,
    pub status: AttendanceStatus,
    pub late_minutes: u32,
    pub left_early_minutes: u32,
    pub arrived_at: Option<Timestamp>,
    pub left_at: Option<Timestamp>,
}

impl Attendance {
    pub const fn mark(&self) -> AttendanceMark {
        AttendanceMark::from_stored(self.status, self.late_minutes, self.left_early_minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    #[test]
    fn late_and_left_early_need_their_minutes() {
        assert!(AttendanceMark::new(Late, 0, 0, 90).is_err());
        assert!(AttendanceMark::new(LeftEarly, 10, 0, 90).is_err());
        assert_eq!(
            AttendanceMark::new(Late, 10, 5, 90).unwrap().late_minutes(),
            10
        );
        assert!(AttendanceMark::new(LeftEarly, 0, 30, 90).is_ok());
    }

    #[test]
    fn other_marks_take_no_minutes() {
        for status in [Present, Excused, Absent] {
            assert!(AttendanceMark::new(status, 0, 0, 90).is_ok());
            assert!(AttendanceMark::new(status, 5, 0, 90).is_err());
            assert!(AttendanceMark::new(status, 0, 5, 90).is_err());
        }
    }

    #[test]
    fn minutes_stay_inside_the_session() {
        assert!(AttendanceMark::new(Late, 89, 0, 90).is_ok());
        assert!(AttendanceMark::new(Late, 90, 0, 90).is_err());
        assert!(AttendanceMark::new(Late, 60, 30, 90).is_err());
        assert!(AttendanceMark::new(Late, u32::MAX, u32::MAX, 90).is_err());
    }
}
