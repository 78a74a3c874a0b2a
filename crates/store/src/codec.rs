//! Values as stored: timestamps and dates as sortable UTC text, enums as their names.

use jiff::{Timestamp, civil::Date};
use sqlx::{Row, any::AnyRow};

use crate::StoreError;

/// Fixed-width UTC text, so text order is time order on both backends.
pub(crate) fn ts(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()
}

pub(crate) fn parse_ts(text: &str) -> Result<Timestamp, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("timestamp {text:?}")))
}

pub(crate) fn date(day: Date) -> String {
    day.to_string()
}

pub(crate) fn parse_date(text: &str) -> Result<Date, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("date {text:?}")))
}

/// Appends `rows` parenthesised groups of `columns` numbered parameters to an INSERT:
/// `($1, $2), ($3, $4)`. Multi-row inserts keep a batch one statement on both engines.
pub(crate) fn push_value_rows(sql: &mut String, rows: usize, columns: usize) {
    push_value_rows_from(sql, rows, columns, 1);
}

/// [`push_value_rows`] with parameters numbered from `first`.
pub(crate) fn push_value_rows_from(sql: &mut String, rows: usize, columns: usize, first: usize) {
    use std::fmt::Write;
    let mut n = first;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            // Writing to a String cannot fail.
            let _ = write!(sql, "${n}");
            n += 1;
        }
        sql.push(')');
    }
}

/// `$first, $first+1, …` for an `IN (…)` list of `count` parameters.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A local wall-clock time as stored: 'HH:MM'.
pub(crate) fn clock_time(time: jiff::civil::Time) -> String {
    time.strftime("%H:%M").to_string()
}

pub(crate) fn parse_clock_time(text: &str) -> Result<jiff::civil::Time, StoreError> {
    jiff::civil::Time::strptime("%H:%M", text)
        .map_err(|_| StoreError::Corrupt(format!("time {text:?}")))
}

/// Typed column access with the column named in any error.
pub(crate) trait RowExt {
    fn text(&self, column: &str) -> Result<String, StoreError>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, column: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError>;
    fn float(&self, column: &str) -> Result<f64, StoreError>;
    fn timestamp(&self, column: &str) -> Result<Timestamp, StoreError> {
        parse_ts(&self.text(column)?)
    }
    fn opt_timestamp(&self, column: &str) -> Result<Option<Timestamp>, StoreError> {
        self.opt_text(column)?.as_deref().map(parse_ts).transpose()
    }
    fn date(&self, column: &str) -> Result<Date, StoreError> {
        parse_date(&self.text(column)?)
    }
    fn opt_date(&self, column: &str) -> Result<Option<Date>, StoreError> {
        self.opt_text(column)?
            .as_deref()
            .map(parse_date)
            .transpose()
    }
    /// A stored name parsed back into its enum.
    fn parsed<T: std::str::FromStr<Err = domain::ParseError>>(
        &self,
        column: &str,
    ) -> Result<T, StoreError> {
        Ok(self.text(column)?.parse()?)
    }
    fn opt_parsed<T: std::str::FromStr<Err = domain::ParseError>>(
        &self,
        column: &str,
    ) -> Result<Option<T>, StoreError> {
        Ok(self
            .opt_text(column)?
            .map(|text| text.parse())
            .transpose()?)
    }
    /// A non-negative count or size stored as an integer.
    fn opt_u32(&self, column: &str) -> Result<Option<u32>, StoreError> {
        self.opt_int(column)?
            .map(|v| u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{column} = {v}"))))
            .transpose()
    }
    fn u32(&self, column: &str) -> Result<u32, StoreError> {
        let v = self.int(column)?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{column} = {v}")))
    }
}

fn column_error(column: &str, err: sqlx::Error) -> StoreError {
    StoreError::Corrupt(format!("column {column}: {err}"))
}

impl RowExt for AnyRow {
    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn float(&self, column: &str) -> Result<f64, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_rows_and_placeholders_are_numbered_in_order() {
        let mut sql = String::new();
        push_value_rows(&mut sql, 2, 3);
        assert_eq!(sql, "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(3, 2), "$3, $4");
    }

    #[test]
    fn timestamps_are_fixed_width_and_round_trip() {
        let whole: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let half: Timestamp = "2026-03-01T10:00:00.5Z".parse().unwrap();
        assert_eq!(ts(whole), "2026-03-01T10:00:00.000000Z");
        assert!(ts(whole) < ts(half), "text order must be time order");
        assert_eq!(parse_ts(&ts(half)).unwrap(), half);
    }
}
