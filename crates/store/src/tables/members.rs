//! `members` and `enrollments`: pseudonymous members and their places on rosters.

use async_trait::async_trait;
use domain::{Enrollment, GroupId, LeaveReason, Member, MemberAlias, MemberCode, MemberId};
use jiff::civil::Date;
use sqlx::any::AnyRow;

use crate::{
    AuditAction, AuditContext, AuditEvent, MemberStore, Result, RosterEntry, SqlStore, StoreError,
    audit,
    codec::{RowExt, date, ts},
    error::taken_or,
};

pub(crate) fn member_from_row(row: &AnyRow) -> Result<Member> {
    Ok(Member {
        id: MemberId(row.int("id")?),
        code: MemberCode::parse(&row.text("code")?)?,
        alias: row
            .opt_text("alias")?
            .as_deref()
            .map(MemberAlias::parse)
            .transpose()?,
        created_at: row.timestamp("created_at")?,
    })
}

pub(crate) fn enrollment_from_row(row: &AnyRow) -> Result<Enrollment> {
    Ok(Enrollment {
        member_id: MemberId(row.int("member_id")?),
        group_id: GroupId(row.int("group_id")?),
        joined_on: row.date("joined_on")?,
        left_on: row.opt_date("left_on")?,
        leave_reason: row.opt_parsed("leave_reason")?,
    })
}

pub(crate) const ENROLLMENT_COLUMNS: &str = "member_id, group_id, joined_on, left_on, leave_reason";

#[async_trait]
impl MemberStore for SqlStore {
    async fn create_member(
        &self,
        by: &AuditContext,
        code: &MemberCode,
        alias: Option<&MemberAlias>,
    ) -> Result<Member> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO members (code, alias, created_at) VALUES ($1, $2, $3) RETURNING id, code, alias, created_at",
        )
        .bind(code.as_str())
        .bind(alias.map(MemberAlias::as_str))
        .bind(ts(by.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(taken_or("member code"))?;
        let member = member_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Create, "member", Some(member.id.0))
            .member(member.id)
            .detail(member.code.to_string());
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(member)
    }

    async fn member(&self, id: MemberId) -> Result<Member> {
        let row = sqlx::query("SELECT id, code, alias, created_at FROM members WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        member_from_row(&row)
    }

    async fn member_by_code(&self, code: &MemberCode) -> Result<Option<Member>> {
        let row = sqlx::query("SELECT id, code, alias, created_at FROM members WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(member_from_row).transpose()
    }

    async fn enroll(
        &self,
        by: &AuditContext,
        member: MemberId,
        group: GroupId,
        joined_on: Date,
    ) -> Result<Enrollment> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO enrollments (member_id, group_id, joined_on) VALUES ($1, $2, $3) RETURNING {ENROLLMENT_COLUMNS}"
        ))
        .bind(member.0)
        .bind(group.0)
        .bind(date(joined_on))
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Refused("the member is already on this group's roster".into())
            }
            _ => StoreError::from(err),
        })?;
        let enrollment = enrollment_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Enroll, "member", Some(member.0))
            .member(member)
            .group(group)
            .detail(format!("joined {joined_on}"));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(enrollment)
    }

    async fn end_enrollment(
        &self,
        by: &AuditContext,
        member: MemberId,
        group: GroupId,
        left_on: Date,
        reason: LeaveReason,
    ) -> Result<Enrollment> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "UPDATE enrollments SET left_on = $1, leave_reason = $2 WHERE member_id = $3 AND group_id = $4 \
             AND joined_on <= $1 RETURNING {ENROLLMENT_COLUMNS}"
        ))
        .bind(date(left_on))
        .bind(reason.as_str())
        .bind(member.0)
        .bind(group.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Refused("no such enrollment, or the leaving date is before joining".into()))?;
        let enrollment = enrollment_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Update, "enrollment", Some(member.0))
            .member(member)
            .group(group)
            .detail(format!("left {left_on} ({reason})"));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(enrollment)
    }

    async fn roster(&self, group: GroupId) -> Result<Vec<RosterEntry>> {
        let rows = sqlx::query(
            "SELECT m.id, m.code, m.alias, m.created_at, e.member_id, e.group_id, e.joined_on, e.left_on, \
             e.leave_reason FROM enrollments e JOIN members m ON m.id = e.member_id \
             WHERE e.group_id = $1 ORDER BY m.code",
        )
        .bind(group.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RosterEntry {
                    member: member_from_row(row)?,
                    enrollment: enrollment_from_row(row)?,
                })
            })
            .collect()
    }

    async fn member_enrollments(&self, member: MemberId) -> Result<Vec<Enrollment>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENROLLMENT_COLUMNS} FROM enrollments WHERE member_id = $1 ORDER BY joined_on"
        ))
        .bind(member.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(enrollment_from_row).collect()
    }
}
