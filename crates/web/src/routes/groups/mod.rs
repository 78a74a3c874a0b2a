//! Groups: the group page, creating a group in a program, and who staffs it.

mod create;
mod show;
mod staff;

use super::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [create::routes(), show::routes(), staff::routes()]
        .into_iter()
        .flatten()
        .collect()
}
