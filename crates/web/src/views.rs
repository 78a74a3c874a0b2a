//! What every page shares: the chrome (title, navigation, the signed-in user, the CSRF
//! token for forms) and the formatting of times in the organisation's time zone.

use jiff::{Timestamp, tz::TimeZone};

use crate::{
    auth::CurrentUser,
    nav::{self, NavItem},
};

/// The frame around every signed-in page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    pub user_name: String,
    pub role_label: &'static str,
    pub nav: Vec<NavItem>,
    pub csrf_token: String,
    pub current: &'static str,
    /// Pages that show member data carry a visible privacy banner.
    pub sensitive: bool,
}

impl Chrome {
    pub fn new(
        current_user: &CurrentUser,
        title: impl Into<String>,
        current: &'static str,
    ) -> Self {
        Self {
            title: title.into(),
            user_name: current_user.user.display_name.to_string(),
            role_label: current_user.user.role.label(),
            nav: nav::for_actor(&current_user.actor),
            csrf_token: current_user.csrf_token.clone(),
            current,
            sensitive: false,
        }
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

/// Shows times in the organisation's zone; an unknown zone name falls back to UTC.
#[derive(Debug, Clone)]
pub struct LocalTime {
    zone: TimeZone,
}

impl LocalTime {
    pub fn new(zone_name: &str) -> Self {
        Self {
            zone: TimeZone::get(zone_name).unwrap_or(TimeZone::UTC),
        }
    }

    /// e.g. "Tue 3 Mar 2026, 18:00".
    pub fn date_time(&self, at: Timestamp) -> String {
        at.to_zoned(self.zone.clone())
            .strftime("%a %-d %b %Y, %H:%M")
            .to_string()
    }

    /// e.g. "18:00".
    pub fn time(&self, at: Timestamp) -> String {
        at.to_zoned(self.zone.clone()).strftime("%H:%M").to_string()
    }

    pub fn date(&self, at: Timestamp) -> jiff::civil::Date {
        at.to_zoned(self.zone.clone()).date()
    }
}

impl From<TimeZone> for LocalTime {
    fn from(zone: TimeZone) -> Self {
        Self { zone }
    }
}

/// A calendar date in the one style every page uses, e.g. "Tue 3 Mar 2026" (the date part
/// of [`LocalTime::date_time`]).
pub fn day(date: jiff::civil::Date) -> String {
    domain::text::date_words(date)
}

/// Is `name` a time zone the bundled database knows?
pub fn is_known_time_zone(name: &str) -> bool {
    TimeZone::get(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_in_the_organisation_zone() {
        let at: Timestamp = "2026-03-03T18:00:00Z".parse().unwrap();
        assert_eq!(LocalTime::new("UTC").time(at), "18:00");
        assert_eq!(LocalTime::new("America/New_York").time(at), "13:00");
        assert_eq!(LocalTime::new("Not/AZone").time(at), "18:00");
        assert_eq!(
            LocalTime::new("Europe/London").date_time(at),
            "Tue 3 Mar 2026, 18:00"
        );
        assert_eq!(day(jiff::civil::date(2026, 3, 3)), "Tue 3 Mar 2026");
    }
}
