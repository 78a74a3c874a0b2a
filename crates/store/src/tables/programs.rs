//! `programs`: service lines that own groups.

use async_trait::async_trait;
use domain::{Program, ProgramId};
use sqlx::any::AnyRow;

use crate::{
    AuditAction, AuditContext, AuditEvent, ProgramStore, Result, SqlStore, StoreError, audit,
    codec::{RowExt, ts},
    error::taken_or,
};

fn program_from_row(row: &AnyRow) -> Result<Program> {
    Ok(Program {
        id: ProgramId(row.int("id")?),
        name: row.text("name")?,
        description: row.text("description")?,
    })
}

#[async_trait]
impl ProgramStore for SqlStore {
    async fn create_program(
        &self,
        by: &AuditContext,
        name: &str,
        description: &str,
    ) -> Result<Program> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(StoreError::Refused(
                "a program name must be 1 to 120 characters".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO programs (name, description, created_at) VALUES ($1, $2, $3) RETURNING id, name, description",
        )
        .bind(name)
        .bind(description.trim())
        .bind(ts(by.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(taken_or("program name"))?;
        let program = program_from_row(&row)?;
        let event =
            AuditEvent::new(AuditAction::Create, "program", Some(program.id.0)).detail(name);
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(program)
    }

    async fn programs(&self) -> Result<Vec<Program>> {
        let rows = sqlx::query("SELECT id, name, description FROM programs ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(program_from_row).collect()
    }

    async fn program(&self, id: ProgramId) -> Result<Program> {
        let row = sqlx::query("SELECT id, name, description FROM programs WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        program_from_row(&row)
    }
}
