//! Text → hashed features: word unigrams and bigrams, character 3–5-grams inside words
//! (padded with a space on each side), and a few shape features (case, final punctuation,
//! length). Every feature is a bucket in a table of `2^bits` rows; no vocabulary is stored.
//!
//! Two blocks, words (with shape) and characters, are each scaled by `1/sqrt(count)` so long
//! and short texts weigh alike. Repeated features simply add up; training and inference use
//! the same arithmetic, so no de-duplication is needed on the hot path.

/// Texts longer than this are coded on their first this-many bytes: an utterance that long
/// is a paste, and the bound keeps every sum small and the time per line predictable.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

const SEED_WORD: u64 = 0x9e37_79b9_7f4a_7c15;
const SEED_BIGRAM: u64 = 0xc2b2_ae3d_27d4_eb4f;
const SEED_CHAR: u64 = 0x1656_67b1_9e37_79f9;
const SEED_SHAPE: u64 = 0x27d4_eb2f_1656_67c5;
const BOUNDARY: &[u8] = b"\x02";

/// Which block a feature belongs to (each block has its own scaling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    Word,
    Char,
}

/// A feature as a person reads it, for `--explain`.
#[derive(Debug, Clone, Copy)]
pub enum FeatureName<'a> {
    Word(&'a [u8]),
    Bigram(&'a [u8], &'a [u8]),
    Char(&'a [u8]),
    Shape(&'static str),
}

impl FeatureName<'_> {
    pub fn render(&self) -> String {
        let text = |bytes: &[u8]| {
            if bytes == BOUNDARY {
                "·".to_owned()
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            }
        };
        match self {
            FeatureName::Word(word) => format!("word \"{}\"", text(word)),
            FeatureName::Bigram(a, b) => format!("words \"{} {}\"", text(a), text(b)),
            FeatureName::Char(gram) => format!("chars \"{}\"", text(gram)),
            FeatureName::Shape(name) => format!("shape {name}"),
        }
    }
}

/// Receives each feature as it is found.
pub trait FeatureSink {
    fn feature(&mut self, block: Block, bucket: u32, name: FeatureName<'_>);
}

/// The buckets of one text, by block; reused from text to text.
#[derive(Debug, Clone, Default)]
pub struct FeatureBuf {
    pub words: Vec<u32>,
    pub chars: Vec<u32>,
}

impl FeatureBuf {
    pub fn clear(&mut self) {
        self.words.clear();
        self.chars.clear();
    }
}

impl FeatureSink for FeatureBuf {
    #[inline]
    fn feature(&mut self, block: Block, bucket: u32, _name: FeatureName<'_>) {
        match block {
            Block::Word => self.words.push(bucket),
            Block::Char => self.chars.push(bucket),
        }
    }
}

/// Turns text into features. Holds only reusable scratch space.
#[derive(Debug, Clone)]
pub struct Featurizer {
    bits: u32,
    lowered: Vec<u8>,
    tokens: Vec<(usize, usize)>,
    padded: Vec<u8>,
}

impl Featurizer {
    pub fn new(bits: u32) -> Featurizer {
        Featurizer {
            bits,
            lowered: Vec::with_capacity(256),
            tokens: Vec::with_capacity(64),
            padded: Vec::with_capacity(64),
        }
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Clears `buf` and fills it with the features of `text`.
    pub fn extract(&mut self, text: &str, buf: &mut FeatureBuf) {
        buf.clear();
        self.extract_into(text, buf);
    }

    /// Sends every feature of `text` to `sink`.
    pub fn extract_into<S: FeatureSink>(&mut self, text: &str, sink: &mut S) {
        let text = truncate(text, MAX_TEXT_BYTES);
        let shape = self.lower_and_tokenize(text);
        let bucket = |hash: u64| (hash >> (64 - self.bits)) as u32;

        for name in shape.names() {
            sink.feature(
                Block::Word,
                bucket(hash_bytes(SEED_SHAPE, name.as_bytes())),
                FeatureName::Shape(name),
            );
        }

        let lowered = &self.lowered;
        let token = |&(start, end): &(usize, usize)| lowered.get(start..end).unwrap_or(&[]);
        let mut previous: (&[u8], u64) = (BOUNDARY, hash_bytes(SEED_WORD, BOUNDARY));
        for span in &self.tokens {
            let word = token(span);
            let word_hash = hash_bytes(SEED_WORD, word);
            sink.feature(Block::Word, bucket(word_hash), FeatureName::Word(word));
            sink.feature(
                Block::Word,
                bucket(combine(SEED_BIGRAM, previous.1, word_hash)),
                FeatureName::Bigram(previous.0, word),
            );
            previous = (word, word_hash);
        }
        if !self.tokens.is_empty() {
            let end_hash = hash_bytes(SEED_WORD, BOUNDARY);
            sink.feature(
                Block::Word,
                bucket(combine(SEED_BIGRAM, previous.1, end_hash)),
                FeatureName::Bigram(previous.0, BOUNDARY),
            );
        }

        for span in &self.tokens {
            // " token " followed by 8 zero bytes, so every window can be read as a u64.
            self.padded.clear();
            self.padded.push(b' ');
            self.padded.extend_from_slice(token(span));
            self.padded.push(b' ');
            let padded_len = self.padded.len();
            self.padded.extend_from_slice(&[0u8; 8]);
            for n in 3..=5usize {
                let mask = u64::MAX >> (64 - 8 * n);
                let seed = SEED_CHAR.wrapping_add(n as u64);
                for start in 0..(padded_len + 1).saturating_sub(n) {
                    let Some(window) = self.padded.get(start..start + 8) else {
                        break;
                    };
                    let mut word = [0u8; 8];
                    word.copy_from_slice(window);
                    let packed = u64::from_le_bytes(word) & mask;
                    let gram = window.get(..n).unwrap_or(&[]);
                    sink.feature(
                        Block::Char,
                        bucket(hash_short(seed, packed)),
                        FeatureName::Char(gram),
                    );
                }
            }
        }
    }

    /// Lower-cases `text` into `self.lowered` and records its word tokens. Letters, digits,
    /// apostrophes and any non-ASCII character make words; `?` and `!` are tokens of their
    /// own; everything else separates.
    fn lower_and_tokenize(&mut self, text: &str) -> Shape {
        self.lowered.clear();
        self.tokens.clear();
        let mut shape = Shape::default();
        let mut start: Option<usize> = None;
        let mut last_visible = None;
        let mut first_letter_seen = false;
        for ch in text.chars() {
            if ch.is_ascii() {
                // Fast path: most text is ASCII.
                let byte = ch as u8;
                if !byte.is_ascii_whitespace() {
                    last_visible = Some(ch);
                }
                if byte.is_ascii_alphabetic() {
                    if byte.is_ascii_uppercase() {
                        shape.has_upper = true;
                        shape.starts_upper |= !first_letter_seen;
                    }
                    first_letter_seen = true;
                }
                if byte.is_ascii_alphanumeric() || byte == b'\'' {
                    if start.is_none() {
                        start = Some(self.lowered.len());
                    }
                    self.lowered.push(byte.to_ascii_lowercase());
                    continue;
                }
                if let Some(begin) = start.take() {
                    self.tokens.push((begin, self.lowered.len()));
                }
                if byte == b'?' || byte == b'!' {
                    let begin = self.lowered.len();
                    self.lowered.push(byte);
                    self.tokens.push((begin, begin + 1));
                }
                continue;
            }
            if !ch.is_whitespace() {
                last_visible = Some(ch);
            }
            if ch.is_alphabetic() {
                if ch.is_uppercase() {
                    shape.has_upper = true;
                    shape.starts_upper |= !first_letter_seen;
                }
                first_letter_seen = true;
            }
            if ch.is_alphanumeric() || ch == '\u{2019}' {
                if start.is_none() {
                    start = Some(self.lowered.len());
                }
                push_lower(&mut self.lowered, ch);
            } else if let Some(begin) = start.take() {
                self.tokens.push((begin, self.lowered.len()));
            }
        }
        if let Some(begin) = start {
            self.tokens.push((begin, self.lowered.len()));
        }
        shape.last = last_visible;
        shape.tokens = self.tokens.len();
        shape
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

fn push_lower(out: &mut Vec<u8>, ch: char) {
    if ch.is_ascii() {
        out.push(ch.to_ascii_lowercase() as u8);
    } else if ch == '\u{2019}' {
        out.push(b'\'');
    } else {
        let mut utf8 = [0u8; 4];
        for lower in ch.to_lowercase() {
            out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

/// What the surface of a text looks like, beyond its words.
#[derive(Debug, Default)]
struct Shape {
    has_upper: bool,
    starts_upper: bool,
    last: Option<char>,
    tokens: usize,
}

impl Shape {
    fn names(&self) -> impl Iterator<Item = &'static str> {
        let case = match (self.has_upper, self.starts_upper) {
            (false, _) => "case:lower",
            (true, true) => "case:starts-upper",
            (true, false) => "case:upper-inside",
        };
        let end = match self.last {
            Some('?') => "end:question",
            Some('.') => "end:period",
            Some('!') => "end:exclamation",
            Some(c) if c.is_alphanumeric() => "end:word",
            Some(_) => "end:other",
            None => "end:empty",
        };
        let length = match self.tokens {
            0 => "len:0",
            1 => "len:1",
            2 => "len:2",
            3..=4 => "len:3-4",
            5..=8 => "len:5-8",
            9..=16 => "len:9-16",
            17..=32 => "len:17-32",
            _ => "len:33+",
        };
        [case, end, length].into_iter()
    }
}

/// Hash of up to 8 bytes packed into a word: one multiply, its high bits (the bucket) mixed
/// from every input bit.
#[inline]
fn hash_short(seed: u64, packed: u64) -> u64 {
    let hash = (packed ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (hash ^ (hash >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// A fast 64-bit hash of a short byte string: 8 bytes at a time through a multiply-xorshift,
/// finished with a full avalanche so the top bits (the bucket) are well mixed.
#[inline]
pub fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut hash = seed ^ (bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 29;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        for (slot, byte) in word.iter_mut().zip(rest) {
            *slot = *byte;
        }
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 29;
    }
    avalanche(hash)
}

#[inline]
fn combine(seed: u64, a: u64, b: u64) -> u64 {
    avalanche(seed ^ a.wrapping_mul(0xc4ce_b9fe_1a85_ec53) ^ b.rotate_left(31))
}

/// MurmurHash3's 64-bit finaliser.
#[inline]
fn avalanche(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Names(Vec<String>);
    impl FeatureSink for Names {
        fn feature(&mut self, _block: Block, _bucket: u32, name: FeatureName<'_>) {
            self.0.push(name.render());
        }
    }

    fn names(text: &str) -> Vec<String> {
        let mut sink = Names(Vec::new());
        Featurizer::new(18).extract_into(text, &mut sink);
        sink.0
    }

    #[test]
    fn words_are_lowercased_and_split_with_question_marks_kept() {
        let found = names("Why NOT?");
        assert!(found.contains(&"word \"why\"".to_owned()));
        assert!(found.contains(&"word \"not\"".to_owned()));
        assert!(found.contains(&"word \"?\"".to_owned()));
        assert!(found.contains(&"words \"· why\"".to_owned()));
        assert!(found.contains(&"words \"? ·\"".to_owned()));
        assert!(found.contains(&"chars \" why\"".to_owned()));
        assert!(found.contains(&"shape end:question".to_owned()));
        assert!(found.contains(&"shape case:starts-upper".to_owned()));
    }

    #[test]
    fn apostrophes_stay_inside_words_and_curly_ones_become_straight() {
        let found = names("I don\u{2019}t know");
        assert!(found.contains(&"word \"don't\"".to_owned()));
    }

    #[test]
    fn the_same_text_gives_the_same_buckets_and_case_only_changes_shape() {
        let mut featurizer = Featurizer::new(18);
        let (mut a, mut b) = (FeatureBuf::default(), FeatureBuf::default());
        featurizer.extract("You are so kind", &mut a);
        featurizer.extract("you are so kind", &mut b);
        assert_eq!(a.chars, b.chars);
        assert_ne!(a.words, b.words);
        assert_eq!(a.words.len(), b.words.len());
    }

    #[test]
    fn empty_text_has_only_shape_features() {
        let mut buf = FeatureBuf::default();
        Featurizer::new(18).extract("", &mut buf);
        assert_eq!(buf.words.len(), 3);
        assert!(buf.chars.is_empty());
    }

    #[test]
    fn very_long_text_is_cut_on_a_character_boundary() {
        let text = "é".repeat(MAX_TEXT_BYTES);
        let cut = truncate(&text, MAX_TEXT_BYTES - 1);
        assert!(cut.len() < MAX_TEXT_BYTES);
        assert!(cut.chars().all(|c| c == 'é'));
    }

    proptest! {
        #[test]
        fn every_bucket_is_inside_the_table(text in any::<String>(), bits in 10u32..22) {
            let mut buf = FeatureBuf::default();
            Featurizer::new(bits).extract(&text, &mut buf);
            prop_assert!(buf.words.iter().chain(&buf.chars).all(|b| *b < (1 << bits)));
            prop_assert!(buf.words.len() >= 3);
        }
    }
}
