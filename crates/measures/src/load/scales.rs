//! Checks the scale part of a definition: the total and subscales (their items must exist),
//! severity bands (covering the scale without gap or overlap), cut-offs and reliable change.

use std::collections::{BTreeMap, BTreeSet};

use super::raw::{RawBand, RawCutoff, RawDefinition, RawRci, RawScale};
use super::{LABEL_MAX, NOTE_MAX, Problems, excerpt};
use crate::change::clinical_cutoff_c;
use crate::definition::{
    Band, Cutoff, CutoffOp, Direction, ItemDef, Method, Norms, Rci, Scale, TOTAL,
};

pub(super) struct Scales {
    pub total: Option<Scale>,
    pub subscales: Vec<Scale>,
    pub bands: Vec<Band>,
    pub cutoffs: Vec<Cutoff>,
    pub reliable_change: Vec<Rci>,
}

pub(super) fn check(
    raw: &RawDefinition,
    items: &[ItemDef],
    problems: &mut Problems,
) -> Option<Scales> {
    let before = problems.0.len();
    let total = raw
        .total
        .as_ref()
        .and_then(|scale| check_scale("total", scale, true, items, problems));
    let mut subscales = Vec::new();
    let mut ids = BTreeSet::new();
    for (at, scale) in raw.subscales.iter().enumerate() {
        let field = format!("subscales[{at}]");
        if let Some(scale) = check_scale(&field, scale, false, items, problems) {
            if ids.insert(scale.id.clone()) {
                subscales.push(scale);
            } else {
                problems.push(
                    format!("{field}.id"),
                    format!("subscale `{}` is defined twice", scale.id),
                );
            }
        }
    }
    if raw.total.is_none() && raw.subscales.is_empty() {
        problems.push(
            "total",
            "an instrument needs a total or at least one subscale",
        );
    }
    if problems.0.len() != before {
        return None;
    }
    let ranges: BTreeMap<String, (Method, f64, f64)> = total
        .iter()
        .chain(&subscales)
        .map(|scale| {
            let (lo, hi) = range(scale, items);
            (scale.id.clone(), (scale.method, lo, hi))
        })
        .collect();
    let bands = bands(&raw.bands, &ranges, problems);
    let cutoffs = cutoffs(&raw.cutoffs, &ranges, problems);
    let reliable_change = reliable_change(&raw.reliable_change, &ranges, problems);
    Some(Scales {
        total,
        subscales,
        bands: bands?,
        cutoffs: cutoffs?,
        reliable_change: reliable_change?,
    })
}

fn range(scale: &Scale, items: &[ItemDef]) -> (f64, f64) {
    let members = items.iter().filter(|item| scale.items.contains(&item.n));
    match scale.method {
        Method::Sum => members.fold((0.0, 0.0), |(lo, hi), item| {
            (lo + f64::from(item.min), hi + f64::from(item.max))
        }),
        Method::Mean => members.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), item| {
            (lo.min(f64::from(item.min)), hi.max(f64::from(item.max)))
        }),
    }
}

fn check_scale(
    field: &str,
    raw: &RawScale,
    is_total: bool,
    items: &[ItemDef],
    problems: &mut Problems,
) -> Option<Scale> {
    let before = problems.0.len();
    let id = if is_total {
        if raw.id.as_deref().is_some_and(|id| id != TOTAL) {
            problems.push(format!("{field}.id"), "the total's id is always `total`");
        }
        Some(TOTAL.to_owned())
    } else {
        match raw.id.as_deref() {
            None => {
                problems.push(format!("{field}.id"), "a subscale needs an id");
                None
            }
            Some(TOTAL) => {
                problems.push(
                    format!("{field}.id"),
                    "`total` is the instrument's total; give the subscale another id",
                );
                None
            }
            Some(id) => problems.ident(&format!("{field}.id"), id),
        }
    };
    let label = match (&raw.label, &id) {
        (Some(label), _) => problems.text(&format!("{field}.label"), label, LABEL_MAX, false),
        (None, Some(id)) => Some(default_label(id)),
        (None, None) => None,
    };
    let method = match raw.method.as_str() {
        "sum" => Some(Method::Sum),
        "mean" => Some(Method::Mean),
        other => {
            problems.push(
                format!("{field}.method"),
                format!("`{}` is not sum or mean", excerpt(other)),
            );
            None
        }
    };
    let direction = match raw.direction.as_str() {
        "higher_better" => Some(Direction::HigherBetter),
        "lower_better" => Some(Direction::LowerBetter),
        other => {
            problems.push(
                format!("{field}.direction"),
                format!("`{}` is not higher_better or lower_better", excerpt(other)),
            );
            None
        }
    };
    let members = match &raw.items {
        None if is_total => Some(items.iter().map(|item| item.n).collect()),
        None => {
            problems.push(
                format!("{field}.items"),
                "a subscale needs its item numbers",
            );
            None
        }
        Some(list) => scale_items(&format!("{field}.items"), list, items, problems),
    };
    if problems.0.len() != before {
        return None;
    }
    Some(Scale {
        id: id?,
        label: label?,
        items: members?,
        method: method?,
        direction: direction?,
    })
}

/// `self_understanding` → "Self understanding".
fn default_label(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn scale_items(
    field: &str,
    list: &[i64],
    items: &[ItemDef],
    problems: &mut Problems,
) -> Option<Vec<u8>> {
    let before = problems.0.len();
    if list.is_empty() {
        problems.push(field, "a scale needs at least one item");
    }
    let mut seen = BTreeSet::new();
    for &n in list {
        let known = u8::try_from(n)
            .ok()
            .filter(|n| items.iter().any(|item| item.n == *n));
        match known {
            None => problems.push(
                field,
                format!("item {n} does not exist (items are 1 to {})", items.len()),
            ),
            Some(n) => {
                if !seen.insert(n) {
                    problems.push(field, format!("item {n} is listed twice"));
                }
            }
        }
    }
    (problems.0.len() == before).then(|| seen.into_iter().collect())
}

type Ranges = BTreeMap<String, (Method, f64, f64)>;

fn known_scale<'a>(
    field: &str,
    scale: &str,
    ranges: &'a Ranges,
    problems: &mut Problems,
) -> Option<&'a (Method, f64, f64)> {
    let found = ranges.get(scale);
    if found.is_none() {
        let names: Vec<&str> = ranges.keys().map(String::as_str).collect();
        problems.push(
            field,
            format!(
                "`{}` is not a scale of this instrument ({})",
                excerpt(scale),
                names.join(", ")
            ),
        );
    }
    found
}

fn bands(raw: &[RawBand], ranges: &Ranges, problems: &mut Problems) -> Option<Vec<Band>> {
    let before = problems.0.len();
    let mut by_scale: BTreeMap<&str, Vec<Band>> = BTreeMap::new();
    for (at, band) in raw.iter().enumerate() {
        let field = |name: &str| format!("bands[{at}].{name}");
        let Some(&(method, _, _)) = known_scale(&field("scale"), &band.scale, ranges, problems)
        else {
            continue;
        };
        if method != Method::Sum {
            problems.push(
                field("scale"),
                format!(
                    "`{}` is a mean scale; severity bands are for sum scales",
                    band.scale
                ),
            );
            continue;
        }
        let min = u32::try_from(band.min).ok();
        let max = u32::try_from(band.max).ok();
        if min.is_none() {
            problems.push(
                field("min"),
                format!("{} is not a whole number of at least 0", band.min),
            );
        }
        if max.is_none() {
            problems.push(
                field("max"),
                format!("{} is not a whole number of at least 0", band.max),
            );
        }
        let label = problems.text(&field("label"), &band.label, LABEL_MAX, false);
        let source = match &band.source {
            Some(source) => problems.text(&field("source"), source, NOTE_MAX, false),
            None => Some(String::new()),
        };
        let (Some(min), Some(max), Some(label), Some(source)) = (min, max, label, source) else {
            continue;
        };
        if min > max {
            problems.push(
                field("max"),
                format!("{max} is below the band's min ({min})"),
            );
            continue;
        }
        by_scale.entry(&band.scale).or_default().push(Band {
            scale: band.scale.clone(),
            min,
            max,
            label,
            source,
        });
    }
    let mut out = Vec::new();
    for (scale, mut bands) in by_scale {
        bands.sort_by_key(|band| (band.min, band.max));
        if let Some(&(_, lo, hi)) = ranges.get(scale) {
            check_cover(scale, &bands, lo, hi, problems);
        }
        out.extend(bands);
    }
    (problems.0.len() == before).then_some(out)
}

/// Bands must tile the scale's whole range of whole numbers, each value in exactly one band.
fn check_cover(scale: &str, bands: &[Band], lo: f64, hi: f64, problems: &mut Problems) {
    let mut labels = BTreeSet::new();
    for band in bands {
        if !labels.insert(band.label.as_str()) {
            problems.push(
                "bands",
                format!("{scale}: the label `{}` is used by two bands", band.label),
            );
        }
    }
    let mut next = lo;
    for band in bands {
        let (min, max) = (f64::from(band.min), f64::from(band.max));
        if min > next {
            problems.push(
                "bands",
                format!("{scale}: no band covers {next} to {} (a gap)", min - 1.0),
            );
        } else if min < next {
            problems.push(
                "bands",
                format!(
                    "{scale}: bands overlap at {min} to {} (`{}` starts inside an earlier band)",
                    (next - 1.0).min(max),
                    band.label
                ),
            );
        }
        next = next.max(max + 1.0);
    }
    if next <= hi {
        problems.push(
            "bands",
            format!("{scale}: no band covers {next} to {hi}, the top of the scale"),
        );
    }
    if next > hi + 1.0 {
        problems.push(
            "bands",
            format!("{scale}: bands go beyond the scale's maximum of {hi}"),
        );
    }
}

fn cutoffs(raw: &[RawCutoff], ranges: &Ranges, problems: &mut Problems) -> Option<Vec<Cutoff>> {
    let before = problems.0.len();
    let mut out = Vec::new();
    let mut clinical = BTreeSet::new();
    for (at, cutoff) in raw.iter().enumerate() {
        let field = |name: &str| format!("cutoffs[{at}].{name}");
        let scale = known_scale(&field("scale"), &cutoff.scale, ranges, problems);
        let op = match cutoff.op.as_str() {
            ">=" => Some(CutoffOp::AtLeast),
            ">" => Some(CutoffOp::Above),
            "<=" => Some(CutoffOp::AtMost),
            "<" => Some(CutoffOp::Below),
            other => {
                problems.push(
                    field("op"),
                    format!("`{}` is not one of >=, >, <=, <", excerpt(other)),
                );
                None
            }
        };
        let norms = cutoff.norms.as_ref().and_then(|norms| {
            let functional_mean =
                problems.finite(&field("norms.functional_mean"), norms.functional_mean);
            let functional_sd =
                problems.positive(&field("norms.functional_sd"), norms.functional_sd);
            let clinical_mean = problems.finite(&field("norms.clinical_mean"), norms.clinical_mean);
            let clinical_sd = problems.positive(&field("norms.clinical_sd"), norms.clinical_sd);
            Some(Norms {
                functional_mean: functional_mean?,
                functional_sd: functional_sd?,
                clinical_mean: clinical_mean?,
                clinical_sd: clinical_sd?,
            })
        });
        let value = match (cutoff.value, &cutoff.norms, norms) {
            (Some(_), Some(_), _) => {
                problems.push(
                    field("value"),
                    "give a value or norms to compute it from, not both",
                );
                None
            }
            (Some(value), None, _) => problems.finite(&field("value"), value),
            (None, Some(_), norms) => norms.map(clinical_cutoff_c),
            (None, None, _) => {
                problems.push(
                    field("value"),
                    "a cut-off needs a value (or norms to compute c)",
                );
                None
            }
        };
        if let (Some(value), Some(&(_, lo, hi))) = (value, scale)
            && !(lo..=hi).contains(&value)
        {
            problems.push(
                field("value"),
                format!("{value} is outside the scale's range {lo} to {hi}"),
            );
        }
        let label = problems.text(&field("label"), &cutoff.label, LABEL_MAX, false);
        let source = problems.text(&field("source"), &cutoff.source, NOTE_MAX, false);
        if cutoff.clinical && !clinical.insert(cutoff.scale.as_str()) {
            problems.push(
                field("clinical"),
                format!("{} already has a clinical cut-off", cutoff.scale),
            );
        }
        if let (Some(op), Some(value), Some(label), Some(source)) = (op, value, label, source) {
            out.push(Cutoff {
                scale: cutoff.scale.clone(),
                op,
                value,
                label,
                source,
                clinical: cutoff.clinical,
                norms,
            });
        }
    }
    (problems.0.len() == before).then_some(out)
}

fn reliable_change(raw: &[RawRci], ranges: &Ranges, problems: &mut Problems) -> Option<Vec<Rci>> {
    let before = problems.0.len();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (at, rci) in raw.iter().enumerate() {
        let field = |name: &str| format!("reliable_change[{at}].{name}");
        let scale = known_scale(&field("scale"), &rci.scale, ranges, problems);
        if !seen.insert(rci.scale.as_str()) {
            problems.push(
                field("scale"),
                format!("{} already has a reliable-change value", rci.scale),
            );
        }
        let sd = rci.sd.and_then(|sd| problems.positive(&field("sd"), sd));
        let reliability = rci.reliability.and_then(|r| {
            let ok = r.is_finite() && (0.0..1.0).contains(&r);
            if !ok {
                problems.push(
                    field("reliability"),
                    format!("{r} must be at least 0 and below 1"),
                );
            }
            ok.then_some(r)
        });
        if rci.sd.is_some() != rci.reliability.is_some() {
            problems.push(field("sd"), "give sd and reliability together");
        }
        let delta = match (rci.delta, sd, reliability) {
            (Some(delta), _, _) => problems.positive(&field("delta"), delta),
            (None, Some(sd), Some(r)) => Some(crate::change::reliable_change_delta(sd, r)),
            (None, _, _) => {
                if rci.sd.is_none() {
                    problems.push(
                        field("delta"),
                        "give the published delta, or sd and reliability to compute it",
                    );
                }
                None
            }
        };
        if let (Some(delta), Some(&(_, lo, hi))) = (delta, scale)
            && delta > hi - lo
        {
            problems.push(
                field("delta"),
                format!("{delta} is more than the scale's whole range ({lo} to {hi})"),
            );
        }
        let source = problems.text(&field("source"), &rci.source, NOTE_MAX, false);
        if let (Some(delta), Some(source)) = (delta, source) {
            out.push(Rci {
                scale: rci.scale.clone(),
                delta,
                source,
                sd,
                reliability,
            });
        }
    }
    (problems.0.len() == before).then_some(out)
}
