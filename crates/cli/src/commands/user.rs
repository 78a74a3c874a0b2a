//! `circlework user ...`: accounts from the command line, the way to create the first admin.
//! Passwords come from standard input (`--password-stdin`) or are generated and shown once;
//! they are never taken as arguments, which other users of the machine could read.

use std::io::Read;

use anyhow::{Context, bail};
use domain::{Clock, DisplayName, PasswordPolicy, ProgramId, Role, Username};
use rand::Rng;
use store::{AuditContext, NewUser, SharedStore};
use web::{SystemClock, auth::password::PasswordHasher};

use super::{DatabaseArgs, open_store};

/// `circlework user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account.
    Add(AddArgs),
    /// List accounts with their role and state.
    List(ListArgs),
    /// Disable an account and end its sessions.
    Disable(OneUserArgs),
    /// Enable a disabled account.
    Enable(OneUserArgs),
    /// Unlock an account locked after failed sign-ins.
    Unlock(OneUserArgs),
    /// Set a new password (ends the user's sessions).
    ResetPassword(PasswordArgs),
}

/// Arguments of `circlework user add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Sign-in name: letters, digits, '.', '-' or '_'.
    #[arg(long)]
    username: String,
    /// Name shown to colleagues.
    #[arg(long)]
    display_name: String,
    /// admin, supervisor, facilitator, co-facilitator or participant.
    #[arg(long)]
    role: Role,
    /// Program the user belongs to (by name); repeat for several.
    #[arg(long = "program")]
    programs: Vec<String>,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    password_stdin: bool,
}

/// Arguments of `circlework user list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    database: DatabaseArgs,
}

/// Arguments naming one user.
#[derive(Debug, clap::Args)]
pub struct OneUserArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[arg(long)]
    username: String,
}

/// Arguments of `circlework user reset-password`.
#[derive(Debug, clap::Args)]
pub struct PasswordArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[arg(long)]
    username: String,
    /// Read the new password from standard input instead of generating one.
    #[arg(long)]
    password_stdin: bool,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    let by = AuditContext::system("cli", "cli", SystemClock.now());
    match command {
        Command::Add(args) => add(args, &by).await,
        Command::List(args) => list(args).await,
        Command::Disable(args) => {
            let (store, id) = find(&args).await?;
            store.disable_user(&by, id).await?;
            println!("Disabled {} and ended their sessions.", args.username);
            Ok(())
        }
        Command::Enable(args) => {
            let (store, id) = find(&args).await?;
            store.enable_user(&by, id).await?;
            println!("Enabled {}.", args.username);
            Ok(())
        }
        Command::Unlock(args) => {
            let (store, id) = find(&args).await?;
            store.unlock_user(&by, id).await?;
            println!("Unlocked {}.", args.username);
            Ok(())
        }
        Command::ResetPassword(args) => {
            let one = OneUserArgs {
                database: args.database,
                username: args.username,
            };
            let (store, id) = find(&one).await?;
            let (password, generated) = password(args.password_stdin)?;
            let hash = PasswordHasher::default().hash(password.clone()).await?;
            store.set_password_hash(&by, id, &hash).await?;
            report_password(&one.username, &password, generated);
            Ok(())
        }
    }
}

async fn add(args: AddArgs, by: &AuditContext) -> anyhow::Result<()> {
    let username = Username::parse(&args.username)?;
    let display_name = DisplayName::parse(&args.display_name)?;
    let store = open_store(&args.database.database_url).await?;
    let programs = program_ids(&store, &args.programs).await?;
    let (password, generated) = password(args.password_stdin)?;
    let password_hash = PasswordHasher::default().hash(password.clone()).await?;
    let user = store
        .create_user(
            by,
            &NewUser {
                username,
                display_name,
                role: args.role,
                password_hash,
                programs,
            },
        )
        .await?;
    println!("Created {} ({}).", user.username, user.role.label());
    report_password(user.username.as_str(), &password, generated);
    Ok(())
}

async fn list(args: ListArgs) -> anyhow::Result<()> {
    let store = open_store(&args.database.database_url).await?;
    println!("{:<24} {:<16} {:<10} NAME", "USERNAME", "ROLE", "STATE");
    for user in store.users().await? {
        let state = match (user.disabled_at, user.locked_at) {
            (Some(_), _) => "disabled",
            (None, Some(_)) => "locked",
            (None, None) => "active",
        };
        println!(
            "{:<24} {:<16} {:<10} {}",
            user.username,
            user.role.as_str(),
            state,
            user.display_name
        );
    }
    Ok(())
}

async fn find(args: &OneUserArgs) -> anyhow::Result<(SharedStore, domain::UserId)> {
    let username = Username::parse(&args.username)?;
    let store = open_store(&args.database.database_url).await?;
    let credentials = store
        .credentials(&username)
        .await?
        .with_context(|| format!("no user named {username}"))?;
    Ok((store, credentials.user.id))
}

async fn program_ids(store: &SharedStore, names: &[String]) -> anyhow::Result<Vec<ProgramId>> {
    let programs = store.programs().await?;
    names
        .iter()
        .map(|name| {
            programs
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
                .map(|p| p.id)
                .with_context(|| format!("no program named {name:?}"))
        })
        .collect()
}

/// The password to set, and whether it was generated here.
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        let password = input.trim_end_matches(['\r', '\n']).to_owned();
        if let Err(err) = PasswordPolicy::default().check(&password) {
            bail!("{err}");
        }
        return Ok((password, false));
    }
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let password = (0..20)
        .map(|_| {
            char::from(
                ALPHABET
                    .get(rng.random_range(0..ALPHABET.len()))
                    .copied()
                    .unwrap_or(b'x'),
            )
        })
        .collect();
    Ok((password, true))
}

fn report_password(username: &str, password: &str, generated: bool) {
    if generated {
        println!(
            "Password for {username} (shown once; they can change it under Account): {password}"
        );
    } else {
        println!("Password set for {username}.");
    }
}
