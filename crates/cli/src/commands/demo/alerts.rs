//! The demo group's alerts: the rules run once over everything seeded before (attendance,
//! answers), as they run after every change of a session's evidence.

use domain::GroupId;
use store::{AuditContext, SharedStore};

pub async fn seed(store: &SharedStore, by: &AuditContext, group: GroupId) -> anyhow::Result<()> {
    analysis::evaluate_and_store(&**store, group, by).await?;
    Ok(())
}
