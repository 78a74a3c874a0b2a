//! Chart 2: the group's climate, the GCQ-S engaged, avoiding and conflict means per session
//! with their spread (lowest to highest member, or ±1 SD) as whiskers; a session nobody
//! answered is a gap in the lines.

use measures::{Score, Spread, group_spread};

use crate::chart::{Chart, Table};
use crate::format;
use crate::layout::{LINE, Layout, PAD, SessionAxis, ValueAxis};
use crate::palette::{GREEN, PURPLE, VERMILLION};
use crate::parts::{self, Marker, Swatch};
use crate::svg::{A, Svg};

/// The GCQ-S scale.
const SCALE: (f64, f64) = (0.0, 6.0);
/// A change of half a scale point in a group mean is worth a word; less reads as steady.
const NOTABLE: f64 = 0.5;

/// The group's GCQ-S subscale spreads in one session (from `measures::group_spread`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClimateSession {
    /// The session's number in its group.
    pub session: u32,
    pub engaged: Option<Spread>,
    pub avoiding: Option<Spread>,
    pub conflict: Option<Spread>,
}

impl ClimateSession {
    /// From the members' GCQ-S scores in one session (`measures::group_spread` on each
    /// subscale; responses that failed the missing-data rule drop out).
    pub fn from_scores(session: u32, scores: &[Score]) -> Self {
        Self {
            session,
            engaged: group_spread(scores, "engaged"),
            avoiding: group_spread(scores, "avoiding"),
            conflict: group_spread(scores, "conflict"),
        }
    }
}

/// What the whiskers show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Whiskers {
    /// The lowest to the highest member's score.
    #[default]
    Range,
    /// One standard deviation either side of the mean.
    Sd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subscale {
    Engaged,
    Avoiding,
    Conflict,
}

impl Subscale {
    const ALL: [Subscale; 3] = [Self::Engaged, Self::Avoiding, Self::Conflict];

    fn name(self) -> &'static str {
        match self {
            Self::Engaged => "engaged",
            Self::Avoiding => "avoiding",
            Self::Conflict => "conflict",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Self::Engaged => GREEN,
            Self::Avoiding => PURPLE,
            Self::Conflict => VERMILLION,
        }
    }

    fn dash(self) -> Option<&'static str> {
        match self {
            Self::Engaged => None,
            Self::Avoiding => Some("9 5"),
            Self::Conflict => Some("3 3"),
        }
    }

    fn marker(self) -> Marker {
        match self {
            Self::Engaged => Marker::Circle,
            Self::Avoiding => Marker::Square,
            Self::Conflict => Marker::Triangle,
        }
    }

    fn of(self, session: &ClimateSession) -> Option<Spread> {
        match self {
            Self::Engaged => session.engaged,
            Self::Avoiding => session.avoiding,
            Self::Conflict => session.conflict,
        }
        .filter(|s| s.mean.is_finite())
    }
}

/// (low, high) of a whisker, on the scale.
fn whisker(spread: &Spread, whiskers: Whiskers) -> (f64, f64) {
    let (lo, hi) = match whiskers {
        Whiskers::Range => (spread.min, spread.max),
        Whiskers::Sd => (spread.mean - spread.sd, spread.mean + spread.sd),
    };
    let lo = if lo.is_finite() { lo } else { spread.mean };
    let hi = if hi.is_finite() { hi } else { spread.mean };
    (lo.clamp(SCALE.0, SCALE.1), hi.clamp(SCALE.0, SCALE.1))
}

/// The sessions with a mean on one subscale, in order.
fn series(sessions: &[ClimateSession], subscale: Subscale) -> Vec<(u32, f64)> {
    sessions
        .iter()
        .filter_map(|s| subscale.of(s).map(|spread| (s.session, spread.mean)))
        .collect()
}

/// Peak and trend: "Conflict peaked in session 4 (3.2) and has fallen since (now 1.5);
/// engagement rose from 2.1 to 4.3."
pub fn climate_reading(sessions: &[ClimateSession]) -> String {
    let answered: Vec<&ClimateSession> = sessions
        .iter()
        .filter(|s| Subscale::ALL.iter().any(|sub| sub.of(s).is_some()))
        .collect();
    match answered.as_slice() {
        [] => return "No climate answers yet.".to_owned(),
        [only] => {
            let parts: Vec<String> = Subscale::ALL
                .iter()
                .filter_map(|sub| {
                    sub.of(only)
                        .map(|s| format!("{} {}", sub.name(), format::one_decimal(s.mean)))
                })
                .collect();
            return format!(
                "One session of climate answers so far (session {}): {}.",
                only.session,
                format::list(&parts)
            );
        }
        _ => {}
    }
    let mut clauses = Vec::new();
    let conflict = series(sessions, Subscale::Conflict);
    if let Some(clause) = peak_clause(&conflict) {
        clauses.push(clause);
    }
    for (subscale, noun) in [
        (Subscale::Engaged, "engagement"),
        (Subscale::Avoiding, "avoiding"),
    ] {
        let values = series(sessions, subscale);
        if let (Some((_, first)), Some((_, last))) = (values.first(), values.last()) {
            let change = last - first;
            if change >= NOTABLE {
                clauses.push(format!(
                    "{noun} rose from {} to {}",
                    format::one_decimal(*first),
                    format::one_decimal(*last)
                ));
            } else if change <= -NOTABLE {
                clauses.push(format!(
                    "{noun} fell from {} to {}",
                    format::one_decimal(*first),
                    format::one_decimal(*last)
                ));
            } else if subscale == Subscale::Engaged && values.len() > 1 {
                clauses.push(format!(
                    "{noun} held steady around {}",
                    format::one_decimal(*last)
                ));
            }
        }
    }
    if clauses.is_empty() {
        return "The climate has held steady.".to_owned();
    }
    format!("{}.", format::sentence(&clauses.join("; ")))
}

/// Where conflict peaked and where it is now.
fn peak_clause(values: &[(u32, f64)]) -> Option<String> {
    let (last_session, last) = *values.last()?;
    if values.len() < 2 {
        return Some(format!(
            "conflict was {} in session {last_session}",
            format::one_decimal(last)
        ));
    }
    let mut peak = values.first().copied()?;
    let mut low = f64::INFINITY;
    for (session, value) in values {
        if *value > peak.1 {
            peak = (*session, *value);
        }
        low = low.min(*value);
    }
    let (peak_session, peak_value) = peak;
    Some(if peak_value - low < NOTABLE {
        format!("conflict held steady around {}", format::one_decimal(last))
    } else if peak_session == last_session {
        format!(
            "conflict is at its highest so far ({} in session {last_session})",
            format::one_decimal(last)
        )
    } else if last <= peak_value - NOTABLE {
        format!(
            "conflict peaked in session {peak_session} ({}) and has fallen since (now {})",
            format::one_decimal(peak_value),
            format::one_decimal(last)
        )
    } else {
        format!(
            "conflict peaked in session {peak_session} ({}) and is still near that (now {})",
            format::one_decimal(peak_value),
            format::one_decimal(last)
        )
    })
}

fn cell(spread: Option<Spread>, whiskers: Whiskers) -> String {
    match spread {
        Some(s) => {
            let detail = match whiskers {
                Whiskers::Range if s.min.is_finite() && s.max.is_finite() => format!(
                    " (range {}–{})",
                    format::one_decimal(s.min),
                    format::one_decimal(s.max)
                ),
                Whiskers::Sd if s.sd.is_finite() => {
                    format!(" (SD {})", format::one_decimal(s.sd))
                }
                _ => String::new(),
            };
            format!("{}{detail}", format::one_decimal(s.mean))
        }
        None => "no answers".to_owned(),
    }
}

fn table(sessions: &[ClimateSession], whiskers: Whiskers) -> Table {
    let mut table = Table::new(
        "Group climate (GCQ-S means, 0–6) by session",
        &[
            "Session",
            "Engaged",
            "Avoiding",
            "Conflict",
            "Members answering",
        ],
    );
    for session in sessions {
        let n = Subscale::ALL
            .iter()
            .filter_map(|sub| sub.of(session).map(|s| s.n))
            .max()
            .unwrap_or(0);
        let mut row = vec![session.session.to_string()];
        row.extend(
            Subscale::ALL
                .iter()
                .map(|sub| cell(sub.of(session), whiskers)),
        );
        row.push(n.to_string());
        table.rows.push(row);
    }
    table
}

/// Chart 2: the group climate. `sessions` in session order, one entry per session held
/// (a session nobody answered has all three `None`).
pub fn climate_chart(id: &str, sessions: &[ClimateSession], whiskers: Whiskers) -> Chart {
    let reading = climate_reading(sessions);
    let title = "Group climate (GCQ-S) by session";
    Chart {
        wide: draw(id, Layout::Wide, sessions, whiskers, title, &reading),
        narrow: draw(id, Layout::Narrow, sessions, whiskers, title, &reading),
        table: table(sessions, whiskers),
        reading,
    }
}

fn draw(
    id: &str,
    layout: Layout,
    sessions: &[ClimateSession],
    whiskers: Whiskers,
    title: &str,
    reading: &str,
) -> String {
    let width = layout.width();
    let mut entries: Vec<(Swatch, String)> = Subscale::ALL
        .iter()
        .map(|sub| {
            (
                Swatch::Line {
                    colour: sub.colour(),
                    dash: sub.dash(),
                    marker: Some(sub.marker()),
                },
                sub.name().to_owned(),
            )
        })
        .collect();
    entries.push((
        Swatch::Line {
            colour: crate::palette::MUTED,
            dash: None,
            marker: None,
        },
        match whiskers {
            Whiskers::Range => "whiskers: lowest to highest member",
            Whiskers::Sd => "whiskers: ±1 SD",
        }
        .to_owned(),
    ));
    let legend_width = width - 2.0 * PAD;
    let legend_h = parts::legend_height(&entries, legend_width);
    let plot_top = PAD + legend_h + LINE / 2.0;
    let plot_height = match layout {
        Layout::Wide => 240.0,
        Layout::Narrow => 200.0,
    };
    let axis_y = plot_top + plot_height;
    let y_axis = ValueAxis::new(SCALE.0, SCALE.1, axis_y, plot_top);
    let ticks: Vec<(f64, String)> = y_axis
        .ticks(LINE * 1.2)
        .into_iter()
        .map(|v| (v, format::value(v)))
        .collect();
    let left =
        PAD + parts::value_label_width(&ticks.iter().map(|t| t.1.clone()).collect::<Vec<_>>());
    let right = width - PAD - 4.0;
    let axis = SessionAxis::over(sessions.iter().map(|s| s.session), left, right);
    let height = axis_y + parts::SESSION_AXIS_HEIGHT + PAD;

    let mut svg = Svg::new(id, layout, height, title, reading);
    parts::legend(&mut svg, &entries, PAD, PAD, legend_width);
    parts::value_axis(&mut svg, &y_axis, left, right, &ticks);
    parts::session_axis(&mut svg, &axis, axis_y);
    let dodge = (axis.slot() / 4.0).min(7.0);
    for (k, sub) in Subscale::ALL.iter().enumerate() {
        let offset = (k as f64 - 1.0) * dodge;
        let colour = sub.colour();
        // Whiskers first, so markers sit on top of them: one path each, painted by a group.
        svg.open(
            "g",
            &[
                ("stroke", A::S(colour)),
                ("stroke-width", A::N(1.5)),
                ("fill", A::S("none")),
            ],
        );
        let cap = (dodge * 0.6).clamp(1.5, 4.0);
        for session in sessions {
            if let Some(spread) = sub.of(session) {
                let (lo, hi) = whisker(&spread, whiskers);
                if hi > lo {
                    let x = axis.centre(session.session) + offset;
                    let (y_lo, y_hi) = (y_axis.y(lo), y_axis.y(hi));
                    // The whisker and its two caps.
                    let d = crate::svg::path_data(&[
                        ("M", x),
                        (" ", y_lo),
                        (" V", y_hi),
                        (" M", x - cap),
                        (" ", y_lo),
                        (" H", x + cap),
                        (" M", x - cap),
                        (" ", y_hi),
                        (" H", x + cap),
                    ]);
                    svg.leaf("path", &[("d", A::S(&d)), ("class", A::S("whisker"))]);
                }
            }
        }
        svg.close("g");
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut previous: Option<u32> = None;
        for session in sessions {
            match sub.of(session) {
                Some(spread) => {
                    let xy = (
                        axis.centre(session.session) + offset,
                        y_axis.y(spread.mean.clamp(SCALE.0, SCALE.1)),
                    );
                    let joined =
                        previous.is_some_and(|p| p.checked_add(1) == Some(session.session));
                    match runs.last_mut() {
                        Some(run) if joined => run.push(xy),
                        _ => runs.push(vec![xy]),
                    }
                    previous = Some(session.session);
                }
                None => previous = None,
            }
        }
        let class = format!("segment {}", sub.name());
        for run in runs.iter().filter(|r| r.len() > 1) {
            let mut attrs = vec![
                ("fill", A::S("none")),
                ("stroke", A::S(colour)),
                ("stroke-width", A::N(2.5)),
                ("class", A::S(&class)),
            ];
            if let Some(dash) = sub.dash() {
                attrs.push(("stroke-dasharray", A::S(dash)));
            }
            svg.polyline(run, &attrs);
        }
        let class = format!("point {}", sub.name());
        let radius = parts::marker_radius(axis.slot());
        svg.open("g", &parts::marker_paint(colour, radius));
        for xy in runs.iter().flatten() {
            parts::marker_shape(&mut svg, sub.marker(), *xy, radius, &class);
        }
        svg.close("g");
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;
    use measures::spread;

    fn session(n: u32, engaged: f64, avoiding: f64, conflict: f64) -> ClimateSession {
        let around = |m: f64| spread([m - 0.5, m, m + 0.5]);
        ClimateSession {
            session: n,
            engaged: around(engaged),
            avoiding: around(avoiding),
            conflict: around(conflict),
        }
    }

    fn unanswered(n: u32) -> ClimateSession {
        ClimateSession {
            session: n,
            ..ClimateSession::default()
        }
    }

    #[test]
    fn the_reading_gives_the_conflict_peak_and_the_trends() {
        let sessions = [
            session(1, 2.1, 2.5, 1.0),
            session(2, 2.6, 2.4, 2.2),
            session(3, 3.0, 2.2, 2.9),
            session(4, 3.3, 2.0, 3.2),
            unanswered(5),
            session(6, 4.0, 1.9, 2.0),
            session(7, 4.3, 1.8, 1.5),
        ];
        assert_eq!(
            climate_reading(&sessions),
            "Conflict peaked in session 4 (3.2) and has fallen since (now 1.5); engagement rose from 2.1 to 4.3; avoiding fell from 2.5 to 1.8."
        );
        assert_eq!(
            climate_reading(&sessions[..4]),
            "Conflict is at its highest so far (3.2 in session 4); engagement rose from 2.1 to 3.3; avoiding fell from 2.5 to 2.0."
        );
        let steady = [session(1, 3.0, 2.0, 1.0), session(2, 3.2, 2.1, 1.2)];
        assert_eq!(
            climate_reading(&steady),
            "Conflict held steady around 1.2; engagement held steady around 3.2."
        );
        let near = [
            session(1, 3.0, 2.0, 1.0),
            session(2, 3.0, 2.0, 3.0),
            session(3, 3.0, 2.0, 2.8),
        ];
        assert!(
            climate_reading(&near)
                .starts_with("Conflict peaked in session 2 (3.0) and is still near that (now 2.8)")
        );
    }

    #[test]
    fn readings_for_no_and_one_session() {
        assert_eq!(climate_reading(&[]), "No climate answers yet.");
        assert_eq!(climate_reading(&[unanswered(1)]), "No climate answers yet.");
        assert_eq!(
            climate_reading(&[unanswered(1), session(2, 3.0, 2.0, 1.0)]),
            "One session of climate answers so far (session 2): engaged 3.0, avoiding 2.0 and conflict 1.0."
        );
    }

    #[test]
    fn points_whiskers_and_gaps_match_the_sessions() {
        let sessions = [
            session(1, 2.0, 2.0, 1.0),
            session(2, 2.5, 2.0, 2.0),
            unanswered(3),
            session(4, 3.0, 1.5, 1.0),
            session(5, 3.5, 1.5, 0.5),
        ];
        let chart = climate_chart("climate", &sessions, Whiskers::Range);
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            assert_eq!(check::count(&doc, "point"), 12);
            assert_eq!(check::count(&doc, "conflict"), 4 + 2);
            assert_eq!(check::count(&doc, "whisker"), 12);
            // Two runs per subscale: 1–2 and 4–5, broken at the unanswered session 3.
            assert_eq!(check::count(&doc, "segment"), 6);
        }
        assert_eq!(chart.table.rows.len(), 5);
        assert_eq!(
            chart.table.rows[0],
            [
                "1",
                "2.0 (range 1.5–2.5)",
                "2.0 (range 1.5–2.5)",
                "1.0 (range 0.5–1.5)",
                "3"
            ]
        );
        assert_eq!(chart.table.rows[2][1], "no answers");
        let sd = climate_chart("climate", &sessions, Whiskers::Sd);
        assert_eq!(sd.table.rows[0][1], "2.0 (SD 0.5)");
    }

    #[test]
    fn a_session_from_the_members_scores() {
        let registry = measures::Registry::bundled().unwrap();
        let gcqs = registry.get("gcqs").unwrap();
        let scores: Vec<Score> = [2u8, 4, 6]
            .iter()
            .map(|v| measures::score(gcqs, &[Some(*v); 12]).unwrap())
            .collect();
        let s = ClimateSession::from_scores(7, &scores);
        assert_eq!(s.session, 7);
        let conflict = s.conflict.unwrap();
        assert_eq!(
            (conflict.n, conflict.mean, conflict.min, conflict.max),
            (3, 4.0, 2.0, 6.0)
        );
        assert_eq!(ClimateSession::from_scores(8, &[]).engaged, None);
    }

    #[test]
    fn not_finite_means_are_missing() {
        let mut broken = session(1, 2.0, 2.0, 2.0);
        if let Some(s) = broken.conflict.as_mut() {
            s.mean = f64::NAN;
            s.min = f64::NEG_INFINITY;
        }
        let chart = climate_chart("c", &[broken, session(2, 9.0, -3.0, 1.0)], Whiskers::Range);
        let doc = check::valid(&chart.wide);
        assert_eq!(check::count(&doc, "conflict"), 1);
        assert!(!chart.wide.contains("NaN"));
    }
}
