//! `responses`: questionnaire answers, one row per member, instrument and session. Every
//! write goes through [`insert_batch`], so a single paper entry, a CSV import and a group
//! commit of kiosk submissions are checked and audited the same way.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use async_trait::async_trait;
use domain::{GroupId, MemberId, SessionId, SessionStatus, UserId};
use measures::{InstrumentDef, Registry};
use sqlx::{Any, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, NewResponse, OnDuplicate, Response, ResponseId,
    ResponseSource, ResponseStore, Result, SqlStore, StoreError, Submission, SubmitOutcome, audit,
    codec::{RowExt, placeholders, push_value_rows, ts},
    evidence::{InstrumentRef, Kiosk, KioskId},
    tables::{alerts, kiosks},
};

const RESPONSE_COLUMNS: &str = "r.id, r.session_id, s.group_id, r.member_id, r.instrument, \
     r.version, r.answers, r.source, r.kiosk_id, r.entered_by, r.submitted_at";

/// Answers as stored: item values in order, comma-separated, empty for a missing item.
pub(crate) fn encode_answers(answers: &[Option<u8>]) -> String {
    answers
        .iter()
        .map(|a| a.map(|v| v.to_string()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn decode_answers(text: &str) -> Result<Vec<Option<u8>>> {
    text.split(',')
        .map(|field| {
            if field.is_empty() {
                Ok(None)
            } else {
                field
                    .parse::<u8>()
                    .map(Some)
                    .map_err(|_| StoreError::Corrupt(format!("answer {field:?}")))
            }
        })
        .collect()
}

fn response_from_row(row: &AnyRow) -> Result<Response> {
    Ok(Response {
        id: ResponseId(row.int("id")?),
        session_id: SessionId(row.int("session_id")?),
        group_id: GroupId(row.int("group_id")?),
        member_id: MemberId(row.int("member_id")?),
        instrument: row.text("instrument")?,
        version: row.u32("version")?,
        answers: decode_answers(&row.text("answers")?)?,
        source: row.parsed("source")?,
        kiosk_id: row.opt_int("kiosk_id")?.map(KioskId),
        entered_by: row.opt_int("entered_by")?.map(UserId),
        submitted_at: row.timestamp("submitted_at")?,
    })
}

/// The bundled definitions, parsed once per process (they are compiled in).
fn bundled() -> Result<&'static Registry> {
    static BUNDLED: OnceLock<Option<Registry>> = OnceLock::new();
    BUNDLED
        .get_or_init(|| Registry::bundled().ok())
        .as_ref()
        .ok_or_else(|| StoreError::Corrupt("the bundled instrument definitions".into()))
}

/// The definitions `refs` name: bundled ones from memory, the organisation's in one query
/// each. A reference to no definition is left out.
pub(crate) async fn definitions(
    tx: &mut Transaction<'static, Any>,
    refs: impl IntoIterator<Item = InstrumentRef>,
) -> Result<HashMap<InstrumentRef, InstrumentDef>> {
    let bundled = bundled()?;
    let mut out = HashMap::new();
    for wanted in refs.into_iter().collect::<BTreeSet<_>>() {
        if let Some(def) = bundled.version(&wanted.id, wanted.version) {
            out.insert(wanted, def.clone());
            continue;
        }
        let source: Option<String> = sqlx::query_scalar(
            "SELECT source FROM instrument_definitions WHERE instrument = $1 AND version = $2",
        )
        .bind(&wanted.id)
        .bind(i64::from(wanted.version))
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(source) = source {
            let name = format!("stored {} version {}", wanted.id, wanted.version);
            let def = measures::parse_definition(&name, &source)
                .map_err(|err| StoreError::Corrupt(err.to_string()))?;
            out.insert(wanted, def);
        }
    }
    Ok(out)
}

/// A session as a write needs it.
#[derive(Debug, Clone, Copy)]
struct SessionFacts {
    group_id: GroupId,
    number: i64,
    cancelled: bool,
}

/// Binds a list of ids for an `IN (…)` list.
fn bind_ids<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ids: &[i64],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for id in ids {
        query = query.bind(*id);
    }
    query
}

async fn session_facts(
    tx: &mut Transaction<'static, Any>,
    ids: &[i64],
) -> Result<HashMap<SessionId, SessionFacts>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, group_id, number, status FROM sessions WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let rows = bind_ids(sqlx::query(&sql), ids)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| {
            let status: SessionStatus = row.parsed("status")?;
            Ok((
                SessionId(row.int("id")?),
                SessionFacts {
                    group_id: GroupId(row.int("group_id")?),
                    number: row.int("number")?,
                    cancelled: status == SessionStatus::Cancelled,
                },
            ))
        })
        .collect()
}

/// Which of `members` have ever been on which of `groups`' rosters.
async fn rostered(
    tx: &mut Transaction<'static, Any>,
    groups: &[i64],
    members: &[i64],
) -> Result<BTreeSet<(GroupId, MemberId)>> {
    if groups.is_empty() || members.is_empty() {
        return Ok(BTreeSet::new());
    }
    let sql = format!(
        "SELECT DISTINCT group_id, member_id FROM enrollments WHERE group_id IN ({}) AND member_id IN ({})",
        placeholders(1, groups.len()),
        placeholders(groups.len() + 1, members.len())
    );
    let query = bind_ids(bind_ids(sqlx::query(&sql), groups), members);
    let rows = query.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| {
            Ok((
                GroupId(row.int("group_id")?),
                MemberId(row.int("member_id")?),
            ))
        })
        .collect()
}

fn distinct<T: Ord + Copy>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    values
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The refusal of an item for an unknown session (a single write turns it into `NotFound`).
const NO_SESSION: &str = "that session does not exist";

/// Why an item cannot be stored, or `None` when it can.
fn refusal(
    new: &NewResponse,
    session: Option<&SessionFacts>,
    on_roster: bool,
    kiosk: Option<&Kiosk>,
    def: Option<&InstrumentDef>,
) -> Option<String> {
    let Some(session) = session else {
        return Some(NO_SESSION.into());
    };
    if session.cancelled {
        return Some("that session was cancelled".into());
    }
    if !on_roster {
        return Some("that member is not on the group's roster".into());
    }
    match (new.source, new.kiosk_id) {
        (ResponseSource::Kiosk, None) => {
            return Some("a kiosk response needs its kiosk".into());
        }
        (ResponseSource::Kiosk, Some(_)) => {
            if new.entered_by.is_some() {
                return Some("a kiosk response is entered by the member".into());
            }
            let Some(kiosk) = kiosk else {
                return Some("that kiosk does not exist".into());
            };
            if kiosk.session_id != new.session_id {
                return Some("that kiosk is for another session".into());
            }
            if !kiosk.is_open_at(new.submitted_at) {
                return Some(
                    "this session code has expired or was closed; ask your facilitator".into(),
                );
            }
            if !kiosk.offers(&new.instrument, new.version) {
                return Some("that questionnaire is not offered at this kiosk".into());
            }
        }
        (_, Some(_)) => return Some("only kiosk responses name a kiosk".into()),
        (_, None) => {}
    }
    let Some(def) = def else {
        return Some(format!(
            "there is no instrument {} version {}",
            new.instrument, new.version
        ));
    };
    measures::check_answers(def, &new.answers)
        .err()
        .map(|err| err.to_string())
}

/// Checks and stores a batch inside `tx`, with its alerts and audit rows; an outcome per
/// item, in order. Reads: sessions, rosters, kiosks (one query each) and any organisation
/// definitions; writes: one insert of the accepted responses, their alerts, the audit rows.
pub(crate) async fn insert_batch(
    tx: &mut Transaction<'static, Any>,
    items: &[(&AuditContext, &NewResponse)],
) -> Result<Vec<SubmitOutcome>> {
    let session_ids = distinct(items.iter().map(|(_, n)| n.session_id.0));
    let sessions = session_facts(tx, &session_ids).await?;
    let group_ids = distinct(sessions.values().map(|s| s.group_id.0));
    let member_ids = distinct(items.iter().map(|(_, n)| n.member_id.0));
    let roster = rostered(tx, &group_ids, &member_ids).await?;
    let kiosk_ids = distinct(items.iter().filter_map(|(_, n)| n.kiosk_id.map(|k| k.0)));
    let kiosks = kiosks::by_ids(tx, &kiosk_ids).await?;
    let defs = definitions(
        tx,
        items
            .iter()
            .map(|(_, n)| InstrumentRef::new(n.instrument.clone(), n.version)),
    )
    .await?;

    let mut outcomes: Vec<Option<SubmitOutcome>> = vec![None; items.len()];
    let mut candidates: Vec<usize> = Vec::with_capacity(items.len());
    for (index, (_, new)) in items.iter().enumerate() {
        let session = sessions.get(&new.session_id);
        let on_roster = session.is_some_and(|s| roster.contains(&(s.group_id, new.member_id)));
        let kiosk = new.kiosk_id.and_then(|k| kiosks.get(&k));
        let def = defs.get(&InstrumentRef::new(new.instrument.clone(), new.version));
        match refusal(new, session, on_roster, kiosk, def) {
            Some(why) => {
                if let Some(slot) = outcomes.get_mut(index) {
                    *slot = Some(SubmitOutcome::Refused(why));
                }
            }
            None => candidates.push(index),
        }
    }

    // One statement for every candidate; a key already stored (or earlier in the batch)
    // is skipped by the database, which is what makes concurrent batches safe.
    let mut inserted: HashMap<(i64, i64, String), i64> = HashMap::new();
    for chunk in candidates.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO responses (session_id, member_id, instrument, version, answers, source, \
             kiosk_id, entered_by, submitted_at) VALUES ",
        );
        push_value_rows(&mut sql, chunk.len(), 9);
        sql.push_str(
            " ON CONFLICT (session_id, member_id, instrument) DO NOTHING \
             RETURNING id, session_id, member_id, instrument",
        );
        let mut query = sqlx::query(&sql);
        for index in chunk {
            let Some((_, new)) = items.get(*index) else {
                continue;
            };
            query = query
                .bind(new.session_id.0)
                .bind(new.member_id.0)
                .bind(new.instrument.clone())
                .bind(i64::from(new.version))
                .bind(encode_answers(&new.answers))
                .bind(new.source.as_str())
                .bind(new.kiosk_id.map(|k| k.0))
                .bind(new.entered_by.map(|u| u.0))
                .bind(ts(new.submitted_at));
        }
        for row in query.fetch_all(&mut **tx).await? {
            inserted.insert(
                (
                    row.int("session_id")?,
                    row.int("member_id")?,
                    row.text("instrument")?,
                ),
                row.int("id")?,
            );
        }
    }

    let mut audit_rows: Vec<(&AuditContext, AuditEvent)> = Vec::with_capacity(candidates.len());
    let mut raised: Vec<(&AuditContext, &crate::NewAlert)> = Vec::new();
    for index in candidates {
        let Some((by, new)) = items.get(index) else {
            continue;
        };
        let key = (new.session_id.0, new.member_id.0, new.instrument.clone());
        // The first item with a key takes the row; any later one is a duplicate.
        let outcome = match inserted.remove(&key) {
            Some(id) => {
                let session = sessions.get(&new.session_id);
                let mut event = AuditEvent::new(AuditAction::Create, "response", Some(id))
                    .member(new.member_id)
                    .detail(format!(
                        "{} version {}, session {}, {}",
                        new.instrument,
                        new.version,
                        session.map_or(0, |s| s.number),
                        new.source
                    ));
                if let Some(session) = session {
                    event = event.group(session.group_id);
                }
                audit_rows.push((*by, event));
                raised.extend(new.raises.iter().map(|alert| (*by, alert)));
                SubmitOutcome::Accepted(ResponseId(id))
            }
            None => SubmitOutcome::Duplicate,
        };
        if let Some(slot) = outcomes.get_mut(index) {
            *slot = Some(outcome);
        }
    }
    if !raised.is_empty() {
        let timed: Vec<(&crate::NewAlert, jiff::Timestamp)> =
            raised.iter().map(|(by, alert)| (*alert, by.at)).collect();
        let results = alerts::insert_tx(tx, &timed).await?;
        for ((by, alert), result) in raised.iter().zip(results) {
            if let crate::AlertInsert::Raised(id) = result {
                audit_rows.push((*by, alerts::audit_event(alert, id)));
            }
        }
    }
    audit::append_many(tx, &audit_rows).await?;
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| SubmitOutcome::Refused("not processed".into())))
        .collect())
}

async fn fetch_responses(
    store: &SqlStore,
    condition: &str,
    order: &str,
    id: i64,
) -> Result<Vec<Response>> {
    let rows = sqlx::query(&format!(
        "SELECT {RESPONSE_COLUMNS} FROM responses r JOIN sessions s ON s.id = r.session_id \
         WHERE {condition} ORDER BY {order}"
    ))
    .bind(id)
    .fetch_all(&store.pool)
    .await?;
    rows.iter().map(response_from_row).collect()
}

#[async_trait]
impl ResponseStore for SqlStore {
    async fn submit_response(&self, by: &AuditContext, new: &NewResponse) -> Result<Response> {
        let mut tx = self.begin_write().await?;
        let outcome = insert_batch(&mut tx, &[(by, new)]).await?;
        match outcome.into_iter().next() {
            Some(SubmitOutcome::Accepted(id)) => {
                let row = sqlx::query(&format!(
                    "SELECT {RESPONSE_COLUMNS} FROM responses r JOIN sessions s ON s.id = r.session_id \
                     WHERE r.id = $1"
                ))
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
                let response = response_from_row(&row)?;
                tx.commit().await?;
                Ok(response)
            }
            Some(SubmitOutcome::Duplicate) => Err(StoreError::Duplicate {
                what: "response",
                item: None,
            }),
            Some(SubmitOutcome::Refused(why)) if why == NO_SESSION => Err(StoreError::NotFound),
            Some(SubmitOutcome::Refused(why)) => Err(StoreError::Refused(why)),
            None => Err(StoreError::Refused("nothing to store".into())),
        }
    }

    async fn record_responses(
        &self,
        by: &AuditContext,
        items: &[NewResponse],
        on_duplicate: OnDuplicate,
    ) -> Result<Vec<SubmitOutcome>> {
        let mut tx = self.begin_write().await?;
        let batch: Vec<(&AuditContext, &NewResponse)> = items.iter().map(|n| (by, n)).collect();
        let outcomes = insert_batch(&mut tx, &batch).await?;
        if on_duplicate == OnDuplicate::Refuse {
            for (index, outcome) in outcomes.iter().enumerate() {
                match outcome {
                    SubmitOutcome::Accepted(_) => {}
                    SubmitOutcome::Duplicate => {
                        return Err(StoreError::Duplicate {
                            what: "response",
                            item: Some(index + 1),
                        });
                    }
                    SubmitOutcome::Refused(why) => {
                        return Err(StoreError::Refused(format!("item {}: {why}", index + 1)));
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn submit_responses_batch(&self, items: &[Submission]) -> Result<Vec<SubmitOutcome>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let batch: Vec<(&AuditContext, &NewResponse)> =
            items.iter().map(|s| (&s.by, &s.response)).collect();
        let outcomes = insert_batch(&mut tx, &batch).await?;
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn session_responses(&self, session: SessionId) -> Result<Vec<Response>> {
        fetch_responses(
            self,
            "r.session_id = $1",
            "r.member_id, r.instrument",
            session.0,
        )
        .await
    }

    async fn member_responses(&self, member: MemberId) -> Result<Vec<Response>> {
        fetch_responses(
            self,
            "r.member_id = $1",
            "s.scheduled_at, s.id, r.instrument",
            member.0,
        )
        .await
    }

    async fn group_responses(&self, group: GroupId) -> Result<Vec<Response>> {
        fetch_responses(
            self,
            "s.group_id = $1",
            "s.number, r.member_id, r.instrument",
            group.0,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_with_missing_items() {
        for answers in [
            vec![Some(1), Some(0), None, Some(3)],
            vec![None],
            vec![None, None],
            vec![Some(6)],
        ] {
            assert_eq!(decode_answers(&encode_answers(&answers)).unwrap(), answers);
        }
        assert_eq!(encode_answers(&[Some(1), None, Some(2)]), "1,,2");
        assert!(decode_answers("1,x").is_err());
    }
}
