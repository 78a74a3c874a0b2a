//! Static assets, embedded in the binary so one file is the whole product.

use axum::http::header;
use axum::response::IntoResponse;

use super::RouteDef;

const APP_CSS: &str = include_str!("../../static/app.css");
const FAVICON: &str = include_str!("../../static/favicon.svg");

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/static/app.css", app_css),
        RouteDef::get("/favicon.svg", favicon),
    ]
}

async fn app_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
}

async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}
