//! Process events: the observer's live tally (one event per tap) and the events of a coded
//! transcript (one per decided code of an utterance), both `domain::ProcessEvent`, with the
//! size of each coded transcript so rates and talk shares have their units.

use async_trait::async_trait;
use domain::{GroupId, MemberId, ProcessEvent, SessionId, UserId};
use jiff::Timestamp;
use serde::Serialize;

use super::evidence_id;
use crate::{AuditContext, Result};

evidence_id!(
    /// A stored process event.
    ProcessEventId
);

/// A process event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub id: ProcessEventId,
    pub event: ProcessEvent,
    /// The member a tallied hostility or judgment was aimed at, when the observer named one.
    pub aimed_at: Option<MemberId>,
    pub recorded_by: Option<UserId>,
    pub recorded_at: Timestamp,
}

/// A coded transcript's size: every utterance (facilitators' too) and each mapped member's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TranscriptCounts {
    pub utterances: u32,
    /// Utterances per member mapped from a speaker; members who said nothing may be left out.
    pub talk: Vec<(MemberId, u32)>,
}

/// A session's or a group's process evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProcessRecord {
    /// In session order, then as recorded.
    pub events: Vec<StoredEvent>,
    /// The sessions with a coded transcript, and its size.
    pub transcripts: Vec<(SessionId, TranscriptCounts)>,
}

/// Process events. Writes are audited (entity `process event`; the detail names the code,
/// never transcript text). Members named in events must be on the session's group roster.
#[async_trait]
pub trait ProcessEventStore {
    /// Records one tally tap (`event.source` must be `tally`), by the signed-in observer.
    async fn record_process_event(
        &self,
        by: &AuditContext,
        event: &ProcessEvent,
        aimed_at: Option<MemberId>,
    ) -> Result<StoredEvent>;
    /// Takes back the last tally event `by`'s user recorded in the session and returns it;
    /// `NotFound` when they have none there. (An alert the event raised stays: alerts are
    /// never deleted; the facilitator resolves it.)
    async fn undo_last_process_event(
        &self,
        by: &AuditContext,
        session: SessionId,
    ) -> Result<StoredEvent>;
    /// Stores a coded transcript's events and size in one transaction, replacing the
    /// session's earlier transcript events (a re-coded or corrected transcript); tally events
    /// stay. Every event must be of `session` with source `transcript`. Returns how many.
    async fn record_transcript_events(
        &self,
        by: &AuditContext,
        session: SessionId,
        counts: &TranscriptCounts,
        events: &[ProcessEvent],
    ) -> Result<u64>;
    /// A session's events and transcript size (two queries).
    async fn session_process(&self, session: SessionId) -> Result<ProcessRecord>;
    /// A group's events and transcript sizes for all its sessions (two queries).
    async fn group_process(&self, group: GroupId) -> Result<ProcessRecord>;
}
