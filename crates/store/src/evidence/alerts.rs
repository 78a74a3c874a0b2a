//! Stored alerts (`domain::Alert`): inserted once per episode by their dedupe key, then
//! acknowledged and resolved by people, never deleted.

use async_trait::async_trait;
use domain::{Actor, Alert, AlertId, AlertSubject, GroupId, SessionId, Severity};
use serde::Serialize;

use crate::{AuditContext, Result};

/// An alert a rule raised, to store (see `circlework_analysis`, which turns the `alerts`
/// crate's `RaisedAlert` into this).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewAlert {
    /// A rule id of DOMAIN.md §6.3, spelled as there (`CONFLICT_ESC`).
    pub rule_id: String,
    pub rule_version: u32,
    pub severity: Severity,
    pub subject: AlertSubject,
    pub session_id: Option<SessionId>,
    pub evidence: serde_json::Value,
    pub suggestion: String,
    /// Unique per episode (rule, subject, qualifier, opening session): inserting a key that
    /// is already stored — open, acknowledged or resolved — does nothing.
    pub dedupe_key: String,
}

/// What inserting one alert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertInsert {
    Raised(AlertId),
    /// Its key was stored already (the same episode, perhaps resolved since).
    Known,
}

/// Alerts. "Open" means not yet resolved (open or acknowledged); lists put urgent first,
/// then high, medium, info, newest first within a severity.
#[async_trait]
pub trait AlertStore {
    /// Inserts each alert unless its key is stored (insert-or-ignore), in one transaction,
    /// with an audit row for each one raised. Outcomes in input order.
    async fn insert_alerts(
        &self,
        by: &AuditContext,
        alerts: &[NewAlert],
    ) -> Result<Vec<AlertInsert>>;
    async fn alert(&self, id: AlertId) -> Result<Alert>;
    /// A group's open and acknowledged alerts (one query).
    async fn open_alerts(&self, group: GroupId) -> Result<Vec<Alert>>;
    /// The open and acknowledged alerts of every group `actor` may see
    /// (`GroupStore::groups_visible_to`, then one query: two in all).
    async fn open_alerts_visible_to(&self, actor: &Actor) -> Result<Vec<Alert>>;
    /// Every alert of a group, resolved ones too (one query).
    async fn group_alerts(&self, group: GroupId) -> Result<Vec<Alert>>;
    /// Marks an open alert acknowledged, with an optional note (audited; the note is not
    /// copied into the audit log). Refused for a resolved alert; acknowledging an
    /// acknowledged one replaces its note.
    async fn acknowledge_alert(
        &self,
        by: &AuditContext,
        id: AlertId,
        note: Option<&str>,
    ) -> Result<Alert>;
    /// Resolves an open or acknowledged alert with a note (required; audited, the note kept
    /// with the alert only). Refused for a resolved alert.
    async fn resolve_alert(&self, by: &AuditContext, id: AlertId, note: &str) -> Result<Alert>;
}
