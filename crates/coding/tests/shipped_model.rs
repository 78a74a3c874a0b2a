//! The shipped model file loads and codes clear-cut, team-written sentences sensibly: this
//! catches a damaged, stale or mis-built model file.

use circlework_coding::coder::Coder;
use domain::ProcessCode;

fn coder() -> Result<&'static Coder, circlework_coding::classifier::ModelError> {
    Coder::embedded()
}

#[test]
fn a_clear_insult_is_hostile_and_a_calm_remark_is_not() {
    let insult = coder()
        .unwrap()
        .code("You are a pathetic, stupid idiot and I hate you.");
    assert!(
        insult.is_decided(ProcessCode::Hostility),
        "{:?}",
        insult.scores
    );
    let calm = coder()
        .unwrap()
        .code("The next session starts at seven on Thursday.");
    assert!(
        !calm.is_decided(ProcessCode::Hostility),
        "{:?}",
        calm.scores
    );
    assert!(insult.score(ProcessCode::Hostility) > calm.score(ProcessCode::Hostility));
}

#[test]
fn questions_and_reflections_are_facilitation() {
    for line in [
        "What brings you here today?",
        "So it sounds like the move has left you feeling pretty isolated.",
    ] {
        let coded = coder().unwrap().code(line);
        assert!(
            coded.is_decided(ProcessCode::Facilitation),
            "{line}: {:?}",
            coded.scores
        );
    }
}

#[test]
fn sadness_is_emotion_and_thanks_is_validation() {
    let sad = coder()
        .unwrap()
        .code("I feel so sad and lonely, I cried all night.");
    assert!(sad.is_decided(ProcessCode::Emotion), "{:?}", sad.scores);
    let thanks = coder()
        .unwrap()
        .code("Thank you so much, I really appreciate that.");
    assert!(
        thanks.is_decided(ProcessCode::Validation),
        "{:?}",
        thanks.scores
    );
}

#[test]
fn hope_for_change_is_hope() {
    let coded = coder()
        .unwrap()
        .code("I really want to quit drinking and I think I can do it this time.");
    assert!(coded.is_decided(ProcessCode::Hope), "{:?}", coded.scores);
}

#[test]
fn an_empty_utterance_has_no_codes_and_zero_scores() {
    let coded = coder().unwrap().code("   ");
    assert_eq!(coded.codes().count(), 0);
    assert!(coded.scores.iter().all(|s| *s == 0.0));
}
