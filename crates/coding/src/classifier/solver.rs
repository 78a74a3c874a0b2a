//! L2-regularised logistic and softmax regression on sparse rows, fitted with L-BFGS.
//! Gradients are summed over a fixed number of row chunks in a fixed order, so the result
//! does not depend on how many threads ran them.

use rayon::prelude::*;

use super::sparse::Csr;

/// Rows are cut into this many chunks for parallel gradients (fixed for reproducibility).
const CHUNKS: usize = 8;

/// One training row: which CSR row, its class (0/1 for logistic, 0..K for softmax) and its
/// weight in the loss.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub row: usize,
    pub class: usize,
    pub weight: f32,
}

/// A linear model with `outputs` columns over `dim` features, stored feature-major:
/// `weights[j * outputs + k]`, and one bias per output.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub dim: usize,
    pub outputs: usize,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Linear {
    pub fn zeros(dim: usize, outputs: usize) -> Linear {
        Linear {
            dim,
            outputs,
            weights: vec![0.0; dim * outputs],
            bias: vec![0.0; outputs],
        }
    }

    /// The raw outputs (logits) for one row.
    pub fn logits(&self, indices: &[u32], values: &[f32], out: &mut [f32]) {
        for (slot, bias) in out.iter_mut().zip(&self.bias) {
            *slot = *bias;
        }
        for (&j, &v) in indices.iter().zip(values) {
            let start = j as usize * self.outputs;
            if let Some(row) = self.weights.get(start..start + self.outputs) {
                for (slot, w) in out.iter_mut().zip(row) {
                    *slot += w * v;
                }
            }
        }
    }
}

/// How hard to fit.
#[derive(Debug, Clone, Copy)]
pub struct FitSettings {
    /// Inverse regularisation strength, as scikit-learn's `C` (on weight-normalised loss).
    pub c: f32,
    pub max_iterations: usize,
    /// Stop when the objective improves by less than this fraction in an iteration.
    pub tolerance: f64,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings {
            c: 4.0,
            max_iterations: 150,
            tolerance: 1e-6,
        }
    }
}

/// Binary logistic regression (`classes == 2`, one output) or softmax regression
/// (`classes > 2`, one output per class).
pub fn fit(
    data: &Csr,
    dim: usize,
    classes: usize,
    samples: &[Sample],
    settings: FitSettings,
) -> Linear {
    let outputs = if classes <= 2 { 1 } else { classes };
    let total_weight: f64 = samples.iter().map(|s| f64::from(s.weight)).sum();
    let problem = Problem {
        data,
        samples,
        outputs,
        dim,
        // 0.5·||w||²/C + Σ weight·loss, divided by the total weight.
        l2: 1.0 / (f64::from(settings.c) * total_weight.max(1.0)),
        total_weight: total_weight.max(1e-12),
    };
    let start = Linear::zeros(dim, outputs);
    let params = lbfgs(&problem, flatten(&start), settings);
    unflatten(dim, outputs, params)
}

fn flatten(model: &Linear) -> Vec<f32> {
    let mut params = model.weights.clone();
    params.extend_from_slice(&model.bias);
    params
}

fn unflatten(dim: usize, outputs: usize, mut params: Vec<f32>) -> Linear {
    let bias = params.split_off(dim * outputs);
    Linear {
        dim,
        outputs,
        weights: params,
        bias,
    }
}

struct Problem<'a> {
    data: &'a Csr,
    samples: &'a [Sample],
    outputs: usize,
    dim: usize,
    l2: f64,
    total_weight: f64,
}

impl Problem<'_> {
    /// Objective value; writes the gradient into `grad`.
    fn evaluate(&self, params: &[f32], grad: &mut [f32]) -> f64 {
        let k = self.outputs;
        let n_weights = self.dim * k;
        let chunk_len = self.samples.len().div_ceil(CHUNKS).max(1);
        let partials: Vec<(f64, Vec<f32>)> = self
            .samples
            .par_chunks(chunk_len)
            .map(|chunk| {
                let mut g = vec![0.0f32; params.len()];
                let mut logits = vec![0.0f32; k];
                let mut loss = 0.0f64;
                for sample in chunk {
                    let (indices, values) = self.data.row(sample.row);
                    for (slot, b) in logits
                        .iter_mut()
                        .zip(params.get(n_weights..).unwrap_or(&[]))
                    {
                        *slot = *b;
                    }
                    for (&j, &v) in indices.iter().zip(values) {
                        let start = j as usize * k;
                        if let Some(row) = params.get(start..start + k) {
                            for (slot, w) in logits.iter_mut().zip(row) {
                                *slot += w * v;
                            }
                        }
                    }
                    // Turn logits into d(loss)/d(logit), in place.
                    loss += f64::from(sample.weight) * loss_and_residual(&mut logits, sample.class);
                    for r in logits.iter_mut() {
                        *r *= sample.weight;
                    }
                    for (&j, &v) in indices.iter().zip(values) {
                        let start = j as usize * k;
                        if let Some(row) = g.get_mut(start..start + k) {
                            for (slot, r) in row.iter_mut().zip(&logits) {
                                *slot += r * v;
                            }
                        }
                    }
                    if let Some(bias) = g.get_mut(n_weights..) {
                        for (slot, r) in bias.iter_mut().zip(&logits) {
                            *slot += r;
                        }
                    }
                }
                (loss, g)
            })
            .collect();
        let scale = (1.0 / self.total_weight) as f32;
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (part_loss, part_grad) in partials {
            loss += part_loss;
            for (slot, g) in grad.iter_mut().zip(&part_grad) {
                *slot += g;
            }
        }
        let mut penalty = 0.0f64;
        let l2 = self.l2 as f32;
        for (i, (slot, w)) in grad.iter_mut().zip(params).enumerate() {
            *slot *= scale;
            if i < n_weights {
                *slot += l2 * w;
                penalty += f64::from(*w) * f64::from(*w);
            }
        }
        loss / self.total_weight + 0.5 * self.l2 * penalty
    }
}

/// Loss of one row; replaces `logits` with the loss's derivative with respect to them.
fn loss_and_residual(logits: &mut [f32], class: usize) -> f64 {
    if logits.len() == 1 {
        let Some(z) = logits.first_mut() else {
            return 0.0;
        };
        let y = if class == 1 { 1.0f32 } else { 0.0 };
        let p = sigmoid(*z);
        // log(1 + e^-z) for y=1, log(1 + e^z) for y=0, computed stably.
        let signed = if class == 1 { -*z } else { *z };
        let loss = softplus(f64::from(signed));
        *z = p - y;
        return loss;
    }
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0f64;
    for z in logits.iter_mut() {
        *z = (*z - max).exp();
        sum += f64::from(*z);
    }
    let mut loss = 0.0;
    for (k, z) in logits.iter_mut().enumerate() {
        let p = (f64::from(*z) / sum) as f32;
        if k == class {
            loss = -(f64::from(p).max(1e-30)).ln();
            *z = p - 1.0;
        } else {
            *z = p;
        }
    }
    loss
}

pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn softplus(x: f64) -> f64 {
    if x > 30.0 { x } else { x.exp().ln_1p() }
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

/// Limited-memory BFGS with a backtracking (Armijo) line search.
fn lbfgs(problem: &Problem<'_>, mut x: Vec<f32>, settings: FitSettings) -> Vec<f32> {
    const MEMORY: usize = 10;
    let n = x.len();
    let mut grad = vec![0.0f32; n];
    let mut f = problem.evaluate(&x, &mut grad);
    let mut history: std::collections::VecDeque<(Vec<f32>, Vec<f32>, f64)> =
        std::collections::VecDeque::with_capacity(MEMORY);
    let mut direction = vec![0.0f32; n];
    let mut next_x = vec![0.0f32; n];
    let mut next_grad = vec![0.0f32; n];
    for _ in 0..settings.max_iterations {
        // Two-loop recursion: direction = -H·grad.
        direction.copy_from_slice(&grad);
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let alpha = rho * dot(s, &direction);
            for (d, yi) in direction.iter_mut().zip(y) {
                *d -= (alpha as f32) * yi;
            }
            alphas.push(alpha);
        }
        let gamma = history
            .back()
            .map(|(s, y, _)| dot(s, y) / dot(y, y).max(1e-30))
            .unwrap_or_else(|| 1.0 / dot(&grad, &grad).sqrt().max(1e-12));
        for d in direction.iter_mut() {
            *d *= gamma as f32;
        }
        for ((s, y, rho), alpha) in history.iter().zip(alphas.iter().rev()) {
            let beta = rho * dot(y, &direction);
            for (d, si) in direction.iter_mut().zip(s) {
                *d += ((alpha - beta) as f32) * si;
            }
        }
        for d in direction.iter_mut() {
            *d = -*d;
        }
        let mut slope = dot(&grad, &direction);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            history.clear();
            for (d, g) in direction.iter_mut().zip(&grad) {
                *d = -g;
            }
            slope = -dot(&grad, &grad);
        }
        let mut step = 1.0f32;
        let mut next_f = f64::INFINITY;
        for _ in 0..30 {
            for ((nx, xi), d) in next_x.iter_mut().zip(&x).zip(&direction) {
                *nx = xi + step * d;
            }
            next_f = problem.evaluate(&next_x, &mut next_grad);
            if next_f <= f + 1e-4 * f64::from(step) * slope {
                break;
            }
            step *= 0.5;
        }
        if next_f >= f {
            break;
        }
        let s: Vec<f32> = next_x.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f32> = next_grad.iter().zip(&grad).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if history.len() == MEMORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        std::mem::swap(&mut x, &mut next_x);
        std::mem::swap(&mut grad, &mut next_grad);
        let improvement = (f - next_f) / f.abs().max(1e-12);
        f = next_f;
        if improvement < settings.tolerance {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Csr, Vec<Sample>) {
        let texts = [
            "good kind lovely",
            "kind and good",
            "awful rude",
            "rude and awful",
            "lovely day",
        ];
        let labels = [1, 1, 0, 0, 1];
        let csr = Csr::from_texts(12, texts);
        let samples = labels
            .iter()
            .enumerate()
            .map(|(row, class)| Sample {
                row,
                class: *class,
                weight: 1.0,
            })
            .collect();
        (csr, samples)
    }

    #[test]
    fn logistic_regression_separates_a_separable_toy_set() {
        let (csr, samples) = toy();
        let model = fit(&csr, 1 << 12, 2, &samples, FitSettings::default());
        let mut out = [0.0f32];
        for sample in &samples {
            let (i, v) = csr.row(sample.row);
            model.logits(i, v, &mut out);
            assert_eq!(out[0] > 0.0, sample.class == 1, "row {}", sample.row);
        }
    }

    #[test]
    fn softmax_regression_learns_three_classes() {
        let csr = Csr::from_texts(
            12,
            [
                "apple pear",
                "pear plum",
                "car bus",
                "bus train",
                "red blue",
                "blue green",
            ],
        );
        let samples: Vec<Sample> = (0..6)
            .map(|row| Sample {
                row,
                class: row / 2,
                weight: 1.0,
            })
            .collect();
        let model = fit(&csr, 1 << 12, 3, &samples, FitSettings::default());
        let mut out = [0.0f32; 3];
        for sample in &samples {
            let (i, v) = csr.row(sample.row);
            model.logits(i, v, &mut out);
            let best = (0..3).max_by(|a, b| out[*a].total_cmp(&out[*b])).unwrap();
            assert_eq!(best, sample.class);
        }
    }

    #[test]
    fn fitting_is_reproducible_bit_for_bit() {
        let (csr, samples) = toy();
        let a = fit(&csr, 1 << 12, 2, &samples, FitSettings::default());
        let b = fit(&csr, 1 << 12, 2, &samples, FitSettings::default());
        assert_eq!(a, b);
    }

    #[test]
    fn stronger_regularisation_gives_smaller_weights() {
        let (csr, samples) = toy();
        let loose = fit(
            &csr,
            1 << 12,
            2,
            &samples,
            FitSettings {
                c: 10.0,
                ..FitSettings::default()
            },
        );
        let tight = fit(
            &csr,
            1 << 12,
            2,
            &samples,
            FitSettings {
                c: 0.01,
                ..FitSettings::default()
            },
        );
        let norm = |m: &Linear| dot(&m.weights, &m.weights);
        assert!(norm(&tight) < norm(&loose));
    }
}
