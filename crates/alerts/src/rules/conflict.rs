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

/// One session's conflict reading: the triggers that fired and the evidence.
struct Reading {
    evaluable: bool,
    fired: bool,
    expected: bool,
    evidence: Evidence,
}

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let th = cx.thresholds;
    let steps = th.hostility_rising_steps.value as usize;
    let mut previous_conflict: Option<(u32, f64)> = None;
    // Observed hostility + judgment rates: (session, basis, rate).
    let mut rates: Vec<(u32, ProcessBasis, f64)> = Vec::new();
    let mut readings = Vec::with_capacity(cx.len);
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
        let rate = features
            .process
            .map(|p| (p.basis, p.hostility_judgment()))
            .filter(|(_, r)| r.is_finite());
        let mut evidence = Evidence::default();
        let mut fired = false;
        if let Some(c) = conflict {
            evidence.see("group_conflict", session, c);
            if at_least(c, th.conflict_level.value) {
                evidence.triggers.push("conflict_level");
                fired = true;
            }
            if let Some((before, previous)) = previous_conflict {
                evidence.see("previous_group_conflict", before, previous);
                if at_least(c - previous, th.conflict_rise.value) {
                    evidence.triggers.push("conflict_rise");
                    fired = true;
                }
            }
        }
        if let Some((basis, r)) = rate {
            rates.push((session, basis, r));
            let recent = rates.len().saturating_sub(steps + 1);
            let window = rates.get(recent..).unwrap_or(&[]);
            let rising = window.len() == steps + 1
                && window.iter().all(|(_, b, _)| *b == basis)
                && window.windows(2).all(|w| matches!(w, [a, b] if b.2 > a.2));
            if rising && at_least(r, th.hostility_rate.value) {
                evidence.triggers.push("hostility_judgment_rising");
                fired = true;
                for (s, _, value) in window {
                    evidence.see("hostility_judgment_per_100", *s, *value);
                }
            } else {
                evidence.see("hostility_judgment_per_100", session, r);
            }
        }
        let p_differentiation = cx
            .evidence
            .stages
            .get(position)
            .map_or(0.0, |p| p.differentiation);
        let expected = at_least(p_differentiation, th.expected_differentiation.value);
        if fired {
            evidence.see("p_differentiation", session, p_differentiation);
            evidence.compare("conflict_level", th.conflict_level);
            evidence.compare("conflict_rise", th.conflict_rise);
            evidence.compare("hostility_judgment_per_100", th.hostility_rate);
            evidence.compare("hostility_rising_steps", th.hostility_rising_steps);
            evidence.compare("expected_differentiation", th.expected_differentiation);
        }
        readings.push(Reading {
            evaluable: conflict.is_some() || rate.is_some(),
            fired,
            expected,
            evidence,
        });
        if let Some(c) = conflict {
            previous_conflict = Some((session, c));
        }
    }
    for (rule, severity, want_expected) in [
        (RuleId::ConflictEsc, Severity::High, false),
        (RuleId::ConflictExpected, Severity::Info, true),
    ] {
        let statuses = readings.iter().enumerate().map(|(position, r)| {
            if !r.evaluable {
                Status::Unknown
            } else if r.fired && r.expected == want_expected {
                Status::Hit(position)
            } else {
                Status::Clear
            }
        });
        for position in onsets(statuses) {
            if let Some(reading) = readings.get(position) {
                out.push(cx.raise(
                    rule,
                    severity,
                    cx.group(),
                    None,
                    cx.number(position),
                    reading.evidence.clone(),
                ));
            }
        }
    }
}
