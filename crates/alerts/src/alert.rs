//! An alert a rule raises: rule, version, severity, subject, the session whose evidence
//! raised it, the evidence itself, a suggested move, and the key that keeps it unique.

use std::borrow::Cow;

use domain::{AlertSubject, Severity};
use serde::Serialize;

use crate::RuleId;

/// A number the rule saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observed {
    pub name: &'static str,
    pub session: u32,
    pub value: f64,
}

/// A threshold the rule compared with, and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdUsed {
    pub name: &'static str,
    pub value: f64,
    pub source: Cow<'static, str>,
}

/// What a rule saw when it fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Which parts of the rule fired, e.g. `["conflict_level"]` or `["D2", "D5:deviance"]`.
    pub triggers: Vec<&'static str>,
    /// First and last session whose data the rule read.
    pub window: (u32, u32),
    /// The instrument scale, for rules on instruments (e.g. `phq9/total`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
    pub observed: Vec<Observed>,
    pub thresholds: Vec<ThresholdUsed>,
}

impl Default for Evidence {
    /// Empty, with room for what a rule typically records (one allocation each).
    fn default() -> Self {
        Self {
            triggers: Vec::with_capacity(4),
            window: (0, 0),
            instrument: None,
            observed: Vec::with_capacity(8),
            thresholds: Vec::with_capacity(8),
        }
    }
}

impl Evidence {
    pub(crate) fn see(&mut self, name: &'static str, session: u32, value: f64) {
        self.observed.push(Observed {
            name,
            session,
            value,
        });
        self.widen(session);
    }

    pub(crate) fn widen(&mut self, session: u32) {
        if self.window == (0, 0) {
            self.window = (session, session);
        } else {
            self.window = (self.window.0.min(session), self.window.1.max(session));
        }
    }

    pub(crate) fn compare<T: Into<f64>>(
        &mut self,
        name: &'static str,
        threshold: crate::Threshold<T>,
    ) {
        self.thresholds.push(ThresholdUsed {
            name,
            value: threshold.value.into(),
            source: Cow::Borrowed(threshold.source),
        });
    }

    pub(crate) fn compare_sourced(&mut self, name: &'static str, value: f64, source: &str) {
        self.thresholds.push(ThresholdUsed {
            name,
            value,
            source: Cow::Owned(source.to_owned()),
        });
    }
}

/// An alert as a rule raised it. The store keeps one row per [`RaisedAlert::dedupe_key`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaisedAlert {
    pub rule: RuleId,
    pub rule_version: u32,
    pub severity: Severity,
    pub subject: AlertSubject,
    /// The session (number, counted from 1) whose evidence raised the alert: the first
    /// session of the episode.
    pub session: u32,
    pub evidence: Evidence,
    pub suggestion: &'static str,
    /// Stable across re-evaluations of the same evidence; see the crate documentation.
    pub dedupe_key: String,
}

impl RaisedAlert {
    /// The evidence as the JSON object `domain::Alert::evidence` holds.
    pub fn evidence_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.evidence).unwrap_or(serde_json::Value::Null)
    }
}

/// The key of an alert: rule, subject, any qualifier (instrument, severity track, check),
/// and the session that opened its episode. `|` in qualifiers is replaced so keys split
/// cleanly.
pub(crate) fn dedupe_key(
    rule: RuleId,
    subject: AlertSubject,
    qualifier: Option<&str>,
    session: u32,
) -> String {
    use std::fmt::Write;
    let mut key = String::with_capacity(64);
    // Writing to a String cannot fail.
    let _ = match subject {
        AlertSubject::Group { group_id } => write!(key, "{rule}|group:{group_id}"),
        AlertSubject::Member {
            group_id,
            member_id,
        } => write!(key, "{rule}|group:{group_id}|member:{member_id}"),
    };
    if let Some(q) = qualifier {
        key.push('|');
        key.extend(q.chars().map(|c| if c == '|' { '/' } else { c }));
    }
    let _ = write!(key, "|session:{session}");
    key
}
