//! One group's evidence prepared once for every rule: aligned lengths, per-member score
//! series, and how alerts are made.

use domain::{AlertSubject, MemberId, Severity};

use crate::alert::{Evidence, RaisedAlert, dedupe_key};
use crate::{GroupEvidence, RuleId, Thresholds};

/// A member's scores on one instrument scale: (session position, score), in session order.
pub(crate) type Series = Vec<(usize, f64)>;

pub(crate) struct Context<'a> {
    pub evidence: &'a GroupEvidence<'a>,
    pub thresholds: &'a Thresholds,
    /// Sessions with both inputs and features.
    pub len: usize,
    /// `scores[instrument][member]`.
    pub scores: Vec<Vec<Series>>,
}

impl<'a> Context<'a> {
    pub fn new(evidence: &'a GroupEvidence<'a>, thresholds: &'a Thresholds) -> Self {
        let len = evidence.sessions.len().min(evidence.features.len());
        let members = evidence.members.len();
        // Count first, so each member's series is allocated once at its final size.
        let mut counts: Vec<Vec<usize>> = vec![vec![0; members]; evidence.instruments.len()];
        for session in evidence.sessions.iter().take(len) {
            for score in &session.outcomes {
                if let Some(count) = counts
                    .get_mut(score.instrument)
                    .and_then(|by_member| by_member.get_mut(score.member))
                {
                    *count += 1;
                }
            }
        }
        let mut scores: Vec<Vec<Series>> = counts
            .iter()
            .map(|by_member| by_member.iter().map(|n| Vec::with_capacity(*n)).collect())
            .collect();
        for (position, session) in evidence.sessions.iter().take(len).enumerate() {
            for score in &session.outcomes {
                if !score.score.is_finite() {
                    continue;
                }
                if let Some(series) = scores
                    .get_mut(score.instrument)
                    .and_then(|by_member| by_member.get_mut(score.member))
                {
                    // One score per member, scale and session: a repeated one replaces it.
                    match series.last_mut() {
                        Some(last) if last.0 == position => last.1 = score.score,
                        _ => series.push((position, score.score)),
                    }
                }
            }
        }
        Self {
            evidence,
            thresholds,
            len,
            scores,
        }
    }

    /// The session number at a position.
    pub fn number(&self, position: usize) -> u32 {
        self.evidence
            .sessions
            .get(position)
            .map_or(u32::try_from(position + 1).unwrap_or(u32::MAX), |s| {
                s.number
            })
    }

    pub fn group(&self) -> AlertSubject {
        AlertSubject::Group {
            group_id: self.evidence.group,
        }
    }

    pub fn member_id(&self, member: usize) -> Option<MemberId> {
        self.evidence.members.get(member).copied()
    }

    pub fn member(&self, member: usize) -> Option<AlertSubject> {
        self.member_id(member)
            .map(|member_id| AlertSubject::Member {
                group_id: self.evidence.group,
                member_id,
            })
    }

    pub fn raise(
        &self,
        rule: RuleId,
        severity: Severity,
        subject: AlertSubject,
        qualifier: Option<&str>,
        session: u32,
        evidence: Evidence,
    ) -> RaisedAlert {
        RaisedAlert {
            rule,
            rule_version: rule.version(),
            severity,
            subject,
            session,
            evidence,
            suggestion: rule.suggestion(),
            dedupe_key: dedupe_key(rule, subject, qualifier, session),
        }
    }
}
