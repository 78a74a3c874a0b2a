//! The statistical half of the coder: hashed n-gram features, a quantised linear model with
//! one head per proxy task and a source gate, its file format, and the solver that fits it.

pub mod features;
pub mod model;
pub mod solver;
pub mod sparse;
pub mod thresholds;

pub use features::{FeatureBuf, Featurizer};
pub use model::{MODEL_CODES, Model, ModelError, Outputs};
