//! Kiosks: a session opened for members to answer its questionnaires, reached with a short
//! code. Only a hash of the code is stored: the facilitator is shown the code once, when
//! opening the kiosk (to show it again, close the kiosk and open another).

use async_trait::async_trait;
use domain::{GroupId, SessionCode, SessionId, UserId};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::evidence_id;
use crate::{AuditContext, Result};

evidence_id!(
    /// A kiosk opening.
    KioskId
);

/// How long a kiosk stays open unless the caller says otherwise (issue 9: 3 hours). The web
/// server may configure another lifetime; the store takes the expiry it is given.
pub const DEFAULT_KIOSK_LIFETIME: SignedDuration = SignedDuration::from_hours(3);

/// An instrument and the definition version a kiosk offers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct InstrumentRef {
    pub id: String,
    pub version: u32,
}

impl InstrumentRef {
    pub fn new(id: impl Into<String>, version: u32) -> Self {
        Self {
            id: id.into(),
            version,
        }
    }
}

/// A kiosk to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKiosk {
    pub session_id: SessionId,
    /// In the order members answer them; at least one.
    pub instruments: Vec<InstrumentRef>,
    pub expires_at: Timestamp,
}

/// A kiosk as stored (never with its code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kiosk {
    pub id: KioskId,
    pub session_id: SessionId,
    pub group_id: GroupId,
    /// The session's number in its group (alerts name sessions by number).
    pub session_number: u32,
    pub instruments: Vec<InstrumentRef>,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

impl Kiosk {
    /// Accepting answers at `at`: not closed, not expired.
    pub fn is_open_at(&self, at: Timestamp) -> bool {
        self.closed_at.is_none() && at < self.expires_at
    }

    pub fn offers(&self, instrument: &str, version: u32) -> bool {
        self.instruments
            .iter()
            .any(|i| i.id == instrument && i.version == version)
    }
}

/// What a typed code leads to. The web says which, in words (and rate-limits guesses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KioskLookup {
    Open(Kiosk),
    /// The code was right but its time is up.
    Expired(Kiosk),
    /// The facilitator closed it.
    Closed(Kiosk),
    /// No kiosk ever had this code (or it was reused since).
    Unknown,
}

/// Kiosk openings. Opening, closing and their audit rows (never the code) commit together.
#[async_trait]
pub trait KioskStore {
    /// Opens a kiosk for a session with `code` (the caller draws it with
    /// `SessionCode::random`). `Taken("session code")` when a kiosk not yet closed and not
    /// expired has the same code: draw another and retry. Refused for an unknown instrument
    /// or version, no instruments, an expiry not after `by.at`, or a cancelled session;
    /// `NotFound` for an unknown session.
    async fn open_kiosk(
        &self,
        by: &AuditContext,
        code: &SessionCode,
        new: &NewKiosk,
    ) -> Result<Kiosk>;
    async fn kiosk(&self, id: KioskId) -> Result<Kiosk>;
    /// The kiosk a typed code opens at `at` (one query); the newest kiosk with that code.
    async fn kiosk_by_code(&self, code: &SessionCode, at: Timestamp) -> Result<KioskLookup>;
    /// A session's kiosks, newest first (one query).
    async fn session_kiosks(&self, session: SessionId) -> Result<Vec<Kiosk>>;
    /// Closes a kiosk now; closing a closed one changes nothing.
    async fn close_kiosk(&self, by: &AuditContext, id: KioskId) -> Result<Kiosk>;
}
