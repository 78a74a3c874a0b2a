//! Finding the model: `--model FILE`, else the one embedded in the binary.

use std::borrow::Cow;
use std::path::Path;

use anyhow::Context;
use coding::classifier::Model;

/// The model at `path`, or the shipped one.
pub fn load(path: Option<&Path>) -> anyhow::Result<Model> {
    match path {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Model::from_bytes(Cow::Owned(bytes))
                .with_context(|| format!("loading {}", path.display()))
        }
        None => coding::coder::embedded_model().context("loading the embedded model"),
    }
}
