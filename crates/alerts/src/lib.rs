//! The alert engine: the rules of DOMAIN.md §6.3 over one group's evidence.
//!
//! [`evaluate`] reads a [`GroupEvidence`] (session inputs and features from
//! `circlework_stages::features`, the forward-filtered stage posteriors, instruments,
//! risk-item answers and `safety` events) with [`Thresholds`] (DOMAIN.md's defaults, or
//! [`Thresholds::from_settings`]) and returns every alert the whole history supports, each
//! a [`RaisedAlert`] with rule id, rule version, severity, subject, the evidence it saw (values,
//! sessions, thresholds and their sources) and a suggested facilitator move.
//!
//! # Idempotency: how the store uses [`RaisedAlert::dedupe_key`]
//! A rule that keeps firing raises one alert per *episode*: the key names the rule, the
//! subject (group, or group and member), a qualifier where a rule has several tracks
//! (instrument scale, SAFETY's evidence kind, DROPOUT_RISK's `medium`/`high`,
//! NOT_IMPROVING's check), and the session that opened the episode. Evaluation is a pure
//! function of the evidence, and posteriors are forward-filtered (what was knowable after
//! each session), so re-running it over the same or a longer history gives the same key for
//! the same episode. The store therefore:
//! 1. keeps a UNIQUE index on the key (per organisation) and inserts each raised alert with
//!    `ON CONFLICT (dedupe_key) DO NOTHING`, after every change of a session's evidence;
//! 2. never deletes resolved or acknowledged alerts, so their key keeps blocking the same
//!    evidence from raising them again;
//! 3. may mark an open alert whose key is no longer produced (its evidence was corrected) as
//!    no longer supported, rather than delete it.
//!
//! A new episode (the rule stopped firing for a session with data, then fired again) has a
//! new key and is a new alert. The rule version is not part of the key, so a new version of a
//! rule does not re-raise what an older one raised.
//!
//! Pure: no I/O, no clock. The session numbers in alerts are session numbers in the group;
//! the store maps them to session ids.

mod alert;
mod compare;
mod context;
mod episode;
mod input;
mod rule;
mod rules;
mod thresholds;

pub use alert::{Evidence, Observed, RaisedAlert, ThresholdUsed};
pub use input::{
    CompareOp, Cutoff, Direction, GroupEvidence, InstrumentRole, InstrumentRule, RiskAnswer,
    SafetyEvent, Sourced,
};
pub use rule::{RuleId, UnknownRule};
pub use thresholds::{Threshold, Thresholds};

/// Every alert the group's evidence supports, ordered by session, then rule, then key.
pub fn evaluate(evidence: &GroupEvidence<'_>, thresholds: &Thresholds) -> Vec<RaisedAlert> {
    let cx = context::Context::new(evidence, thresholds);
    let mut out = Vec::new();
    rules::safety::evaluate(&cx, &mut out);
    rules::conflict::evaluate(&cx, &mut out);
    rules::withdrawal::evaluate(&cx, &mut out);
    rules::instruments::evaluate(&cx, &mut out);
    rules::dropout::evaluate(&cx, &mut out);
    rules::stalled::evaluate(&cx, &mut out);
    out.sort_by(|a, b| (a.session, a.rule, &a.dedupe_key).cmp(&(b.session, b.rule, &b.dedupe_key)));
    out
}

#[cfg(test)]
mod tests;
