//! A small form of a few fields on its own page (add a session, move or cancel one, end a
//! group): where a refused one-line form from a larger page comes back, with what was
//! typed and each error beside its field.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::{auth::CurrentUser, form::FieldErrors, views::Chrome};

/// One input of a small form.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// The input type: "date", "time", "number", "text".
    pub kind: &'static str,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "small_form.html")]
pub struct SmallForm {
    pub chrome: Chrome,
    pub heading: String,
    pub action: String,
    pub back_href: String,
    pub back_label: String,
    pub submit: &'static str,
    pub fields: Vec<Field>,
    pub errors: FieldErrors,
}

impl SmallForm {
    pub fn new(
        current: &CurrentUser,
        heading: impl Into<String>,
        action: impl Into<String>,
        back: (String, String),
        submit: &'static str,
    ) -> Self {
        let heading = heading.into();
        Self {
            chrome: Chrome::new(current, heading.clone(), "/groups"),
            heading,
            action: action.into(),
            back_href: back.0,
            back_label: back.1,
            submit,
            fields: Vec::new(),
            errors: FieldErrors::default(),
        }
    }

    pub fn field(
        mut self,
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        value: impl Into<String>,
    ) -> Self {
        self.fields.push(Field {
            name,
            label,
            kind,
            value: value.into(),
        });
        self
    }

    /// The page answered with 400 and the errors beside their fields.
    pub fn refused(mut self, errors: FieldErrors) -> Response {
        self.errors = errors;
        (StatusCode::BAD_REQUEST, self).into_response()
    }
}
