//! Where a group stands in its development, session by session.
//!
//! [`features`] turns each session's evidence into numbers; [`Hmm`] runs the hidden Markov
//! model of DOMAIN.md §1.4 over the GCQ-S group means (forward filtering, forward–backward
//! smoothing, Viterbi), all in log space; [`fit()`] re-estimates it from completed groups.
//! Pure: no I/O, no clock; random draws ([`simulate`]) take the caller's `Rng`.

mod climate;
pub mod features;
mod fit;
mod hmm;
mod horizon;
mod logspace;
mod model;
pub mod simulate;
mod stage;

pub use climate::{Channel, Climate, SCALE_MAX, SCALE_MIN, clean_value};
pub use fit::{FitError, FitOptions, TrainingGroup, fit};
pub use hmm::{Hmm, SessionStage, Timeline};
pub use horizon::Horizon;
pub use model::{
    Emissions, FitSummary, Gaussian, InferredProbs, Model, ModelError, SD_MAX, SD_MIN,
    StateEmission, Transitions,
};
pub use stage::{Stage, StageProbs, UnknownStage};
