//! Administration (admins only): organisation settings, programs and user accounts.
//! Anyone else gets the same 404 as for a page that does not exist.

mod overview;
mod programs;
mod settings;
mod user;
mod users;

use domain::{Action, ProgramId, Resource, Role, can};

use super::RouteDef;
use crate::{WebError, auth::CurrentUser};

pub fn routes() -> Vec<RouteDef> {
    [
        overview::routes(),
        settings::routes(),
        programs::routes(),
        users::routes(),
        user::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn require_admin(current: &CurrentUser) -> Result<(), WebError> {
    if can(&current.actor, Action::Manage, Resource::Administration) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// A role in a `<select>`.
struct RoleOption {
    value: &'static str,
    label: &'static str,
}

fn role_options() -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|role| RoleOption {
            value: role.as_str(),
            label: role.label(),
        })
        .collect()
}

/// A program as a checkbox.
struct ProgramChoice {
    id: i64,
    name: String,
    checked: bool,
}

fn program_choices(programs: &[domain::Program], chosen: &[ProgramId]) -> Vec<ProgramChoice> {
    programs
        .iter()
        .map(|p| ProgramChoice {
            id: p.id.0,
            name: p.name.clone(),
            checked: chosen.contains(&p.id),
        })
        .collect()
}

/// Parses a role from a form; a forged value is refused, not guessed at.
fn parse_role(raw: &str) -> Result<Role, WebError> {
    raw.parse()
        .map_err(|err: domain::ParseError| WebError::BadRequest(err.to_string()))
}

/// Keeps only program ids that exist; a forged id is refused.
fn known_programs(programs: &[domain::Program], ids: &[i64]) -> Result<Vec<ProgramId>, WebError> {
    ids.iter()
        .map(|id| {
            programs
                .iter()
                .find(|p| p.id.0 == *id)
                .map(|p| p.id)
                .ok_or_else(|| {
                    WebError::BadRequest("one of the chosen programs does not exist".into())
                })
        })
        .collect()
}
