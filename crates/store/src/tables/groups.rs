//! `groups` and `group_staff`: groups, and who leads or co-leads them.

use async_trait::async_trait;
use domain::{
    Actor, Group, GroupId, GroupStaffRole, GroupStatus, ProgramId, Schedule, User, UserId,
    group::GROUP_NAME, text::date_words,
};
use jiff::civil::{Date, Weekday};
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, GroupEdit, GroupStore, NewGroup, Result, SqlStore,
    StoreError, audit,
    codec::{RowExt, clock_time, date, parse_clock_time, ts},
    tables::{planning, users::user_from_row},
};

pub(crate) const GROUP_COLUMNS: &str = "id, program_id, name, kind, planned_sessions, capacity, schedule, \
     meets_weekday, meets_at, session_minutes, starts_on, status, ended_on, created_at, closed_at";

/// [`GROUP_COLUMNS`] qualified by a table alias, for joins.
pub(crate) fn group_columns(alias: &str) -> String {
    GROUP_COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn meeting_from_row(row: &AnyRow) -> Result<Option<Schedule>> {
    let (Some(weekday), Some(time), Some(minutes)) = (
        row.opt_int("meets_weekday")?,
        row.opt_text("meets_at")?,
        row.opt_u32("session_minutes")?,
    ) else {
        return Ok(None);
    };
    let weekday = i8::try_from(weekday)
        .ok()
        .and_then(|w| Weekday::from_monday_one_offset(w).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("meets_weekday = {weekday}")))?;
    Ok(Some(Schedule::new(
        weekday,
        parse_clock_time(&time)?,
        minutes,
    )?))
}

pub(crate) fn group_from_row(row: &AnyRow) -> Result<Group> {
    Ok(Group {
        id: GroupId(row.int("id")?),
        program_id: ProgramId(row.int("program_id")?),
        name: row.text("name")?,
        kind: row.parsed("kind")?,
        planned_sessions: row.opt_u32("planned_sessions")?,
        capacity: row.opt_u32("capacity")?,
        schedule: row.text("schedule")?,
        meeting: meeting_from_row(row)?,
        starts_on: row.date("starts_on")?,
        status: row.parsed("status")?,
        ended_on: row.opt_date("ended_on")?,
        created_at: row.timestamp("created_at")?,
        closed_at: row.opt_timestamp("closed_at")?,
    })
}

/// The checked set-up of a new or edited group; each refusal names its field.
struct Setup {
    name: String,
    schedule: String,
}

fn check_setup(
    name: &str,
    planned_sessions: Option<u32>,
    capacity: Option<u32>,
    schedule: &str,
    meeting: Option<&Schedule>,
) -> Result<Setup> {
    let name = GROUP_NAME
        .clean_required(name)
        .map_err(|err| StoreError::invalid("name", format!("The group name {}.", err.reason)))?;
    if planned_sessions.is_some_and(|n| n == 0 || n > 500) {
        return Err(StoreError::invalid(
            "planned_sessions",
            "Planned sessions must be between 1 and 500, or empty for an open-ended group.",
        ));
    }
    if capacity.is_some_and(|n| n == 0 || n > 200) {
        return Err(StoreError::invalid(
            "capacity",
            "Capacity must be between 1 and 200, or empty.",
        ));
    }
    let schedule = SCHEDULE_WORDS
        .clean(schedule)
        .map_err(|err| StoreError::invalid("schedule", format!("The schedule {}.", err.reason)))?;
    let schedule = match (schedule.is_empty(), meeting) {
        (true, Some(meeting)) => meeting.describe(),
        _ => schedule,
    };
    Ok(Setup { name, schedule })
}

/// The schedule in words: one line.
const SCHEDULE_WORDS: domain::TextLimit = domain::TextLimit::line("schedule", 120);

pub(crate) async fn fetch_group(tx: &mut Transaction<'static, Any>, id: GroupId) -> Result<Group> {
    let row = sqlx::query(&format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    group_from_row(&row)
}

fn meeting_columns(meeting: Option<&Schedule>) -> (Option<i64>, Option<String>, Option<i64>) {
    match meeting {
        Some(m) => (
            Some(i64::from(m.weekday().to_monday_one_offset())),
            Some(clock_time(m.time())),
            Some(i64::from(m.minutes())),
        ),
        None => (None, None, None),
    }
}

/// Moves a group along planned -> active -> ended, refusing any other step.
async fn set_status(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    group: &Group,
    next: GroupStatus,
    ended_on: Option<Date>,
) -> Result<()> {
    if !group.status.can_become(next) {
        return Err(StoreError::Refused(format!(
            "A group that is {} cannot become {}.",
            group.status.label().to_lowercase(),
            next.label().to_lowercase()
        )));
    }
    sqlx::query("UPDATE groups SET status = $1, ended_on = $2, closed_at = $3 WHERE id = $4")
        .bind(next.as_str())
        .bind(ended_on.map(date))
        .bind((next == GroupStatus::Ended).then(|| ts(by.at)))
        .bind(group.id.0)
        .execute(&mut **tx)
        .await?;
    let detail = match ended_on {
        Some(day) => format!("status {} -> {next}, ended {day}", group.status),
        None => format!("status {} -> {next}", group.status),
    };
    let event = AuditEvent::new(AuditAction::Update, "group", Some(group.id.0))
        .group(group.id)
        .detail(detail);
    audit::append(tx, by, &event).await
}

/// Makes a planned group active: its first session was held or attendance taken.
pub(crate) async fn activate(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    group: GroupId,
) -> Result<()> {
    let group = fetch_group(tx, group).await?;
    if group.status == GroupStatus::Planned {
        set_status(tx, by, &group, GroupStatus::Active, None).await?;
    }
    Ok(())
}

#[async_trait]
impl GroupStore for SqlStore {
    async fn create_group(&self, by: &AuditContext, new: &NewGroup) -> Result<Group> {
        let setup = check_setup(
            &new.name,
            new.planned_sessions,
            new.capacity,
            &new.schedule,
            new.meeting.as_ref(),
        )?;
        let (weekday, time, minutes) = meeting_columns(new.meeting.as_ref());
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO groups (program_id, name, kind, planned_sessions, capacity, schedule, meets_weekday, \
             meets_at, session_minutes, starts_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {GROUP_COLUMNS}"
        ))
        .bind(new.program_id.0)
        .bind(&setup.name)
        .bind(new.kind.as_str())
        .bind(new.planned_sessions.map(i64::from))
        .bind(new.capacity.map(i64::from))
        .bind(&setup.schedule)
        .bind(weekday)
        .bind(time)
        .bind(minutes)
        .bind(date(new.starts_on))
        .bind(ts(by.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => StoreError::from(err),
        })?;
        let group = group_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Create, "group", Some(group.id.0)).group(group.id);
        audit::append(&mut tx, by, &event).await?;
        planning::replan(&mut tx, by, &group, false).await?;
        tx.commit().await?;
        Ok(group)
    }

    async fn update_group(
        &self,
        by: &AuditContext,
        id: GroupId,
        edit: &GroupEdit,
    ) -> Result<Group> {
        let setup = check_setup(
            &edit.name,
            edit.planned_sessions,
            edit.capacity,
            "",
            edit.meeting.as_ref(),
        )?;
        let mut tx = self.begin_write().await?;
        let before = fetch_group(&mut tx, id).await?;
        if before.status == GroupStatus::Ended {
            return Err(StoreError::Refused(
                "This group has ended; its set-up can no longer change.".into(),
            ));
        }
        if edit.starts_on != before.starts_on {
            let held: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sessions WHERE group_id = $1 AND status = 'held'",
            )
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            if held > 0 {
                return Err(StoreError::invalid(
                    "starts_on",
                    "The first session date is fixed once a session has been held.",
                ));
            }
        }
        // The words follow the meeting; an older group without one keeps what was typed.
        let schedule = match edit.meeting {
            Some(_) => setup.schedule,
            None => before.schedule.clone(),
        };
        let (weekday, time, minutes) = meeting_columns(edit.meeting.as_ref());
        let row = sqlx::query(&format!(
            "UPDATE groups SET name = $1, kind = $2, planned_sessions = $3, capacity = $4, schedule = $5, \
             meets_weekday = $6, meets_at = $7, session_minutes = $8, starts_on = $9 WHERE id = $10 \
             RETURNING {GROUP_COLUMNS}"
        ))
        .bind(&setup.name)
        .bind(edit.kind.as_str())
        .bind(edit.planned_sessions.map(i64::from))
        .bind(edit.capacity.map(i64::from))
        .bind(&schedule)
        .bind(weekday)
        .bind(time)
        .bind(minutes)
        .bind(date(edit.starts_on))
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await?;
        let group = group_from_row(&row)?;
        let mut changed = Vec::new();
        if group.name != before.name {
            changed.push("name");
        }
        if group.kind != before.kind {
            changed.push("kind");
        }
        if group.planned_sessions != before.planned_sessions {
            changed.push("planned sessions");
        }
        if group.capacity != before.capacity {
            changed.push("capacity");
        }
        if group.meeting != before.meeting {
            changed.push("schedule");
        }
        if group.starts_on != before.starts_on {
            changed.push("start date");
        }
        let event = AuditEvent::new(AuditAction::Update, "group", Some(id.0))
            .group(id)
            .detail(if changed.is_empty() {
                "no change".to_owned()
            } else {
                format!("changed {}", changed.join(", "))
            });
        audit::append(&mut tx, by, &event).await?;
        let reschedule = group.meeting != before.meeting || group.starts_on != before.starts_on;
        planning::replan(&mut tx, by, &group, reschedule).await?;
        tx.commit().await?;
        Ok(group)
    }

    async fn start_group(&self, by: &AuditContext, id: GroupId) -> Result<Group> {
        let mut tx = self.begin_write().await?;
        let group = fetch_group(&mut tx, id).await?;
        set_status(&mut tx, by, &group, GroupStatus::Active, None).await?;
        let group = fetch_group(&mut tx, id).await?;
        tx.commit().await?;
        Ok(group)
    }

    async fn end_group(&self, by: &AuditContext, id: GroupId, ended_on: Date) -> Result<Group> {
        let mut tx = self.begin_write().await?;
        let group = fetch_group(&mut tx, id).await?;
        if ended_on < group.starts_on {
            return Err(StoreError::invalid(
                "ended_on",
                format!(
                    "The last day cannot be before the group started ({}).",
                    date_words(group.starts_on)
                ),
            ));
        }
        let zone = planning::zone(&mut tx).await?;
        let rows = sqlx::query(
            "SELECT id, scheduled_at, status FROM sessions WHERE group_id = $1 AND status <> 'cancelled'",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut after = Vec::new();
        for row in &rows {
            let day = crate::pages::local_day(row.timestamp("scheduled_at")?, &zone);
            if day <= ended_on {
                continue;
            }
            if row.text("status")? == "held" {
                return Err(StoreError::invalid(
                    "ended_on",
                    format!(
                        "A session was held after that day (on {}); the group cannot end before it.",
                        date_words(day)
                    ),
                ));
            }
            after.push(row.int("id")?);
        }
        for session in &after {
            sqlx::query(
                "UPDATE sessions SET status = 'cancelled', cancel_reason = 'The group ended' WHERE id = $1",
            )
            .bind(session)
            .execute(&mut *tx)
            .await?;
        }
        set_status(&mut tx, by, &group, GroupStatus::Ended, Some(ended_on)).await?;
        let group = fetch_group(&mut tx, id).await?;
        tx.commit().await?;
        Ok(group)
    }

    async fn group(&self, id: GroupId) -> Result<Group> {
        let row = sqlx::query(&format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        group_from_row(&row)
    }

    async fn groups_visible_to(&self, actor: &Actor) -> Result<Vec<Group>> {
        // `domain::can` decides, group by group; the query only lists them.
        Ok(crate::pages::visible_groups(self, actor)
            .await?
            .into_iter()
            .map(|(group, _)| group)
            .collect())
    }

    async fn assign_staff(
        &self,
        by: &AuditContext,
        group: GroupId,
        user: UserId,
        role: GroupStaffRole,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO group_staff (group_id, user_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(group.0)
        .bind(user.0)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => StoreError::from(err),
        })?;
        let event = AuditEvent::new(AuditAction::Assign, "group", Some(group.0))
            .group(group)
            .detail(format!("user {user} as {role}"));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn remove_staff(&self, by: &AuditContext, group: GroupId, user: UserId) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query("DELETE FROM group_staff WHERE group_id = $1 AND user_id = $2")
            .bind(group.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::new(AuditAction::Assign, "group", Some(group.0))
            .group(group)
            .detail(format!("user {user} removed"));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn group_staff(&self, group: GroupId) -> Result<Vec<(User, GroupStaffRole)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.created_at, u.disabled_at, u.locked_at, \
             s.role AS staff_role FROM group_staff s JOIN users u ON u.id = s.user_id \
             WHERE s.group_id = $1 ORDER BY s.role DESC, u.display_name",
        )
        .bind(group.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((user_from_row(row)?, row.parsed("staff_role")?)))
            .collect()
    }
}
