//! `GET /admin`: the administration overview.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::{RouteDef, require_admin};
use crate::{AppState, WebError, auth::CurrentUser, views::Chrome};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/admin", page)]
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
struct Overview {
    chrome: Chrome,
    organisation: String,
    time_zone: String,
    idle: u32,
    lockout: u32,
    programs: usize,
    users: usize,
    locked: usize,
}

async fn page(State(state): State<AppState>, current: CurrentUser) -> Result<Overview, WebError> {
    require_admin(&current)?;
    let settings = state.settings().await?;
    let users = state.store.users().await?;
    Ok(Overview {
        chrome: Chrome::new(&current, "Administration", "/admin"),
        organisation: settings.name,
        time_zone: settings.time_zone,
        idle: settings.idle_logoff_minutes,
        lockout: settings.lockout_threshold,
        programs: state.store.programs().await?.len(),
        locked: users.iter().filter(|u| u.locked_at.is_some()).count(),
        users: users.len(),
    })
}
