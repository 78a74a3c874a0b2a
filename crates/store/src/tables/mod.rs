//! One module per table (or table family): its row mapping and its queries.

mod audit_log;
mod auth_sessions;
mod groups;
mod instruments;
mod members;
mod organisation;
mod programs;
mod sessions;
mod users;
