//! The demo group: members, past sessions with attendance, and the sessions still to come.

use domain::GroupStaffRole;
use jiff::{Timestamp, tz::TimeZone};
use store::{AuditContext, NewGroup, NewSession, SharedStore};

use super::accounts::DemoAccounts;

/// Same seed, same demo: the codes in the README and the screenshots stay true.
const SEED: u64 = 2017;

pub async fn seed(
    store: &SharedStore,
    by: &AuditContext,
    accounts: &DemoAccounts,
    now: Timestamp,
) -> anyhow::Result<()> {
    let zone = TimeZone::get(&store.settings().await?.time_zone).unwrap_or(TimeZone::UTC);
    let today = now.to_zoned(zone.clone()).date();
    let plan = synth::demo_group(SEED, today);
    let group = store
        .create_group(
            by,
            &NewGroup {
                program_id: accounts.program,
                name: plan.name.to_owned(),
                kind: plan.kind,
                planned_sessions: Some(plan.planned_sessions),
                capacity: Some(plan.capacity),
                schedule: plan.schedule.clone(),
                starts_on: plan.starts_on,
            },
        )
        .await?;
    store
        .assign_staff(by, group.id, accounts.facilitator.id, GroupStaffRole::Lead)
        .await?;
    store
        .assign_staff(
            by,
            group.id,
            accounts.cofacilitator.id,
            GroupStaffRole::CoFacilitator,
        )
        .await?;

    let mut members = Vec::new();
    for planned in &plan.members {
        let member = store
            .create_member(by, &planned.code, Some(&planned.alias))
            .await?;
        store
            .enroll(by, member.id, group.id, planned.joined_on)
            .await?;
        members.push(member);
    }
    for (member, planned) in members.iter().zip(&plan.members) {
        if let Some((left_on, reason)) = planned.left {
            store
                .end_enrollment(by, member.id, group.id, left_on, reason)
                .await?;
        }
    }
    for planned in &plan.sessions {
        let scheduled_at = planned
            .date
            .to_datetime(planned.time)
            .to_zoned(zone.clone())?
            .timestamp();
        let session = store
            .create_session(
                by,
                &NewSession {
                    group_id: group.id,
                    number: planned.number,
                    scheduled_at,
                    status: planned.status,
                },
            )
            .await?;
        for (member, status) in members.iter().zip(&planned.attendance) {
            if let Some(status) = status {
                store
                    .record_attendance(by, session.id, member.id, *status)
                    .await?;
            }
        }
    }
    Ok(())
}
