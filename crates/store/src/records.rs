//! Inputs and outputs of the store that are not domain values themselves.

use domain::{Enrollment, GroupKind, Member, ProgramId, Role, User, UserId};
use jiff::{Timestamp, civil::Date};

use domain::{DisplayName, GroupId, Username};

/// A user to create. The password is already hashed by the caller.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: DisplayName,
    pub role: Role,
    pub password_hash: String,
    pub programs: Vec<ProgramId>,
}

/// What sign-in needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: u32,
}

/// The outcome of a failed sign-in for the account, if there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailure {
    /// No such account (still audited, with the name attempted).
    UnknownUser,
    /// Wrong password; `remaining` attempts before lockout.
    Counted { remaining: u32 },
    /// This failure locked the account, or it was locked already.
    Locked,
}

/// A group to create.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub program_id: ProgramId,
    pub name: String,
    pub kind: GroupKind,
    pub planned_sessions: Option<u32>,
    pub capacity: Option<u32>,
    pub schedule: String,
    pub starts_on: Date,
}

/// A session to create in a group.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub group_id: GroupId,
    pub number: u32,
    pub scheduled_at: Timestamp,
    pub status: domain::SessionStatus,
}

/// A member on a group's roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub member: Member,
    pub enrollment: Enrollment,
}

/// A signed-in session, found by the hash of its cookie token.
#[derive(Debug, Clone)]
pub struct AuthSession {
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// Which audit rows to list; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<UserId>,
    pub member_id: Option<domain::MemberId>,
    pub group_id: Option<GroupId>,
    /// Restrict to these groups (a supervisor's programs); `None` means no restriction.
    pub within_groups: Option<Vec<GroupId>>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub limit: u32,
}

/// How far `circlework demo` got with a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoState {
    /// Seeding started and did not finish: the demo reseeds it.
    Seeding,
    /// Seeded; holds only demo data.
    Ready,
}

impl DemoState {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            DemoState::Seeding => "seeding",
            DemoState::Ready => "ready",
        }
    }
}
