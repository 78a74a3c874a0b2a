//! `circlework demo`: seed a synthetic organisation once, then serve it.
//!
//! Seeding goes through the same store functions (and so the same audit rows) as real use,
//! one seeding function per feature. The database is marked as a demo before seeding starts
//! and as ready when it ends, so an interrupted seed is redone and a database with real data
//! is never touched.

mod accounts;
mod alerts;
mod answers;
mod groups;

use std::time::Instant;

use anyhow::bail;
use domain::Clock;
use store::{AuditContext, DemoState, SharedStore};
use web::SystemClock;

use super::{open_store, serve};

/// The demo's sign-in password, shared by every demo account (documented in the README).
pub const DEMO_PASSWORD: &str = "circlework-demo";

/// Arguments of `circlework demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database URL for the demo: sqlite://PATH or postgres://... (only a demo database is ever changed).
    #[arg(
        long,
        env = "CIRCLEWORK_DATABASE_URL",
        default_value = "sqlite://./data/demo.db"
    )]
    pub database_url: String,
    #[command(flatten)]
    pub listen: serve::ListenArgs,
    /// Throw the demo data away and seed it afresh.
    #[arg(long)]
    pub reset: bool,
    /// Seed (if needed) and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = open_store(&args.database_url).await?;
    let where_ = store::redact_url(&args.database_url);
    match (store.demo_state().await?, store.is_empty().await?) {
        (None, false) => bail!(
            "{where_} holds data that is not demo data; `circlework demo` will not touch it. \
             Give another --database-url (the default is sqlite://./data/demo.db)."
        ),
        (Some(DemoState::Ready), _) if !args.reset => {
            println!("Reusing the demo database at {where_} (use --reset to start afresh).");
        }
        (state, empty) => {
            if !empty || state.is_some() {
                store.drop_everything().await?;
                store.migrate().await?;
            }
            seed(&store).await?;
            println!("Seeded the demo database at {where_}.");
        }
    }
    if args.no_serve {
        return Ok(());
    }
    serve::serve(store, &args.listen, started, Some(logins_banner())).await
}

/// Seeds every feature's demo data, in order.
async fn seed(store: &SharedStore) -> anyhow::Result<()> {
    store.set_demo_state(DemoState::Seeding).await?;
    let clock = SystemClock;
    let by = AuditContext::system("demo-seed", "demo", clock.now());
    let accounts = accounts::seed(store, &by).await?;
    groups::seed(store, &by, &accounts, clock.now()).await?;
    let group = answers::seed(store, &accounts, clock.now()).await?;
    alerts::seed(store, &by, group).await?;
    store.set_demo_state(DemoState::Ready).await?;
    Ok(())
}

fn logins_banner() -> String {
    let mut banner = String::from("Demo sign-ins (password for all: ");
    banner.push_str(DEMO_PASSWORD);
    banner.push_str("):\n");
    for (username, role) in accounts::DEMO_LOGINS {
        banner.push_str(&format!("  {username:<22} {role}\n"));
    }
    banner.push_str("Press Ctrl-C to stop.");
    banner
}
