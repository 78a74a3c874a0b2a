//! `GET /groups/new` and `POST /groups`: a new group in a program the user may create
//! groups in (admins: any; supervisors: their own programs). Its sessions are planned from
//! its schedule the moment it is created.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, Program, Resource, can};
use store::NewGroup;

use super::{
    super::RouteDef,
    setup::{self, Choice, GroupForm},
};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    form::{FieldErrors, store_refusal},
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/groups/new", page),
        RouteDef::post("/groups", create),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "group_form.html")]
pub struct GroupFormPage {
    pub chrome: Chrome,
    pub heading: String,
    pub action: String,
    pub cancel_href: String,
    pub submit: &'static str,
    /// Programs to choose from (new groups); empty when editing.
    pub programs: Vec<Program>,
    pub program_name: String,
    pub kinds: Vec<Choice>,
    pub weekdays: Vec<Choice>,
    pub form: GroupForm,
    pub errors: FieldErrors,
    /// Editing a group that has held sessions: its first date is fixed.
    pub start_fixed: bool,
}

/// Programs in which `current` may create groups.
async fn creatable_programs(
    state: &AppState,
    current: &CurrentUser,
) -> Result<Vec<Program>, WebError> {
    let programs: Vec<Program> = state
        .store
        .programs()
        .await?
        .into_iter()
        .filter(|p| can(&current.actor, Action::CreateGroup, Resource::Program(p.id)))
        .collect();
    if programs.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(programs)
}

fn render(
    current: &CurrentUser,
    programs: Vec<Program>,
    form: GroupForm,
    errors: FieldErrors,
) -> GroupFormPage {
    GroupFormPage {
        chrome: Chrome::new(current, "New group", "/groups"),
        heading: "New group".into(),
        action: "/groups".into(),
        cancel_href: "/groups".into(),
        submit: "Create group",
        programs,
        program_name: String::new(),
        kinds: setup::kinds(),
        weekdays: setup::weekdays(),
        form,
        errors,
        start_fixed: false,
    }
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<GroupFormPage, WebError> {
    let programs = creatable_programs(&state, &current).await?;
    let today = LocalTime::new(&state.settings().await?.time_zone).date(state.now());
    Ok(render(
        &current,
        programs,
        GroupForm::new(today),
        FieldErrors::default(),
    ))
}

async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    Form(form): Form<GroupForm>,
) -> Result<Response, WebError> {
    let programs = creatable_programs(&state, &current).await?;
    let mut errors = FieldErrors::default();
    let program = form
        .program
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| programs.iter().find(|p| p.id.0 == id))
        .map(|p| p.id);
    if program.is_none() {
        errors.add("program", "Choose one of your programs.");
    }
    let parsed = setup::parse(&form, &mut errors);
    let (Some(program_id), Some(setup), true) = (program, parsed, errors.is_empty()) else {
        let page = render(&current, programs, form, errors);
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    let new = NewGroup {
        program_id,
        name: setup.name,
        kind: setup.kind,
        planned_sessions: setup.planned_sessions,
        capacity: setup.capacity,
        schedule: String::new(),
        meeting: Some(setup.meeting),
        starts_on: setup.starts_on,
    };
    match state.store.create_group(&by, &new).await {
        Ok(group) => {
            Ok(Redirect::to(&format!("/groups/{}?done=created", group.id)).into_response())
        }
        Err(err) => {
            let errors = store_refusal(err, "name")?;
            let page = render(&current, programs, form, errors);
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}
