//! Chart 1: one member's scores on one instrument scale over sessions, with the cut-off lines,
//! the band of no reliable change around the baseline, severity bands named beside the axis,
//! and sessions without a valid score left as gaps in the line.

use measures::{CutoffOp, Direction, InstrumentDef, Outcome, Trajectory};

use crate::chart::{Chart, Table};
use crate::format;
use crate::layout::{
    CENTRE_TEXT, CHAR_WIDTH, LINE, Layout, PAD, SessionAxis, ValueAxis, text_width,
};
use crate::palette::{BAND_WASH, BLUE, MUTED, VERMILLION};
use crate::parts::{self, Marker, Swatch};
use crate::svg::{A, Svg};

/// A member's line on one scale, as plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectoryInput {
    /// The scale as people name it: "PHQ-9", "GCQ-S conflict".
    pub name: String,
    /// The scale's lowest and highest values.
    pub range: (f64, f64),
    pub direction: Direction,
    pub cutoffs: Vec<CutoffLine>,
    /// Severity bands, named beside the axis on the wide drawing (may be empty).
    pub bands: Vec<SeverityBand>,
    /// The first valid score (the reliable-change band is drawn around it).
    pub baseline: Option<f64>,
    /// The reliable-change value Δ (the band is baseline ± Δ).
    pub reliable_change: Option<f64>,
    /// In session order; a session absent here or with `value: None` is a gap.
    pub points: Vec<ScorePoint>,
}

/// A horizontal line at a cut-off, with its meaning in words ("clinical range: 10 or more").
#[derive(Debug, Clone, PartialEq)]
pub struct CutoffLine {
    pub value: f64,
    pub label: String,
}

/// Scores `min..=max` read as `label`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeverityBand {
    pub min: f64,
    pub max: f64,
    pub label: String,
}

/// One session on the line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePoint {
    /// The session's number in its group (the x position).
    pub session: u32,
    /// None: no valid score (not answered, or too many items missing).
    pub value: Option<f64>,
    /// The severity band in words.
    pub band: Option<String>,
    /// Jacobson–Truax outcome against the baseline, when the scale has a Δ.
    pub outcome: Option<Outcome>,
}

impl TrajectoryInput {
    /// From the measures crate's trajectory; `session` gives a point's session number and
    /// `def` supplies the severity bands.
    pub fn from_measures<K>(
        name: &str,
        def: &InstrumentDef,
        line: &Trajectory<K>,
        session: impl Fn(&K) -> u32,
    ) -> Self {
        Self {
            name: name.to_owned(),
            range: line.range,
            direction: line.direction,
            cutoffs: line
                .cutoffs
                .iter()
                .map(|c| CutoffLine {
                    value: c.value,
                    label: cutoff_words(c.op, c.value, &c.label),
                })
                .collect(),
            bands: def
                .bands(&line.scale)
                .map(|b| SeverityBand {
                    min: f64::from(b.min),
                    max: f64::from(b.max),
                    label: b.label.clone(),
                })
                .collect(),
            baseline: line.baseline,
            reliable_change: line.reliable_change.as_ref().map(|r| r.delta),
            points: line
                .points
                .iter()
                .map(|p| ScorePoint {
                    session: session(&p.at),
                    value: p.value,
                    band: p.band.clone(),
                    outcome: p.change.as_ref().map(|c| c.outcome),
                })
                .collect(),
        }
    }

    /// baseline ± Δ inside the scale, when both are known.
    pub fn change_band(&self) -> Option<(f64, f64)> {
        let baseline = self.baseline.filter(|b| b.is_finite())?;
        let delta = self
            .reliable_change
            .filter(|d| d.is_finite() && *d >= 0.0)?;
        let (lo, hi) = self.range;
        Some(((baseline - delta).max(lo), (baseline + delta).min(hi)))
    }

    /// The points with a finite score.
    fn scored(&self) -> impl Iterator<Item = (&ScorePoint, f64)> {
        self.points
            .iter()
            .filter_map(|p| p.value.filter(|v| v.is_finite()).map(|v| (p, v)))
    }

    /// The outcome of `point`: as given, or from Δ and the direction when not given.
    fn outcome(&self, value: f64, point: &ScorePoint) -> Option<Outcome> {
        if point.outcome.is_some() {
            return point.outcome;
        }
        let baseline = self.baseline.filter(|b| b.is_finite())?;
        let delta = self.reliable_change.filter(|d| d.is_finite())?;
        let gain = match self.direction {
            Direction::HigherBetter => value - baseline,
            Direction::LowerBetter => baseline - value,
        };
        Some(if gain >= delta - 1e-9 {
            Outcome::Improved
        } else if -gain >= delta - 1e-9 {
            Outcome::Deteriorated
        } else {
            Outcome::Unchanged
        })
    }
}

/// "clinical range: 10 or more".
pub fn cutoff_words(op: CutoffOp, value: f64, label: &str) -> String {
    let v = format::value(value);
    match op {
        CutoffOp::AtLeast => format!("{label}: {v} or more"),
        CutoffOp::Above => format!("{label}: above {v}"),
        CutoffOp::AtMost => format!("{label}: {v} or less"),
        CutoffOp::Below => format!("{label}: below {v}"),
    }
}

fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Recovered => "a reliable improvement, out of the clinical range",
        Outcome::Improved => "a reliable improvement",
        Outcome::Unchanged => "no reliable change",
        Outcome::Deteriorated => "a reliable deterioration",
    }
}

fn with_band(value: f64, band: Option<&str>) -> String {
    match band {
        Some(band) if !band.is_empty() => format!("{} ({band})", format::value(value)),
        _ => format::value(value),
    }
}

/// The member's change in words: "PHQ-9 fell from 16 (moderately severe) to 8 (mild): a
/// reliable improvement."
pub fn trajectory_reading(input: &TrajectoryInput) -> String {
    format::one_line(&reading(input))
}

fn reading(input: &TrajectoryInput) -> String {
    let name = if input.name.trim().is_empty() {
        "The score"
    } else {
        input.name.as_str()
    };
    let mut scored = input.scored();
    let Some((first, first_value)) = scored.next() else {
        return format!("No {name} scores yet.");
    };
    let Some((last, last_value)) = scored.last() else {
        return format!(
            "{name}: one score so far, {} in session {}.",
            with_band(first_value, first.band.as_deref()),
            first.session
        );
    };
    let from = with_band(first_value, first.band.as_deref());
    let to = with_band(last_value, last.band.as_deref());
    let verdict = match input.outcome(last_value, last) {
        Some(outcome) => outcome_words(outcome),
        None => "this scale has no reliable-change value",
    };
    if (last_value - first_value).abs() < 1e-9 {
        format!("{name} stayed at {to}: {verdict}.")
    } else {
        let verb = if last_value < first_value {
            "fell"
        } else {
            "rose"
        };
        format!("{name} {verb} from {from} to {to}: {verdict}.")
    }
}

fn table(input: &TrajectoryInput) -> Table {
    let mut table = Table::new(
        format!("{} by session", input.name),
        &["Session", "Score", "Band", "Change from baseline"],
    );
    let baseline = input.baseline.filter(|b| b.is_finite());
    let mut seen_baseline = false;
    for point in &input.points {
        let value = point.value.filter(|v| v.is_finite());
        let change = match (value, baseline) {
            (Some(v), Some(b)) if !seen_baseline && (v - b).abs() < 1e-9 => {
                seen_baseline = true;
                "baseline".to_owned()
            }
            (Some(v), Some(b)) => {
                let diff = v - b;
                let signed = if diff < 0.0 {
                    format!("−{}", format::value(-diff))
                } else {
                    format!("+{}", format::value(diff))
                };
                match input.outcome(v, point) {
                    Some(outcome) => format!("{signed}: {}", outcome_words(outcome)),
                    None => signed,
                }
            }
            _ => String::new(),
        };
        table.rows.push(vec![
            point.session.to_string(),
            value.map_or_else(|| "no valid score".to_owned(), format::value),
            point.band.clone().unwrap_or_default(),
            change,
        ]);
    }
    table
}

/// Chart 1: the member's trajectory on one scale. `id` makes the SVG's ids unique on the
/// page (e.g. "traj-phq9-total").
pub fn trajectory_chart(id: &str, input: &TrajectoryInput) -> Chart {
    let reading = trajectory_reading(input);
    let title = format!("{} by session", input.name);
    Chart {
        wide: draw(id, Layout::Wide, input, &title, &reading),
        narrow: draw(id, Layout::Narrow, input, &title, &reading),
        table: table(input),
        reading,
    }
}

fn draw(id: &str, layout: Layout, input: &TrajectoryInput, title: &str, reading: &str) -> String {
    let width = layout.width();
    let axis_probe = ValueAxis::new(input.range.0, input.range.1, 1.0, 0.0);
    let plot_height = match layout {
        Layout::Wide => 260.0,
        Layout::Narrow => 220.0,
    };
    let top = PAD + FONT_HALF;
    let y_axis = ValueAxis::new(axis_probe.lo, axis_probe.hi, top + plot_height, top);
    let ticks = y_ticks(input, &y_axis);
    let left =
        PAD + parts::value_label_width(&ticks.iter().map(|t| t.1.clone()).collect::<Vec<_>>());
    let band_names = layout == Layout::Wide && !input.bands.is_empty();
    let right = if band_names {
        width
            - PAD
            - 12.0
            - input
                .bands
                .iter()
                .map(|b| text_width(&b.label))
                .fold(0.0, f64::max)
                .min(200.0)
    } else {
        width - PAD - 4.0
    };
    let sessions = SessionAxis::over(input.points.iter().map(|p| p.session), left, right);

    let mut entries = vec![(
        Swatch::Line {
            colour: BLUE,
            dash: None,
            marker: Some(Marker::Circle),
        },
        format!("{} score", input.name),
    )];
    let change_band = input.change_band();
    if let (Some((lo, hi)), Some(baseline), Some(delta)) =
        (change_band, input.baseline, input.reliable_change)
    {
        entries.push((
            Swatch::Fill {
                fill: BAND_WASH.to_owned(),
            },
            format!(
                "no reliable change: {} to {} (baseline {} ± {})",
                format::value(lo),
                format::value(hi),
                format::value(baseline),
                format::value(delta)
            ),
        ));
    }
    for cutoff in input.cutoffs.iter().filter(|c| c.value.is_finite()) {
        entries.push((
            Swatch::Rule {
                colour: VERMILLION,
                dash: "8 4",
            },
            cutoff.label.clone(),
        ));
    }
    let legend_width = width - 2.0 * PAD;
    let axis_y = top + plot_height;
    let legend_top = axis_y + parts::SESSION_AXIS_HEIGHT + 4.0;
    let height = legend_top + parts::legend_height(&entries, legend_width) + PAD;

    let mut svg = Svg::new(id, layout, height, title, reading);
    if let Some((lo, hi)) = change_band {
        let (y_hi, y_lo) = (y_axis.y(hi), y_axis.y(lo));
        svg.rect(
            left,
            y_hi,
            right - left,
            y_lo - y_hi,
            &[("fill", A::S(BAND_WASH)), ("class", A::S("change-band"))],
        );
    }
    parts::value_axis(&mut svg, &y_axis, left, right, &ticks);
    if let Some((lo, hi)) = change_band {
        for edge in [lo, hi] {
            let y = y_axis.y(edge);
            svg.line(
                (left, y),
                (right, y),
                &[
                    ("stroke", A::S(MUTED)),
                    ("stroke-width", A::N(1.0)),
                    ("stroke-dasharray", A::S("2 3")),
                ],
            );
        }
    }
    if band_names {
        for band in &input.bands {
            let (y_top, y_bottom) = (
                y_axis.y(band.max.min(y_axis.hi)),
                y_axis.y(band.min.max(y_axis.lo)),
            );
            if (y_bottom - y_top) >= CHAR_WIDTH * 1.5 {
                svg.text(
                    right + 10.0,
                    (y_top + y_bottom) / 2.0 + CENTRE_TEXT,
                    &crate::layout::fit(&band.label, width - right - 12.0),
                    &[("fill", A::S(MUTED))],
                );
            }
        }
    }
    for cutoff in input.cutoffs.iter().filter(|c| c.value.is_finite()) {
        let y = y_axis.y(cutoff.value);
        svg.line(
            (left, y),
            (right, y),
            &[
                ("stroke", A::S(VERMILLION)),
                ("stroke-width", A::N(2.0)),
                ("stroke-dasharray", A::S("8 4")),
                ("class", A::S("cutoff")),
            ],
        );
    }
    parts::session_axis(&mut svg, &sessions, axis_y);

    // The line: consecutive sessions with scores are joined; anything else is a gap.
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut previous: Option<u32> = None;
    let mut points = Vec::new();
    for point in &input.points {
        let value = point.value.filter(|v| v.is_finite());
        let joined = previous.is_some_and(|p| p.checked_add(1) == Some(point.session));
        match value {
            Some(v) => {
                let xy = (sessions.centre(point.session), y_axis.y(v));
                if !joined {
                    flush(&mut svg, &mut run);
                }
                run.push(xy);
                points.push(xy);
                previous = Some(point.session);
            }
            None => {
                flush(&mut svg, &mut run);
                previous = None;
            }
        }
    }
    flush(&mut svg, &mut run);
    let radius = parts::marker_radius(sessions.slot());
    svg.open("g", &parts::marker_paint(BLUE, radius));
    for xy in &points {
        parts::marker_shape(&mut svg, Marker::Circle, *xy, radius, "point");
    }
    svg.close("g");
    if let Some(((x, y), (_, last))) = points.last().zip(input.scored().last()) {
        let label = format::value(last);
        let half = text_width(&label) / 2.0;
        let lx = x.clamp(left + half, (right - half).max(left + half));
        svg.text(
            lx,
            y - 12.0,
            &label,
            &[
                ("text-anchor", A::S("middle")),
                ("fill", A::S(BLUE)),
                ("font-weight", A::S("bold")),
            ],
        );
    }
    parts::legend(&mut svg, &entries, PAD, legend_top, legend_width);
    svg.finish()
}

const FONT_HALF: f64 = LINE / 2.0;

fn flush(svg: &mut Svg, run: &mut Vec<(f64, f64)>) {
    if run.len() > 1 {
        svg.polyline(
            run,
            &[
                ("fill", A::S("none")),
                ("stroke", A::S(BLUE)),
                ("stroke-width", A::N(2.5)),
                ("class", A::S("segment")),
            ],
        );
    }
    run.clear();
}

/// Ticks at the severity bands' lower bounds when they are far enough apart, else round
/// numbers; always the scale's top.
fn y_ticks(input: &TrajectoryInput, axis: &ValueAxis) -> Vec<(f64, String)> {
    let mut from_bands: Vec<f64> = input
        .bands
        .iter()
        .map(|b| b.min)
        .filter(|v| v.is_finite() && *v >= axis.lo && *v <= axis.hi)
        .collect();
    from_bands.push(axis.hi);
    from_bands.sort_by(f64::total_cmp);
    from_bands.dedup();
    let spaced = from_bands.len() >= 3
        && from_bands
            .windows(2)
            .all(|w| matches!(w, [a, b] if (axis.y(*a) - axis.y(*b)).abs() >= LINE));
    let values = if spaced {
        from_bands
    } else {
        axis.ticks(LINE * 1.5)
    };
    values.into_iter().map(|v| (v, format::value(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;
    use measures::{Registry, score, trajectory};

    fn phq9_line(totals: &[Option<u8>]) -> TrajectoryInput {
        let registry = Registry::bundled().unwrap();
        let def = registry.get("phq9").unwrap();
        let scores: Vec<(u32, measures::Score)> = totals
            .iter()
            .enumerate()
            .map(|(i, total)| {
                // Items summing to `total` (0–27), or all missing for None.
                let answers: Vec<Option<u8>> = match total {
                    Some(t) => (0..9u8)
                        .map(|item| Some((t.saturating_sub(item * 3)).min(3)))
                        .collect(),
                    None => vec![None; 9],
                };
                (i as u32 + 1, score(def, &answers).unwrap())
            })
            .collect();
        let line = trajectory(def, "total", &scores).unwrap();
        TrajectoryInput::from_measures("PHQ-9", def, &line, |s| *s)
    }

    #[test]
    fn the_reading_names_the_change_and_its_bands() {
        let line = phq9_line(&[Some(16), Some(14), None, Some(8)]);
        assert_eq!(
            trajectory_reading(&line),
            "PHQ-9 fell from 16 (moderately severe) to 8 (mild): a reliable improvement, out of the clinical range."
        );
        let worse = phq9_line(&[Some(8), Some(15)]);
        assert_eq!(
            trajectory_reading(&worse),
            "PHQ-9 rose from 8 (mild) to 15 (moderately severe): a reliable deterioration."
        );
        let same = phq9_line(&[Some(12), Some(10)]);
        assert_eq!(
            trajectory_reading(&same),
            "PHQ-9 fell from 12 (moderate) to 10 (moderate): no reliable change."
        );
        assert_eq!(
            trajectory_reading(&phq9_line(&[None, Some(6)])),
            "PHQ-9: one score so far, 6 (mild) in session 2."
        );
        assert_eq!(
            trajectory_reading(&phq9_line(&[None])),
            "No PHQ-9 scores yet."
        );
    }

    #[test]
    fn a_hand_made_line_without_outcomes_is_judged_by_delta() {
        let mut line = phq9_line(&[Some(20), Some(13)]);
        for p in &mut line.points {
            p.outcome = None;
            p.band = None;
        }
        assert_eq!(
            trajectory_reading(&line),
            "PHQ-9 fell from 20 to 13: a reliable improvement."
        );
        line.reliable_change = None;
        assert_eq!(
            trajectory_reading(&line),
            "PHQ-9 fell from 20 to 13: this scale has no reliable-change value."
        );
    }

    #[test]
    fn the_chart_has_a_point_per_score_and_gaps_for_missing_sessions() {
        let line = phq9_line(&[Some(16), Some(14), None, Some(9), Some(8)]);
        let chart = trajectory_chart("traj", &line);
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            assert_eq!(check::count(&doc, "point"), 4);
            // 16–14 joined; the gap at session 3; 9–8 joined.
            assert_eq!(check::count(&doc, "segment"), 2);
            assert_eq!(check::count(&doc, "cutoff"), 1);
            assert_eq!(check::count(&doc, "change-band"), 1);
            let texts = check::texts(&doc);
            assert!(
                texts.contains("no reliable change: 10 to 22 (baseline 16 ± 6)"),
                "{texts}"
            );
            assert!(
                texts.contains("clinical range (caseness): 10 or more"),
                "{texts}"
            );
        }
        assert!(check::texts(&check::valid(&chart.wide)).contains("moderately severe"));
        assert_eq!(chart.table.rows.len(), 5);
        assert_eq!(
            chart.table.rows[0],
            ["1", "16", "moderately severe", "baseline"]
        );
        assert_eq!(chart.table.rows[2][1], "no valid score");
        assert_eq!(
            chart.table.rows[4][3],
            "−8: a reliable improvement, out of the clinical range"
        );
    }

    #[test]
    fn hostile_names_are_escaped() {
        let mut line = phq9_line(&[Some(10)]);
        line.name = "<script>alert(1)</script>".to_owned();
        line.cutoffs[0].label = "\"><script>".to_owned();
        let chart = trajectory_chart("x\"><script>", &line);
        for svg in [&chart.wide, &chart.narrow] {
            assert!(!svg.contains("<script"));
            let doc = check::valid(svg);
            assert!(check::texts(&doc).contains("<script>alert(1)</script> score"));
        }
    }
}
