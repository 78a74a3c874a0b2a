//! `circlework eval`: the 18 proxy tasks on the report (or tune) part.

use std::path::PathBuf;

use anyhow::Context;
use coding::corpus::{self, Part};
use coding::eval::evaluate;

use super::model_file;

/// Arguments of `circlework eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpora folder (shared/data).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Which development part to score.
    #[arg(long, value_enum, default_value_t = SplitArg::Report)]
    split: SplitArg,
    /// A model file to evaluate instead of the shipped one.
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SplitArg {
    Tune,
    Report,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let model = model_file::load(args.model.as_deref())?;
    let texts = corpus::files::read_dir(&args.data)?;
    let dataset = corpus::build(&texts).context("reading the corpora")?;
    let part = match args.split {
        SplitArg::Tune => Part::Tune,
        SplitArg::Report => Part::Report,
    };
    println!("{}", evaluate(&model, &dataset, part));
    Ok(())
}
