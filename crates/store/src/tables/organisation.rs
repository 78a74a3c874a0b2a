//! The single `organisation` row: name, time zone and thresholds.

use async_trait::async_trait;
use domain::OrganisationSettings;

use crate::{
    AuditAction, AuditContext, AuditEvent, OrganisationStore, Result, SqlStore, StoreError, audit,
    codec::RowExt,
};

#[async_trait]
impl OrganisationStore for SqlStore {
    async fn settings(&self) -> Result<OrganisationSettings> {
        let row = sqlx::query("SELECT * FROM organisation WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(OrganisationSettings {
            name: row.text("name")?,
            time_zone: row.text("time_zone")?,
            idle_logoff_minutes: row.u32("idle_logoff_minutes")?,
            lockout_threshold: row.u32("lockout_threshold")?,
            alert_conflict_level: row.float("alert_conflict_level")?,
            alert_conflict_rise: row.float("alert_conflict_rise")?,
            alert_consecutive_absences: row.u32("alert_consecutive_absences")?,
        })
    }

    async fn update_settings(
        &self,
        by: &AuditContext,
        settings: &OrganisationSettings,
    ) -> Result<()> {
        settings
            .validate()
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE organisation SET name = $1, time_zone = $2, idle_logoff_minutes = $3, lockout_threshold = $4, \
             alert_conflict_level = $5, alert_conflict_rise = $6, alert_consecutive_absences = $7 WHERE id = 1",
        )
        .bind(settings.name.trim())
        .bind(&settings.time_zone)
        .bind(i64::from(settings.idle_logoff_minutes))
        .bind(i64::from(settings.lockout_threshold))
        .bind(settings.alert_conflict_level)
        .bind(settings.alert_conflict_rise)
        .bind(i64::from(settings.alert_consecutive_absences))
        .execute(&mut *tx)
        .await?;
        let event = AuditEvent::new(AuditAction::Update, "organisation", Some(1))
            .detail("settings changed");
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    }
}
