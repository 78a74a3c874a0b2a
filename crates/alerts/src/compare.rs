//! Threshold comparisons with a small tolerance: group means are sums divided by counts,
//! and 3.0 computed as 2.9999999999999996 must still reach a threshold of 3.0.

pub const TOLERANCE: f64 = 1e-9;

/// value ≥ threshold
pub fn at_least(value: f64, threshold: f64) -> bool {
    value >= threshold - TOLERANCE
}

/// value < threshold
pub fn below(value: f64, threshold: f64) -> bool {
    value < threshold - TOLERANCE
}

/// value > threshold
pub fn above(value: f64, threshold: f64) -> bool {
    value > threshold + TOLERANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_a_rounding_error_away_count_as_equal() {
        let three = (2.9 + 3.1 + 3.0) / 3.0;
        assert!(at_least(three, 3.0) && !below(three, 3.0) && !above(three, 3.0));
        assert!(at_least(0.1 + 0.2, 0.3));
        assert!(below(2.99, 3.0) && above(3.01, 3.0));
    }
}
