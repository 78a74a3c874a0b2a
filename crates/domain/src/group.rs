//! Groups and who runs them.

use jiff::{Timestamp, civil::Date};
use serde::Serialize;

use crate::{GroupId, ProgramId};

crate::named_enum! {
    /// How members join a group.
    pub enum GroupKind("group kind") {
        /// Everyone starts together; no one joins later.
        Closed => "closed",
        /// Members may join at any session.
        Open => "open",
        /// Members join at set points and each stays a fixed number of sessions.
        Rolling => "rolling",
    }
}

crate::named_enum! {
    /// A staff member's part in a group.
    pub enum GroupStaffRole("group staff role") {
        Lead => "lead",
        CoFacilitator => "co-facilitator",
    }
}

impl GroupKind {
    /// Words for the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Closed => "Closed",
            Self::Open => "Open",
            Self::Rolling => "Rolling",
        }
    }
}

impl GroupStaffRole {
    /// Words for the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Lead => "lead facilitator",
            Self::CoFacilitator => "co-facilitator",
        }
    }
}

/// A therapy or support group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: GroupId,
    pub program_id: ProgramId,
    pub name: String,
    pub kind: GroupKind,
    /// Planned number of sessions; `None` for open-ended groups.
    pub planned_sessions: Option<u32>,
    pub capacity: Option<u32>,
    /// The schedule in words, e.g. "Tuesdays 18:00–19:30".
    pub schedule: String,
    pub starts_on: Date,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}
