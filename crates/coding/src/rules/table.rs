//! The shape of a reviewed rule, and how its phrase tables are written.
//!
//! Phrase syntax (kept small so a clinician can read the tables):
//! - lowercase words separated by single spaces, matched as whole words in any case, with
//!   any spacing or punctuation between them in the text (a hyphen separates words too:
//!   `self-harm` is the two words `self harm`);
//! - `{a,b,c}` expands to each option: `{kill,stab} {him,her}` is four phrases;
//! - a trailing `*` matches any word ending: `suicid*` catches suicide, suicidal;
//! - an apostrophe also matches ’ and, where the result is not another English word, no
//!   apostrophe at all (`don't` also matches `don’t` and `dont`; `we're` never matches `were`).

use domain::ProcessCode;

/// One reviewed rule. Its id is stable: alerts and `--explain` output cite it.
#[derive(Debug)]
pub struct Rule {
    /// Such as `SAFETY.SELF_HARM.1`: code, family, version.
    pub id: &'static str,
    pub code: ProcessCode,
    /// What the rule is meant to catch, in a reviewer's words.
    pub intent: &'static str,
    /// Score given when it fires, in [0, 1]; always 1.0 for safety.
    pub score: f32,
    pub trigger: Trigger,
    /// Longer phrases in which a trigger phrase means something else ("drug abuse",
    /// "hurt her feelings"). A trigger phrase that starts inside one does not count.
    pub unless: &'static [&'static str],
}

/// What makes a rule fire.
#[derive(Debug)]
pub enum Trigger {
    /// Any one of the phrases.
    Any(&'static [&'static str]),
    /// A phrase from `first`, then in the same sentence a phrase from `then`, with at most
    /// `within` words between them ("when you ... I feel").
    Sequence {
        first: &'static [&'static str],
        then: &'static [&'static str],
        within: usize,
    },
}

/// One concrete phrase to search for, after expanding a table entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub text: String,
    /// True for `word*` entries: the phrase may be followed by more letters.
    pub open_ended: bool,
}

/// Every concrete phrase a table entry stands for.
pub(crate) fn expand(entry: &str) -> Vec<Phrase> {
    let (body, open_ended) = match entry.strip_suffix('*') {
        Some(body) => (body, true),
        None => (entry, false),
    };
    expand_braces(body)
        .into_iter()
        .map(|text| Phrase { text, open_ended })
        .collect()
}

fn expand_braces(entry: &str) -> Vec<String> {
    let Some((head, rest)) = entry.split_once('{') else {
        return vec![entry.to_string()];
    };
    let Some((options, tail)) = rest.split_once('}') else {
        // Unbalanced: taken literally; a table test rejects it.
        return vec![entry.to_string()];
    };
    let tails = expand_braces(tail);
    options
        .split(',')
        .flat_map(|option| {
            tails
                .iter()
                .map(move |tail| format!("{head}{}{tail}", option.trim()))
        })
        .collect()
}

/// Every table entry of a rule, for checks.
#[cfg(test)]
pub(crate) fn entries(rule: &Rule) -> impl Iterator<Item = &'static str> {
    let (first, then): (&[&str], &[&str]) = match rule.trigger {
        Trigger::Any(phrases) => (phrases, &[]),
        Trigger::Sequence { first, then, .. } => (first, then),
    };
    first
        .iter()
        .chain(then.iter())
        .chain(rule.unless.iter())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(entry: &str) -> Vec<String> {
        expand(entry).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn braces_expand_to_every_combination() {
        assert_eq!(
            texts("{kill,stab} {him,her}"),
            vec!["kill him", "kill her", "stab him", "stab her"]
        );
    }

    #[test]
    fn a_trailing_star_marks_an_open_ended_phrase() {
        let phrases = expand("suicid*");
        assert_eq!(phrases.len(), 1);
        assert_eq!(phrases[0].text, "suicid");
        assert!(phrases[0].open_ended);
        assert!(!expand("kill myself")[0].open_ended);
    }
}
