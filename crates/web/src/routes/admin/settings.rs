//! `GET`/`POST /admin/settings`: organisation name, time zone, logoff, lockout, alert thresholds.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use domain::OrganisationSettings;
use serde::Deserialize;

use super::{RouteDef, require_admin};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    views::{Chrome, is_known_time_zone},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/admin/settings", page),
        RouteDef::post("/admin/settings", save),
    ]
}

/// The form as typed, so a refused form comes back with what the admin entered.
#[derive(Debug, Clone, Deserialize)]
struct SettingsForm {
    name: String,
    time_zone: String,
    idle_logoff_minutes: String,
    lockout_threshold: String,
    alert_conflict_level: String,
    alert_conflict_rise: String,
    alert_consecutive_absences: String,
}

impl From<&OrganisationSettings> for SettingsForm {
    fn from(s: &OrganisationSettings) -> Self {
        Self {
            name: s.name.clone(),
            time_zone: s.time_zone.clone(),
            idle_logoff_minutes: s.idle_logoff_minutes.to_string(),
            lockout_threshold: s.lockout_threshold.to_string(),
            alert_conflict_level: s.alert_conflict_level.to_string(),
            alert_conflict_rise: s.alert_conflict_rise.to_string(),
            alert_consecutive_absences: s.alert_consecutive_absences.to_string(),
        }
    }
}

impl SettingsForm {
    fn parse(&self) -> Result<OrganisationSettings, String> {
        fn number<T: std::str::FromStr>(raw: &str, field: &str) -> Result<T, String> {
            raw.trim()
                .parse()
                .map_err(|_| format!("{field}: {raw:?} is not a number"))
        }
        let time_zone = self.time_zone.trim().to_owned();
        if !is_known_time_zone(&time_zone) {
            return Err(format!(
                "time zone: {time_zone:?} is not a known time zone name (e.g. Europe/London)"
            ));
        }
        let settings = OrganisationSettings {
            name: self.name.trim().to_owned(),
            time_zone,
            idle_logoff_minutes: number(&self.idle_logoff_minutes, "idle logoff")?,
            lockout_threshold: number(&self.lockout_threshold, "lockout threshold")?,
            alert_conflict_level: number(&self.alert_conflict_level, "conflict level")?,
            alert_conflict_rise: number(&self.alert_conflict_rise, "conflict rise")?,
            alert_consecutive_absences: number(
                &self.alert_consecutive_absences,
                "consecutive absences",
            )?,
        };
        settings.validate().map_err(|e| e.to_string())?;
        Ok(settings)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    form: SettingsForm,
    saved: bool,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<Saved>,
) -> Result<SettingsPage, WebError> {
    require_admin(&current)?;
    let settings = state.store.settings().await?;
    Ok(SettingsPage {
        chrome: Chrome::new(&current, "Settings", "/admin"),
        form: SettingsForm::from(&settings),
        saved: query.saved.is_some(),
        error: None,
    })
}

async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let refuse = |message: String| {
        let page = SettingsPage {
            chrome: Chrome::new(&current, "Settings", "/admin"),
            form: form.clone(),
            saved: false,
            error: Some(message),
        };
        (StatusCode::BAD_REQUEST, page).into_response()
    };
    let settings = match form.parse() {
        Ok(settings) => settings,
        Err(message) => return Ok(refuse(message)),
    };
    match state.store.update_settings(&by, &settings).await {
        Ok(()) => {
            state.forget_settings();
            Ok(Redirect::to("/admin/settings?saved=1").into_response())
        }
        Err(store::StoreError::Refused(message)) => Ok(refuse(message)),
        Err(err) => Err(err.into()),
    }
}
