//! Session features (DOMAIN.md §6.3, issue 10): per session the GCQ-S group means among
//! respondents, outcome means, process-code rates, talk shares and the balance of
//! participation, attendance, and members joining and leaving.
//!
//! Balance of participation is the normalised Shannon entropy of the members' talk shares
//! (Pielou's evenness): H = −Σ pᵢ ln pᵢ / ln n over the n members in the session. We chose it
//! over the Gini coefficient because its range is 0–1 for every group size (an uncorrected
//! Gini tops out at (n−1)/n, so small groups cannot reach 1), it is defined with silent
//! members (0 · ln 0 = 0), and it falls steeply as one or two members take over the talk.

mod compute;
mod input;

pub use compute::{
    ClimateMeans, Mean, OutcomeMean, ProcessRates, SessionFeatures, compute, session_features,
};
pub use input::{MemberSession, OutcomeScore, Presence, ProcessBasis, ProcessCounts, SessionInput};

#[cfg(test)]
mod tests;
