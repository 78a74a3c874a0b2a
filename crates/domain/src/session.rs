//! One meeting of a group.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::{GroupId, SessionId, TextLimit};

/// Why a session was cancelled: one line, required.
pub const CANCEL_REASON: TextLimit = TextLimit::line("reason", 200);

crate::named_enum! {
    pub enum SessionStatus("session status") {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
    }
}

impl SessionStatus {
    /// Words for the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Planned => "Planned",
            Self::Held => "Held",
            Self::Cancelled => "Cancelled",
        }
    }
}

/// A group session, numbered from 1 in the group's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub group_id: GroupId,
    pub number: u32,
    pub scheduled_at: Timestamp,
    /// How long it lasts.
    pub minutes: u32,
    pub status: SessionStatus,
    /// Why it was cancelled (cancelled sessions only).
    pub cancel_reason: Option<String>,
    /// Added beside the schedule: planning neither counts nor moves it.
    pub extra: bool,
    /// Set when the session's group note is signed: attendance can no longer change.
    pub attendance_locked_at: Option<Timestamp>,
}

impl Session {
    pub fn ends_at(&self) -> Timestamp {
        self.scheduled_at
            .checked_add(SignedDuration::from_mins(i64::from(self.minutes)))
            .unwrap_or(self.scheduled_at)
    }
}
