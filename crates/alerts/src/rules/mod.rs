//! One module per rule family of DOMAIN.md §6.3.

pub(crate) mod conflict;
pub(crate) mod dropout;
pub(crate) mod instruments;
pub(crate) mod safety;
pub(crate) mod stalled;
pub(crate) mod withdrawal;
