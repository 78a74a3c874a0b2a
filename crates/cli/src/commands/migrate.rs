//! `circlework migrate`: apply pending migrations and exit.

use super::{DatabaseArgs, open_store};

/// Arguments of `circlework migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let store = open_store(&args.database.database_url).await?;
    println!("{} database is up to date.", store.backend().name());
    Ok(())
}
