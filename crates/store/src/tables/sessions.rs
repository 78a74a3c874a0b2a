//! `sessions` and `attendance`: group meetings and who came.

use async_trait::async_trait;
use domain::{
    Attendance, AttendanceMark, Group, GroupId, MemberId, Session, SessionId, SessionStatus,
    schedule::SESSION_MINUTES, session::CANCEL_REASON, text::date_words,
};
use jiff::civil::{Date, DateTime};
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, NewSession, Result, SessionStore, SqlStore, StoreError,
    audit,
    codec::{RowExt, ts},
    pages::local_day,
    tables::{attendance, groups, planning},
};

pub(crate) const SESSION_COLUMNS: &str = "id, group_id, number, scheduled_at, minutes, status, \
     cancel_reason, extra, attendance_locked_at";

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
        minutes: row.u32("minutes")?,
        status: row.parsed("status")?,
        cancel_reason: row.opt_text("cancel_reason")?,
        extra: row.int("extra")? != 0,
        attendance_locked_at: row.opt_timestamp("attendance_locked_at")?,
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

pub(crate) async fn fetch_session(
    tx: &mut Transaction<'static, Any>,
    id: SessionId,
) -> Result<Session> {
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await?;
    session_from_row(&row)
}

/// Refuses a day outside the group's dates, naming them.
fn check_within(group: &Group, day: Date) -> Result<()> {
    if group.covers(day) {
        return Ok(());
    }
    let dates = match group.ended_on {
        Some(end) => format!(
            "from {} to {}",
            date_words(group.starts_on),
            date_words(end)
        ),
        None => format!("from {}", date_words(group.starts_on)),
    };
    Err(StoreError::invalid(
        "date",
        format!("That date is outside the group's dates: it runs {dates}."),
    ))
}

/// A session that must still be planned for `what` (moving, cancelling).
fn require_planned(session: &Session, what: &str) -> Result<()> {
    match session.status {
        SessionStatus::Planned => Ok(()),
        SessionStatus::Held => Err(StoreError::Refused(format!(
            "Session {} was held; only a planned session can be {what}.",
            session.number
        ))),
        SessionStatus::Cancelled => Err(StoreError::Refused(format!(
            "Session {} is cancelled; only a planned session can be {what}.",
            session.number
        ))),
    }
}

/// Marks a planned session held, makes its group active, and keeps an open-ended group's
/// sessions planned ahead. A session is held on or after its day, never before.
pub(crate) async fn hold(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    session: &Session,
) -> Result<()> {
    let zone = planning::zone(tx).await?;
    let day = local_day(session.scheduled_at, &zone);
    if day > local_day(by.at, &zone) {
        return Err(StoreError::Refused(format!(
            "Session {} is on {}; it can be marked held from that day on.",
            session.number,
            date_words(day)
        )));
    }
    sqlx::query("UPDATE sessions SET status = 'held' WHERE id = $1")
        .bind(session.id.0)
        .execute(&mut **tx)
        .await?;
    let event = AuditEvent::new(AuditAction::Update, "session", Some(session.id.0))
        .group(session.group_id)
        .detail(format!("session {}: planned -> held", session.number));
    audit::append(tx, by, &event).await?;
    groups::activate(tx, by, session.group_id).await?;
    let group = groups::fetch_group(tx, session.group_id).await?;
    if group.planned_sessions.is_none() {
        planning::replan(tx, by, &group, false).await?;
    }
    Ok(())
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

    async fn hold_session(&self, by: &AuditContext, id: SessionId) -> Result<Session> {
        let mut tx = self.begin_write().await?;
        let session = fetch_session(&mut tx, id).await?;
        match session.status {
            SessionStatus::Held => return Ok(session),
            SessionStatus::Cancelled => require_planned(&session, "held")?,
            SessionStatus::Planned => hold(&mut tx, by, &session).await?,
        }
        let session = fetch_session(&mut tx, id).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn cancel_session(
        &self,
        by: &AuditContext,
        id: SessionId,
        reason: &str,
    ) -> Result<Session> {
        let reason = CANCEL_REASON
            .clean_required(reason)
            .map_err(|err| StoreError::invalid("reason", format!("The reason {}.", err.reason)))?;
        let mut tx = self.begin_write().await?;
        let session = fetch_session(&mut tx, id).await?;
        require_planned(&session, "cancelled")?;
        sqlx::query("UPDATE sessions SET status = 'cancelled', cancel_reason = $1 WHERE id = $2")
            .bind(&reason)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let event = AuditEvent::new(AuditAction::Update, "session", Some(id.0))
            .group(session.group_id)
            .detail(format!("session {}: planned -> cancelled", session.number));
        audit::append(&mut tx, by, &event).await?;
        let session = fetch_session(&mut tx, id).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn move_session(
        &self,
        by: &AuditContext,
        id: SessionId,
        to: DateTime,
    ) -> Result<Session> {
        let mut tx = self.begin_write().await?;
        let session = fetch_session(&mut tx, id).await?;
        require_planned(&session, "moved")?;
        let group = groups::fetch_group(&mut tx, session.group_id).await?;
        check_within(&group, to.date())?;
        let zone = planning::zone(&mut tx).await?;
        let at = planning::instant(to, &zone)?;
        sqlx::query("UPDATE sessions SET scheduled_at = $1 WHERE id = $2")
            .bind(ts(at))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        planning::renumber(&mut tx, group.id).await?;
        let event = AuditEvent::new(AuditAction::Update, "session", Some(id.0))
            .group(group.id)
            .detail(format!(
                "session {} moved from {} to {}",
                session.number,
                ts(session.scheduled_at),
                ts(at)
            ));
        audit::append(&mut tx, by, &event).await?;
        let session = fetch_session(&mut tx, id).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn add_session(
        &self,
        by: &AuditContext,
        group: GroupId,
        at: DateTime,
        minutes: u32,
    ) -> Result<Session> {
        if !SESSION_MINUTES.contains(&minutes) {
            return Err(StoreError::invalid(
                "minutes",
                format!(
                    "A session lasts {} to {} minutes.",
                    SESSION_MINUTES.start(),
                    SESSION_MINUTES.end()
                ),
            ));
        }
        let mut tx = self.begin_write().await?;
        let group = groups::fetch_group(&mut tx, group).await?;
        check_within(&group, at.date())?;
        let zone = planning::zone(&mut tx).await?;
        let id = planning::insert(
            &mut tx,
            group.id,
            planning::instant(at, &zone)?,
            minutes,
            true,
        )
        .await?;
        planning::renumber(&mut tx, group.id).await?;
        let session = fetch_session(&mut tx, id).await?;
        let event = AuditEvent::new(AuditAction::Create, "session", Some(id.0))
            .group(group.id)
            .detail(format!("extra session {}", session.number));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn record_attendance(
        &self,
        by: &AuditContext,
        session: SessionId,
        member: MemberId,
        mark: AttendanceMark,
    ) -> Result<Attendance> {
        let mut tx = self.begin_write().await?;
        let attendance = attendance::record(&mut tx, by, session, member, mark).await?;
        tx.commit().await?;
        Ok(attendance)
    }

    async fn record_all_present(
        &self,
        by: &AuditContext,
        session: SessionId,
    ) -> Result<Vec<Attendance>> {
        let mut tx = self.begin_write().await?;
        let marked = attendance::all_present(&mut tx, by, session).await?;
        tx.commit().await?;
        Ok(marked)
    }

    async fn lock_attendance(&self, by: &AuditContext, session: SessionId) -> Result<Session> {
        let mut tx = self.begin_write().await?;
        let session = attendance::lock(&mut tx, by, session).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn attendance(&self, session: SessionId) -> Result<Vec<Attendance>> {
        let rows = sqlx::query(&format!(
            "SELECT {ATTENDANCE_COLUMNS} FROM attendance WHERE session_id = $1 ORDER BY member_id"
        ))
        .bind(session.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attendance_from_row).collect()
    }
}
