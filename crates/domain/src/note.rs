//! Notes: one shared group note per session and a progress note per member.

use jiff::Timestamp;
use serde::Serialize;

use crate::{GroupId, MemberId, NoteId, SessionId, UserId};

crate::named_enum! {
    pub enum NoteKind("note kind") {
        /// The session's process note about the group as a whole.
        Group => "group",
        /// One member's progress note; names no other member.
        Progress => "progress",
        /// A dated addition to a signed note.
        Addendum => "addendum",
    }
}

/// A clinical note. Its body is never logged, never put in a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: NoteId,
    pub group_id: GroupId,
    pub session_id: Option<SessionId>,
    pub member_id: Option<MemberId>,
    pub kind: NoteKind,
    pub body: String,
    pub author_id: UserId,
    pub created_at: Timestamp,
    /// Once signed a note is locked; changes come as addenda.
    pub signed_at: Option<Timestamp>,
}
