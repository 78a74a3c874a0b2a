//! Properties of scoring over arbitrary answers: scores stay inside their scale, every valid
//! sum has a band, reverse keying is an involution, prorating never exceeds the maximum,
//! validity follows the missing-data rule, and raising one answer moves a scale one way only.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

extern crate circlework_measures as measures;

use measures::{InstrumentDef, Method, Registry, parse_definition, prorate, score};
use proptest::prelude::*;

fn definitions() -> Vec<InstrumentDef> {
    let mut defs: Vec<InstrumentDef> = Registry::bundled()
        .unwrap()
        .instruments()
        .map(|(def, _)| def.clone())
        .collect();
    defs.push(
        parse_definition(
            "reverse_keyed.toml",
            include_str!("fixtures/reverse_keyed.toml"),
        )
        .unwrap(),
    );
    defs
}

/// One instrument and answers for it: each item missing or in its own range.
fn instrument_and_answers() -> impl Strategy<Value = (InstrumentDef, Vec<Option<u8>>)> {
    prop::sample::select(definitions()).prop_flat_map(|def| {
        let items: Vec<_> = def
            .items()
            .iter()
            .map(|item| prop::option::weighted(0.8, item.min..=item.max))
            .collect();
        (Just(def), items)
    })
}

proptest! {
    #[test]
    fn valid_scores_stay_inside_their_scale_and_sums_have_a_band(
        (def, answers) in instrument_and_answers()
    ) {
        let scored = score(&def, &answers).unwrap();
        let missing = answers.iter().filter(|a| a.is_none()).count();
        prop_assert_eq!(scored.missing, missing);
        prop_assert_eq!(
            scored.is_valid(),
            missing <= def.missing().max_missing && missing < answers.len()
        );
        for scale in def.scales() {
            let got = scored.scale(&scale.id).unwrap();
            let Some(value) = got.value else {
                prop_assert!(!scored.is_valid() || got.answered == 0);
                continue;
            };
            let (lo, hi) = def.scale_range(scale);
            prop_assert!(lo <= value.as_f64() && value.as_f64() <= hi, "{} {:?} outside {lo}..{hi}", scale.id, value);
            if scale.method == Method::Sum && def.bands(&scale.id).next().is_some() {
                prop_assert!(got.band.is_some(), "{} = {:?} has no band", scale.id, value);
            }
        }
    }

    #[test]
    fn reverse_keying_is_an_involution_within_the_item_range(
        (def, answers) in instrument_and_answers()
    ) {
        for (item, answer) in def.items().iter().zip(&answers) {
            let Some(answer) = *answer else { continue };
            let keyed = item.keyed(answer);
            prop_assert!(item.accepts(keyed));
            prop_assert_eq!(item.keyed(keyed), answer);
            prop_assert_eq!(keyed == answer, !item.reverse || 2 * u16::from(answer) == u16::from(item.min) + u16::from(item.max));
        }
    }

    #[test]
    fn prorating_never_exceeds_the_maximum(
        items in 1usize..60, max in 1u32..10, answered_frac in 0.0f64..=1.0, fill in 0.0f64..=1.0
    ) {
        let answered = ((items as f64 * answered_frac).round() as usize).clamp(1, items);
        let sum = ((answered as u32 * max) as f64 * fill).round() as u32;
        let prorated = prorate(sum, answered, items);
        prop_assert!(prorated <= items as u32 * max);
        prop_assert!(prorated >= sum);
        // Rounded half up: within half a point of the exact value.
        let exact = f64::from(sum) * items as f64 / answered as f64;
        prop_assert!((f64::from(prorated) - exact).abs() <= 0.5 + 1e-9);
    }

    #[test]
    fn raising_one_answer_moves_each_scale_one_way(
        (def, answers) in instrument_and_answers(), pick in any::<prop::sample::Index>()
    ) {
        let at = pick.index(answers.len());
        let item = &def.items()[at];
        let Some(answer) = answers[at] else { return Ok(()) };
        if answer == item.max { return Ok(()) }
        let mut raised = answers.clone();
        raised[at] = Some(answer + 1);
        let before = score(&def, &answers).unwrap();
        let after = score(&def, &raised).unwrap();
        prop_assert_eq!(before.is_valid(), after.is_valid());
        for scale in def.scales().filter(|s| s.items.contains(&item.n)) {
            let (Some(b), Some(a)) = (before.value(&scale.id), after.value(&scale.id)) else { continue };
            if item.reverse {
                prop_assert!(a <= b, "{}: raising reverse item {} raised {b} to {a}", scale.id, item.n);
            } else {
                prop_assert!(a >= b, "{}: raising item {} lowered {b} to {a}", scale.id, item.n);
            }
        }
    }

    #[test]
    fn answering_everything_scores_the_plain_sum(
        (def, answers) in instrument_and_answers()
    ) {
        let complete: Vec<Option<u8>> = def
            .items()
            .iter()
            .zip(&answers)
            .map(|(item, a)| Some(a.unwrap_or(item.min)))
            .collect();
        let scored = score(&def, &complete).unwrap();
        prop_assert!(scored.is_valid());
        if let Some(total) = def.total() {
            let expected: u32 = def
                .items()
                .iter()
                .zip(&complete)
                .filter(|(item, _)| total.items.contains(&item.n))
                .map(|(item, a)| u32::from(item.keyed(a.unwrap())))
                .sum();
            prop_assert_eq!(scored.value("total"), Some(f64::from(expected)));
        }
    }
}
