//! `groups` and `group_staff`: groups, and who leads or co-leads them.

use async_trait::async_trait;
use domain::{Actor, Group, GroupId, GroupStaffRole, ProgramId, Role, User, UserId};
use sqlx::any::AnyRow;

use crate::{
    AuditAction, AuditContext, AuditEvent, GroupStore, NewGroup, Result, SqlStore, StoreError,
    audit,
    codec::{RowExt, date, ts},
    tables::users::user_from_row,
};

pub(crate) const GROUP_COLUMNS: &str = "id, program_id, name, kind, planned_sessions, capacity, schedule, starts_on, created_at, closed_at";

/// [`GROUP_COLUMNS`] qualified by a table alias, for joins.
pub(crate) fn group_columns(alias: &str) -> String {
    GROUP_COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
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
        starts_on: row.date("starts_on")?,
        created_at: row.timestamp("created_at")?,
        closed_at: row.opt_timestamp("closed_at")?,
    })
}

fn check_new_group(new: &NewGroup) -> Result<()> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(StoreError::Refused(
            "a group name must be 1 to 120 characters".into(),
        ));
    }
    if new.planned_sessions.is_some_and(|n| n == 0 || n > 500) {
        return Err(StoreError::Refused(
            "planned sessions must be between 1 and 500".into(),
        ));
    }
    if new.capacity.is_some_and(|n| n == 0 || n > 200) {
        return Err(StoreError::Refused(
            "capacity must be between 1 and 200".into(),
        ));
    }
    Ok(())
}

#[async_trait]
impl GroupStore for SqlStore {
    async fn create_group(&self, by: &AuditContext, new: &NewGroup) -> Result<Group> {
        check_new_group(new)?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO groups (program_id, name, kind, planned_sessions, capacity, schedule, starts_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {GROUP_COLUMNS}"
        ))
        .bind(new.program_id.0)
        .bind(new.name.trim())
        .bind(new.kind.as_str())
        .bind(new.planned_sessions.map(i64::from))
        .bind(new.capacity.map(i64::from))
        .bind(new.schedule.trim())
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
        let query = match actor.role {
            Role::Admin => format!("SELECT {GROUP_COLUMNS} FROM groups ORDER BY name, id"),
            Role::Supervisor => format!(
                "SELECT {GROUP_COLUMNS} FROM groups WHERE program_id IN \
                 (SELECT program_id FROM user_programs WHERE user_id = $1) ORDER BY name, id"
            ),
            Role::Facilitator | Role::CoFacilitator => format!(
                "SELECT {GROUP_COLUMNS} FROM groups WHERE id IN \
                 (SELECT group_id FROM group_staff WHERE user_id = $1) ORDER BY name, id"
            ),
            Role::Participant => return Ok(Vec::new()),
        };
        let mut statement = sqlx::query(&query);
        if actor.role != Role::Admin {
            statement = statement.bind(actor.user_id.0);
        }
        let rows = statement.fetch_all(&self.pool).await?;
        rows.iter().map(group_from_row).collect()
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
