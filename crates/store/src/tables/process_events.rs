//! `process_events`, `transcript_counts` and `transcript_talk`: the observer's tally and
//! coded transcripts, as `domain::ProcessEvent`s with each transcript's size.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use domain::{
    EventSource, GroupId, Intensity, MemberId, ProcessCode, ProcessEvent, SessionId, UserId,
};
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, ProcessEventStore, Result, SqlStore, StoreError, audit,
    codec::{RowExt, placeholders, push_value_rows, ts},
    evidence::{ProcessEventId, ProcessRecord, StoredEvent, TranscriptCounts},
};

const EVENT_COLUMNS: &str = "e.id, e.session_id, e.member_id, e.speaker, e.code, e.target, \
     e.aimed_at, e.intensity, e.source, e.utterance_index, e.at, e.recorded_by, e.recorded_at";

fn event_from_row(row: &AnyRow) -> Result<StoredEvent> {
    let intensity = u8::try_from(row.int("intensity")?)
        .ok()
        .and_then(|v| Intensity::new(v).ok())
        .ok_or_else(|| StoreError::Corrupt("event intensity".into()))?;
    Ok(StoredEvent {
        id: ProcessEventId(row.int("id")?),
        event: ProcessEvent {
            session_id: SessionId(row.int("session_id")?),
            member_id: row.opt_int("member_id")?.map(MemberId),
            speaker: row.opt_text("speaker")?,
            code: row.parsed("code")?,
            target: row.opt_parsed("target")?,
            intensity,
            source: row.parsed("source")?,
            utterance_index: row.opt_u32("utterance_index")?,
            at: row.opt_timestamp("at")?,
        },
        aimed_at: row.opt_int("aimed_at")?.map(MemberId),
        recorded_by: row.opt_int("recorded_by")?.map(UserId),
        recorded_at: row.timestamp("recorded_at")?,
    })
}

/// The session's group and number; `NotFound` for an unknown session.
async fn session_group(
    tx: &mut Transaction<'static, Any>,
    session: SessionId,
) -> Result<(GroupId, i64)> {
    let row = sqlx::query("SELECT group_id, number FROM sessions WHERE id = $1")
        .bind(session.0)
        .fetch_one(&mut **tx)
        .await?;
    Ok((GroupId(row.int("group_id")?), row.int("number")?))
}

/// Refuses members who were never on the group's roster (one query).
async fn check_rostered(
    tx: &mut Transaction<'static, Any>,
    group: GroupId,
    members: impl IntoIterator<Item = MemberId>,
) -> Result<()> {
    let wanted: BTreeSet<i64> = members.into_iter().map(|m| m.0).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT DISTINCT member_id FROM enrollments WHERE group_id = $1 AND member_id IN ({})",
        placeholders(2, wanted.len())
    );
    let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(group.0);
    for id in &wanted {
        query = query.bind(*id);
    }
    let found: BTreeSet<i64> = query.fetch_all(&mut **tx).await?.into_iter().collect();
    if found != wanted {
        return Err(StoreError::Refused(
            "an event names a member who is not on the group's roster".into(),
        ));
    }
    Ok(())
}

fn utterance_index(event: &ProcessEvent) -> Option<i64> {
    event.utterance_index.map(i64::from)
}

/// Events of one session by one recorder, in one statement per 300.
async fn insert_events(
    tx: &mut Transaction<'static, Any>,
    by: &AuditContext,
    events: &[(&ProcessEvent, Option<MemberId>)],
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(events.len());
    for chunk in events.chunks(300) {
        let mut sql = String::from(
            "INSERT INTO process_events (session_id, member_id, speaker, code, target, aimed_at, \
             intensity, source, utterance_index, at, recorded_by, recorded_at) VALUES ",
        );
        push_value_rows(&mut sql, chunk.len(), 12);
        sql.push_str(" RETURNING id");
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for (event, aimed_at) in chunk {
            query = query
                .bind(event.session_id.0)
                .bind(event.member_id.map(|m| m.0))
                .bind(event.speaker.clone())
                .bind(event.code.as_str())
                .bind(event.target.map(|t| t.as_str()))
                .bind(aimed_at.map(|m| m.0))
                .bind(i64::from(event.intensity.get()))
                .bind(event.source.as_str())
                .bind(utterance_index(event))
                .bind(event.at.map(ts))
                .bind(by.actor_id.map(|u| u.0))
                .bind(ts(by.at));
        }
        ids.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(ids)
}

async fn fetch_event(tx: &mut Transaction<'static, Any>, id: i64) -> Result<StoredEvent> {
    let row = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM process_events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    event_from_row(&row)
}

/// Events and transcript sizes matching `condition` on `e`/`t` joined to sessions `s`.
async fn process_record(store: &SqlStore, condition: &str, id: i64) -> Result<ProcessRecord> {
    let rows = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM process_events e JOIN sessions s ON s.id = e.session_id \
         WHERE {condition} ORDER BY s.number, e.id"
    ))
    .bind(id)
    .fetch_all(&store.pool)
    .await?;
    let events = rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>>>()?;
    let rows = sqlx::query(&format!(
        "SELECT e.session_id, e.utterances, t.member_id, t.utterances AS talk \
         FROM transcript_counts e JOIN sessions s ON s.id = e.session_id \
         LEFT JOIN transcript_talk t ON t.session_id = e.session_id \
         WHERE {condition} ORDER BY s.number, t.member_id"
    ))
    .bind(id)
    .fetch_all(&store.pool)
    .await?;
    // Rows come in session order, one per member with talk (or one with none).
    let mut transcripts: Vec<(SessionId, TranscriptCounts)> = Vec::new();
    for row in &rows {
        let session = SessionId(row.int("session_id")?);
        if transcripts.last().is_none_or(|(last, _)| *last != session) {
            transcripts.push((
                session,
                TranscriptCounts {
                    utterances: row.u32("utterances")?,
                    talk: Vec::new(),
                },
            ));
        }
        if let (Some(member), Some((_, counts))) =
            (row.opt_int("member_id")?, transcripts.last_mut())
        {
            counts.talk.push((MemberId(member), row.u32("talk")?));
        }
    }
    Ok(ProcessRecord {
        events,
        transcripts,
    })
}

#[async_trait]
impl ProcessEventStore for SqlStore {
    async fn record_process_event(
        &self,
        by: &AuditContext,
        event: &ProcessEvent,
        aimed_at: Option<MemberId>,
    ) -> Result<StoredEvent> {
        if event.source != EventSource::Tally {
            return Err(StoreError::Refused(
                "one event at a time is a tally mark; a transcript's events go in together".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let (group, number) = session_group(&mut tx, event.session_id).await?;
        check_rostered(&mut tx, group, event.member_id.into_iter().chain(aimed_at)).await?;
        let ids = insert_events(&mut tx, by, &[(event, aimed_at)]).await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        let mut audit_event = AuditEvent::new(AuditAction::Create, "process event", Some(id))
            .group(group)
            .detail(format!("session {number}: tally {}", event.code));
        if let Some(member) = event.member_id {
            audit_event = audit_event.member(member);
        }
        audit::append(&mut tx, by, &audit_event).await?;
        let stored = fetch_event(&mut tx, id).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn undo_last_process_event(
        &self,
        by: &AuditContext,
        session: SessionId,
    ) -> Result<StoredEvent> {
        let user = by.actor_id.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin_write().await?;
        let (group, number) = session_group(&mut tx, session).await?;
        let row = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM process_events e WHERE e.session_id = $1 \
             AND e.recorded_by = $2 AND e.source = 'tally' ORDER BY e.id DESC LIMIT 1"
        ))
        .bind(session.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let stored = event_from_row(&row)?;
        sqlx::query("DELETE FROM process_events WHERE id = $1")
            .bind(stored.id.0)
            .execute(&mut *tx)
            .await?;
        let mut event = AuditEvent::new(AuditAction::Undo, "process event", Some(stored.id.0))
            .group(group)
            .detail(format!("session {number}: tally {}", stored.event.code));
        if let Some(member) = stored.event.member_id {
            event = event.member(member);
        }
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn record_transcript_events(
        &self,
        by: &AuditContext,
        session: SessionId,
        counts: &TranscriptCounts,
        events: &[ProcessEvent],
    ) -> Result<u64> {
        if events
            .iter()
            .any(|e| e.session_id != session || e.source != EventSource::Transcript)
        {
            return Err(StoreError::Refused(
                "every event must be a transcript event of this session".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let (group, number) = session_group(&mut tx, session).await?;
        check_rostered(
            &mut tx,
            group,
            events
                .iter()
                .filter_map(|e| e.member_id)
                .chain(counts.talk.iter().map(|(m, _)| *m)),
        )
        .await?;
        sqlx::query("DELETE FROM process_events WHERE session_id = $1 AND source = 'transcript'")
            .bind(session.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM transcript_talk WHERE session_id = $1")
            .bind(session.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO transcript_counts (session_id, utterances, recorded_at) VALUES ($1, $2, $3) \
             ON CONFLICT (session_id) DO UPDATE SET utterances = excluded.utterances, \
             recorded_at = excluded.recorded_at",
        )
        .bind(session.0)
        .bind(i64::from(counts.utterances))
        .bind(ts(by.at))
        .execute(&mut *tx)
        .await?;
        let mut talk: BTreeMap<MemberId, u32> = BTreeMap::new();
        for (member, n) in &counts.talk {
            *talk.entry(*member).or_default() += n;
        }
        if !talk.is_empty() {
            let mut sql = String::from(
                "INSERT INTO transcript_talk (session_id, member_id, utterances) VALUES ",
            );
            push_value_rows(&mut sql, talk.len(), 3);
            let mut query = sqlx::query(&sql);
            for (member, n) in &talk {
                query = query.bind(session.0).bind(member.0).bind(i64::from(*n));
            }
            query.execute(&mut *tx).await?;
        }
        let pairs: Vec<(&ProcessEvent, Option<MemberId>)> =
            events.iter().map(|e| (e, None)).collect();
        let ids = insert_events(&mut tx, by, &pairs).await?;
        let safety = events
            .iter()
            .filter(|e| e.code == ProcessCode::Safety)
            .count();
        let event = AuditEvent::new(AuditAction::Update, "process event", None)
            .group(group)
            .detail(format!(
                "session {number}: transcript coded, {} utterances, {} events ({safety} safety)",
                counts.utterances,
                ids.len()
            ));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
    }

    async fn session_process(&self, session: SessionId) -> Result<ProcessRecord> {
        process_record(self, "s.id = $1", session.0).await
    }

    async fn group_process(&self, group: GroupId) -> Result<ProcessRecord> {
        process_record(self, "s.group_id = $1", group.0).await
    }
}
