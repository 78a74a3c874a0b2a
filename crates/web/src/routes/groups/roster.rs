//! The roster: enroll a member (`GET /groups/{id}/roster/new`, `POST /groups/{id}/roster`)
//! with a generated code or one from an outside record, an alias the group's staff see and
//! a kiosk label; one member's stays in the group (`GET /groups/{id}/roster/{member}`), their
//! alias and kiosk label (`POST` to it) and their leaving (`POST .../leave`). Allowed to
//! those who manage the group. Members who join mid-course are expected at every later
//! session from their joining date, with no booking.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{
    Action, Group, GroupId, LeaveReason, MemberAlias, MemberCode, MemberId, member::KIOSK_LABEL,
};
use serde::Deserialize;
use store::{NewEnrollment, StoreError};

use super::super::RouteDef;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    form::{self, FieldErrors, store_refusal},
    guard::{self, PathId, PathIds},
    views::{Chrome, LocalTime, day},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/groups/{id}/roster/new", new_page),
        RouteDef::post("/groups/{id}/roster", enroll),
        RouteDef::get("/groups/{id}/roster/{member}", member_page),
        RouteDef::post("/groups/{id}/roster/{member}", save_details),
        RouteDef::post("/groups/{id}/roster/{member}/leave", leave),
    ]
}

/// How many generated codes to try before giving up (each is checked by the database).
const CODE_ATTEMPTS: usize = 8;

#[derive(Debug, Clone, Default, Deserialize)]
struct EnrollForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    existing: Option<String>,
    #[serde(default)]
    alias: String,
    #[serde(default)]
    kiosk_label: String,
    #[serde(default)]
    joined_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "roster_new.html")]
struct EnrollPage {
    chrome: Chrome,
    group_id: i64,
    group_name: String,
    form: EnrollForm,
    errors: FieldErrors,
}

fn enroll_page(
    current: &CurrentUser,
    group: &Group,
    form: EnrollForm,
    errors: FieldErrors,
) -> EnrollPage {
    EnrollPage {
        chrome: Chrome::new(
            current,
            format!("Enroll a member in {}", group.name),
            "/groups",
        )
        .sensitive(),
        group_id: group.id.0,
        group_name: group.name.clone(),
        form,
        errors,
    }
}

async fn new_page(
    State(state): State<AppState>,
    current: CurrentUser,
    PathId(id): PathId,
) -> Result<EnrollPage, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    let today = LocalTime::new(&state.settings().await?.time_zone).date(state.now());
    let form = EnrollForm {
        joined_on: today.max(group.starts_on).to_string(),
        ..EnrollForm::default()
    };
    Ok(enroll_page(&current, &group, form, FieldErrors::default()))
}

async fn enroll(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<EnrollForm>,
) -> Result<Response, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    let mut errors = FieldErrors::default();
    let existing = form.existing.is_some();
    let typed = form.code.trim();
    let code = if typed.is_empty() {
        if existing {
            errors.add("code", "Type the code of the member to enroll.");
        }
        None
    } else {
        errors
            .check(
                "code",
                MemberCode::parse(typed)
                    .map(Some)
                    .map_err(|e| format!("The code {}.", e.reason)),
            )
            .flatten()
    };
    let alias = match form.alias.trim() {
        "" => None,
        raw => errors
            .check(
                "alias",
                MemberAlias::parse(raw)
                    .map(Some)
                    .map_err(|e| format!("The alias {}.", e.reason)),
            )
            .flatten(),
    };
    let kiosk_label = errors
        .check(
            "kiosk_label",
            KIOSK_LABEL
                .clean(&form.kiosk_label)
                .map_err(|e| format!("The kiosk label {}.", e.reason)),
        )
        .filter(|label| !label.is_empty());
    let joined_on = errors.check("joined_on", form::date(&form.joined_on, "Joining date"));
    let refuse = |form, errors| {
        (
            StatusCode::BAD_REQUEST,
            enroll_page(&current, &group, form, errors),
        )
            .into_response()
    };
    let Some(joined_on) = joined_on.filter(|_| errors.is_empty()) else {
        return Ok(refuse(form, errors));
    };
    let mut new = NewEnrollment {
        code: code
            .clone()
            .unwrap_or_else(|| MemberCode::random(&mut rand::rng())),
        existing,
        alias,
        kiosk_label,
        joined_on,
    };
    let mut attempts = 0;
    loop {
        attempts += 1;
        match state.store.enroll_member(&by, group.id, &new).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/groups/{}?done=enrolled#roster-heading",
                    group.id
                ))
                .into_response());
            }
            // A generated code that happens to be taken: draw another.
            Err(StoreError::Invalid { field: "code", .. })
                if code.is_none() && attempts < CODE_ATTEMPTS =>
            {
                new.code = MemberCode::random(&mut rand::rng());
            }
            Err(err) => {
                let errors = store_refusal(err, "code")?;
                return Ok(refuse(form, errors));
            }
        }
    }
}

/// One stay, as the member's roster page lists it.
struct StayLine {
    joined: String,
    left: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "roster_member.html")]
struct MemberPage {
    chrome: Chrome,
    group_id: i64,
    group_name: String,
    member_id: i64,
    code: String,
    alias: String,
    kiosk_label: String,
    stays: Vec<StayLine>,
    on_roster: bool,
    reasons: Vec<(&'static str, &'static str)>,
    left_on: String,
    reason: String,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct LeaveForm {
    #[serde(default)]
    left_on: String,
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct DetailsForm {
    #[serde(default)]
    alias: String,
    #[serde(default)]
    kiosk_label: String,
}

/// The member's page within the group, from the group page read (audited as a view).
async fn render_member(
    state: &AppState,
    current: &CurrentUser,
    by: &store::AuditContext,
    (group, member): (GroupId, MemberId),
    typed: (Option<DetailsForm>, Option<LeaveForm>),
    errors: FieldErrors,
) -> Result<MemberPage, WebError> {
    guard::group(state, current, group, Action::Manage).await?;
    let overview = state
        .store
        .group_overview(by, &current.actor, group)
        .await?;
    let line = overview
        .roster
        .iter()
        .find(|line| line.member.id == member)
        .ok_or(WebError::NotFound)?;
    let latest = line.latest().ok_or(WebError::NotFound)?;
    let (details, leave) = typed;
    let details = details.unwrap_or_else(|| DetailsForm {
        alias: line
            .member
            .alias
            .as_ref()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default(),
        kiosk_label: latest.kiosk_label.clone().unwrap_or_default(),
    });
    let leave = leave.unwrap_or_else(|| LeaveForm {
        left_on: overview.today.to_string(),
        reason: LeaveReason::Completed.as_str().into(),
    });
    Ok(MemberPage {
        chrome: Chrome::new(
            current,
            format!("{} in {}", line.member.code, overview.group.name),
            "/groups",
        )
        .sensitive(),
        group_id: group.0,
        group_name: overview.group.name.clone(),
        member_id: member.0,
        code: line.member.code.to_string(),
        alias: details.alias,
        kiosk_label: details.kiosk_label,
        stays: line
            .periods
            .iter()
            .map(|stay| StayLine {
                joined: day(stay.joined_on),
                left: match (stay.left_on, stay.leave_reason) {
                    (Some(left), Some(reason)) => format!("{} ({})", day(left), reason.label()),
                    (Some(left), None) => day(left),
                    (None, _) => "On the roster".into(),
                },
            })
            .collect(),
        on_roster: latest.left_on.is_none(),
        reasons: LeaveReason::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
        left_on: leave.left_on,
        reason: leave.reason,
        errors,
        notice: None,
    })
}

#[derive(Debug, Default, Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn member_page(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathIds(group, member): PathIds,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<MemberPage, WebError> {
    let mut page = render_member(
        &state,
        &current,
        &by,
        (GroupId(group), MemberId(member)),
        (None, None),
        FieldErrors::default(),
    )
    .await?;
    if done.done == "saved" {
        page.notice = Some("Alias and kiosk label saved.");
    }
    Ok(page)
}

async fn save_details(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathIds(group, member): PathIds,
    Form(form): Form<DetailsForm>,
) -> Result<Response, WebError> {
    let ids = (GroupId(group), MemberId(member));
    guard::group(&state, &current, ids.0, Action::Manage).await?;
    let mut errors = FieldErrors::default();
    let alias = match form.alias.trim() {
        "" => Some(None),
        raw => errors.check(
            "alias",
            MemberAlias::parse(raw)
                .map(Some)
                .map_err(|e| format!("The alias {}.", e.reason)),
        ),
    };
    let result = match alias {
        Some(alias) if errors.is_empty() => state
            .store
            .update_roster_entry(&by, ids.0, ids.1, alias.as_ref(), Some(&form.kiosk_label))
            .await
            .map(|_| ()),
        _ => Ok(()),
    };
    if errors.is_empty() {
        match result {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/groups/{group}/roster/{member}?done=saved"))
                        .into_response(),
                );
            }
            Err(err) => errors = store_refusal(err, "alias")?,
        }
    }
    let page = render_member(&state, &current, &by, ids, (Some(form), None), errors).await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

async fn leave(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathIds(group, member): PathIds,
    Form(form): Form<LeaveForm>,
) -> Result<Response, WebError> {
    let ids = (GroupId(group), MemberId(member));
    guard::group(&state, &current, ids.0, Action::Manage).await?;
    let mut errors = FieldErrors::default();
    let left_on = errors.check("left_on", form::date(&form.left_on, "Leaving date"));
    let reason = errors.check(
        "reason",
        form.reason
            .parse::<LeaveReason>()
            .map_err(|_| "Choose why the member left.".to_owned()),
    );
    if let (Some(left_on), Some(reason)) = (left_on, reason) {
        match state
            .store
            .end_enrollment(&by, ids.1, ids.0, left_on, reason)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/groups/{group}?done=left#roster-heading"))
                        .into_response(),
                );
            }
            Err(err) => errors = store_refusal(err, "left_on")?,
        }
    }
    let page = render_member(&state, &current, &by, ids, (None, Some(form)), errors).await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}
