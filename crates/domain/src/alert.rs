//! The stored alert record. The rules that raise alerts live in the `alerts` crate; what is
//! kept here is what a person acknowledges and resolves, with the evidence the rule saw.

use jiff::Timestamp;
use serde::Serialize;

use crate::{AlertId, GroupId, MemberId, SessionId, UserId};

crate::named_enum! {
    /// How soon a facilitator should look.
    pub enum Severity("severity") {
        Info => "info",
        Medium => "medium",
        High => "high",
        /// Needs a person now (safety).
        Urgent => "urgent",
    }
}

crate::named_enum! {
    pub enum AlertStatus("alert status") {
        Open => "open",
        Acknowledged => "acknowledged",
        Resolved => "resolved",
    }
}

/// What an alert is about: a whole group, or one member in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AlertSubject {
    Group {
        group_id: GroupId,
    },
    Member {
        group_id: GroupId,
        member_id: MemberId,
    },
}

impl AlertSubject {
    pub const fn group_id(self) -> GroupId {
        match self {
            Self::Group { group_id } | Self::Member { group_id, .. } => group_id,
        }
    }
}

/// An alert as stored: which rule (and which version of it) fired, on what, seeing what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: AlertId,
    /// e.g. `CONFLICT_ESC`.
    pub rule_id: String,
    pub rule_version: u32,
    pub severity: Severity,
    pub subject: AlertSubject,
    pub session_id: Option<SessionId>,
    /// The inputs the rule saw, as a JSON object (values and their sources).
    pub evidence: serde_json::Value,
    /// What the facilitator might do, in words.
    pub suggestion: String,
    pub status: AlertStatus,
    pub raised_at: Timestamp,
    pub handled_by: Option<UserId>,
    pub handled_at: Option<Timestamp>,
    pub handling_note: Option<String>,
}
