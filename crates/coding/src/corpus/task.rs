//! The 18 proxy tasks of DATA.md and the sources (corpus and speaker role) they read.

use domain::ProcessCode;

macro_rules! tasks {
    ($($variant:ident => ($name:literal, $code:ident, $source:ident)),* $(,)?) => {
        /// One proxy task: a binary decision on one corpus, scored by one code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Task { $($variant),* }

        impl Task {
            /// All tasks in DATA.md's order.
            pub const ALL: &'static [Task] = &[$(Task::$variant),*];

            pub const fn name(self) -> &'static str {
                match self { $(Task::$variant => $name),* }
            }

            /// The code whose decision this task scores.
            pub const fn code(self) -> ProcessCode {
                match self { $(Task::$variant => ProcessCode::$code),* }
            }

            /// Where the task's texts come from.
            pub const fn source(self) -> Source {
                match self { $(Task::$variant => Source::$source),* }
            }
        }
    };
}

tasks! {
    GoemoHostility => ("goemo-hostility", Hostility, GoEmotions),
    GoemoJudgment => ("goemo-judgment", Judgment, GoEmotions),
    GoemoSupport => ("goemo-support", Support, GoEmotions),
    GoemoValidation => ("goemo-validation", Validation, GoEmotions),
    GoemoHope => ("goemo-hope", Hope, GoEmotions),
    GoemoEmotion => ("goemo-emotion", Emotion, GoEmotions),
    DavidsonHostility => ("davidson-hostility", Hostility, Davidson),
    AnnomiAdvice => ("annomi-advice", Advice, AnnomiTherapist),
    AnnomiReflection => ("annomi-reflection", Facilitation, AnnomiTherapist),
    AnnomiQuestion => ("annomi-question", Facilitation, AnnomiTherapist),
    AnnomiAvoidance => ("annomi-avoidance", Avoidance, AnnomiClient),
    AnnomiHope => ("annomi-hope", Hope, AnnomiClient),
    EpitomeSupport => ("epitome-support", Support, Epitome),
    EpitomeFacilitation => ("epitome-facilitation", Facilitation, Epitome),
    EpitomeValidation => ("epitome-validation", Validation, Epitome),
    MrdaChallenge => ("mrda-challenge", Challenge, Mrda),
    MrdaValidation => ("mrda-validation", Validation, Mrda),
    MrdaAdvice => ("mrda-advice", Advice, Mrda),
}

impl Task {
    /// Position in [`Task::ALL`]; also the head's column in the model.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(index: usize) -> Option<Task> {
        Task::ALL.get(index).copied()
    }

    pub fn from_name(name: &str) -> Option<Task> {
        Task::ALL.iter().copied().find(|task| task.name() == name)
    }
}

/// Where a text comes from: a corpus, and for AnnoMI the speaker's role. The model's gate
/// learns to tell these apart so each head is trusted on text like its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    GoEmotions,
    Davidson,
    AnnomiTherapist,
    AnnomiClient,
    Epitome,
    Mrda,
}

impl Source {
    pub const ALL: &'static [Source] = &[
        Source::GoEmotions,
        Source::Davidson,
        Source::AnnomiTherapist,
        Source::AnnomiClient,
        Source::Epitome,
        Source::Mrda,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub const fn name(self) -> &'static str {
        match self {
            Source::GoEmotions => "goemotions",
            Source::Davidson => "davidson",
            Source::AnnomiTherapist => "annomi-therapist",
            Source::AnnomiClient => "annomi-client",
            Source::Epitome => "epitome",
            Source::Mrda => "mrda",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_eighteen_tasks_over_the_ten_model_codes() {
        assert_eq!(Task::ALL.len(), 18);
        let mut codes: Vec<ProcessCode> = Task::ALL.iter().map(|t| t.code()).collect();
        codes.sort_by_key(|c| c.as_str());
        codes.dedup();
        assert_eq!(codes.len(), 10);
        for rule_code in [
            ProcessCode::Safety,
            ProcessCode::Disclosure,
            ProcessCode::Universality,
            ProcessCode::Feedback,
        ] {
            assert!(!codes.contains(&rule_code));
        }
    }

    #[test]
    fn index_and_name_round_trip() {
        for (i, task) in Task::ALL.iter().enumerate() {
            assert_eq!(task.index(), i);
            assert_eq!(Task::from_index(i), Some(*task));
            assert_eq!(Task::from_name(task.name()), Some(*task));
        }
        for (i, source) in Source::ALL.iter().enumerate() {
            assert_eq!(source.index(), i);
        }
    }
}
