//! Groups: the group page, creating a group in a program, and who staffs it.

mod create;
mod edit;
mod life;
pub(crate) mod list;
mod roster;
mod setup;
mod show;
mod staff;

use super::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [
        list::routes(),
        create::routes(),
        edit::routes(),
        life::routes(),
        roster::routes(),
        show::routes(),
        staff::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
