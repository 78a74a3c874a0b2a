//! `attendance`: who was in the room at a session, and for how much of it.
//!
//! A mark is taken only for a member on the roster on the session's day, on or after that
//! day, for a session that is not cancelled, and while the session's attendance is not
//! locked (its group note signed). Taking the first mark holds a planned session. Every
//! mark is audited in its own transaction; nothing is half-saved.

use domain::{
    Attendance, AttendanceMark, MemberId, Session, SessionId, SessionStatus, text::date_words,
};
use jiff::{SignedDuration, civil::Date, tz::TimeZone};
use sqlx::{Any, Transaction};

use crate::{
    AuditAction, AuditContext, AuditEvent, Result, StoreError, audit,
    codec::ts,
    pages::local_day,
    tables::{
        members::{ENROLLMENT_COLUMNS, enrollment_from_row},
        planning,
        sessions::{ATTENDANCE_COLUMNS, attendance_from_row, fetch_session, hold},
    },
};

/// Refuses marks on a locked, cancelled or future session; returns the session's day.
async fn check_open(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    session: &Session,
) -> Result<(Date, TimeZone)> {
    if session.attendance_locked_at.is_some() {
        return Err(StoreError::Locked(format!(
            "Attendance for session {} is locked: its group note is signed.",
            session.number
        )));
    }
    if session.status == SessionStatus::Cancelled {
        return Err(StoreError::Refused(format!(
            "Session {} was cancelled; it has no attendance.",
            session.number
        )));
    }
    let zone = planning::zone(tx).await?;
    let day = local_day(session.scheduled_at, &zone);
    if day > local_day(by.at, &zone) {
        return Err(StoreError::Refused(format!(
            "Session {} is on {}; attendance is taken from that day on.",
            session.number,
            date_words(day)
        )));
    }
    Ok((day, zone))
}

/// Records one member's mark (replacing an earlier one).
pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    session_id: SessionId,
    member: MemberId,
    mark: AttendanceMark,
) -> Result<Attendance> {
    let session = fetch_session(tx, session_id).await?;
    let (day, _) = check_open(tx, by, &session).await?;
    let mark = AttendanceMark::new(
        mark.status(),
        mark.late_minutes(),
        mark.left_early_minutes(),
        session.minutes,
    )
    .map_err(|err| StoreError::invalid("minutes", format!("Minutes {}.", err.reason)))?;
    let rows = sqlx::query(&format!(
        "SELECT {ENROLLMENT_COLUMNS} FROM enrollments WHERE member_id = $1 AND group_id = $2"
    ))
    .bind(member.0)
    .bind(session.group_id.0)
    .fetch_all(&mut **tx)
    .await?;
    // Someone who was never on this roster is answered like an unknown id.
    if rows.is_empty() {
        return Err(StoreError::NotFound);
    }
    let on_roster = rows
        .iter()
        .map(enrollment_from_row)
        .collect::<Result<Vec<_>>>()?
        .iter()
        .any(|stay| stay.is_active_on(day));
    if !on_roster {
        return Err(StoreError::invalid(
            "member",
            format!(
                "This member is not on the roster on {}, the day of session {}.",
                date_words(day),
                session.number
            ),
        ));
    }
    if session.status == SessionStatus::Planned {
        hold(tx, by, &session).await?;
    }
    upsert(tx, by, &session, member, mark).await
}

async fn upsert(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    session: &Session,
    member: MemberId,
    mark: AttendanceMark,
) -> Result<Attendance> {
    let arrived = (mark.late_minutes() > 0).then(|| {
        session
            .scheduled_at
            .checked_add(SignedDuration::from_mins(i64::from(mark.late_minutes())))
            .unwrap_or(session.scheduled_at)
    });
    let left = (mark.left_early_minutes() > 0).then(|| {
        session
            .ends_at()
            .checked_sub(SignedDuration::from_mins(i64::from(
                mark.left_early_minutes(),
            )))
            .unwrap_or(session.scheduled_at)
    });
    let row = sqlx::query(&format!(
        "INSERT INTO attendance (session_id, member_id, status, late_minutes, left_early_minutes, arrived_at, left_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id, member_id) DO UPDATE SET \
         status = excluded.status, late_minutes = excluded.late_minutes, \
         left_early_minutes = excluded.left_early_minutes, arrived_at = excluded.arrived_at, \
         left_at = excluded.left_at RETURNING {ATTENDANCE_COLUMNS}"
    ))
    .bind(session.id.0)
    .bind(member.0)
    .bind(mark.status().as_str())
    .bind(i64::from(mark.late_minutes()))
    .bind(i64::from(mark.left_early_minutes()))
    .bind(arrived.map(ts))
    .bind(left.map(ts))
    .fetch_one(&mut **tx)
    .await?;
    let attendance = attendance_from_row(&row)?;
    let minutes = match (mark.late_minutes(), mark.left_early_minutes()) {
        (0, 0) => String::new(),
        (late, early) => format!(" (late {late} min, left {early} min early)"),
    };
    let event = AuditEvent::new(AuditAction::Update, "attendance", Some(session.id.0))
        .group(session.group_id)
        .member(member)
        .detail(format!(
            "session {}: {}{minutes}",
            session.number,
            mark.status()
        ));
    audit::append(tx, by, &event).await?;
    Ok(attendance)
}

/// Marks present everyone on the roster that day who has no mark yet; returns them.
pub(crate) async fn all_present(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    session_id: SessionId,
) -> Result<Vec<Attendance>> {
    let session = fetch_session(tx, session_id).await?;
    let (day, _) = check_open(tx, by, &session).await?;
    let rows = sqlx::query(&format!(
        "SELECT {ENROLLMENT_COLUMNS} FROM enrollments WHERE group_id = $1 \
         AND member_id NOT IN (SELECT member_id FROM attendance WHERE session_id = $2)"
    ))
    .bind(session.group_id.0)
    .bind(session.id.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut expected: Vec<MemberId> = Vec::new();
    for row in &rows {
        let stay = enrollment_from_row(row)?;
        if stay.is_active_on(day) && !expected.contains(&stay.member_id) {
            expected.push(stay.member_id);
        }
    }
    expected.sort();
    if session.status == SessionStatus::Planned && !expected.is_empty() {
        hold(tx, by, &session).await?;
    }
    let present = AttendanceMark::plain(domain::AttendanceStatus::Present);
    let mut marked = Vec::new();
    for member in expected {
        marked.push(upsert(tx, by, &session, member, present).await?);
    }
    Ok(marked)
}

/// Locks a session's attendance (the group note was signed). Inside the caller's
/// transaction, so the note's signature and the lock commit together.
pub(crate) async fn lock(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    session_id: SessionId,
) -> Result<Session> {
    let session = fetch_session(tx, session_id).await?;
    if session.attendance_locked_at.is_none() {
        sqlx::query("UPDATE sessions SET attendance_locked_at = $1 WHERE id = $2")
            .bind(ts(by.at))
            .bind(session.id.0)
            .execute(&mut **tx)
            .await?;
        let event = AuditEvent::new(AuditAction::Update, "session", Some(session.id.0))
            .group(session.group_id)
            .detail(format!("session {}: attendance locked", session.number));
        audit::append(tx, by, &event).await?;
    }
    fetch_session(tx, session_id).await
}
