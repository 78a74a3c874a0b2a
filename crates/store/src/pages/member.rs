//! The member page: only the groups the actor may see, each with its sessions and the
//! member's marks and figures. Groups of other programs never leave the store.

use std::collections::HashMap;

use domain::{Action, Actor, GroupId, MemberId, Resource, access::GroupRef, can};
use jiff::tz::TimeZone;

use super::{
    MemberInGroup, MemberOverview, MemberSession, figures_for, index_marks, local_day, placeholders,
};
use crate::{
    AuditAction, AuditContext, AuditEvent, AuditStore, MemberStore, Result, SqlStore, StoreError,
    codec::RowExt,
    tables::{
        groups::{group_columns, group_from_row},
        members::{enrollment_columns, enrollment_from_row},
        sessions::{SESSION_COLUMNS, attendance_columns, attendance_from_row, session_from_row},
    },
};

pub(crate) async fn member_overview(
    store: &SqlStore,
    by: &AuditContext,
    actor: &Actor,
    id: MemberId,
) -> Result<MemberOverview> {
    let mut member = store.member(id).await?;
    let rows = sqlx::query(&format!(
        "SELECT {}, {}, p.name AS program_name, o.time_zone FROM enrollments e \
         JOIN groups g ON g.id = e.group_id JOIN programs p ON p.id = g.program_id \
         JOIN organisation o ON o.id = 1 WHERE e.member_id = $1 ORDER BY e.joined_on, g.name",
        enrollment_columns("e"),
        group_columns("g")
    ))
    .bind(id.0)
    .fetch_all(&store.pool)
    .await?;
    let mut zone = TimeZone::UTC;
    let mut groups: Vec<MemberInGroup> = Vec::new();
    let mut refs = Vec::new();
    for row in &rows {
        let group = group_from_row(row)?;
        let reference = GroupRef {
            id: group.id,
            program_id: group.program_id,
        };
        // The policy decides group by group: a member reached through one group shows
        // nothing of the others the actor may not see.
        if !can(actor, Action::View, Resource::Group(reference)) {
            continue;
        }
        zone = TimeZone::get(&row.text("time_zone")?).unwrap_or(TimeZone::UTC);
        let enrollment = enrollment_from_row(row)?;
        match groups.iter_mut().find(|g| g.group.id == group.id) {
            Some(existing) => existing.periods.push(enrollment),
            None => {
                refs.push(reference);
                groups.push(MemberInGroup {
                    group,
                    program_name: row.text("program_name")?,
                    periods: vec![enrollment],
                    sessions: Vec::new(),
                    figures: domain::MemberFigures::default(),
                });
            }
        }
    }
    if groups.is_empty() {
        return Err(StoreError::NotFound);
    }
    let shows_alias = can(
        actor,
        Action::SeeAliases,
        Resource::Member { groups: &refs },
    );
    if !shows_alias {
        member.alias = None;
    }

    let ids: Vec<GroupId> = groups.iter().map(|g| g.group.id).collect();
    let list = placeholders(2, ids.len());
    let sessions_sql = format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE group_id IN ({}) ORDER BY scheduled_at, id",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query(&sessions_sql);
    for group in &ids {
        query = query.bind(group.0);
    }
    let session_rows = query.fetch_all(&store.pool).await?;
    let marks_sql = format!(
        "SELECT {} FROM attendance a JOIN sessions s ON s.id = a.session_id \
         WHERE a.member_id = $1 AND s.group_id IN ({list})",
        attendance_columns("a")
    );
    let mut query = sqlx::query(&marks_sql).bind(id.0);
    for group in &ids {
        query = query.bind(group.0);
    }
    let marks = index_marks(
        query
            .fetch_all(&store.pool)
            .await?
            .iter()
            .map(attendance_from_row)
            .collect::<Result<Vec<_>>>()?,
    );

    let mut by_group: HashMap<GroupId, Vec<(domain::Session, jiff::civil::Date)>> = HashMap::new();
    for row in &session_rows {
        let session = session_from_row(row)?;
        let day = local_day(session.scheduled_at, &zone);
        by_group
            .entry(session.group_id)
            .or_default()
            .push((session, day));
    }
    for entry in &mut groups {
        let sessions = by_group.remove(&entry.group.id).unwrap_or_default();
        entry.figures = figures_for(id, &entry.periods, &sessions, &marks);
        entry.sessions = sessions
            .into_iter()
            .filter_map(|(session, day)| {
                let on_roster = entry.periods.iter().any(|e| e.is_active_on(day));
                let attendance = marks.get(&(session.id, id)).cloned();
                (on_roster || attendance.is_some()).then_some(MemberSession {
                    session,
                    day,
                    on_roster,
                    attendance,
                })
            })
            .collect();
    }

    let event = AuditEvent::new(AuditAction::View, "member", Some(id.0))
        .member(id)
        .detail("member page");
    store.record(by, &event).await?;
    Ok(MemberOverview {
        today: local_day(by.at, &zone),
        zone,
        member,
        groups,
        shows_alias,
    })
}
