//! `circlework eval`.

/// Arguments of `circlework eval`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("circlework eval is not built yet")
}
