//! `circlework code`.

/// Arguments of `circlework code`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("circlework code is not built yet")
}
