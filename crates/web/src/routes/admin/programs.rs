//! `GET`/`POST /admin/programs`: list and create programs.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use domain::Program;
use serde::Deserialize;

use super::{RouteDef, require_admin};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    views::Chrome,
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/admin/programs", page),
        RouteDef::post("/admin/programs", create),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/programs.html")]
struct ProgramsPage {
    chrome: Chrome,
    programs: Vec<Program>,
    created: Option<String>,
    error: Option<String>,
    form_name: String,
    form_description: String,
}

#[derive(Debug, Deserialize)]
struct Created {
    created: Option<i64>,
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<Created>,
) -> Result<ProgramsPage, WebError> {
    require_admin(&current)?;
    let programs = state.store.programs().await?;
    let created = query
        .created
        .and_then(|id| programs.iter().find(|p| p.id.0 == id))
        .map(|p| p.name.clone());
    Ok(ProgramsPage {
        chrome: Chrome::new(&current, "Programs", "/admin"),
        programs,
        created,
        error: None,
        form_name: String::new(),
        form_description: String::new(),
    })
}

#[derive(Debug, Deserialize)]
struct NewProgram {
    name: String,
    #[serde(default)]
    description: String,
}

async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    Form(form): Form<NewProgram>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    match state
        .store
        .create_program(&by, &form.name, &form.description)
        .await
    {
        Ok(program) => {
            Ok(Redirect::to(&format!("/admin/programs?created={}", program.id)).into_response())
        }
        Err(err @ (store::StoreError::Taken(_) | store::StoreError::Refused(_))) => {
            let page = ProgramsPage {
                chrome: Chrome::new(&current, "Programs", "/admin"),
                programs: state.store.programs().await?,
                created: None,
                error: Some(WebError::from(err).to_string()),
                form_name: form.name,
                form_description: form.description,
            };
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
