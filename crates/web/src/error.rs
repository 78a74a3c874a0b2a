//! The web error type: a safe message for the person, the cause for the log only.

use askama::Template;
use axum::{
    Json,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use store::StoreError;

/// What went wrong, as the person asking should hear it.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Unknown id, or one the user may not see: the same answer, so ids don't leak.
    #[error("not found")]
    NotFound,
    /// The JSON API without a signed-in session.
    #[error("sign in required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(&'static str),
    /// Input that cannot be used; the message says what to fix.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// The record is locked against this change (a signed note), or already recorded (a
    /// second questionnaire response); nothing changed.
    #[error("{0}")]
    Conflict(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for WebError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Taken(what) => {
                WebError::BadRequest(format!("that {what} is already taken"))
            }
            StoreError::Refused(why) => WebError::BadRequest(why),
            StoreError::Invalid { message, .. } => WebError::BadRequest(message),
            StoreError::Locked(why) => WebError::Conflict(why),
            // A second questionnaire response: 409, the first is kept.
            err @ StoreError::Duplicate { .. } => WebError::Conflict(err.to_string()),
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for WebError {
    fn from(err: anyhow::Error) -> Self {
        WebError::Internal(err)
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn public_message(&self) -> String {
        match self {
            WebError::NotFound => "There is nothing here, or it is not yours to see.".into(),
            WebError::Internal(_) => "Something went wrong on our side. Nothing you entered was half-saved; please try again.".into(),
            other => other.to_string(),
        }
    }

    fn log(&self) {
        if let WebError::Internal(cause) = self {
            tracing::error!(error = %format!("{cause:#}"), "request failed");
        }
    }

    /// The same error as JSON, for API routes.
    pub fn json(self) -> ApiError {
        ApiError(self)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, WebError::Unauthorized) {
            return ApiError(self).into_response();
        }
        let status = self.status();
        let page = ErrorPage {
            status: status.as_u16(),
            title: status.canonical_reason().unwrap_or("Error"),
            message: self.public_message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        }
    }
}

/// A `WebError` rendered as `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(err: WebError) -> Self {
        ApiError(err)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let body = serde_json::json!({ "error": self.0.public_message() });
        (self.0.status(), Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_response_is_a_conflict_and_says_the_first_is_kept() {
        let err = WebError::from(StoreError::Duplicate {
            what: "response",
            item: None,
        });
        assert_eq!(err.status(), StatusCode::CONFLICT);
        assert_eq!(err.to_string(), "response was already recorded");
    }
}
