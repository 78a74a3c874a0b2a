//! Who was in the room, and for how much of the session.

use jiff::Timestamp;
use serde::Serialize;

use crate::{MemberId, SessionId};

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
}

/// One member's attendance at one session; times are kept when late or leaving early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendance {
    pub session_id: SessionId,
    pub member_id: MemberId,
    pub status: AttendanceStatus,
    pub arrived_at: Option<Timestamp>,
    pub left_at: Option<Timestamp>,
}
