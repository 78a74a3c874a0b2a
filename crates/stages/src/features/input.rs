//! What one session contributes to the features, as plain numbers: who was enrolled and
//! present, each member's own climate scores and talk, the session's process-code counts
//! and outcome scores. The store fills these; nothing here knows about storage.

use domain::ProcessCode;

use crate::Climate;

/// Was a member in the session?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Present, late, or left early: in the room for some of it.
    Attended,
    /// Did not come and did not say so beforehand (a no-show).
    Absent,
    /// Did not come, with notice.
    Excused,
}

impl Presence {
    /// From the recorded attendance status.
    pub const fn from_status(status: domain::AttendanceStatus) -> Self {
        use domain::AttendanceStatus as S;
        match status {
            S::Present | S::Late | S::LeftEarly => Self::Attended,
            S::Excused => Self::Excused,
            S::Absent => Self::Absent,
        }
    }

    pub const fn attended(self) -> bool {
        matches!(self, Self::Attended)
    }
}

/// One member in one session. A group's sessions list every member of the group in the
/// same order (member index); members not enrolled at the time have `enrolled: false`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MemberSession {
    /// On the roster at the time of this session.
    pub enrolled: bool,
    /// `None` when attendance was not recorded.
    pub presence: Option<Presence>,
    /// The member's own GCQ-S subscale scores; `None` where not answered.
    pub climate: Climate,
    /// The member's utterances in the coded transcript, or tally marks for the member when
    /// the session is known only from the observer tally. `None` (or 0) for a member present
    /// but silent is read as 0 when the session has process data.
    pub talk: Option<u32>,
    /// Hostility and judgment aimed at this member, when the coder or observer named the
    /// target member; `None` when unknown.
    pub aimed_at: Option<u32>,
}

/// Where a session's process codes came from; rates are per 100 of these units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProcessBasis {
    /// A coded transcript: per 100 utterances.
    Utterances,
    /// The observer's live tally: per 100 tallied events.
    TalliedEvents,
}

/// Code counts of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessCounts {
    pub basis: ProcessBasis,
    /// Utterances in the transcript (everyone, facilitators included) or tallied events.
    pub units: u32,
    /// Events per code, in [`ProcessCode::ALL`] order.
    pub codes: [u32; 14],
}

impl ProcessCounts {
    /// Empty counts over `units` units.
    pub const fn new(basis: ProcessBasis, units: u32) -> Self {
        Self {
            basis,
            units,
            codes: [0; 14],
        }
    }

    pub fn count(&self, code: ProcessCode) -> u32 {
        self.codes.get(code as usize).copied().unwrap_or(0)
    }

    pub fn set(&mut self, code: ProcessCode, count: u32) {
        if let Some(slot) = self.codes.get_mut(code as usize) {
            *slot = count;
        }
    }
}

/// One member's score on one instrument scale in one session. `instrument` indexes the
/// group's list of instruments (the caller's; see `circlework_alerts::InstrumentRule`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutcomeScore {
    pub instrument: usize,
    pub member: usize,
    pub score: f64,
}

/// Everything one session contributes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionInput {
    /// The session's number in its group, counted from 1.
    pub number: u32,
    /// Every member of the group, by member index.
    pub members: Vec<MemberSession>,
    /// `None` when the session has neither a coded transcript nor a tally.
    pub process: Option<ProcessCounts>,
    pub outcomes: Vec<OutcomeScore>,
}
