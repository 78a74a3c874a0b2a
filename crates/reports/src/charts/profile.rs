//! Chart 5: the process-code profile per session, as small multiples: one row of bars per
//! code group (rates per 100 utterances or tallied events), hostility with judgment and
//! support drawn taller and in colour, the other codes in grey. Each row has its own scale,
//! named beside it, because facilitation runs far higher than hostility ever should.

use domain::ProcessCode;
use stages::features::{ProcessBasis, ProcessRates, SessionFeatures};

use crate::chart::{Chart, Table};
use crate::format;
use crate::layout::{LINE, Layout, PAD, SessionAxis};
use crate::palette::{GREEN, MUTED, NEUTRAL_WASH, Pattern, RISK, VERMILLION, define_pattern};
use crate::parts::{self, Swatch};
use crate::svg::{A, Svg};

/// One session's process rates; `None` when it has neither a coded transcript nor a tally.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileSession {
    pub session: u32,
    pub rates: Option<ProcessRates>,
}

/// The sessions' rates from their features.
pub fn profile_sessions(features: &[SessionFeatures]) -> Vec<ProfileSession> {
    features
        .iter()
        .map(|f| ProfileSession {
            session: f.session,
            rates: f.process,
        })
        .collect()
}

/// How a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emphasis {
    /// Hostility and judgment: vermillion, hatched, tall.
    Risk,
    /// Support: green, solid, tall.
    Support,
    /// Safety talk: dark red, shown only when it occurred.
    Urgent,
    Plain,
}

/// The rows: a label and the codes summed into it.
const ROWS: &[(&str, &[ProcessCode], Emphasis)] = &[
    (
        "Hostility and judgment",
        &[ProcessCode::Hostility, ProcessCode::Judgment],
        Emphasis::Risk,
    ),
    ("Support", &[ProcessCode::Support], Emphasis::Support),
    ("Safety talk", &[ProcessCode::Safety], Emphasis::Urgent),
    ("Challenge", &[ProcessCode::Challenge], Emphasis::Plain),
    ("Avoidance", &[ProcessCode::Avoidance], Emphasis::Plain),
    (
        "Disclosure and emotion",
        &[ProcessCode::Disclosure, ProcessCode::Emotion],
        Emphasis::Plain,
    ),
    (
        "Universality and validation",
        &[ProcessCode::Universality, ProcessCode::Validation],
        Emphasis::Plain,
    ),
    ("Feedback", &[ProcessCode::Feedback], Emphasis::Plain),
    ("Hope", &[ProcessCode::Hope], Emphasis::Plain),
    ("Advice", &[ProcessCode::Advice], Emphasis::Plain),
    (
        "Facilitation",
        &[ProcessCode::Facilitation],
        Emphasis::Plain,
    ),
];

/// A row's rate in one session: the sum of its codes (not-finite or negative rates as 0).
fn rate(rates: &ProcessRates, codes: &[ProcessCode]) -> f64 {
    codes
        .iter()
        .map(|c| rates.rate(*c))
        .filter(|r| r.is_finite() && *r > 0.0)
        .sum()
}

/// The rows to draw: every row but safety, which shows only when some session has it.
fn rows(sessions: &[ProfileSession]) -> Vec<(&'static str, &'static [ProcessCode], Emphasis)> {
    let any_safety = sessions
        .iter()
        .filter_map(|s| s.rates.as_ref())
        .any(|r| rate(r, &[ProcessCode::Safety]) > 0.0);
    ROWS.iter()
        .copied()
        .filter(|(_, _, e)| *e != Emphasis::Urgent || any_safety)
        .collect()
}

/// "per 100 utterances", "per 100 tallied events", or both when sessions differ.
fn unit(sessions: &[ProfileSession]) -> &'static str {
    let mut bases = sessions.iter().filter_map(|s| s.rates.map(|r| r.basis));
    let first = bases.next();
    let mixed = bases.any(|b| Some(b) != first);
    match (first, mixed) {
        (_, true) => "per 100 utterances or tallied events",
        (Some(ProcessBasis::TalliedEvents), false) => "per 100 tallied events",
        _ => "per 100 utterances",
    }
}

fn series(sessions: &[ProfileSession], codes: &[ProcessCode]) -> Vec<(u32, f64)> {
    sessions
        .iter()
        .filter_map(|s| s.rates.as_ref().map(|r| (s.session, rate(r, codes))))
        .collect()
}

/// "Hostility and judgment peaked at 6.2 per 100 utterances in session 5 and are at 1.0
/// now; support rose from 3.0 to 8.0."
pub fn profile_reading(sessions: &[ProfileSession]) -> String {
    let hostile = series(sessions, &[ProcessCode::Hostility, ProcessCode::Judgment]);
    let support = series(sessions, &[ProcessCode::Support]);
    let unit = unit(sessions);
    let (Some(&(last_session, last)), Some(&(_, support_last))) = (hostile.last(), support.last())
    else {
        return "No coded transcripts or tallies yet.".to_owned();
    };
    if hostile.len() == 1 {
        return format!(
            "Session {last_session}: hostility and judgment {} {unit}, support {}.",
            format::one_decimal(last),
            format::one_decimal(support_last)
        );
    }
    let mut peak = (last_session, f64::NEG_INFINITY);
    for (session, value) in &hostile {
        if *value > peak.1 {
            peak = (*session, *value);
        }
    }
    let first_clause = if peak.1 <= 0.0 {
        format!(
            "No hostility or judgment was coded in {} sessions",
            hostile.len()
        )
    } else if peak.0 == last_session {
        format!(
            "Hostility and judgment are at their highest so far ({} {unit} in session {last_session})",
            format::one_decimal(last)
        )
    } else {
        format!(
            "Hostility and judgment peaked at {} {unit} in session {} and are at {} now",
            format::one_decimal(peak.1),
            peak.0,
            format::one_decimal(last)
        )
    };
    let support_first = support.first().map_or(support_last, |(_, v)| *v);
    // One more supportive turn per 100 is worth a word; less reads as steady.
    let support_clause = if support_last - support_first >= 1.0 {
        format!(
            "support rose from {} to {}",
            format::one_decimal(support_first),
            format::one_decimal(support_last)
        )
    } else if support_first - support_last >= 1.0 {
        format!(
            "support fell from {} to {}",
            format::one_decimal(support_first),
            format::one_decimal(support_last)
        )
    } else {
        format!(
            "support held steady around {}",
            format::one_decimal(support_last)
        )
    };
    format!("{first_clause}; {support_clause}.")
}

fn table(sessions: &[ProfileSession]) -> Table {
    let rows = rows(sessions);
    let mut columns = vec!["Session", "Coded"];
    columns.extend(rows.iter().map(|(label, _, _)| *label));
    let mut table = Table::new(
        format!("Process codes by session, {}", unit(sessions)),
        &columns,
    );
    for s in sessions {
        let mut cells = vec![s.session.to_string()];
        match &s.rates {
            Some(r) => {
                cells.push(match r.basis {
                    ProcessBasis::Utterances => format!("{} utterances", r.units),
                    ProcessBasis::TalliedEvents => format!("{} tallied events", r.units),
                });
                cells.extend(
                    rows.iter()
                        .map(|(_, codes, _)| format::one_decimal(rate(r, codes))),
                );
            }
            None => {
                cells.push("not coded".to_owned());
                cells.extend(rows.iter().map(|_| String::new()));
            }
        }
        table.rows.push(cells);
    }
    table
}

/// Chart 5: the process profile across sessions.
pub fn profile_chart(id: &str, sessions: &[ProfileSession]) -> Chart {
    let reading = profile_reading(sessions);
    let title = format!("Process codes by session, {}", unit(sessions));
    Chart {
        wide: draw(id, Layout::Wide, sessions, &title, &reading),
        narrow: draw(id, Layout::Narrow, sessions, &title, &reading),
        table: table(sessions),
        reading,
    }
}

fn draw(
    id: &str,
    layout: Layout,
    sessions: &[ProfileSession],
    title: &str,
    reading: &str,
) -> String {
    let width = layout.width();
    let rows = rows(sessions);
    let unit = unit(sessions);
    let entries = vec![
        (
            Swatch::Fill {
                fill: String::new(),
            },
            "hostility and judgment".to_owned(),
        ),
        (
            Swatch::Fill {
                fill: GREEN.to_owned(),
            },
            "support".to_owned(),
        ),
        (
            Swatch::Fill {
                fill: MUTED.to_owned(),
            },
            "other codes".to_owned(),
        ),
        (
            Swatch::Fill {
                fill: NEUTRAL_WASH.to_owned(),
            },
            "not coded".to_owned(),
        ),
    ];
    let legend_width = width - 2.0 * PAD;
    let legend_h = parts::legend_height(&entries, legend_width);
    let unit_line = PAD + legend_h + LINE * 0.75;
    let panels_top = unit_line + LINE / 2.0;
    let panel_height = |e: Emphasis| match e {
        Emphasis::Risk | Emphasis::Support | Emphasis::Urgent => 64.0,
        Emphasis::Plain => 30.0,
    };
    // Each panel: a label line, then its bars, then a little air.
    let total: f64 = rows
        .iter()
        .map(|(_, _, e)| LINE + panel_height(*e) + 8.0)
        .sum();
    let left = PAD;
    let right = width - PAD;
    let axis = SessionAxis::over(sessions.iter().map(|s| s.session), left, right);
    let axis_y = panels_top + total;
    let height = axis_y + parts::SESSION_AXIS_HEIGHT + PAD;

    let mut svg = Svg::new(id, layout, height, title, reading);
    svg.open("defs", &[]);
    define_pattern(&mut svg, "hostile", VERMILLION, Pattern::Diagonal);
    svg.close("defs");
    let mut entries = entries;
    if let Some(first) = entries.first_mut() {
        first.0 = Swatch::Fill {
            fill: svg.url("hostile"),
        };
    }
    parts::legend(&mut svg, &entries, PAD, PAD, legend_width);
    svg.text(
        PAD,
        unit_line,
        &format::sentence(unit),
        &[("fill", A::S(MUTED))],
    );
    for s in sessions.iter().filter(|s| s.rates.is_none()) {
        svg.rect(
            axis.left(s.session),
            panels_top,
            axis.slot(),
            total,
            &[("fill", A::S(NEUTRAL_WASH)), ("class", A::S("not-coded"))],
        );
    }
    let gap = (axis.slot() * 0.25).min(4.0);
    let mut top = panels_top;
    for (label, codes, emphasis) in &rows {
        let values = series(sessions, codes);
        let max = values.iter().map(|(_, v)| *v).fold(0.0, f64::max);
        let peak = values.iter().find(|(_, v)| *v >= max && max > 0.0);
        let note = match peak {
            Some((session, value)) => format!(
                "{label}: highest {} (session {session})",
                format::one_decimal(*value)
            ),
            None if values.is_empty() => (*label).to_owned(),
            None => format!("{label}: none"),
        };
        let weight = if *emphasis == Emphasis::Plain {
            "normal"
        } else {
            "bold"
        };
        svg.text(
            left,
            top + LINE * 0.7,
            &crate::layout::fit(&note, right - left),
            &[("font-weight", A::S(weight))],
        );
        let h = panel_height(*emphasis);
        let base = top + LINE + h;
        svg.line(
            (left, base),
            (right, base),
            &[("stroke", A::S(MUTED)), ("stroke-width", A::N(1.0))],
        );
        let fill = match emphasis {
            Emphasis::Risk => svg.url("hostile"),
            Emphasis::Support => GREEN.to_owned(),
            Emphasis::Urgent => RISK.to_owned(),
            Emphasis::Plain => MUTED.to_owned(),
        };
        let class = match emphasis {
            Emphasis::Risk => "bar hostile",
            Emphasis::Support => "bar support",
            Emphasis::Urgent => "bar safety",
            Emphasis::Plain => "bar",
        };
        if max > 0.0 {
            svg.open("g", &[("fill", A::S(&fill))]);
            for (session, value) in &values {
                let bar = value / max * h;
                if bar > 0.0 {
                    svg.rect(
                        axis.left(*session) + gap / 2.0,
                        base - bar,
                        axis.slot() - gap,
                        bar,
                        &[("class", A::S(class))],
                    );
                }
            }
            svg.close("g");
        }
        top = base + 8.0;
    }
    parts::session_axis(&mut svg, &axis, axis_y);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;

    fn rates(units: u32, hostility: f64, judgment: f64, support: f64) -> ProcessRates {
        let mut per_100 = [0.0; 14];
        per_100[ProcessCode::Hostility as usize] = hostility;
        per_100[ProcessCode::Judgment as usize] = judgment;
        per_100[ProcessCode::Support as usize] = support;
        per_100[ProcessCode::Facilitation as usize] = 20.0;
        ProcessRates {
            basis: ProcessBasis::Utterances,
            units,
            per_100,
        }
    }

    fn sessions() -> Vec<ProfileSession> {
        vec![
            ProfileSession {
                session: 1,
                rates: Some(rates(100, 1.0, 1.0, 3.0)),
            },
            ProfileSession {
                session: 2,
                rates: None,
            },
            ProfileSession {
                session: 3,
                rates: Some(rates(120, 4.0, 2.2, 5.0)),
            },
            ProfileSession {
                session: 4,
                rates: Some(rates(90, 0.5, 0.5, 8.0)),
            },
        ]
    }

    #[test]
    fn the_reading_gives_the_hostility_peak_and_support() {
        assert_eq!(
            profile_reading(&sessions()),
            "Hostility and judgment peaked at 6.2 per 100 utterances in session 3 and are at \
             1.0 now; support rose from 3.0 to 8.0."
        );
        assert_eq!(
            profile_reading(&sessions()[..1]),
            "Session 1: hostility and judgment 2.0 per 100 utterances, support 3.0."
        );
        assert_eq!(profile_reading(&[]), "No coded transcripts or tallies yet.");
    }

    #[test]
    fn bars_match_the_coded_sessions_and_uncoded_ones_are_marked() {
        let chart = profile_chart("profile", &sessions());
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            assert_eq!(check::count(&doc, "hostile"), 3);
            assert_eq!(check::count(&doc, "support"), 3);
            assert_eq!(check::count(&doc, "not-coded"), 1);
            // Facilitation in every coded session; nothing else but the two above.
            assert_eq!(check::count(&doc, "bar"), 9);
            assert_eq!(check::count(&doc, "safety"), 0);
        }
        assert_eq!(chart.table.columns.len(), 2 + ROWS.len() - 1);
        assert_eq!(chart.table.rows[1][1], "not coded");
        assert_eq!(
            chart.table.rows[2][..4],
            ["3", "120 utterances", "6.2", "5.0"]
        );
    }

    #[test]
    fn safety_talk_gets_its_own_row_when_it_occurs() {
        let mut data = sessions();
        if let Some(r) = data[0].rates.as_mut() {
            r.per_100[ProcessCode::Safety as usize] = 1.0;
            r.per_100[ProcessCode::Advice as usize] = f64::NAN;
        }
        let chart = profile_chart("p", &data);
        let doc = check::valid(&chart.wide);
        assert_eq!(check::count(&doc, "safety"), 1);
        assert_eq!(chart.table.columns[4], "Safety talk");
    }
}
