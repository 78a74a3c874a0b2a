//! Words for the rule matcher: one pass over an utterance splits it into lowercase words
//! (letters, digits and inner apostrophes; ’ and ‘ read as '), and a small vocabulary
//! turns the words that occur in some rule phrase into ids. Words in no phrase cost one
//! table probe.
//!
//! ASCII text, the common case, is split eight bytes at a time without a branch per byte;
//! other text is read a character at a time. Both give the same words (a property test
//! checks it).

use std::collections::HashMap;

/// Words are packed into a `u128`, one byte each; phrase words must fit.
pub(crate) const MAX_WORD_BYTES: usize = 16;

/// Id of a vocabulary word. Open-ended words (`suicid*`) have their own ids.
pub(crate) type WordId = u16;

/// One word of an utterance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Token {
    /// First `MAX_WORD_BYTES` bytes, lowercased, little-endian.
    pub key: u128,
    /// Length of the key's word in bytes (0 for a word with a foreign letter); longer
    /// than `MAX_WORD_BYTES` means no exact vocabulary match.
    pub len: usize,
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
}

/// Receives the words of a text in order. The matcher's walk implements it with an
/// always-inlined method, so the tokenizer loop and the walk compile into one loop.
pub(crate) trait WordSink {
    fn word(&mut self, token: Token);
}

impl<F: FnMut(Token)> WordSink for F {
    #[inline(always)]
    fn word(&mut self, token: Token) {
        self(token);
    }
}

/// Give `sink` every word of `text`, in order, without allocating.
///
/// A word is a run of letters and digits, with apostrophes (' ’ ‘ ʼ) kept inside it and
/// dropped at its ends; any other character separates words. Words with non-ASCII
/// letters are reported with key 0 (they match nothing).
#[inline(always)]
pub(crate) fn for_each_word(text: &str, sink: &mut impl WordSink) {
    if text.len() > FAST_MAX_BYTES {
        byte_words(text, sink);
        return;
    }
    let mut buffer = [0u8; FAST_MAX_BYTES + 16];
    if text.is_ascii() {
        if let Some(copy) = buffer.get_mut(..text.len()) {
            copy.copy_from_slice(text.as_bytes());
        }
        ascii_words(&buffer, text.len(), sink);
    } else {
        let mut shifts = Shifts::default();
        let len = translate(text, &mut buffer, &mut shifts);
        let mut mapped = Mapped {
            mapper: shifts.mapper(),
            sink,
        };
        ascii_words(&buffer, len, &mut mapped);
    }
}

/// Puts translated words back at their places in the original text.
struct Mapped<'a, 's, S> {
    mapper: Mapper<'a>,
    sink: &'s mut S,
}

impl<S: WordSink> WordSink for Mapped<'_, '_, S> {
    #[inline(always)]
    fn word(&mut self, token: Token) {
        let start = self.mapper.original(token.start);
        let end = self.mapper.original(token.end);
        self.sink.word(Token {
            start,
            end,
            ..token
        });
    }
}

/// Every word of `text` (for building phrases and for tests).
pub(crate) fn words(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_word(text, &mut |token| tokens.push(token));
    tokens
}

/// ASCII texts up to this long are split eight bytes at a time from a padded copy.
const FAST_MAX_BYTES: usize = 256;
const FAST_BLOCKS: usize = FAST_MAX_BYTES / 64;

/// Stands for a non-ASCII letter in a translated copy (and is what DEL reads as): a
/// word byte that no phrase word contains, so a word with one matches nothing.
const FOREIGN_MARK: u8 = 0x7F;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Bit `i` set when byte `i` of an all-ASCII chunk is a letter, digit, apostrophe or
/// `FOREIGN_MARK`; and whether any byte is `FOREIGN_MARK`.
#[inline(always)]
fn word_byte_bits(chunk: u64) -> (u64, bool) {
    // Every byte is below 0x80, so adding less than 0x80 to each never carries across
    // bytes, and a byte's high bit tells whether it reached a bound.
    let add = |value: u64, byte: u8| value.wrapping_add(u64::from(byte).wrapping_mul(ONES));
    let lower = chunk | (0x20 * ONES);
    let letter = add(lower, 0x80 - b'a') & !add(lower, 0x80 - (b'z' + 1));
    let digit = add(chunk, 0x80 - b'0') & !add(chunk, 0x80 - (b'9' + 1));
    let apostrophe = !add(chunk ^ (u64::from(b'\'') * ONES), 0x7F);
    let foreign = !add(chunk ^ (u64::from(FOREIGN_MARK) * ONES), 0x7F);
    let marks = (letter | digit | apostrophe | foreign) & HIGH_BITS;
    // Gather the eight high bits into the low byte.
    let bits = (marks >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    (bits, foreign & HIGH_BITS != 0)
}

/// Eight bytes from `at` (the buffer is padded, so always there).
#[inline(always)]
fn load8(buffer: &[u8; FAST_MAX_BYTES + 16], at: usize) -> u64 {
    buffer
        .get(at..at + 8)
        .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
        .map_or(0, u64::from_le_bytes)
}

/// Split the first `len` bytes of a padded ASCII copy: mark word bytes eight at a time,
/// find where runs of them start and end with bit arithmetic, and read each word's key
/// straight from the copy.
#[inline(always)]
fn ascii_words(buffer: &[u8; FAST_MAX_BYTES + 16], len: usize, sink: &mut impl WordSink) {
    let mut bits = [0u64; FAST_BLOCKS + 1];
    let mut foreign_seen = false;
    for chunk in 0..len.div_ceil(8) {
        let (chunk_bits, foreign) = word_byte_bits(load8(buffer, chunk * 8));
        foreign_seen |= foreign;
        if let Some(block) = bits.get_mut(chunk / 8) {
            *block |= chunk_bits << ((chunk % 8) * 8);
        }
    }
    let blocks = len.div_ceil(64);
    let mut starts = [0u64; FAST_BLOCKS];
    let mut ends = [0u64; FAST_BLOCKS];
    let mut previous_last = 0u64;
    for block in 0..blocks {
        let current = bits.get(block).copied().unwrap_or(0);
        let next = bits.get(block + 1).copied().unwrap_or(0);
        if let (Some(start), Some(end)) = (starts.get_mut(block), ends.get_mut(block)) {
            *start = current & !((current << 1) | previous_last);
            *end = current & !((current >> 1) | ((next & 1) << 63));
        }
        previous_last = current >> 63;
    }
    // Runs do not nest, so the n-th start pairs with the n-th end.
    let (mut start_block, mut end_block) = (0usize, 0usize);
    let mut start_bits = starts.first().copied().unwrap_or(0);
    let mut end_bits = ends.first().copied().unwrap_or(0);
    loop {
        while start_bits == 0 {
            start_block += 1;
            if start_block >= blocks {
                return;
            }
            start_bits = starts.get(start_block).copied().unwrap_or(0);
        }
        while end_bits == 0 {
            end_block += 1;
            if end_block >= blocks {
                return;
            }
            end_bits = ends.get(end_block).copied().unwrap_or(0);
        }
        let start = start_block * 64 + start_bits.trailing_zeros() as usize;
        let end = end_block * 64 + end_bits.trailing_zeros() as usize + 1;
        start_bits &= start_bits - 1;
        end_bits &= end_bits - 1;
        if let Some(token) = ascii_token(buffer, start, end, foreign_seen) {
            sink.word(token);
        }
    }
}

/// The word in `buffer[start..end]` (letters, digits, apostrophes) without apostrophes
/// at its ends; `None` if only apostrophes.
#[inline(always)]
fn ascii_token(
    buffer: &[u8; FAST_MAX_BYTES + 16],
    mut start: usize,
    mut end: usize,
    foreign_seen: bool,
) -> Option<Token> {
    let quote = |at: usize| buffer.get(at).copied() == Some(b'\'');
    if quote(start) || quote(end - 1) {
        while start < end && quote(start) {
            start += 1;
        }
        while end > start && quote(end - 1) {
            end -= 1;
        }
        if start == end {
            return None;
        }
    }
    let len = end - start;
    // The low `count` bytes, for `count` from 1 up (8 or more keeps all).
    let keep = |count: usize| u64::MAX >> ((8 - count.min(8)) * 8);
    // Setting bit 0x20 lowercases an ASCII letter and leaves digits and `'` unchanged.
    let low = (load8(buffer, start) | (0x20 * ONES)) & keep(len);
    let high = if len > 8 {
        (load8(buffer, start + 8) | (0x20 * ONES)) & keep(len - 8)
    } else {
        0
    };
    // FOREIGN_MARK stays 0x7F after lowercasing; a word with one matches nothing.
    let has_foreign = |word: u64| has_zero_byte(word ^ (u64::from(FOREIGN_MARK) * ONES));
    let foreign = foreign_seen
        && ((len > 16 && tail_has_foreign(buffer, start + 16, end))
            || has_foreign(low | !keep(len))
            || (len > 8 && has_foreign(high | !keep(len - 8))));
    Some(Token {
        key: if foreign {
            0
        } else {
            u128::from(low) | (u128::from(high) << 64)
        },
        len: if foreign { 0 } else { len },
        start,
        end,
    })
}

/// Whether some byte of `word` is zero.
#[inline(always)]
fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGH_BITS != 0
}

/// Whether a long word has `FOREIGN_MARK` past its first 16 bytes.
fn tail_has_foreign(buffer: &[u8], from: usize, to: usize) -> bool {
    buffer
        .get(from..to)
        .is_some_and(|tail| tail.contains(&FOREIGN_MARK))
}

/// Where translated bytes came from: after each non-ASCII character, how many more
/// bytes the original had.
#[derive(Debug)]
struct Shifts {
    /// (position in the copy just after the character, extra bytes so far).
    marks: [(u16, u16); FAST_MAX_BYTES / 2],
    count: usize,
}

impl Default for Shifts {
    fn default() -> Self {
        Shifts {
            marks: [(0, 0); FAST_MAX_BYTES / 2],
            count: 0,
        }
    }
}

impl Shifts {
    fn push(&mut self, after: usize, extra: usize) {
        if let Some(mark) = self.marks.get_mut(self.count) {
            *mark = (after as u16, extra as u16);
            self.count += 1;
        }
    }

    fn mapper(&self) -> Mapper<'_> {
        Mapper {
            marks: self.marks.get(..self.count).unwrap_or_default(),
            next: 0,
            extra: 0,
        }
    }
}

/// Maps positions in the copy back to the original text; positions must not decrease.
#[derive(Debug)]
struct Mapper<'a> {
    marks: &'a [(u16, u16)],
    next: usize,
    extra: usize,
}

impl Mapper<'_> {
    fn original(&mut self, position: usize) -> usize {
        while let Some(&(after, extra)) = self.marks.get(self.next) {
            if usize::from(after) > position {
                break;
            }
            self.extra = usize::from(extra);
            self.next += 1;
        }
        position + self.extra
    }
}

/// Copy a non-ASCII text into `buffer` one byte per character: ASCII as it is (DEL as
/// `FOREIGN_MARK`), ’ ‘ ʼ as `'`, other letters and digits as `FOREIGN_MARK`, anything
/// else as a space. Returns the copy's length.
fn translate(text: &str, buffer: &mut [u8; FAST_MAX_BYTES + 16], shifts: &mut Shifts) -> usize {
    let mut rest = text;
    let mut out = 0usize;
    let mut extra = 0usize;
    loop {
        // Copy the ASCII run as it is (DEL is FOREIGN_MARK already).
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        if let (Some(to), Some(from)) = (buffer.get_mut(out..out + run), rest.as_bytes().get(..run))
        {
            to.copy_from_slice(from);
        }
        out += run;
        rest = rest.get(run..).unwrap_or_default();
        let Some(ch) = rest.chars().next() else {
            return out;
        };
        let translated = match char_kind(ch) {
            CharKind::Ascii(byte) => byte,
            CharKind::Apostrophe => b'\'',
            CharKind::Foreign => FOREIGN_MARK,
            CharKind::Other => b' ',
        };
        if let Some(slot) = buffer.get_mut(out) {
            *slot = translated;
        }
        out += 1;
        extra += ch.len_utf8() - 1;
        shifts.push(out, extra);
        rest = rest.get(ch.len_utf8()..).unwrap_or_default();
    }
}

/// How one character reads in a translated copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharKind {
    /// Kept as this ASCII byte.
    Ascii(u8),
    Apostrophe,
    /// A letter or digit that no phrase word has (non-ASCII, or DEL).
    Foreign,
    Other,
}

fn char_kind(ch: char) -> CharKind {
    match ch {
        '\u{7f}' => CharKind::Foreign,
        c if c.is_ascii() => CharKind::Ascii(c as u8),
        '\u{2019}' | '\u{2018}' | '\u{02bc}' => CharKind::Apostrophe,
        c if c.is_alphanumeric() => CharKind::Foreign,
        _ => CharKind::Other,
    }
}

/// What a byte is to the general path: an ASCII letter or digit maps to its lowercase
/// value (at least `b'0'`); the rest to a small kind below that.
const SEPARATOR: u8 = 0;
const APOSTROPHE: u8 = 1;
const NON_ASCII: u8 = 2;
/// A non-ASCII letter or digit (never in a phrase word).
const FOREIGN: u8 = 3;

/// The byte's kind (a `match` the compiler turns into a table).
const fn kind_of(byte: u8) -> u8 {
    match byte {
        b'a'..=b'z' | b'0'..=b'9' => byte,
        b'A'..=b'Z' => byte + 32,
        b'\'' => APOSTROPHE,
        FOREIGN_MARK => FOREIGN,
        0x80..=0xFF => NON_ASCII,
        _ => SEPARATOR,
    }
}

/// Split any text a byte at a time, decoding only non-ASCII characters.
fn byte_words(text: &str, sink: &mut impl WordSink) {
    let bytes = text.as_bytes();
    let mut word = Building::default();
    let mut at = 0usize;
    while let Some(&byte) = bytes.get(at) {
        let mut kind = kind_of(byte);
        if kind >= b'0' {
            if !word.started() {
                word.start = at;
            }
            for _ in 0..std::mem::take(&mut word.pending_apostrophes) {
                word.push(b'\'');
            }
            word.push(kind);
            at += 1;
            word.end = at;
            continue;
        }
        let here = at;
        at += 1;
        if kind == NON_ASCII {
            let (decoded, width) = non_ascii(text, here);
            kind = decoded;
            at = here + width;
        }
        match kind {
            APOSTROPHE => {
                if word.started() {
                    word.pending_apostrophes += 1;
                }
            }
            FOREIGN => {
                if !word.started() {
                    word.start = here;
                }
                word.pending_apostrophes = 0;
                word.foreign = true;
                word.end = at;
            }
            _ => {
                if word.started() {
                    sink.word(word.finish());
                }
                word = Building::default();
            }
        }
    }
    if word.started() {
        sink.word(word.finish());
    }
}

/// The kind of the character starting at `at`, and its width in bytes.
#[cold]
fn non_ascii(text: &str, at: usize) -> (u8, usize) {
    let Some(ch) = text.get(at..).and_then(|rest| rest.chars().next()) else {
        // Not on a character boundary: cannot happen in a `str`; step one byte.
        return (SEPARATOR, 1);
    };
    let kind = match char_kind(ch) {
        CharKind::Apostrophe => APOSTROPHE,
        CharKind::Foreign => FOREIGN,
        CharKind::Ascii(_) | CharKind::Other => SEPARATOR,
    };
    (kind, ch.len_utf8())
}

/// A word being read a byte at a time: its first 16 bytes packed into two words.
#[derive(Debug, Default)]
struct Building {
    low: u64,
    high: u64,
    len: usize,
    start: usize,
    end: usize,
    /// Apostrophes wait until a letter follows, so quotes around a word are dropped.
    pending_apostrophes: usize,
    /// A non-ASCII letter makes the word unmatchable (all phrase words are ASCII).
    foreign: bool,
}

impl Building {
    #[inline]
    fn push(&mut self, byte: u8) {
        if self.len < 8 {
            self.low |= u64::from(byte) << (self.len * 8);
        } else if self.len < MAX_WORD_BYTES {
            self.high |= u64::from(byte) << ((self.len - 8) * 8);
        }
        self.len += 1;
    }

    fn started(&self) -> bool {
        self.len > 0 || self.foreign
    }

    /// A word with a foreign letter has key 0 and length 0: it matches nothing.
    fn finish(&self) -> Token {
        Token {
            key: if self.foreign {
                0
            } else {
                u128::from(self.low) | (u128::from(self.high) << 64)
            },
            len: if self.foreign { 0 } else { self.len },
            start: self.start,
            end: self.end,
        }
    }
}

/// The key a plain ASCII word packs to, if it fits.
pub(crate) fn key_of(word: &str) -> Option<u128> {
    match words(word).as_slice() {
        [token] if token.len == word.len() && token.len <= MAX_WORD_BYTES && token.key != 0 => {
            Some(token.key)
        }
        _ => None,
    }
}

/// Contractions whose apostrophe-less spelling is another English word ("we're" is not
/// "were"); every other phrase word with an apostrophe also matches without it.
const NOT_WITHOUT_APOSTROPHE: &[&str] = &[
    "were", "ill", "well", "shell", "hell", "wed", "shed", "id", "wont", "cant", "its", "lets",
    "whos", "hed", "shes",
];

/// Keys per bucket of the vocabulary table: a word is compared with all of them
/// without branching.
const BUCKET: usize = 4;

/// Bloom filter size in 64-bit words (4096 bits).
const BLOOM_WORDS: usize = 64;
const BLOOM_SHIFT: u32 = 64 - 12;

#[derive(Debug, Clone, Copy, Default)]
struct Bucket {
    keys: [u128; BUCKET],
    ids: [WordId; BUCKET],
}

/// The phrase words, as a hash table of small buckets: one bucket read per word of an
/// utterance, whatever the word. Id 0 means "in no phrase".
#[derive(Debug, Clone)]
pub(crate) struct Vocabulary {
    buckets: Box<[Bucket]>,
    multiplier: u64,
    shift: u32,
    /// One bit per hash of every phrase word: a clear bit proves a word is in no phrase
    /// without reading a bucket.
    bloom: Box<[u64; BLOOM_WORDS]>,
    /// Open-ended words: (key, mask over their bytes, id), any word that starts so matches.
    prefixes: Box<[(u128, u128, WordId)]>,
    /// Which hashes of a word's first four bytes some open-ended word has: most words
    /// are turned away here without looking at `prefixes`.
    prefix_gate: [bool; 256],
}

/// Collects phrase words and gives them ids before the table is built.
#[derive(Debug, Default)]
pub(crate) struct VocabularyBuilder {
    exact: HashMap<u128, WordId>,
    open: HashMap<u128, (WordId, usize)>,
    open_words: Vec<String>,
    count: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WordError {
    #[error("phrase word {0:?} is not plain lowercase ASCII of at most 16 bytes")]
    Unusable(String),
    #[error("more than {} distinct phrase words", WordId::MAX - 1)]
    TooMany,
    #[error("no hash spreads the phrase words over the vocabulary table")]
    NoSpread,
    #[error("open-ended words {0:?} and {1:?}: one starts the other")]
    NestedPrefixes(String, String),
    #[error("open-ended word {0:?} is shorter than {MIN_OPEN_ENDED} letters")]
    ShortPrefix(String),
}

impl VocabularyBuilder {
    /// The id of an exact phrase word (and its apostrophe-less spelling).
    pub(crate) fn exact(&mut self, word: &str) -> Result<WordId, WordError> {
        let key = key_of(word).ok_or_else(|| WordError::Unusable(word.to_string()))?;
        if let Some(id) = self.exact.get(&key) {
            return Ok(*id);
        }
        let id = self.fresh()?;
        self.exact.insert(key, id);
        let bare = word.replace('\'', "");
        if bare != word && !NOT_WITHOUT_APOSTROPHE.contains(&bare.as_str()) {
            let bare_key = key_of(&bare).ok_or(WordError::Unusable(bare))?;
            self.exact.entry(bare_key).or_insert(id);
        }
        Ok(id)
    }

    /// The id of an open-ended phrase word such as `suicid` (from `suicid*`).
    pub(crate) fn open_ended(&mut self, word: &str) -> Result<WordId, WordError> {
        if word.len() < MIN_OPEN_ENDED {
            return Err(WordError::ShortPrefix(word.to_string()));
        }
        let key = key_of(word).ok_or_else(|| WordError::Unusable(word.to_string()))?;
        if let Some((id, _)) = self.open.get(&key) {
            return Ok(*id);
        }
        if let Some(other) = self
            .open_words
            .iter()
            .find(|w| w.starts_with(word) || word.starts_with(w.as_str()))
        {
            return Err(WordError::NestedPrefixes(other.clone(), word.to_string()));
        }
        self.open_words.push(word.to_string());
        let id = self.fresh()?;
        self.open.insert(key, (id, word.len()));
        Ok(id)
    }

    fn fresh(&mut self) -> Result<WordId, WordError> {
        // Id 0 is "in no phrase"; words count from 1.
        self.count += 1;
        WordId::try_from(self.count).map_err(|_| WordError::TooMany)
    }

    /// One more than the highest id.
    pub(crate) fn id_limit(&self) -> usize {
        self.count + 1
    }

    pub(crate) fn build(self) -> Result<Vocabulary, WordError> {
        let (buckets, multiplier, shift) = spread(&self.exact)?;
        let mut bloom = Box::new([0u64; BLOOM_WORDS]);
        for key in self.exact.keys() {
            let bit = hash_of(*key, multiplier) >> BLOOM_SHIFT;
            if let Some(word) = bloom.get_mut((bit / 64) as usize) {
                *word |= 1 << (bit % 64);
            }
        }
        let mut prefix_gate = [false; 256];
        let prefixes: Box<[(u128, u128, WordId)]> = self
            .open
            .into_iter()
            .map(|(key, (id, len))| {
                if let Some(gate) = prefix_gate.get_mut(gate_of(key)) {
                    *gate = true;
                }
                let mask = if len >= MAX_WORD_BYTES {
                    u128::MAX
                } else {
                    (1u128 << (len * 8)) - 1
                };
                (key, mask, id)
            })
            .collect();
        Ok(Vocabulary {
            buckets,
            multiplier,
            shift,
            bloom,
            prefixes,
            prefix_gate,
        })
    }
}

/// Place the words in buckets, trying hash multipliers (and then more buckets) until
/// no bucket overflows.
fn spread(words: &HashMap<u128, WordId>) -> Result<(Box<[Bucket]>, u64, u32), WordError> {
    let mut bucket_count = words.len().next_power_of_two().max(16);
    for _ in 0..4 {
        let shift = 64 - bucket_count.trailing_zeros();
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        for _ in 0..256 {
            // splitmix64 steps: a fixed, reproducible sequence of odd multipliers.
            seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let multiplier = (z ^ (z >> 31)) | 1;
            if let Some(buckets) = fill(words, bucket_count, multiplier, shift) {
                return Ok((buckets, multiplier, shift));
            }
        }
        bucket_count *= 2;
    }
    Err(WordError::NoSpread)
}

fn fill(
    words: &HashMap<u128, WordId>,
    bucket_count: usize,
    multiplier: u64,
    shift: u32,
) -> Option<Box<[Bucket]>> {
    let mut buckets = vec![Bucket::default(); bucket_count].into_boxed_slice();
    let mut used = vec![0usize; bucket_count];
    for (key, id) in words {
        let at = bucket_of(*key, multiplier, shift);
        let count = used.get_mut(at)?;
        let bucket = buckets.get_mut(at)?;
        *bucket.keys.get_mut(*count)? = *key;
        *bucket.ids.get_mut(*count)? = *id;
        *count += 1;
    }
    Some(buckets)
}

#[inline(always)]
fn hash_of(key: u128, multiplier: u64) -> u64 {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    folded.wrapping_mul(multiplier)
}

#[inline(always)]
fn bucket_of(key: u128, multiplier: u64, shift: u32) -> usize {
    (hash_of(key, multiplier) >> shift) as usize
}

/// Open-ended words are at least this long, so their first four bytes can gate the search.
const MIN_OPEN_ENDED: usize = 4;

fn gate_of(key: u128) -> usize {
    ((key as u32).wrapping_mul(0x9E37_79B1) >> 24) as usize
}

impl Vocabulary {
    /// The exact word's id, or 0 if it is in no phrase: a Bloom filter turns most such
    /// words away, the rest cost one bucket read, compared without branches.
    #[inline(always)]
    pub(crate) fn id(&self, token: &Token) -> WordId {
        let hash = hash_of(token.key, self.multiplier);
        let bit = hash >> BLOOM_SHIFT;
        let maybe = self
            .bloom
            .get((bit / 64) as usize)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0);
        if !maybe {
            return 0;
        }
        let Some(bucket) = self.buckets.get((hash >> self.shift) as usize) else {
            return 0;
        };
        // Long words have key 0 and so match only empty slots, whose id is 0.
        let key = if token.len > MAX_WORD_BYTES {
            0
        } else {
            token.key
        };
        bucket
            .keys
            .iter()
            .zip(bucket.ids)
            .fold(0, |found, (k, id)| if *k == key { id } else { found })
    }

    /// The exact word's id, if it is a phrase word.
    #[cfg(test)]
    pub(crate) fn exact(&self, token: &Token) -> Option<WordId> {
        Some(self.id(token)).filter(|id| *id != 0)
    }

    /// The id of the open-ended word the token starts with (no open-ended word starts
    /// another, so there is at most one).
    #[inline(always)]
    pub(crate) fn open_ended(&self, token: &Token) -> Option<WordId> {
        // One load, rarely true. Shorter words and key 0 may pass the gate by chance but
        // match no prefix: every prefix has at least MIN_OPEN_ENDED letters.
        let gated = self
            .prefix_gate
            .get(gate_of(token.key))
            .copied()
            .unwrap_or(false);
        if !gated {
            return None;
        }
        self.prefixes
            .iter()
            .find(|(prefix, mask, _)| token.key & mask == *prefix)
            .map(|(_, _, id)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        words(text).iter().map(|t| (t.start, t.end)).collect()
    }

    fn unicode_path(text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        byte_words(text, &mut |token| tokens.push(token));
        tokens
    }

    #[test]
    fn words_are_split_on_spaces_and_punctuation() {
        assert_eq!(
            spans("I feel fine. When you-go"),
            vec![(0, 1), (2, 6), (7, 11), (13, 17), (18, 21), (22, 24)]
        );
    }

    #[test]
    fn words_run_across_the_ascii_blocks() {
        let text = format!("{} {}", "a".repeat(63), "b".repeat(70));
        assert_eq!(spans(&text), vec![(0, 63), (64, 134)]);
        assert_eq!(words(&text), unicode_path(&text));
        for len in [63, 64, 65, 127, 128, 200, 255, 256, 257] {
            let text = "x".repeat(len);
            assert_eq!(spans(&text), vec![(0, len)]);
            let text = format!("{} y", "x".repeat(len));
            assert_eq!(words(&text), unicode_path(&text));
        }
    }

    #[test]
    fn the_chunk_classifier_marks_exactly_letters_digits_and_apostrophes() {
        for byte in 0u8..0x80 {
            let expected = byte.is_ascii_alphanumeric() || byte == b'\'' || byte == FOREIGN_MARK;
            let (bits, foreign) = word_byte_bits(u64::from(byte) << 24);
            assert_eq!(bits == 1 << 3, expected, "byte {byte:#x}");
            assert_eq!(foreign, byte == FOREIGN_MARK, "byte {byte:#x}");
        }
    }

    #[test]
    fn case_and_apostrophe_style_do_not_change_the_key() {
        let key = |text: &str| words(text).first().map(|t| t.key);
        assert_eq!(key("rock''n"), key("rock\u{2019}\u{2019}n"));
        assert_eq!(key("Don't"), key("don\u{2019}t"));
        assert_eq!(key("DON'T"), key_of("don't"));
        assert_eq!(key("'don't'"), key_of("don't"));
        assert_ne!(key("dont"), key_of("don't"));
    }

    #[test]
    fn quotes_and_emoji_around_words_are_separators() {
        let lengths: Vec<_> = words("\u{201c}me too\u{201d} \u{1f600}")
            .iter()
            .map(|t| t.len)
            .collect();
        assert_eq!(lengths, vec![2, 3]);
    }

    #[test]
    fn words_with_foreign_letters_match_nothing() {
        let token = *words("caf\u{e9}").first().expect("one word");
        assert_eq!(token.key, 0);
        assert_eq!((token.start, token.end), (0, 5));
    }

    #[test]
    fn the_vocabulary_finds_exact_words_bare_spellings_and_prefixes() {
        let mut builder = VocabularyBuilder::default();
        let dont = builder.exact("don't").expect("fits");
        let were = builder.exact("we're").expect("fits");
        let suicid = builder.open_ended("suicid").expect("fits");
        let vocab = builder.build().expect("spreads");
        let first = |text: &str| *words(text).first().expect("a word");
        assert_eq!(vocab.exact(&first("DONT")), Some(dont));
        assert_eq!(vocab.exact(&first("don\u{2019}t")), Some(dont));
        assert_eq!(vocab.exact(&first("were")), None);
        assert_eq!(vocab.exact(&first("we're")), Some(were));
        assert_eq!(vocab.open_ended(&first("Suicidal")), Some(suicid));
        assert_eq!(vocab.open_ended(&first("suicide")), Some(suicid));
        assert_eq!(vocab.open_ended(&first("suit")), None);
        assert_eq!(vocab.exact(&first("unrelated")), None);
    }

    #[test]
    fn open_ended_words_must_be_long_and_not_nested() {
        let mut builder = VocabularyBuilder::default();
        assert!(builder.open_ended("ab").is_err());
        builder.open_ended("harm").expect("fits");
        assert!(builder.open_ended("harmful").is_err());
    }

    #[test]
    fn runs_of_lone_quote_marks_give_no_words() {
        for mark in ["' ", "\u{2019} ", "'\u{2019} ", "'"] {
            assert_eq!(words(&mark.repeat(200_000)).len(), 0);
        }
    }

    #[test]
    fn typed_and_typographic_apostrophes_read_the_same_words() {
        let plain: Vec<_> = words("I can't, 'really' WON'T")
            .iter()
            .map(|t| (t.key, t.len))
            .collect();
        let curly: Vec<_> = words("I can\u{2019}t, \u{2018}really\u{2019} WON\u{2019}T")
            .iter()
            .map(|t| (t.key, t.len))
            .collect();
        assert_eq!(plain, curly);
        assert_eq!(plain.len(), 4);
    }

    #[test]
    fn long_words_match_no_exact_word() {
        let mut builder = VocabularyBuilder::default();
        builder.exact("abcdefghijklmnop").expect("16 bytes fit");
        assert!(builder.exact("abcdefghijklmnopq").is_err());
        let vocab = builder.build().expect("spreads");
        let long = *words("abcdefghijklmnopq").first().expect("a word");
        assert_eq!(vocab.exact(&long), None);
    }

    proptest! {
        #[test]
        fn the_ascii_path_reads_the_same_words_as_the_general_path(
            text in "[a-zA-Z0-9' .,;!?\\-\t\n\"\u{7f}]{0,300}"
        ) {
            prop_assert_eq!(words(&text), unicode_path(&text));
        }

        #[test]
        fn the_translated_path_reads_the_same_words_as_the_general_path(
            text in "[a-zA-Z' .\u{7f}\u{2019}\u{2018}\u{2bc}\u{e9}\u{df}\u{201c}\u{1f600}\u{4e2d}]{0,200}"
        ) {
            prop_assert_eq!(words(&text), unicode_path(&text));
        }
    }
}
