//! Typed row ids, so a member id can never be passed where a group id belongs.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .map($name)
                    .ok_or_else(|| $crate::ParseError::new(stringify!($name), "not a valid id"))
            }
        }
    )+};
}

id_type!(
    /// A staff or participant account.
    UserId,
    /// A program (a unit of an organisation that owns groups).
    ProgramId,
    /// A therapy or support group.
    GroupId,
    /// A pseudonymous member.
    MemberId,
    /// One stay of a member on a group's roster.
    EnrollmentId,
    /// One meeting of a group.
    SessionId,
    /// A note (group note or a member's progress note).
    NoteId,
    /// A stored alert.
    AlertId,
);
