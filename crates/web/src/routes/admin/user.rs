//! `/admin/users/{id}`: one account: role, programs, disable/enable, unlock, reset password.
//! Each change is one audited store call; a refused change re-renders with the reason.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{PasswordPolicy, User, UserId};
use serde::Deserialize;
use store::{AuditContext, StoreError};

use super::{
    ProgramChoice, RoleOption, RouteDef, known_programs, parse_role, program_choices,
    require_admin, role_options, users::state_of,
};
use crate::guard::PathId;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser, password::generate_password},
    views::Chrome,
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/admin/users/{id}", page),
        RouteDef::post("/admin/users/{id}/role", change_role),
        RouteDef::post("/admin/users/{id}/programs", change_programs),
        RouteDef::post("/admin/users/{id}/disable", disable),
        RouteDef::post("/admin/users/{id}/enable", enable),
        RouteDef::post("/admin/users/{id}/unlock", unlock),
        RouteDef::post("/admin/users/{id}/password", reset_password),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
struct UserPage {
    chrome: Chrome,
    user: User,
    state: &'static str,
    program_names: String,
    roles: Vec<RoleOption>,
    programs: Vec<ProgramChoice>,
    notice: Option<&'static str>,
    new_password: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Done {
    done: Option<String>,
}

/// Messages after a change, by a fixed key (no free text travels in the URL).
fn notice_for(key: &str) -> Option<&'static str> {
    Some(match key {
        "role" => "Role changed.",
        "programs" => "Programs saved.",
        "disabled" => "Account disabled; their sessions were ended.",
        "enabled" => "Account enabled.",
        "unlocked" => "Account unlocked.",
        "password" => "Password reset; their sessions were ended.",
        _ => return None,
    })
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    id: UserId,
    notice: Option<&'static str>,
    new_password: Option<String>,
    error: Option<String>,
) -> Result<UserPage, WebError> {
    let user = state.store.user(id).await?;
    let programs = state.store.programs().await?;
    let theirs = state.store.user_programs(id).await?;
    let names: Vec<&str> = programs
        .iter()
        .filter(|p| theirs.contains(&p.id))
        .map(|p| p.name.as_str())
        .collect();
    Ok(UserPage {
        chrome: Chrome::new(current, user.username.to_string(), "/admin"),
        state: state_of(&user),
        program_names: if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        },
        roles: role_options(),
        programs: program_choices(&programs, &theirs),
        user,
        notice,
        new_password,
        error,
    })
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    PathId(id): PathId,
    Query(done): Query<Done>,
) -> Result<UserPage, WebError> {
    require_admin(&current)?;
    render(
        &state,
        &current,
        UserId(id),
        done.done.as_deref().and_then(notice_for),
        None,
        None,
    )
    .await
}

/// Runs one change; a refusal (last admin, bad input) re-renders the page with the reason.
async fn apply(
    state: &AppState,
    current: &CurrentUser,
    id: UserId,
    done: &str,
    change: Result<(), WebError>,
) -> Result<Response, WebError> {
    match change {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response()),
        Err(WebError::BadRequest(message)) => {
            let page = render(state, current, id, None, None, Some(message)).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(err) => Err(err),
    }
}

#[derive(Debug, Deserialize)]
struct RoleForm {
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let id = UserId(id);
    let change = async {
        let role = parse_role(&form.role)?;
        state
            .store
            .set_role(&by, id, role)
            .await
            .map(|_| ())
            .map_err(WebError::from)
    };
    let result = change.await;
    apply(&state, &current, id, "role", result).await
}

#[derive(Debug, Deserialize)]
struct ProgramsForm {
    #[serde(default)]
    program: Vec<i64>,
}

async fn change_programs(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<ProgramsForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let id = UserId(id);
    let change = async {
        let programs = known_programs(&state.store.programs().await?, &form.program)?;
        state
            .store
            .set_user_programs(&by, id, &programs)
            .await
            .map_err(WebError::from)
    };
    let result = change.await;
    apply(&state, &current, id, "programs", result).await
}

/// The one-click account changes: each a single audited store call.
#[derive(Debug, Clone, Copy)]
enum AccountChange {
    Disable,
    Enable,
    Unlock,
}

async fn change_account(
    state: &AppState,
    current: &CurrentUser,
    by: &AuditContext,
    id: UserId,
    change: AccountChange,
) -> Result<Response, WebError> {
    require_admin(current)?;
    let (done, result) = match change {
        AccountChange::Disable => ("disabled", state.store.disable_user(by, id).await),
        AccountChange::Enable => ("enabled", state.store.enable_user(by, id).await),
        AccountChange::Unlock => ("unlocked", state.store.unlock_user(by, id).await),
    };
    apply(
        state,
        current,
        id,
        done,
        result.map(|_| ()).map_err(WebError::from),
    )
    .await
}

async fn disable(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<Response, WebError> {
    change_account(&state, &current, &by, UserId(id), AccountChange::Disable).await
}

async fn enable(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<Response, WebError> {
    change_account(&state, &current, &by, UserId(id), AccountChange::Enable).await
}

async fn unlock(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<Response, WebError> {
    change_account(&state, &current, &by, UserId(id), AccountChange::Unlock).await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

impl std::fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordForm { .. }")
    }
}

async fn reset_password(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let id = UserId(id);
    state.store.user(id).await?;
    let (password, generated) = if form.password.is_empty() {
        let password = generate_password();
        (password.clone(), Some(password))
    } else {
        if let Err(err) = PasswordPolicy::default().check(&form.password) {
            return apply(
                &state,
                &current,
                id,
                "password",
                Err(WebError::BadRequest(format!("password: {err}"))),
            )
            .await;
        }
        (form.password, None)
    };
    let hash = state.passwords.hash(password).await?;
    match state.store.set_password_hash(&by, id, &hash).await {
        Ok(()) => {
            let notice = notice_for("password");
            Ok(render(&state, &current, id, notice, generated, None)
                .await?
                .into_response())
        }
        Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(err) => Err(err.into()),
    }
}
