//! `circlework train`.

/// Arguments of `circlework train`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("circlework train is not built yet")
}
