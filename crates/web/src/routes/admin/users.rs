//! `GET`/`POST /admin/users`: list accounts and add one. A generated initial password is
//! shown once, on the response page, never in a URL.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use axum_extra::extract::Form;
use domain::{DisplayName, PasswordPolicy, Username};
use serde::Deserialize;
use store::NewUser;

use super::{
    ProgramChoice, RoleOption, RouteDef, known_programs, parse_role, program_choices,
    require_admin, role_options,
};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser, password::generate_password},
    views::Chrome,
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/admin/users", page),
        RouteDef::post("/admin/users", create),
    ]
}

struct UserRow {
    id: i64,
    username: String,
    name: String,
    role: &'static str,
    programs: String,
    state: &'static str,
}

struct CreatedUser {
    username: String,
    password: Option<String>,
}

/// What the form showed, so a refused form keeps what was typed (never the password).
#[derive(Default)]
struct FormEcho {
    username: String,
    display_name: String,
    role: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    roles: Vec<RoleOption>,
    programs: Vec<ProgramChoice>,
    form: FormEcho,
    created: Option<CreatedUser>,
    error: Option<String>,
}

pub(super) fn state_of(user: &domain::User) -> &'static str {
    match (user.disabled_at, user.locked_at) {
        (Some(_), _) => "disabled",
        (None, Some(_)) => "locked",
        (None, None) => "active",
    }
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    form: FormEcho,
    chosen: &[domain::ProgramId],
    created: Option<CreatedUser>,
    error: Option<String>,
) -> Result<UsersPage, WebError> {
    let programs = state.store.programs().await?;
    let mut rows = Vec::new();
    for user in state.store.users().await? {
        let theirs = state.store.user_programs(user.id).await?;
        let names: Vec<&str> = programs
            .iter()
            .filter(|p| theirs.contains(&p.id))
            .map(|p| p.name.as_str())
            .collect();
        rows.push(UserRow {
            id: user.id.0,
            username: user.username.to_string(),
            name: user.display_name.to_string(),
            role: user.role.label(),
            programs: names.join(", "),
            state: state_of(&user),
        });
    }
    Ok(UsersPage {
        chrome: Chrome::new(current, "Users", "/admin"),
        users: rows,
        roles: role_options(),
        programs: program_choices(&programs, chosen),
        form,
        created,
        error,
    })
}

async fn page(State(state): State<AppState>, current: CurrentUser) -> Result<UsersPage, WebError> {
    require_admin(&current)?;
    let form = FormEcho {
        role: "facilitator".into(),
        ..FormEcho::default()
    };
    render(&state, &current, form, &[], None, None).await
}

#[derive(Deserialize)]
struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    #[serde(default)]
    program: Vec<i64>,
    #[serde(default)]
    password: String,
}

impl std::fmt::Debug for NewUserForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUserForm")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    Form(form): Form<NewUserForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let echo = FormEcho {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
    };
    let all_programs = state.store.programs().await?;
    let parsed = (|| -> Result<(NewUser, Option<String>, String), WebError> {
        let username =
            Username::parse(&form.username).map_err(|e| WebError::BadRequest(e.to_string()))?;
        let display_name = DisplayName::parse(&form.display_name)
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
        let role = parse_role(&form.role)?;
        let programs = known_programs(&all_programs, &form.program)?;
        let (password, generated) = if form.password.is_empty() {
            let password = generate_password();
            (password.clone(), Some(password))
        } else {
            PasswordPolicy::default()
                .check(&form.password)
                .map_err(|e| WebError::BadRequest(format!("password: {e}")))?;
            (form.password.clone(), None)
        };
        Ok((
            NewUser {
                username,
                display_name,
                role,
                password_hash: String::new(),
                programs,
            },
            generated,
            password,
        ))
    })();
    let chosen: Vec<domain::ProgramId> = form
        .program
        .iter()
        .map(|id| domain::ProgramId(*id))
        .collect();
    let (mut new, generated, password) = match parsed {
        Ok(parsed) => parsed,
        Err(WebError::BadRequest(message)) => {
            let page = render(&state, &current, echo, &chosen, None, Some(message)).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(err) => return Err(err),
    };
    new.password_hash = state.passwords.hash(password).await?;
    match state.store.create_user(&by, &new).await {
        Ok(user) => {
            let created = CreatedUser {
                username: user.username.to_string(),
                password: generated,
            };
            let page = render(
                &state,
                &current,
                FormEcho {
                    role: "facilitator".into(),
                    ..FormEcho::default()
                },
                &[],
                Some(created),
                None,
            )
            .await?;
            Ok((StatusCode::CREATED, page).into_response())
        }
        Err(err @ (store::StoreError::Taken(_) | store::StoreError::Refused(_))) => {
            let page = render(
                &state,
                &current,
                echo,
                &chosen,
                None,
                Some(WebError::from(err).to_string()),
            )
            .await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
