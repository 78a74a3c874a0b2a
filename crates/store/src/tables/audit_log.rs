//! `audit_log` and `audit_head`: listing, recording views, and verifying the chain.

use async_trait::async_trait;
use sqlx::Row;

use crate::{
    AuditContext, AuditEvent, AuditFilter, AuditRow, AuditStore, ChainReport, Result, SqlStore,
    audit::{self, AUDIT_COLUMNS, ChainWalker},
    codec::ts,
};

/// A filter value to bind.
enum Bound {
    Int(i64),
    Text(String),
}

/// Rows fetched per page while verifying, so a long log is never all in memory.
const VERIFY_PAGE: i64 = 2_000;

#[async_trait]
impl AuditStore for SqlStore {
    async fn record(&self, by: &AuditContext, event: &AuditEvent) -> Result<()> {
        let mut tx = self.begin_write().await?;
        audit::append(&mut tx, by, event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_rows(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        // Conditions are fixed text with numbered parameters; every value is bound.
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Bound> = Vec::new();
        let mut push = |column_op: &str, value: Bound| {
            values.push(value);
            conditions.push(format!("{column_op} ${}", values.len()));
        };
        if let Some(actor) = filter.actor_id {
            push("actor_id =", Bound::Int(actor.0));
        }
        if let Some(member) = filter.member_id {
            push("member_id =", Bound::Int(member.0));
        }
        if let Some(group) = filter.group_id {
            push("group_id =", Bound::Int(group.0));
        }
        if let Some(from) = filter.from {
            push("at >=", Bound::Text(ts(from)));
        }
        if let Some(until) = filter.until {
            push("at <", Bound::Text(ts(until)));
        }
        if let Some(groups) = &filter.within_groups {
            // Typed integer ids, safe to inline; an empty list matches nothing.
            let list: Vec<String> = groups.iter().map(|g| g.0.to_string()).collect();
            conditions.push(if list.is_empty() {
                "1 = 0".into()
            } else {
                format!("group_id IN ({})", list.join(", "))
            });
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let limit = if filter.limit == 0 {
            500
        } else {
            filter.limit.min(100_000)
        };
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log {where_clause} ORDER BY seq DESC LIMIT {limit}"
        );
        let mut query = sqlx::query(&sql);
        for value in values {
            query = match value {
                Bound::Int(v) => query.bind(v),
                Bound::Text(v) => query.bind(v),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(AuditRow::from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn verify_audit_chain(&self) -> Result<ChainReport> {
        // Read the head and the rows in one snapshot-consistent transaction.
        let mut tx = self.pool.begin().await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        let mut walker = ChainWalker::new();
        let mut after = 0_i64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT {VERIFY_PAGE}"
            ))
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("seq")?;
            for row in &rows {
                let row = AuditRow::from_row(row)?;
                if let Err(broken) = walker.check(&row) {
                    return Ok(ChainReport {
                        rows_checked: walker.rows_checked,
                        first_break: Some(broken),
                    });
                }
            }
        }
        let first_break = walker.finish(head_seq, &head_hash).err();
        tx.commit().await?;
        Ok(ChainReport {
            rows_checked: walker.rows_checked,
            first_break,
        })
    }
}
