//! Chart 6: one session's coded transcript as a timeline, utterances in order: a lane of
//! marks for hostility or judgment and one for support, with their bursts (see [`bursts`])
//! shaded and numbered to match the table. No utterance text is drawn: only positions.

use domain::ProcessCode;

use crate::chart::{Chart, Table};
use crate::charts::burst::{Burst, BurstRule, bursts};
use crate::format;
use crate::layout::{CENTRE_TEXT, LINE, Layout, PAD, SessionAxis, text_width};
use crate::palette::{CAUTION_WASH, GREEN, GRID, OK_WASH, VERMILLION, WHITE};
use crate::parts::{self, Swatch};
use crate::svg::{A, Svg};

/// One utterance of a coded transcript: when it started (seconds from the start, when the
/// transcript has times) and its codes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelineUtterance {
    pub start: Option<f64>,
    pub codes: Vec<ProcessCode>,
}

/// The two kinds of burst the timeline marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BurstKind {
    /// Hostility or judgment.
    Hostility,
    Support,
}

impl BurstKind {
    pub const fn words(self) -> &'static str {
        match self {
            Self::Hostility => "hostility or judgment",
            Self::Support => "support",
        }
    }

    fn marks(self, utterance: &TimelineUtterance) -> bool {
        utterance.codes.iter().any(|c| match self {
            Self::Hostility => matches!(c, ProcessCode::Hostility | ProcessCode::Judgment),
            Self::Support => *c == ProcessCode::Support,
        })
    }

    fn colour(self) -> &'static str {
        match self {
            Self::Hostility => VERMILLION,
            Self::Support => GREEN,
        }
    }

    fn wash(self) -> &'static str {
        match self {
            Self::Hostility => CAUTION_WASH,
            Self::Support => OK_WASH,
        }
    }

    /// The burst outline: dashed for hostility, solid for support (a cue besides colour).
    fn dash(self) -> Option<&'static str> {
        match self {
            Self::Hostility => Some("5 3"),
            Self::Support => None,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Self::Hostility => "hostility",
            Self::Support => "support",
        }
    }
}

/// A burst with its kind and its number in the table (1, 2, … in transcript order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedBurst {
    pub number: usize,
    pub kind: BurstKind,
    pub burst: Burst,
}

/// Both kinds of burst in transcript order, numbered.
pub fn session_bursts(utterances: &[TimelineUtterance], rule: BurstRule) -> Vec<NumberedBurst> {
    let mut all: Vec<(BurstKind, Burst)> = Vec::new();
    for kind in [BurstKind::Hostility, BurstKind::Support] {
        let flags: Vec<bool> = utterances.iter().map(|u| kind.marks(u)).collect();
        all.extend(bursts(&flags, rule).into_iter().map(|b| (kind, b)));
    }
    all.sort_by_key(|(kind, b)| (b.first, *kind == BurstKind::Support));
    all.into_iter()
        .enumerate()
        .map(|(i, (kind, burst))| NumberedBurst {
            number: i + 1,
            kind,
            burst,
        })
        .collect()
}

fn spans(found: &[NumberedBurst], kind: BurstKind) -> Vec<String> {
    found
        .iter()
        .filter(|b| b.kind == kind)
        .map(|b| format::span(b.burst.first as u32 + 1, b.burst.last as u32 + 1))
        .collect()
}

/// "In 140 utterances: 2 bursts of hostility or judgment (utterances 40–52 and 88–95) and
/// 1 of support (utterances 60–70)."
pub fn timeline_reading(utterances: &[TimelineUtterance], rule: BurstRule) -> String {
    if utterances.is_empty() {
        return "No coded utterances.".to_owned();
    }
    let found = session_bursts(utterances, rule);
    let n = utterances.len();
    let hostile = spans(&found, BurstKind::Hostility);
    let support = spans(&found, BurstKind::Support);
    let rule_words = format!(
        "a burst is {} or more in {} utterances",
        rule.min_count.max(1),
        rule.window.max(1)
    );
    let clause = |spans: &[String], kind: &str, first: bool| {
        let count = spans.len();
        let noun = if count == 1 { "burst" } else { "bursts" };
        let which = if first {
            format!("{count} {noun} of {kind}")
        } else {
            format!("{count} of {kind}")
        };
        format!("{which} (utterances {})", format::list(spans))
    };
    match (hostile.is_empty(), support.is_empty()) {
        (true, true) => {
            format!("No bursts of hostility, judgment or support in {n} utterances ({rule_words}).")
        }
        (false, true) => format!(
            "In {n} utterances: {}; no burst of support.",
            clause(&hostile, "hostility or judgment", true)
        ),
        (true, false) => format!(
            "In {n} utterances: {}; no burst of hostility or judgment.",
            clause(&support, "support", true)
        ),
        (false, false) => format!(
            "In {n} utterances: {} and {}.",
            clause(&hostile, "hostility or judgment", true),
            clause(&support, "support", false)
        ),
    }
}

/// "12:05" from seconds.
fn clock(seconds: f64) -> String {
    let s = if seconds.is_finite() && seconds > 0.0 {
        seconds.min(1e7).round() as u64
    } else {
        0
    };
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn table(utterances: &[TimelineUtterance], found: &[NumberedBurst]) -> Table {
    let mut table = Table::new(
        format!("Bursts in this session's {} utterances", utterances.len()),
        &["Burst", "Kind", "Utterances", "Coded", "Time"],
    );
    for b in found {
        let start = utterances.get(b.burst.first).and_then(|u| u.start);
        let end = utterances.get(b.burst.last).and_then(|u| u.start);
        let time = match (start, end) {
            (Some(a), Some(z)) => format!("{}–{}", clock(a), clock(z)),
            _ => String::new(),
        };
        let length = b.burst.last - b.burst.first + 1;
        table.rows.push(vec![
            b.number.to_string(),
            b.kind.words().to_owned(),
            format::span(b.burst.first as u32 + 1, b.burst.last as u32 + 1),
            format!("{} of {length}", b.burst.count),
            time,
        ]);
    }
    table
}

/// Chart 6: the session timeline of a coded transcript.
pub fn timeline_chart(id: &str, utterances: &[TimelineUtterance], rule: BurstRule) -> Chart {
    let reading = timeline_reading(utterances, rule);
    let found = session_bursts(utterances, rule);
    let title = "Session timeline: hostility or judgment and support, utterance by utterance";
    Chart {
        wide: draw(id, Layout::Wide, utterances, &found, title, &reading),
        narrow: draw(id, Layout::Narrow, utterances, &found, title, &reading),
        table: table(utterances, &found),
        reading,
    }
}

const LANE: f64 = 40.0;
/// The row of burst numbers under a lane.
const BADGES: f64 = 34.0;

fn draw(
    id: &str,
    layout: Layout,
    utterances: &[TimelineUtterance],
    found: &[NumberedBurst],
    title: &str,
    reading: &str,
) -> String {
    let width = layout.width();
    let entries: Vec<(Swatch, String)> = [BurstKind::Hostility, BurstKind::Support]
        .into_iter()
        .map(|kind| {
            let outline = if kind.dash().is_some() {
                "dashed"
            } else {
                "solid"
            };
            (
                Swatch::Fill {
                    fill: kind.wash().to_owned(),
                },
                format!("burst of {} ({outline} outline)", kind.words()),
            )
        })
        .collect();
    let legend_width = width - 2.0 * PAD;
    let legend_h = parts::legend_height(&entries, legend_width);
    let left = PAD;
    let right = width - PAD;
    let axis = SessionAxis::over(1..=(utterances.len().max(1) as u32), left, right);
    let lanes_top = PAD + legend_h + LINE / 2.0;
    // Each lane: its name, the lane, and a row for the burst numbers under it.
    let lane_top = |k: usize| lanes_top + k as f64 * (LINE + LANE + BADGES) + LINE;
    let axis_y = lane_top(2) - LINE;
    let height = axis_y + parts::SESSION_AXIS_HEIGHT + PAD;

    let mut svg = Svg::new(id, layout, height, title, reading);
    parts::legend(&mut svg, &entries, PAD, PAD, legend_width);
    for (k, kind) in [BurstKind::Hostility, BurstKind::Support]
        .into_iter()
        .enumerate()
    {
        let top = lane_top(k);
        svg.text(
            left,
            top - 8.0,
            &format::sentence(kind.words()),
            &[("font-weight", A::S("bold"))],
        );
        svg.rect(
            left,
            top,
            right - left,
            LANE,
            &[("fill", A::S(WHITE)), ("stroke", A::S(GRID))],
        );
        for b in found.iter().filter(|b| b.kind == kind) {
            let x = axis.left(b.burst.first as u32 + 1);
            let w = axis.left(b.burst.last as u32 + 1) + axis.slot() - x;
            let class = format!("burst {}", kind.class());
            let mut attrs = vec![
                ("fill", A::S(kind.wash())),
                ("stroke", A::S(kind.colour())),
                ("stroke-width", A::N(2.0)),
                ("class", A::S(&class)),
            ];
            if let Some(dash) = kind.dash() {
                attrs.push(("stroke-dasharray", A::S(dash)));
            }
            svg.rect(x, top, w.max(2.0), LANE, &attrs);
        }
        let class = format!("mark {}", kind.class());
        for (i, u) in utterances.iter().enumerate() {
            if kind.marks(u) {
                let x = axis.centre(i as u32 + 1);
                svg.line(
                    (x, top + 6.0),
                    (x, top + LANE - 6.0),
                    &[
                        ("stroke", A::S(kind.colour())),
                        ("stroke-width", A::N(axis.slot().clamp(1.5, 3.0))),
                        ("class", A::S(&class)),
                    ],
                );
            }
        }
        // Burst numbers under the lane, where they fit side by side.
        let mut free_from = f64::NEG_INFINITY;
        for b in found.iter().filter(|b| b.kind == kind) {
            let label = b.number.to_string();
            let x = axis.left(b.burst.first as u32 + 1);
            let w = axis.left(b.burst.last as u32 + 1) + axis.slot() - x;
            let half = text_width(&label) / 2.0 + 4.0;
            // Centred under the burst, nudged right past the previous number if they meet.
            let cx = (x + w / 2.0).max(free_from + half).max(left + half);
            if cx + half <= right {
                svg.rect(
                    cx - half,
                    top + LANE + 4.0,
                    2.0 * half,
                    22.0,
                    &[
                        ("fill", A::S(WHITE)),
                        ("stroke", A::S(kind.colour())),
                        ("rx", A::N(4.0)),
                    ],
                );
                svg.text(
                    cx,
                    top + LANE + 15.0 + CENTRE_TEXT,
                    &label,
                    &[
                        ("text-anchor", A::S("middle")),
                        ("font-weight", A::S("bold")),
                    ],
                );
                free_from = cx + half + 2.0;
            }
        }
    }
    parts::numbered_axis(&mut svg, &axis, axis_y, "Utterance");
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;

    fn transcript(pattern: &str) -> Vec<TimelineUtterance> {
        pattern
            .chars()
            .enumerate()
            .map(|(i, c)| TimelineUtterance {
                start: Some(i as f64 * 20.0),
                codes: match c {
                    'h' => vec![ProcessCode::Hostility],
                    'j' => vec![ProcessCode::Judgment, ProcessCode::Challenge],
                    's' => vec![ProcessCode::Support],
                    _ => vec![ProcessCode::Disclosure],
                },
            })
            .collect()
    }

    const SESSION: &str = "....h.j..h.......s..s.s......s.......hhj..";

    #[test]
    fn the_reading_lists_bursts_by_kind() {
        assert_eq!(
            timeline_reading(&transcript(SESSION), BurstRule::DEFAULT),
            "In 42 utterances: 2 bursts of hostility or judgment (utterances 5–10 and 38–40) \
             and 1 of support (utterances 18–30)."
        );
        assert_eq!(
            timeline_reading(&transcript("..h....s.."), BurstRule::DEFAULT),
            "No bursts of hostility, judgment or support in 10 utterances (a burst is 3 or \
             more in 10 utterances)."
        );
        assert_eq!(
            timeline_reading(&transcript("sss"), BurstRule::DEFAULT),
            "In 3 utterances: 1 burst of support (utterances 1–3); no burst of hostility or judgment."
        );
        assert_eq!(
            timeline_reading(&[], BurstRule::DEFAULT),
            "No coded utterances."
        );
    }

    #[test]
    fn marks_and_bursts_match_the_transcript() {
        let utterances = transcript(SESSION);
        let chart = timeline_chart("timeline", &utterances, BurstRule::DEFAULT);
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            assert_eq!(check::count(&doc, "mark"), 10);
            assert_eq!(check::count(&doc, "hostility"), 6 + 2);
            assert_eq!(check::count(&doc, "burst"), 3);
        }
        assert_eq!(
            chart.table.rows,
            [
                ["1", "hostility or judgment", "5–10", "3 of 6", "1:20–3:00"],
                ["2", "support", "18–30", "4 of 13", "5:40–9:40"],
                [
                    "3",
                    "hostility or judgment",
                    "38–40",
                    "3 of 3",
                    "12:20–13:00"
                ],
            ]
        );
    }

    #[test]
    fn clock_times_read_plainly() {
        assert_eq!(clock(65.0), "1:05");
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(clock(f64::NAN), "0:00");
    }
}
