//! A group's schedule (weekday, start time, length) and the planning of its sessions from
//! it: the planned number for a course, the next twelve weeks for an open-ended group.
//!
//! Planning is a pure function of the schedule, the group's dates, the sessions that exist
//! and today's date; the store applies its result in one transaction. It never moves or
//! cancels a session that is held, cancelled or already past: only planned sessions from
//! tomorrow on follow a changed schedule.

use std::fmt;

use jiff::{
    ToSpan,
    civil::{Date, Time, Weekday},
};
use serde::{Serialize, Serializer, ser::SerializeStruct};

use crate::{ParseError, SessionId, SessionStatus};

/// How far ahead an open-ended group's sessions are kept generated.
pub const OPEN_ENDED_WEEKS: i32 = 12;

/// Shortest and longest session a schedule may set, in minutes.
pub const SESSION_MINUTES: std::ops::RangeInclusive<u32> = 15..=480;

/// When a group meets: every week on `weekday` at `time` (the organisation's local time)
/// for `minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    weekday: Weekday,
    time: Time,
    minutes: u32,
}

impl Schedule {
    pub fn new(weekday: Weekday, time: Time, minutes: u32) -> Result<Self, ParseError> {
        if !SESSION_MINUTES.contains(&minutes) {
            return Err(ParseError::new(
                "session length",
                format!(
                    "must be {} to {} minutes",
                    SESSION_MINUTES.start(),
                    SESSION_MINUTES.end()
                ),
            ));
        }
        Ok(Self {
            weekday,
            time: time.round(jiff::Unit::Minute).unwrap_or(time),
            minutes,
        })
    }

    pub const fn weekday(&self) -> Weekday {
        self.weekday
    }

    pub const fn time(&self) -> Time {
        self.time
    }

    pub const fn minutes(&self) -> u32 {
        self.minutes
    }

    /// The meeting days on or after `from`, in order.
    pub fn days_from(&self, from: Date) -> impl Iterator<Item = Date> + use<> {
        let first = from.checked_add(i64::from(from.weekday().until(self.weekday)).days());
        let mut next = first.ok();
        std::iter::from_fn(move || {
            let day = next?;
            next = day.checked_add(1.week()).ok();
            Some(day)
        })
    }

    /// e.g. "Tuesdays 18:00–19:30".
    pub fn describe(&self) -> String {
        let end = self
            .time
            .checked_add(i64::from(self.minutes).minutes())
            .unwrap_or(self.time);
        format!(
            "{}s {}–{}",
            weekday_name(self.weekday),
            self.time.strftime("%H:%M"),
            end.strftime("%H:%M")
        )
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Schedule", 3)?;
        out.serialize_field("weekday", weekday_key(self.weekday))?;
        out.serialize_field("time", &self.time.strftime("%H:%M").to_string())?;
        out.serialize_field("minutes", &self.minutes)?;
        out.end()
    }
}

/// The weekday's English name, e.g. "Tuesday".
pub const fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// The weekday as a lowercase key for forms and JSON, e.g. "tuesday".
pub const fn weekday_key(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

/// Every weekday from Monday.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// Reads a weekday key ("tuesday"); case and surrounding space are forgiven.
pub fn parse_weekday(raw: &str) -> Result<Weekday, ParseError> {
    let key = raw.trim().to_ascii_lowercase();
    WEEKDAYS
        .into_iter()
        .find(|w| weekday_key(*w) == key)
        .ok_or_else(|| ParseError::new("weekday", "choose a day of the week"))
}

/// A session that exists, as planning sees it: its local date and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub id: SessionId,
    pub day: Date,
    pub status: SessionStatus,
}

/// What planning sees of a group.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    pub schedule: &'a Schedule,
    pub starts_on: Date,
    /// The planned number of sessions; `None` for an open-ended group.
    pub planned: Option<u32>,
    pub existing: &'a [Slot],
    pub today: Date,
    /// The schedule or the start date changed: planned sessions from tomorrow on move to
    /// follow the new one.
    pub reschedule: bool,
}

/// What to do so a group's sessions follow its schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Planned sessions to move to another day (at the schedule's time and length).
    pub moves: Vec<(SessionId, Date)>,
    /// New sessions, on these days.
    pub add: Vec<Date>,
    /// Planned sessions to cancel because fewer are planned now.
    pub cancel: Vec<SessionId>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty() && self.add.is_empty() && self.cancel.is_empty()
    }
}

fn next_day(day: Date) -> Date {
    day.tomorrow().unwrap_or(day)
}

/// Plans a group's sessions. A course (`planned = Some(n)`) ends up with `n` sessions that
/// are not cancelled; an open-ended group with sessions through twelve weeks after today.
/// New sessions come after the last existing one (and not before today once a group has
/// sessions); the first ones start on the first meeting day on or after the start date.
///
/// Refuses a planned number below the sessions already held or past.
pub fn plan(input: &PlanInput<'_>) -> Result<Plan, ParseError> {
    let mut slots = input.existing.to_vec();
    slots.sort_by_key(|s| (s.day, s.id));
    let movable = |s: &Slot| s.status == SessionStatus::Planned && s.day > input.today;
    let fixed: Vec<Slot> = slots.iter().copied().filter(|s| !movable(s)).collect();
    let mut free: Vec<(SessionId, Date)> = slots
        .iter()
        .filter(|s| movable(s))
        .map(|s| (s.id, s.day))
        .collect();

    let mut result = Plan::default();
    if input.reschedule && !free.is_empty() {
        let mut start = input.starts_on.max(next_day(input.today));
        if let Some(last) = fixed.last() {
            start = start.max(next_day(last.day));
        }
        let mut days = input.schedule.days_from(start);
        for (id, day) in &mut free {
            let Some(new_day) = days.next() else { break };
            if new_day != *day {
                result.moves.push((*id, new_day));
                *day = new_day;
            }
        }
    }

    let last_day = fixed
        .iter()
        .map(|s| s.day)
        .chain(free.iter().map(|(_, d)| *d))
        .max();
    let from = match last_day {
        None => input.starts_on,
        Some(last) => next_day(last).max(input.today).max(input.starts_on),
    };
    let held_or_past = u32::try_from(
        fixed
            .iter()
            .filter(|s| s.status != SessionStatus::Cancelled)
            .count(),
    )
    .unwrap_or(u32::MAX);
    let active = held_or_past.saturating_add(u32::try_from(free.len()).unwrap_or(u32::MAX));
    match input.planned {
        Some(planned) if active < planned => {
            let missing = usize::try_from(planned - active).unwrap_or(0);
            result.add = input.schedule.days_from(from).take(missing).collect();
        }
        Some(planned) if active > planned => {
            if held_or_past > planned {
                return Err(ParseError::new(
                    "planned sessions",
                    format!(
                        "{held_or_past} sessions are already held or past; plan at least {held_or_past}"
                    ),
                ));
            }
            let extra = usize::try_from(active - planned).unwrap_or(0);
            free.sort_by_key(|(id, day)| (*day, *id));
            result.cancel = free.iter().rev().take(extra).map(|(id, _)| *id).collect();
            result.cancel.sort();
        }
        Some(_) => {}
        None => {
            let horizon = input
                .today
                .max(input.starts_on)
                .checked_add(OPEN_ENDED_WEEKS.weeks())
                .unwrap_or(input.today);
            result.add = input
                .schedule
                .days_from(from)
                .take_while(|day| *day <= horizon)
                .collect();
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn tuesdays() -> Schedule {
        Schedule::new(Weekday::Tuesday, Time::constant(18, 0, 0, 0), 90).unwrap()
    }

    fn input<'a>(
        schedule: &'a Schedule,
        planned: Option<u32>,
        existing: &'a [Slot],
        today: Date,
    ) -> PlanInput<'a> {
        PlanInput {
            schedule,
            starts_on: date(2026, 3, 1),
            planned,
            existing,
            today,
            reschedule: false,
        }
    }

    /// The slots a plan leaves, as if the store applied it with fresh ids.
    fn apply(existing: &[Slot], plan: &Plan) -> Vec<Slot> {
        let mut slots: Vec<Slot> = existing
            .iter()
            .map(|s| {
                let mut s = *s;
                if let Some((_, day)) = plan.moves.iter().find(|(id, _)| *id == s.id) {
                    s.day = *day;
                }
                if plan.cancel.contains(&s.id) {
                    s.status = SessionStatus::Cancelled;
                }
                s
            })
            .collect();
        let mut next = existing.iter().map(|s| s.id.0).max().unwrap_or(0);
        for day in &plan.add {
            next += 1;
            slots.push(Slot {
                id: SessionId(next),
                day: *day,
                status: SessionStatus::Planned,
            });
        }
        slots
    }

    #[test]
    fn schedules_describe_themselves_and_check_their_length() {
        assert_eq!(tuesdays().describe(), "Tuesdays 18:00–19:30");
        assert!(Schedule::new(Weekday::Monday, Time::midnight(), 10).is_err());
        assert!(Schedule::new(Weekday::Monday, Time::midnight(), 481).is_err());
        assert_eq!(parse_weekday(" Tuesday ").unwrap(), Weekday::Tuesday);
        assert!(parse_weekday("someday").is_err());
    }

    #[test]
    fn a_course_gets_its_planned_sessions_from_the_first_meeting_day() {
        let schedule = tuesdays();
        let plan = plan(&input(&schedule, Some(3), &[], date(2026, 2, 1))).unwrap();
        // 1 March 2026 is a Sunday: the first Tuesday on or after it is 3 March.
        assert_eq!(
            plan.add,
            [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)]
        );
    }

    #[test]
    fn an_open_ended_group_is_planned_twelve_weeks_ahead() {
        let schedule = tuesdays();
        let plan = plan(&input(&schedule, None, &[], date(2026, 3, 1))).unwrap();
        assert_eq!(plan.add.len(), 12);
        assert_eq!(plan.add.last(), Some(&date(2026, 5, 19)));
    }

    #[test]
    fn a_changed_schedule_moves_only_future_planned_sessions() {
        let schedule = tuesdays();
        let first = plan(&input(&schedule, Some(4), &[], date(2026, 3, 1))).unwrap();
        let mut slots = apply(&[], &first);
        slots[0].status = SessionStatus::Held;
        let thursdays = Schedule::new(Weekday::Thursday, Time::constant(9, 0, 0, 0), 60).unwrap();
        let mut changed = input(&thursdays, Some(4), &slots, date(2026, 3, 11));
        changed.reschedule = true;
        let plan = plan(&changed).unwrap();
        // Session 2 (10 March) is past and stays; 17 and 24 March move to Thursdays.
        assert_eq!(
            plan.moves,
            [
                (slots[2].id, date(2026, 3, 12)),
                (slots[3].id, date(2026, 3, 19))
            ]
        );
        assert!(plan.add.is_empty() && plan.cancel.is_empty());
    }

    #[test]
    fn fewer_planned_cancels_the_last_future_sessions_and_never_below_what_was_held() {
        let schedule = tuesdays();
        let slots = apply(
            &[],
            &plan(&input(&schedule, Some(5), &[], date(2026, 3, 1))).unwrap(),
        );
        let today = date(2026, 3, 12); // two sessions past
        let fewer = plan(&input(&schedule, Some(3), &slots, today)).unwrap();
        assert_eq!(fewer.cancel, [slots[3].id, slots[4].id]);
        let error = plan(&input(&schedule, Some(1), &slots, today)).unwrap_err();
        assert_eq!(error.what, "planned sessions");
        assert!(error.reason.contains("plan at least 2"), "{error}");
    }

    #[test]
    fn more_planned_adds_after_the_last_session_and_not_in_the_past() {
        let schedule = tuesdays();
        let slots = apply(
            &[],
            &plan(&input(&schedule, Some(2), &[], date(2026, 3, 1))).unwrap(),
        );
        let later = date(2026, 4, 1);
        let more = plan(&input(&schedule, Some(4), &slots, later)).unwrap();
        assert_eq!(more.add, [date(2026, 4, 7), date(2026, 4, 14)]);
    }

    fn any_schedule() -> impl Strategy<Value = Schedule> {
        (0usize..7, 0i8..24, 15u32..=240).prop_map(|(w, h, m)| {
            Schedule::new(WEEKDAYS[w], Time::constant(h, 0, 0, 0), m).unwrap()
        })
    }

    proptest! {
        #[test]
        fn plans_land_on_the_meeting_day_and_settle(
            schedule in any_schedule(),
            planned in prop::option::of(1u32..30),
            start_offset in 0i64..60,
            today_offset in 0i64..200,
            later in 0i64..200,
            changed in any_schedule(),
        ) {
            let starts_on = date(2026, 1, 1).checked_add(start_offset.days()).unwrap();
            let today = date(2026, 1, 1).checked_add(today_offset.days()).unwrap();
            let base = PlanInput { schedule: &schedule, starts_on, planned, existing: &[], today, reschedule: false };
            let first = plan(&base).unwrap();
            prop_assert!(first.add.iter().all(|d| d.weekday() == schedule.weekday() && *d >= starts_on));
            prop_assert!(first.add.windows(2).all(|w| w[0] < w[1]));
            if let Some(n) = planned {
                prop_assert_eq!(first.add.len(), n as usize);
            }
            let slots = apply(&[], &first);
            // Planning again the same day changes nothing.
            let again = plan(&PlanInput { existing: &slots, ..base }).unwrap();
            prop_assert!(again.is_empty(), "{again:?}");

            // Later, with another schedule: nothing held or past moves or is cancelled.
            let mut slots = slots;
            let later_day = today.checked_add(later.days()).unwrap();
            for slot in &mut slots {
                if slot.day <= later_day && slot.id.0 % 2 == 1 {
                    // Some past sessions held, others left planned (never marked).
                    slot.status = SessionStatus::Held;
                }
            }
            let moved = plan(&PlanInput {
                schedule: &changed,
                existing: &slots,
                today: later_day,
                reschedule: true,
                ..base
            });
            if let Ok(moved) = moved {
                for (id, day) in &moved.moves {
                    let slot = slots.iter().find(|s| s.id == *id).unwrap();
                    prop_assert_eq!(slot.status, SessionStatus::Planned);
                    prop_assert!(slot.day > later_day, "a past session moved");
                    prop_assert!(*day > later_day && day.weekday() == changed.weekday());
                }
                for id in &moved.cancel {
                    let slot = slots.iter().find(|s| s.id == *id).unwrap();
                    prop_assert_eq!(slot.status, SessionStatus::Planned);
                    prop_assert!(slot.day > later_day, "a past session was cancelled");
                }
                prop_assert!(moved.add.iter().all(|d| *d >= later_day));
                if let Some(n) = planned {
                    let after = apply(&slots, &moved);
                    let active = after.iter().filter(|s| s.status != SessionStatus::Cancelled).count();
                    prop_assert_eq!(active, n as usize);
                }
            }
        }
    }
}
