//! Reads of tables the evidence layer does not own, shaped for a group's analysis: one
//! query where the existing methods would take one per session. Kept here, in one place,
//! so they can move to the page-shaped reads of the groups work when it lands.

use async_trait::async_trait;
use domain::{AttendanceStatus, GroupId, MemberId, SessionId};
use serde::Serialize;

use crate::Result;

/// One attendance mark of a group's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GroupMark {
    pub session_id: SessionId,
    pub member_id: MemberId,
    pub status: AttendanceStatus,
}

#[async_trait]
pub trait EvidenceReads {
    /// Every attendance mark of every session of a group (one query).
    async fn group_attendance(&self, group: GroupId) -> Result<Vec<GroupMark>>;
}
