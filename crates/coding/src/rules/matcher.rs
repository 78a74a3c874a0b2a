//! The shared matcher: every phrase of every rule in one trie over word ids, walked once
//! per utterance, then a short pass that applies `unless` phrases and sequences.
//! Nothing is allocated unless a rule fires (then only the evidence), or a very long text
//! has more phrase matches than the stack buffers hold.

use smallvec::SmallVec;

use super::table::{self, Rule, Trigger};
use super::words::{
    self, MAX_WORD_BYTES, Token, Vocabulary, VocabularyBuilder, WordError, WordId, WordSink,
};
use super::{RuleFindings, RuleHit};

/// Which part of which rule a phrase belongs to.
#[derive(Debug, Clone, Copy)]
enum Part {
    Trigger,
    First,
    Then { within: usize },
    Unless,
}

#[derive(Debug, Clone, Copy)]
struct Role {
    rule: usize,
    part: Part,
}

/// Longest phrase, in words.
const MAX_PHRASE_WORDS: usize = 12;

/// Partial matches alive at once: each started at a different one of the last
/// `MAX_PHRASE_WORDS - 1` words (the trie is deterministic), plus one starting now.
const MAX_LIVE: usize = MAX_PHRASE_WORDS;

/// Feeds each word of a text to the trie walk.
struct Walker<'m, 'f, const N: usize> {
    matcher: &'m Matcher<N>,
    walk: Walk,
    found: &'f mut Phrases,
}

impl<const N: usize> WordSink for Walker<'_, '_, N> {
    #[inline(always)]
    fn word(&mut self, token: Token) {
        self.matcher.step(&token, &mut self.walk, self.found);
    }
}

/// The trie walk's state from word to word.
#[derive(Debug, Default)]
struct Walk {
    live: [Cursor; MAX_LIVE],
    live_count: usize,
    /// Words seen so far.
    index: usize,
}

/// Phrase matches kept on the stack; a text with more spills to the heap.
type FoundBuffer = SmallVec<[Found; 16]>;

/// The phrases found in one utterance.
#[derive(Debug, Default)]
struct Phrases {
    items: FoundBuffer,
    /// Whether some phrase could make a rule fire; most utterances have only phrases that
    /// start sequences or block triggers, and need no further look.
    may_fire: bool,
}

impl Phrases {
    #[inline(always)]
    fn record(&mut self, found: Found, edge: Edge) {
        self.items.push(found);
        self.may_fire |= edge.fires();
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Word(#[from] WordError),
    #[error("phrase {0:?} has no words or more than {MAX_PHRASE_WORDS}")]
    PhraseLength(String),
    #[error("the matcher was sized for {expected} rules but given {given}")]
    RuleCount { expected: usize, given: usize },
}

/// A trie edge's target: the node index, with flags saying whether a phrase ends there
/// and whether longer phrases go on from it, so the walk rarely touches the node itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Edge(u32);

impl Edge {
    const ENDS: u32 = 1 << 31;
    const GOES_ON: u32 = 1 << 30;
    /// A rule can fire from the phrase ending here (a trigger or a sequence's last part).
    const FIRES: u32 = 1 << 29;
    const NODE: u32 = (1 << 29) - 1;

    fn node(self) -> usize {
        (self.0 & Self::NODE) as usize
    }
    fn ends_phrase(self) -> bool {
        self.0 & Self::ENDS != 0
    }
    fn goes_on(self) -> bool {
        self.0 & Self::GOES_ON != 0
    }
    fn fires(self) -> bool {
        self.0 & Self::FIRES != 0
    }
}

/// A trie node: children by word id (sorted), and the rule parts ending here.
#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<(WordId, Edge)>,
    roles: Vec<Role>,
}

/// The compiled rules; `N` is the number of rules, so per-utterance state fits on the stack.
#[derive(Debug, Clone)]
pub(crate) struct Matcher<const N: usize> {
    vocabulary: Vocabulary,
    /// The root's children, indexed by word id (`Edge(0)` = none): one lookup per word.
    root: Box<[Edge]>,
    nodes: Box<[Node]>,
    rules: [&'static Rule; N],
}

/// A phrase found in the text, in words and bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Found {
    first_word: usize,
    end_word: usize,
    start: usize,
    end: usize,
    node: usize,
}

/// A partial match: where it started and how far into the trie it got.
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    node: usize,
    first_word: usize,
    start: usize,
}

impl<const N: usize> Matcher<N> {
    pub(crate) fn new(rules: Vec<&'static Rule>) -> Result<Matcher<N>, BuildError> {
        let rules: [&'static Rule; N] =
            rules
                .try_into()
                .map_err(|given: Vec<&Rule>| BuildError::RuleCount {
                    expected: N,
                    given: given.len(),
                })?;
        let mut words = VocabularyBuilder::default();
        // Node 0 is the root; its children are kept by word id once all words are known.
        let mut nodes = vec![Node::default()];
        for (rule_index, rule) in rules.iter().enumerate() {
            for (entry, part) in parts(rule) {
                for phrase in table::expand(entry) {
                    let ids = phrase_ids(&mut words, &phrase)?;
                    let node = insert(&mut nodes, &ids);
                    if let Some(node) = nodes.get_mut(node) {
                        node.roles.push(Role {
                            rule: rule_index,
                            part,
                        });
                    }
                }
            }
        }
        flag_edges(&mut nodes);
        let mut root = vec![Edge::default(); words.id_limit()].into_boxed_slice();
        if let Some(root_node) = nodes.first() {
            for (word, edge) in &root_node.children {
                if let Some(slot) = root.get_mut(usize::from(*word)) {
                    *slot = *edge;
                }
            }
        }
        Ok(Matcher {
            vocabulary: words.build()?,
            root,
            nodes: nodes.into_boxed_slice(),
            rules,
        })
    }

    #[inline]
    fn child(&self, node: usize, word: WordId) -> Option<Edge> {
        if node == 0 {
            return self
                .root
                .get(usize::from(word))
                .copied()
                .filter(|e| e.0 != 0);
        }
        let children = &self.nodes.get(node)?.children;
        let at = children.binary_search_by_key(&word, |(w, _)| *w).ok()?;
        children.get(at).map(|(_, edge)| *edge)
    }

    /// Apply every rule to one utterance.
    pub(crate) fn scan(&self, text: &str) -> RuleFindings {
        let mut phrases = Phrases::default();
        self.find_phrases(text, &mut phrases);
        let mut findings = RuleFindings::default();
        if !phrases.may_fire {
            return findings;
        }
        let found = &mut phrases.items;
        // By first word, longest first, so an `unless` phrase comes before the triggers inside it.
        found.sort_unstable_by(|a, b| {
            a.first_word
                .cmp(&b.first_word)
                .then(b.end_word.cmp(&a.end_word))
        });
        let mut state = [RuleState::default(); N];
        for (at, item) in found.iter().enumerate() {
            let roles = self.nodes.get(item.node).map_or(&[][..], |n| &n.roles);
            for role in roles {
                let (Some(rule), Some(state)) =
                    (self.rules.get(role.rule), state.get_mut(role.rule))
                else {
                    continue;
                };
                if let Part::Unless = role.part {
                    state.vetoed_until = state.vetoed_until.max(item.end_word);
                    continue;
                }
                if item.first_word < state.vetoed_until {
                    continue;
                }
                match role.part {
                    Part::Trigger => offer(&mut findings, rule, text, item.start, item.end),
                    Part::First => state.first = Some(at),
                    Part::Then { within } => {
                        let follows = state.first.and_then(|i| found.get(i)).filter(|first| {
                            same_sentence(text, first.end, item.start)
                                && item
                                    .first_word
                                    .checked_sub(first.end_word)
                                    .is_some_and(|gap| gap <= within)
                        });
                        if let Some(first) = follows {
                            offer(&mut findings, rule, text, first.start, item.end);
                        }
                    }
                    Part::Unless => {}
                }
            }
        }
        findings
    }

    /// Every phrase occurrence, overlapping ones included.
    fn find_phrases(&self, text: &str, found: &mut Phrases) {
        let mut walker = Walker {
            matcher: self,
            walk: Walk::default(),
            found,
        };
        words::for_each_word(text, &mut walker);
    }

    /// Advance the partial matches over one word.
    #[inline(always)]
    fn step(&self, token: &Token, walk: &mut Walk, found: &mut Phrases) {
        let index = walk.index;
        walk.index += 1;
        if let Some(prefix) = self.vocabulary.open_ended(token) {
            // Open-ended words end phrases, so they start no partial matches.
            let alive = walk.live.get(..walk.live_count).unwrap_or_default();
            self.end_phrases(prefix, index, token, alive, found);
        }
        let word = self.vocabulary.id(token);
        if word == 0 {
            walk.live_count = 0;
            return;
        }
        let root = self
            .root
            .get(usize::from(word))
            .copied()
            .unwrap_or_default();
        let mut kept = 0usize;
        for at in 0..walk.live_count {
            let Some(cursor) = walk.live.get(at).copied() else {
                break;
            };
            if let Some(edge) = self.child(cursor.node, word) {
                kept += self.advance(cursor, edge, index, token, &mut walk.live, kept, found);
            }
        }
        if root.0 != 0 {
            let fresh = Cursor {
                node: 0,
                first_word: index,
                start: token.start,
            };
            kept += self.advance(fresh, root, index, token, &mut walk.live, kept, found);
        }
        walk.live_count = kept;
    }

    /// Step a partial match along `edge`: record a phrase that ends there, and keep the
    /// cursor (at `live[kept]`) if longer phrases go on. Returns how many were kept (0 or 1).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn advance(
        &self,
        cursor: Cursor,
        edge: Edge,
        index: usize,
        token: &Token,
        live: &mut [Cursor; MAX_LIVE],
        kept: usize,
        found: &mut Phrases,
    ) -> usize {
        if edge.ends_phrase() {
            found.record(ended(&cursor, edge, index, token), edge);
        }
        match live.get_mut(kept) {
            Some(slot) if edge.goes_on() => {
                *slot = Cursor {
                    node: edge.node(),
                    ..cursor
                };
                1
            }
            _ => 0,
        }
    }

    /// Phrases ending on an open-ended word: from a partial match or from this word alone.
    fn end_phrases(
        &self,
        word: WordId,
        index: usize,
        token: &Token,
        live: &[Cursor],
        found: &mut Phrases,
    ) {
        let fresh = Cursor {
            node: 0,
            first_word: index,
            start: token.start,
        };
        for cursor in live.iter().chain(std::iter::once(&fresh)) {
            if let Some(edge) = self.child(cursor.node, word).filter(|e| e.ends_phrase()) {
                found.record(ended(cursor, edge, index, token), edge);
            }
        }
    }
}

fn ended(cursor: &Cursor, edge: Edge, index: usize, token: &Token) -> Found {
    Found {
        first_word: cursor.first_word,
        end_word: index + 1,
        start: cursor.start,
        end: token.end,
        node: edge.node(),
    }
}

/// Parts of a sequence must sit in one sentence: "I feel fine. When you are ready ..."
/// is not feedback.
fn same_sentence(text: &str, from: usize, to: usize) -> bool {
    text.as_bytes()
        .get(from..to)
        .is_some_and(|gap| !gap.iter().any(|b| matches!(b, b'.' | b'?' | b'!' | b';')))
}

/// Set each edge's flags from the node it leads to.
fn flag_edges(nodes: &mut [Node]) {
    let flags: Vec<u32> = nodes
        .iter()
        .map(|node| {
            let ends = if node.roles.is_empty() { 0 } else { Edge::ENDS };
            let fires = if node
                .roles
                .iter()
                .any(|role| matches!(role.part, Part::Trigger | Part::Then { .. }))
            {
                Edge::FIRES
            } else {
                0
            };
            let goes_on = if node.children.is_empty() {
                0
            } else {
                Edge::GOES_ON
            };
            ends | goes_on | fires
        })
        .collect();
    for node in nodes.iter_mut() {
        for (_, edge) in node.children.iter_mut() {
            let target = edge.node();
            *edge = Edge(target as u32 | flags.get(target).copied().unwrap_or(0));
        }
    }
}

/// The word ids of one expanded phrase; the last word of an open-ended phrase is a prefix.
fn phrase_ids(
    words: &mut VocabularyBuilder,
    phrase: &table::Phrase,
) -> Result<Vec<WordId>, BuildError> {
    let tokens: Vec<Token> = words::words(&phrase.text);
    if tokens.is_empty() || tokens.len() > MAX_PHRASE_WORDS {
        return Err(BuildError::PhraseLength(phrase.text.clone()));
    }
    let last = tokens.len() - 1;
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let word = phrase.text.get(token.start..token.end).unwrap_or_default();
            if token.len > MAX_WORD_BYTES {
                return Err(WordError::Unusable(word.to_string()).into());
            }
            let id = if phrase.open_ended && i == last {
                words.open_ended(word)?
            } else {
                words.exact(word)?
            };
            Ok(id)
        })
        .collect()
}

/// Add a phrase to the trie; returns the node where it ends.
fn insert(nodes: &mut Vec<Node>, words: &[WordId]) -> usize {
    let mut at = 0usize;
    for word in words {
        let fresh = nodes.len();
        let Some(node) = nodes.get_mut(at) else {
            return at;
        };
        match node.children.binary_search_by_key(word, |(w, _)| *w) {
            Ok(i) => at = node.children.get(i).map_or(at, |(_, edge)| edge.node()),
            Err(i) => {
                node.children.insert(i, (*word, Edge(fresh as u32)));
                nodes.push(Node::default());
                at = fresh;
            }
        }
    }
    at
}

#[derive(Debug, Clone, Copy, Default)]
struct RuleState {
    /// Triggers starting before this word sit inside an `unless` phrase.
    vetoed_until: usize,
    /// The latest `first` phrase of a sequence rule, as an index into the found phrases.
    first: Option<usize>,
}

fn parts(rule: &Rule) -> Vec<(&'static str, Part)> {
    let mut parts: Vec<(&'static str, Part)> = match rule.trigger {
        Trigger::Any(phrases) => phrases.iter().map(|p| (*p, Part::Trigger)).collect(),
        Trigger::Sequence {
            first,
            then,
            within,
        } => first
            .iter()
            .map(|p| (*p, Part::First))
            .chain(then.iter().map(|p| (*p, Part::Then { within })))
            .collect(),
    };
    parts.extend(rule.unless.iter().map(|p| (*p, Part::Unless)));
    parts
}

/// Keep the strongest hit per code; among equals, the earliest.
fn offer(findings: &mut RuleFindings, rule: &'static Rule, text: &str, start: usize, end: usize) {
    if findings
        .get(rule.code)
        .is_some_and(|held| held.score >= rule.score)
    {
        return;
    }
    // Token spans always start and end on character boundaries.
    let evidence = text.get(start..end).unwrap_or_default().to_string();
    findings.set(RuleHit {
        rule_id: rule.id,
        code: rule.code,
        evidence,
        score: rule.score,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trie_shares_prefixes() {
        let mut nodes = vec![Node::default()];
        let a = insert(&mut nodes, &[1, 2]);
        let b = insert(&mut nodes, &[1, 3]);
        let c = insert(&mut nodes, &[1, 2]);
        assert_eq!(a, c);
        assert_ne!(a, b);
        assert_eq!(nodes.len(), 4);
    }
}
