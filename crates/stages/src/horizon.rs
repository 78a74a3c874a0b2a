//! Whether a group has a planned number of sessions, and which of its sessions are forced
//! into the ending stage (DOMAIN.md §1.4).

use serde::{Deserialize, Serialize};

/// Share of planned sessions given to the ending stage, in percent (DOMAIN.md §1.4).
const ENDING_PERCENT: u64 = 15;

/// How long a group runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Horizon {
    /// A closed group with this many planned sessions; its last sessions are the ending.
    Planned(u32),
    /// An open-ended group: no ending stage.
    OpenEnded,
}

impl Horizon {
    /// `Planned(n)` for `Some(n)`, open-ended for `None`.
    pub const fn from_planned(planned: Option<u32>) -> Self {
        match planned {
            Some(n) => Self::Planned(n),
            None => Self::OpenEnded,
        }
    }

    /// Number of ending sessions: k = max(1, round(0.15·N)), halves rounded up; none for an
    /// open-ended group. Integer arithmetic, so N = 10 gives exactly 2.
    pub const fn ending_sessions(self) -> u32 {
        match self {
            Self::OpenEnded => 0,
            Self::Planned(n) => {
                let k = (ENDING_PERCENT * n as u64 + 50) / 100;
                if k < 1 { 1 } else { k as u32 }
            }
        }
    }

    /// Is session `session` (counted from 1) forced into the ending stage? It is when
    /// session > N − k; sessions held beyond the plan are ending sessions too.
    pub const fn is_ending(self, session: u32) -> bool {
        match self {
            Self::OpenEnded => false,
            Self::Planned(n) => session as u64 + self.ending_sessions() as u64 > n as u64,
        }
    }

    /// The first forced session, if any.
    pub const fn first_ending_session(self) -> Option<u32> {
        match self {
            Self::OpenEnded => None,
            Self::Planned(n) => Some(n.saturating_sub(self.ending_sessions()).saturating_add(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_planned_sessions_end_with_nine_and_ten() {
        let h = Horizon::Planned(10);
        assert_eq!(h.ending_sessions(), 2);
        assert!(!h.is_ending(8));
        assert!(h.is_ending(9) && h.is_ending(10) && h.is_ending(11));
        assert_eq!(h.first_ending_session(), Some(9));
    }

    #[test]
    fn halves_round_up_and_at_least_one_session_ends() {
        // 0.15·N: 30 → 4.5 → 5; 52 → 7.8 → 8; 3 → 0.45 → 0 → 1; 1 → 1.
        for (n, k) in [(30, 5), (52, 8), (3, 1), (1, 1), (12, 2), (20, 3), (0, 1)] {
            assert_eq!(Horizon::Planned(n).ending_sessions(), k, "N = {n}");
        }
        assert_eq!(Horizon::Planned(u32::MAX).ending_sessions(), 644_245_094);
        assert!(Horizon::Planned(1).is_ending(1));
        assert!(!Horizon::OpenEnded.is_ending(u32::MAX));
        assert_eq!(Horizon::OpenEnded.ending_sessions(), 0);
    }
}
