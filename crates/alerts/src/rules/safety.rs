//! SAFETY: a risk item answered above its lowest answer, zero (PHQ-9 item 9, CORE-10 item 6, …), or any
//! `safety` process event, tallied or coded, raises an urgent alert at once. One alert per
//! member (or the group, for an unknown speaker), session and kind of evidence.

use std::collections::BTreeMap;

use domain::{EventSource, Severity};

use crate::RuleId;
use crate::alert::{Evidence, RaisedAlert};
use crate::compare::above;
use crate::context::Context;

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let mut answers: BTreeMap<(u32, usize), Evidence> = BTreeMap::new();
    for answer in cx.evidence.risk_answers {
        let fires = answer.value.is_finite()
            && answer.lowest.is_finite()
            && above(answer.value, answer.lowest);
        if !fires {
            continue;
        }
        let evidence = answers.entry((answer.session, answer.member)).or_default();
        if evidence.triggers.is_empty() {
            evidence.triggers.push("risk_item");
            evidence.compare_sourced("risk_item_above", answer.lowest, RuleId::Safety.basis());
        }
        evidence.see(risk_name(&answer.instrument), answer.session, answer.value);
        let item = format!("{}/item{}", answer.instrument, answer.item);
        evidence.instrument = Some(match evidence.instrument.take() {
            Some(existing) if !existing.split(',').any(|i| i == item) => {
                format!("{existing},{item}")
            }
            Some(existing) => existing,
            None => item,
        });
    }
    for ((session, member), evidence) in answers {
        if let Some(subject) = cx.member(member) {
            out.push(cx.raise(
                RuleId::Safety,
                Severity::Urgent,
                subject,
                Some("answers"),
                session,
                evidence,
            ));
        }
    }

    let mut events: BTreeMap<(u32, Option<usize>, &'static str), (Evidence, u32)> = BTreeMap::new();
    for event in cx.evidence.safety_events {
        let source = match event.source {
            EventSource::Tally => "tally",
            EventSource::Transcript => "transcript",
        };
        // An unknown speaker, or one who is not in the member list, is the group's concern.
        let member = event.member.filter(|m| cx.member_id(*m).is_some());
        let (evidence, count) = events.entry((event.session, member, source)).or_default();
        if evidence.triggers.is_empty() {
            evidence.triggers.push(if source == "tally" {
                "safety_tally"
            } else {
                "safety_transcript"
            });
        }
        *count += 1;
        if let Some(index) = event.utterance_index {
            evidence.see("safety_utterance_index", event.session, f64::from(index));
        }
    }
    for ((session, member, source), (mut evidence, count)) in events {
        evidence.see("safety_events", session, f64::from(count));
        let subject = member
            .and_then(|m| cx.member(m))
            .unwrap_or_else(|| cx.group());
        out.push(cx.raise(
            RuleId::Safety,
            Severity::Urgent,
            subject,
            Some(source),
            session,
            evidence,
        ));
    }
}

fn risk_name(instrument: &str) -> &'static str {
    match instrument {
        "phq9" => "phq9_item9",
        "core10" => "core10_item6",
        _ => "risk_item",
    }
}
