//! One group's evidence prepared once for every rule: aligned lengths, per-member score
//! series, and how alerts are made.

use domain::{AlertSubject, MemberId, Severity};

use crate::alert::{Evidence, RaisedAlert, dedupe_key};
use crate::{GroupEvidence, RuleId, Thresholds};

/// A member's scores on one instrument scale: (session position, score), in session order.
pub(crate) type Series = [(usize, f64)];

pub(crate) struct Context<'a> {
    pub evidence: &'a GroupEvidence<'a>,
    pub thresholds: &'a Thresholds,
    /// Sessions with both inputs and features.
    pub len: usize,
    /// Every member's series on every instrument, one after another (instrument-major).
    scores: Vec<(usize, f64)>,
    /// Where each (instrument, member) series starts and ends in `scores`.
    bounds: Vec<(usize, usize)>,
}

impl<'a> Context<'a> {
    pub fn new(evidence: &'a GroupEvidence<'a>, thresholds: &'a Thresholds) -> Self {
        let len = evidence.sessions.len().min(evidence.features.len());
        let members = evidence.members.len();
        let slot = |instrument: usize, member: usize| {
            (instrument < evidence.instruments.len() && member < members)
                .then(|| instrument * members + member)
        };
        // A counting sort: count each series, lay them out, then fill in session order.
        let mut bounds = vec![(0usize, 0usize); evidence.instruments.len() * members];
        for session in evidence.sessions.iter().take(len) {
            for score in &session.outcomes {
                if let Some(b) =
                    slot(score.instrument, score.member).and_then(|k| bounds.get_mut(k))
                {
                    b.1 += 1;
                }
            }
        }
        let mut start = 0;
        for b in &mut bounds {
            let count = b.1;
            *b = (start, start);
            start += count;
        }
        let mut scores = vec![(0usize, 0.0f64); start];
        for (position, session) in evidence.sessions.iter().take(len).enumerate() {
            for score in &session.outcomes {
                if !score.score.is_finite() {
                    continue;
                }
                let Some((first, end)) =
                    slot(score.instrument, score.member).and_then(|k| bounds.get_mut(k))
                else {
                    continue;
                };
                // One score per member, scale and session: a repeated one replaces it.
                let last = end.checked_sub(1).filter(|l| *l >= *first);
                match last.and_then(|l| scores.get_mut(l)) {
                    Some(entry) if entry.0 == position => entry.1 = score.score,
                    _ => {
                        if let Some(entry) = scores.get_mut(*end) {
                            *entry = (position, score.score);
                            *end += 1;
                        }
                    }
                }
            }
        }
        Self {
            evidence,
            thresholds,
            len,
            scores,
            bounds,
        }
    }

    /// A member's series on an instrument scale (empty when there is none).
    pub fn series(&self, instrument: usize, member: usize) -> &Series {
        let members = self.evidence.members.len();
        (member < members)
            .then(|| instrument * members + member)
            .and_then(|k| self.bounds.get(k))
            .and_then(|(start, end)| self.scores.get(*start..*end))
            .unwrap_or(&[])
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
