//! Colours and second cues. The hues are Okabe and Ito's colour-blind-safe set, darkened
//! until each reaches 4.5:1 against white (WCAG 2.1 AA for text, so also the 3:1 that
//! graphics need); a unit test checks every one. No colour is ever the only cue: each series
//! also has a dash, a marker shape, a fill pattern or a letter, and a label in words.

use crate::svg::{A, Svg};

/// Text and axes (app.css `--ink`).
pub(crate) const INK: &str = "#1f2933";
/// Secondary text (app.css `--muted`); also the neutral grey of a series.
pub(crate) const MUTED: &str = "#52606d";
/// Grid lines and outlines that carry no meaning of their own.
pub(crate) const GRID: &str = "#d9e2ec";
pub(crate) const WHITE: &str = "#ffffff";

/// Okabe–Ito blue.
pub(crate) const BLUE: &str = "#0072b2";
/// Okabe–Ito vermillion, darkened: conflict, hostility, differentiation.
pub(crate) const VERMILLION: &str = "#b34a00";
/// Okabe–Ito bluish green, darkened: engagement in the climate, support, working.
pub(crate) const GREEN: &str = "#007a5a";
/// Okabe–Ito reddish purple, darkened.
pub(crate) const PURPLE: &str = "#a8507f";

/// Washes behind letters (each letter colour keeps 4.5:1 on its wash).
pub(crate) const OK_WASH: &str = "#e6f4ea";
pub(crate) const OK_INK: &str = "#1f6b35";
pub(crate) const CAUTION_WASH: &str = "#fff4e0";
pub(crate) const CAUTION_INK: &str = "#8a5300";
pub(crate) const NEUTRAL_WASH: &str = "#f5f7fa";
pub(crate) const RISK: &str = "#a61b1b";
/// The reliable-change band: a pale wash the score line stays readable on.
pub(crate) const BAND_WASH: &str = "#e8eef4";

/// A fill pattern drawn over a base colour in white, so fills differ without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    Solid,
    Dots,
    Diagonal,
    Horizontal,
}

/// Writes a `<pattern>` named `name` (see [`Svg::id`]) of `colour` with `pattern` in white.
pub(crate) fn define_pattern(svg: &mut Svg, name: &str, colour: &str, pattern: Pattern) {
    let id = svg.id(name);
    let size = 6.0;
    svg.open(
        "pattern",
        &[
            ("id", A::S(&id)),
            ("patternUnits", A::S("userSpaceOnUse")),
            ("width", A::N(size)),
            ("height", A::N(size)),
        ],
    );
    svg.rect(0.0, 0.0, size, size, &[("fill", A::S(colour))]);
    match pattern {
        Pattern::Solid => {}
        Pattern::Dots => svg.leaf(
            "circle",
            &[
                ("cx", A::N(3.0)),
                ("cy", A::N(3.0)),
                ("r", A::N(1.3)),
                ("fill", A::S(WHITE)),
            ],
        ),
        Pattern::Diagonal => svg.leaf(
            "path",
            &[
                ("d", A::S("M-1 1 L1 -1 M0 6 L6 0 M5 7 L7 5")),
                ("stroke", A::S(WHITE)),
                ("stroke-width", A::N(1.5)),
            ],
        ),
        Pattern::Horizontal => svg.rect(0.0, 2.0, size, 1.5, &[("fill", A::S(WHITE))]),
    }
    svg.close("pattern");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// WCAG 2.1 contrast ratio of a `#rrggbb` colour against another.
    pub(crate) fn contrast(a: &str, b: &str) -> f64 {
        fn luminance(hex: &str) -> f64 {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.039_28 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        }
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_series_colour_reaches_aa_against_white() {
        for colour in [
            INK,
            MUTED,
            BLUE,
            VERMILLION,
            GREEN,
            PURPLE,
            OK_INK,
            CAUTION_INK,
            RISK,
        ] {
            assert!(contrast(colour, WHITE) >= 4.5, "{colour}");
        }
    }

    #[test]
    fn letters_reach_aa_on_their_washes() {
        for (ink, wash) in [
            (OK_INK, OK_WASH),
            (CAUTION_INK, CAUTION_WASH),
            (MUTED, NEUTRAL_WASH),
            (WHITE, RISK),
            (INK, BAND_WASH),
            (WHITE, BLUE),
            (WHITE, VERMILLION),
            (WHITE, GREEN),
            (WHITE, MUTED),
        ] {
            assert!(contrast(ink, wash) >= 4.5, "{ink} on {wash}");
        }
    }

    #[test]
    fn the_contrast_check_can_fail() {
        assert!(contrast("#d9e2ec", WHITE) < 3.0);
    }
}
