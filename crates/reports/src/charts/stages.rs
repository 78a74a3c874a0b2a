//! Chart 3: the stage timeline. Per session the forward-filtered posterior as a stacked bar
//! (what was knowable right after that session), under it the model's call (the Viterbi
//! path) and the facilitator's own call as two strips, and the planned ending marked.

use stages::{Horizon, Stage, StageProbs, Timeline};

use crate::chart::{Chart, Table};
use crate::format;
use crate::layout::{CENTRE_TEXT, LINE, Layout, PAD, SessionAxis, ValueAxis, text_width};
use crate::palette::{BLUE, GREEN, GRID, INK, MUTED, Pattern, VERMILLION, WHITE, define_pattern};
use crate::parts::{self, Swatch};
use crate::svg::{A, Svg};

/// One session on the stage timeline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageSession {
    /// The session's number in its group.
    pub session: u32,
    /// The forward-filtered posterior (`SessionStage::posterior`).
    pub posterior: StageProbs,
    /// The model's call: the stage on the Viterbi path.
    pub model_call: Stage,
    /// The facilitator's own call for this session, when they made one.
    pub facilitator_call: Option<Stage>,
    /// Forced into the ending stage by the group's planned number of sessions.
    pub forced_ending: bool,
}

/// The timeline's sessions with the facilitator's calls (`(session, stage)`, any order)
/// and the horizon's forced ending.
pub fn stage_sessions(
    timeline: &Timeline,
    horizon: Horizon,
    facilitator_calls: &[(u32, Stage)],
) -> Vec<StageSession> {
    timeline
        .sessions
        .iter()
        .map(|s| StageSession {
            session: s.session,
            posterior: s.posterior,
            model_call: s.stage,
            facilitator_call: facilitator_calls
                .iter()
                .rev()
                .find(|(session, _)| *session == s.session)
                .map(|(_, stage)| *stage),
            forced_ending: horizon.is_ending(s.session),
        })
        .collect()
}

fn colour(stage: Stage) -> &'static str {
    match stage {
        Stage::Engagement => BLUE,
        Stage::Differentiation => VERMILLION,
        Stage::Working => GREEN,
        Stage::Ending => MUTED,
    }
}

fn pattern(stage: Stage) -> Pattern {
    match stage {
        Stage::Engagement => Pattern::Dots,
        Stage::Differentiation => Pattern::Diagonal,
        Stage::Working => Pattern::Solid,
        Stage::Ending => Pattern::Horizontal,
    }
}

fn short(stage: Stage) -> &'static str {
    match stage {
        Stage::Engagement => "Eng",
        Stage::Differentiation => "Diff",
        Stage::Working => "Work",
        Stage::Ending => "End",
    }
}

/// The posterior with anything not finite or negative as 0, normalised; None if nothing
/// is left.
fn clean(probs: StageProbs) -> Option<[f64; 4]> {
    let raw = probs
        .to_array()
        .map(|p| if p.is_finite() && p > 0.0 { p } else { 0.0 });
    let total: f64 = raw.iter().sum();
    (total > 0.0 && total.is_finite()).then(|| raw.map(|p| p / total))
}

fn most_likely(probs: [f64; 4]) -> (Stage, f64) {
    let mut best = (Stage::Engagement, f64::NEG_INFINITY);
    for stage in Stage::ALL {
        let p = probs.get(stage.index()).copied().unwrap_or(0.0);
        if p > best.1 {
            best = (stage, p);
        }
    }
    best
}

/// Runs of equal values: (first session, last session, value).
fn runs<T: Copy + PartialEq>(items: impl IntoIterator<Item = (u32, T)>) -> Vec<(u32, u32, T)> {
    let mut out: Vec<(u32, u32, T)> = Vec::new();
    for (session, value) in items {
        match out.last_mut() {
            Some((_, last, v)) if *v == value && last.checked_add(1) == Some(session) => {
                *last = session;
            }
            _ => out.push((session, session, value)),
        }
    }
    out
}

/// Where the group stands: "As of session 12 the group is most likely in the working stage
/// (82%), after engagement in sessions 1–3 and differentiation in sessions 4–7; the
/// facilitator's own calls agree with the model in 9 of 10 sessions."
pub fn stage_reading(sessions: &[StageSession]) -> String {
    let Some(last) = sessions.last() else {
        return "No sessions yet, so no stage estimate.".to_owned();
    };
    let mut text = if last.forced_ending {
        let first = sessions
            .iter()
            .find(|s| s.forced_ending)
            .map_or(last.session, |s| s.session);
        format!(
            "As of session {} the group is in its planned ending (sessions {})",
            last.session,
            format::span(first, last.session)
        )
    } else {
        match clean(last.posterior) {
            Some(probs) => {
                let (stage, p) = most_likely(probs);
                format!(
                    "As of session {} the group is most likely in the {stage} stage ({})",
                    last.session,
                    format::percent(p)
                )
            }
            None => format!("Session {} has no stage estimate", last.session),
        }
    };
    let path = runs(sessions.iter().map(|s| (s.session, s.model_call)));
    let earlier: Vec<String> = path
        .iter()
        .rev()
        .skip(1)
        .take(2)
        .rev()
        .map(|(a, b, stage)| {
            let noun = if a == b { "session" } else { "sessions" };
            format!("{stage} in {noun} {}", format::span(*a, *b))
        })
        .collect();
    if !earlier.is_empty() {
        text.push_str(&format!(", after {}", format::list(&earlier)));
    }
    let called: Vec<(Stage, Stage)> = sessions
        .iter()
        .filter_map(|s| s.facilitator_call.map(|c| (c, s.model_call)))
        .collect();
    if !called.is_empty() {
        let agree = called.iter().filter(|(f, m)| f == m).count();
        text.push_str(&format!(
            "; the facilitator's own calls agree with the model in {agree} of {} sessions",
            called.len()
        ));
        if let Some(call) = last.facilitator_call.filter(|c| *c != last.model_call) {
            text.push_str(&format!(
                " (for session {} they called {call}, the model {})",
                last.session, last.model_call
            ));
        }
    }
    text.push('.');
    text
}

fn table(sessions: &[StageSession]) -> Table {
    let mut table = Table::new(
        "Stage by session: the model's probabilities after each session and both calls",
        &[
            "Session",
            "Engagement",
            "Differentiation",
            "Working",
            "Ending",
            "Model's call",
            "Facilitator's call",
        ],
    );
    for s in sessions {
        let mut row = vec![if s.forced_ending {
            format!("{} (planned ending)", s.session)
        } else {
            s.session.to_string()
        }];
        match clean(s.posterior) {
            Some(probs) => row.extend(probs.iter().map(|p| format::percent(*p))),
            None => row.extend(std::iter::repeat_n("no estimate".to_owned(), 4)),
        }
        row.push(s.model_call.to_string());
        row.push(
            s.facilitator_call
                .map_or_else(|| "not called".to_owned(), |c| c.to_string()),
        );
        table.rows.push(row);
    }
    table
}

/// Chart 3: the stage timeline, sessions in order.
pub fn stage_chart(id: &str, sessions: &[StageSession]) -> Chart {
    let reading = stage_reading(sessions);
    let title = "Stage of group development by session";
    Chart {
        wide: draw(id, Layout::Wide, sessions, title, &reading),
        narrow: draw(id, Layout::Narrow, sessions, title, &reading),
        table: table(sessions),
        reading,
    }
}

const STRIP: f64 = 24.0;

fn draw(id: &str, layout: Layout, sessions: &[StageSession], title: &str, reading: &str) -> String {
    let width = layout.width();
    let mut svg_entries: Vec<(Swatch, String)> = Vec::new();
    let legend_width = width - 2.0 * PAD;
    // The legend's fills name patterns, so the Svg must exist first; measure with plain
    // names, which take the same room.
    for stage in Stage::ALL {
        svg_entries.push((
            Swatch::Fill {
                fill: String::new(),
            },
            stage.to_string(),
        ));
    }
    let forced = sessions.iter().find(|s| s.forced_ending).map(|s| s.session);
    if forced.is_some() {
        svg_entries.push((
            Swatch::Rule {
                colour: INK,
                dash: "4 3",
            },
            "planned ending".to_owned(),
        ));
    }
    let legend_h = parts::legend_height(&svg_entries, legend_width);
    let bars_top = PAD + legend_h + LINE / 2.0;
    let bars_height = match layout {
        Layout::Wide => 150.0,
        Layout::Narrow => 130.0,
    };
    let bars_bottom = bars_top + bars_height;
    let y_axis = ValueAxis::new(0.0, 1.0, bars_bottom, bars_top);
    let ticks: Vec<(f64, String)> = [0.0, 0.5, 1.0]
        .into_iter()
        .map(|v| (v, format::percent(v)))
        .collect();
    let left =
        PAD + parts::value_label_width(&ticks.iter().map(|t| t.1.clone()).collect::<Vec<_>>());
    let right = width - PAD - 4.0;
    let axis = SessionAxis::over(sessions.iter().map(|s| s.session), left, right);
    let model_label_y = bars_bottom + LINE;
    let model_top = model_label_y + 8.0;
    let facilitator_label_y = model_top + STRIP + LINE;
    let facilitator_top = facilitator_label_y + 8.0;
    let axis_y = facilitator_top + STRIP + 6.0;
    let height = axis_y + parts::SESSION_AXIS_HEIGHT + PAD;

    let mut svg = Svg::new(id, layout, height, title, reading);
    svg.open("defs", &[]);
    for stage in Stage::ALL {
        define_pattern(&mut svg, stage.as_str(), colour(stage), pattern(stage));
    }
    svg.close("defs");
    for (entry, stage) in svg_entries.iter_mut().zip(Stage::ALL) {
        entry.0 = Swatch::Fill {
            fill: svg.url(stage.as_str()),
        };
    }
    parts::legend(&mut svg, &svg_entries, PAD, PAD, legend_width);
    parts::value_axis(&mut svg, &y_axis, left, right, &ticks);

    let gap = (axis.slot() * 0.2).min(3.0);
    for s in sessions {
        let x = axis.left(s.session) + gap / 2.0;
        let w = axis.slot() - gap;
        match clean(s.posterior) {
            Some(probs) => {
                svg.open("g", &[("class", A::S("bar"))]);
                let mut bottom = bars_bottom;
                for stage in Stage::ALL {
                    let p = probs.get(stage.index()).copied().unwrap_or(0.0);
                    let h = p * bars_height;
                    if h > 0.05 {
                        let fill = svg.url(stage.as_str());
                        svg.rect(x, bottom - h, w, h, &[("fill", A::S(&fill))]);
                    }
                    bottom -= h;
                }
                svg.close("g");
            }
            None => svg.rect(
                x,
                bars_top,
                w,
                bars_height,
                &[
                    ("fill", A::S("none")),
                    ("stroke", A::S(MUTED)),
                    ("stroke-dasharray", A::S("3 2")),
                    ("class", A::S("bar empty")),
                ],
            ),
        }
    }

    let model_label = match layout {
        Layout::Wide => "Model's call (most likely path)",
        Layout::Narrow => "Model's call",
    };
    svg.text(left, model_label_y, model_label, &[]);
    strip(
        &mut svg,
        &axis,
        model_top,
        "model",
        &runs(sessions.iter().map(|s| (s.session, Some(s.model_call)))),
    );
    svg.text(left, facilitator_label_y, "Facilitator's call", &[]);
    strip(
        &mut svg,
        &axis,
        facilitator_top,
        "facilitator",
        &runs(sessions.iter().map(|s| (s.session, s.facilitator_call))),
    );

    if let Some(first) = forced {
        let x = axis.left(first);
        svg.line(
            (x, bars_top - 4.0),
            (x, facilitator_top + STRIP + 4.0),
            &[
                ("stroke", A::S(INK)),
                ("stroke-width", A::N(2.0)),
                ("stroke-dasharray", A::S("4 3")),
                ("class", A::S("forced-ending")),
            ],
        );
    }
    parts::session_axis(&mut svg, &axis, axis_y);
    svg.finish()
}

/// One strip of calls: a rectangle per run of the same stage, named inside when it fits.
fn strip(
    svg: &mut Svg,
    axis: &SessionAxis,
    top: f64,
    class: &str,
    runs: &[(u32, u32, Option<Stage>)],
) {
    svg.rect(
        axis.x0,
        top,
        axis.x1 - axis.x0,
        STRIP,
        &[("fill", A::S(WHITE)), ("stroke", A::S(GRID))],
    );
    let class = format!("run {class}");
    for (first, last, stage) in runs {
        let Some(stage) = stage else { continue };
        let x = axis.left(*first);
        let w = axis.left(*last) + axis.slot() - x;
        let fill = svg.url(stage.as_str());
        svg.rect(
            x,
            top,
            w,
            STRIP,
            &[("fill", A::S(&fill)), ("class", A::S(&class))],
        );
        let name = [stage.as_str(), short(*stage)]
            .into_iter()
            .find(|n| text_width(n) + 10.0 <= w);
        if let Some(name) = name {
            let tw = text_width(name) + 6.0;
            let cx = x + w / 2.0;
            svg.rect(
                cx - tw / 2.0,
                top + 2.0,
                tw,
                STRIP - 4.0,
                &[("fill", A::S(WHITE)), ("rx", A::N(3.0))],
            );
            svg.text(
                cx,
                top + STRIP / 2.0 + CENTRE_TEXT,
                name,
                &[("text-anchor", A::S("middle"))],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;

    fn at(session: u32, probs: [f64; 4], model: Stage, own: Option<Stage>) -> StageSession {
        StageSession {
            session,
            posterior: StageProbs::from_array(probs),
            model_call: model,
            facilitator_call: own,
            forced_ending: false,
        }
    }

    fn group() -> Vec<StageSession> {
        use Stage::*;
        vec![
            at(1, [0.9, 0.1, 0.0, 0.0], Engagement, Some(Engagement)),
            at(2, [0.7, 0.3, 0.0, 0.0], Engagement, None),
            at(3, [0.3, 0.6, 0.1, 0.0], Differentiation, Some(Engagement)),
            at(
                4,
                [0.1, 0.8, 0.1, 0.0],
                Differentiation,
                Some(Differentiation),
            ),
            at(5, [0.05, 0.3, 0.65, 0.0], Working, Some(Working)),
            at(6, [0.02, 0.16, 0.82, 0.0], Working, Some(Differentiation)),
        ]
    }

    #[test]
    fn the_reading_says_where_the_group_stands_and_how_it_got_there() {
        assert_eq!(
            stage_reading(&group()),
            "As of session 6 the group is most likely in the working stage (82%), after \
             engagement in sessions 1–2 and differentiation in sessions 3–4; the facilitator's \
             own calls agree with the model in 3 of 5 sessions (for session 6 they called \
             differentiation, the model working)."
        );
        assert_eq!(
            stage_reading(&group()[..1]),
            "As of session 1 the group is most likely in the engagement stage (90%); the \
             facilitator's own calls agree with the model in 1 of 1 sessions."
        );
        assert_eq!(stage_reading(&[]), "No sessions yet, so no stage estimate.");
        let mut ending = group();
        for s in &mut ending[4..] {
            s.forced_ending = true;
            s.model_call = Stage::Ending;
            s.facilitator_call = None;
        }
        assert!(stage_reading(&ending).starts_with(
            "As of session 6 the group is in its planned ending (sessions 5–6), after engagement"
        ));
    }

    #[test]
    fn one_bar_per_session_and_runs_for_both_calls() {
        let mut sessions = group();
        sessions[5].forced_ending = true;
        let chart = stage_chart("stages", &sessions);
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            assert_eq!(check::count(&doc, "bar"), 6);
            // Model: engagement 1–2, differentiation 3–4, working 5–6.
            assert_eq!(check::count(&doc, "model"), 3);
            // Facilitator: engagement 1, (none 2), engagement 3, differentiation 4,
            // working 5, differentiation 6.
            assert_eq!(check::count(&doc, "facilitator"), 5);
            assert_eq!(check::count(&doc, "forced-ending"), 1);
        }
        assert_eq!(chart.table.rows.len(), 6);
        assert_eq!(
            chart.table.rows[5],
            [
                "6 (planned ending)",
                "2%",
                "16%",
                "82%",
                "0%",
                "working",
                "differentiation"
            ]
        );
        assert_eq!(chart.table.rows[1][6], "not called");
    }

    #[test]
    fn broken_posteriors_draw_an_empty_bar() {
        let mut sessions = group();
        sessions[2].posterior = StageProbs::from_array([f64::NAN, -1.0, 0.0, f64::INFINITY]);
        let chart = stage_chart("stages", &sessions);
        let doc = check::valid(&chart.wide);
        assert_eq!(check::count(&doc, "empty"), 1);
        assert_eq!(chart.table.rows[2][1], "no estimate");
    }

    #[test]
    fn sessions_come_from_a_timeline_with_the_calls_and_the_horizon() {
        let hmm = stages::Hmm::domain();
        let climate = vec![stages::Climate::new(3.0, 2.0, 1.0); 10];
        let timeline = hmm.timeline(Horizon::Planned(10), &climate);
        let sessions = stage_sessions(
            &timeline,
            Horizon::Planned(10),
            &[(3, Stage::Differentiation), (3, Stage::Working)],
        );
        assert_eq!(sessions.len(), 10);
        assert_eq!(sessions[2].facilitator_call, Some(Stage::Working));
        assert!(sessions[8].forced_ending && !sessions[7].forced_ending);
    }
}
