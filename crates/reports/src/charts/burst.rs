//! Bursts: stretches of a transcript where a code comes thick and fast.
//!
//! A window of `window` consecutive utterances is *hot* when at least `min_count` of them
//! carry the code. A burst is a maximal stretch covered by overlapping hot windows, trimmed
//! to its first and last coded utterance. So with the default of 3 in 10, three hostile
//! turns within ten utterances are a burst, and a fourth two turns later extends it.

/// What counts as a burst: at least `min_count` coded utterances among `window`
/// consecutive ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstRule {
    pub min_count: usize,
    pub window: usize,
}

impl BurstRule {
    /// Three in ten utterances.
    pub const DEFAULT: BurstRule = BurstRule {
        min_count: 3,
        window: 10,
    };
}

impl Default for BurstRule {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One burst: utterance positions (0-based, inclusive) and how many carry the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burst {
    pub first: usize,
    pub last: usize,
    pub count: usize,
}

/// The bursts in `flags` (one per utterance: does it carry the code?), in order, disjoint.
/// A rule of 0 counts or a 0 window is read as 1.
pub fn bursts(flags: &[bool], rule: BurstRule) -> Vec<Burst> {
    let k = rule.min_count.max(1);
    let w = rule.window.max(1).min(flags.len().max(1));
    let mut out: Vec<Burst> = Vec::new();
    if flags.len() < k {
        return out;
    }
    // Running count of flags in the window [start, start + w).
    let mut count = flags.iter().take(w).filter(|f| **f).count();
    let mut span: Option<(usize, usize)> = None;
    let last_start = flags.len().saturating_sub(w);
    for start in 0..=last_start {
        if start > 0 {
            let leaving = flags.get(start - 1).copied().unwrap_or(false);
            let entering = flags.get(start + w - 1).copied().unwrap_or(false);
            count = count + usize::from(entering) - usize::from(leaving);
        }
        if count >= k {
            let end = start + w - 1;
            span = match span {
                Some((s, e)) if start <= e => Some((s, end.max(e))),
                Some((s, e)) => {
                    push_trimmed(&mut out, flags, s, e);
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
    }
    if let Some((s, e)) = span {
        push_trimmed(&mut out, flags, s, e);
    }
    out
}

fn push_trimmed(out: &mut Vec<Burst>, flags: &[bool], start: usize, end: usize) {
    let slice = flags.get(start..=end).unwrap_or(&[]);
    let first = slice.iter().position(|f| *f);
    let last = slice.iter().rposition(|f| *f);
    if let (Some(first), Some(last)) = (first, last) {
        out.push(Burst {
            first: start + first,
            last: start + last,
            count: slice.iter().filter(|f| **f).count(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flags(pattern: &str) -> Vec<bool> {
        pattern.chars().map(|c| c == 'x').collect()
    }

    #[test]
    fn three_in_ten_is_a_burst_and_two_is_not() {
        let rule = BurstRule::DEFAULT;
        assert_eq!(bursts(&flags("..x...x.....x......"), rule), vec![]);
        assert_eq!(
            bursts(&flags("..x...x..x........."), rule),
            vec![Burst {
                first: 2,
                last: 9,
                count: 3
            }]
        );
        // A fourth close behind extends the burst; one far away starts nothing new.
        assert_eq!(
            bursts(&flags("..x...x..x.x..............x"), rule),
            vec![Burst {
                first: 2,
                last: 11,
                count: 4
            }]
        );
        // Two separate bursts.
        assert_eq!(
            bursts(&flags("xxx....................xxx"), rule),
            vec![
                Burst {
                    first: 0,
                    last: 2,
                    count: 3
                },
                Burst {
                    first: 23,
                    last: 25,
                    count: 3
                }
            ]
        );
    }

    #[test]
    fn short_transcripts_and_degenerate_rules() {
        assert_eq!(bursts(&[], BurstRule::DEFAULT), vec![]);
        assert_eq!(bursts(&flags("xx"), BurstRule::DEFAULT), vec![]);
        assert_eq!(bursts(&flags("xxx"), BurstRule::DEFAULT).len(), 1);
        let zero = BurstRule {
            min_count: 0,
            window: 0,
        };
        assert_eq!(bursts(&flags(".x.x"), zero).len(), 2);
    }

    /// The slow definition: every hot window, merged.
    fn naive(flags: &[bool], rule: BurstRule) -> Vec<bool> {
        let k = rule.min_count.max(1);
        let w = rule.window.max(1).min(flags.len().max(1));
        let mut covered = vec![false; flags.len()];
        for start in 0..=flags.len().saturating_sub(w) {
            let window = &flags[start..(start + w).min(flags.len())];
            if window.iter().filter(|f| **f).count() >= k {
                for i in start..start + window.len() {
                    covered[i] |= flags[i];
                }
            }
        }
        covered
    }

    proptest! {
        #[test]
        fn bursts_hold_exactly_the_flags_of_hot_windows(
            flags in proptest::collection::vec(any::<bool>(), 0..120),
            min_count in 0usize..6,
            window in 0usize..15,
        ) {
            let rule = BurstRule { min_count, window };
            let found = bursts(&flags, rule);
            let mut covered = vec![false; flags.len()];
            let mut previous_end: Option<usize> = None;
            for b in &found {
                prop_assert!(b.first <= b.last);
                prop_assert!(flags[b.first] && flags[b.last]);
                prop_assert!(previous_end.is_none_or(|e| b.first > e));
                prop_assert!(b.count >= min_count.max(1));
                prop_assert_eq!(b.count, flags[b.first..=b.last].iter().filter(|f| **f).count());
                for (i, c) in covered.iter_mut().enumerate().take(b.last + 1).skip(b.first) {
                    *c = flags[i];
                }
                previous_end = Some(b.last);
            }
            prop_assert_eq!(covered, naive(&flags, rule));
        }
    }
}
