//! Every route the server answers, registered from one list per resource module. The same
//! list feeds [`route_table`], which the access-matrix test walks: a route cannot exist
//! without appearing there.

mod account;
mod admin;
mod api;
mod assets;
mod audit;
mod groups;
mod health;
mod home;
mod landing;
mod login;
mod logout;
mod members;
mod sessions;
mod small_form;

use axum::{Router, http::Method, routing::MethodRouter};

use crate::AppState;

/// One method on one path, and its handler.
pub struct RouteDef {
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

impl RouteDef {
    pub fn get<H, T>(path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: Method::GET,
            path,
            handler: axum::routing::get(handler),
        }
    }

    pub fn post<H, T>(path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: Method::POST,
            path,
            handler: axum::routing::post(handler),
        }
    }
}

fn all() -> Vec<RouteDef> {
    [
        health::routes(),
        assets::routes(),
        landing::routes(),
        login::routes(),
        logout::routes(),
        home::routes(),
        groups::routes(),
        members::routes(),
        sessions::routes(),
        account::routes(),
        admin::routes(),
        audit::routes(),
        api::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(crate) fn routes() -> Router<AppState> {
    all().into_iter().fold(Router::new(), |router, def| {
        router.route(def.path, def.handler)
    })
}

/// `(method, path)` of every route, for tests and documentation.
pub fn route_table() -> Vec<(Method, &'static str)> {
    all()
        .into_iter()
        .map(|def| (def.method, def.path))
        .collect()
}
