//! Rules on members' instrument scores: ALLIANCE_LOW (an alliance scale in its concern range,
//! or reliably worse than the member's first score), DETERIORATION (an outcome reliably worse
//! than the member's first score) and NOT_IMPROVING (intake in the clinical range and no
//! reliable gain by the member's 4th session: check in; by the 8th: review the plan).
//! Reliable-change values and cut-offs come with each instrument, with their sources.

use domain::Severity;

use crate::alert::{Evidence, RaisedAlert};
use crate::compare::{at_least, below};
use crate::context::{Context, Series};
use crate::episode::{Status, onsets};
use crate::{InstrumentRole, InstrumentRule, RuleId};

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    for (index, instrument) in cx.evidence.instruments.iter().enumerate() {
        for member in 0..cx.evidence.members.len() {
            let series = cx.series(index, member);
            if series.is_empty() {
                continue;
            }
            match instrument.role {
                InstrumentRole::Alliance => alliance_low(cx, instrument, member, series, out),
                InstrumentRole::Outcome => {
                    deterioration(cx, instrument, member, series, out);
                    not_improving(cx, instrument, member, series, out);
                }
            }
        }
    }
}

fn scale_name(instrument: &InstrumentRule) -> String {
    format!("{}/{}", instrument.id, instrument.scale)
}

fn base_evidence(instrument: &InstrumentRule) -> Evidence {
    Evidence {
        instrument: Some(scale_name(instrument)),
        ..Evidence::default()
    }
}

/// Is the member's latest score, compared with their first, reliably worse?
fn reliably_worse(instrument: &InstrumentRule, first: f64, score: f64) -> bool {
    instrument
        .rci
        .as_ref()
        .is_some_and(|rci| at_least(-instrument.gain(first, score), rci.value))
}

fn alliance_low(
    cx: &Context<'_>,
    instrument: &InstrumentRule,
    member: usize,
    series: &Series,
    out: &mut Vec<RaisedAlert>,
) {
    let Some(subject) = cx.member(member) else {
        return;
    };
    let Some(&(first_position, first)) = series.first() else {
        return;
    };
    // (position, score, in the concern range, reliably worse than the first score)
    let statuses = series.iter().map(|&(position, score)| {
        let status = instrument
            .cutoff
            .as_ref()
            .is_some_and(|c| c.contains(score));
        let change = position != first_position && reliably_worse(instrument, first, score);
        if status || change {
            Status::Hit((position, score, status, change))
        } else {
            Status::Clear
        }
    });
    for (position, score, status, change) in onsets(statuses) {
        let session = cx.number(position);
        let mut evidence = base_evidence(instrument);
        if let Some(cutoff) = instrument.cutoff.as_ref().filter(|_| status) {
            evidence.triggers.push("status");
            evidence.compare_sourced("cutoff", cutoff.value, &cutoff.source);
        }
        if change {
            evidence.triggers.push("change");
            evidence.see("first_score", cx.number(first_position), first);
            if let Some(rci) = &instrument.rci {
                evidence.compare_sourced("reliable_change", rci.value, &rci.source);
            }
        }
        evidence.see("score", session, score);
        out.push(cx.raise(
            RuleId::AllianceLow,
            Severity::Medium,
            subject,
            Some(&scale_name(instrument)),
            session,
            evidence,
        ));
    }
}

fn deterioration(
    cx: &Context<'_>,
    instrument: &InstrumentRule,
    member: usize,
    series: &Series,
    out: &mut Vec<RaisedAlert>,
) {
    let (Some(subject), Some(rci)) = (cx.member(member), instrument.rci.as_ref()) else {
        return;
    };
    let Some(&(first_position, first)) = series.first() else {
        return;
    };
    let statuses = series.iter().skip(1).map(|&(position, score)| {
        if reliably_worse(instrument, first, score) {
            Status::Hit((position, score))
        } else {
            Status::Clear
        }
    });
    for (position, score) in onsets(statuses) {
        let mut evidence = base_evidence(instrument);
        evidence.triggers.push("reliably_worse");
        evidence.see("baseline", cx.number(first_position), first);
        evidence.see("score", cx.number(position), score);
        evidence.compare_sourced("reliable_change", rci.value, &rci.source);
        out.push(cx.raise(
            RuleId::Deterioration,
            Severity::High,
            subject,
            Some(&scale_name(instrument)),
            cx.number(position),
            evidence,
        ));
    }
}

fn not_improving(
    cx: &Context<'_>,
    instrument: &InstrumentRule,
    member: usize,
    series: &Series,
    out: &mut Vec<RaisedAlert>,
) {
    let (Some(subject), Some(rci), Some(cutoff)) = (
        cx.member(member),
        instrument.rci.as_ref(),
        instrument.cutoff.as_ref(),
    ) else {
        return;
    };
    let Some(&(intake_position, intake)) = series.first() else {
        return;
    };
    if !cutoff.contains(intake) {
        return;
    }
    let th = cx.thresholds;
    // The member's sessions on the roster, counted from 1: where the checks fall.
    let mut roster_count = 0u32;
    for position in 0..cx.len {
        let enrolled = cx
            .evidence
            .sessions
            .get(position)
            .and_then(|s| s.members.get(member))
            .is_some_and(|m| m.enrolled);
        if !enrolled {
            continue;
        }
        roster_count += 1;
        let check = if roster_count == th.check_in_session.value {
            ("check_in", th.check_in_session)
        } else if roster_count == th.review_session.value {
            ("review", th.review_session)
        } else {
            continue;
        };
        // The latest follow-up score at or before the check.
        let Some(&(latest_position, latest)) = series
            .iter()
            .rfind(|(p, _)| *p > intake_position && *p <= position)
        else {
            continue;
        };
        let gain = instrument.gain(intake, latest);
        if below(gain, rci.value) {
            let mut evidence = base_evidence(instrument);
            evidence.triggers.push(check.0);
            evidence.see("intake", cx.number(intake_position), intake);
            evidence.see("latest", cx.number(latest_position), latest);
            evidence.see("gain", cx.number(latest_position), gain);
            evidence.see(
                "member_session",
                cx.number(position),
                f64::from(roster_count),
            );
            evidence.compare_sourced("clinical_cutoff", cutoff.value, &cutoff.source);
            evidence.compare_sourced("reliable_change", rci.value, &rci.source);
            evidence.compare("by_member_session", check.1);
            evidence.widen(cx.number(position));
            let qualifier = format!("{}|{}", scale_name(instrument), check.0);
            let mut alert = cx.raise(
                RuleId::NotImproving,
                Severity::Medium,
                subject,
                Some(&qualifier),
                cx.number(position),
                evidence,
            );
            if check.0 == "review" {
                alert.suggestion = "No reliable gain by the member's 8th session: review the plan with them (goals, fit of the group, added support).";
            } else {
                alert.suggestion = "No reliable gain by the member's 4th session: check in with them about progress and goals.";
            }
            out.push(alert);
        }
    }
}
