//! Loading an instrument definition from TOML: read the file, check every field, and build an
//! [`InstrumentDef`] only when nothing is wrong. Each problem names the file and the field.

mod fields;
mod raw;
mod scales;

use std::collections::{BTreeMap, BTreeSet};

use crate::LoadError;
use crate::definition::{
    InstrumentDef, ItemDef, ItemText, Licence, LicenceStatus, MissingRule, ResponseOption,
    TextOrigin,
};

pub(crate) use fields::{Problems, excerpt, from_toml};
use raw::{RawDefinition, RawItem};

/// Longest title, label and wording, in characters.
pub(crate) const TITLE_MAX: usize = 120;
pub(crate) const LABEL_MAX: usize = 60;
pub(crate) const TEXT_MAX: usize = 600;
pub(crate) const NOTE_MAX: usize = 600;

/// Reads and validates a definition. `file` names it in errors (a path or `bundled phq9`).
pub fn parse_definition(file: &str, text: &str) -> Result<InstrumentDef, LoadError> {
    let raw: RawDefinition = from_toml(file, text)?;
    let mut problems = Problems::default();
    let def = check(&raw, &mut problems);
    problems.finish(file, def)
}

fn check(raw: &RawDefinition, problems: &mut Problems) -> Option<InstrumentDef> {
    let id = problems.ident("id", &raw.id);
    let version = u32::try_from(raw.version).ok().filter(|v| *v >= 1);
    if version.is_none() {
        problems.push(
            "version",
            format!("{} is not a whole number of at least 1", raw.version),
        );
    }
    let title = problems.text("title", &raw.title, TITLE_MAX, false);
    let citation = problems.opt_text("citation", raw.citation.as_deref(), NOTE_MAX, false);
    let instructions =
        problems.opt_text("instructions", raw.instructions.as_deref(), TEXT_MAX, true);
    let licence = licence(raw, problems);
    let range = response_range(raw, problems);
    let options = range.and_then(|(min, max)| response_options(raw, min, max, problems));
    let items = match (range, licence.as_ref()) {
        (Some(range), Some(licence)) => items(&raw.items, range, licence.embed_text, problems),
        _ => None,
    };
    let items = items?;
    let scales = scales::check(raw, &items, problems)?;
    let missing = missing(raw, items.len(), problems);

    let (response_min, response_max) = range?;
    Some(InstrumentDef {
        id: id?,
        version: version?,
        title: title?,
        citation: citation?,
        instructions: instructions?,
        licence: licence?,
        response_min,
        response_max,
        response_options: options?,
        items,
        text_source: None,
        total: scales.total,
        subscales: scales.subscales,
        missing: missing?,
        bands: scales.bands,
        cutoffs: scales.cutoffs,
        reliable_change: scales.reliable_change,
    })
}

fn licence(raw: &RawDefinition, problems: &mut Problems) -> Option<Licence> {
    let status = match raw.licence.status.as_str() {
        "free" => Some(LicenceStatus::Free),
        "permission" => Some(LicenceStatus::Permission),
        "proprietary" => Some(LicenceStatus::Proprietary),
        "unclear" => Some(LicenceStatus::Unclear),
        other => {
            problems.push(
                "licence.status",
                format!(
                    "`{}` is not one of free, permission, proprietary, unclear",
                    excerpt(other)
                ),
            );
            None
        }
    };
    let embed_text = raw.licence.embed_text;
    if embed_text
        && matches!(
            status,
            Some(LicenceStatus::Proprietary | LicenceStatus::Unclear)
        )
    {
        problems.push(
            "licence.embed_text",
            "must be false for a proprietary or unclear licence: load the wording as a text pack",
        );
    }
    let note = problems.opt_text("licence.note", raw.licence.note.as_deref(), NOTE_MAX, false);
    Some(Licence {
        status: status?,
        embed_text,
        note: note?,
    })
}

fn response_range(raw: &RawDefinition, problems: &mut Problems) -> Option<(u8, u8)> {
    let min = problems.answer_value("response.min", raw.response.min);
    let max = problems.answer_value("response.max", raw.response.max);
    let (min, max) = (min?, max?);
    if min >= max {
        problems.push(
            "response.max",
            format!("{max} must be greater than response.min ({min})"),
        );
        return None;
    }
    Some((min, max))
}

/// Labels keyed by answer value; when given, every value of the range needs one.
fn response_options(
    raw: &RawDefinition,
    min: u8,
    max: u8,
    problems: &mut Problems,
) -> Option<Vec<ResponseOption>> {
    labelled_values(&raw.response.labels, "response.labels", min, max, problems).map(|labels| {
        labels
            .into_iter()
            .map(|(value, label)| ResponseOption { value, label })
            .collect()
    })
}

/// Checks a `value = "label"` table against `min..=max` (shared with text packs).
pub(crate) fn labelled_values(
    labels: &BTreeMap<String, String>,
    field: &str,
    min: u8,
    max: u8,
    problems: &mut Problems,
) -> Option<BTreeMap<u8, String>> {
    let before = problems.0.len();
    let mut out = BTreeMap::new();
    for (key, label) in labels {
        let place = format!("{field}.{key}");
        match key.parse::<u8>() {
            Ok(value) if (min..=max).contains(&value) => {
                if let Some(label) = problems.text(&place, label, LABEL_MAX, false) {
                    out.insert(value, label);
                }
            }
            _ => problems.push(
                place,
                format!(
                    "`{}` is not an answer value from {min} to {max}",
                    excerpt(key)
                ),
            ),
        }
    }
    if !labels.is_empty() {
        let unlabelled: Vec<String> = (min..=max)
            .filter(|value| !out.contains_key(value))
            .map(|value| value.to_string())
            .collect();
        if !unlabelled.is_empty() && problems.0.len() == before {
            problems.push(
                field,
                format!(
                    "label every answer value or none: {} has no label",
                    unlabelled.join(", ")
                ),
            );
        }
    }
    (problems.0.len() == before).then_some(out)
}

fn items(
    raw: &[RawItem],
    (default_min, default_max): (u8, u8),
    embed_text: bool,
    problems: &mut Problems,
) -> Option<Vec<ItemDef>> {
    let before = problems.0.len();
    if raw.is_empty() {
        problems.push("items", "an instrument needs at least one item");
        return None;
    }
    if raw.len() > usize::from(u8::MAX) {
        problems.push(
            "items",
            format!("{} items; at most 255 are allowed", raw.len()),
        );
        return None;
    }
    let mut items = Vec::with_capacity(raw.len());
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    let mut numbers: BTreeMap<u8, usize> = BTreeMap::new();
    for (at, item) in raw.iter().enumerate() {
        let place = |name: &str| format!("items[{at}].{name}");
        let n = u8::try_from(item.n).ok().filter(|n| *n >= 1);
        if n.is_none() {
            problems.push(
                place("n"),
                format!("{} is not an item number from 1 to 255", item.n),
            );
        }
        if let Some(n) = n
            && let Some(first) = numbers.insert(n, at)
        {
            problems.push(
                place("n"),
                format!("item number {n} is used twice (items[{first}] and items[{at}])"),
            );
        }
        let key = problems.ident(&place("key"), &item.key);
        if key.is_some()
            && let Some(first) = keys.insert(&item.key, at)
        {
            problems.push(
                place("key"),
                format!(
                    "key `{}` is used twice (items[{first}] and items[{at}])",
                    item.key
                ),
            );
        }
        let label = problems.text(&place("label"), &item.label, LABEL_MAX, false);
        let min = match item.min {
            Some(raw) => problems.answer_value(&place("min"), raw),
            None => Some(default_min),
        };
        let max = match item.max {
            Some(raw) => problems.answer_value(&place("max"), raw),
            None => Some(default_max),
        };
        if let (Some(lo), Some(hi)) = (min, max)
            && lo >= hi
        {
            problems.push(
                place("max"),
                format!("the item's range {lo} to {hi} is empty: max must be greater than min"),
            );
        }
        let text = match (&item.text, embed_text) {
            (Some(_), false) => {
                problems.push(
                    place("text"),
                    "licence.embed_text is false: item wording comes from a text pack, not the definition",
                );
                None
            }
            (None, true) => {
                problems.push(
                    place("text"),
                    "licence.embed_text is true: every item needs its wording",
                );
                None
            }
            (Some(text), true) => problems
                .text(&place("text"), text, TEXT_MAX, true)
                .map(|text| {
                    Some(ItemText {
                        text,
                        origin: TextOrigin::Definition,
                    })
                }),
            (None, false) => Some(None),
        };
        if let (Some(n), Some(key), Some(label), Some(min), Some(max), Some(text)) =
            (n, key, label, min, max, text)
        {
            items.push(ItemDef {
                n,
                key,
                label,
                min,
                max,
                reverse: item.reverse,
                risk: item.risk,
                text,
            });
        }
    }
    let expected: BTreeSet<u8> = (1..=u8::try_from(raw.len()).unwrap_or(u8::MAX)).collect();
    let found: BTreeSet<u8> = numbers.keys().copied().collect();
    let absent: Vec<String> = expected.difference(&found).map(u8::to_string).collect();
    if !absent.is_empty() {
        problems.push(
            "items",
            format!(
                "item numbers must run from 1 to {} without gaps; missing: {}",
                raw.len(),
                absent.join(", ")
            ),
        );
    } else if items
        .iter()
        .enumerate()
        .any(|(at, item)| usize::from(item.n) != at + 1)
    {
        problems.push("items", "list the items in number order, 1 first");
    }
    (problems.0.len() == before).then_some(items)
}

fn missing(raw: &RawDefinition, item_count: usize, problems: &mut Problems) -> Option<MissingRule> {
    let source = problems.text("missing.source", &raw.missing.source, NOTE_MAX, false);
    let max_missing = usize::try_from(raw.missing.max_missing)
        .ok()
        .filter(|m| *m < item_count);
    if max_missing.is_none() {
        problems.push(
            "missing.max_missing",
            format!(
                "{} must be from 0 to {} (one fewer than the {item_count} items)",
                raw.missing.max_missing,
                item_count.saturating_sub(1)
            ),
        );
    }
    Some(MissingRule {
        max_missing: max_missing?,
        source: source?,
    })
}

#[cfg(test)]
mod tests;
