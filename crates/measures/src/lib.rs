//! Session measures, as pure functions: instrument definitions as data, scoring with the
//! missing-data rules, severity bands, Jacobson–Truax reliable change and cut-offs, risk
//! items, and member trajectories (DOMAIN.md §3, §4, §6.1). No I/O, no clock.
//!
//! # Definition files
//! TOML, validated on load ([`parse_definition`]); every problem names the file and field.
//! ```toml
//! id = "phq9"                     # lowercase identifier
//! version = 1                     # a changed definition gets a new version
//! title = "Patient Health Questionnaire (PHQ-9)"
//! citation = "Kroenke et al. 2001 ..."         # optional
//! instructions = "Over the last 2 weeks, ..."  # optional stem
//! [licence]
//! status = "free"                 # free | permission | proprietary | unclear
//! embed_text = true               # items carry `text`; false: wording from a text pack
//! note = "..."                    # optional attribution
//! [response]                      # the usual answer range, 0..=255
//! min = 0
//! max = 3
//! labels = { 0 = "Not at all", 1 = "Several days", 2 = "...", 3 = "..." }  # optional, all or none
//! [[items]]                       # numbered 1..=N in order
//! n = 9
//! key = "self_harm"
//! label = "Thoughts of death or self-harm"    # our short label
//! risk = true                     # optional; also `reverse`, `min`, `max`, `text`
//! [total]                         # optional; items default to all
//! method = "sum"                  # sum (prorated, whole number) | mean (of answered items)
//! direction = "lower_better"      # | higher_better
//! [[subscales]]                   # optional: id, items, method, direction, label
//! [missing]
//! max_missing = 2                 # more missing items: invalid
//! source = "..."
//! [[bands]]                       # sum scales; must cover the scale without gap or overlap
//! scale = "total"
//! min = 0
//! max = 4
//! label = "minimal"
//! [[cutoffs]]                     # op >= > <= <; value, or norms = {functional_mean,
//! scale = "total"                 #   functional_sd, clinical_mean, clinical_sd} for c
//! op = ">="
//! value = 10
//! label = "clinical range"
//! clinical = true                 # at most one per scale
//! source = "..."
//! [[reliable_change]]             # delta, and/or sd + reliability (Δ = 1.96·SD·√(2(1−r)))
//! scale = "total"
//! delta = 6
//! source = "..."
//! ```
//! Text packs (licensed wording an organisation loads) are described in [`text`].

pub mod batch;
pub mod bundled;
pub mod change;
mod definition;
mod error;
mod load;
mod registry;
mod score;
pub mod text;
pub mod trajectory;

pub use change::{
    Change, Outcome, ReliableChange, classify_change, clinical_cutoff_c, reliable_change_delta,
    reliable_change_index,
};
pub use definition::{
    Band, Cutoff, CutoffOp, Direction, InstrumentDef, ItemDef, ItemText, Licence, LicenceStatus,
    Method, MissingRule, Norms, Rci, ResponseOption, Scale, TOTAL, TextOrigin,
};
pub use error::{AnswerError, LoadError, Problem, RegistryError};
pub use load::parse_definition;
pub use registry::{Origin, Registry};
pub use score::{
    RiskAnswer, ScaleScore, ScaleValue, Score, Validity, check_answers, prorate, risk_answers,
    score,
};
pub use text::{TextPack, attach_text, parse_text_pack};
pub use trajectory::{
    ChangeBand, Spread, Trajectory, TrajectoryPoint, group_spread, spread, trajectories, trajectory,
};
