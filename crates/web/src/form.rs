//! Form errors by field, in words, shown next to their fields all at once (with
//! `aria-invalid` and `aria-describedby`), and what a store refusal means for a form.

use std::collections::BTreeMap;

use store::StoreError;

use crate::WebError;

/// The errors of one submitted form, keyed by the field's `name`.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    /// Records the first error of `field` (later ones wait until it is fixed).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// Keeps the value, or records the error for `field`.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One error, for a form with a single field.
    pub fn one(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }
}

/// A store answer for a form: refusals that belong to the person's input become field
/// errors (a general refusal goes under `general_field`); anything else stays an error.
pub fn store_refusal(
    err: StoreError,
    general_field: &'static str,
) -> Result<FieldErrors, WebError> {
    match err {
        StoreError::Invalid { field, message } => Ok(FieldErrors::one(field, message)),
        StoreError::Refused(message) => Ok(FieldErrors::one(general_field, message)),
        other => Err(other.into()),
    }
}

/// A whole number from a form field, or `None` when left empty.
pub fn optional_count(raw: &str, what: &str) -> Result<Option<u32>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| format!("{what}: \"{raw}\" is not a whole number."))
}

/// A date as a date field sends it (YYYY-MM-DD).
pub fn date(raw: &str, what: &str) -> Result<jiff::civil::Date, String> {
    raw.trim()
        .parse()
        .map_err(|_| format!("{what}: use a date like 2026-04-01."))
}

/// A time of day as a time field sends it (HH:MM).
pub fn time(raw: &str, what: &str) -> Result<jiff::civil::Time, String> {
    let raw = raw.trim();
    jiff::civil::Time::strptime("%H:%M", raw)
        .or_else(|_| raw.parse())
        .map_err(|_| format!("{what}: use a time like 18:00."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_of_a_field_stays() {
        let mut errors = FieldErrors::default();
        errors.add("name", "The group name is required.");
        errors.add("name", "something else");
        assert_eq!(errors.get("name"), Some("The group name is required."));
        assert!(errors.has("name") && !errors.has("kind"));
    }

    #[test]
    fn numbers_dates_and_times_from_forms() {
        assert_eq!(optional_count(" ", "Capacity"), Ok(None));
        assert_eq!(optional_count("12", "Capacity"), Ok(Some(12)));
        assert!(
            optional_count("ten", "Capacity")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(date("2026-04-01", "Start").is_ok() && date("soon", "Start").is_err());
        assert_eq!(
            time("18:05", "Time").unwrap(),
            jiff::civil::time(18, 5, 0, 0)
        );
        assert!(time("6pm", "Time").is_err());
    }
}
