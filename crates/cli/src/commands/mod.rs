//! One module per subcommand: its arguments and its `run`.

pub mod analyze;
pub mod audit;
pub mod backup;
pub mod code;
pub mod demo;
pub mod eval;
pub mod instruments;
pub mod migrate;
mod model_file;
pub mod restore;
pub mod score;
pub mod serve;
pub mod stages;
pub mod train;
pub mod user;

use std::{future::Future, process::ExitCode};

/// Where the database is: shared by every command that opens one.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// Database URL: sqlite://PATH (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "CIRCLEWORK_DATABASE_URL",
        default_value = "sqlite://./data/circlework.db"
    )]
    pub database_url: String,
}

/// An error that ends the process with its own status (other errors end it with 1).
/// Attach it as context: `.context(Exit::new(2, "could not open the database"))`.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl Exit {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

/// Prints a failed command's error chain the way `anyhow` does from `main`, and picks
/// the status: the [`Exit`] code when the error carries one, otherwise 1.
pub fn exit_code(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Error: {err:?}");
            err.downcast_ref::<Exit>()
                .map_or(ExitCode::FAILURE, |exit| ExitCode::from(exit.code))
        }
    }
}

/// Where an existing database is, for commands that read it and never create it.
#[derive(Debug, Clone, clap::Args)]
pub struct ExistingDatabaseArgs {
    /// Database URL: sqlite://PATH (must exist) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "CIRCLEWORK_DATABASE_URL",
        default_value = "sqlite://./data/circlework.db"
    )]
    pub database_url: String,
}

/// Runs an async command on a fresh multi-threaded runtime, with logging set up.
pub fn run_async(command: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    init_logging();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(command)
}

/// Logs go to standard error; `CIRCLEWORK_LOG` sets the filter (default `info`). Request
/// spans carry method and path only; nothing logs cookies, passwords or member text.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CIRCLEWORK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Creates the folder of an SQLite database file so a fresh clone just works.
pub fn ensure_sqlite_folder(url: &str) -> anyhow::Result<()> {
    if let Some(path) = store::sqlite_path(url)
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(())
}

/// Opens and migrates the database, with the URL (password hidden) in any error.
pub async fn open_store(url: &str) -> anyhow::Result<store::SharedStore> {
    use anyhow::Context;
    ensure_sqlite_folder(url)?;
    store::open(url)
        .await
        .with_context(|| format!("could not open the database at {}", store::redact_url(url)))
}
