//! One module per table (or table family): its row mapping and its queries.

mod alerts;
mod audit_log;
mod auth_sessions;
mod evidence_reads;
mod groups;
mod instruments;
mod kiosks;
mod members;
mod organisation;
mod process_events;
mod programs;
mod responses;
mod sessions;
mod users;
