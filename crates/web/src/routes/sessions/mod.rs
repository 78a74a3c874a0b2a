//! Sessions: the session page, the hub of one meeting of a group, and what can happen to
//! a session (held, cancelled, moved, added).

mod actions;
mod show;

use super::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [show::routes(), actions::routes()]
        .into_iter()
        .flatten()
        .collect()
}
