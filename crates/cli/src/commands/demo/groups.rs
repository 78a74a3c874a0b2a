//! The demo group: members, past sessions with attendance, and the sessions still to come.

use domain::{AttendanceMark, AttendanceStatus, GroupStaffRole, Schedule, SessionStatus};
use jiff::Timestamp;
use store::{AuditContext, NewGroup, SharedStore};

use super::accounts::DemoAccounts;

/// Same seed, same demo: the codes in the README and the screenshots stay true.
const SEED: u64 = 2017;

pub async fn seed(
    store: &SharedStore,
    by: &AuditContext,
    accounts: &DemoAccounts,
    now: Timestamp,
) -> anyhow::Result<()> {
    let zone = jiff::tz::TimeZone::get(&store.settings().await?.time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let today = now.to_zoned(zone).date();
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
                meeting: Some(Schedule::new(
                    plan.starts_on.weekday(),
                    plan.time,
                    plan.minutes,
                )?),
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
    // The group's sessions were planned from its schedule when it was created; the demo
    // marks the past ones held and takes their attendance.
    let sessions = store.sessions(group.id).await?;
    for planned in plan
        .sessions
        .iter()
        .filter(|s| s.status == SessionStatus::Held)
    {
        let Some(session) = sessions.iter().find(|s| s.number == planned.number) else {
            anyhow::bail!("the demo group has no session {}", planned.number);
        };
        store.hold_session(by, session.id).await?;
        for (member, status) in members.iter().zip(&planned.attendance) {
            if let Some(status) = status {
                // Late arrivals come ten minutes in; early leavers go a quarter hour early.
                let mark = match status {
                    AttendanceStatus::Late => AttendanceMark::new(*status, 10, 0, session.minutes)?,
                    AttendanceStatus::LeftEarly => {
                        AttendanceMark::new(*status, 0, 15, session.minutes)?
                    }
                    other => AttendanceMark::plain(*other),
                };
                store
                    .record_attendance(by, session.id, member.id, mark)
                    .await?;
            }
        }
    }
    Ok(())
}
