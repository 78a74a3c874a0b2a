//! DROPOUT_RISK (DOMAIN.md §5): D2 no-shows in a row (high); D3 a no-show in the member's
//! first sessions, D4 attendance below 75 % over their last four (medium, raised to high by
//! any D5 factor); D5 factors — an alliance score in its concern range, deviance from the
//! group (|member − group| > 1.5 on engaged or conflict), a falling talk share, hostility
//! or judgment aimed at the member — raise a medium alert on their own when two coincide.
//! D2 counts absences, excused or not (DOMAIN.md's D1 singles out unexplained ones; D2 does not),
//! as the attendance figures of `domain` count a member's absence streak; D3 counts no-shows
//! only (an excused absence is not a no-show). A session without a mark neither extends nor
//! breaks a run.

use domain::Severity;
use stages::features::Presence;

use crate::alert::{Evidence, RaisedAlert};
use crate::compare::{above, below};
use crate::context::{Context, Series};
use crate::{InstrumentRole, InstrumentRule, RuleId};

/// Per-member working lists, reused from member to member.
#[derive(Debug, Default)]
struct Buffers {
    /// (session, talk share), newest last.
    shares: Vec<(u32, f64)>,
    /// Recorded presence (session, attended), newest last.
    recorded: Vec<(u32, bool)>,
}

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let mut buffers = Buffers {
        shares: Vec::with_capacity(cx.len),
        recorded: Vec::with_capacity(cx.len),
    };
    for member in 0..cx.evidence.members.len() {
        if let Some(subject) = cx.member(member) {
            buffers.shares.clear();
            buffers.recorded.clear();
            member_risk(cx, member, subject, &mut buffers, out);
        }
    }
}

/// The D5 factors seen in one session (small and copyable: evidence is written only when an
/// alert is raised).
#[derive(Debug, Clone, Copy, Default)]
struct Factors {
    /// (session, score) of an alliance score in its concern range.
    alliance: Option<(u32, f64)>,
    /// (member, group) means that differ by more than the deviance threshold.
    engaged: Option<(f64, f64)>,
    conflict: Option<(f64, f64)>,
    /// Index in the share history where the falling run starts.
    falling_from: Option<usize>,
    aimed: Option<u32>,
}

impl Factors {
    fn names(&self) -> impl Iterator<Item = &'static str> {
        [
            (self.alliance.is_some(), "D5:alliance"),
            (
                self.engaged.is_some() || self.conflict.is_some(),
                "D5:deviance",
            ),
            (self.falling_from.is_some(), "D5:falling_talk_share"),
            (self.aimed.is_some(), "D5:aimed_at"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
    }

    fn count(&self) -> usize {
        self.names().count()
    }
}

/// What raised the member's risk in one session.
#[derive(Debug, Clone, Copy)]
struct Reading {
    session: u32,
    d2: bool,
    d3: bool,
    d4: bool,
    factors: Factors,
    streak: u32,
    roster_count: u32,
    /// Attendance rate over the window and the window's first session, when full.
    recent: Option<(f64, u32)>,
}

fn member_risk(
    cx: &Context<'_>,
    member: usize,
    subject: domain::AlertSubject,
    buffers: &mut Buffers,
    out: &mut Vec<RaisedAlert>,
) {
    let Buffers { shares, recorded } = buffers;
    let th = cx.thresholds;
    let window = th.attendance_window.value.max(1) as usize;
    let falling_steps = th.falling_share_steps.value.max(1) as usize;
    let mut alliance: Vec<(&InstrumentRule, &Series, usize)> = cx
        .evidence
        .instruments
        .iter()
        .enumerate()
        .filter(|(_, i)| i.role == InstrumentRole::Alliance && i.cutoff.is_some())
        .map(|(index, i)| (i, cx.series(index, member), 0))
        .filter(|(_, s, _)| !s.is_empty())
        .collect();
    let mut roster_count = 0u32;
    let mut streak = 0u32;
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
        match me.presence {
            Some(Presence::Absent | Presence::Excused) => streak += 1,
            Some(Presence::Attended) => streak = 0,
            None => {}
        }
        if let Some(p) = me.presence {
            recorded.push((session, p.attended()));
        }
        let recent_from = recorded.len().saturating_sub(window);
        let recent = recorded.get(recent_from..).unwrap_or(&[]);
        let recent = (recent.len() == window).then(|| {
            let attended = recent.iter().filter(|(_, a)| *a).count();
            let first = recent.first().map_or(session, |(s, _)| *s);
            (attended as f64 / window as f64, first)
        });
        let mut factors = Factors::default();
        // D5: alliance score (latest so far) in its concern range.
        for (instrument, series, cursor) in &mut alliance {
            while series.get(*cursor + 1).is_some_and(|(p, _)| *p <= position) {
                *cursor += 1;
            }
            if let Some(&(p, score)) = series.get(*cursor).filter(|(p, _)| *p <= position)
                && instrument
                    .cutoff
                    .as_ref()
                    .is_some_and(|c| c.contains(score))
                && factors.alliance.is_none()
            {
                factors.alliance = Some((cx.number(p), score));
            }
        }
        // D5: deviance from the group mean.
        let climate = me.climate.sanitised();
        let deviant = |mine: Option<f64>, group: Option<stages::features::Mean>| {
            mine.zip(group.map(|m| m.mean))
                .filter(|(m, g)| above((m - g).abs(), th.member_deviance.value))
        };
        factors.engaged = deviant(climate.engaged, features.climate.engaged);
        factors.conflict = deviant(climate.conflict, features.climate.conflict);
        // D5: falling talk share.
        if let Some(share) = features.talk_share.get(member).copied().flatten() {
            shares.push((session, share));
            let from = shares.len().saturating_sub(falling_steps + 1);
            let tail = shares.get(from..).unwrap_or(&[]);
            if tail.len() == falling_steps + 1
                && tail.windows(2).all(|w| matches!(w, [a, b] if b.1 < a.1))
            {
                factors.falling_from = Some(from);
            }
        }
        // D5: hostility or judgment aimed at the member.
        factors.aimed = me.aimed_at.filter(|a| *a > 0);

        let reading = Reading {
            session,
            d2: streak >= th.consecutive_absences.value,
            d3: roster_count <= th.early_sessions.value && me.presence == Some(Presence::Absent),
            d4: recent.is_some_and(|(rate, _)| below(rate, th.attendance_rate.value)),
            factors,
            streak,
            roster_count,
            recent,
        };
        let factor_count = factors.count();
        let severity = if reading.d2 {
            Some(Severity::High)
        } else if reading.d3 || reading.d4 {
            Some(if factor_count == 0 {
                Severity::Medium
            } else {
                Severity::High
            })
        } else if factor_count >= th.factors_alone.value.max(1) as usize {
            Some(Severity::Medium)
        } else {
            None
        };
        let Some(severity) = severity else {
            if me.presence.is_some() || factor_count > 0 {
                (in_any, in_high) = (false, false);
            }
            continue;
        };
        let high = severity == Severity::High;
        let track = if high && !in_high {
            Some("high")
        } else if !in_any {
            Some("medium")
        } else {
            None
        };
        if let Some(track) = track {
            let evidence = explain(cx, &reading, shares, falling_steps);
            out.push(cx.raise(
                RuleId::DropoutRisk,
                severity,
                subject,
                Some(track),
                session,
                evidence,
            ));
        }
        in_any = true;
        in_high = high;
    }
}

fn explain(
    cx: &Context<'_>,
    reading: &Reading,
    shares: &[(u32, f64)],
    falling_steps: usize,
) -> Evidence {
    let th = cx.thresholds;
    let session = reading.session;
    let mut evidence = Evidence::default();
    for (fired, name) in [(reading.d2, "D2"), (reading.d3, "D3"), (reading.d4, "D4")] {
        if fired {
            evidence.triggers.push(name);
        }
    }
    evidence.triggers.extend(reading.factors.names());
    let factors = reading.factors;
    if let Some((at, score)) = factors.alliance {
        evidence.see("alliance_score", at, score);
    }
    if let Some((mine, group)) = factors.engaged {
        evidence.see("member_engaged", session, mine);
        evidence.see("group_engaged", session, group);
    }
    if let Some((mine, group)) = factors.conflict {
        evidence.see("member_conflict", session, mine);
        evidence.see("group_conflict", session, group);
    }
    if let Some(from) = factors.falling_from {
        for (at, share) in shares.get(from..=from + falling_steps).unwrap_or(&[]) {
            evidence.see("talk_share", *at, *share);
        }
    }
    if let Some(aimed) = factors.aimed {
        evidence.see("hostility_judgment_aimed_at", session, f64::from(aimed));
    }
    evidence.see("absences_in_a_row", session, f64::from(reading.streak));
    evidence.see("member_session", session, f64::from(reading.roster_count));
    if let Some((rate, first)) = reading.recent {
        evidence.see("recent_attendance_rate", session, rate);
        evidence.widen(first);
    }
    evidence.compare("consecutive_absences", th.consecutive_absences);
    evidence.compare("early_sessions", th.early_sessions);
    evidence.compare("attendance_window", th.attendance_window);
    evidence.compare("attendance_rate", th.attendance_rate);
    evidence.compare("member_deviance", th.member_deviance);
    evidence.compare("factors_alone", th.factors_alone);
    evidence
}
