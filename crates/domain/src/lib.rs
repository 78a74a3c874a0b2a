//! Circlework's domain vocabulary: the words every other crate speaks.
//!
//! Nothing here does I/O, reads the clock or draws random numbers on its own: time comes
//! from a [`Clock`] and randomness from a caller-supplied [`rand::Rng`]. Values that can be
//! malformed (member codes, usernames, answers) are newtypes that cannot hold a bad value.

pub mod access;
pub mod alert;
pub mod answer;
pub mod attendance;
pub mod clock;
pub mod error;
pub mod group;
pub mod ids;
pub mod member;
pub mod note;
pub mod organisation;
pub mod password;
pub mod process;
pub mod role;
pub mod schedule;
pub mod session;
pub mod text;
pub mod user;

pub use access::{Action, Actor, Resource, can};
pub use alert::{Alert, AlertStatus, AlertSubject, Severity};
pub use answer::{AnswerValue, Likert0to6, SessionCode};
pub use attendance::{
    Attendance, AttendanceMark, AttendanceStatus,
    figures::{MemberFigures, SessionCounts, SessionRecord},
};
pub use clock::{Clock, FixedClock};
pub use error::ParseError;
pub use group::{Group, GroupKind, GroupStaffRole, GroupStatus};
pub use ids::{AlertId, EnrollmentId, GroupId, MemberId, NoteId, ProgramId, SessionId, UserId};
pub use member::{Enrollment, LeaveReason, Member, MemberAlias, MemberCode};
pub use note::{Note, NoteKind};
pub use organisation::{OrganisationSettings, Program};
pub use password::{PasswordError, PasswordPolicy};
pub use process::{EventSource, Intensity, ProcessCode, ProcessEvent, Target, TherapeuticFactor};
pub use role::Role;
pub use schedule::{Plan, PlanInput, Schedule, Slot};
pub use session::{Session, SessionStatus};
pub use text::TextLimit;
pub use user::{DisplayName, User, Username};
