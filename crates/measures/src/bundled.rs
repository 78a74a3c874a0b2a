//! The instruments shipped in the binary (`bundled/*.toml`, embedded at build): PHQ-9 and
//! GAD-7 with their wording (free to reproduce), GCQ-S as scoring keys and our own short
//! labels only (its wording is loaded by an organisation as a text pack).

use crate::LoadError;
use crate::definition::InstrumentDef;
use crate::load::parse_definition;

/// (file name, contents) of each bundled definition.
pub const FILES: [(&str, &str); 3] = [
    ("bundled/phq9.toml", include_str!("bundled/phq9.toml")),
    ("bundled/gad7.toml", include_str!("bundled/gad7.toml")),
    ("bundled/gcqs.toml", include_str!("bundled/gcqs.toml")),
];

/// Parses every bundled definition (tests keep them valid; the error is for completeness).
pub fn definitions() -> Result<Vec<InstrumentDef>, LoadError> {
    FILES
        .iter()
        .map(|(file, text)| parse_definition(file, text))
        .collect()
}
