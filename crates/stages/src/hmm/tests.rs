//! The stage model's recursions: against brute force, on simulated groups, and on inputs
//! chosen to break them.

use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

use super::*;
use crate::simulate::simulate;
use crate::{Gaussian, InferredProbs, SD_MAX, SD_MIN};

fn sum(p: &StageProbs) -> f64 {
    p.to_array().iter().sum()
}

fn assert_distribution(p: &StageProbs) {
    for value in p.to_array() {
        assert!(value.is_finite() && (0.0..=1.0).contains(&value), "{p:?}");
    }
    assert!((sum(p) - 1.0).abs() < 1e-9, "{p:?}");
}

/// Every path over the inferred stages, scored directly: the exact posteriors and the best
/// path for a short open-ended sequence.
fn brute_force(
    model: &Model,
    observations: &[Climate],
) -> (Vec<[f64; 4]>, Vec<[f64; 4]>, Vec<Stage>) {
    let hmm = Hmm::new(model).unwrap();
    let t_len = observations.len();
    let pi = model.initial.to_array();
    let rows = model.transitions.to_rows();
    let mut smoothed = vec![[0.0; 4]; t_len];
    let mut total = 0.0;
    let mut best = (f64::NEG_INFINITY, vec![]);
    let paths = 3usize.pow(t_len as u32);
    let emissions: Vec<LogP> = observations.iter().map(|o| hmm.log_emission(o)).collect();
    for code in 0..paths {
        let path: Vec<usize> = (0..t_len)
            .map(|t| (code / 3usize.pow(t as u32)) % 3)
            .collect();
        let mut log_p = pi[path[0]].ln() + emissions[0][path[0]];
        for t in 1..t_len {
            log_p += rows[path[t - 1]][path[t]].ln() + emissions[t][path[t]];
        }
        let p = log_p.exp();
        total += p;
        for t in 0..t_len {
            smoothed[t][path[t]] += p;
        }
        if log_p > best.0 {
            best = (log_p, path.clone());
        }
    }
    let smoothed: Vec<[f64; 4]> = smoothed.iter().map(|s| s.map(|v| v / total)).collect();
    // Filtered: the same enumeration over each prefix.
    let filtered = (1..=t_len)
        .map(|len| {
            let prefix = &observations[..len];
            let (s, _, _) = if len == t_len {
                (smoothed.clone(), vec![], vec![])
            } else {
                brute_force(model, prefix)
            };
            s[len - 1]
        })
        .collect();
    let path = best.1.into_iter().map(Stage::from_index).collect();
    (filtered, smoothed, path)
}

#[test]
fn recursions_match_enumerating_every_path() {
    let observations = [
        Climate::new(3.1, 3.3, 0.9),
        Climate::new(2.9, 2.7, 2.5),
        Climate::MISSING,
        Climate {
            engaged: Some(4.2),
            avoiding: None,
            conflict: Some(1.0),
        },
        Climate::new(4.0, 2.1, 1.9),
    ];
    let model = Model::domain();
    let (filtered, smoothed, path) = brute_force(&model, &observations);
    let hmm = Hmm::domain();
    let timeline = hmm.timeline(Horizon::OpenEnded, &observations);
    for (t, session) in timeline.sessions.iter().enumerate() {
        for (a, b) in session.posterior.to_array().iter().zip(filtered[t]) {
            assert!((a - b).abs() < 1e-12, "filtered {t}: {a} vs {b}");
        }
        for (a, b) in session.smoothed.to_array().iter().zip(smoothed[t]) {
            assert!((a - b).abs() < 1e-12, "smoothed {t}: {a} vs {b}");
        }
    }
    let viterbi: Vec<Stage> = timeline.sessions.iter().map(|s| s.stage).collect();
    assert_eq!(viterbi, path);
    assert_eq!(
        hmm.filter(Horizon::OpenEnded, &observations),
        timeline
            .sessions
            .iter()
            .map(|s| s.posterior)
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_domain_model_compiles_like_a_validated_one() {
    let a = Hmm::domain();
    let b = Hmm::new(&Model::domain()).unwrap();
    let obs = [Climate::new(3.0, 3.0, 2.0)];
    assert_eq!(a.log_emission(&obs[0]), b.log_emission(&obs[0]));
    assert_eq!(
        a.timeline(Horizon::Planned(8), &obs),
        b.timeline(Horizon::Planned(8), &obs)
    );
}

/// Share of sessions whose stage is recovered, over simulated groups: (Viterbi, smoothed
/// argmax) counting only sessions whose stage is inferred (not forced ending).
fn recovery(horizon: Horizon, sessions: u32, groups: usize, seed: u64) -> (f64, f64) {
    let model = Model::domain();
    let hmm = Hmm::domain();
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut viterbi_right, mut smoothed_right, mut total) = (0usize, 0usize, 0usize);
    for _ in 0..groups {
        let (truth, observations) = simulate(&model, horizon, sessions, &mut rng);
        let timeline = hmm.timeline(horizon, &observations);
        for (stage, session) in truth.iter().zip(&timeline.sessions) {
            if horizon.is_ending(session.session) {
                assert_eq!(session.stage, Stage::Ending);
                continue;
            }
            total += 1;
            viterbi_right += usize::from(session.stage == *stage);
            smoothed_right += usize::from(session.smoothed.most_likely() == *stage);
        }
    }
    (
        viterbi_right as f64 / total as f64,
        smoothed_right as f64 / total as f64,
    )
}

#[test]
fn hidden_stages_of_simulated_groups_are_recovered() {
    for (horizon, sessions) in [
        (Horizon::Planned(12), 12),
        (Horizon::Planned(20), 20),
        (Horizon::OpenEnded, 30),
    ] {
        let (viterbi, smoothed) = recovery(horizon, sessions, 400, 7);
        println!(
            "recovery {horizon:?} × {sessions} sessions: Viterbi {viterbi:.3}, smoothed {smoothed:.3}"
        );
        assert!(viterbi >= 0.8, "Viterbi accuracy {viterbi}");
        assert!(smoothed >= 0.8, "smoothed accuracy {smoothed}");
    }
}

#[test]
fn the_last_k_sessions_are_ending_and_open_groups_never_end() {
    let hmm = Hmm::domain();
    let observations = vec![Climate::new(3.0, 3.0, 1.0); 10];
    let timeline = hmm.timeline(Horizon::Planned(10), &observations);
    let stages: Vec<Stage> = timeline.sessions.iter().map(|s| s.stage).collect();
    assert_eq!(&stages[8..], &[Stage::Ending, Stage::Ending]);
    assert!(stages[..8].iter().all(|s| *s != Stage::Ending));
    for session in &timeline.sessions[8..] {
        assert_eq!(session.posterior, StageProbs::certain(Stage::Ending));
        assert_eq!(session.smoothed, StageProbs::certain(Stage::Ending));
    }
    for session in &timeline.sessions[..8] {
        assert_eq!(session.posterior.ending, 0.0);
    }
    let open = hmm.timeline(Horizon::OpenEnded, &observations);
    assert!(open.sessions.iter().all(|s| s.posterior.ending == 0.0
        && s.smoothed.ending == 0.0
        && s.stage != Stage::Ending));
    // A one-session plan is all ending.
    let one = hmm.timeline(Horizon::Planned(1), &observations[..1]);
    assert_eq!(one.sessions[0].stage, Stage::Ending);
}

#[test]
fn filtering_only_knows_the_past_and_agrees_with_smoothing_at_the_end() {
    let hmm = Hmm::domain();
    let mut rng = StdRng::seed_from_u64(3);
    let (_, observations) = simulate(&Model::domain(), Horizon::Planned(16), 16, &mut rng);
    let full = hmm.filter(Horizon::Planned(16), &observations);
    for t in 1..=observations.len() {
        let prefix = hmm.filter(Horizon::Planned(16), &observations[..t]);
        assert_eq!(prefix.as_slice(), &full[..t]);
    }
    let timeline = hmm.timeline(Horizon::OpenEnded, &observations[..9]);
    let last = timeline.sessions.last().unwrap();
    for (a, b) in last
        .posterior
        .to_array()
        .iter()
        .zip(last.smoothed.to_array())
    {
        assert!((a - b).abs() < 1e-12);
    }
}

#[test]
fn no_answers_is_a_missing_observation_and_no_sessions_is_empty() {
    let hmm = Hmm::domain();
    let timeline = hmm.timeline(Horizon::OpenEnded, &[Climate::MISSING; 3]);
    let first = timeline.sessions[0].posterior;
    for (a, b) in first.to_array().iter().zip([0.90, 0.08, 0.02, 0.0]) {
        assert!((a - b).abs() < 1e-12, "{first:?}");
    }
    assert!(timeline.log_likelihood.abs() < 1e-12);
    let empty = hmm.timeline(Horizon::Planned(10), &[]);
    assert!(empty.sessions.is_empty());
    assert_eq!(empty.log_likelihood, 0.0);
    assert!(hmm.viterbi(Horizon::OpenEnded, &[]).is_empty());
}

#[test]
fn thousands_of_sessions_stay_finite() {
    let hmm = Hmm::domain();
    let mut rng = StdRng::seed_from_u64(5);
    let (_, observations) = simulate(&Model::domain(), Horizon::OpenEnded, 5_000, &mut rng);
    let timeline = hmm.timeline(Horizon::Planned(4_000), &observations);
    assert!(timeline.log_likelihood.is_finite());
    for session in &timeline.sessions {
        assert_distribution(&session.posterior);
        assert_distribution(&session.smoothed);
    }
}

#[test]
fn a_working_group_is_recognised_and_a_conflict_peak_reads_as_differentiation() {
    let hmm = Hmm::domain();
    let mut observations = vec![Climate::new(3.0, 3.2, 1.0); 2];
    observations.extend([Climate::new(2.9, 2.8, 2.6); 3]);
    observations.extend([Climate::new(4.2, 2.0, 1.0); 5]);
    let timeline = hmm.timeline(Horizon::OpenEnded, &observations);
    let stages: Vec<Stage> = timeline.sessions.iter().map(|s| s.stage).collect();
    assert_eq!(stages[0], Stage::Engagement);
    assert!(
        stages[2..5].iter().all(|s| *s == Stage::Differentiation),
        "{stages:?}"
    );
    assert!(
        stages[5..].iter().all(|s| *s == Stage::Working),
        "{stages:?}"
    );
}

fn any_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        3 => (0.0..=6.0f64).prop_map(Some),
        1 => Just(None),
        1 => prop_oneof![
            Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(f64::MAX),
            Just(f64::MIN), Just(1e-300), Just(-0.0), Just(6.0), Just(1e9), Just(-1e9),
        ].prop_map(Some),
    ]
}

fn any_climate() -> impl Strategy<Value = Climate> {
    (any_value(), any_value(), any_value()).prop_map(|(engaged, avoiding, conflict)| Climate {
        engaged,
        avoiding,
        conflict,
    })
}

fn any_horizon() -> impl Strategy<Value = Horizon> {
    prop_oneof![
        Just(Horizon::OpenEnded),
        (0u32..40).prop_map(Horizon::Planned)
    ]
}

/// Valid Viterbi path: forced sessions are ending, others never; no zero-probability moves.
fn assert_valid_path(model: &Model, horizon: Horizon, path: &[Stage]) {
    let rows = model.transitions.to_rows();
    for (session, stage) in (1u32..).zip(path) {
        assert_eq!(
            *stage == Stage::Ending,
            horizon.is_ending(session),
            "session {session}: {path:?}"
        );
    }
    if let Some(first) = path.first()
        && *first != Stage::Ending
    {
        assert!(model.initial.to_array()[first.index()] > 0.0);
    }
    for pair in path.windows(2) {
        match (pair[0], pair[1]) {
            (Stage::Ending, next) => assert_eq!(next, Stage::Ending),
            (_, Stage::Ending) => {}
            (from, to) => assert!(rows[from.index()][to.index()] > 0.0, "{from} → {to}"),
        }
    }
}

proptest! {
    #[test]
    fn posteriors_are_distributions_for_any_input(
        observations in proptest::collection::vec(any_climate(), 0..60),
        horizon in any_horizon(),
    ) {
        let model = Model::domain();
        let hmm = Hmm::domain();
        let timeline = hmm.timeline(horizon, &observations);
        prop_assert_eq!(timeline.sessions.len(), observations.len());
        prop_assert!(timeline.log_likelihood.is_finite());
        for session in &timeline.sessions {
            assert_distribution(&session.posterior);
            assert_distribution(&session.smoothed);
        }
        let path: Vec<Stage> = timeline.sessions.iter().map(|s| s.stage).collect();
        assert_valid_path(&model, horizon, &path);
    }

    #[test]
    fn extreme_models_still_give_distributions(
        observations in proptest::collection::vec(any_climate(), 1..30),
        horizon in any_horizon(),
        sd in prop_oneof![Just(SD_MIN), Just(SD_MAX), 0.05..6.0f64],
        mean in prop_oneof![Just(0.0), Just(6.0), 0.0..=6.0f64],
        stay in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
    ) {
        let mut model = Model::domain();
        model.emissions.working.engaged = Gaussian { mean, sd };
        model.emissions.differentiation.conflict = Gaussian { mean: 6.0 - mean, sd: SD_MIN };
        model.transitions.working = InferredProbs::from_array([0.0, 1.0 - stay, stay]);
        model.initial = InferredProbs::from_array([0.0, 0.0, 1.0]);
        let hmm = Hmm::new(&model).unwrap();
        let timeline = hmm.timeline(horizon, &observations);
        for session in &timeline.sessions {
            assert_distribution(&session.posterior);
            assert_distribution(&session.smoothed);
        }
        let path: Vec<Stage> = timeline.sessions.iter().map(|s| s.stage).collect();
        assert_valid_path(&model, horizon, &path);
    }
}
