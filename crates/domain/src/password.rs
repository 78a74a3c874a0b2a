//! The password rule: long enough and not one of the commonest passwords.

/// Why a new password was refused. Messages are shown to the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {min} characters long")]
    TooShort { min: usize },
    #[error("password must be at most {max} characters long")]
    TooLong { max: usize },
    #[error("that password is one of the most common ones; choose another")]
    TooCommon,
}

/// Length bounds and a deny list (NIST SP 800-63B: length and a blocklist, no composition rules).
#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub min_chars: usize,
    pub max_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: 12,
            max_chars: 256,
        }
    }
}

/// Common passwords of 12 or more characters (shorter ones already fail on length), from
/// public breach top lists, lowercased.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678910",
    "qwertyuiop12",
    "qwertyuiopasdf",
    "password1234",
    "password12345",
    "passwordpassword",
    "iloveyou1234",
    "123123123123",
    "111111111111",
    "000000000000",
    "abc123abc123",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "letmeinplease",
    "administrator",
    "welcome12345",
    "changeme1234",
    "passw0rd1234",
    "monkey123456",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "superman1234",
    "trustno1trustno1",
    "asdfghjkl123",
    "correcthorsebatterystaple",
    "mypassword123",
    "password!234",
    "p@ssw0rd1234",
    "circlework123",
    "circleworkpassword",
];

impl PasswordPolicy {
    /// Checks a candidate password; returns it unchanged when acceptable.
    pub fn check<'a>(&self, candidate: &'a str) -> Result<&'a str, PasswordError> {
        let chars = candidate.chars().count();
        if chars < self.min_chars {
            return Err(PasswordError::TooShort {
                min: self.min_chars,
            });
        }
        if chars > self.max_chars {
            return Err(PasswordError::TooLong {
                max: self.max_chars,
            });
        }
        let lowered = candidate.to_lowercase();
        let one_repeated_char = lowered.chars().all(|c| lowered.starts_with(c));
        if one_repeated_char || COMMON.contains(&lowered.as_str()) {
            return Err(PasswordError::TooCommon);
        }
        Ok(candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_repeated_passwords_are_refused() {
        let policy = PasswordPolicy::default();
        assert_eq!(
            policy.check("short"),
            Err(PasswordError::TooShort { min: 12 })
        );
        assert_eq!(policy.check("Password1234"), Err(PasswordError::TooCommon));
        assert_eq!(
            policy.check("aaaaaaaaaaaaaa"),
            Err(PasswordError::TooCommon)
        );
        assert!(policy.check("a quiet river at dusk").is_ok());
    }
}
