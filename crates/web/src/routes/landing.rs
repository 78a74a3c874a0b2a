//! `GET /`: the public start page.

use askama::Template;
use askama_web::WebTemplate;

use super::RouteDef;
use crate::auth::MaybeUser;

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/", page)]
}

#[derive(Template, WebTemplate)]
#[template(path = "landing.html")]
struct Landing {
    signed_in: bool,
}

async fn page(MaybeUser(user): MaybeUser) -> Landing {
    Landing {
        signed_in: user.is_some(),
    }
}
