//! The development split: which texts train the model, which tune its thresholds and which
//! give the figures we quote. Fixed rules, no random source, so every run agrees.

/// A development part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Train,
    Tune,
    Report,
}

impl Part {
    pub const fn name(self) -> &'static str {
        match self {
            Part::Train => "train",
            Part::Tune => "tune",
            Part::Report => "report",
        }
    }
}

/// FNV-1a, 64 bits: small, stable across platforms and easy to reproduce in other languages.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// For corpora split by a dialogue, post or row id: 70% train, 15% tune, 15% report, by
/// `fnv1a(id) % 20`. Every text of one id lands in the same part.
pub fn part_by_id(id: &str) -> Part {
    match fnv1a(id.as_bytes()) % 20 {
        0..14 => Part::Train,
        14..17 => Part::Tune,
        _ => Part::Report,
    }
}

/// For a held-out file that we halve (GoEmotions dev.tsv): tune or report by `fnv1a(id) % 2`.
pub(crate) fn half_by_id(id: &str) -> Part {
    if fnv1a(id.as_bytes()).is_multiple_of(2) {
        Part::Tune
    } else {
        Part::Report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn ids_spread_over_the_three_parts_roughly_70_15_15() {
        let mut counts = [0usize; 3];
        for id in 0..10_000 {
            let slot = match part_by_id(&id.to_string()) {
                Part::Train => 0,
                Part::Tune => 1,
                Part::Report => 2,
            };
            if let Some(count) = counts.get_mut(slot) {
                *count += 1;
            }
        }
        assert!((6_500..7_500).contains(&counts[0]), "{counts:?}");
        assert!((1_200..1_800).contains(&counts[1]), "{counts:?}");
        assert!((1_200..1_800).contains(&counts[2]), "{counts:?}");
    }
}
