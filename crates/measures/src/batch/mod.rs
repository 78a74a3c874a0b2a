//! Offline scoring of answer files (`circlework score`): CSV rows in, one scored row out per
//! respondent, as CSV or JSON Lines. Reading and writing take any `Read`/`Write`, so the
//! command streams files of any size and the fuzz target drives the same code.

mod read;
mod write;

pub use read::{Header, HeaderError, Row, RowError, ScoreRows, read_scores};
pub use write::{OutputFormat, OutputRow, ScoreWriter, Subscales};

#[cfg(test)]
mod tests;
