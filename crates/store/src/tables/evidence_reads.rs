//! Group-wide reads of tables other features own (attendance), shaped for the analysis.

use async_trait::async_trait;
use domain::{GroupId, MemberId, SessionId};

use crate::{EvidenceReads, GroupMark, Result, SqlStore, codec::RowExt};

#[async_trait]
impl EvidenceReads for SqlStore {
    async fn group_attendance(&self, group: GroupId) -> Result<Vec<GroupMark>> {
        let rows = sqlx::query(
            "SELECT a.session_id, a.member_id, a.status FROM attendance a \
             JOIN sessions s ON s.id = a.session_id WHERE s.group_id = $1 \
             ORDER BY s.number, a.member_id",
        )
        .bind(group.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(GroupMark {
                    session_id: SessionId(row.int("session_id")?),
                    member_id: MemberId(row.int("member_id")?),
                    status: row.parsed("status")?,
                })
            })
            .collect()
    }
}
