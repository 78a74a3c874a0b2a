//! The charts, one module each.

pub mod trajectory;
pub mod climate;
pub mod stages;
pub mod attendance;
