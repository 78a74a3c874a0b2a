//! Page-shaped reads: everything one page shows, for one actor, in a fixed number of
//! queries (never one per session or per member), with the derived figures computed by
//! `domain::attendance::figures`.
//!
//! Each read takes the actor and asks `domain::can` itself: a record the actor may not see
//! is `NotFound`, parts of a record they may not see are left out (another program's
//! groups on a member page), and aliases are blanked unless the actor may see them. Reads
//! of member data record their view in the audit log, so no page can forget to.

mod group;
mod member;
mod session;
mod workspace;

pub(crate) use workspace::visible_groups;

use std::collections::HashMap;

use async_trait::async_trait;
use domain::{
    Actor, Attendance, Enrollment, Group, GroupId, GroupStaffRole, Member, MemberFigures, MemberId,
    Session, SessionCounts, SessionId, User,
};
use jiff::{Timestamp, civil::Date, tz::TimeZone};
use sqlx::{Any, Executor};

use crate::{AuditContext, Result, codec::RowExt};

/// What the staff workspace (home page, list of groups) shows: 4 queries.
#[derive(Debug, Clone)]
pub struct WorkspaceOverview {
    /// Today in the organisation's time zone.
    pub today: Date,
    pub zone: TimeZone,
    pub groups: Vec<GroupSummary>,
}

/// One group in the workspace list.
#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub group: Group,
    pub program_name: String,
    /// Members on the roster today.
    pub active_members: u32,
    pub held: u32,
    /// The next planned session from now.
    pub next_session: Option<Session>,
    /// Sessions (any status) on today's date.
    pub today: Vec<Session>,
}

/// The group page: 5 queries and the audit row of the view.
#[derive(Debug, Clone)]
pub struct GroupOverview {
    pub today: Date,
    pub zone: TimeZone,
    pub group: Group,
    pub program_name: String,
    pub staff: Vec<(User, GroupStaffRole)>,
    /// Everyone who is or was on the roster, by code.
    pub roster: Vec<RosterLine>,
    pub sessions: Vec<SessionLine>,
    /// Whether aliases were kept (the actor staffs the group).
    pub shows_aliases: bool,
}

/// A member on a group's roster: their enrollment periods and attendance figures.
#[derive(Debug, Clone)]
pub struct RosterLine {
    pub member: Member,
    /// Oldest first; the last one is the current or latest.
    pub periods: Vec<Enrollment>,
    pub figures: MemberFigures,
}

impl RosterLine {
    /// The current or latest enrollment period.
    pub fn latest(&self) -> Option<&Enrollment> {
        self.periods.last()
    }

    /// On the roster on `day`.
    pub fn is_active_on(&self, day: Date) -> bool {
        self.periods.iter().any(|e| e.is_active_on(day))
    }
}

/// A session with the counts of its attendance.
#[derive(Debug, Clone)]
pub struct SessionLine {
    pub session: Session,
    /// The session's date in the organisation's zone.
    pub day: Date,
    pub counts: SessionCounts,
}

/// The session page: 4 queries and the audit row of the view.
#[derive(Debug, Clone)]
pub struct SessionOverview {
    pub zone: TimeZone,
    /// Today in the organisation's time zone.
    pub today: Date,
    pub group: Group,
    pub program_name: String,
    pub session: Session,
    /// The session's date in the organisation's zone.
    pub day: Date,
    pub previous: Option<SessionId>,
    pub next: Option<SessionId>,
    /// Members on the roster that day, by code, with their mark if taken. Members who join
    /// mid-course appear in every session from their joining date on, with no booking.
    pub expected: Vec<ExpectedMember>,
    pub counts: SessionCounts,
    pub shows_aliases: bool,
    // The group note, member notes and the observer tally join this read in a later
    // change; the page keeps places for them.
}

/// A member expected at a session.
#[derive(Debug, Clone)]
pub struct ExpectedMember {
    pub member: Member,
    pub enrollment: Enrollment,
    pub attendance: Option<Attendance>,
}

/// The member page: 4 queries and the audit row of the view. Only groups the actor may
/// see are in it.
#[derive(Debug, Clone)]
pub struct MemberOverview {
    pub zone: TimeZone,
    pub today: Date,
    pub member: Member,
    pub groups: Vec<MemberInGroup>,
    pub shows_alias: bool,
}

/// One group of a member's, as the member page shows it.
#[derive(Debug, Clone)]
pub struct MemberInGroup {
    pub group: Group,
    pub program_name: String,
    pub periods: Vec<Enrollment>,
    /// The group's sessions while the member was on its roster, or with a mark of theirs.
    pub sessions: Vec<MemberSession>,
    pub figures: MemberFigures,
}

/// A session of a member's group with their mark, if any.
#[derive(Debug, Clone)]
pub struct MemberSession {
    pub session: Session,
    pub day: Date,
    pub on_roster: bool,
    pub attendance: Option<Attendance>,
}

/// Reads shaped like the pages that show them.
#[async_trait]
pub trait PageStore {
    /// The groups `actor` may see, with roster and session counts. 4 queries.
    async fn workspace_overview(&self, actor: &Actor, at: Timestamp) -> Result<WorkspaceOverview>;
    /// A group's page. `NotFound` unless the actor may view it. 5 queries, then the view
    /// is audited.
    async fn group_overview(
        &self,
        by: &AuditContext,
        actor: &Actor,
        id: GroupId,
    ) -> Result<GroupOverview>;
    /// A session's page. `NotFound` unless the actor may view its group. 4 queries, then
    /// the view is audited.
    async fn session_overview(
        &self,
        by: &AuditContext,
        actor: &Actor,
        id: SessionId,
    ) -> Result<SessionOverview>;
    /// A member's page, with only the groups the actor may view; `NotFound` when that
    /// leaves none. 4 queries, then the view is audited.
    async fn member_overview(
        &self,
        by: &AuditContext,
        actor: &Actor,
        id: MemberId,
    ) -> Result<MemberOverview>;
}

/// The organisation's time zone (an unknown name falls back to UTC, as pages do).
pub(crate) async fn zone<'e, E: Executor<'e, Database = Any>>(executor: E) -> Result<TimeZone> {
    let row = sqlx::query("SELECT time_zone FROM organisation WHERE id = 1")
        .fetch_one(executor)
        .await?;
    Ok(TimeZone::get(&row.text("time_zone")?).unwrap_or(TimeZone::UTC))
}

/// `$first, $first+1, ...` for `count` values of an `IN (...)` list.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The date of `at` in `zone`.
pub(crate) fn local_day(at: Timestamp, zone: &TimeZone) -> Date {
    at.to_zoned(zone.clone()).date()
}

/// Marks by session and member, for looking up while computing figures.
pub(crate) type Marks = HashMap<(SessionId, MemberId), Attendance>;

pub(crate) fn index_marks(marks: Vec<Attendance>) -> Marks {
    marks
        .into_iter()
        .map(|a| ((a.session_id, a.member_id), a))
        .collect()
}

/// Figures for one member over a group's sessions (each with its local date).
pub(crate) fn figures_for(
    member: MemberId,
    periods: &[Enrollment],
    sessions: &[(Session, Date)],
    marks: &Marks,
) -> MemberFigures {
    let records: Vec<domain::SessionRecord> = sessions
        .iter()
        .map(|(session, day)| domain::SessionRecord {
            at: session.scheduled_at,
            status: session.status,
            on_roster: periods.iter().any(|e| e.is_active_on(*day)),
            mark: marks.get(&(session.id, member)).map(Attendance::mark),
        })
        .collect();
    MemberFigures::from_sessions(&records)
}

#[async_trait]
impl PageStore for crate::SqlStore {
    async fn workspace_overview(&self, actor: &Actor, at: Timestamp) -> Result<WorkspaceOverview> {
        workspace::workspace_overview(self, actor, at).await
    }

    async fn group_overview(
        &self,
        by: &AuditContext,
        actor: &Actor,
        id: GroupId,
    ) -> Result<GroupOverview> {
        group::group_overview(self, by, actor, id).await
    }

    async fn session_overview(
        &self,
        by: &AuditContext,
        actor: &Actor,
        id: SessionId,
    ) -> Result<SessionOverview> {
        session::session_overview(self, by, actor, id).await
    }

    async fn member_overview(
        &self,
        by: &AuditContext,
        actor: &Actor,
        id: MemberId,
    ) -> Result<MemberOverview> {
        member::member_overview(self, by, actor, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(1, 0), "");
    }
}
