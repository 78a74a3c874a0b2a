//! `members` and `enrollments`: pseudonymous members and their stays on rosters.

use async_trait::async_trait;
use domain::{
    Enrollment, EnrollmentId, Group, GroupId, LeaveReason, Member, MemberAlias, MemberCode,
    MemberId, member::KIOSK_LABEL, text::date_words,
};
use jiff::civil::Date;
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, MemberStore, NewEnrollment, Result, RosterEntry,
    SqlStore, StoreError, audit,
    codec::{RowExt, date, ts},
    pages::local_day,
    tables::{groups::fetch_group, planning},
};

const MEMBER_COLUMNS: &str = "id, code, alias, created_at";

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
        id: EnrollmentId(row.int("enrollment_id")?),
        member_id: MemberId(row.int("member_id")?),
        group_id: GroupId(row.int("group_id")?),
        joined_on: row.date("joined_on")?,
        left_on: row.opt_date("left_on")?,
        leave_reason: row.opt_parsed("leave_reason")?,
        kiosk_label: row.opt_text("kiosk_label")?,
    })
}

/// Enrollment columns (the id as `enrollment_id`, so joins with members can read both).
pub(crate) const ENROLLMENT_COLUMNS: &str =
    "id AS enrollment_id, member_id, group_id, joined_on, left_on, leave_reason, kiosk_label";

/// [`ENROLLMENT_COLUMNS`] qualified by a table alias, for joins.
pub(crate) fn enrollment_columns(alias: &str) -> String {
    format!(
        "{alias}.id AS enrollment_id, {alias}.member_id, {alias}.group_id, {alias}.joined_on, \
         {alias}.left_on, {alias}.leave_reason, {alias}.kiosk_label"
    )
}

/// Every stay of a member in a group, oldest first.
async fn stays(
    tx: &mut Transaction<'static, Any>,
    member: MemberId,
    group: GroupId,
) -> Result<Vec<Enrollment>> {
    let rows = sqlx::query(&format!(
        "SELECT {ENROLLMENT_COLUMNS} FROM enrollments WHERE member_id = $1 AND group_id = $2 ORDER BY joined_on, id"
    ))
    .bind(member.0)
    .bind(group.0)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(enrollment_from_row).collect()
}

async fn fetch_member(tx: &mut Transaction<'static, Any>, id: MemberId) -> Result<Member> {
    let row = sqlx::query(&format!(
        "SELECT {MEMBER_COLUMNS} FROM members WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await?;
    member_from_row(&row)
}

fn kiosk_label(raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let label = KIOSK_LABEL.clean(raw).map_err(|err| {
        StoreError::invalid("kiosk_label", format!("The kiosk label {}.", err.reason))
    })?;
    Ok((!label.is_empty()).then_some(label))
}

/// Adds a stay inside the caller's transaction, refusing one that overlaps an earlier stay
/// or starts after the group ended.
async fn add_stay(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    member: &Member,
    group: &Group,
    joined_on: Date,
    label: Option<&str>,
) -> Result<Enrollment> {
    if group.ended_on.is_some_and(|end| joined_on > end) {
        return Err(StoreError::invalid(
            "joined_on",
            "The group has ended by then; choose a date on or before its last day.",
        ));
    }
    for stay in stays(tx, member.id, group.id).await? {
        match stay.left_on {
            None => {
                return Err(StoreError::invalid(
                    "code",
                    format!("{} is already on this group's roster.", member.code),
                ));
            }
            Some(left) if joined_on < left => {
                return Err(StoreError::invalid(
                    "joined_on",
                    format!(
                        "{} was on the roster until {}; a new stay starts on or after that day.",
                        member.code,
                        date_words(left)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    let row = sqlx::query(&format!(
        "INSERT INTO enrollments (member_id, group_id, joined_on, kiosk_label) VALUES ($1, $2, $3, $4) \
         RETURNING {ENROLLMENT_COLUMNS}"
    ))
    .bind(member.id.0)
    .bind(group.id.0)
    .bind(date(joined_on))
    .bind(label)
    .fetch_one(&mut **tx)
    .await
    .map_err(|err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::invalid(
            "code",
            format!("{} is already on this group's roster.", member.code),
        ),
        _ => StoreError::from(err),
    })?;
    let enrollment = enrollment_from_row(&row)?;
    let event = AuditEvent::new(AuditAction::Enroll, "member", Some(member.id.0))
        .member(member.id)
        .group(group.id)
        .detail(format!("joined {joined_on}"));
    audit::append(tx, by, &event).await?;
    Ok(enrollment)
}

async fn insert_member(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    code: &MemberCode,
    alias: Option<&MemberAlias>,
) -> Result<Member> {
    let row = sqlx::query(&format!(
        "INSERT INTO members (code, alias, created_at) VALUES ($1, $2, $3) RETURNING {MEMBER_COLUMNS}"
    ))
    .bind(code.as_str())
    .bind(alias.map(MemberAlias::as_str))
    .bind(ts(by.at))
    .fetch_one(&mut **tx)
    .await
    .map_err(|err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Taken("member code"),
        _ => StoreError::from(err),
    })?;
    let member = member_from_row(&row)?;
    let event = AuditEvent::new(AuditAction::Create, "member", Some(member.id.0))
        .member(member.id)
        .detail(member.code.to_string());
    audit::append(tx, by, &event).await?;
    Ok(member)
}

#[async_trait]
impl MemberStore for SqlStore {
    async fn create_member(
        &self,
        by: &AuditContext,
        code: &MemberCode,
        alias: Option<&MemberAlias>,
    ) -> Result<Member> {
        let mut tx = self.begin_write().await?;
        let member = insert_member(&mut tx, by, code, alias).await?;
        tx.commit().await?;
        Ok(member)
    }

    async fn member(&self, id: MemberId) -> Result<Member> {
        let row = sqlx::query(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        member_from_row(&row)
    }

    async fn member_by_code(&self, code: &MemberCode) -> Result<Option<Member>> {
        let row = sqlx::query(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE code = $1"
        ))
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
        let member = fetch_member(&mut tx, member).await?;
        let group = fetch_group(&mut tx, group).await?;
        let enrollment = add_stay(&mut tx, by, &member, &group, joined_on, None).await?;
        tx.commit().await?;
        Ok(enrollment)
    }

    async fn enroll_member(
        &self,
        by: &AuditContext,
        group: GroupId,
        new: &NewEnrollment,
    ) -> Result<RosterEntry> {
        let label = kiosk_label(new.kiosk_label.as_deref())?;
        let mut tx = self.begin_write().await?;
        let group = fetch_group(&mut tx, group).await?;
        let member = if new.existing {
            let row = sqlx::query(&format!(
                "SELECT {MEMBER_COLUMNS} FROM members WHERE code = $1"
            ))
            .bind(new.code.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::invalid("code", format!("No member has the code {}.", new.code))
            })?;
            let mut member = member_from_row(&row)?;
            // An alias typed for a known member fills a missing one and never replaces
            // what another group's staff chose.
            if let (None, Some(alias)) = (&member.alias, &new.alias) {
                sqlx::query("UPDATE members SET alias = $1 WHERE id = $2")
                    .bind(alias.as_str())
                    .bind(member.id.0)
                    .execute(&mut *tx)
                    .await?;
                member.alias = Some(alias.clone());
            }
            member
        } else {
            insert_member(&mut tx, by, &new.code, new.alias.as_ref())
                .await
                .map_err(|err| match err {
                    StoreError::Taken(_) => StoreError::invalid(
                        "code",
                        format!(
                            "The code {} is already in use. Leave the code empty to generate one, \
                             or enroll the member who has it.",
                            new.code
                        ),
                    ),
                    other => other,
                })?
        };
        let enrollment = add_stay(
            &mut tx,
            by,
            &member,
            &group,
            new.joined_on,
            label.as_deref(),
        )
        .await?;
        tx.commit().await?;
        Ok(RosterEntry { member, enrollment })
    }

    async fn update_roster_entry(
        &self,
        by: &AuditContext,
        group: GroupId,
        member: MemberId,
        alias: Option<&MemberAlias>,
        label: Option<&str>,
    ) -> Result<RosterEntry> {
        let label = kiosk_label(label)?;
        let mut tx = self.begin_write().await?;
        let current = stays(&mut tx, member, group)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE members SET alias = $1 WHERE id = $2")
            .bind(alias.map(MemberAlias::as_str))
            .bind(member.0)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(&format!(
            "UPDATE enrollments SET kiosk_label = $1 WHERE id = $2 RETURNING {ENROLLMENT_COLUMNS}"
        ))
        .bind(label.as_deref())
        .bind(current.id.0)
        .fetch_one(&mut *tx)
        .await?;
        let enrollment = enrollment_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Update, "member", Some(member.0))
            .member(member)
            .group(group)
            .detail("alias and kiosk label");
        audit::append(&mut tx, by, &event).await?;
        let member = fetch_member(&mut tx, member).await?;
        tx.commit().await?;
        Ok(RosterEntry { member, enrollment })
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
        let all = stays(&mut tx, member, group).await?;
        if all.is_empty() {
            return Err(StoreError::NotFound);
        }
        let open = all
            .into_iter()
            .find(|e| e.left_on.is_none())
            .ok_or_else(|| StoreError::Refused("That member is not on this roster now.".into()))?;
        if left_on < open.joined_on {
            return Err(StoreError::invalid(
                "left_on",
                format!(
                    "The leaving date cannot be before the joining date ({}).",
                    date_words(open.joined_on)
                ),
            ));
        }
        // Attendance recorded on or after the leaving day would belong to no stay.
        let zone = planning::zone(&mut tx).await?;
        let marked: Vec<String> = sqlx::query_scalar(
            "SELECT s.scheduled_at FROM attendance a JOIN sessions s ON s.id = a.session_id \
             WHERE a.member_id = $1 AND s.group_id = $2 ORDER BY s.scheduled_at DESC",
        )
        .bind(member.0)
        .bind(group.0)
        .fetch_all(&mut *tx)
        .await?;
        for at in marked {
            let day = local_day(crate::codec::parse_ts(&at)?, &zone);
            if day >= left_on && day >= open.joined_on {
                return Err(StoreError::invalid(
                    "left_on",
                    format!(
                        "Attendance is recorded for this member on {}; the leaving date must be after it.",
                        date_words(day)
                    ),
                ));
            }
        }
        let row = sqlx::query(&format!(
            "UPDATE enrollments SET left_on = $1, leave_reason = $2 WHERE id = $3 RETURNING {ENROLLMENT_COLUMNS}"
        ))
        .bind(date(left_on))
        .bind(reason.as_str())
        .bind(open.id.0)
        .fetch_one(&mut *tx)
        .await?;
        let enrollment = enrollment_from_row(&row)?;
        let event = AuditEvent::new(AuditAction::Update, "enrollment", Some(open.id.0))
            .member(member)
            .group(group)
            .detail(format!("left {left_on} ({reason})"));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(enrollment)
    }

    async fn roster(&self, group: GroupId) -> Result<Vec<RosterEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT m.id, m.code, m.alias, m.created_at, {} FROM enrollments e \
             JOIN members m ON m.id = e.member_id WHERE e.group_id = $1 ORDER BY m.code, e.joined_on",
            enrollment_columns("e")
        ))
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
            "SELECT {ENROLLMENT_COLUMNS} FROM enrollments WHERE member_id = $1 ORDER BY joined_on, id"
        ))
        .bind(member.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(enrollment_from_row).collect()
    }
}
