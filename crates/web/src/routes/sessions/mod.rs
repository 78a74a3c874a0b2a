//! Sessions: the session page, the hub of one meeting of a group.

mod show;

use super::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    show::routes()
}
