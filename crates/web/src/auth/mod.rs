//! Who is asking: passwords, sign-in sessions, the signed-in user, sign-in limits.

pub mod audited;
pub mod password;
pub mod rate_limit;
pub mod session;
pub mod tokens;

pub use audited::Audit;
pub use session::{CurrentUser, MaybeUser, SESSION_COOKIE};
