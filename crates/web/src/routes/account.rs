//! `GET /account` and `POST /account/password`: a user's own account. Changing one's own
//! password needs the current one, and ends every session (this one gets a fresh one).

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::CookieJar;
use domain::{Action, PasswordPolicy, Resource, can};
use serde::Deserialize;

use super::RouteDef;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser, session},
    views::Chrome,
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/account", page),
        RouteDef::post("/account/password", change_password),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    username: String,
    changed: bool,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct AccountQuery {
    changed: Option<String>,
}

async fn page(current: CurrentUser, Query(query): Query<AccountQuery>) -> AccountPage {
    AccountPage {
        chrome: Chrome::new(&current, "Account", "/account"),
        username: current.user.username.to_string(),
        changed: query.changed.is_some(),
        error: None,
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

impl std::fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordForm { .. }")
    }
}

async fn change_password(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    if !can(
        &current.actor,
        Action::Manage,
        Resource::Account(current.user.id),
    ) {
        return Err(WebError::NotFound);
    }
    let refuse = |message: String| {
        let page = AccountPage {
            chrome: Chrome::new(&current, "Account", "/account"),
            username: current.user.username.to_string(),
            changed: false,
            error: Some(message),
        };
        (StatusCode::BAD_REQUEST, page).into_response()
    };
    let credentials = state
        .store
        .credentials(&current.user.username)
        .await?
        .ok_or(WebError::NotFound)?;
    if !state
        .passwords
        .verify(form.current_password, Some(credentials.password_hash))
        .await?
    {
        return Ok(refuse("Your current password is not right.".into()));
    }
    if let Err(err) = PasswordPolicy::default().check(&form.new_password) {
        return Ok(refuse(format!("New password: {err}.")));
    }
    let hash = state.passwords.hash(form.new_password).await?;
    let now = state.now();
    state
        .store
        .set_password_hash(&by, current.user.id, &hash)
        .await?;
    // Every session ended with the change; give this browser a fresh one.
    let cookie = session::start(&state, current.user.id, now).await?;
    Ok((jar.add(cookie), Redirect::to("/account?changed=1")).into_response())
}
