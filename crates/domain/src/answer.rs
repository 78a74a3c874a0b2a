//! Answers to questionnaire items and the kiosk's session code.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::ParseError;

/// An answer on a bounded integer scale, checked against the item's range when made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AnswerValue(i32);

impl AnswerValue {
    /// Accepts `value` only if it lies in `min..=max` (the item's scale).
    pub fn new(value: i32, min: i32, max: i32) -> Result<Self, ParseError> {
        if (min..=max).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ParseError::new(
                "answer",
                format!("{value} is outside the scale {min} to {max}"),
            ))
        }
    }

    pub const fn get(self) -> i32 {
        self.0
    }
}

/// A 0–6 Likert answer (the GCQ-S scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Likert0to6(u8);

impl Likert0to6 {
    pub fn new(value: i64) -> Result<Self, ParseError> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 6)
            .map(Self)
            .ok_or_else(|| {
                ParseError::new("answer", format!("{value} is outside the scale 0 to 6"))
            })
    }

    pub const fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Likert0to6 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = i64::deserialize(d)?;
        Self::new(raw).map_err(serde::de::Error::custom)
    }
}

/// Characters of a kiosk code: digits and unambiguous capitals, easy to type on a phone.
const SESSION_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const SESSION_CODE_LEN: usize = 6;

/// The short code members type on the kiosk to reach their session's questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SessionCode(String);

impl SessionCode {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.len() != SESSION_CODE_LEN
            || !code.bytes().all(|b| SESSION_CODE_ALPHABET.contains(&b))
        {
            return Err(ParseError::new(
                "session code",
                "must be 6 letters or digits",
            ));
        }
        Ok(Self(code))
    }

    pub fn random(rng: &mut impl Rng) -> Self {
        let code = (0..SESSION_CODE_LEN)
            .map(|_| {
                let pick = rng.random_range(0..SESSION_CODE_ALPHABET.len());
                SESSION_CODE_ALPHABET
                    .get(pick)
                    .map_or('2', |b| char::from(*b))
            })
            .collect();
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn answers_outside_the_scale_are_refused() {
        assert!(AnswerValue::new(4, 0, 3).is_err());
        assert!(AnswerValue::new(-1, 0, 3).is_err());
        assert_eq!(AnswerValue::new(3, 0, 3).map(AnswerValue::get), Ok(3));
        assert!(Likert0to6::new(7).is_err());
        assert!(serde_json::from_str::<Likert0to6>("9").is_err());
    }

    #[test]
    fn session_codes_forgive_case_spaces_and_dashes() {
        assert_eq!(SessionCode::parse("ab3-d7k").unwrap().as_str(), "AB3D7K");
        assert!(SessionCode::parse("AB3D7").is_err());
        assert!(SessionCode::parse("AB3D7O").is_err());
    }

    proptest! {
        #[test]
        fn likert_accepts_exactly_zero_to_six(v in -1000i64..1000) {
            prop_assert_eq!(Likert0to6::new(v).is_ok(), (0..=6).contains(&v));
        }
    }
}
