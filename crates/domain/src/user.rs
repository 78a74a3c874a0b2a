//! Accounts. Usernames are handles, not email addresses: Circlework keeps no staff email.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{ParseError, Role, UserId};

/// A sign-in name: 3–32 characters of lowercase letters, digits, `.`, `-` or `_`,
/// starting with a letter. Stored lowercased so "Alice" and "alice" are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let name = raw.trim().to_lowercase();
        let err = |reason: &str| ParseError::new("username", reason);
        if name.chars().count() < 3 || name.chars().count() > 32 {
            return Err(err("must be 3 to 32 characters long"));
        }
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(err("must start with a letter"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        {
            return Err(err("may contain only letters, digits, '.', '-' and '_'"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Username {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// The name shown for a staff member: 1–80 printable characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ParseError::new("display name", "must not be empty"));
        }
        if name.chars().count() > 80 {
            return Err(ParseError::new(
                "display name",
                "must be at most 80 characters",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ParseError::new(
                "display name",
                "must not contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DisplayName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An account as the rest of the system sees it (the password hash stays in storage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: Username,
    pub display_name: DisplayName,
    pub role: Role,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
    pub locked_at: Option<Timestamp>,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(
            Username::parse(" Demo.Facilitator ").unwrap().as_str(),
            "demo.facilitator"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("1abc").is_err());
        assert!(Username::parse("someone@example.org").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn display_names_refuse_empty_and_control_characters() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("Ana\u{7}").is_err());
        assert_eq!(
            DisplayName::parse(" Ana Ruiz ").unwrap().as_str(),
            "Ana Ruiz"
        );
    }
}
