//! Sessions: the session page, the hub of one meeting of a group, and what can happen to
//! a session (held, cancelled, moved, added).

mod actions;
mod attendance;
mod show;

use super::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [show::routes(), actions::routes(), attendance::routes()]
        .into_iter()
        .flatten()
        .collect()
}
