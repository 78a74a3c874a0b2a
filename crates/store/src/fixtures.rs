//! Test fixtures built through the real store: a program, a facilitator, a group with
//! members and weekly sessions. Kept in one place because it calls the group, roster and
//! attendance methods whose shapes the groups work changes.

use domain::{
    AttendanceMark, AttendanceStatus, DisplayName, GroupKind, GroupStaffRole, Member, MemberCode,
    MemberId, Role, Session, SessionId, SessionStatus, User, Username,
};
use jiff::{SignedDuration, Timestamp, civil::Date};

use crate::{AuditContext, NewGroup, NewSession, NewUser, Result, SharedStore};

/// A group ready for evidence: its facilitator (lead), members and sessions.
#[derive(Debug, Clone)]
pub struct GroupFixture {
    pub facilitator: User,
    pub group: domain::Group,
    pub members: Vec<Member>,
    pub sessions: Vec<Session>,
}

/// A closed group of `planned` weekly sessions starting on `starts_on` at 18:00 UTC, with
/// `members` members enrolled from the start (codes derived from the group id and position) and its
/// first `held` sessions held, the rest planned.
pub async fn group(
    store: &SharedStore,
    by: &AuditContext,
    name: &str,
    members: usize,
    held: u32,
    planned: u32,
    starts_on: Date,
) -> Result<GroupFixture> {
    let program = match store.programs().await?.into_iter().next() {
        Some(program) => program,
        None => store.create_program(by, "Fixtures", "").await?,
    };
    let username = format!("fac.{}", store.users().await?.len() + 1);
    let facilitator = store
        .create_user(
            by,
            &NewUser {
                username: Username::parse(&username)?,
                display_name: DisplayName::parse(&username)?,
                role: Role::Facilitator,
                password_hash: "not-a-real-hash".into(),
                programs: vec![program.id],
            },
        )
        .await?;
    let group = store
        .create_group(
            by,
            &NewGroup {
                program_id: program.id,
                name: name.to_owned(),
                kind: GroupKind::Closed,
                planned_sessions: Some(planned),
                capacity: Some(12),
                schedule: "Weekly".into(),
                // Sessions are added below, so their statuses are the fixture's.
                meeting: None,
                starts_on,
            },
        )
        .await?;
    store
        .assign_staff(by, group.id, facilitator.id, GroupStaffRole::Lead)
        .await?;
    let mut people = Vec::with_capacity(members);
    for n in 0..members {
        let code = MemberCode::parse(&code_for(group.id.0, n))?;
        let member = store.create_member(by, &code, None).await?;
        store.enroll(by, member.id, group.id, starts_on).await?;
        people.push(member);
    }
    let first: Timestamp = starts_on
        .at(18, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|err| crate::StoreError::Refused(err.to_string()))?
        .timestamp();
    let mut sessions = Vec::with_capacity(planned as usize);
    for number in 1..=planned {
        let scheduled_at = first
            .checked_add(SignedDuration::from_hours(24 * 7 * i64::from(number - 1)))
            .map_err(|err| crate::StoreError::Refused(err.to_string()))?;
        let status = if number <= held {
            SessionStatus::Held
        } else {
            SessionStatus::Planned
        };
        sessions.push(
            store
                .create_session(
                    by,
                    &NewSession {
                        group_id: group.id,
                        number,
                        scheduled_at,
                        status,
                    },
                )
                .await?,
        );
    }
    Ok(GroupFixture {
        facilitator,
        group,
        members: people,
        sessions,
    })
}

/// A member code unique per group (up to 100 groups) and member (up to 100 per group).
fn code_for(group: i64, member: usize) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut n = u64::try_from(group).unwrap_or(0) * 100 + member as u64;
    let mut body = String::new();
    for _ in 0..4 {
        let digit = usize::try_from(n % ALPHABET.len() as u64).unwrap_or(0);
        body.push(ALPHABET.get(digit).map_or('2', |b| char::from(*b)));
        n /= ALPHABET.len() as u64;
    }
    format!("M-{body}")
}

/// Records one attendance mark: late ones ten minutes late, early leavers a quarter hour
/// early (the fixture's sessions last the default 90 minutes).
pub async fn mark(
    store: &SharedStore,
    by: &AuditContext,
    session: SessionId,
    member: MemberId,
    status: AttendanceStatus,
) -> Result<()> {
    let (late, early) = match status {
        AttendanceStatus::Late => (10, 0),
        AttendanceStatus::LeftEarly => (0, 15),
        _ => (0, 0),
    };
    let mark = AttendanceMark::new(status, late, early, 90)?;
    store
        .record_attendance(by, session, member, mark)
        .await
        .map(|_| ())
}
