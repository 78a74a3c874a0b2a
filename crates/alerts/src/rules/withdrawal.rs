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

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let th = cx.thresholds;
    let needed = th.withdrawal_sessions.value.max(1) as usize;
    for member in 0..cx.evidence.members.len() {
        let Some(subject) = cx.member(member) else {
            continue;
        };
        // Recent (session, share, equal share) with talk data, newest last.
        let mut shares: Vec<(u32, f64, f64)> = Vec::new();
        // (session, member engaged, others' mean, member − others) at their last answer.
        let mut previous_engaged: Option<(u32, f64, f64, f64)> = None;
        let mut statuses = Vec::with_capacity(cx.len);
        for position in 0..cx.len {
            let (Some(features), Some(input)) = (
                cx.evidence.features.get(position),
                cx.evidence.sessions.get(position),
            ) else {
                break;
            };
            let session = cx.number(position);
            let share = features.talk_share.get(member).copied().flatten();
            let present = features.talk_share.iter().flatten().count();
            let engaged = input
                .members
                .get(member)
                .and_then(|m| stages::clean_value(m.climate.engaged));
            let others = features.climate.engaged.filter(|m| m.n >= 2);
            let centred = engaged.zip(others).map(|(e, m)| {
                let rest = (m.mean * f64::from(m.n) - e) / f64::from(m.n - 1);
                (e, rest, e - rest)
            });
            let mut evidence = Evidence::default();
            let mut fired = false;
            if let Some(share) = share.filter(|_| present > 0) {
                let equal = 1.0 / present as f64;
                shares.push((session, share, equal));
                let recent = shares
                    .get(shares.len().saturating_sub(needed)..)
                    .unwrap_or(&[]);
                let low = |(_, s, e): &(u32, f64, f64)| below(*s, th.withdrawal_share.value * e);
                if recent.len() == needed && recent.iter().all(low) {
                    fired = true;
                    evidence.triggers.push("low_talk_share");
                    for (s, value, equal) in recent {
                        evidence.see("talk_share", *s, *value);
                        evidence.see("equal_share", *s, *equal);
                    }
                    evidence.compare("share_of_equal", th.withdrawal_share);
                    evidence.compare("sessions", th.withdrawal_sessions);
                }
            }
            if let Some((e, g, c)) = centred {
                if let Some((before, previous, previous_group, previous_centred)) = previous_engaged
                    && at_least(previous_centred - c, th.engaged_drop.value)
                {
                    fired = true;
                    evidence.triggers.push("engaged_drop");
                    evidence.see("member_engaged", before, previous);
                    evidence.see("others_engaged", before, previous_group);
                    evidence.see("member_engaged", session, e);
                    evidence.see("others_engaged", session, g);
                    evidence.compare("engaged_drop", th.engaged_drop);
                }
                previous_engaged = Some((session, e, g, c));
            }
            statuses.push(if fired {
                Status::Hit((position, evidence))
            } else if share.is_some() || engaged.is_some() {
                Status::Clear
            } else {
                Status::Unknown
            });
        }
        for (position, evidence) in onsets(statuses) {
            out.push(cx.raise(
                RuleId::Withdrawal,
                Severity::Medium,
                subject,
                None,
                cx.number(position),
                evidence,
            ));
        }
    }
}
