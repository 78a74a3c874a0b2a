//! Text packs: an organisation's licensed item wording for an instrument we ship as scoring
//! keys only (GCQ-S) or for its own definitions. A pack is TOML:
//!
//! ```toml
//! instrument = "gcqs"          # the definition's id
//! version = 1                  # and version
//! source = "Licensed copy, ..."# where the wording comes from (shown beside it)
//! instructions = "Read each statement and ..."   # optional stem
//! [responses]                  # optional: a label for every answer value
//! 0 = "Not at all"
//! 6 = "Extremely"              # ... every value from the definition's min to max
//! [items]                      # wording for every item, by number
//! 1 = "..."
//! ```
//!
//! [`attach_text`] checks a pack against its definition and returns the definition with the
//! wording in place; nothing is changed when any item number or answer value is wrong.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::LoadError;
use crate::definition::{InstrumentDef, ItemText, ResponseOption, TextOrigin};
use crate::load::{LABEL_MAX, NOTE_MAX, Problems, TEXT_MAX, excerpt, from_toml, labelled_values};

/// Item wording for one instrument version, as loaded by an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPack {
    /// Where the pack was read from, for messages.
    pub file: String,
    pub instrument: String,
    pub version: u32,
    pub source: String,
    pub instructions: Option<String>,
    /// Answer value (as written) → label; checked against the definition on attach.
    pub responses: BTreeMap<String, String>,
    /// Item number → wording.
    pub items: BTreeMap<u8, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    instrument: String,
    version: i64,
    source: String,
    #[serde(default)]
    instructions: Option<String>,
    #[serde(default)]
    responses: BTreeMap<String, String>,
    items: BTreeMap<String, String>,
}

/// Reads a text pack and checks its own fields (the definition is checked by [`attach_text`]).
pub fn parse_text_pack(file: &str, text: &str) -> Result<TextPack, LoadError> {
    let raw: RawPack = from_toml(file, text)?;
    let mut problems = Problems::default();
    let instrument = problems.ident("instrument", &raw.instrument);
    let version = u32::try_from(raw.version).ok().filter(|v| *v >= 1);
    if version.is_none() {
        problems.push(
            "version",
            format!("{} is not a whole number of at least 1", raw.version),
        );
    }
    let source = problems.text("source", &raw.source, NOTE_MAX, false);
    let instructions =
        problems.opt_text("instructions", raw.instructions.as_deref(), TEXT_MAX, true);
    for (key, label) in &raw.responses {
        problems.text(&format!("responses.{key}"), label, LABEL_MAX, false);
    }
    if raw.items.is_empty() {
        problems.push("items", "a text pack needs the wording of every item");
    }
    let mut items = BTreeMap::new();
    for (key, wording) in &raw.items {
        let field = format!("items.{key}");
        match key.parse::<u8>() {
            Ok(n) if n >= 1 => {
                if let Some(wording) = problems.text(&field, wording, TEXT_MAX, true) {
                    items.insert(n, wording);
                }
            }
            _ => problems.push(field, format!("`{}` is not an item number", excerpt(key))),
        }
    }
    let pack = (|| {
        Some(TextPack {
            file: file.to_owned(),
            instrument: instrument?,
            version: version?,
            source: source?,
            instructions: instructions?,
            responses: raw.responses.clone(),
            items,
        })
    })();
    problems.finish(file, pack)
}

/// The definition with the pack's wording on every item (origin: organisation pack), its
/// answer labels and stem when given. Refuses a pack for another instrument or version, an
/// item number the definition lacks, an item without wording, or an answer value out of range.
pub fn attach_text(def: &InstrumentDef, pack: &TextPack) -> Result<InstrumentDef, LoadError> {
    let mut problems = Problems::default();
    if pack.instrument != def.id() || pack.version != def.version() {
        problems.push(
            "instrument",
            format!(
                "the pack is for {} version {}, not {} version {}",
                pack.instrument,
                pack.version,
                def.id(),
                def.version()
            ),
        );
        return Err(LoadError::new(&pack.file, problems.0));
    }
    for n in pack.items.keys() {
        if def.item(*n).is_none() {
            problems.push(
                format!("items.{n}"),
                format!(
                    "{} has no item {n} (items are 1 to {})",
                    def.id(),
                    def.items().len()
                ),
            );
        }
    }
    let unworded: Vec<String> = def
        .items()
        .iter()
        .filter(|item| !pack.items.contains_key(&item.n))
        .map(|item| item.n.to_string())
        .collect();
    if !unworded.is_empty() {
        problems.push(
            "items",
            format!(
                "every item needs its wording; missing: {}",
                unworded.join(", ")
            ),
        );
    }
    let (min, max) = def.response_range();
    let labels = labelled_values(&pack.responses, "responses", min, max, &mut problems);
    let Some(labels) = labels.filter(|_| problems.0.is_empty()) else {
        return Err(LoadError::new(&pack.file, problems.0));
    };
    let mut merged = def.clone();
    for item in &mut merged.items {
        item.text = pack.items.get(&item.n).map(|text| ItemText {
            text: text.clone(),
            origin: TextOrigin::OrganisationPack,
        });
    }
    if !labels.is_empty() {
        merged.response_options = labels
            .into_iter()
            .map(|(value, label)| ResponseOption { value, label })
            .collect();
    }
    merged.text_source = Some(pack.source.clone());
    if pack.instructions.is_some() {
        merged.instructions.clone_from(&pack.instructions);
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Registry, RegistryError};

    fn gcqs_pack() -> String {
        let mut text = String::from(
            "instrument = \"gcqs\"\nversion = 1\nsource = \"Our licensed copy (test wording)\"\n\
             instructions = \"Think of the group as a whole.\"\n[responses]\n",
        );
        for value in 0..=6 {
            text.push_str(&format!("{value} = \"Option {value}\"\n"));
        }
        text.push_str("[items]\n");
        for n in 1..=12 {
            text.push_str(&format!("{n} = \"Test statement number {n}\"\n"));
        }
        text
    }

    fn gcqs() -> InstrumentDef {
        Registry::bundled().unwrap().get("gcqs").unwrap().clone()
    }

    fn problems(text: &str) -> Vec<String> {
        let pack = parse_text_pack("pack.toml", text).unwrap();
        let err = attach_text(&gcqs(), &pack).unwrap_err();
        assert_eq!(err.file, "pack.toml");
        err.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_pack_puts_licensed_wording_on_every_item() {
        let pack = parse_text_pack("pack.toml", &gcqs_pack()).unwrap();
        let merged = attach_text(&gcqs(), &pack).unwrap();
        assert!(merged.has_text());
        let first = merged.item(1).unwrap().text.as_ref().unwrap();
        assert_eq!(first.text, "Test statement number 1");
        assert_eq!(first.origin, TextOrigin::OrganisationPack);
        assert_eq!(merged.response_options().len(), 7);
        assert_eq!(
            merged.instructions(),
            Some("Think of the group as a whole.")
        );
        assert_eq!(
            merged.text_source(),
            Some("Our licensed copy (test wording)")
        );
        // Scoring keys are untouched.
        assert_eq!(merged.subscales(), gcqs().subscales());
    }

    #[test]
    fn an_unknown_item_number_is_refused() {
        let text = gcqs_pack().replace("12 = ", "13 = ");
        let found = problems(&text);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("items.13: gcqs has no item 13")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p == "items: every item needs its wording; missing: 12"),
            "{found:?}"
        );
    }

    #[test]
    fn answer_labels_must_fit_the_range() {
        let text = gcqs_pack().replace("6 = \"Option 6\"", "7 = \"Option 7\"");
        let found = problems(&text);
        assert!(
            found.iter().any(|p| p.starts_with("responses.7: ")),
            "{found:?}"
        );
    }

    #[test]
    fn a_pack_for_another_instrument_or_version_is_refused() {
        let text = gcqs_pack().replace("version = 1", "version = 2");
        assert!(problems(&text)[0].contains("the pack is for gcqs version 2"));
        let pack = parse_text_pack("pack.toml", &text).unwrap();
        let err = Registry::bundled().unwrap().check_text(&pack).unwrap_err();
        assert_eq!(
            err,
            RegistryError::Unknown {
                id: "gcqs".into(),
                version: 2
            }
        );
    }

    #[test]
    fn the_pack_file_itself_is_checked() {
        let err = parse_text_pack("pack.toml", "instrument = \"gcqs\"\nversion = 1\n").unwrap_err();
        assert!(err.problems[0].message.contains("missing field"), "{err}");
        let text = gcqs_pack().replace("1 = \"Test statement number 1\"", "x = \"Nope\"");
        let err = parse_text_pack("pack.toml", &text).unwrap_err();
        assert_eq!(
            err.problems[0].to_string(),
            "items.x: `x` is not an item number"
        );
        let text = gcqs_pack().replace("Test statement number 2", "");
        let err = parse_text_pack("pack.toml", &text).unwrap_err();
        assert_eq!(err.problems[0].to_string(), "items.2: must not be empty");
    }
}
