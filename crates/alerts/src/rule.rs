//! The alert rules of DOMAIN.md §6.3: their ids (spelled exactly as there), versions and
//! the facilitator move each suggests (DOMAIN.md §1.2).

use serde::{Serialize, Serializer};

/// One rule of DOMAIN.md §6.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    Safety,
    ConflictEsc,
    ConflictExpected,
    Withdrawal,
    AllianceLow,
    DropoutRisk,
    NotImproving,
    Deterioration,
    StageStalled,
}

impl RuleId {
    pub const ALL: [RuleId; 9] = [
        Self::Safety,
        Self::ConflictEsc,
        Self::ConflictExpected,
        Self::Withdrawal,
        Self::AllianceLow,
        Self::DropoutRisk,
        Self::NotImproving,
        Self::Deterioration,
        Self::StageStalled,
    ];

    /// The id as stored and printed, e.g. `CONFLICT_ESC`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Safety => "SAFETY",
            Self::ConflictEsc => "CONFLICT_ESC",
            Self::ConflictExpected => "CONFLICT_EXPECTED",
            Self::Withdrawal => "WITHDRAWAL",
            Self::AllianceLow => "ALLIANCE_LOW",
            Self::DropoutRisk => "DROPOUT_RISK",
            Self::NotImproving => "NOT_IMPROVING",
            Self::Deterioration => "DETERIORATION",
            Self::StageStalled => "STAGE_STALLED",
        }
    }

    /// The version of the rule's logic, stored with every alert it raises. Bump it when
    /// the logic changes (not when a threshold is configured differently: thresholds are
    /// in the evidence).
    pub const fn version(self) -> u32 {
        1
    }

    /// Basis of the rule (DOMAIN.md §6.3).
    pub const fn basis(self) -> &'static str {
        match self {
            Self::Safety => "Kroenke et al. 2001; Barkham et al. 2013 (DOMAIN.md §6.3)",
            Self::ConflictEsc => "design heuristic (H), DOMAIN.md §1.3, §6.3",
            Self::ConflictExpected => "design heuristic (H), DOMAIN.md §6.3",
            Self::Withdrawal => "design heuristic (H), DOMAIN.md §2.2, §6.3",
            Self::AllianceLow => "Duncan et al. 2003; Janis et al. 2018 (DOMAIN.md §6.3)",
            Self::DropoutRisk => "DOMAIN.md §5 rules D2–D5 (H)",
            Self::NotImproving => "design heuristic (H) after Lambert et al. 2004 (DOMAIN.md §6.3)",
            Self::Deterioration => "Jacobson & Truax 1991 (DOMAIN.md §3.2, §6.3)",
            Self::StageStalled => "design heuristic (H), DOMAIN.md §1.4, §6.3",
        }
    }

    /// What the facilitator might do (DOMAIN.md §1.2 and §5).
    pub const fn suggestion(self) -> &'static str {
        match self {
            Self::Safety => {
                "Speak with the member privately today and follow your organisation's safety protocol (risk check, emergency contacts); record what you did."
            }
            Self::ConflictEsc => {
                "Name the tension and contain it: keep it on behaviour, block attacks, invite direct here-and-now talk, and take challenges to the leader without defensiveness."
            }
            Self::ConflictExpected => {
                "Conflict is expected at this stage: normalise it, keep it on behaviour rather than worth, and help the group process it here and now."
            }
            Self::Withdrawal => {
                "Invite the member in (a direct, gentle question; link their experience to others') and check in with them after the session."
            }
            Self::AllianceLow => {
                "Ask the member how the group fits them: goals, approach, what would make it more useful; adjust what you can."
            }
            Self::DropoutRisk => {
                "Reach out before the next session (within 48 hours): say they were missed, that discouragement is normal, and ask what would help them stay."
            }
            Self::NotImproving => {
                "Check in with the member about progress and goals; by session 8 without reliable gain, review the plan with them."
            }
            Self::Deterioration => {
                "Review with the member promptly: what has changed, any risk, and whether the plan needs more support."
            }
            Self::StageStalled => {
                "Help the group move to work: reduce leader activity, foster member-to-member feedback, and process what may be holding it back (unspoken conflict, avoidance)."
            }
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = UnknownRule;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|rule| rule.as_str() == s)
            .ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

/// A rule id that is not one of DOMAIN.md §6.3's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown alert rule {:?}", self.0)
    }
}

impl std::error::Error for UnknownRule {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_spelled_as_in_the_domain_reference() {
        let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            ids,
            [
                "SAFETY",
                "CONFLICT_ESC",
                "CONFLICT_EXPECTED",
                "WITHDRAWAL",
                "ALLIANCE_LOW",
                "DROPOUT_RISK",
                "NOT_IMPROVING",
                "DETERIORATION",
                "STAGE_STALLED"
            ]
        );
        for rule in RuleId::ALL {
            assert_eq!(rule.as_str().parse::<RuleId>(), Ok(rule));
            assert_eq!(serde_json::to_value(rule).unwrap(), rule.as_str());
            assert!(!rule.suggestion().is_empty());
        }
        assert!("conflict_esc".parse::<RuleId>().is_err());
    }
}
