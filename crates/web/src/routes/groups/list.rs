//! `GET /groups`: every group the viewer may see, with its members, sessions and next
//! meeting. The home page shows the same rows under "My groups".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::{Action, Resource, can};
use store::WorkspaceOverview;

use super::super::RouteDef;
use crate::{
    AppState, WebError,
    auth::CurrentUser,
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/groups", page)]
}

/// One group in a list of groups.
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub program: String,
    pub kind: &'static str,
    pub active_members: u32,
    pub held: u32,
    pub planned: Option<u32>,
    pub next_session: String,
}

pub fn group_rows(overview: &WorkspaceOverview, local: &LocalTime) -> Vec<GroupRow> {
    overview
        .groups
        .iter()
        .map(|summary| GroupRow {
            id: summary.group.id.0,
            name: summary.group.name.clone(),
            program: summary.program_name.clone(),
            kind: summary.group.kind.label(),
            active_members: summary.active_members,
            held: summary.held,
            planned: summary.group.planned_sessions,
            next_session: summary.next_session.as_ref().map_or_else(
                || "None planned".to_owned(),
                |s| local.date_time(s.scheduled_at),
            ),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "groups.html")]
struct GroupsPage {
    chrome: Chrome,
    groups: Vec<GroupRow>,
    can_create_group: bool,
}

async fn page(State(state): State<AppState>, current: CurrentUser) -> Result<GroupsPage, WebError> {
    if !can(&current.actor, Action::View, Resource::Workspace) {
        return Err(WebError::NotFound);
    }
    let overview = state
        .store
        .workspace_overview(&current.actor, state.now())
        .await?;
    let local = LocalTime::from(overview.zone.clone());
    Ok(GroupsPage {
        chrome: Chrome::new(&current, "Groups", "/groups"),
        groups: group_rows(&overview, &local),
        can_create_group: can(&current.actor, Action::CreateGroup, Resource::Workspace),
    })
}
