//! WITHDRAWAL: a member's share of talk (utterances, or tally marks for a tallied session)
//! below a quarter of an equal share in two of their sessions with talk data in a row, or
//! their own GCQ-S engaged score dropping by at least the member Δ since their previous
//! answer, measured against the rest of the group: the drop is in (member − mean of the other
//! respondents), so a session the whole group rated lower does not make every member
//! "withdraw" (group-centred, as the climate studies of DOMAIN.md §1.3 read member ratings).
//! A member who is the only respondent cannot be centred and is not judged on engagement.

use domain::Severity;

use crate::RuleId;
use crate::alert::{Evidence, RaisedAlert};
use crate::compare::{at_least, below};
use crate::context::Context;
use crate::episode::{Status, onsets};

/// A member's engaged score and the other respondents' mean, in one session.
type Engaged = (u32, f64, f64);

/// What one session showed for one member, kept small: evidence is written only for onsets.
#[derive(Debug, Clone, Copy)]
struct Reading {
    session: u32,
    /// Index in the share history where the low run starts, when the share part fired.
    low_from: Option<usize>,
    /// (session, member, others) before and now, when the engagement part fired.
    drop: Option<(Engaged, Engaged)>,
}

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let th = cx.thresholds;
    let needed = th.withdrawal_sessions.value.max(1) as usize;
    // Reused for every member: (session, share, equal share) with talk data, newest last.
    let mut shares: Vec<(u32, f64, f64)> = Vec::with_capacity(cx.len);
    // Members with a talk share, per session (the equal share is one over it).
    let present: Vec<usize> = (0..cx.len)
        .map(|p| {
            cx.evidence
                .features
                .get(p)
                .map_or(0, |f| f.talk_share.iter().flatten().count())
        })
        .collect();
    for member in 0..cx.evidence.members.len() {
        let Some(subject) = cx.member(member) else {
            continue;
        };
        shares.clear();
        // (session, member engaged, others' mean) at their last centred answer.
        let mut previous: Option<Engaged> = None;
        let statuses = (0..cx.len).map(|position| {
            let (Some(features), Some(input)) = (
                cx.evidence.features.get(position),
                cx.evidence.sessions.get(position),
            ) else {
                return Status::Unknown;
            };
            let session = cx.number(position);
            let mut reading = Reading {
                session,
                low_from: None,
                drop: None,
            };
            let share = features.talk_share.get(member).copied().flatten();
            let present = present.get(position).copied().unwrap_or(0);
            if let Some(share) = share.filter(|_| present > 0) {
                let equal = 1.0 / present as f64;
                shares.push((session, share, equal));
                let from = shares.len().saturating_sub(needed);
                let recent = shares.get(from..).unwrap_or(&[]);
                if recent.len() == needed
                    && recent
                        .iter()
                        .all(|(_, s, e)| below(*s, th.withdrawal_share.value * e))
                {
                    reading.low_from = Some(from);
                }
            }
            let engaged = input
                .members
                .get(member)
                .and_then(|m| stages::clean_value(m.climate.engaged));
            // Centred on the other respondents (at least one other is needed).
            let others = features.climate.engaged.filter(|m| m.n >= 2);
            let centred = engaged.zip(others).map(|(e, m)| {
                let rest = (m.mean * f64::from(m.n) - e) / f64::from(m.n - 1);
                (session, e, rest)
            });
            if let Some(now) = centred {
                if let Some(before) = previous
                    && at_least(
                        (before.1 - before.2) - (now.1 - now.2),
                        th.engaged_drop.value,
                    )
                {
                    reading.drop = Some((before, now));
                }
                previous = Some(now);
            }
            if reading.low_from.is_some() || reading.drop.is_some() {
                Status::Hit(reading)
            } else if share.is_some() || engaged.is_some() {
                Status::Clear
            } else {
                Status::Unknown
            }
        });
        let found = onsets(statuses);
        for reading in found {
            let evidence = explain(cx, &reading, &shares, needed);
            out.push(cx.raise(
                RuleId::Withdrawal,
                Severity::Medium,
                subject,
                None,
                reading.session,
                evidence,
            ));
        }
    }
}

fn explain(
    cx: &Context<'_>,
    reading: &Reading,
    shares: &[(u32, f64, f64)],
    needed: usize,
) -> Evidence {
    let th = cx.thresholds;
    let mut evidence = Evidence::default();
    if let Some(from) = reading.low_from {
        evidence.triggers.push("low_talk_share");
        for (session, share, equal) in shares.get(from..from + needed).unwrap_or(&[]) {
            evidence.see("talk_share", *session, *share);
            evidence.see("equal_share", *session, *equal);
        }
        evidence.compare("share_of_equal", th.withdrawal_share);
        evidence.compare("sessions", th.withdrawal_sessions);
    }
    if let Some((before, now)) = reading.drop {
        evidence.triggers.push("engaged_drop");
        for (session, member, others) in [before, now] {
            evidence.see("member_engaged", session, member);
            evidence.see("others_engaged", session, others);
        }
        evidence.compare("engaged_drop", th.engaged_drop);
    }
    evidence
}
