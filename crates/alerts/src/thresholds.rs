//! Every number the rules compare against, with where it comes from. Defaults are
//! DOMAIN.md's; an organisation's settings override the ones it can configure.

use domain::OrganisationSettings;
use serde::Serialize;

/// A threshold and its source, as recorded in an alert's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Threshold<T> {
    pub value: T,
    pub source: &'static str,
}

const fn t<T>(value: T, source: &'static str) -> Threshold<T> {
    Threshold { value, source }
}

const H63: &str = "DOMAIN.md §6.3 (H)";
const D5: &str = "DOMAIN.md §5 (H)";
const SETTING: &str = "organisation settings";

/// The rules' thresholds. Instrument thresholds (reliable change, cut-offs) come with the
/// instrument (see [`crate::InstrumentRule`]), not from here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// CONFLICT_ESC: group conflict mean at or above this (0–6).
    pub conflict_level: Threshold<f64>,
    /// CONFLICT_ESC: rise in group conflict since the previous session with answers.
    pub conflict_rise: Threshold<f64>,
    /// CONFLICT_ESC: hostility + judgment per 100 utterances (or tallied events) at or above this…
    pub hostility_rate: Threshold<f64>,
    /// …and rising in each of this many session-to-session steps.
    pub hostility_rising_steps: Threshold<u32>,
    /// CONFLICT_EXPECTED instead of CONFLICT_ESC when P(differentiation) is at least this.
    pub expected_differentiation: Threshold<f64>,
    /// WITHDRAWAL: talk share below this fraction of an equal share…
    pub withdrawal_share: Threshold<f64>,
    /// …in this many of the member's sessions with talk data in a row.
    pub withdrawal_sessions: Threshold<u32>,
    /// WITHDRAWAL: drop of the member's own GCQ-S engaged score since their previous answer
    /// (member reliable change Δ for GCQ-S).
    pub engaged_drop: Threshold<f64>,
    /// DROPOUT_RISK D2: absences in a row, excused or not (high).
    pub consecutive_absences: Threshold<u32>,
    /// DROPOUT_RISK D3: a no-show within the member's first this-many sessions (medium).
    pub early_sessions: Threshold<u32>,
    /// DROPOUT_RISK D4: attendance over the member's last this-many sessions…
    pub attendance_window: Threshold<u32>,
    /// …below this rate (medium).
    pub attendance_rate: Threshold<f64>,
    /// DROPOUT_RISK D5: member differs from the group mean on engaged or conflict by more than this.
    pub member_deviance: Threshold<f64>,
    /// DROPOUT_RISK D5: talk share falling in this many steps in a row.
    pub falling_share_steps: Threshold<u32>,
    /// DROPOUT_RISK: D5 factors that raise an alert on their own (medium).
    pub factors_alone: Threshold<u32>,
    /// NOT_IMPROVING: the member's session by which a reliable gain is expected (check in)…
    pub check_in_session: Threshold<u32>,
    /// …and the later one (review the plan).
    pub review_session: Threshold<u32>,
    /// STAGE_STALLED: P(working) below this…
    pub stalled_working: Threshold<f64>,
    /// …once this share of the planned sessions has been held.
    pub stalled_after: Threshold<f64>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            conflict_level: t(3.0, H63),
            conflict_rise: t(1.0, H63),
            hostility_rate: t(3.0, H63),
            hostility_rising_steps: t(
                2,
                "DOMAIN.md §6.3 (H): \"rising 2 sessions\" read as two rises in a row",
            ),
            expected_differentiation: t(0.6, H63),
            withdrawal_share: t(0.25, H63),
            withdrawal_sessions: t(2, H63),
            engaged_drop: t(1.2, "DOMAIN.md §3.2 GCQ-S member Δ (SD 1.0, r .80) (H)"),
            consecutive_absences: t(2, "DOMAIN.md §5 D2 (H)"),
            early_sessions: t(3, "DOMAIN.md §5 D3 (H); Xiao et al. 2017"),
            attendance_window: t(4, "DOMAIN.md §5 D4 (H)"),
            attendance_rate: t(0.75, "DOMAIN.md §5 D4 (H)"),
            member_deviance: t(1.5, D5),
            falling_share_steps: t(2, "ours (H): two falls in a row, as for rising hostility"),
            factors_alone: t(
                2,
                "ours (H): D5 factors raise a risk; two at once raise one alone",
            ),
            check_in_session: t(4, H63),
            review_session: t(8, H63),
            stalled_working: t(0.5, "DOMAIN.md §1.4, §6.3 (H)"),
            stalled_after: t(0.5, "DOMAIN.md §1.4, §6.3 (H)"),
        }
    }
}

impl Thresholds {
    /// The defaults with the organisation's configured values: conflict level and rise, and
    /// the consecutive absences of D2.
    pub fn from_settings(settings: &OrganisationSettings) -> Self {
        let defaults = Self::default();
        let mut out = defaults;
        if settings.alert_conflict_level.is_finite() {
            out.conflict_level =
                override_with(defaults.conflict_level, settings.alert_conflict_level);
        }
        if settings.alert_conflict_rise.is_finite() {
            out.conflict_rise = override_with(defaults.conflict_rise, settings.alert_conflict_rise);
        }
        out.consecutive_absences = override_with(
            defaults.consecutive_absences,
            settings.alert_consecutive_absences.max(1),
        );
        out
    }
}

/// The configured value, keeping the default's source when it is the default.
fn override_with<T: PartialEq + Copy>(default: Threshold<T>, value: T) -> Threshold<T> {
    if value == default.value {
        default
    } else {
        t(value, SETTING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_give_the_default_thresholds_and_changes_are_attributed() {
        assert_eq!(
            Thresholds::from_settings(&OrganisationSettings::default()),
            Thresholds::default()
        );
        let settings = OrganisationSettings {
            alert_conflict_level: 2.5,
            alert_consecutive_absences: 3,
            ..OrganisationSettings::default()
        };
        let thresholds = Thresholds::from_settings(&settings);
        assert_eq!(thresholds.conflict_level, t(2.5, SETTING));
        assert_eq!(thresholds.consecutive_absences, t(3, SETTING));
        assert_eq!(
            thresholds.conflict_rise,
            Thresholds::default().conflict_rise
        );
    }
}
