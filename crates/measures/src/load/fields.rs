//! Small checks shared by definition and text-pack loading: collected problems, text and
//! identifier rules, number ranges, and TOML syntax errors turned into a line number.

use crate::Problem;

/// Collects every problem in a file instead of stopping at the first.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem::new(field, message));
    }

    /// A trimmed, non-empty text of at most `max` characters with no control characters
    /// (item wording may hold line breaks: `multiline`).
    pub fn text(&mut self, field: &str, raw: &str, max: usize, multiline: bool) -> Option<String> {
        let text = raw.trim();
        if text.is_empty() {
            self.push(field, "must not be empty");
            return None;
        }
        let count = text.chars().count();
        if count > max {
            self.push(
                field,
                format!("is {count} characters; at most {max} are allowed"),
            );
            return None;
        }
        if text
            .chars()
            .any(|c| c.is_control() && !(multiline && c == '\n'))
        {
            self.push(field, "must not contain control characters");
            return None;
        }
        Some(text.to_owned())
    }

    pub fn opt_text(
        &mut self,
        field: &str,
        raw: Option<&str>,
        max: usize,
        multiline: bool,
    ) -> Option<Option<String>> {
        match raw {
            None => Some(None),
            Some(raw) => self.text(field, raw, max, multiline).map(Some),
        }
    }

    /// A lowercase identifier: a letter, then letters, digits or `_`.
    pub fn ident(&mut self, field: &str, raw: &str) -> Option<String> {
        let ok = raw.len() <= 40
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Some(raw.to_owned())
        } else {
            self.push(
                field,
                format!(
                    "`{}` is not an identifier: use a lowercase letter, then letters, digits or `_` (at most 40)",
                    excerpt(raw)
                ),
            );
            None
        }
    }

    /// An answer value: a whole number from 0 to 255.
    pub fn answer_value(&mut self, field: &str, raw: i64) -> Option<u8> {
        let value = u8::try_from(raw).ok();
        if value.is_none() {
            self.push(field, format!("{raw} is not a whole number from 0 to 255"));
        }
        value
    }

    pub fn finite(&mut self, field: &str, raw: f64) -> Option<f64> {
        if raw.is_finite() {
            Some(raw)
        } else {
            self.push(field, "must be a finite number");
            None
        }
    }

    pub fn positive(&mut self, field: &str, raw: f64) -> Option<f64> {
        if raw.is_finite() && raw > 0.0 {
            Some(raw)
        } else {
            self.push(field, format!("{raw} must be greater than 0"));
            None
        }
    }

    pub fn finish<T>(self, file: &str, value: Option<T>) -> Result<T, crate::LoadError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => {
                let mut problems = self.0;
                if problems.is_empty() {
                    problems.push(Problem::new("(file)", "could not be read"));
                }
                Err(crate::LoadError::new(file, problems))
            }
        }
    }
}

/// Reads TOML into `T`, turning a syntax or shape error into a problem at its line.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, crate::LoadError> {
    toml::from_str(text).map_err(|err| {
        let field = err.span().map_or_else(
            || "(file)".to_owned(),
            |span| {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before
                    .rsplit('\n')
                    .next()
                    .map_or(0, |tail| tail.chars().count())
                    + 1;
                format!("line {line}, column {column}")
            },
        );
        crate::LoadError::new(file, vec![Problem::new(field, err.message().trim())])
    })
}

/// At most 40 characters of a value, for messages.
pub(crate) fn excerpt(raw: &str) -> String {
    let mut out: String = raw.chars().take(40).collect();
    if raw.chars().count() > 40 {
        out.push('…');
    }
    out
}
