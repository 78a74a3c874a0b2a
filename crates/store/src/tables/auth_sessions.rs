//! `auth_sessions`: signed-in sessions, keyed by the hash of the cookie token.

use async_trait::async_trait;
use domain::UserId;
use jiff::Timestamp;

use crate::{
    AuthSession, AuthSessionStore, Result, SqlStore,
    codec::{RowExt, ts},
};

#[async_trait]
impl AuthSessionStore for SqlStore {
    async fn create_auth_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf_token)
        .bind(ts(at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn auth_session(&self, token_hash: &str) -> Result<Option<AuthSession>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM auth_sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(AuthSession {
                user_id: UserId(row.int("user_id")?),
                csrf_token: row.text("csrf_token")?,
                created_at: row.timestamp("created_at")?,
                last_seen_at: row.timestamp("last_seen_at")?,
            })
        })
        .transpose()
    }

    async fn touch_auth_session(&self, token_hash: &str, at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE auth_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(ts(at))
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_auth_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_idle_auth_sessions(&self, idle_before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM auth_sessions WHERE last_seen_at < $1")
            .bind(ts(idle_before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
