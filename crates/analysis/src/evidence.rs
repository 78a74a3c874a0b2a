//! A group's evidence as stored, read in a fixed number of queries. This is the one place
//! that reads the groups feature's tables (group, sessions, roster, attendance): when its
//! page-shaped reads land, they replace the calls here and nothing else changes.

use domain::{Group, GroupId, OrganisationSettings, Session};
use measures::Registry;
use store::{GroupMark, ProcessRecord, Response, RosterEntry, Store, StoreError};

/// Store queries [`evidence_for_group`] makes, whatever the group's size: group, settings,
/// sessions, roster, attendance, responses, process events, transcript counts, and the
/// organisation's instrument definitions and texts.
pub const EVIDENCE_QUERIES: usize = 10;

/// Everything stored about one group that the engine reads.
#[derive(Debug, Clone)]
pub struct GroupEvidence {
    pub group: Group,
    /// Thresholds and the time zone sessions are dated in.
    pub settings: OrganisationSettings,
    /// Every session, any status, in number order.
    pub sessions: Vec<Session>,
    /// Every stay on the roster.
    pub roster: Vec<RosterEntry>,
    pub attendance: Vec<GroupMark>,
    pub responses: Vec<Response>,
    pub process: ProcessRecord,
    /// Bundled and organisation instruments (responses are scored with their version).
    pub registry: Registry,
}

/// Reads a group's evidence: [`EVIDENCE_QUERIES`] queries, run concurrently.
pub async fn evidence_for_group<S: Store + ?Sized>(
    store: &S,
    group: GroupId,
) -> Result<GroupEvidence, StoreError> {
    let (group, settings, sessions, roster, attendance, responses, process, registry) = tokio::try_join!(
        store.group(group),
        store.settings(),
        store.sessions(group),
        store.roster(group),
        store.group_attendance(group),
        store.group_responses(group),
        store.group_process(group),
        store.instrument_registry(),
    )?;
    Ok(GroupEvidence {
        group,
        settings,
        sessions,
        roster,
        attendance,
        responses,
        process,
        registry,
    })
}
