//! The demo group's questionnaires: for each held session a kiosk the facilitator opened,
//! the members' GCQ-S answers following `synth::climate` (the ideal path with one resisting
//! member and one withdrawing), and PHQ-9 and GAD-7 at intake, midway and the latest
//! session (`synth::outcomes`), submitted the way a kiosk does: one group commit per session.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use domain::{GroupId, MemberId, SessionCode, SessionStatus};
use jiff::{SignedDuration, Timestamp};
use rand::{SeedableRng, rngs::StdRng};
use store::{
    AuditContext, DEFAULT_KIOSK_LIFETIME, InstrumentRef, NewKiosk, NewResponse, ResponseSource,
    SharedStore, StoreError, Submission,
};
use synth::climate::{DEMO_CLIMATE_SEED, demo_climate, demo_plan};
use synth::outcomes::{OUTCOME_SESSIONS, demo_outcomes};

use super::accounts::DemoAccounts;

/// Seed of the kiosk codes and the outcome answers (the climate has its own).
const SEED: u64 = 2026;
/// Members answer as the session ends.
const ANSWERED_AFTER: SignedDuration = SignedDuration::from_mins(80);

/// Seeds the answers and returns the demo group.
pub async fn seed(
    store: &SharedStore,
    accounts: &DemoAccounts,
    now: Timestamp,
) -> anyhow::Result<GroupId> {
    let actor = store.actor(accounts.facilitator.id).await?;
    let name = synth::demo_group(0, now.to_zoned(jiff::tz::TimeZone::UTC).date()).name;
    let Some(group) = store
        .groups_visible_to(&actor)
        .await?
        .into_iter()
        .find(|g| g.name == name)
    else {
        bail!("the demo group was not seeded");
    };
    // Members were created in the plan's order, so their ids are in it too.
    let mut members: Vec<MemberId> = store
        .roster(group.id)
        .await?
        .iter()
        .map(|e| e.member.id)
        .collect();
    members.sort();
    members.dedup();
    let sessions: Vec<_> = store
        .sessions(group.id)
        .await?
        .into_iter()
        .filter(|s| s.status == SessionStatus::Held)
        .collect();
    let attended: BTreeMap<(i64, MemberId), bool> = store
        .group_attendance(group.id)
        .await?
        .into_iter()
        .map(|m| ((m.session_id.0, m.member_id), m.status.attended()))
        .collect();
    let held = u32::try_from(sessions.len()).unwrap_or(0);
    let climate = demo_climate(held, &mut StdRng::seed_from_u64(DEMO_CLIMATE_SEED));
    let mut rng = StdRng::seed_from_u64(SEED);
    let outcomes = demo_outcomes(&demo_plan(held), &climate, &mut rng);
    let registry = store.instrument_registry().await?;

    for (session, drawn) in sessions.iter().zip(&climate) {
        let opened = AuditContext::user(&accounts.facilitator, "demo", session.scheduled_at);
        let mut instruments = vec![InstrumentRef::new("gcqs", 1)];
        if OUTCOME_SESSIONS.contains(&session.number) {
            instruments.push(InstrumentRef::new("phq9", 1));
            instruments.push(InstrumentRef::new("gad7", 1));
        }
        let new = NewKiosk {
            session_id: session.id,
            instruments,
            expires_at: session.scheduled_at.checked_add(DEFAULT_KIOSK_LIFETIME)?,
        };
        let kiosk = open_kiosk(store, &opened, &new, &mut rng).await?;
        let submitted_at = session.scheduled_at.checked_add(ANSWERED_AFTER)?;
        let mut answers: Vec<(usize, &str, Vec<Option<u8>>)> = drawn
            .members
            .iter()
            .enumerate()
            .filter_map(|(member, draw)| {
                Some((
                    member,
                    "gcqs",
                    draw.answers?.iter().map(|a| Some(*a)).collect(),
                ))
            })
            .collect();
        answers.extend(
            outcomes
                .iter()
                .filter(|o| o.session == session.number)
                .map(|o| {
                    (
                        o.member,
                        o.instrument,
                        o.answers.iter().map(|a| Some(*a)).collect(),
                    )
                }),
        );
        let mut batch = Vec::new();
        for (member, instrument, answers) in answers {
            let Some(member_id) = members.get(member).copied() else {
                continue;
            };
            // Only members the register has in the room answer.
            if !attended
                .get(&(session.id.0, member_id))
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            let def = registry
                .version(instrument, 1)
                .with_context(|| format!("the bundled {instrument}"))?;
            batch.push(Submission {
                by: AuditContext::system("kiosk", "kiosk", submitted_at),
                response: NewResponse {
                    session_id: session.id,
                    member_id,
                    instrument: instrument.to_owned(),
                    version: 1,
                    raises: analysis::safety_alerts_for_answers(
                        def,
                        group.id,
                        session.id,
                        session.number,
                        member_id,
                        &answers,
                    ),
                    answers,
                    source: ResponseSource::Kiosk,
                    kiosk_id: Some(kiosk.id),
                    entered_by: None,
                    submitted_at,
                },
            });
        }
        let outcomes = store.submit_responses_batch(&batch).await?;
        if let Some(refused) = outcomes.iter().find(|o| !o.is_accepted()) {
            bail!("a demo answer was not stored: {refused:?}");
        }
        let closed = AuditContext::user(
            &accounts.facilitator,
            "demo",
            submitted_at.checked_add(SignedDuration::from_mins(10))?,
        );
        store.close_kiosk(&closed, kiosk.id).await?;
    }
    Ok(group.id)
}

/// Opens a kiosk with a fresh code, drawing again in the unlikely case it is taken.
async fn open_kiosk(
    store: &SharedStore,
    by: &AuditContext,
    new: &NewKiosk,
    rng: &mut StdRng,
) -> anyhow::Result<store::Kiosk> {
    for _ in 0..5 {
        match store.open_kiosk(by, &SessionCode::random(rng), new).await {
            Err(StoreError::Taken(_)) => continue,
            other => return Ok(other?),
        }
    }
    bail!("no free kiosk code after five draws")
}
