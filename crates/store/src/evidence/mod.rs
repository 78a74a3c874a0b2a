//! The evidence a group's analysis reads and the alerts it raises: questionnaire responses
//! and the kiosks members submit them at, process events (observer tally, coded
//! transcripts), a group's attendance marks in one read, and stored alerts. One trait per
//! family; their SQL lives in `tables/`.
//!
//! Every read of a session, member or group here is one query (two for a group's process
//! record: events and transcript counts), whatever the number of sessions or members.

mod alerts;
mod kiosks;
mod process;
mod reads;
mod responses;

pub use alerts::{AlertInsert, AlertStore, NewAlert};
pub use kiosks::{
    DEFAULT_KIOSK_LIFETIME, InstrumentRef, Kiosk, KioskId, KioskLookup, KioskStore, NewKiosk,
};
pub use process::{
    ProcessEventId, ProcessEventStore, ProcessRecord, StoredEvent, TranscriptCounts,
};
pub use reads::{EvidenceReads, GroupMark};
pub use responses::{
    NewResponse, OnDuplicate, Response, ResponseId, ResponseSource, ResponseStore, Submission,
    SubmitOutcome,
};

/// Typed ids of the evidence tables, like `domain`'s.
macro_rules! evidence_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = domain::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .map($name)
                    .ok_or_else(|| domain::ParseError::new(stringify!($name), "not a valid id"))
            }
        }
    };
}
pub(crate) use evidence_id;
