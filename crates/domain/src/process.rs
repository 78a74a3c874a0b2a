//! What happens in a session, coded: the 14 process codes and the events that carry them.

use jiff::Timestamp;
use serde::Serialize;

use crate::{MemberId, ParseError, SessionId};

crate::named_enum! {
    /// The process codes of DATA.md. One utterance or tally mark can carry several.
    pub enum ProcessCode("process code") {
        /// Verbal attack, contempt, threat, targeted profanity toward a person.
        Hostility => "hostility",
        /// Moralising about or labelling another member's worth or choices.
        Judgment => "judgment",
        /// Disagreeing with or challenging a member or the leader.
        Challenge => "challenge",
        /// Hesitance, declining to share, deflecting, minimal answers.
        Avoidance => "avoidance",
        /// Telling something personal about oneself.
        Disclosure => "disclosure",
        /// Expressing one's own distressing feeling.
        Emotion => "emotion",
        /// Caring, comfort or encouragement offered to another.
        Support => "support",
        /// "Me too": naming a shared experience, normalising.
        Universality => "universality",
        /// Telling another how their behaviour lands, here and now.
        Feedback => "feedback",
        /// Acknowledging or understanding another's experience; agreement, appreciation.
        Validation => "validation",
        /// Belief that change is possible; commitment to change.
        Hope => "hope",
        /// Advice, suggestions or information.
        Advice => "advice",
        /// A facilitator move: question, reflection, structuring, limit setting, linking.
        Facilitation => "facilitation",
        /// Talk of self-harm, suicide, harming others or abuse: always sent to a person.
        Safety => "safety",
    }
}

crate::named_enum! {
    /// Yalom's eleven therapeutic factors, plus self-understanding (Bloch & Crouch's add-on).
    pub enum TherapeuticFactor("therapeutic factor") {
        InstillationOfHope => "instillation-of-hope",
        Universality => "universality",
        ImpartingInformation => "imparting-information",
        Altruism => "altruism",
        CorrectiveFamilyRecapitulation => "corrective-family-recapitulation",
        SocializingTechniques => "socializing-techniques",
        ImitativeBehaviour => "imitative-behaviour",
        InterpersonalLearning => "interpersonal-learning",
        Cohesiveness => "cohesiveness",
        Catharsis => "catharsis",
        Existential => "existential",
        SelfUnderstanding => "self-understanding",
    }
}

/// How a code reads to a facilitator: a risk to watch, a process marker, a therapeutic
/// factor at work, a leader move, or an urgent matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    Risk,
    Process,
    Therapeutic,
    Leader,
    Urgent,
}

impl ProcessCode {
    /// The 13 codes scored on the proxy tasks (all but `safety`, which rules find).
    pub const EVALUATED: &'static [ProcessCode] = &[
        Self::Hostility,
        Self::Judgment,
        Self::Challenge,
        Self::Avoidance,
        Self::Disclosure,
        Self::Emotion,
        Self::Support,
        Self::Universality,
        Self::Feedback,
        Self::Validation,
        Self::Hope,
        Self::Advice,
        Self::Facilitation,
    ];

    /// The therapeutic factors this code feeds (DATA.md's map).
    pub const fn factors(self) -> &'static [TherapeuticFactor] {
        use TherapeuticFactor as F;
        match self {
            Self::Disclosure => &[F::Catharsis, F::SelfUnderstanding],
            Self::Emotion => &[F::Catharsis],
            Self::Support => &[F::Cohesiveness, F::Altruism],
            Self::Universality => &[F::Universality],
            Self::Feedback => &[F::InterpersonalLearning],
            Self::Validation => &[F::Cohesiveness],
            Self::Hope => &[F::InstillationOfHope],
            Self::Advice => &[F::ImpartingInformation],
            Self::Hostility
            | Self::Judgment
            | Self::Challenge
            | Self::Avoidance
            | Self::Facilitation
            | Self::Safety => &[],
        }
    }

    pub const fn kind(self) -> CodeKind {
        match self {
            Self::Hostility | Self::Judgment | Self::Avoidance => CodeKind::Risk,
            Self::Challenge => CodeKind::Process,
            Self::Facilitation => CodeKind::Leader,
            Self::Safety => CodeKind::Urgent,
            _ => CodeKind::Therapeutic,
        }
    }
}

crate::named_enum! {
    /// Whom a coded turn is aimed at.
    pub enum Target("target") {
        SelfTarget => "self",
        Member => "member",
        Leader => "leader",
        Group => "group",
    }
}

/// How strong a coded turn is, 1 (mild) to 3 (strong).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Intensity(u8);

impl Intensity {
    pub const MILD: Intensity = Intensity(1);

    pub fn new(value: u8) -> Result<Self, ParseError> {
        if (1..=3).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ParseError::new("intensity", "must be 1, 2 or 3"))
        }
    }

    pub const fn get(self) -> u8 {
        self.0
    }
}

crate::named_enum! {
    /// Where an event came from: a co-facilitator's live tally or a coded transcript.
    pub enum EventSource("event source") {
        Tally => "tally",
        Transcript => "transcript",
    }
}

/// One coded happening in a session: who, what code, aimed at whom, how strongly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessEvent {
    pub session_id: SessionId,
    /// The member, when the speaker is mapped to one; `None` for facilitators or unknown speakers.
    pub member_id: Option<MemberId>,
    /// The speaker label as it appeared (transcripts only).
    pub speaker: Option<String>,
    pub code: ProcessCode,
    pub target: Option<Target>,
    pub intensity: Intensity,
    pub source: EventSource,
    /// Position of the utterance in its transcript, when from one.
    pub utterance_index: Option<u32>,
    pub at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_fourteen_codes_and_thirteen_evaluated() {
        assert_eq!(ProcessCode::ALL.len(), 14);
        assert_eq!(ProcessCode::EVALUATED.len(), 13);
        assert!(!ProcessCode::EVALUATED.contains(&ProcessCode::Safety));
    }

    #[test]
    fn codes_round_trip_through_their_names() {
        for code in ProcessCode::ALL {
            assert_eq!(code.as_str().parse::<ProcessCode>(), Ok(*code));
        }
        assert!("HOSTILE".parse::<ProcessCode>().is_err());
    }

    #[test]
    fn support_feeds_cohesiveness_and_altruism() {
        assert_eq!(
            ProcessCode::Support.factors(),
            &[TherapeuticFactor::Cohesiveness, TherapeuticFactor::Altruism]
        );
        assert!(ProcessCode::Hostility.factors().is_empty());
    }

    #[test]
    fn intensity_is_one_to_three() {
        assert!(Intensity::new(0).is_err());
        assert_eq!(Intensity::new(3).map(Intensity::get), Ok(3));
        assert!(Intensity::new(4).is_err());
    }
}
