//! The staff workspace: the groups an actor may see, with today's sessions and counts.

use std::collections::HashMap;

use domain::{Action, Actor, Group, GroupId, Resource, SessionStatus, access::GroupRef, can};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use super::{GroupSummary, WorkspaceOverview, local_day, placeholders, zone};
use crate::{
    Result, SqlStore,
    codec::RowExt,
    tables::{groups, members::enrollment_from_row, sessions::session_from_row},
};

/// Every group the actor may view, with its program's name. One query; `can` decides.
pub(crate) async fn visible_groups(
    store: &SqlStore,
    actor: &Actor,
) -> Result<Vec<(Group, String)>> {
    let rows = sqlx::query(&format!(
        "SELECT {}, p.name AS program_name FROM groups g JOIN programs p ON p.id = g.program_id \
         ORDER BY g.name, g.id",
        groups::group_columns("g")
    ))
    .fetch_all(&store.pool)
    .await?;
    let mut visible = Vec::new();
    for row in &rows {
        let group = groups::group_from_row(row)?;
        let reference = GroupRef {
            id: group.id,
            program_id: group.program_id,
        };
        if can(actor, Action::View, Resource::Group(reference)) {
            visible.push((group, row.text("program_name")?));
        }
    }
    Ok(visible)
}

/// Runs `sql` (whose `IN (...)` list is `{ids}`) over the ids of `groups`.
async fn rows_for_groups(store: &SqlStore, sql: &str, ids: &[GroupId]) -> Result<Vec<AnyRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql.replace("{ids}", &placeholders(1, ids.len()));
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id.0);
    }
    Ok(query.fetch_all(&store.pool).await?)
}

pub(crate) async fn workspace_overview(
    store: &SqlStore,
    actor: &Actor,
    at: Timestamp,
) -> Result<WorkspaceOverview> {
    let zone = zone(&store.pool).await?;
    let today = local_day(at, &zone);
    let groups = visible_groups(store, actor).await?;
    let ids: Vec<GroupId> = groups.iter().map(|(g, _)| g.id).collect();
    let session_rows = rows_for_groups(
        store,
        &format!(
            "SELECT {} FROM sessions WHERE group_id IN ({{ids}}) ORDER BY scheduled_at, id",
            crate::tables::sessions::SESSION_COLUMNS
        ),
        &ids,
    )
    .await?;
    let enrollment_rows = rows_for_groups(
        store,
        &format!(
            "SELECT {} FROM enrollments WHERE group_id IN ({{ids}})",
            crate::tables::members::ENROLLMENT_COLUMNS
        ),
        &ids,
    )
    .await?;

    let mut summaries: HashMap<GroupId, GroupSummary> = HashMap::new();
    let mut order = Vec::new();
    for (group, program_name) in groups {
        order.push(group.id);
        summaries.insert(
            group.id,
            GroupSummary {
                group,
                program_name,
                active_members: 0,
                held: 0,
                next_session: None,
                today: Vec::new(),
            },
        );
    }
    for row in &session_rows {
        let session = session_from_row(row)?;
        let Some(summary) = summaries.get_mut(&session.group_id) else {
            continue;
        };
        if session.status == SessionStatus::Held {
            summary.held += 1;
        }
        if local_day(session.scheduled_at, &zone) == today {
            summary.today.push(session.clone());
        }
        if session.status == SessionStatus::Planned
            && session.scheduled_at >= at
            && summary.next_session.is_none()
        {
            summary.next_session = Some(session);
        }
    }
    let mut active_members: HashMap<GroupId, Vec<domain::MemberId>> = HashMap::new();
    for row in &enrollment_rows {
        let enrollment = enrollment_from_row(row)?;
        if enrollment.is_active_on(today) {
            active_members
                .entry(enrollment.group_id)
                .or_default()
                .push(enrollment.member_id);
        }
    }
    for (group, mut members) in active_members {
        members.sort();
        members.dedup();
        if let Some(summary) = summaries.get_mut(&group) {
            summary.active_members = u32::try_from(members.len()).unwrap_or(u32::MAX);
        }
    }
    Ok(WorkspaceOverview {
        today,
        zone,
        groups: order
            .into_iter()
            .filter_map(|id| summaries.remove(&id))
            .collect(),
    })
}
