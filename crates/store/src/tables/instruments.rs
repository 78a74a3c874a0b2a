//! `instrument_definitions` and `instrument_texts`: an organisation's own instruments and
//! the licensed wording it loads, stored as TOML and validated by `measures` on the way in
//! and on the way out.

use async_trait::async_trait;
use measures::{InstrumentDef, Registry, TextPack};

use crate::{
    AuditAction, AuditContext, AuditEvent, InstrumentStore, Result, SqlStore, StoreError, audit,
    codec::{RowExt, ts},
    error::taken_or,
};

/// A refusal the person loading the file can act on (it names the file and field).
fn refused(err: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(err.to_string())
}

/// What a stored row is called in messages about it.
fn stored_name(instrument: &str, version: i64) -> String {
    format!("stored {instrument} version {version}")
}

#[async_trait]
impl InstrumentStore for SqlStore {
    async fn add_instrument_definition(
        &self,
        by: &AuditContext,
        file: &str,
        toml: &str,
    ) -> Result<InstrumentDef> {
        let def = measures::parse_definition(file, toml).map_err(refused)?;
        // Bundled ids are reserved; versions of the organisation's own are kept unique by
        // the table's constraint.
        Registry::bundled()
            .map_err(refused)?
            .check_definition(&def)
            .map_err(refused)?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO instrument_definitions (instrument, version, source, loaded_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(def.id())
        .bind(i64::from(def.version()))
        .bind(toml)
        .bind(ts(by.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(taken_or("instrument version"))?;
        let event = AuditEvent::new(
            AuditAction::Create,
            "instrument definition",
            Some(row.int("id")?),
        )
        .detail(format!("{} version {}", def.id(), def.version()));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(def)
    }

    async fn put_instrument_text(
        &self,
        by: &AuditContext,
        file: &str,
        toml: &str,
    ) -> Result<InstrumentDef> {
        let pack = measures::parse_text_pack(file, toml).map_err(refused)?;
        let registry = self.instrument_registry().await?;
        let merged = registry.check_text(&pack).map_err(refused)?;
        let version = i64::from(pack.version);
        let mut tx = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT id FROM instrument_texts WHERE instrument = $1 AND version = $2")
                .bind(&pack.instrument)
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
        let row = sqlx::query(
            "INSERT INTO instrument_texts (instrument, version, source, loaded_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (instrument, version) DO UPDATE SET source = excluded.source, \
             loaded_at = excluded.loaded_at RETURNING id",
        )
        .bind(&pack.instrument)
        .bind(version)
        .bind(toml)
        .bind(ts(by.at))
        .fetch_one(&mut *tx)
        .await?;
        let action = if existing.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        let event = AuditEvent::new(action, "instrument text", Some(row.int("id")?))
            .detail(format!("{} version {}", pack.instrument, pack.version));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(merged)
    }

    async fn instrument_definitions(&self) -> Result<Vec<InstrumentDef>> {
        let rows = sqlx::query(
            "SELECT instrument, version, source FROM instrument_definitions \
             ORDER BY instrument, version",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let name = stored_name(&row.text("instrument")?, row.int("version")?);
                measures::parse_definition(&name, &row.text("source")?)
                    .map_err(|err| StoreError::Corrupt(err.to_string()))
            })
            .collect()
    }

    async fn instrument_texts(&self) -> Result<Vec<TextPack>> {
        let rows = sqlx::query(
            "SELECT instrument, version, source FROM instrument_texts ORDER BY instrument, version",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let name = stored_name(&row.text("instrument")?, row.int("version")?);
                measures::parse_text_pack(&format!("{name} text"), &row.text("source")?)
                    .map_err(|err| StoreError::Corrupt(err.to_string()))
            })
            .collect()
    }

    async fn instrument_registry(&self) -> Result<Registry> {
        let definitions = self.instrument_definitions().await?;
        let texts = self.instrument_texts().await?;
        Registry::with_organisation(definitions, &texts)
            .map_err(|err| StoreError::Corrupt(err.to_string()))
    }
}
