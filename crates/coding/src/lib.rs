//! Code what was said: read transcripts into utterances, then code each utterance for
//! group process (hostility, judgment, support, ...) with a fast linear model and
//! reviewed rules.

pub mod classifier;
pub mod codebook;
pub mod coder;
pub mod corpus;
pub mod eval;
pub mod events;
pub mod rules;
pub mod train;
pub mod transcript;
