//! The session page: one meeting, the members expected at it and their marks.

use domain::{
    Action, Actor, AttendanceMark, MemberId, Resource, SessionCounts, SessionId, access::GroupRef,
    can,
};

use super::{
    ExpectedMember, SessionOverview,
    group::{group_for, roster_lines, roster_sql},
    index_marks, local_day,
};
use crate::{
    AuditAction, AuditContext, AuditEvent, AuditStore, Result, SqlStore, StoreError,
    codec::RowExt,
    tables::sessions::{
        ATTENDANCE_COLUMNS, attendance_from_row, session_columns, session_from_row,
    },
};

pub(crate) async fn session_overview(
    store: &SqlStore,
    by: &AuditContext,
    actor: &Actor,
    id: SessionId,
) -> Result<SessionOverview> {
    let row = sqlx::query(&format!(
        "SELECT {}, \
         (SELECT p.id FROM sessions p WHERE p.group_id = s.group_id AND p.number = s.number - 1) AS previous_id, \
         (SELECT n.id FROM sessions n WHERE n.group_id = s.group_id AND n.number = s.number + 1) AS next_id \
         FROM sessions s WHERE s.id = $1",
        session_columns("s")
    ))
    .bind(id.0)
    .fetch_optional(&store.pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    let session = session_from_row(&row)?;
    let previous = row.opt_int("previous_id")?.map(SessionId);
    let next = row.opt_int("next_id")?.map(SessionId);
    let (group, program_name, zone) =
        group_for(store, actor, session.group_id, Action::View).await?;
    let shows_aliases = can(
        actor,
        Action::SeeAliases,
        Resource::Group(GroupRef {
            id: group.id,
            program_id: group.program_id,
        }),
    );
    let roster_rows = sqlx::query(&roster_sql())
        .bind(group.id.0)
        .fetch_all(&store.pool)
        .await?;
    let mark_rows = sqlx::query(&format!(
        "SELECT {ATTENDANCE_COLUMNS} FROM attendance WHERE session_id = $1"
    ))
    .bind(session.id.0)
    .fetch_all(&store.pool)
    .await?;

    let day = local_day(session.scheduled_at, &zone);
    let mut marks = index_marks(
        mark_rows
            .iter()
            .map(attendance_from_row)
            .collect::<Result<Vec<_>>>()?,
    );
    let expected: Vec<ExpectedMember> = roster_lines(&roster_rows, shows_aliases)?
        .into_iter()
        .filter_map(|line| {
            let enrollment = line.periods.into_iter().find(|e| e.is_active_on(day))?;
            let attendance = marks.remove(&(session.id, line.member.id));
            Some(ExpectedMember {
                member: line.member,
                enrollment,
                attendance,
            })
        })
        .collect();
    let ids: Vec<MemberId> = expected.iter().map(|e| e.member.id).collect();
    let given: Vec<(MemberId, AttendanceMark)> = expected
        .iter()
        .filter_map(|e| e.attendance.as_ref().map(|a| (e.member.id, a.mark())))
        .collect();
    let counts = SessionCounts::tally(&ids, given.iter().map(|(m, mark)| (*m, mark)));

    let event = AuditEvent::new(AuditAction::View, "session", Some(session.id.0))
        .group(group.id)
        .detail(format!("session {}", session.number));
    store.record(by, &event).await?;
    Ok(SessionOverview {
        today: local_day(by.at, &zone),
        zone,
        group,
        program_name,
        session,
        day,
        previous,
        next,
        expected,
        counts,
        shows_aliases,
    })
}
