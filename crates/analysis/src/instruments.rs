//! The instrument scales the alert rules read, from the definitions a group's responses
//! used: role (outcome or alliance), direction, reliable-change value and clinical cut-off,
//! each with its source as the definition gives it.

use std::collections::BTreeMap;

use alerts::{CompareOp, Cutoff, Direction, InstrumentRole, InstrumentRule, Sourced};
use measures::{CutoffOp, Registry};
use store::Response;

use crate::inputs::CLIMATE_INSTRUMENT;

/// Instrument ids read as alliance measures ((G)SRS, the GQ scales: ALLIANCE_LOW and the
/// dropout rule's D5); every other instrument with a reliable-change value or a clinical
/// cut-off is an outcome (NOT_IMPROVING, DETERIORATION). Definitions carry no role of their
/// own, so an organisation loading an alliance measure names it `srs`, `gsrs` or `gq…`.
pub const ALLIANCE_INSTRUMENTS: [&str; 3] = ["srs", "gsrs", "gq"];

fn role(id: &str) -> InstrumentRole {
    let alliance = id == "srs" || id == "gsrs" || id.starts_with("gq");
    if alliance {
        InstrumentRole::Alliance
    } else {
        InstrumentRole::Outcome
    }
}

/// The rules' instrument list: for each instrument the responses used (but the climate
/// measure, which the stage model reads), the scales of its newest used version that have a
/// reliable-change value or a clinical cut-off, by instrument id then scale order.
pub fn instrument_rules(registry: &Registry, responses: &[Response]) -> Vec<InstrumentRule> {
    let mut newest: BTreeMap<&str, u32> = BTreeMap::new();
    for response in responses {
        if response.instrument == CLIMATE_INSTRUMENT {
            continue;
        }
        let version = newest
            .entry(&response.instrument)
            .or_insert(response.version);
        *version = (*version).max(response.version);
    }
    let mut rules = Vec::new();
    for (id, version) in newest {
        let Some(def) = registry.version(id, version) else {
            continue;
        };
        for scale in def.scales() {
            let rci = def.reliable_change(&scale.id).map(|rci| Sourced {
                value: rci.delta,
                source: rci.source.clone(),
            });
            let cutoff = def.clinical_cutoff(&scale.id).map(|c| Cutoff {
                op: match c.op {
                    CutoffOp::AtLeast => CompareOp::Ge,
                    CutoffOp::Above => CompareOp::Gt,
                    CutoffOp::AtMost => CompareOp::Le,
                    CutoffOp::Below => CompareOp::Lt,
                },
                value: c.value,
                source: c.source.clone(),
            });
            if rci.is_none() && cutoff.is_none() {
                continue;
            }
            rules.push(InstrumentRule {
                id: id.to_owned(),
                scale: scale.id.clone(),
                role: role(id),
                direction: match scale.direction {
                    measures::Direction::HigherBetter => Direction::HigherBetter,
                    measures::Direction::LowerBetter => Direction::LowerBetter,
                },
                rci,
                cutoff,
            });
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alliance_ids_are_named_and_everything_else_is_an_outcome() {
        for id in ALLIANCE_INSTRUMENTS {
            assert_eq!(role(id), InstrumentRole::Alliance);
        }
        assert_eq!(role("gq_pb"), InstrumentRole::Alliance);
        assert_eq!(role("phq9"), InstrumentRole::Outcome);
        assert_eq!(role("ors"), InstrumentRole::Outcome);
    }
}
