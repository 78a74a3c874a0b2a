//! `kiosks`: sessions opened for members' questionnaires, found by the hash of their code.

use std::collections::HashMap;

use async_trait::async_trait;
use blake2::{Blake2b, Digest, digest::consts::U32};
use domain::{GroupId, SessionCode, SessionId, SessionStatus, UserId};
use jiff::Timestamp;
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, KioskStore, Result, SqlStore, StoreError, audit,
    codec::{RowExt, placeholders, ts},
    evidence::{InstrumentRef, Kiosk, KioskId, KioskLookup, NewKiosk},
    tables::responses::definitions,
};

const KIOSK_COLUMNS: &str = "k.id, k.session_id, s.group_id, s.number, k.instruments, \
     k.created_by, k.created_at, k.expires_at, k.closed_at";

/// The stored form of a code: BLAKE2b-256, domain-separated from other hashes. Codes are
/// short-lived and guesses are rate-limited online; the hash keeps live codes out of the
/// database and its backups (it does not stop an offline search of the small code space).
fn code_hash(code: &SessionCode) -> String {
    let mut hasher = Blake2b::<U32>::new();
    hasher.update(b"circlework kiosk code\0");
    hasher.update(code.as_str().as_bytes());
    hex::encode(hasher.finalize())
}

fn encode_instruments(instruments: &[InstrumentRef]) -> String {
    instruments
        .iter()
        .map(|i| format!("{}@{}", i.id, i.version))
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_instruments(text: &str) -> Result<Vec<InstrumentRef>> {
    text.split(' ')
        .map(|part| {
            part.split_once('@')
                .and_then(|(id, version)| Some(InstrumentRef::new(id, version.parse().ok()?)))
                .ok_or_else(|| StoreError::Corrupt(format!("kiosk instrument {part:?}")))
        })
        .collect()
}

fn kiosk_from_row(row: &AnyRow) -> Result<Kiosk> {
    Ok(Kiosk {
        id: KioskId(row.int("id")?),
        session_id: SessionId(row.int("session_id")?),
        group_id: GroupId(row.int("group_id")?),
        session_number: row.u32("number")?,
        instruments: decode_instruments(&row.text("instruments")?)?,
        created_by: row.opt_int("created_by")?.map(UserId),
        created_at: row.timestamp("created_at")?,
        expires_at: row.timestamp("expires_at")?,
        closed_at: row.opt_timestamp("closed_at")?,
    })
}

/// Kiosks by id (one query), for checking a batch of submissions.
pub(crate) async fn by_ids(
    tx: &mut Transaction<'static, Any>,
    ids: &[i64],
) -> Result<HashMap<KioskId, Kiosk>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT {KIOSK_COLUMNS} FROM kiosks k JOIN sessions s ON s.id = k.session_id \
         WHERE k.id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| kiosk_from_row(row).map(|k| (k.id, k)))
        .collect()
}

async fn fetch_kiosk(tx: &mut Transaction<'static, Any>, id: KioskId) -> Result<Kiosk> {
    by_ids(tx, &[id.0])
        .await?
        .remove(&id)
        .ok_or(StoreError::NotFound)
}

fn audit_event(kiosk: &Kiosk, what: &str) -> AuditEvent {
    AuditEvent::new(AuditAction::Update, "kiosk", Some(kiosk.id.0))
        .group(kiosk.group_id)
        .detail(format!("session {}: {what}", kiosk.session_number))
}

#[async_trait]
impl KioskStore for SqlStore {
    async fn open_kiosk(
        &self,
        by: &AuditContext,
        code: &SessionCode,
        new: &NewKiosk,
    ) -> Result<Kiosk> {
        if new.instruments.is_empty() {
            return Err(StoreError::Refused(
                "choose at least one questionnaire".into(),
            ));
        }
        if new.expires_at <= by.at {
            return Err(StoreError::Refused(
                "a kiosk must stay open for some time".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let status: String = sqlx::query_scalar("SELECT status FROM sessions WHERE id = $1")
            .bind(new.session_id.0)
            .fetch_one(&mut *tx)
            .await?;
        if status.parse::<SessionStatus>()? == SessionStatus::Cancelled {
            return Err(StoreError::Refused("that session was cancelled".into()));
        }
        let known = definitions(&mut tx, new.instruments.iter().cloned()).await?;
        if let Some(missing) = new.instruments.iter().find(|i| !known.contains_key(i)) {
            return Err(StoreError::Refused(format!(
                "there is no instrument {} version {}",
                missing.id, missing.version
            )));
        }
        let hash = code_hash(code);
        // An expired kiosk with the same code gives it up before the unique index is asked.
        sqlx::query(
            "UPDATE kiosks SET closed_at = expires_at WHERE code_hash = $1 AND closed_at IS NULL \
             AND expires_at <= $2",
        )
        .bind(&hash)
        .bind(ts(by.at))
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kiosks (code_hash, session_id, instruments, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&hash)
        .bind(new.session_id.0)
        .bind(encode_instruments(&new.instruments))
        .bind(by.actor_id.map(|u| u.0))
        .bind(ts(by.at))
        .bind(ts(new.expires_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::error::taken_or("session code"))?;
        let kiosk = fetch_kiosk(&mut tx, KioskId(id)).await?;
        let event = AuditEvent::new(AuditAction::Create, "kiosk", Some(id))
            .group(kiosk.group_id)
            .detail(format!(
                "session {}: {} until {}",
                kiosk.session_number,
                encode_instruments(&kiosk.instruments),
                ts(kiosk.expires_at)
            ));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(kiosk)
    }

    async fn kiosk(&self, id: KioskId) -> Result<Kiosk> {
        let row = sqlx::query(&format!(
            "SELECT {KIOSK_COLUMNS} FROM kiosks k JOIN sessions s ON s.id = k.session_id WHERE k.id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        kiosk_from_row(&row)
    }

    async fn kiosk_by_code(&self, code: &SessionCode, at: Timestamp) -> Result<KioskLookup> {
        // The live kiosk with the code if there is one, else the newest that had it.
        let row = sqlx::query(&format!(
            "SELECT {KIOSK_COLUMNS} FROM kiosks k JOIN sessions s ON s.id = k.session_id \
             WHERE k.code_hash = $1 \
             ORDER BY CASE WHEN k.closed_at IS NULL THEN 0 ELSE 1 END, k.id DESC LIMIT 1"
        ))
        .bind(code_hash(code))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(KioskLookup::Unknown);
        };
        let kiosk = kiosk_from_row(&row)?;
        Ok(if kiosk.closed_at.is_some_and(|c| c < kiosk.expires_at) {
            KioskLookup::Closed(kiosk)
        } else if kiosk.is_open_at(at) {
            KioskLookup::Open(kiosk)
        } else {
            KioskLookup::Expired(kiosk)
        })
    }

    async fn session_kiosks(&self, session: SessionId) -> Result<Vec<Kiosk>> {
        let rows = sqlx::query(&format!(
            "SELECT {KIOSK_COLUMNS} FROM kiosks k JOIN sessions s ON s.id = k.session_id \
             WHERE k.session_id = $1 ORDER BY k.id DESC"
        ))
        .bind(session.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(kiosk_from_row).collect()
    }

    async fn close_kiosk(&self, by: &AuditContext, id: KioskId) -> Result<Kiosk> {
        let mut tx = self.begin_write().await?;
        let before = fetch_kiosk(&mut tx, id).await?;
        if before.closed_at.is_some() {
            return Ok(before);
        }
        // Closing after expiry records the expiry, so the kiosk still reads as expired.
        let closed_at = by.at.min(before.expires_at);
        sqlx::query("UPDATE kiosks SET closed_at = $1 WHERE id = $2")
            .bind(ts(closed_at))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let kiosk = fetch_kiosk(&mut tx, id).await?;
        audit::append(&mut tx, by, &audit_event(&kiosk, "closed")).await?;
        tx.commit().await?;
        Ok(kiosk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_hash_the_same_way_whatever_the_typing() {
        let a = SessionCode::parse("ab3-d7k").unwrap();
        let b = SessionCode::parse("AB3D7K").unwrap();
        assert_eq!(code_hash(&a), code_hash(&b));
        assert_ne!(
            code_hash(&a),
            code_hash(&SessionCode::parse("AB3D7M").unwrap())
        );
        assert!(!code_hash(&a).contains("AB3D7K"));
    }

    #[test]
    fn instrument_lists_round_trip() {
        let list = vec![InstrumentRef::new("phq9", 1), InstrumentRef::new("gcqs", 2)];
        assert_eq!(encode_instruments(&list), "phq9@1 gcqs@2");
        assert_eq!(decode_instruments("phq9@1 gcqs@2").unwrap(), list);
        assert!(decode_instruments("phq9").is_err());
    }
}
