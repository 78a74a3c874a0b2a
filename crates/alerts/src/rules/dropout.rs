//! DROPOUT_RISK (DOMAIN.md §5): D2 no-shows in a row (high); D3 a no-show in the member's
//! first sessions, D4 attendance below 75 % over their last four (medium, raised to high by
//! any D5 factor); D5 factors — an alliance score in its concern range, deviance from the
//! group (|member − group| > 1.5 on engaged or conflict), a falling talk share, hostility
//! or judgment aimed at the member — raise a medium alert on their own when two coincide.
//! Excused absences neither count as no-shows nor break a run of them.

use domain::Severity;
use stages::features::Presence;

use crate::alert::{Evidence, RaisedAlert};
use crate::compare::{above, below};
use crate::context::Context;
use crate::{InstrumentRole, RuleId};

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    for member in 0..cx.evidence.members.len() {
        if let Some(subject) = cx.member(member) {
            member_risk(cx, member, subject, out);
        }
    }
}

fn member_risk(
    cx: &Context<'_>,
    member: usize,
    subject: domain::AlertSubject,
    out: &mut Vec<RaisedAlert>,
) {
    let th = cx.thresholds;
    let window = th.attendance_window.value.max(1) as usize;
    let falling_steps = th.falling_share_steps.value.max(1) as usize;
    let alliance: Vec<(&crate::InstrumentRule, &crate::context::Series)> = cx
        .evidence
        .instruments
        .iter()
        .zip(&cx.scores)
        .filter(|(i, _)| i.role == InstrumentRole::Alliance && i.cutoff.is_some())
        .filter_map(|(i, by_member)| by_member.get(member).map(|s| (i, s)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let mut cursors = vec![0usize; alliance.len()];
    let mut roster_count = 0u32;
    let mut streak = 0u32;
    let mut recorded: Vec<(u32, bool)> = Vec::new();
    let mut shares: Vec<(u32, f64)> = Vec::new();
    let (mut in_any, mut in_high) = (false, false);

    for position in 0..cx.len {
        let (Some(input), Some(features)) = (
            cx.evidence.sessions.get(position),
            cx.evidence.features.get(position),
        ) else {
            break;
        };
        let Some(me) = input.members.get(member).filter(|m| m.enrolled) else {
            continue;
        };
        let session = cx.number(position);
        roster_count += 1;
        let mut evidence = Evidence::default();
        let mut factors: Vec<&'static str> = Vec::new();
        match me.presence {
            Some(Presence::Absent) => streak += 1,
            Some(Presence::Attended) => streak = 0,
            Some(Presence::Excused) | None => {}
        }
        if let Some(p) = me.presence {
            recorded.push((session, p.attended()));
        }
        let d2 = streak >= th.consecutive_absences.value;
        let d3 = roster_count <= th.early_sessions.value && me.presence == Some(Presence::Absent);
        let recent = recorded
            .get(recorded.len().saturating_sub(window)..)
            .unwrap_or(&[]);
        let attended_recent = recent.iter().filter(|(_, a)| *a).count();
        let rate = attended_recent as f64 / window as f64;
        let d4 = recent.len() == window && below(rate, th.attendance_rate.value);

        // D5: alliance score (latest so far) in its concern range.
        for ((instrument, series), cursor) in alliance.iter().zip(cursors.iter_mut()) {
            while series.get(*cursor + 1).is_some_and(|(p, _)| *p <= position) {
                *cursor += 1;
            }
            if let Some(&(p, score)) = series.get(*cursor).filter(|(p, _)| *p <= position)
                && instrument
                    .cutoff
                    .as_ref()
                    .is_some_and(|c| c.contains(score))
            {
                factors.push("D5:alliance");
                evidence.see("alliance_score", cx.number(p), score);
            }
        }
        // D5: deviance from the group mean.
        let climate = me.climate.sanitised();
        let group = features.climate;
        for (name, mine, theirs) in [
            (
                "member_engaged",
                climate.engaged,
                group.engaged.map(|m| m.mean),
            ),
            (
                "member_conflict",
                climate.conflict,
                group.conflict.map(|m| m.mean),
            ),
        ] {
            if let (Some(mine), Some(theirs)) = (mine, theirs)
                && above((mine - theirs).abs(), th.member_deviance.value)
            {
                if !factors.contains(&"D5:deviance") {
                    factors.push("D5:deviance");
                }
                evidence.see(name, session, mine);
                evidence.see(
                    if name == "member_engaged" {
                        "group_engaged"
                    } else {
                        "group_conflict"
                    },
                    session,
                    theirs,
                );
            }
        }
        // D5: falling talk share.
        if let Some(share) = features.talk_share.get(member).copied().flatten() {
            shares.push((session, share));
            let tail = shares
                .get(shares.len().saturating_sub(falling_steps + 1)..)
                .unwrap_or(&[]);
            if tail.len() == falling_steps + 1
                && tail.windows(2).all(|w| matches!(w, [a, b] if b.1 < a.1))
            {
                factors.push("D5:falling_talk_share");
                for (s, v) in tail {
                    evidence.see("talk_share", *s, *v);
                }
            }
        }
        // D5: hostility or judgment aimed at the member.
        if let Some(aimed) = me.aimed_at.filter(|a| *a > 0) {
            factors.push("D5:aimed_at");
            evidence.see("hostility_judgment_aimed_at", session, f64::from(aimed));
        }

        let severity = if d2 {
            Some(Severity::High)
        } else if d3 || d4 {
            Some(if factors.is_empty() {
                Severity::Medium
            } else {
                Severity::High
            })
        } else if factors.len() >= th.factors_alone.value.max(1) as usize {
            Some(Severity::Medium)
        } else {
            None
        };
        let Some(severity) = severity else {
            if me.presence.is_some() || !factors.is_empty() {
                (in_any, in_high) = (false, false);
            }
            continue;
        };
        for (fired, name) in [(d2, "D2"), (d3, "D3"), (d4, "D4")] {
            if fired {
                evidence.triggers.push(name);
            }
        }
        evidence.triggers.extend(factors);
        evidence.see("absences_in_a_row", session, f64::from(streak));
        evidence.see("member_session", session, f64::from(roster_count));
        if recent.len() == window {
            evidence.see("recent_attendance_rate", session, rate);
            if let Some((first, _)) = recent.first() {
                evidence.widen(*first);
            }
        }
        evidence.compare("consecutive_absences", th.consecutive_absences);
        evidence.compare("early_sessions", th.early_sessions);
        evidence.compare("attendance_window", th.attendance_window);
        evidence.compare("attendance_rate", th.attendance_rate);
        evidence.compare("member_deviance", th.member_deviance);
        evidence.compare("factors_alone", th.factors_alone);

        let high = severity == Severity::High;
        if high && !in_high {
            out.push(cx.raise(
                RuleId::DropoutRisk,
                Severity::High,
                subject,
                Some("high"),
                session,
                evidence,
            ));
        } else if !in_any {
            out.push(cx.raise(
                RuleId::DropoutRisk,
                severity,
                subject,
                Some("medium"),
                session,
                evidence,
            ));
        }
        in_any = true;
        in_high = high;
    }
}
