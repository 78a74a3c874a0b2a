//! Questionnaire responses: the answers a member gave to one instrument in one session.
//! Only answers are stored; scores are pure functions of them (`measures::score`),
//! recomputed wherever they are shown.

use async_trait::async_trait;
use domain::{GroupId, MemberId, SessionId, UserId};
use jiff::Timestamp;
use serde::Serialize;

use super::{KioskId, NewAlert, evidence_id};
use crate::{AuditContext, Result};

evidence_id!(
    /// A stored response.
    ResponseId
);

domain::named_enum! {
    /// How answers reached the store.
    pub enum ResponseSource("response source") {
        /// The member, on a kiosk (a shared tablet or their own phone).
        Kiosk => "kiosk",
        /// A facilitator, from a paper form (the member × item grid).
        Paper => "paper",
        /// A CSV import.
        Import => "import",
    }
}

/// A response to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResponse {
    pub session_id: SessionId,
    pub member_id: MemberId,
    /// Instrument id (`phq9`) and the definition version the answers follow.
    pub instrument: String,
    pub version: u32,
    /// One per item, in item order; `None` for an item left unanswered.
    pub answers: Vec<Option<u8>>,
    pub source: ResponseSource,
    /// The kiosk it was submitted at (kiosk responses only, and required for them).
    pub kiosk_id: Option<KioskId>,
    /// The staff member who entered paper or imported answers; `None` for the member at a
    /// kiosk, or for the system (a command-line import, the demo).
    pub entered_by: Option<UserId>,
    pub submitted_at: Timestamp,
    /// Alerts this response raises the moment it is accepted — SAFETY for a risk item
    /// answered above its lowest value (`circlework_analysis::safety_alerts_for_answers`) —
    /// inserted in the same transaction (insert-or-ignore by key), so an accepted risk answer
    /// is never stored without its alert. Ignored when the response is not accepted.
    pub raises: Vec<NewAlert>,
}

/// A stored response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub id: ResponseId,
    pub session_id: SessionId,
    pub group_id: GroupId,
    pub member_id: MemberId,
    pub instrument: String,
    pub version: u32,
    pub answers: Vec<Option<u8>>,
    pub source: ResponseSource,
    pub kiosk_id: Option<KioskId>,
    pub entered_by: Option<UserId>,
    pub submitted_at: Timestamp,
}

/// What became of one item of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    Accepted(ResponseId),
    /// The member already has a response to that instrument in that session; the first is
    /// kept (the web answers 409).
    Duplicate,
    /// Not stored, and why, in words a member or facilitator can act on: answers that do not
    /// fit the definition, a member not on the group's roster, a closed or expired kiosk,
    /// an instrument the kiosk does not offer.
    Refused(String),
}

impl SubmitOutcome {
    pub const fn is_accepted(&self) -> bool {
        matches!(self, Self::Accepted(_))
    }
}

/// One kiosk submission in a group commit: the response and who submitted it, when.
#[derive(Debug, Clone)]
pub struct Submission {
    pub by: AuditContext,
    pub response: NewResponse,
}

/// What a batch entered by one person does with an item that cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    /// All or nothing (CSV import): the first duplicate or refusal rolls everything back
    /// and is the error, naming the item by its position (counted from 1).
    Refuse,
    /// Store the others and report each item's outcome (the paper grid, where some members
    /// already answered at the kiosk).
    Skip,
}

/// Responses: write one, many entered by one person, or a group commit of kiosk
/// submissions; read a session's, a member's or a group's (one query each, in session
/// order, then member, then instrument).
///
/// Every stored response writes its audit row (entity `response`, no answers in it) in the
/// same transaction. Answers are checked against the instrument definition (bundled or the
/// organisation's) and the member against the group's roster (any stay); a kiosk response
/// also against its kiosk (open at `submitted_at`, same session, instrument offered).
#[async_trait]
pub trait ResponseStore {
    /// Stores one response. `Duplicate { what: "response", item: None }` when the member
    /// already answered that instrument in that session (the first is kept); `Refused` as
    /// in [`SubmitOutcome::Refused`]; `NotFound` for an unknown session.
    async fn submit_response(&self, by: &AuditContext, new: &NewResponse) -> Result<Response>;
    /// Many responses entered by one person in one transaction (paper grid, CSV import).
    /// With [`OnDuplicate::Refuse`] it is all or nothing: `Duplicate { item: Some(n) }` or
    /// `Refused("item n: …")` for the first item that cannot be stored.
    async fn record_responses(
        &self,
        by: &AuditContext,
        items: &[NewResponse],
        on_duplicate: OnDuplicate,
    ) -> Result<Vec<SubmitOutcome>>;
    /// Group commit: kiosk submissions from many members committed in one transaction,
    /// each with its own audit row (hash-chained in order), an outcome per item in order.
    /// A duplicate or refused item does not hold the others back; an error of the database
    /// itself fails the whole batch (nothing stored), and the caller may retry it.
    async fn submit_responses_batch(&self, items: &[Submission]) -> Result<Vec<SubmitOutcome>>;
    /// A session's responses (one query).
    async fn session_responses(&self, session: SessionId) -> Result<Vec<Response>>;
    /// A member's responses across their sessions and groups (one query).
    async fn member_responses(&self, member: MemberId) -> Result<Vec<Response>>;
    /// A group's responses for all its sessions (one query).
    async fn group_responses(&self, group: GroupId) -> Result<Vec<Response>>;
}
