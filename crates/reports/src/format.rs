//! Numbers and lists in words, shared by readings and tables.

/// A score as people write it: whole numbers without decimals, others with one.
pub(crate) fn value(v: f64) -> String {
    if !v.is_finite() {
        return "not a number".to_owned();
    }
    let rounded = (v * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// A mean or rate: always one decimal.
pub(crate) fn one_decimal(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "not a number".to_owned()
    }
}

/// A probability as a whole percentage.
pub(crate) fn percent(p: f64) -> String {
    if p.is_finite() {
        format!("{}%", (p * 100.0).round() as i64)
    } else {
        "not a number".to_owned()
    }
}

/// "4" or "4–7".
pub(crate) fn span(first: u32, last: u32) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

/// "a", "a and b", "a, b and c".
pub(crate) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Capitalises the first letter of a sentence.
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text from the caller made fit for a one-line reading: control characters (line breaks
/// included) become spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lists_read_plainly() {
        assert_eq!(value(16.0), "16");
        assert_eq!(value(3.25), "3.3");
        assert_eq!(value(f64::NAN), "not a number");
        assert_eq!(one_decimal(2.0), "2.0");
        assert_eq!(percent(0.824), "82%");
        assert_eq!(span(4, 4), "4");
        assert_eq!(span(4, 7), "4–7");
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(list(&items), "a, b and c");
        assert_eq!(list(&items[..1]), "a");
        assert_eq!(sentence("conflict peaked"), "Conflict peaked");
        assert_eq!(one_line("a\nb\u{0}c"), "a b c");
    }
}
