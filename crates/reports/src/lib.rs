//! Server-side charts for Circlework's pages, as SVG strings, each with a one-line reading
//! and a table alternative.
//!
//! Every chart function takes plain data (or the measures and stages types) and an `id`
//! that is unique on the page, and returns a [`Chart`]: the SVG drawn twice (a wide drawing
//! for tablets and desktops and a narrow one for phones; app.css shows one), the reading
//! (also the SVG's `<desc>`), and a [`Table`] the page renders as an HTML table.
//!
//! Every drawing is `role="img"` with a `<title>` and `<desc>` named by `aria-labelledby`,
//! has a viewBox and no fixed size, uses presentation attributes only (no `style`, no
//! `<style>`, no script: the Content-Security-Policy forbids inline styles), escapes every
//! text, and gives every colour a second cue (dash, marker shape, pattern or letter).
//!
//! Hand-written SVG rather than the `plotters` crate: plotters' SVG backend writes a fixed
//! pixel width and height, has no title, desc, role or ARIA, no fill patterns or dashes,
//! and lays out text only with a font-metrics feature; these six charts are simple enough
//! that a small writer (svg.rs) is less code than working around that.
//!
//! Pure: no I/O, no clock, no randomness.

mod chart;
pub mod charts;
mod format;
mod layout;
mod palette;
mod parts;
mod svg;

#[cfg(test)]
mod check;
#[cfg(test)]
mod proptests;

pub use chart::{Chart, Table};
pub use charts::attendance::{
    AttendanceInput, AttendanceMark, AttendanceRow, attendance_chart, attendance_reading,
};
pub use charts::burst::{Burst, BurstRule, bursts};
pub use charts::climate::{ClimateSession, Whiskers, climate_chart, climate_reading};
pub use charts::profile::{ProfileSession, profile_chart, profile_reading, profile_sessions};
pub use charts::stages::{StageSession, stage_chart, stage_reading, stage_sessions};
pub use charts::timeline::{
    BurstKind, NumberedBurst, TimelineUtterance, session_bursts, timeline_chart, timeline_reading,
};
pub use charts::trajectory::{
    CutoffLine, ScorePoint, SeverityBand, TrajectoryInput, cutoff_words, trajectory_chart,
    trajectory_reading,
};
pub use layout::Layout;
