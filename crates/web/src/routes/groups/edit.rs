//! `GET /groups/{id}/edit` and `POST /groups/{id}/edit`: change a group's set-up. A changed
//! meeting or start date moves the planned sessions from tomorrow on; a changed planned
//! number adds or cancels sessions at the end. Allowed to those who manage the group.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, Group, GroupId, GroupStatus};
use store::GroupEdit;

use super::{
    super::RouteDef,
    create::GroupFormPage,
    setup::{self, GroupForm},
};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    form::{FieldErrors, store_refusal},
    guard::{self, PathId},
    views::Chrome,
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/groups/{id}/edit", page),
        RouteDef::post("/groups/{id}/edit", save),
    ]
}

/// The group, if `current` may manage it and it has not ended.
async fn editable(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
) -> Result<(Group, String), WebError> {
    let group = guard::group(state, current, GroupId(id), Action::Manage).await?;
    if group.status == GroupStatus::Ended {
        return Err(WebError::BadRequest(
            "This group has ended; its set-up can no longer change.".into(),
        ));
    }
    let program = state.store.program(group.program_id).await?.name;
    Ok((group, program))
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    group: &Group,
    program_name: String,
    form: GroupForm,
    errors: FieldErrors,
) -> Result<GroupFormPage, WebError> {
    let start_fixed = state
        .store
        .sessions(group.id)
        .await?
        .iter()
        .any(|s| s.status == domain::SessionStatus::Held);
    Ok(GroupFormPage {
        chrome: Chrome::new(current, format!("Edit {}", group.name), "/groups"),
        heading: format!("Edit {}", group.name),
        action: format!("/groups/{}/edit", group.id),
        cancel_href: format!("/groups/{}", group.id),
        submit: "Save changes",
        programs: Vec::new(),
        program_name,
        kinds: setup::kinds(),
        weekdays: setup::weekdays(),
        form,
        errors,
        start_fixed,
    })
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    PathId(id): PathId,
) -> Result<GroupFormPage, WebError> {
    let (group, program) = editable(&state, &current, id).await?;
    let form = GroupForm::of(&group);
    render(
        &state,
        &current,
        &group,
        program,
        form,
        FieldErrors::default(),
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<GroupForm>,
) -> Result<Response, WebError> {
    let (group, program) = editable(&state, &current, id).await?;
    let mut errors = FieldErrors::default();
    let parsed = setup::parse(&form, &mut errors);
    let refuse = |form, errors| async {
        let page = render(&state, &current, &group, program.clone(), form, errors).await?;
        Ok::<_, WebError>((StatusCode::BAD_REQUEST, page).into_response())
    };
    let Some(setup) = parsed.filter(|_| errors.is_empty()) else {
        return refuse(form, errors).await;
    };
    let edit = GroupEdit {
        name: setup.name,
        kind: setup.kind,
        planned_sessions: setup.planned_sessions,
        capacity: setup.capacity,
        meeting: Some(setup.meeting),
        starts_on: setup.starts_on,
    };
    match state.store.update_group(&by, group.id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/groups/{}?done=saved", group.id)).into_response()),
        Err(err) => {
            let errors = store_refusal(err, "name")?;
            refuse(form, errors).await
        }
    }
}
