//! `circlework analyze`: a stored group's session features, stage timeline and alerts as one
//! JSON document. Reads only: it neither migrates nor stores the alerts it finds.

use anyhow::Context;
use domain::GroupId;
use stages::Hmm;
use store::{AlertStore, Backend, SqlStore, StoreError};

use super::{ExistingDatabaseArgs, Exit};

/// The status when the database, or the group in it, cannot be read.
const EXIT_UNREADABLE: u8 = 2;

/// Arguments of `circlework analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: ExistingDatabaseArgs,
    /// The group's id (as in its page's address, /groups/ID).
    #[arg(long)]
    group: GroupId,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let url = &args.database.database_url;
    let where_ = store::redact_url(url);
    let unreadable = || Exit::new(EXIT_UNREADABLE, format!("could not open {where_}"));
    let backend = Backend::from_url(url).with_context(unreadable)?;
    if backend == Backend::Sqlite
        && let Some(path) = store::sqlite_path(url)
        && !std::path::Path::new(path).is_file()
    {
        return Err(anyhow::anyhow!("there is no database file at {path}").context(unreadable()));
    }
    let store = SqlStore::connect(url).await.with_context(unreadable)?;
    let report = report(&store, args.group).await;
    store.close().await;
    let report = match report {
        Ok(report) => report,
        Err(StoreError::NotFound) => {
            return Err(
                anyhow::anyhow!("there is no group {} in {where_}", args.group)
                    .context(Exit::new(EXIT_UNREADABLE, "unknown group")),
            );
        }
        Err(err) => {
            return Err(anyhow::Error::new(err).context(Exit::new(
                EXIT_UNREADABLE,
                format!(
                    "could not read group {} from {where_} (is it a Circlework database, \
                     migrated with `circlework migrate`?)",
                    args.group
                ),
            )));
        }
    };
    let mut out = serde_json::to_string_pretty(&report)?;
    out.push('\n');
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("could not write the report")?;
    Ok(())
}

async fn report(store: &SqlStore, group: GroupId) -> Result<analysis::GroupReport, StoreError> {
    let evidence = analysis::evidence_for_group(store, group).await?;
    let analysis = analysis::analyse_group(&evidence, &Hmm::domain());
    let stored = store.group_alerts(group).await?;
    Ok(analysis::group_report(&evidence, &analysis, stored))
}
