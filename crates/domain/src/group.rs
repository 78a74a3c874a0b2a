//! Groups and who runs them.

use jiff::{Timestamp, civil::Date};
use serde::Serialize;

use crate::{GroupId, ProgramId, Schedule, TextLimit};

/// A group's name: one line.
pub const GROUP_NAME: TextLimit = TextLimit::line("group name", 120);

crate::named_enum! {
    /// Where a group is in its life: planned → active → ended.
    pub enum GroupStatus("group status") {
        /// Created, sessions planned, none held yet.
        Planned => "planned",
        /// Meeting: a session has been held or the group was started.
        Active => "active",
        /// Over: no more sessions are planned.
        Ended => "ended",
    }
}

impl GroupStatus {
    /// Words for the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Planned => "Planned",
            Self::Active => "Active",
            Self::Ended => "Ended",
        }
    }

    /// Groups only move forward: planned → active → ended (a planned group that never
    /// meets may be ended too). Nothing comes back from ended.
    pub const fn can_become(self, next: GroupStatus) -> bool {
        matches!(
            (self, next),
            (Self::Planned, Self::Active)
                | (Self::Planned, Self::Ended)
                | (Self::Active, Self::Ended)
        )
    }
}

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
    /// The weekly meeting its sessions are planned from; `None` for a group whose sessions
    /// are entered one by one (imports, older data).
    pub meeting: Option<Schedule>,
    pub starts_on: Date,
    pub status: GroupStatus,
    /// The last day of an ended group.
    pub ended_on: Option<Date>,
    pub created_at: Timestamp,
    /// When the group was ended.
    pub closed_at: Option<Timestamp>,
}

impl Group {
    /// Is `day` within the group's dates (from its start, to its end if it ended)?
    pub fn covers(&self, day: Date) -> bool {
        day >= self.starts_on && self.ended_on.is_none_or(|end| day <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_only_move_forward() {
        use GroupStatus::*;
        for from in GroupStatus::ALL {
            for to in GroupStatus::ALL {
                let allowed = from.can_become(*to);
                assert_eq!(
                    allowed,
                    matches!(
                        (from, to),
                        (Planned, Active) | (Planned, Ended) | (Active, Ended)
                    ),
                    "{from} -> {to}"
                );
            }
        }
    }
}
