//! `circlework train`: fit the coder on the corpora of `shared/data` and write the model file.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use coding::corpus::{self, Part};
use coding::eval::evaluate;
use coding::train::{TrainSettings, train};

/// Arguments of `circlework train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpora folder (shared/data).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Where to write the model file.
    #[arg(long)]
    out: PathBuf,
    /// The feature table has 2^bits rows (the model file is 32·2^bits bytes).
    #[arg(long, default_value_t = 18)]
    bits: u32,
    /// Regularisation of the source gate.
    #[arg(long, default_value_t = 4.0)]
    gate_c: f32,
    /// Most solver iterations per head.
    #[arg(long, default_value_t = 150)]
    max_iterations: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let texts = corpus::files::read_dir(&args.data)?;
    let dataset = corpus::build(&texts).context("reading the corpora")?;
    eprintln!(
        "read {} labelled texts from {} in {:.1?}",
        dataset.examples.len(),
        args.data.display(),
        started.elapsed()
    );
    let settings = TrainSettings {
        bits: args.bits,
        gate_c: args.gate_c,
        max_iterations: args.max_iterations,
        ..TrainSettings::default()
    };
    let model = train(&dataset, settings, &|line| eprintln!("{line}")).context("training")?;
    std::fs::write(&args.out, model.as_bytes())
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} bytes) after {:.1?}",
        args.out.display(),
        model.as_bytes().len(),
        started.elapsed()
    );
    println!("{}", evaluate(&model, &dataset, Part::Tune));
    Ok(())
}
