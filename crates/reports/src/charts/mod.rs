//! The charts, one module each.

pub mod attendance;
pub mod burst;
pub mod climate;
pub mod profile;
pub mod stages;
pub mod timeline;
pub mod trajectory;
