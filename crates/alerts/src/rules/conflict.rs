//! CONFLICT_ESC and CONFLICT_EXPECTED: group conflict at or above a level, or risen by at
//! least a step since the previous session with answers, or hostility + judgment per 100
//! units at or above a rate and rising. While the group is likely differentiating
//! (P(differentiation) ≥ 0.6, filtered) the same trigger is CONFLICT_EXPECTED (info,
//! contain and process) instead of CONFLICT_ESC (high).

use domain::Severity;
use stages::features::ProcessBasis;

use crate::RuleId;
use crate::alert::{Evidence, RaisedAlert};
use crate::compare::at_least;
use crate::context::Context;
use crate::episode::{Status, onsets};

/// One session's conflict reading, kept small: evidence is written only for onsets.
#[derive(Debug, Clone, Copy)]
struct Reading {
    session: u32,
    conflict: Option<f64>,
    previous: Option<(u32, f64)>,
    /// Index in the rate history of this session's rate, when it has one.
    rate: Option<usize>,
    level: bool,
    rise: bool,
    rising: bool,
    p_differentiation: f64,
    expected: bool,
}

impl Reading {
    fn evaluable(&self) -> bool {
        self.conflict.is_some() || self.rate.is_some()
    }

    fn fired(&self) -> bool {
        self.level || self.rise || self.rising
    }
}

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let th = cx.thresholds;
    let steps = th.hostility_rising_steps.value as usize;
    let mut previous: Option<(u32, f64)> = None;
    // Observed hostility + judgment rates: (session, basis, rate).
    let mut rates: Vec<(u32, ProcessBasis, f64)> = Vec::with_capacity(cx.len);
    let mut readings: Vec<Reading> = Vec::with_capacity(cx.len);
    for position in 0..cx.len {
        let Some(features) = cx.evidence.features.get(position) else {
            break;
        };
        let session = cx.number(position);
        let conflict = features
            .climate
            .conflict
            .map(|m| m.mean)
            .filter(|c| c.is_finite());
        let mut reading = Reading {
            session,
            conflict,
            previous,
            rate: None,
            level: conflict.is_some_and(|c| at_least(c, th.conflict_level.value)),
            rise: conflict
                .zip(previous)
                .is_some_and(|(c, (_, p))| at_least(c - p, th.conflict_rise.value)),
            rising: false,
            p_differentiation: cx
                .evidence
                .stages
                .get(position)
                .map_or(0.0, |p| p.differentiation),
            expected: false,
        };
        reading.expected = at_least(reading.p_differentiation, th.expected_differentiation.value);
        if let Some((basis, r)) = features
            .process
            .map(|p| (p.basis, p.hostility_judgment()))
            .filter(|(_, r)| r.is_finite())
        {
            rates.push((session, basis, r));
            reading.rate = Some(rates.len() - 1);
            let window = rates
                .get(rates.len().saturating_sub(steps + 1)..)
                .unwrap_or(&[]);
            reading.rising = window.len() == steps + 1
                && window.iter().all(|(_, b, _)| *b == basis)
                && window.windows(2).all(|w| matches!(w, [a, b] if b.2 > a.2))
                && at_least(r, th.hostility_rate.value);
        }
        if conflict.is_some() {
            previous = conflict.map(|c| (session, c));
        }
        readings.push(reading);
    }
    for (rule, severity, want_expected) in [
        (RuleId::ConflictEsc, Severity::High, false),
        (RuleId::ConflictExpected, Severity::Info, true),
    ] {
        let statuses = readings.iter().map(|r| {
            if !r.evaluable() {
                Status::Unknown
            } else if r.fired() && r.expected == want_expected {
                Status::Hit(*r)
            } else {
                Status::Clear
            }
        });
        for reading in onsets(statuses) {
            let evidence = explain(cx, &reading, &rates, steps);
            out.push(cx.raise(rule, severity, cx.group(), None, reading.session, evidence));
        }
    }
}

fn explain(
    cx: &Context<'_>,
    reading: &Reading,
    rates: &[(u32, ProcessBasis, f64)],
    steps: usize,
) -> Evidence {
    let th = cx.thresholds;
    let mut evidence = Evidence::default();
    for (fired, name) in [
        (reading.level, "conflict_level"),
        (reading.rise, "conflict_rise"),
        (reading.rising, "hostility_judgment_rising"),
    ] {
        if fired {
            evidence.triggers.push(name);
        }
    }
    if let Some(c) = reading.conflict {
        evidence.see("group_conflict", reading.session, c);
    }
    if let Some((before, p)) = reading.previous {
        evidence.see("previous_group_conflict", before, p);
    }
    if let Some(index) = reading.rate {
        let first = if reading.rising {
            index.saturating_sub(steps)
        } else {
            index
        };
        for (session, _, rate) in rates.get(first..=index).unwrap_or(&[]) {
            evidence.see("hostility_judgment_per_100", *session, *rate);
        }
    }
    evidence.see(
        "p_differentiation",
        reading.session,
        reading.p_differentiation,
    );
    evidence.compare("conflict_level", th.conflict_level);
    evidence.compare("conflict_rise", th.conflict_rise);
    evidence.compare("hostility_judgment_per_100", th.hostility_rate);
    evidence.compare("hostility_rising_steps", th.hostility_rising_steps);
    evidence.compare("expected_differentiation", th.expected_differentiation);
    evidence
}
