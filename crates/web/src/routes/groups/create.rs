//! `GET /groups/new` and `POST /groups`: a new group in a program the user may manage
//! (admins: any; supervisors: their own programs).

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, GroupKind, Program, ProgramId, Resource, can};
use serde::Deserialize;
use store::NewGroup;

use super::super::RouteDef;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/groups/new", page),
        RouteDef::post("/groups", create),
    ]
}

/// The form as typed, kept when it is refused.
#[derive(Debug, Clone, Default, Deserialize)]
struct GroupForm {
    #[serde(default)]
    program: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    planned_sessions: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    schedule: String,
    #[serde(default)]
    starts_on: String,
}

struct KindOption {
    value: &'static str,
    label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "group_new.html")]
struct NewGroupPage {
    chrome: Chrome,
    programs: Vec<Program>,
    kinds: Vec<KindOption>,
    form: GroupForm,
    error: Option<String>,
}

/// Programs in which `current` may create groups.
async fn manageable_programs(
    state: &AppState,
    current: &CurrentUser,
) -> Result<Vec<Program>, WebError> {
    Ok(state
        .store
        .programs()
        .await?
        .into_iter()
        .filter(|p| can(&current.actor, Action::CreateGroup, Resource::Program(p.id)))
        .collect())
}

fn kinds() -> Vec<KindOption> {
    vec![
        KindOption {
            value: "closed",
            label: "Closed: everyone starts together",
        },
        KindOption {
            value: "open",
            label: "Open: members join at any session",
        },
        KindOption {
            value: "rolling",
            label: "Rolling: members join at set points",
        },
    ]
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    form: GroupForm,
    error: Option<String>,
) -> Result<NewGroupPage, WebError> {
    let programs = manageable_programs(state, current).await?;
    if programs.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(NewGroupPage {
        chrome: Chrome::new(current, "New group", "/home"),
        programs,
        kinds: kinds(),
        form,
        error,
    })
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<NewGroupPage, WebError> {
    let today = LocalTime::new(&state.settings().await?.time_zone).date(state.now());
    let form = GroupForm {
        kind: "closed".into(),
        starts_on: today.to_string(),
        ..GroupForm::default()
    };
    render(&state, &current, form, None).await
}

fn parse(form: &GroupForm, programs: &[Program]) -> Result<NewGroup, String> {
    let program_id = form
        .program
        .parse::<i64>()
        .ok()
        .and_then(|id| programs.iter().find(|p| p.id.0 == id))
        .map(|p| p.id)
        .ok_or("choose one of your programs")?;
    let optional_count = |raw: &str, field: &str| -> Result<Option<u32>, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse()
            .map(Some)
            .map_err(|_| format!("{field}: {raw:?} is not a whole number"))
    };
    Ok(NewGroup {
        program_id: ProgramId(program_id.0),
        name: form.name.trim().to_owned(),
        kind: form.kind.parse::<GroupKind>().map_err(|e| e.to_string())?,
        planned_sessions: optional_count(&form.planned_sessions, "planned sessions")?,
        capacity: optional_count(&form.capacity, "capacity")?,
        schedule: form.schedule.trim().to_owned(),
        starts_on: form
            .starts_on
            .trim()
            .parse()
            .map_err(|_| "start date: use YYYY-MM-DD".to_owned())?,
    })
}

async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    Form(form): Form<GroupForm>,
) -> Result<Response, WebError> {
    let programs = manageable_programs(&state, &current).await?;
    if programs.is_empty() {
        return Err(WebError::NotFound);
    }
    let refuse = |message: String, form: GroupForm| async {
        let page = render(&state, &current, form, Some(message)).await?;
        Ok::<_, WebError>((StatusCode::BAD_REQUEST, page).into_response())
    };
    let new = match parse(&form, &programs) {
        Ok(new) => new,
        Err(message) => return refuse(message, form).await,
    };
    match state.store.create_group(&by, &new).await {
        Ok(group) => Ok(Redirect::to(&format!("/groups/{}", group.id)).into_response()),
        Err(store::StoreError::Refused(message)) => refuse(message, form).await,
        Err(err) => Err(err.into()),
    }
}
