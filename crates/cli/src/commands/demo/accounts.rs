//! Demo accounts and the program they work in.

use domain::{DisplayName, ProgramId, Role, User, Username};
use store::{AuditContext, NewUser, SharedStore};
use web::auth::password::PasswordHasher;

use super::DEMO_PASSWORD;

/// The fixed demo sign-ins, printed by the demo and listed in the README.
pub const DEMO_LOGINS: [(&str, &str); 4] = [
    ("demo.facilitator", "facilitator of the demo group"),
    ("demo.cofacilitator", "co-facilitator of the demo group"),
    ("demo.supervisor", "supervisor of the demo program"),
    ("demo.admin", "administrator"),
];

pub const PROGRAM_NAME: &str = "Reentry and Recovery";

/// The demo's people, for the seeding steps that follow.
#[derive(Debug)]
pub struct DemoAccounts {
    pub program: ProgramId,
    pub facilitator: User,
    pub cofacilitator: User,
}

pub async fn seed(store: &SharedStore, by: &AuditContext) -> anyhow::Result<DemoAccounts> {
    let mut settings = store.settings().await?;
    settings.name = "Riverside Community Counselling (demo)".into();
    store.update_settings(by, &settings).await?;
    let program = store
        .create_program(
            by,
            PROGRAM_NAME,
            "Groups for men returning from prison and recovering from addiction.",
        )
        .await?;
    // One hash for all four: the password is the same and Argon2 is deliberately slow.
    let hash = PasswordHasher::default()
        .hash(DEMO_PASSWORD.to_owned())
        .await?;
    let people = [
        ("demo.facilitator", "Jordan Avery", Role::Facilitator),
        ("demo.cofacilitator", "Priya Nair", Role::CoFacilitator),
        ("demo.supervisor", "Helen Okafor", Role::Supervisor),
        ("demo.admin", "Sam Whitford", Role::Admin),
    ];
    let mut created = Vec::new();
    for (username, name, role) in people {
        let new = NewUser {
            username: Username::parse(username)?,
            display_name: DisplayName::parse(name)?,
            role,
            password_hash: hash.clone(),
            programs: vec![program.id],
        };
        created.push(store.create_user(by, &new).await?);
    }
    let mut created = created.into_iter();
    match (created.next(), created.next()) {
        (Some(facilitator), Some(cofacilitator)) => Ok(DemoAccounts {
            program: program.id,
            facilitator,
            cofacilitator,
        }),
        _ => anyhow::bail!("demo accounts were not created"),
    }
}
