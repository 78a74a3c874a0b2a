//! The one organisation per installation, its settings, and its programs.

use serde::Serialize;

use crate::{ParseError, ProgramId};

/// Settings an administrator can change. Defaults suit a small clinic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationSettings {
    pub name: String,
    /// IANA time zone name; schedules and dates are shown in it.
    pub time_zone: String,
    /// Signed-in sessions end after this many minutes without a request.
    pub idle_logoff_minutes: u32,
    /// Failed sign-ins in a row that lock an account.
    pub lockout_threshold: u32,
    /// Group conflict mean (0–6) at or above which a conflict alert fires.
    pub alert_conflict_level: f64,
    /// Rise in group conflict since the previous session that fires a conflict alert.
    pub alert_conflict_rise: f64,
    /// Consecutive absences that mark a member at high dropout risk.
    pub alert_consecutive_absences: u32,
}

impl Default for OrganisationSettings {
    fn default() -> Self {
        Self {
            name: "Circlework".to_owned(),
            time_zone: "UTC".to_owned(),
            idle_logoff_minutes: 30,
            lockout_threshold: 5,
            alert_conflict_level: 3.0,
            alert_conflict_rise: 1.0,
            alert_consecutive_absences: 2,
        }
    }
}

impl OrganisationSettings {
    /// Checks ranges a form could get wrong; the time zone is checked by the caller,
    /// which has the time-zone database.
    pub fn validate(&self) -> Result<(), ParseError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(ParseError::new(
                "organisation name",
                "must be 1 to 120 characters",
            ));
        }
        if !(5..=720).contains(&self.idle_logoff_minutes) {
            return Err(ParseError::new(
                "idle logoff",
                "must be between 5 and 720 minutes",
            ));
        }
        if !(3..=20).contains(&self.lockout_threshold) {
            return Err(ParseError::new(
                "lockout threshold",
                "must be between 3 and 20 failures",
            ));
        }
        if !(0.0..=6.0).contains(&self.alert_conflict_level) {
            return Err(ParseError::new("conflict level", "must be between 0 and 6"));
        }
        if !(0.0..=6.0).contains(&self.alert_conflict_rise) {
            return Err(ParseError::new("conflict rise", "must be between 0 and 6"));
        }
        if !(1..=10).contains(&self.alert_consecutive_absences) {
            return Err(ParseError::new(
                "consecutive absences",
                "must be between 1 and 10",
            ));
        }
        Ok(())
    }
}

/// A program: a service line that owns groups (e.g. "Reentry groups").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Program {
    pub id: ProgramId,
    pub name: String,
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_ranges_are_named() {
        assert!(OrganisationSettings::default().validate().is_ok());
        let bad = OrganisationSettings {
            lockout_threshold: 1,
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().what, "lockout threshold");
    }
}
