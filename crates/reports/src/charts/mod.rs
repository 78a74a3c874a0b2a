//! The charts, one module each.

pub mod trajectory;
pub mod climate;
