//! `alerts`: what the rules raised, inserted once per dedupe key and never deleted, then
//! acknowledged and resolved by people.

use std::collections::HashMap;

use async_trait::async_trait;
use domain::{
    Actor, Alert, AlertId, AlertStatus, AlertSubject, GroupId, MemberId, SessionId, UserId,
};
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AlertInsert, AlertStore, AuditAction, AuditContext, AuditEvent, GroupStore, NewAlert, Result,
    SqlStore, StoreError, audit,
    codec::{RowExt, placeholders, push_value_rows, ts},
};

const ALERT_COLUMNS: &str = "id, rule_id, rule_version, severity, group_id, member_id, session_id, \
     evidence, suggestion, status, raised_at, handled_by, handled_at, handling_note";

/// Urgent first, then high, medium, info; newest first within a severity.
const ALERT_ORDER: &str = "CASE severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 \
     WHEN 'medium' THEN 2 ELSE 3 END, raised_at DESC, id DESC";

/// The longest handling note kept (a few paragraphs).
const NOTE_LIMIT: usize = 4000;

fn alert_from_row(row: &AnyRow) -> Result<Alert> {
    let group_id = GroupId(row.int("group_id")?);
    let subject = match row.opt_int("member_id")? {
        Some(member) => AlertSubject::Member {
            group_id,
            member_id: MemberId(member),
        },
        None => AlertSubject::Group { group_id },
    };
    let evidence = serde_json::from_str(&row.text("evidence")?)
        .map_err(|err| StoreError::Corrupt(format!("alert evidence: {err}")))?;
    Ok(Alert {
        id: AlertId(row.int("id")?),
        rule_id: row.text("rule_id")?,
        rule_version: row.u32("rule_version")?,
        severity: row.parsed("severity")?,
        subject,
        session_id: row.opt_int("session_id")?.map(SessionId),
        evidence,
        suggestion: row.text("suggestion")?,
        status: row.parsed("status")?,
        raised_at: row.timestamp("raised_at")?,
        handled_by: row.opt_int("handled_by")?.map(UserId),
        handled_at: row.opt_timestamp("handled_at")?,
        handling_note: row.opt_text("handling_note")?,
    })
}

fn member_of(subject: AlertSubject) -> Option<MemberId> {
    match subject {
        AlertSubject::Member { member_id, .. } => Some(member_id),
        AlertSubject::Group { .. } => None,
    }
}

/// The audit row of a raised alert: rule and severity, no evidence values.
pub(crate) fn audit_event(alert: &NewAlert, id: AlertId) -> AuditEvent {
    let mut event = AuditEvent::new(AuditAction::Create, "alert", Some(id.0))
        .group(alert.subject.group_id())
        .detail(format!("{} ({})", alert.rule_id, alert.severity));
    if let Some(member) = member_of(alert.subject) {
        event = event.member(member);
    }
    event
}

/// Inserts each alert unless its key is stored, in the caller's transaction (one statement
/// per 200 alerts). The caller writes the audit rows of the ones raised ([`audit_event`]).
/// Each alert comes with the time it is raised (its raiser's audit context).
pub(crate) async fn insert_tx(
    tx: &mut Transaction<'static, Any>,
    alerts: &[(&NewAlert, jiff::Timestamp)],
) -> Result<Vec<AlertInsert>> {
    let mut raised: HashMap<String, i64> = HashMap::new();
    for chunk in alerts.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO alerts (dedupe_key, rule_id, rule_version, severity, group_id, member_id, \
             session_id, evidence, suggestion, status, raised_at) VALUES ",
        );
        push_value_rows(&mut sql, chunk.len(), 11);
        sql.push_str(" ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key");
        let mut query = sqlx::query(&sql);
        for (alert, raised_at) in chunk {
            let evidence = serde_json::to_string(&alert.evidence)
                .map_err(|err| StoreError::Refused(format!("alert evidence: {err}")))?;
            query = query
                .bind(alert.dedupe_key.clone())
                .bind(alert.rule_id.clone())
                .bind(i64::from(alert.rule_version))
                .bind(alert.severity.as_str())
                .bind(alert.subject.group_id().0)
                .bind(member_of(alert.subject).map(|m| m.0))
                .bind(alert.session_id.map(|s| s.0))
                .bind(evidence)
                .bind(alert.suggestion.clone())
                .bind(AlertStatus::Open.as_str())
                .bind(ts(*raised_at));
        }
        for row in query.fetch_all(&mut **tx).await.map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_check_violation() => {
                StoreError::Refused("an alert names an unknown rule or severity".into())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => StoreError::from(err),
        })? {
            raised.insert(row.text("dedupe_key")?, row.int("id")?);
        }
    }
    // A key twice in one call: the first takes the row.
    Ok(alerts
        .iter()
        .map(|(alert, _)| match raised.remove(&alert.dedupe_key) {
            Some(id) => AlertInsert::Raised(AlertId(id)),
            None => AlertInsert::Known,
        })
        .collect())
}

async fn fetch_alert(tx: &mut Transaction<'static, Any>, id: AlertId) -> Result<Alert> {
    let row = sqlx::query(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1"))
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await?;
    alert_from_row(&row)
}

fn checked_note(note: &str) -> Result<String> {
    let note = note.trim();
    if note.chars().count() > NOTE_LIMIT {
        return Err(StoreError::Refused(format!(
            "keep the note under {NOTE_LIMIT} characters"
        )));
    }
    Ok(note.to_owned())
}

impl SqlStore {
    /// Moves an alert to `status` with a note, audited; refused once resolved.
    async fn handle_alert(
        &self,
        by: &AuditContext,
        id: AlertId,
        status: AlertStatus,
        note: Option<String>,
    ) -> Result<Alert> {
        let mut tx = self.begin_write().await?;
        let before = fetch_alert(&mut tx, id).await?;
        if before.status == AlertStatus::Resolved {
            return Err(StoreError::Refused("this alert is resolved already".into()));
        }
        sqlx::query(
            "UPDATE alerts SET status = $1, handled_by = $2, handled_at = $3, handling_note = $4 \
             WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(by.actor_id.map(|u| u.0))
        .bind(ts(by.at))
        .bind(note)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let action = if status == AlertStatus::Resolved {
            AuditAction::Resolve
        } else {
            AuditAction::Acknowledge
        };
        let mut event = AuditEvent::new(action, "alert", Some(id.0))
            .group(before.subject.group_id())
            .detail(format!("{} {} -> {status}", before.rule_id, before.status));
        if let Some(member) = member_of(before.subject) {
            event = event.member(member);
        }
        audit::append(&mut tx, by, &event).await?;
        let alert = fetch_alert(&mut tx, id).await?;
        tx.commit().await?;
        Ok(alert)
    }
}

#[async_trait]
impl AlertStore for SqlStore {
    async fn insert_alerts(
        &self,
        by: &AuditContext,
        alerts: &[NewAlert],
    ) -> Result<Vec<AlertInsert>> {
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let timed: Vec<(&NewAlert, jiff::Timestamp)> = alerts.iter().map(|a| (a, by.at)).collect();
        let results = insert_tx(&mut tx, &timed).await?;
        let rows: Vec<(&AuditContext, AuditEvent)> = alerts
            .iter()
            .zip(&results)
            .filter_map(|(alert, result)| match result {
                AlertInsert::Raised(id) => Some((by, audit_event(alert, *id))),
                AlertInsert::Known => None,
            })
            .collect();
        audit::append_many(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(results)
    }

    async fn alert(&self, id: AlertId) -> Result<Alert> {
        let row = sqlx::query(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        alert_from_row(&row)
    }

    async fn open_alerts(&self, group: GroupId) -> Result<Vec<Alert>> {
        let rows = sqlx::query(&format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE group_id = $1 AND status <> 'resolved' \
             ORDER BY {ALERT_ORDER}"
        ))
        .bind(group.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(alert_from_row).collect()
    }

    async fn open_alerts_visible_to(&self, actor: &Actor) -> Result<Vec<Alert>> {
        let groups: Vec<i64> = self
            .groups_visible_to(actor)
            .await?
            .iter()
            .map(|g| g.id.0)
            .collect();
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE status <> 'resolved' AND group_id IN ({}) \
             ORDER BY {ALERT_ORDER}",
            placeholders(1, groups.len())
        );
        let mut query = sqlx::query(&sql);
        for id in &groups {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(alert_from_row).collect()
    }

    async fn group_alerts(&self, group: GroupId) -> Result<Vec<Alert>> {
        let rows = sqlx::query(&format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE group_id = $1 ORDER BY {ALERT_ORDER}"
        ))
        .bind(group.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(alert_from_row).collect()
    }

    async fn acknowledge_alert(
        &self,
        by: &AuditContext,
        id: AlertId,
        note: Option<&str>,
    ) -> Result<Alert> {
        let note = note
            .map(checked_note)
            .transpose()?
            .filter(|n| !n.is_empty());
        self.handle_alert(by, id, AlertStatus::Acknowledged, note)
            .await
    }

    async fn resolve_alert(&self, by: &AuditContext, id: AlertId, note: &str) -> Result<Alert> {
        let note = checked_note(note)?;
        if note.is_empty() {
            return Err(StoreError::Refused("say in a note what was done".into()));
        }
        self.handle_alert(by, id, AlertStatus::Resolved, Some(note))
            .await
    }
}
