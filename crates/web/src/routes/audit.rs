//! `GET /audit` and `GET /audit.csv`: the audit viewer for admins and supervisors,
//! filterable by user, member, group and date; supervisors see rows about their programs'
//! groups only. Downloading the CSV is itself audited.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use domain::{Action, GroupId, MemberCode, Resource, Role, UserId, can};
use jiff::{Timestamp, ToSpan, civil::Date, tz::TimeZone};
use serde::Deserialize;
use store::{AuditAction, AuditContext, AuditEvent, AuditFilter, AuditRow};

use super::RouteDef;
use crate::{
    AppState, WebError,
    auth::CurrentUser,
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/audit", page),
        RouteDef::get("/audit.csv", csv_download),
    ]
}

const PAGE_LIMIT: u32 = 500;
const CSV_LIMIT: u32 = 100_000;

/// The filter as typed in the form (kept for redisplay).
#[derive(Debug, Clone, Default, Deserialize)]
struct FilterForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct Choice {
    id: i64,
    label: String,
    selected: bool,
}

struct Row {
    seq: i64,
    when: String,
    actor: String,
    origin: String,
    action: String,
    what: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    filter: FilterForm,
    query: String,
    users: Vec<Choice>,
    groups: Vec<Choice>,
    rows: Vec<Row>,
    limit: usize,
    scoped: bool,
    error: Option<String>,
}

/// Names for the ids in audit rows, and the scope of what this viewer may see.
struct Context {
    zone: TimeZone,
    group_names: HashMap<i64, String>,
    member_codes: HashMap<i64, String>,
    usernames: HashMap<i64, String>,
    within_groups: Option<Vec<GroupId>>,
}

async fn context(state: &AppState, current: &CurrentUser) -> Result<Context, WebError> {
    if !can(&current.actor, Action::View, Resource::AuditLog) {
        return Err(WebError::NotFound);
    }
    let groups = state.store.groups_visible_to(&current.actor).await?;
    let mut member_codes = HashMap::new();
    for group in &groups {
        for entry in state.store.roster(group.id).await? {
            member_codes.insert(entry.member.id.0, entry.member.code.to_string());
        }
    }
    let within_groups =
        (current.user.role != Role::Admin).then(|| groups.iter().map(|g| g.id).collect());
    let usernames = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id.0, u.username.to_string()))
        .collect();
    Ok(Context {
        usernames,
        zone: TimeZone::get(&state.settings().await?.time_zone).unwrap_or(TimeZone::UTC),
        group_names: groups.iter().map(|g| (g.id.0, g.name.clone())).collect(),
        member_codes,
        within_groups,
    })
}

/// Turns the typed filter into a store filter; dates are whole days in the organisation's zone.
async fn store_filter(
    state: &AppState,
    context: &Context,
    form: &FilterForm,
    limit: u32,
) -> Result<AuditFilter, String> {
    let mut filter = AuditFilter {
        within_groups: context.within_groups.clone(),
        limit,
        ..AuditFilter::default()
    };
    if !form.user.is_empty() {
        filter.actor_id = Some(UserId(
            form.user.parse().map_err(|_| "unknown user".to_owned())?,
        ));
    }
    if !form.group.is_empty() {
        filter.group_id = Some(GroupId(
            form.group.parse().map_err(|_| "unknown group".to_owned())?,
        ));
    }
    if !form.member.trim().is_empty() {
        let code = MemberCode::parse(&form.member).map_err(|e| e.to_string())?;
        let member = state
            .store
            .member_by_code(&code)
            .await
            .map_err(|e| e.to_string())?;
        // An unknown code filters to nothing rather than saying whether it exists.
        filter.member_id = Some(member.map_or(domain::MemberId(0), |m| m.id));
    }
    let day_start = |raw: &str, what: &str| -> Result<Option<Timestamp>, String> {
        if raw.is_empty() {
            return Ok(None);
        }
        let day: Date = raw
            .parse()
            .map_err(|_| format!("{what}: {raw:?} is not a date (YYYY-MM-DD)"))?;
        day.to_zoned(context.zone.clone())
            .map(|z| Some(z.timestamp()))
            .map_err(|e| e.to_string())
    };
    filter.from = day_start(&form.from, "from")?;
    filter.until = match day_start(&form.to, "to")? {
        Some(start) => Some(start.checked_add(24.hours()).map_err(|e| e.to_string())?),
        None => None,
    };
    Ok(filter)
}

fn describe(row: &AuditRow, context: &Context) -> String {
    let mut what = row.entity.clone();
    if let Some(member) = row.member_id {
        what = format!(
            "{what} · member {}",
            context
                .member_codes
                .get(&member)
                .cloned()
                .unwrap_or_else(|| format!("#{member}"))
        );
    } else if let (Some(id), "user") = (row.entity_id, row.entity.as_str()) {
        what = format!(
            "user {}",
            context
                .usernames
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("#{id}"))
        );
    } else if let Some(id) = row.entity_id {
        what = format!("{what} #{id}");
    }
    if let Some(group) = row.group_id {
        what = format!(
            "{what} · {}",
            context
                .group_names
                .get(&group)
                .cloned()
                .unwrap_or_else(|| format!("group #{group}"))
        );
    }
    what
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(form): Query<FilterForm>,
) -> Result<AuditPage, WebError> {
    let context = context(&state, &current).await?;
    let local = LocalTime::new(&state.settings().await?.time_zone);
    let (rows, error) = match store_filter(&state, &context, &form, PAGE_LIMIT).await {
        Ok(filter) => (state.store.audit_rows(&filter).await?, None),
        Err(message) => (Vec::new(), Some(message)),
    };
    let rows = rows
        .iter()
        .map(|row| Row {
            seq: row.seq,
            when: row
                .at
                .parse::<Timestamp>()
                .map_or_else(|_| row.at.clone(), |at| local.date_time(at)),
            actor: row.actor.clone(),
            origin: row.origin.clone(),
            action: row.action.clone(),
            what: describe(row, &context),
            detail: row.detail.clone(),
        })
        .collect();
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| Choice {
            id: u.id.0,
            selected: form.user == u.id.to_string(),
            label: format!("{} ({})", u.display_name, u.username),
        })
        .collect();
    let mut groups: Vec<Choice> = context
        .group_names
        .iter()
        .map(|(id, name)| Choice {
            id: *id,
            label: name.clone(),
            selected: form.group == id.to_string(),
        })
        .collect();
    groups.sort_by(|a, b| a.label.cmp(&b.label));
    let query = serde_urlencoded_query(&form);
    Ok(AuditPage {
        chrome: Chrome::new(&current, "Audit log", "/audit").sensitive(),
        scoped: context.within_groups.is_some(),
        filter: form,
        query,
        users,
        groups,
        rows,
        limit: PAGE_LIMIT as usize,
        error,
    })
}

fn serde_urlencoded_query(form: &FilterForm) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("user", &form.user)
        .append_pair("member", &form.member)
        .append_pair("group", &form.group)
        .append_pair("from", &form.from)
        .append_pair("to", &form.to)
        .finish()
}

async fn csv_download(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(form): Query<FilterForm>,
) -> Result<Response, WebError> {
    let context = context(&state, &current).await?;
    let filter = store_filter(&state, &context, &form, CSV_LIMIT)
        .await
        .map_err(WebError::BadRequest)?;
    let rows = state.store.audit_rows(&filter).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "seq",
        "at_utc",
        "actor",
        "actor_id",
        "origin",
        "action",
        "entity",
        "entity_id",
        "group_id",
        "member_id",
        "member_code",
        "detail",
        "prev_hash",
        "hash",
    ];
    writer
        .write_record(header)
        .map_err(|e| WebError::Internal(e.into()))?;
    let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for row in &rows {
        let code = row
            .member_id
            .and_then(|id| context.member_codes.get(&id).cloned())
            .unwrap_or_default();
        writer
            .write_record([
                row.seq.to_string(),
                row.at.clone(),
                row.actor.clone(),
                text(row.actor_id),
                row.origin.clone(),
                row.action.clone(),
                row.entity.clone(),
                text(row.entity_id),
                text(row.group_id),
                text(row.member_id),
                code,
                row.detail.clone(),
                row.prev_hash.clone(),
                row.hash.clone(),
            ])
            .map_err(|e| WebError::Internal(e.into()))?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?;
    let by = AuditContext::user(&current.user, "web", state.now());
    let event = AuditEvent::new(AuditAction::Export, "audit_log", None)
        .detail(format!("csv, {} rows", rows.len()));
    state.store.record(&by, &event).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"circlework-audit.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
