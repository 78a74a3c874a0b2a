//! The shared matcher: every phrase of every rule in one Aho-Corasick automaton, searched
//! once per utterance, then a short pass that applies word boundaries, `unless` phrases
//! and sequences. Nothing is allocated unless a phrase matches (and then only for the
//! evidence, or when a very long text has more matches than the stack buffer holds).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::table::{self, Rule, Trigger};
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

#[derive(Debug)]
struct PatternInfo {
    open_ended: bool,
    roles: Box<[Role]>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the rule phrases could not be compiled: {0}")]
    Automaton(#[from] aho_corasick::BuildError),
    #[error("the matcher was sized for {expected} rules but given {given}")]
    RuleCount { expected: usize, given: usize },
}

/// The compiled rules; `N` is the number of rules, so per-utterance state fits on the stack.
#[derive(Debug, Clone)]
pub(crate) struct Matcher<const N: usize> {
    automaton: AhoCorasick,
    patterns: std::sync::Arc<[PatternInfo]>,
    rules: [&'static Rule; N],
}

/// A phrase found on whole-word boundaries.
#[derive(Debug, Clone, Copy, Default)]
struct Found {
    start: usize,
    end: usize,
    pattern: usize,
}

/// Matches kept on the stack; a text with more spills to the heap.
const STACK_MATCHES: usize = 24;

impl<const N: usize> Matcher<N> {
    pub(crate) fn new(rules: Vec<&'static Rule>) -> Result<Matcher<N>, BuildError> {
        let rules: [&'static Rule; N] =
            rules
                .try_into()
                .map_err(|given: Vec<&Rule>| BuildError::RuleCount {
                    expected: N,
                    given: given.len(),
                })?;
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut infos: Vec<(bool, Vec<Role>)> = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for (entry, part) in parts(rule) {
                for phrase in table::expand(entry) {
                    let slot = *index.entry(phrase.text.clone()).or_insert_with(|| {
                        texts.push(phrase.text.clone());
                        infos.push((phrase.open_ended, Vec::new()));
                        texts.len() - 1
                    });
                    if let Some((open_ended, roles)) = infos.get_mut(slot) {
                        *open_ended |= phrase.open_ended;
                        roles.push(Role {
                            rule: rule_index,
                            part,
                        });
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)?;
        let patterns = infos
            .into_iter()
            .map(|(open_ended, roles)| PatternInfo {
                open_ended,
                roles: roles.into_boxed_slice(),
            })
            .collect();
        Ok(Matcher {
            automaton,
            patterns,
            rules,
        })
    }

    /// Apply every rule to text whose words are separated by single spaces.
    pub(crate) fn scan(&self, haystack: &str) -> RuleFindings {
        let mut found = FoundBuffer::default();
        let bytes = haystack.as_bytes();
        for hit in self.automaton.find_overlapping_iter(haystack) {
            let pattern = hit.pattern().as_usize();
            let open_ended = self.patterns.get(pattern).is_some_and(|p| p.open_ended);
            if on_word_boundaries(bytes, hit.start(), hit.end(), open_ended) {
                found.push(Found {
                    start: hit.start(),
                    end: hit.end(),
                    pattern,
                });
            }
        }
        let found = found.as_mut_slice();
        let mut findings = RuleFindings::default();
        if found.is_empty() {
            return findings;
        }
        // By start, longest first, so an `unless` phrase is seen before the triggers inside it.
        found.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut state = [RuleState::default(); N];
        for item in found.iter() {
            let roles = self
                .patterns
                .get(item.pattern)
                .map_or(&[][..], |p| &p.roles);
            for role in roles {
                let (Some(rule), Some(state)) =
                    (self.rules.get(role.rule), state.get_mut(role.rule))
                else {
                    continue;
                };
                if let Part::Unless = role.part {
                    state.vetoed_until = state.vetoed_until.max(item.end);
                    continue;
                }
                if item.start < state.vetoed_until {
                    continue;
                }
                match role.part {
                    Part::Trigger => offer(&mut findings, rule, haystack, item.start, item.end),
                    Part::First => state.first = Some((item.start, item.end)),
                    Part::Then { within } => {
                        let follows = state.first.filter(|(_, first_end)| {
                            item.start
                                .checked_sub(*first_end)
                                .is_some_and(|gap| gap <= within)
                                && same_sentence(bytes, *first_end, item.start)
                        });
                        if let Some((first_start, _)) = follows {
                            offer(&mut findings, rule, haystack, first_start, item.end);
                        }
                    }
                    Part::Unless => {}
                }
            }
        }
        findings
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct RuleState {
    /// Triggers starting before this offset sit inside an `unless` phrase.
    vetoed_until: usize,
    /// The latest `first` phrase of a sequence rule.
    first: Option<(usize, usize)>,
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
fn offer(
    findings: &mut RuleFindings,
    rule: &'static Rule,
    haystack: &str,
    start: usize,
    end: usize,
) {
    if findings
        .get(rule.code)
        .is_some_and(|held| held.score >= rule.score)
    {
        return;
    }
    // Matches of UTF-8 phrases always start and end on character boundaries.
    let evidence = haystack.get(start..end).unwrap_or_default().to_string();
    findings.set(RuleHit {
        rule_id: rule.id,
        code: rule.code,
        evidence,
        score: rule.score,
    });
}

/// Parts of a sequence must sit in one sentence: "I feel fine. When you are ready ..."
/// is not feedback.
fn same_sentence(bytes: &[u8], from: usize, to: usize) -> bool {
    bytes
        .get(from..to)
        .is_some_and(|gap| !gap.iter().any(|b| matches!(b, b'.' | b'?' | b'!' | b';')))
}

/// A letter or digit continues a word; non-ASCII bytes do not, so a phrase next to an
/// emoji or a curly quote still counts (our phrases are plain English words).
fn continues_word(byte: Option<&u8>) -> bool {
    byte.is_some_and(|b| b.is_ascii_alphanumeric())
}

fn on_word_boundaries(bytes: &[u8], start: usize, end: usize, open_ended: bool) -> bool {
    let before = start.checked_sub(1).and_then(|i| bytes.get(i));
    !continues_word(before) && (open_ended || !continues_word(bytes.get(end)))
}

/// Found phrases: on the stack for ordinary utterances, on the heap past `STACK_MATCHES`.
#[derive(Debug)]
struct FoundBuffer {
    stack: [Found; STACK_MATCHES],
    len: usize,
    spill: Vec<Found>,
}

impl Default for FoundBuffer {
    fn default() -> Self {
        FoundBuffer {
            stack: [Found::default(); STACK_MATCHES],
            len: 0,
            spill: Vec::new(),
        }
    }
}

impl FoundBuffer {
    fn push(&mut self, found: Found) {
        if let Some(slot) = self.stack.get_mut(self.len) {
            *slot = found;
            self.len += 1;
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.stack);
            }
            self.spill.push(found);
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Found] {
        if self.spill.is_empty() {
            self.stack.get_mut(..self.len).unwrap_or_default()
        } else {
            &mut self.spill
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_reject_phrases_inside_words() {
        let text = b"some tool";
        // "me too" sits at 2..8 inside "some tool".
        assert!(!on_word_boundaries(text, 2, 8, false));
        assert!(on_word_boundaries(b"me too", 0, 6, false));
        assert!(on_word_boundaries(b"suicidal", 0, 6, true));
        assert!(!on_word_boundaries(b"suicidal", 0, 6, false));
    }

    #[test]
    fn non_ascii_neighbours_are_boundaries() {
        let text = "\u{201c}me too\u{201d}".as_bytes();
        assert!(on_word_boundaries(text, 3, 9, false));
    }

    #[test]
    fn the_buffer_spills_past_the_stack_and_keeps_everything() {
        let mut buffer = FoundBuffer::default();
        for start in 0..(STACK_MATCHES * 3) {
            buffer.push(Found {
                start,
                end: start + 1,
                pattern: 0,
            });
        }
        let found = buffer.as_mut_slice();
        assert_eq!(found.len(), STACK_MATCHES * 3);
        assert!(found.iter().enumerate().all(|(i, f)| f.start == i));
    }
}
