//! Code what was said: read transcripts into utterances, then code each utterance for
//! group process (hostility, judgment, support, ...) with a fast linear model and
//! reviewed rules.

pub mod codebook;
pub mod rules;
pub mod transcript;
