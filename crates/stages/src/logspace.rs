//! Log-space arithmetic over the four states: sums of probabilities without underflow.

/// A log-probability per state, in [`crate::Stage::ALL`] order.
pub type LogP = [f64; 4];

pub const NEG_INF: f64 = f64::NEG_INFINITY;

/// log(Σ exp(xᵢ)), exact to rounding, −∞ when every term is −∞, never NaN for inputs that
/// are finite or −∞.
pub fn log_sum_exp(values: &LogP) -> f64 {
    let max = values.iter().copied().fold(NEG_INF, f64::max);
    if max == NEG_INF || max.is_nan() {
        return NEG_INF;
    }
    // Impossible states (−∞) add nothing; skipping them saves the exponentials.
    let sum: f64 = values
        .iter()
        .filter(|v| **v != NEG_INF)
        .map(|v| (v - max).exp())
        .sum();
    max + sum.ln()
}

/// Element-wise a + b.
pub fn add(a: &LogP, b: &LogP) -> LogP {
    let mut out = *a;
    for (o, y) in out.iter_mut().zip(b) {
        *o += y;
    }
    out
}

/// Shifts `values` so they sum to 1 in probability space; returns them and the log of
/// what they summed to. When nothing is possible (every entry −∞), falls back to the
/// uniform distribution over `fallback` so callers never see NaN.
pub fn normalise(values: &LogP, fallback: &[bool; 4]) -> (LogP, f64) {
    let total = log_sum_exp(values);
    if total.is_finite() {
        let mut out = *values;
        for v in &mut out {
            *v -= total;
        }
        return (out, total);
    }
    let count = fallback.iter().filter(|f| **f).count().max(1);
    let uniform = -(count as f64).ln();
    let mut out = [NEG_INF; 4];
    for (o, allowed) in out.iter_mut().zip(fallback) {
        if *allowed {
            *o = uniform;
        }
    }
    (out, NEG_INF)
}

/// Probabilities from normalised log-probabilities, renormalised so they sum to 1 exactly
/// up to rounding.
pub fn to_probs(values: &LogP) -> [f64; 4] {
    let mut out = values.map(f64::exp);
    let sum: f64 = out.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        for p in &mut out {
            *p /= sum;
        }
    }
    out
}

/// Index and value of the largest entry (the first on a tie).
pub fn arg_max(values: &LogP) -> (usize, f64) {
    let mut best = (0, NEG_INF);
    for (i, v) in values.iter().enumerate() {
        if *v > best.1 {
            best = (i, *v);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_tiny_probabilities_do_not_underflow() {
        let values = [-1000.0, -1000.0, NEG_INF, NEG_INF];
        let lse = log_sum_exp(&values);
        assert!((lse - (-1000.0 + 2f64.ln())).abs() < 1e-9);
        assert_eq!(log_sum_exp(&[NEG_INF; 4]), NEG_INF);
        let (norm, total) = normalise(&values, &[true; 4]);
        assert_eq!(total, lse);
        assert_eq!(to_probs(&norm), [0.5, 0.5, 0.0, 0.0]);
        let (uniform, total) = normalise(&[NEG_INF; 4], &[true, true, true, false]);
        assert_eq!(total, NEG_INF);
        let probs = to_probs(&uniform);
        assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-12 && probs[3] == 0.0);
        assert_eq!(arg_max(&[1.0, 3.0, 3.0, NEG_INF]), (1, 3.0));
    }
}
