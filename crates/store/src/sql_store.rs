//! `SqlStore`: the one implementation of [`crate::Store`], on either backend.

use async_trait::async_trait;
use sqlx::{Any, AnyPool, Executor, Row, Transaction};

use crate::{Backend, DemoState, Housekeeping, Result};

/// A pool on SQLite or PostgreSQL and the knowledge of which one it is.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

impl SqlStore {
    /// Connects without migrating (see [`crate::open`] for both).
    pub async fn connect(url: &str) -> Result<Self> {
        let backend = Backend::from_url(url)?;
        let pool = backend.connect(url).await?;
        Ok(Self { pool, backend })
    }

    /// Starts a write transaction the way the backend wants it (see [`Backend`]).
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(self.pool.begin_with(self.backend.begin_write_sql()).await?)
    }

    /// Closes the pool (SQLite checkpoints its WAL on the last close).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Housekeeping for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<()> {
        self.backend.migrator().run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn is_empty(&self) -> Result<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM programs) \
             + (SELECT COUNT(*) FROM members) AS n",
        )
        .fetch_one(&self.pool)
        .await?;
        let n: i64 = row.try_get("n")?;
        Ok(n == 0)
    }

    async fn demo_state(&self) -> Result<Option<DemoState>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'demo'")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match value.as_deref() {
            Some("ready") => Some(DemoState::Ready),
            Some(_) => Some(DemoState::Seeding),
            None => None,
        })
    }

    async fn set_demo_state(&self, state: DemoState) -> Result<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('demo', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(state.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn drop_everything(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match self.backend {
            // One schema holds everything; recreate it empty.
            Backend::Postgres => {
                conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                    .await?;
            }
            // SQLite has no schemas: drop each table, foreign keys off meanwhile.
            Backend::Sqlite => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(&mut *conn)
                .await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                for table in tables {
                    conn.execute(
                        format!("DROP TABLE IF EXISTS \"{}\"", table.replace('"', "\"\"")).as_str(),
                    )
                    .await?;
                }
                conn.execute("PRAGMA foreign_keys = ON").await?;
            }
        }
        Ok(())
    }

    async fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if self.backend == Backend::Sqlite {
            let rows = sqlx::query("PRAGMA integrity_check")
                .fetch_all(&self.pool)
                .await?;
            for row in rows {
                let line: String = row.try_get(0)?;
                if line != "ok" {
                    problems.push(line);
                }
            }
            let dangling = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&self.pool)
                .await?;
            if !dangling.is_empty() {
                problems.push(format!("{} rows break foreign keys", dangling.len()));
            }
        }
        // Both engines: the audit chain must verify and the head must match.
        let report = crate::AuditStore::verify_audit_chain(self).await?;
        if let Some(broken) = report.first_break {
            problems.push(format!(
                "audit chain broken at row {}: {}",
                broken.seq, broken.reason
            ));
        }
        Ok(problems)
    }
}
