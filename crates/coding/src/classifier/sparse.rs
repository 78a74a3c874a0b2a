//! Compressed sparse rows of feature values, built once per corpus for training.

use super::features::{FeatureBuf, Featurizer};

/// One row per text: the buckets it hits and the value of each hit.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    starts: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl Csr {
    /// The feature rows of `texts`, in order. Each block's hits are worth `1/sqrt(hits)`,
    /// exactly as the model sums them at inference.
    pub fn from_texts<'a>(bits: u32, texts: impl IntoIterator<Item = &'a str>) -> Csr {
        let mut featurizer = Featurizer::new(bits);
        let mut buf = FeatureBuf::default();
        let mut csr = Csr {
            starts: vec![0],
            ..Csr::default()
        };
        for text in texts {
            featurizer.extract(text, &mut buf);
            for block in [&buf.words, &buf.chars] {
                let value = block_value(block.len());
                csr.indices.extend_from_slice(block);
                csr.values.extend(std::iter::repeat_n(value, block.len()));
            }
            csr.starts.push(csr.indices.len());
        }
        csr
    }

    /// Rows stacked in order (for building in parallel, then joining).
    pub fn concat(parts: Vec<Csr>) -> Csr {
        let mut out = Csr {
            starts: vec![0],
            ..Csr::default()
        };
        for part in parts {
            let offset = out.indices.len();
            out.starts
                .extend(part.starts.iter().skip(1).map(|start| start + offset));
            out.indices.extend(part.indices);
            out.values.extend(part.values);
        }
        out
    }

    pub fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The hits of row `i` (empty when out of range).
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (Some(&start), Some(&end)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return (&[], &[]);
        };
        (
            self.indices.get(start..end).unwrap_or(&[]),
            self.values.get(start..end).unwrap_or(&[]),
        )
    }
}

/// The value of each hit in a block of `hits` hits.
#[inline]
pub fn block_value(hits: usize) -> f32 {
    if hits == 0 {
        0.0
    } else {
        1.0 / (hits as f32).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_of_a_row_has_unit_norm_when_buckets_differ() {
        let csr = Csr::from_texts(20, ["hello there friend", ""]);
        assert_eq!(csr.rows(), 2);
        let (indices, values) = csr.row(0);
        assert_eq!(indices.len(), values.len());
        let squares: f32 = values.iter().map(|v| v * v).sum();
        // Two blocks, each of norm 1 when no bucket repeats.
        assert!((squares - 2.0).abs() < 1e-4, "{squares}");
        let (empty_indices, _) = csr.row(1);
        assert_eq!(empty_indices.len(), 3, "shape features only");
        assert_eq!(csr.row(2).0.len(), 0);
    }

    #[test]
    fn concat_keeps_rows_in_order() {
        let a = Csr::from_texts(16, ["one", "two words"]);
        let b = Csr::from_texts(16, ["three"]);
        let joined = Csr::concat(vec![a.clone(), b.clone()]);
        assert_eq!(joined.rows(), 3);
        assert_eq!(joined.row(1), a.row(1));
        assert_eq!(joined.row(2), b.row(0));
    }
}
