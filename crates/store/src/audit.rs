//! The tamper-evident audit trail.
//!
//! Every row's hash is BLAKE2b-256 over all of its columns and the previous row's hash, and
//! `audit_head` carries the newest row's number and hash. Editing, inserting or deleting any
//! row (the last ones included) breaks the chain at a row that [`verify_chain`] names.
//! Rows are appended inside the same transaction as the change they record.

use blake2::{Blake2b, Digest, digest::consts::U32};
use domain::{GroupId, MemberId, User, UserId};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use crate::{StoreError, codec::ts};

/// The hash the first row chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something, from where, and when. Passed to every write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContext {
    pub actor_id: Option<UserId>,
    /// The username, or a name for the system part that acted ("demo-seed", "cli").
    pub actor: String,
    /// "web", "cli", "demo-seed", ... (never an IP address with a path or a query).
    pub origin: String,
    pub at: Timestamp,
}

impl AuditContext {
    pub fn user(user: &User, origin: &str, at: Timestamp) -> Self {
        Self {
            actor_id: Some(user.id),
            actor: user.username.to_string(),
            origin: origin.to_owned(),
            at,
        }
    }

    pub fn system(actor: &str, origin: &str, at: Timestamp) -> Self {
        Self {
            actor_id: None,
            actor: actor.to_owned(),
            origin: origin.to_owned(),
            at,
        }
    }
}

domain::named_enum! {
    /// What an audit row records.
    pub enum AuditAction("audit action") {
        SignIn => "sign-in",
        SignInFailed => "sign-in-failed",
        SignOut => "sign-out",
        Lockout => "lockout",
        Unlock => "unlock",
        View => "view",
        Create => "create",
        Update => "update",
        /// An alert seen and taken in hand.
        Acknowledge => "acknowledge",
        /// An alert dealt with, with a note.
        Resolve => "resolve",
        /// A tally mark taken back by the observer who made it.
        Undo => "undo",
        Disable => "disable",
        Enable => "enable",
        PasswordChange => "password-change",
        Assign => "assign",
        Enroll => "enroll",
        Export => "export",
    }
}

/// What happened, to which record. `detail` is a short description with no clinical text,
/// passwords or contact details in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub action: AuditAction,
    /// The kind of record: "user", "member", "group", "note", ...
    pub entity: &'static str,
    pub entity_id: Option<i64>,
    pub group_id: Option<GroupId>,
    pub member_id: Option<MemberId>,
    pub detail: String,
}

impl AuditEvent {
    pub fn new(action: AuditAction, entity: &'static str, entity_id: Option<i64>) -> Self {
        Self {
            action,
            entity,
            entity_id,
            group_id: None,
            member_id: None,
            detail: String::new(),
        }
    }

    pub fn group(mut self, group_id: GroupId) -> Self {
        self.group_id = Some(group_id);
        self
    }

    pub fn member(mut self, member_id: MemberId) -> Self {
        self.member_id = Some(member_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub origin: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub group_id: Option<i64>,
    pub member_id: Option<i64>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            actor_id: row.try_get("actor_id")?,
            actor: row.try_get("actor")?,
            origin: row.try_get("origin")?,
            action: row.try_get("action")?,
            entity: row.try_get("entity")?,
            entity_id: row.try_get("entity_id")?,
            group_id: row.try_get("group_id")?,
            member_id: row.try_get("member_id")?,
            detail: row.try_get("detail")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        })
    }

    /// The hash this row should carry: every column but `hash`, each length-prefixed so
    /// that moving text between columns changes the result.
    pub fn expected_hash(&self) -> String {
        let optional = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let fields = [
            self.seq.to_string(),
            self.at.clone(),
            optional(self.actor_id),
            self.actor.clone(),
            self.origin.clone(),
            self.action.clone(),
            self.entity.clone(),
            optional(self.entity_id),
            optional(self.group_id),
            optional(self.member_id),
            self.detail.clone(),
            self.prev_hash.clone(),
        ];
        let mut hasher = Blake2b::<U32>::new();
        for field in &fields {
            hasher.update((field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

pub(crate) const AUDIT_COLUMNS: &str = "seq, at, actor_id, actor, origin, action, entity, entity_id, group_id, member_id, detail, prev_hash, hash";

/// Appends one row inside the caller's transaction. Bumping `audit_head` first takes its row
/// lock, so concurrent writers on PostgreSQL chain one after another instead of forking.
pub(crate) async fn append(
    tx: &mut Transaction<'static, Any>,
    context: &AuditContext,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let mut row = AuditRow {
        seq,
        at: ts(context.at),
        actor_id: context.actor_id.map(|id| id.0),
        actor: context.actor.clone(),
        origin: context.origin.clone(),
        action: event.action.as_str().to_owned(),
        entity: event.entity.to_owned(),
        entity_id: event.entity_id,
        group_id: event.group_id.map(|id| id.0),
        member_id: event.member_id.map(|id| id.0),
        detail: event.detail.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.expected_hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor, origin, action, entity, entity_id, group_id, \
         member_id, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(row.seq)
    .bind(&row.at)
    .bind(row.actor_id)
    .bind(&row.actor)
    .bind(&row.origin)
    .bind(&row.action)
    .bind(&row.entity)
    .bind(row.entity_id)
    .bind(row.group_id)
    .bind(row.member_id)
    .bind(&row.detail)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&row.hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends one row per `(context, event)`, chained in order, inside the caller's
/// transaction: the head is bumped once for all of them and the rows go in with multi-row
/// inserts, so a batch of submissions committed together (group commit) costs a few
/// statements rather than three per row. The chain is the same as appending one by one.
pub(crate) async fn append_many(
    tx: &mut Transaction<'static, Any>,
    entries: &[(&AuditContext, AuditEvent)],
) -> Result<(), StoreError> {
    let Ok(count) = i64::try_from(entries.len()) else {
        return Err(StoreError::Refused("too many audit rows at once".into()));
    };
    if count == 0 {
        return Ok(());
    }
    let head = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(count)
        .fetch_one(&mut **tx)
        .await?;
    let last_seq: i64 = head.try_get("seq")?;
    let mut prev_hash: String = head.try_get("hash")?;
    let mut rows = Vec::with_capacity(entries.len());
    for (seq, (context, event)) in (last_seq - count + 1..).zip(entries) {
        let mut row = AuditRow {
            seq,
            at: ts(context.at),
            actor_id: context.actor_id.map(|id| id.0),
            actor: context.actor.clone(),
            origin: context.origin.clone(),
            action: event.action.as_str().to_owned(),
            entity: event.entity.to_owned(),
            entity_id: event.entity_id,
            group_id: event.group_id.map(|id| id.0),
            member_id: event.member_id.map(|id| id.0),
            detail: event.detail.clone(),
            prev_hash: std::mem::take(&mut prev_hash),
            hash: String::new(),
        };
        row.hash = row.expected_hash();
        prev_hash.clone_from(&row.hash);
        rows.push(row);
    }
    // 13 parameters a row; 200 rows stay well under both engines' limits.
    for chunk in rows.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO audit_log (seq, at, actor_id, actor, origin, action, entity, entity_id, \
             group_id, member_id, detail, prev_hash, hash) VALUES ",
        );
        crate::codec::push_value_rows(&mut sql, chunk.len(), 13);
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
                .bind(row.seq)
                .bind(row.at.clone())
                .bind(row.actor_id)
                .bind(row.actor.clone())
                .bind(row.origin.clone())
                .bind(row.action.clone())
                .bind(row.entity.clone())
                .bind(row.entity_id)
                .bind(row.group_id)
                .bind(row.member_id)
                .bind(row.detail.clone())
                .bind(row.prev_hash.clone())
                .bind(row.hash.clone());
        }
        query.execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Where and why a chain check failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The first row that does not check out (for a deleted tail: the last row expected).
    pub seq: i64,
    pub reason: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub rows_checked: u64,
    pub first_break: Option<ChainBreak>,
}

/// Walks rows in order, feeding each to `check`; the caller pages them in from storage.
#[derive(Debug)]
pub(crate) struct ChainWalker {
    expected_seq: i64,
    expected_prev: String,
    pub(crate) rows_checked: u64,
}

impl ChainWalker {
    pub(crate) fn new() -> Self {
        Self {
            expected_seq: 1,
            expected_prev: GENESIS_HASH.to_owned(),
            rows_checked: 0,
        }
    }

    pub(crate) fn check(&mut self, row: &AuditRow) -> Result<(), ChainBreak> {
        let fail = |seq: i64, reason: String| Err(ChainBreak { seq, reason });
        if row.seq != self.expected_seq {
            return fail(
                self.expected_seq.min(row.seq),
                format!(
                    "expected row {} next but found row {}: rows were deleted or inserted",
                    self.expected_seq, row.seq
                ),
            );
        }
        if row.prev_hash != self.expected_prev {
            return fail(
                row.seq,
                "its previous-row hash does not match the row before it".to_owned(),
            );
        }
        if row.hash != row.expected_hash() {
            return fail(
                row.seq,
                "its contents do not match its hash: the row was edited".to_owned(),
            );
        }
        self.expected_seq += 1;
        self.expected_prev = row.hash.clone();
        self.rows_checked += 1;
        Ok(())
    }

    /// Checks the head against the last row seen.
    pub(crate) fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        let last_seq = self.expected_seq - 1;
        if head_seq != last_seq || head_hash != self.expected_prev {
            return Err(ChainBreak {
                seq: head_seq.max(last_seq),
                reason: format!(
                    "the chain ends at row {last_seq} but its head records row {head_seq}: rows at the end were deleted or the head was changed"
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, prev: &str) -> AuditRow {
        let mut row = AuditRow {
            seq,
            at: "2026-01-01T00:00:00.000000Z".into(),
            actor_id: Some(1),
            actor: "alice".into(),
            origin: "web".into(),
            action: "view".into(),
            entity: "member".into(),
            entity_id: Some(9),
            group_id: Some(2),
            member_id: Some(9),
            detail: String::new(),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        row.hash = row.expected_hash();
        row
    }

    fn chain(n: i64) -> Vec<AuditRow> {
        let mut rows: Vec<AuditRow> = Vec::new();
        for seq in 1..=n {
            let prev = rows
                .last()
                .map_or(GENESIS_HASH.to_owned(), |r| r.hash.clone());
            rows.push(row(seq, &prev));
        }
        rows
    }

    fn walk(rows: &[AuditRow], head: (i64, &str)) -> Result<(), ChainBreak> {
        let mut walker = ChainWalker::new();
        for r in rows {
            walker.check(r)?;
        }
        walker.finish(head.0, head.1)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(5);
        assert_eq!(walk(&rows, (5, &rows[4].hash)), Ok(()));
    }

    #[test]
    fn an_edited_row_is_named() {
        let mut rows = chain(5);
        rows[2].actor = "mallory".into();
        assert_eq!(walk(&rows, (5, &rows[4].hash.clone())).unwrap_err().seq, 3);
    }

    #[test]
    fn a_deleted_middle_row_is_named() {
        let mut rows = chain(5);
        let head = rows[4].hash.clone();
        rows.remove(1);
        assert_eq!(walk(&rows, (5, &head)).unwrap_err().seq, 2);
    }

    #[test]
    fn a_deleted_last_row_is_caught_by_the_head() {
        let mut rows = chain(5);
        let head = rows[4].hash.clone();
        rows.pop();
        assert_eq!(walk(&rows, (5, &head)).unwrap_err().seq, 5);
    }

    #[test]
    fn moving_text_between_columns_changes_the_hash() {
        let a = row(1, GENESIS_HASH);
        let mut b = a.clone();
        b.actor = "alicew".into();
        b.origin = "eb".into();
        assert_ne!(a.expected_hash(), b.expected_hash());
    }
}
