//! The group page: the group, its staff, its roster with each member's figures, and its
//! sessions with their counts.

use std::collections::BTreeMap;

use domain::{
    Action, Actor, AttendanceMark, GroupId, MemberId, Resource, SessionCounts, access::GroupRef,
    can,
};
use jiff::tz::TimeZone;
use sqlx::any::AnyRow;

use super::{GroupOverview, RosterLine, SessionLine, figures_for, index_marks, local_day};
use crate::{
    AuditAction, AuditContext, AuditEvent, AuditStore, GroupStore, Result, SqlStore, StoreError,
    codec::RowExt,
    tables::{
        groups::{group_columns, group_from_row},
        members::{enrollment_columns, enrollment_from_row, member_from_row},
        sessions::{SESSION_COLUMNS, attendance_columns, attendance_from_row, session_from_row},
    },
};

/// The group with its program's name and the organisation's zone, if `actor` may do
/// `action` on it; `NotFound` otherwise. One query.
pub(crate) async fn group_for(
    store: &SqlStore,
    actor: &Actor,
    id: GroupId,
    action: Action,
) -> Result<(domain::Group, String, TimeZone)> {
    let row = sqlx::query(&format!(
        "SELECT {}, p.name AS program_name, o.time_zone FROM groups g \
         JOIN programs p ON p.id = g.program_id JOIN organisation o ON o.id = 1 WHERE g.id = $1",
        group_columns("g")
    ))
    .bind(id.0)
    .fetch_optional(&store.pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    let group = group_from_row(&row)?;
    let reference = GroupRef {
        id: group.id,
        program_id: group.program_id,
    };
    if !can(actor, action, Resource::Group(reference)) {
        return Err(StoreError::NotFound);
    }
    let zone = TimeZone::get(&row.text("time_zone")?).unwrap_or(TimeZone::UTC);
    Ok((group, row.text("program_name")?, zone))
}

/// Everyone who is or was on a group's roster, one line per member with their periods.
pub(crate) fn roster_lines(rows: &[AnyRow], shows_aliases: bool) -> Result<Vec<RosterLine>> {
    let mut lines: BTreeMap<(String, MemberId), RosterLine> = BTreeMap::new();
    for row in rows {
        let mut member = member_from_row(row)?;
        if !shows_aliases {
            member.alias = None;
        }
        let enrollment = enrollment_from_row(row)?;
        lines
            .entry((member.code.to_string(), member.id))
            .or_insert_with(|| RosterLine {
                member,
                periods: Vec::new(),
                figures: domain::MemberFigures::default(),
            })
            .periods
            .push(enrollment);
    }
    let mut lines: Vec<RosterLine> = lines.into_values().collect();
    for line in &mut lines {
        line.periods.sort_by_key(|e| e.joined_on);
    }
    Ok(lines)
}

/// Every stay on a group's roster with its member (`$1` is the group).
pub(crate) fn roster_sql() -> String {
    format!(
        "SELECT m.id, m.code, m.alias, m.created_at, {} FROM enrollments e \
         JOIN members m ON m.id = e.member_id WHERE e.group_id = $1 ORDER BY m.code, e.joined_on",
        enrollment_columns("e")
    )
}

pub(crate) async fn group_overview(
    store: &SqlStore,
    by: &AuditContext,
    actor: &Actor,
    id: GroupId,
) -> Result<GroupOverview> {
    let (group, program_name, zone) = group_for(store, actor, id, Action::View).await?;
    let shows_aliases = can(
        actor,
        Action::SeeAliases,
        Resource::Group(GroupRef {
            id: group.id,
            program_id: group.program_id,
        }),
    );
    let staff = store.group_staff(group.id).await?;
    let roster_rows = sqlx::query(&roster_sql())
        .bind(group.id.0)
        .fetch_all(&store.pool)
        .await?;
    let session_rows = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE group_id = $1 ORDER BY number"
    ))
    .bind(group.id.0)
    .fetch_all(&store.pool)
    .await?;
    let mark_rows = sqlx::query(&format!(
        "SELECT {} FROM attendance a JOIN sessions s ON s.id = a.session_id WHERE s.group_id = $1",
        attendance_columns("a")
    ))
    .bind(group.id.0)
    .fetch_all(&store.pool)
    .await?;

    let mut roster = roster_lines(&roster_rows, shows_aliases)?;
    let sessions = session_rows
        .iter()
        .map(|row| {
            let session = session_from_row(row)?;
            let day = local_day(session.scheduled_at, &zone);
            Ok((session, day))
        })
        .collect::<Result<Vec<_>>>()?;
    let marks = index_marks(
        mark_rows
            .iter()
            .map(attendance_from_row)
            .collect::<Result<Vec<_>>>()?,
    );
    for line in &mut roster {
        line.figures = figures_for(line.member.id, &line.periods, &sessions, &marks);
    }
    let session_lines = sessions
        .into_iter()
        .map(|(session, day)| {
            let expected: Vec<MemberId> = roster
                .iter()
                .filter(|line| line.is_active_on(day))
                .map(|line| line.member.id)
                .collect();
            let session_marks: Vec<(MemberId, AttendanceMark)> = expected
                .iter()
                .filter_map(|member| {
                    marks
                        .get(&(session.id, *member))
                        .map(|a| (*member, a.mark()))
                })
                .collect();
            let counts =
                SessionCounts::tally(&expected, session_marks.iter().map(|(m, mark)| (*m, mark)));
            SessionLine {
                session,
                day,
                counts,
            }
        })
        .collect();

    let event = AuditEvent::new(AuditAction::View, "group", Some(group.id.0))
        .group(group.id)
        .detail("roster");
    store.record(by, &event).await?;
    Ok(GroupOverview {
        today: local_day(by.at, &zone),
        zone,
        group,
        program_name,
        staff,
        roster,
        sessions: session_lines,
        shows_aliases,
    })
}
