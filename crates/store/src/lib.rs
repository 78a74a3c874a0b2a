//! Storage for Circlework: the [`Store`] trait the web server and command line use, and
//! [`SqlStore`], its implementation on SQLite (the embedded default) and PostgreSQL.
//!
//! Queries are written once, in portable SQL (`$1` parameters, `RETURNING`, integer ids,
//! UTC text timestamps), and run through sqlx's `Any` driver; what the two engines do
//! differently lives in [`backend`]. Each table has one module in `tables/`. Every change
//! to member data writes its audit row in the same transaction ([`audit`]).

pub mod audit;
pub mod backend;
pub mod backup;
mod codec;
mod error;
mod evidence;
#[cfg(feature = "testing")]
pub mod fixtures;
mod pages;
mod records;
mod sql_store;
mod tables;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use async_trait::async_trait;
use domain::{
    Actor, Attendance, AttendanceMark, Enrollment, Group, GroupId, GroupStaffRole, LeaveReason,
    Member, MemberAlias, MemberCode, MemberId, OrganisationSettings, Program, ProgramId, Role,
    Session, SessionId, SessionStatus, User, UserId, Username,
};
use jiff::{
    Timestamp,
    civil::{Date, DateTime},
};

pub use audit::{AuditAction, AuditContext, AuditEvent, AuditRow, ChainBreak, ChainReport};
pub use backend::{Backend, redact_url, sqlite_path};
pub use error::StoreError;
pub use evidence::{
    AlertInsert, AlertStore, DEFAULT_KIOSK_LIFETIME, EvidenceReads, GroupMark, InstrumentRef,
    Kiosk, KioskId, KioskLookup, KioskStore, NewAlert, NewKiosk, NewResponse, OnDuplicate,
    ProcessEventId, ProcessEventStore, ProcessRecord, Response, ResponseId, ResponseSource,
    ResponseStore, StoredEvent, Submission, SubmitOutcome, TranscriptCounts,
};
pub use pages::{
    ExpectedMember, GroupOverview, GroupSummary, MemberInGroup, MemberOverview, MemberSession,
    PageStore, RosterLine, SessionLine, SessionOverview, WorkspaceOverview,
};
pub use records::{
    AuditFilter, AuthSession, Credentials, DemoState, GroupEdit, LoginFailure, NewEnrollment,
    NewGroup, NewSession, NewUser, RosterEntry,
};
pub use sql_store::SqlStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A store shared by the server's handlers.
pub type SharedStore = Arc<dyn Store>;

/// Opens the database a URL names, creating an SQLite file if missing, and migrates it.
pub async fn open(url: &str) -> Result<SharedStore> {
    let store = SqlStore::connect(url).await?;
    store.migrate().await?;
    Ok(Arc::new(store))
}

/// Everything Circlework stores, one trait per table family so each lives in one file.
pub trait Store:
    Housekeeping
    + OrganisationStore
    + ProgramStore
    + UserStore
    + GroupStore
    + MemberStore
    + SessionStore
    + AuthSessionStore
    + AuditStore
    + PageStore
    + InstrumentStore
    + ResponseStore
    + KioskStore
    + ProcessEventStore
    + AlertStore
    + EvidenceReads
    + std::fmt::Debug
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: Housekeeping
        + OrganisationStore
        + ProgramStore
        + UserStore
        + GroupStore
        + MemberStore
        + SessionStore
        + AuthSessionStore
        + AuditStore
        + PageStore
        + InstrumentStore
        + ResponseStore
        + KioskStore
        + ProcessEventStore
        + AlertStore
        + EvidenceReads
        + std::fmt::Debug
        + Send
        + Sync
{
}

/// Health, migrations and markers about the database as a whole.
#[async_trait]
pub trait Housekeeping {
    fn backend(&self) -> Backend;
    /// Runs pending migrations.
    async fn migrate(&self) -> Result<()>;
    /// Answers when the database answers a trivial query.
    async fn ping(&self) -> Result<()>;
    /// True when the database holds no users, programs or members.
    async fn is_empty(&self) -> Result<bool>;
    /// Whether `circlework demo` made this database, and whether its seeding finished.
    async fn demo_state(&self) -> Result<Option<DemoState>>;
    async fn set_demo_state(&self, state: DemoState) -> Result<()>;
    /// Drops every table, leaving an empty database to migrate again (demo `--reset`).
    async fn drop_everything(&self) -> Result<()>;
    /// Checks foreign keys and engine-level integrity; returns the problems found.
    async fn integrity_problems(&self) -> Result<Vec<String>>;
}

#[async_trait]
pub trait OrganisationStore {
    async fn settings(&self) -> Result<OrganisationSettings>;
    async fn update_settings(
        &self,
        by: &AuditContext,
        settings: &OrganisationSettings,
    ) -> Result<()>;
}

#[async_trait]
pub trait ProgramStore {
    async fn create_program(
        &self,
        by: &AuditContext,
        name: &str,
        description: &str,
    ) -> Result<Program>;
    async fn programs(&self) -> Result<Vec<Program>>;
    async fn program(&self, id: ProgramId) -> Result<Program>;
}

#[async_trait]
pub trait UserStore {
    async fn create_user(&self, by: &AuditContext, new: &NewUser) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<User>;
    async fn users(&self) -> Result<Vec<User>>;
    /// The account and its password hash, for sign-in.
    async fn credentials(&self, username: &Username) -> Result<Option<Credentials>>;
    /// The user with the programs and groups that scope what they may see.
    async fn actor(&self, id: UserId) -> Result<Actor>;
    async fn user_programs(&self, id: UserId) -> Result<Vec<ProgramId>>;
    async fn set_user_programs(
        &self,
        by: &AuditContext,
        id: UserId,
        programs: &[ProgramId],
    ) -> Result<()>;
    /// Changes a role; refuses to leave the installation without an active admin.
    async fn set_role(&self, by: &AuditContext, id: UserId, role: Role) -> Result<User>;
    /// Stores a new password hash and ends every session of the user.
    async fn set_password_hash(
        &self,
        by: &AuditContext,
        id: UserId,
        password_hash: &str,
    ) -> Result<()>;
    /// Disables the account and ends its sessions; refuses to disable the last active admin.
    async fn disable_user(&self, by: &AuditContext, id: UserId) -> Result<User>;
    async fn enable_user(&self, by: &AuditContext, id: UserId) -> Result<User>;
    /// Counts a failed sign-in (audited), locking the account at `threshold` failures.
    async fn record_failed_login(
        &self,
        by: &AuditContext,
        attempted: &str,
        user: Option<UserId>,
        threshold: u32,
    ) -> Result<LoginFailure>;
    /// Resets the failure count and audits the sign-in.
    async fn record_successful_login(&self, by: &AuditContext, id: UserId) -> Result<()>;
    async fn unlock_user(&self, by: &AuditContext, id: UserId) -> Result<User>;
}

#[async_trait]
pub trait GroupStore {
    /// Creates a group and, when it has a meeting, plans its sessions in the same
    /// transaction: the planned number, or twelve weeks ahead for an open-ended group.
    async fn create_group(&self, by: &AuditContext, new: &NewGroup) -> Result<Group>;
    /// Edits a group's set-up. A changed meeting or start date moves the planned sessions
    /// from tomorrow on; a changed planned number adds or cancels sessions at the end.
    /// Refused for an ended group, and for a start date once a session was held.
    async fn update_group(&self, by: &AuditContext, id: GroupId, edit: &GroupEdit)
    -> Result<Group>;
    /// Planned -> active (holding a session does it too).
    async fn start_group(&self, by: &AuditContext, id: GroupId) -> Result<Group>;
    /// Ends a group on `ended_on`: its planned sessions after that day are cancelled.
    /// Refused before its start or before a held session.
    async fn end_group(&self, by: &AuditContext, id: GroupId, ended_on: Date) -> Result<Group>;
    async fn group(&self, id: GroupId) -> Result<Group>;
    /// The groups `actor` may see: all for admins, their programs' for supervisors,
    /// assigned ones for facilitators and co-facilitators, none for participants.
    async fn groups_visible_to(&self, actor: &Actor) -> Result<Vec<Group>>;
    async fn assign_staff(
        &self,
        by: &AuditContext,
        group: GroupId,
        user: UserId,
        role: GroupStaffRole,
    ) -> Result<()>;
    /// Takes a user off a group's staff; `NotFound` if they were not on it.
    async fn remove_staff(&self, by: &AuditContext, group: GroupId, user: UserId) -> Result<()>;
    async fn group_staff(&self, group: GroupId) -> Result<Vec<(User, GroupStaffRole)>>;
}

#[async_trait]
pub trait MemberStore {
    /// Creates a member with `code`; `Taken("member code")` when the code is in use.
    async fn create_member(
        &self,
        by: &AuditContext,
        code: &MemberCode,
        alias: Option<&MemberAlias>,
    ) -> Result<Member>;
    async fn member(&self, id: MemberId) -> Result<Member>;
    async fn member_by_code(&self, code: &MemberCode) -> Result<Option<Member>>;
    /// Puts a member on a group's roster from `joined_on` (a new stay if they left before).
    async fn enroll(
        &self,
        by: &AuditContext,
        member: MemberId,
        group: GroupId,
        joined_on: Date,
    ) -> Result<Enrollment>;
    /// Creates a member (or finds the one with the code, when `existing`) and enrolls
    /// them, all or nothing. Refusals name their field: `code` (taken, or unknown),
    /// `joined_on` (overlapping an earlier stay, after the group ended), `alias`,
    /// `kiosk_label`.
    async fn enroll_member(
        &self,
        by: &AuditContext,
        group: GroupId,
        new: &NewEnrollment,
    ) -> Result<RosterEntry>;
    /// Changes a rostered member's alias (everywhere) and their kiosk label in this group.
    async fn update_roster_entry(
        &self,
        by: &AuditContext,
        group: GroupId,
        member: MemberId,
        alias: Option<&MemberAlias>,
        kiosk_label: Option<&str>,
    ) -> Result<RosterEntry>;
    /// Ends a member's current stay on a roster: the date they left and why. Refused
    /// (`left_on`) before they joined, or before a session they have attendance for.
    async fn end_enrollment(
        &self,
        by: &AuditContext,
        member: MemberId,
        group: GroupId,
        left_on: Date,
        reason: LeaveReason,
    ) -> Result<Enrollment>;
    /// Everyone who is or was on the group's roster, by code.
    async fn roster(&self, group: GroupId) -> Result<Vec<RosterEntry>>;
    async fn member_enrollments(&self, member: MemberId) -> Result<Vec<Enrollment>>;
}

#[async_trait]
pub trait SessionStore {
    async fn create_session(&self, by: &AuditContext, new: &NewSession) -> Result<Session>;
    async fn sessions(&self, group: GroupId) -> Result<Vec<Session>>;
    async fn session(&self, id: SessionId) -> Result<Session>;
    async fn set_session_status(
        &self,
        by: &AuditContext,
        id: SessionId,
        status: SessionStatus,
    ) -> Result<Session>;
    /// Marks a planned session held (on or after its day): its group becomes active, an
    /// open-ended group's sessions are planned twelve weeks ahead again. Holding a held
    /// session changes nothing.
    async fn hold_session(&self, by: &AuditContext, id: SessionId) -> Result<Session>;
    /// Cancels a planned session, with the reason in words.
    async fn cancel_session(
        &self,
        by: &AuditContext,
        id: SessionId,
        reason: &str,
    ) -> Result<Session>;
    /// Moves a planned session to another local date and time within the group's dates;
    /// sessions are numbered again in date order.
    async fn move_session(&self, by: &AuditContext, id: SessionId, to: DateTime)
    -> Result<Session>;
    /// Adds a session beside the schedule (planning neither counts nor moves it), within
    /// the group's dates.
    async fn add_session(
        &self,
        by: &AuditContext,
        group: GroupId,
        at: DateTime,
        minutes: u32,
    ) -> Result<Session>;
    /// Records a member's mark at a session, replacing an earlier one. Refused: a member
    /// not on the roster that day (`member`; `NotFound` for one never on it), minutes that
    /// do not fit the session (`minutes`), a cancelled or future session, and a locked one
    /// (`Locked`). The first mark of a planned session holds it.
    async fn record_attendance(
        &self,
        by: &AuditContext,
        session: SessionId,
        member: MemberId,
        mark: AttendanceMark,
    ) -> Result<Attendance>;
    /// Marks present everyone on the roster that day who has no mark yet ("all present"),
    /// all or nothing, under the same rules; returns the new marks.
    async fn record_all_present(
        &self,
        by: &AuditContext,
        session: SessionId,
    ) -> Result<Vec<Attendance>>;
    /// Locks a session's attendance against any change. Signing the session's group note
    /// does this (in the notes change, inside the same transaction: see
    /// `tables::attendance::lock`).
    async fn lock_attendance(&self, by: &AuditContext, session: SessionId) -> Result<Session>;
    async fn attendance(&self, session: SessionId) -> Result<Vec<Attendance>>;
}

#[async_trait]
pub trait AuthSessionStore {
    async fn create_auth_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        at: Timestamp,
    ) -> Result<()>;
    async fn auth_session(&self, token_hash: &str) -> Result<Option<AuthSession>>;
    async fn touch_auth_session(&self, token_hash: &str, at: Timestamp) -> Result<()>;
    async fn delete_auth_session(&self, token_hash: &str) -> Result<()>;
    /// Ends sessions idle since before `idle_before`; returns how many.
    async fn delete_idle_auth_sessions(&self, idle_before: Timestamp) -> Result<u64>;
}

#[async_trait]
pub trait AuditStore {
    /// Records a view (of a member page, a note, ...) or another event with no data change.
    async fn record(&self, by: &AuditContext, event: &AuditEvent) -> Result<()>;
    async fn audit_rows(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>>;
    /// Checks the hash chain from the first row to the head.
    async fn verify_audit_chain(&self) -> Result<ChainReport>;
}

/// Instruments the organisation adds: definitions and licensed item wording, kept as the
/// TOML loaded and checked by the `measures` crate (a refusal names the file and field).
#[async_trait]
pub trait InstrumentStore {
    /// Validates and stores an organisation's definition. Refused when the file is invalid
    /// or its id is a bundled one; `Taken("instrument version")` when that id and version
    /// are already loaded (a changed definition needs a new version: scores keep theirs).
    async fn add_instrument_definition(
        &self,
        by: &AuditContext,
        file: &str,
        toml: &str,
    ) -> Result<measures::InstrumentDef>;
    /// Validates a text pack against its definition (bundled or the organisation's) and
    /// stores it, replacing earlier wording for that definition version. Returns the
    /// definition with the wording attached.
    async fn put_instrument_text(
        &self,
        by: &AuditContext,
        file: &str,
        toml: &str,
    ) -> Result<measures::InstrumentDef>;
    /// The organisation's definitions, by id and version.
    async fn instrument_definitions(&self) -> Result<Vec<measures::InstrumentDef>>;
    /// The loaded text packs, by instrument and version.
    async fn instrument_texts(&self) -> Result<Vec<measures::TextPack>>;
    /// Bundled and organisation instruments with their wording attached (two queries).
    async fn instrument_registry(&self) -> Result<measures::Registry>;
}
