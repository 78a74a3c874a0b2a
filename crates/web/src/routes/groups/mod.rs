//! Groups: the group page, creating a group in a program, and who staffs it.

mod create;
pub(crate) mod list;
mod show;
mod staff;

use super::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [
        list::routes(),
        create::routes(),
        show::routes(),
        staff::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
