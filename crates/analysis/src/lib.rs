//! A stored group through the engine: its evidence read in a fixed number of queries
//! ([`evidence_for_group`]), turned into the features' plain inputs ([`engine_inputs`]), run
//! through the session features, the stage model and the alert rules ([`analyse_group`]),
//! and the alerts stored idempotently ([`evaluate_and_store`]). SAFETY has a fast path for a
//! risk answer or a `safety` event ([`safety_alerts_for_answers`], [`raise_safety_now`]).
//!
//! Not a pure crate: it reads and writes through `store`. Everything between the read and
//! the write is pure and lives in the engine crates (`measures`, `stages`, `alerts`).
//!
//! When to call what:
//! - after any change of a session's evidence (attendance, answers, process events):
//!   [`evaluate_and_store`] (re-running never duplicates an alert, and a resolved alert is
//!   not raised again by the same evidence: the store keeps every alert's dedupe key);
//! - a kiosk or paper response: attach [`safety_alerts_for_answers`] to
//!   `NewResponse::raises`, so the SAFETY alert commits with the answer;
//! - a `safety` tally tap or a coded transcript with `safety` events: [`raise_safety_now`].

mod analyse;
mod evidence;
mod inputs;
mod instruments;
mod report;
mod safety;

pub use analyse::{
    Evaluation, GroupAnalysis, SessionTimeline, analyse_group, evaluate_and_store, new_alerts,
};
pub use evidence::{EVIDENCE_QUERIES, GroupEvidence, evidence_for_group};
pub use inputs::{CLIMATE_INSTRUMENT, EngineInputs, engine_inputs};
pub use instruments::{ALLIANCE_INSTRUMENTS, instrument_rules};
pub use report::{GroupReport, group_report};
pub use safety::{SafetyEvidence, raise_safety_now, safety_alerts_for_answers};
