//! `sessions` and `attendance`: group meetings and who came.

use async_trait::async_trait;
use domain::{Attendance, AttendanceStatus, GroupId, MemberId, Session, SessionId, SessionStatus};
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, NewSession, Result, SessionStore, SqlStore, StoreError,
    audit,
    codec::{RowExt, ts},
};

pub(crate) const SESSION_COLUMNS: &str = "id, group_id, number, scheduled_at, status";

/// [`SESSION_COLUMNS`] qualified by a table alias, for joins.
pub(crate) fn session_columns(alias: &str) -> String {
    SESSION_COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) const ATTENDANCE_COLUMNS: &str =
    "session_id, member_id, status, late_minutes, left_early_minutes, arrived_at, left_at";

/// [`ATTENDANCE_COLUMNS`] qualified by a table alias, for joins.
pub(crate) fn attendance_columns(alias: &str) -> String {
    ATTENDANCE_COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn session_from_row(row: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: SessionId(row.int("id")?),
        group_id: GroupId(row.int("group_id")?),
        number: row.u32("number")?,
        scheduled_at: row.timestamp("scheduled_at")?,
        status: row.parsed("status")?,
    })
}

pub(crate) fn attendance_from_row(row: &AnyRow) -> Result<Attendance> {
    Ok(Attendance {
        session_id: SessionId(row.int("session_id")?),
        member_id: MemberId(row.int("member_id")?),
        status: row.parsed("status")?,
        late_minutes: row.u32("late_minutes")?,
        left_early_minutes: row.u32("left_early_minutes")?,
        arrived_at: row.opt_timestamp("arrived_at")?,
        left_at: row.opt_timestamp("left_at")?,
    })
}

async fn fetch_session(tx: &mut Transaction<'static, Any>, id: SessionId) -> Result<Session> {
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await?;
    session_from_row(&row)
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn create_session(&self, by: &AuditContext, new: &NewSession) -> Result<Session> {
        if new.number == 0 {
            return Err(StoreError::Refused("sessions are numbered from 1".into()));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO sessions (group_id, number, scheduled_at, status) VALUES ($1, $2, $3, $4) \
             RETURNING {SESSION_COLUMNS}"
        ))
        .bind(new.group_id.0)
        .bind(i64::from(new.number))
        .bind(ts(new.scheduled_at))
        .bind(new.status.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Refused(format!("the group already has a session {}", new.number))
            }
            _ => StoreError::from(err),
        })?;
        let session = session_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Create, "session", Some(session.id.0))
            .group(session.group_id)
            .detail(format!("session {}", session.number));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn sessions(&self, group: GroupId) -> Result<Vec<Session>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE group_id = $1 ORDER BY number"
        ))
        .bind(group.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    async fn session(&self, id: SessionId) -> Result<Session> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        session_from_row(&row)
    }

    async fn set_session_status(
        &self,
        by: &AuditContext,
        id: SessionId,
        status: SessionStatus,
    ) -> Result<Session> {
        let mut tx = self.begin_write().await?;
        let before = fetch_session(&mut tx, id).await?;
        sqlx::query("UPDATE sessions SET status = $1 WHERE id = $2")
            .bind(status.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let event = AuditEvent::new(AuditAction::Update, "session", Some(id.0))
            .group(before.group_id)
            .detail(format!("status {} -> {status}", before.status));
        audit::append(&mut tx, by, &event).await?;
        let session = fetch_session(&mut tx, id).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn record_attendance(
        &self,
        by: &AuditContext,
        session: SessionId,
        member: MemberId,
        status: AttendanceStatus,
    ) -> Result<Attendance> {
        let mut tx = self.begin_write().await?;
        let meeting = fetch_session(&mut tx, session).await?;
        let enrolled: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM enrollments WHERE member_id = $1 AND group_id = $2",
        )
        .bind(member.0)
        .bind(meeting.group_id.0)
        .fetch_one(&mut *tx)
        .await?;
        if enrolled == 0 {
            return Err(StoreError::NotFound);
        }
        let now = ts(by.at);
        let arrived = matches!(status, AttendanceStatus::Late).then(|| now.clone());
        let left = matches!(status, AttendanceStatus::LeftEarly).then(|| now.clone());
        let row = sqlx::query(
            "INSERT INTO attendance (session_id, member_id, status, arrived_at, left_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (session_id, member_id) DO UPDATE SET status = excluded.status, \
             arrived_at = excluded.arrived_at, left_at = excluded.left_at \
             RETURNING session_id, member_id, status, late_minutes, left_early_minutes, arrived_at, left_at",
        )
        .bind(session.0)
        .bind(member.0)
        .bind(status.as_str())
        .bind(arrived)
        .bind(left)
        .fetch_one(&mut *tx)
        .await?;
        let attendance = attendance_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Update, "attendance", Some(session.0))
            .group(meeting.group_id)
            .member(member)
            .detail(format!("session {}: {status}", meeting.number));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(attendance)
    }

    async fn attendance(&self, session: SessionId) -> Result<Vec<Attendance>> {
        let rows = sqlx::query(
            "SELECT session_id, member_id, status, late_minutes, left_early_minutes, arrived_at, left_at \
             FROM attendance WHERE session_id = $1 ORDER BY member_id",
        )
        .bind(session.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attendance_from_row).collect()
    }
}
