//! Drawing stage paths and climate readings from a model, for tests, benchmarks and
//! synthetic groups. The random source is always passed in.

use rand::Rng;

use crate::{Climate, Horizon, Model, Stage, StateEmission};

/// One draw from the standard normal distribution (Box–Muller).
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    // 1 − U lies in (0, 1], so its logarithm is finite.
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn categorical(rng: &mut impl Rng, probs: [f64; 3]) -> Stage {
    let u = rng.random::<f64>() * probs.iter().sum::<f64>();
    let mut cumulative = 0.0;
    for (index, p) in probs.iter().enumerate() {
        cumulative += p;
        if u < cumulative {
            return Stage::from_index(index);
        }
    }
    // Rounding left u at the very top: the last stage with any probability.
    let last = probs.iter().rposition(|p| *p > 0.0).unwrap_or(0);
    Stage::from_index(last)
}

/// A stage path of `sessions` sessions drawn from the Markov chain, with the ending
/// forced as the horizon says.
pub fn sample_stages(
    model: &Model,
    horizon: Horizon,
    sessions: u32,
    rng: &mut impl Rng,
) -> Vec<Stage> {
    let rows = model.transitions.to_rows();
    let mut path = Vec::with_capacity(sessions as usize);
    let mut current: Option<Stage> = None;
    for session in 1..=sessions {
        let next = if horizon.is_ending(session) {
            Stage::Ending
        } else {
            match current {
                None => categorical(rng, model.initial.to_array()),
                Some(stage) => {
                    let row = rows.get(stage.index()).copied().unwrap_or([0.0, 0.0, 1.0]);
                    categorical(rng, row)
                }
            }
        };
        path.push(next);
        current = Some(next);
    }
    path
}

/// One session's group means drawn from a stage's emissions, clamped to the 0–6 scale.
pub fn sample_climate(emission: &StateEmission, rng: &mut impl Rng) -> Climate {
    let mut draw = |g: crate::Gaussian| (g.mean + g.sd * standard_normal(rng)).clamp(0.0, 6.0);
    Climate::new(
        draw(emission.engaged),
        draw(emission.avoiding),
        draw(emission.conflict),
    )
}

/// A stage path and the readings it emits.
pub fn simulate(
    model: &Model,
    horizon: Horizon,
    sessions: u32,
    rng: &mut impl Rng,
) -> (Vec<Stage>, Vec<Climate>) {
    let stages = sample_stages(model, horizon, sessions, rng);
    let climate = stages
        .iter()
        .map(|stage| sample_climate(model.emissions.get(*stage), rng))
        .collect();
    (stages, climate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn the_normal_draws_have_mean_zero_and_unit_variance() {
        let mut rng = StdRng::seed_from_u64(1);
        let draws: Vec<f64> = (0..20_000).map(|_| standard_normal(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }

    #[test]
    fn paths_start_early_never_go_back_from_working_to_engagement_and_end_forced() {
        let model = Model::domain();
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..200 {
            let path = sample_stages(&model, Horizon::Planned(12), 12, &mut rng);
            assert_eq!(&path[10..], &[Stage::Ending, Stage::Ending]);
            assert!(path[..10].iter().all(|s| *s != Stage::Ending));
            for pair in path.windows(2) {
                assert!(!(pair[0] == Stage::Working && pair[1] == Stage::Engagement));
            }
        }
        let open = sample_stages(&model, Horizon::OpenEnded, 40, &mut rng);
        assert!(!open.contains(&Stage::Ending));
    }
}
