//! Members are pseudonymous: a code such as `M-7Q3K` everywhere, an alias only facilitators see.

use jiff::{Timestamp, civil::Date};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::{EnrollmentId, GroupId, MemberId, ParseError, TextLimit};

/// Characters of a member code: no 0/O, 1/I/L or U, so a code read aloud or off paper
/// is not mistaken for another.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_BODY_LEN: usize = 4;

/// A member's pseudonymous code: `M-` and four characters of [`CODE_ALPHABET`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct MemberCode(String);

impl MemberCode {
    /// Parses a code as typed: surrounding space and lowercase are forgiven.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let code = raw.trim().to_ascii_uppercase();
        let body = code
            .strip_prefix("M-")
            .ok_or_else(|| ParseError::new("member code", "must start with \"M-\""))?;
        if body.len() != CODE_BODY_LEN || !body.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            return Err(ParseError::new(
                "member code",
                "must be M- followed by 4 letters or digits (no 0, 1, I, L, O or U)",
            ));
        }
        Ok(Self(code))
    }

    /// Draws a fresh code; the caller checks it is unused.
    pub fn random(rng: &mut impl Rng) -> Self {
        let body: String = (0..CODE_BODY_LEN)
            .map(|_| {
                let pick = rng.random_range(0..CODE_ALPHABET.len());
                CODE_ALPHABET.get(pick).map_or('2', |b| char::from(*b))
            })
            .collect();
        Self(format!("M-{body}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MemberCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MemberCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A facilitator's private name for a member (a first name or initials): 1–40 characters.
/// Never shown to members, supervisors' reports or public pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct MemberAlias(String);

impl MemberAlias {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let alias = raw.trim();
        if alias.is_empty() || alias.chars().count() > 40 {
            return Err(ParseError::new("alias", "must be 1 to 40 characters"));
        }
        if alias.chars().any(char::is_control) {
            return Err(ParseError::new(
                "alias",
                "must not contain control characters",
            ));
        }
        Ok(Self(alias.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person who attends groups, known by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: MemberId,
    pub code: MemberCode,
    pub alias: Option<MemberAlias>,
    pub created_at: Timestamp,
}

crate::named_enum! {
    /// Why a member's place in a group ended.
    pub enum LeaveReason("leave reason") {
        Completed => "completed",
        Dropout => "dropout",
        Transferred => "transferred",
        /// Released (from custody, a program or a mandate) and so no longer attending.
        Released => "released",
        Removed => "removed",
        Other => "other",
    }
}

impl LeaveReason {
    /// Words for the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Dropout => "dropped out",
            Self::Transferred => "transferred",
            Self::Released => "released",
            Self::Removed => "removed",
            Self::Other => "other",
        }
    }
}

/// What a member taps on a shared tablet: one short line.
pub const KIOSK_LABEL: TextLimit = TextLimit::line("kiosk label", 40);

/// A member's place on a group's roster, with the dates that bound it. A member who leaves
/// and comes back has one enrollment per stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrollment {
    pub id: EnrollmentId,
    pub member_id: MemberId,
    pub group_id: GroupId,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub leave_reason: Option<LeaveReason>,
    /// What the member taps on the group's shared tablet; `None` shows their code. Never
    /// the alias unless the facilitator types it here.
    pub kiosk_label: Option<String>,
}

impl Enrollment {
    /// The label the kiosk shows: the one set for this group, else the member's code.
    pub fn kiosk_label_or<'a>(&'a self, code: &'a MemberCode) -> &'a str {
        self.kiosk_label.as_deref().unwrap_or(code.as_str())
    }

    /// On the roster on `day`: joined by then and not yet left.
    pub fn is_active_on(&self, day: Date) -> bool {
        self.joined_on <= day && self.left_on.is_none_or(|left| day < left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn codes_parse_forgivingly_and_refuse_confusable_characters() {
        assert_eq!(MemberCode::parse(" m-7q3k ").unwrap().as_str(), "M-7Q3K");
        assert!(MemberCode::parse("M-7Q3").is_err());
        assert!(
            MemberCode::parse("M-7Q30").is_err(),
            "0 is not in the alphabet"
        );
        assert!(MemberCode::parse("X-7Q3K").is_err());
        assert!(MemberCode::parse("M-7Q3KK").is_err());
    }

    #[test]
    fn random_codes_are_valid_and_vary() {
        let mut rng = StdRng::seed_from_u64(7);
        let codes: Vec<MemberCode> = (0..50).map(|_| MemberCode::random(&mut rng)).collect();
        for code in &codes {
            assert_eq!(MemberCode::parse(code.as_str()).as_ref(), Ok(code));
        }
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert!(distinct.len() > 45);
    }

    #[test]
    fn enrollment_is_active_between_join_and_leave() {
        let e = Enrollment {
            id: EnrollmentId(1),
            member_id: MemberId(1),
            group_id: GroupId(1),
            joined_on: jiff::civil::date(2026, 1, 5),
            left_on: Some(jiff::civil::date(2026, 2, 2)),
            leave_reason: Some(LeaveReason::Dropout),
            kiosk_label: None,
        };
        assert!(!e.is_active_on(jiff::civil::date(2026, 1, 4)));
        assert!(e.is_active_on(jiff::civil::date(2026, 1, 5)));
        assert!(!e.is_active_on(jiff::civil::date(2026, 2, 2)));
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepts_only_canonical_shapes(raw in "\\PC{0,12}") {
            if let Ok(code) = MemberCode::parse(&raw) {
                prop_assert_eq!(code.as_str().len(), 6);
                prop_assert!(code.as_str().starts_with("M-"));
            }
        }
    }
}
