//! One meeting of a group.

use jiff::Timestamp;
use serde::Serialize;

use crate::{GroupId, SessionId};

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
    pub status: SessionStatus,
}
