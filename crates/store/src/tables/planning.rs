//! Applying a schedule plan (`domain::schedule::plan`) to a group's sessions inside the
//! caller's write transaction, and keeping session numbers in date order.

use domain::{
    Group, GroupId, GroupStatus, Plan, PlanInput, Schedule, SessionId, SessionStatus, Slot,
};
use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};
use sqlx::{Any, Transaction};

use crate::{
    AuditAction, AuditContext, AuditEvent, Result, StoreError, audit,
    codec::{RowExt, ts},
    pages::local_day,
};

/// The organisation's time zone, read inside the transaction.
pub(crate) async fn zone(tx: &mut Transaction<'static, Any>) -> Result<TimeZone> {
    crate::pages::zone(&mut **tx).await
}

/// A local date and time in `zone` as an instant (a time skipped by a clock change moves
/// forward, a repeated one takes its first occurrence).
pub(crate) fn instant(at: DateTime, zone: &TimeZone) -> Result<Timestamp> {
    Ok(at
        .to_zoned(zone.clone())
        .map_err(|err| StoreError::Corrupt(format!("local time {at}: {err}")))?
        .timestamp())
}

/// The group's scheduled (not extra) sessions as planning sees them.
async fn slots(
    tx: &mut Transaction<'static, Any>,
    group: GroupId,
    zone: &TimeZone,
) -> Result<Vec<Slot>> {
    let rows = sqlx::query(
        "SELECT id, scheduled_at, status FROM sessions WHERE group_id = $1 AND extra = 0 \
         ORDER BY scheduled_at, id",
    )
    .bind(group.0)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Slot {
                id: SessionId(row.int("id")?),
                day: local_day(row.timestamp("scheduled_at")?, zone),
                status: row.parsed("status")?,
            })
        })
        .collect()
}

/// Plans the group's sessions from its meeting and applies the plan. Groups without a
/// meeting, and ended groups, are left as they are.
pub(crate) async fn replan(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    group: &Group,
    reschedule: bool,
) -> Result<()> {
    let Some(meeting) = group.meeting else {
        return Ok(());
    };
    if group.status == GroupStatus::Ended {
        return Ok(());
    }
    let zone = zone(tx).await?;
    let existing = slots(tx, group.id, &zone).await?;
    let plan = domain::schedule::plan(&PlanInput {
        schedule: &meeting,
        starts_on: group.starts_on,
        planned: group.planned_sessions,
        existing: &existing,
        today: local_day(by.at, &zone),
        reschedule,
    })
    .map_err(|err| StoreError::invalid("planned_sessions", err.reason))?;
    apply(tx, by, group.id, &meeting, &plan, &zone).await
}

async fn apply(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    group: GroupId,
    meeting: &Schedule,
    plan: &Plan,
    zone: &TimeZone,
) -> Result<()> {
    if plan.is_empty() {
        return Ok(());
    }
    let at = |day: Date| instant(day.to_datetime(meeting.time()), zone);
    for (id, day) in &plan.moves {
        sqlx::query("UPDATE sessions SET scheduled_at = $1, minutes = $2 WHERE id = $3")
            .bind(ts(at(*day)?))
            .bind(i64::from(meeting.minutes()))
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
    }
    for id in &plan.cancel {
        sqlx::query(
            "UPDATE sessions SET status = 'cancelled', cancel_reason = $1 WHERE id = $2 AND status = 'planned'",
        )
        .bind("Fewer sessions are planned")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    }
    for day in &plan.add {
        insert(tx, group, at(*day)?, meeting.minutes(), false).await?;
    }
    if !plan.moves.is_empty() || !plan.add.is_empty() {
        renumber(tx, group).await?;
    }
    let mut parts = Vec::new();
    for (count, what) in [
        (plan.add.len(), "added"),
        (plan.moves.len(), "moved"),
        (plan.cancel.len(), "cancelled"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {what}"));
        }
    }
    let event = AuditEvent::new(AuditAction::Update, "group", Some(group.0))
        .group(group)
        .detail(format!("sessions planned: {}", parts.join(", ")));
    audit::append(tx, by, &event).await
}

/// Inserts a planned session after the group's last number (renumber afterwards).
pub(crate) async fn insert(
    tx: &mut Transaction<'static, Any>,
    group: GroupId,
    at: Timestamp,
    minutes: u32,
    extra: bool,
) -> Result<SessionId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (group_id, number, scheduled_at, minutes, status, extra) VALUES \
         ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM sessions WHERE group_id = $1), $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(group.0)
    .bind(ts(at))
    .bind(i64::from(minutes))
    .bind(SessionStatus::Planned.as_str())
    .bind(i64::from(extra))
    .fetch_one(&mut **tx)
    .await?;
    Ok(SessionId(id))
}

/// Numbers the group's sessions 1, 2, ... in date order. Two statements: numbers are first
/// moved out of the way, so the unique (group, number) pair holds at every row.
pub(crate) async fn renumber(tx: &mut Transaction<'static, Any>, group: GroupId) -> Result<()> {
    sqlx::query("UPDATE sessions SET number = number + 1000000 WHERE group_id = $1")
        .bind(group.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE sessions SET number = (SELECT COUNT(*) FROM sessions o WHERE o.group_id = sessions.group_id \
         AND (o.scheduled_at < sessions.scheduled_at OR (o.scheduled_at = sessions.scheduled_at AND o.id <= sessions.id))) \
         WHERE group_id = $1",
    )
    .bind(group.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
