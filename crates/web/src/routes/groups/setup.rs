//! The group set-up form shared by creating and editing a group: name, how members join,
//! planned sessions, capacity, first session date and the weekly meeting. Every field is
//! checked at once and its error shown beside it.

use domain::{
    GroupKind, Schedule,
    group::GROUP_NAME,
    schedule::{SESSION_MINUTES, WEEKDAYS, parse_weekday, weekday_key, weekday_name},
};
use jiff::civil::Date;
use serde::Deserialize;

use crate::form::{self, FieldErrors};

/// The form as typed, kept when it is refused.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GroupForm {
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub planned_sessions: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub weekday: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub minutes: String,
}

impl GroupForm {
    /// A blank form: a closed course of 12 sessions from `today`, weekly on its weekday
    /// at 18:00 for 90 minutes.
    pub fn new(today: Date) -> Self {
        Self {
            kind: GroupKind::Closed.as_str().into(),
            planned_sessions: "12".into(),
            starts_on: today.to_string(),
            weekday: weekday_key(today.weekday()).into(),
            time: "18:00".into(),
            minutes: "90".into(),
            ..Self::default()
        }
    }

    /// The form filled from a group, for editing.
    pub fn of(group: &domain::Group) -> Self {
        let meeting = group.meeting;
        Self {
            program: group.program_id.to_string(),
            name: group.name.clone(),
            kind: group.kind.as_str().into(),
            planned_sessions: group
                .planned_sessions
                .map(|n| n.to_string())
                .unwrap_or_default(),
            capacity: group.capacity.map(|n| n.to_string()).unwrap_or_default(),
            starts_on: group.starts_on.to_string(),
            weekday: meeting
                .map(|m| weekday_key(m.weekday()))
                .unwrap_or_default()
                .into(),
            time: meeting
                .map(|m| m.time().strftime("%H:%M").to_string())
                .unwrap_or_default(),
            minutes: meeting.map(|m| m.minutes().to_string()).unwrap_or_default(),
        }
    }
}

/// A checked set-up (the program is checked by the caller).
#[derive(Debug, Clone)]
pub struct Setup {
    pub name: String,
    pub kind: GroupKind,
    pub planned_sessions: Option<u32>,
    pub capacity: Option<u32>,
    pub starts_on: Date,
    pub meeting: Schedule,
}

pub fn parse(form: &GroupForm, errors: &mut FieldErrors) -> Option<Setup> {
    let name = errors.check(
        "name",
        GROUP_NAME
            .clean_required(&form.name)
            .map_err(|e| format!("The group name {}.", e.reason)),
    );
    let kind = errors.check(
        "kind",
        form.kind
            .parse::<GroupKind>()
            .map_err(|_| "Choose how members join.".to_owned()),
    );
    let planned_sessions = errors.check(
        "planned_sessions",
        form::optional_count(&form.planned_sessions, "Planned sessions").and_then(|n| match n {
            Some(n) if !(1..=500).contains(&n) => Err(
                "Planned sessions must be between 1 and 500, or empty for an open-ended group."
                    .to_owned(),
            ),
            n => Ok(n),
        }),
    );
    let capacity = errors.check(
        "capacity",
        form::optional_count(&form.capacity, "Capacity").and_then(|n| match n {
            Some(n) if !(1..=200).contains(&n) => {
                Err("Capacity must be between 1 and 200, or empty.".to_owned())
            }
            n => Ok(n),
        }),
    );
    let starts_on = errors.check("starts_on", form::date(&form.starts_on, "First session"));
    let weekday = errors.check(
        "weekday",
        parse_weekday(&form.weekday).map_err(|_| "Choose the day the group meets.".to_owned()),
    );
    let time = errors.check("time", form::time(&form.time, "Start time"));
    let minutes = errors.check(
        "minutes",
        form::optional_count(&form.minutes, "Length").and_then(|n| match n {
            Some(n) if SESSION_MINUTES.contains(&n) => Ok(n),
            _ => Err(format!(
                "Length: a session lasts {} to {} minutes.",
                SESSION_MINUTES.start(),
                SESSION_MINUTES.end()
            )),
        }),
    );
    let meeting = match (weekday, time, minutes) {
        (Some(weekday), Some(time), Some(minutes)) => errors.check(
            "minutes",
            Schedule::new(weekday, time, minutes).map_err(|e| e.to_string()),
        ),
        _ => None,
    };
    Some(Setup {
        name: name?,
        kind: kind?,
        planned_sessions: planned_sessions?,
        capacity: capacity?,
        starts_on: starts_on?,
        meeting: meeting?,
    })
}

/// A choice in a list of radio buttons or a select.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

pub fn kinds() -> Vec<Choice> {
    vec![
        Choice {
            value: "closed",
            label: "Closed: everyone starts together",
        },
        Choice {
            value: "open",
            label: "Open: members join at any session",
        },
        Choice {
            value: "rolling",
            label: "Rolling: members join at set points",
        },
    ]
}

pub fn weekdays() -> Vec<Choice> {
    WEEKDAYS
        .iter()
        .map(|w| Choice {
            value: weekday_key(*w),
            label: weekday_name(*w),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_named_at_once() {
        let form = GroupForm {
            name: " ".into(),
            kind: "weekly".into(),
            planned_sessions: "ten".into(),
            starts_on: "soon".into(),
            weekday: "someday".into(),
            time: "6pm".into(),
            minutes: "5".into(),
            ..GroupForm::default()
        };
        let mut errors = FieldErrors::default();
        assert!(parse(&form, &mut errors).is_none());
        for field in [
            "name",
            "kind",
            "planned_sessions",
            "starts_on",
            "weekday",
            "time",
            "minutes",
        ] {
            assert!(errors.has(field), "{field}");
        }
        assert!(!errors.has("capacity"));
    }

    #[test]
    fn a_good_form_parses() {
        let form = GroupForm {
            name: "Tuesday circle".into(),
            ..GroupForm::new(jiff::civil::date(2026, 3, 3))
        };
        let mut errors = FieldErrors::default();
        let setup = parse(&form, &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(setup.meeting.describe(), "Tuesdays 18:00–19:30");
        assert_eq!(setup.planned_sessions, Some(12));
    }
}
