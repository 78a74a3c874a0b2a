//! One module per table (or table family): its row mapping and its queries.

mod attendance;
mod audit_log;
mod auth_sessions;
pub(crate) mod groups;
mod instruments;
pub(crate) mod members;
mod organisation;
mod planning;
mod programs;
pub(crate) mod sessions;
pub(crate) mod users;
