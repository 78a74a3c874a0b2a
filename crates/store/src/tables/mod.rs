//! One module per table (or table family): its row mapping and its queries.

mod alerts;
mod attendance;
mod audit_log;
mod auth_sessions;
mod evidence_reads;
pub(crate) mod groups;
mod instruments;
mod kiosks;
pub(crate) mod members;
mod organisation;
mod planning;
mod process_events;
mod programs;
mod responses;
pub(crate) mod sessions;
pub(crate) mod users;
