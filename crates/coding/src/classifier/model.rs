//! The shipped model: one quantised linear head per proxy task, a gate that says which
//! corpus a text resembles, and per-head thresholds. Inference is a table look-up per
//! feature: each bucket's row holds one signed byte per column, so one cache line serves
//! every head and the gate.

use std::borrow::Cow;

use domain::ProcessCode;

use super::features::{FeatureBuf, Featurizer};
use super::solver::{Linear, sigmoid};
use super::sparse::block_value;
use crate::corpus::Task;

/// Heads (one per proxy task) then gate outputs (one per source).
pub const HEADS: usize = 18;
pub const SOURCES: usize = 6;
pub const COLUMNS: usize = HEADS + SOURCES;
/// Bytes per bucket row: the columns, padded to half a cache line.
pub const STRIDE: usize = 32;

const MAGIC: &[u8; 8] = b"CWCODE01";

/// The codes the statistical model scores, in output order.
pub const MODEL_CODES: [ProcessCode; 10] = [
    ProcessCode::Hostility,
    ProcessCode::Judgment,
    ProcessCode::Challenge,
    ProcessCode::Avoidance,
    ProcessCode::Emotion,
    ProcessCode::Support,
    ProcessCode::Validation,
    ProcessCode::Hope,
    ProcessCode::Advice,
    ProcessCode::Facilitation,
];

/// A model file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a coder model file (bad magic bytes)")]
    BadMagic,
    #[error("model file is {found} bytes, expected {expected}")]
    WrongLength { expected: usize, found: usize },
    #[error("model file checksum does not match: the file is damaged")]
    BadChecksum,
    #[error("model file has unsupported layout: {0}")]
    Unsupported(String),
}

/// Scale and bias of one column: `logit = scale · Σ(byte · value) + bias`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Column {
    pub scale: f32,
    pub bias: f32,
}

/// The raw outputs for one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outputs {
    /// Logit of each task head, in [`Task::ALL`] order.
    pub heads: [f32; HEADS],
    /// Gate probability of each source, in [`Source::ALL`] order.
    pub gate: [f32; SOURCES],
}

/// The quantised model, borrowing its bytes (embedded) or owning them (read from a file).
#[derive(Debug, Clone)]
pub struct Model {
    bits: u32,
    columns: [Column; COLUMNS],
    /// Logit at which each head's calibrated score is 0.5.
    thresholds: [f32; HEADS],
    bytes: Cow<'static, [u8]>,
    weights_at: usize,
}

impl Model {
    /// Reads a model file, checking its layout and checksum.
    pub fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<Model, ModelError> {
        let mut reader = Reader {
            bytes: &bytes,
            at: 0,
        };
        if reader.take(8) != Some(MAGIC.as_slice()) {
            return Err(ModelError::BadMagic);
        }
        let bits = reader.u32()?;
        let columns_count = reader.u32()? as usize;
        let stride = reader.u32()? as usize;
        if !(10..=24).contains(&bits) || columns_count != COLUMNS || stride != STRIDE {
            return Err(ModelError::Unsupported(format!(
                "bits {bits}, columns {columns_count}, stride {stride}"
            )));
        }
        let mut columns = [Column::default(); COLUMNS];
        for column in columns.iter_mut() {
            column.scale = reader.f32()?;
            column.bias = reader.f32()?;
        }
        let mut thresholds = [0.0f32; HEADS];
        for threshold in thresholds.iter_mut() {
            *threshold = reader.f32()?;
        }
        let weights_at = reader.at;
        let expected = weights_at + (STRIDE << bits) + 8;
        if bytes.len() != expected {
            return Err(ModelError::WrongLength {
                expected,
                found: bytes.len(),
            });
        }
        let (body, tail) = bytes.split_at(expected - 8);
        if tail != checksum(body).to_le_bytes() {
            return Err(ModelError::BadChecksum);
        }
        Ok(Model {
            bits,
            columns,
            thresholds,
            bytes,
            weights_at,
        })
    }

    /// Quantises trained heads and gate into a model (thresholds at logit 0 until tuned).
    pub fn quantise(bits: u32, heads: &[Linear], gate: &Linear) -> Result<Model, ModelError> {
        let dim = 1usize << bits;
        if heads.len() != HEADS
            || heads.iter().any(|h| h.dim != dim || h.outputs != 1)
            || gate.dim != dim
            || gate.outputs != SOURCES
        {
            return Err(ModelError::Unsupported(
                "heads do not match the layout".into(),
            ));
        }
        // Column c's weight of bucket j.
        let weight = |c: usize, j: usize| -> f32 {
            match heads.get(c) {
                Some(head) => head.weights.get(j).copied().unwrap_or(0.0),
                None => gate
                    .weights
                    .get(j * SOURCES + (c - HEADS))
                    .copied()
                    .unwrap_or(0.0),
            }
        };
        let mut columns = [Column::default(); COLUMNS];
        for (c, column) in columns.iter_mut().enumerate() {
            let max = (0..dim).map(|j| weight(c, j).abs()).fold(0.0f32, f32::max);
            column.scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            column.bias = match heads.get(c) {
                Some(head) => head.bias.first().copied().unwrap_or(0.0),
                None => gate.bias.get(c - HEADS).copied().unwrap_or(0.0),
            };
        }
        let mut weights = vec![0u8; STRIDE << bits];
        for (j, row) in weights.chunks_exact_mut(STRIDE).enumerate() {
            for (c, (slot, column)) in row.iter_mut().zip(&columns).enumerate() {
                let q = (weight(c, j) / column.scale).round().clamp(-127.0, 127.0) as i8;
                *slot = q as u8;
            }
        }
        let bytes = encode(bits, &columns, &[0.0; HEADS], &weights);
        Model::from_bytes(Cow::Owned(bytes))
    }

    /// The same model with new head thresholds.
    pub fn with_thresholds(&self, thresholds: [f32; HEADS]) -> Result<Model, ModelError> {
        let weights = self
            .bytes
            .get(self.weights_at..self.bytes.len() - 8)
            .unwrap_or(&[]);
        Model::from_bytes(Cow::Owned(encode(
            self.bits,
            &self.columns,
            &thresholds,
            weights,
        )))
    }

    /// The file bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    pub fn thresholds(&self) -> [f32; HEADS] {
        self.thresholds
    }

    pub fn featurizer(&self) -> Featurizer {
        Featurizer::new(self.bits)
    }

    /// The quantised weight rows, one per bucket.
    #[inline]
    fn rows(&self) -> &[[u8; STRIDE]] {
        let weights = self.bytes.get(self.weights_at..).unwrap_or(&[]);
        weights.as_chunks::<STRIDE>().0
    }

    /// The quantised weight row of one bucket.
    #[inline]
    fn row(&self, bucket: u32) -> Option<&[u8; STRIDE]> {
        self.rows().get(bucket as usize)
    }

    /// Head logits and gate probabilities for one text's features.
    pub fn outputs(&self, features: &FeatureBuf) -> Outputs {
        let word = self.sum_block(&features.words);
        let char = self.sum_block(&features.chars);
        let (word_value, char_value) = (
            block_value(features.words.len()),
            block_value(features.chars.len()),
        );
        let mut logits = [0.0f32; COLUMNS];
        for (c, logit) in logits.iter_mut().enumerate() {
            let (Some(column), Some(w), Some(ch)) = (self.columns.get(c), word.get(c), char.get(c))
            else {
                continue;
            };
            *logit =
                column.scale * (*w as f32 * word_value + *ch as f32 * char_value) + column.bias;
        }
        let mut heads = [0.0f32; HEADS];
        heads.copy_from_slice(logits.get(..HEADS).unwrap_or(&[0.0; HEADS]));
        let mut gate = [0.0f32; SOURCES];
        gate.copy_from_slice(logits.get(HEADS..).unwrap_or(&[0.0; SOURCES]));
        softmax(&mut gate);
        Outputs { heads, gate }
    }

    /// Sums the rows of `buckets`. Rows are added in 16-bit lanes (half the instructions of
    /// 32-bit lanes), 256 rows at a time so a lane cannot overflow (256 · 127 < 2^15).
    #[inline]
    fn sum_block(&self, buckets: &[u32]) -> [i32; STRIDE] {
        let rows = self.rows();
        let mut sum = [0i32; STRIDE];
        for chunk in buckets.chunks(256) {
            let mut partial = [0i16; STRIDE];
            for bucket in chunk {
                if let Some(row) = rows.get(*bucket as usize) {
                    for (slot, byte) in partial.iter_mut().zip(row) {
                        *slot += i16::from(*byte as i8);
                    }
                }
            }
            for (total, part) in sum.iter_mut().zip(partial) {
                *total += i32::from(part);
            }
        }
        sum
    }

    /// How much one feature (worth `value`) moves a head's logit.
    pub fn contribution(&self, task: Task, bucket: u32, value: f32) -> f32 {
        let c = task.index();
        match (
            self.row(bucket).and_then(|row| row.get(c)),
            self.columns.get(c),
        ) {
            (Some(byte), Some(column)) => f32::from(*byte as i8) * column.scale * value,
            _ => 0.0,
        }
    }

    /// The calibrated score of each model code (in [`MODEL_CODES`] order), with the head
    /// that weighed most in it. A code is decided when its score is at least 0.5.
    pub fn code_scores(&self, outputs: &Outputs) -> [(f32, Task); MODEL_CODES.len()] {
        code_scores(&outputs.heads, &outputs.gate, &self.thresholds)
    }
}

/// A head's logit moved so that its threshold sits at probability 0.5.
#[inline]
pub fn calibrated(logit: f32, threshold: f32) -> f32 {
    sigmoid(logit - threshold)
}

/// The task heads whose decisions make up each model code.
pub fn heads_of(code: ProcessCode) -> &'static [Task] {
    use Task::*;
    match code {
        ProcessCode::Hostility => &[GoemoHostility, DavidsonHostility],
        ProcessCode::Judgment => &[GoemoJudgment],
        ProcessCode::Challenge => &[MrdaChallenge],
        ProcessCode::Avoidance => &[AnnomiAvoidance],
        ProcessCode::Emotion => &[GoemoEmotion],
        ProcessCode::Support => &[GoemoSupport, EpitomeSupport],
        ProcessCode::Validation => &[GoemoValidation, EpitomeValidation, MrdaValidation],
        ProcessCode::Hope => &[GoemoHope, AnnomiHope],
        ProcessCode::Advice => &[AnnomiAdvice, MrdaAdvice],
        ProcessCode::Facilitation => &[AnnomiReflection, AnnomiQuestion, EpitomeFacilitation],
        ProcessCode::Disclosure
        | ProcessCode::Universality
        | ProcessCode::Feedback
        | ProcessCode::Safety => &[],
    }
}

/// Combines heads into code scores: heads of one source are joined by their maximum, then
/// sources are mixed by the gate's belief that the text is like that source's text.
pub fn code_scores(
    heads: &[f32; HEADS],
    gate: &[f32; SOURCES],
    thresholds: &[f32; HEADS],
) -> [(f32, Task); MODEL_CODES.len()] {
    let mut scores = [0.0f32; HEADS];
    for ((score, logit), threshold) in scores.iter_mut().zip(heads).zip(thresholds) {
        *score = calibrated(*logit, *threshold);
    }
    let mut out = [(0.0f32, Task::GoemoHostility); MODEL_CODES.len()];
    for (code, slot) in MODEL_CODES.iter().zip(out.iter_mut()) {
        *slot = mix(*code, &scores, gate);
    }
    out
}

/// The score of one code (see [`code_scores`]) and the head that weighed most in it.
pub fn code_score(
    code: ProcessCode,
    heads: &[f32; HEADS],
    gate: &[f32; SOURCES],
    thresholds: &[f32; HEADS],
) -> (f32, Task) {
    let mut scores = [0.0f32; HEADS];
    for task in heads_of(code) {
        let i = task.index();
        if let (Some(score), Some(logit), Some(threshold)) =
            (scores.get_mut(i), heads.get(i), thresholds.get(i))
        {
            *score = calibrated(*logit, *threshold);
        }
    }
    mix(code, &scores, gate)
}

/// Mixes calibrated head scores of one code by the gate.
#[inline]
fn mix(code: ProcessCode, scores: &[f32; HEADS], gate: &[f32; SOURCES]) -> (f32, Task) {
    let mut per_source = [(f32::NAN, Task::GoemoHostility); SOURCES];
    for task in heads_of(code) {
        let Some(score) = scores.get(task.index()).copied() else {
            continue;
        };
        if let Some(best) = per_source.get_mut(task.source().index())
            && (best.0.is_nan() || score > best.0)
        {
            *best = (score, *task);
        }
    }
    let (mut total, mut mass) = (0.0f32, 0.0f32);
    let mut top = (f32::NEG_INFINITY, Task::GoemoHostility);
    for ((score, task), weight) in per_source.iter().zip(gate) {
        if score.is_nan() {
            continue;
        }
        total += weight * score;
        mass += weight;
        if weight * score > top.0 {
            top = (weight * score, *task);
        }
    }
    (if mass > 0.0 { total / mass } else { 0.0 }, top.1)
}

fn softmax(values: &mut [f32]) {
    let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in values.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in values.iter_mut() {
        *v /= sum;
    }
}

fn encode(
    bits: u32,
    columns: &[Column; COLUMNS],
    thresholds: &[f32; HEADS],
    weights: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(weights.len() + 512);
    out.extend_from_slice(MAGIC);
    for value in [bits, COLUMNS as u32, STRIDE as u32] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    for column in columns {
        out.extend_from_slice(&column.scale.to_le_bytes());
        out.extend_from_slice(&column.bias.to_le_bytes());
    }
    for threshold in thresholds {
        out.extend_from_slice(&threshold.to_le_bytes());
    }
    out.extend_from_slice(weights);
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// A fast checksum over 8-byte words (FNV-style), enough to catch a damaged or cut file.
fn checksum(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for byte in chunks.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at + n)?;
        self.at += n;
        Some(slice)
    }

    fn array(&mut self) -> Result<[u8; 4], ModelError> {
        let found = self.bytes.len();
        self.take(4)
            .and_then(|s| s.try_into().ok())
            .ok_or(ModelError::WrongLength {
                expected: self.at + 4,
                found,
            })
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        self.array().map(u32::from_le_bytes)
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        self.array().map(f32::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Source;

    fn toy_model(bits: u32) -> Model {
        let dim = 1usize << bits;
        let heads: Vec<Linear> = (0..HEADS)
            .map(|h| Linear {
                dim,
                outputs: 1,
                weights: (0..dim)
                    .map(|j| ((j * 7 + h) % 13) as f32 / 13.0 - 0.5)
                    .collect(),
                bias: vec![h as f32 / 10.0],
            })
            .collect();
        let gate = Linear {
            dim,
            outputs: SOURCES,
            weights: (0..dim * SOURCES)
                .map(|j| ((j * 5) % 11) as f32 / 11.0 - 0.5)
                .collect(),
            bias: vec![0.0; SOURCES],
        };
        Model::quantise(bits, &heads, &gate).unwrap()
    }

    #[test]
    fn a_model_survives_the_round_trip_through_bytes() {
        let model = toy_model(10).with_thresholds([0.25; HEADS]).unwrap();
        let again = Model::from_bytes(Cow::Owned(model.as_bytes().to_vec())).unwrap();
        assert_eq!(again.thresholds(), [0.25; HEADS]);
        let mut buf = FeatureBuf::default();
        model
            .featurizer()
            .extract("you are a kind person", &mut buf);
        assert_eq!(model.outputs(&buf), again.outputs(&buf));
    }

    #[test]
    fn damaged_or_foreign_files_are_refused() {
        let model = toy_model(10);
        let mut bytes = model.as_bytes().to_vec();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        assert_eq!(
            Model::from_bytes(Cow::Owned(bytes)).unwrap_err(),
            ModelError::BadChecksum
        );
        let cut = model.as_bytes()[..100].to_vec();
        assert!(matches!(
            Model::from_bytes(Cow::Owned(cut)),
            Err(ModelError::WrongLength { .. })
        ));
        assert_eq!(
            Model::from_bytes(Cow::Owned(b"hello".to_vec())).unwrap_err(),
            ModelError::BadMagic
        );
    }

    #[test]
    fn quantised_logits_track_the_float_heads() {
        let bits = 10;
        let model = toy_model(bits);
        let dim = 1usize << bits;
        let head = Linear {
            dim,
            outputs: 1,
            weights: (0..dim)
                .map(|j| ((j * 7) % 13) as f32 / 13.0 - 0.5)
                .collect(),
            bias: vec![0.0],
        };
        let csr = super::super::sparse::Csr::from_texts(bits, ["so what do you think about that?"]);
        let (i, v) = csr.row(0);
        let mut exact = [0.0f32];
        head.logits(i, v, &mut exact);
        let mut buf = FeatureBuf::default();
        model
            .featurizer()
            .extract("so what do you think about that?", &mut buf);
        let quantised = model.outputs(&buf).heads[0];
        assert!(
            (quantised - exact[0]).abs() < 0.05,
            "{quantised} vs {}",
            exact[0]
        );
    }

    #[test]
    fn heads_of_lists_exactly_the_tasks_of_each_code() {
        for code in ProcessCode::ALL {
            let mut expected: Vec<Task> = Task::ALL
                .iter()
                .copied()
                .filter(|t| t.code() == *code)
                .collect();
            let mut listed = heads_of(*code).to_vec();
            expected.sort();
            listed.sort();
            assert_eq!(listed, expected, "{code:?}");
        }
    }

    #[test]
    fn gate_is_a_probability_distribution() {
        let model = toy_model(10);
        let mut buf = FeatureBuf::default();
        model.featurizer().extract("hello", &mut buf);
        let gate = model.outputs(&buf).gate;
        assert!((gate.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn code_score_follows_the_gate_toward_the_matching_source() {
        // Validation has heads on GoEmotions, EPITOME and MRDA: make the MRDA head sure.
        let mut heads = [-10.0f32; HEADS];
        heads[Task::MrdaValidation.index()] = 10.0;
        let thresholds = [0.0; HEADS];
        let validation = MODEL_CODES
            .iter()
            .position(|c| *c == ProcessCode::Validation)
            .unwrap();
        let mut gate = [0.0f32; SOURCES];
        gate[Source::Mrda.index()] = 0.9;
        gate[Source::GoEmotions.index()] = 0.1;
        let (score, task) = code_scores(&heads, &gate, &thresholds)[validation];
        assert!(score > 0.85, "{score}");
        assert_eq!(task, Task::MrdaValidation);
        gate[Source::Mrda.index()] = 0.1;
        gate[Source::GoEmotions.index()] = 0.9;
        let (score, _) = code_scores(&heads, &gate, &thresholds)[validation];
        assert!(score < 0.15, "{score}");
    }
}
