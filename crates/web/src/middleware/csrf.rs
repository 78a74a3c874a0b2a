//! Cross-site request forgery protection for every state-changing request, sign-in included.
//!
//! Two independent checks, both required:
//! 1. Where the request came from: a browser's `Sec-Fetch-Site` must say same-origin (or
//!    none, a typed URL), and an `Origin` header, when sent, must be this server's origin.
//! 2. A token only our pages know: signed-in forms carry the session's CSRF token; the
//!    sign-in form carries the token of the anonymous CSRF cookie. Forms send it as the
//!    `csrf_token` field, scripts as the `X-CSRF-Token` header.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::CookieJar;

use crate::{
    WebError,
    auth::{
        session::{ANONYMOUS_CSRF_COOKIE, SessionState},
        tokens::constant_time_eq,
    },
};

pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Forms bigger than this are not buffered for a token (uploads send the header instead).
const MAX_FORM_BYTES: usize = 1024 * 1024;

const REFUSED: &str =
    "This form came from another site or has expired. Go back, reload the page and try again.";

pub async fn verify(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if !same_origin(request.headers()) {
        return WebError::Forbidden(REFUSED).into_response();
    }
    let expected = match request.extensions().get::<SessionState>() {
        Some(SessionState::SignedIn(current)) => Some(current.csrf_token.clone()),
        _ => CookieJar::from_headers(request.headers())
            .get(ANONYMOUS_CSRF_COOKIE)
            .map(|c| c.value().to_owned()),
    };
    let Some(expected) = expected else {
        return WebError::Forbidden(REFUSED).into_response();
    };
    let (presented, request) = match presented_token(request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match presented {
        Some(token) if constant_time_eq(&token, &expected) => next.run(request).await,
        _ => WebError::Forbidden(REFUSED).into_response(),
    }
}

/// True unless the browser says the request is from another site.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or(""))
    {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            !host.is_empty()
                && origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
        }
    }
}

/// Finds the token in the header or in a url-encoded form body, giving the request back
/// with its body intact for the handler.
async fn presented_token(request: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(token) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let token = token.to_owned();
        return Ok((Some(token), request));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| WebError::BadRequest("the form is too large".into()).into_response())?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(key, _)| key == CSRF_FIELD)
        .map(|(_, value)| value.into_owned());
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn cross_site_requests_are_refused() {
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!same_origin(&headers(&[
            ("host", "localhost:8080"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "localhost:8080"),
            ("origin", "null")
        ])));
    }

    #[test]
    fn same_origin_requests_pass() {
        assert!(same_origin(&headers(&[
            ("host", "localhost:8080"),
            ("origin", "http://localhost:8080")
        ])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(
            same_origin(&headers(&[])),
            "non-browser clients still need the token"
        );
    }
}
