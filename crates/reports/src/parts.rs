//! Pieces several charts draw: axes with their labels, marker shapes, and a legend that
//! wraps to the chart's width, each entry a sample of the mark (colour plus dash, shape,
//! pattern or letter) and its name in words.

use crate::layout::{
    CENTRE_TEXT, CHAR_WIDTH, FONT_SIZE, LINE, PAD, SessionAxis, ValueAxis, text_width,
};
use crate::palette::{GRID, INK, MUTED, WHITE};
use crate::svg::{A, Svg};

/// A point marker; each series has its own shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
}

/// Draws a marker of `r` units' radius (5 at full size) centred on (x, y), filled with
/// `colour` and outlined in white so it stands off lines and whiskers beneath it.
pub(crate) fn marker(svg: &mut Svg, shape: Marker, xy: (f64, f64), r: f64, colour: &str) {
    svg.open("g", &marker_paint(colour, r));
    marker_shape(svg, shape, xy, r, "");
    svg.close("g");
}

/// The paint of a marker, for a `<g>` around many markers of one series.
pub(crate) fn marker_paint(colour: &str, r: f64) -> [(&'static str, A<'_>); 3] {
    [
        ("fill", A::S(colour)),
        ("stroke", A::S(WHITE)),
        ("stroke-width", A::N((r * 0.3).max(0.75))),
    ]
}

/// A marker's shape alone (its paint comes from an enclosing `<g>`), with `class`.
pub(crate) fn marker_shape(svg: &mut Svg, shape: Marker, (x, y): (f64, f64), r: f64, class: &str) {
    let class = [("class", A::S(class))];
    let class: &[(&str, A<'_>)] = if class.iter().all(|(_, c)| matches!(c, A::S(""))) {
        &[]
    } else {
        &class
    };
    match shape {
        Marker::Circle => {
            let mut attrs = vec![("cx", A::N(x)), ("cy", A::N(y)), ("r", A::N(r))];
            attrs.extend_from_slice(class);
            svg.leaf("circle", &attrs);
        }
        Marker::Square => {
            let half = r * 0.9;
            svg.rect(x - half, y - half, 2.0 * half, 2.0 * half, class);
        }
        Marker::Triangle => {
            let d = crate::svg::path_data(&[
                ("M", x),
                (" ", y - 1.2 * r),
                (" L", x + 1.1 * r),
                (" ", y + 0.8 * r),
                (" L", x - 1.1 * r),
                (" ", y + 0.8 * r),
            ]) + " Z";
            let mut attrs = vec![("d", A::S(&d))];
            attrs.extend_from_slice(class);
            svg.leaf("path", &attrs);
        }
    }
}

/// Marker radius for sessions `slot` units apart: full size when there is room, smaller
/// (down to 2.5) when sessions crowd.
pub(crate) fn marker_radius(slot: f64) -> f64 {
    (slot * 0.4).clamp(2.5, 5.0)
}

/// What a legend entry shows before its name.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    /// A line sample with its dash (None: solid) and marker.
    Line {
        colour: &'static str,
        dash: Option<&'static str>,
        marker: Option<Marker>,
    },
    /// A box filled with a pattern or colour (`url(#…)` or a colour).
    Fill { fill: String },
    /// A cell with a letter, as in the attendance map.
    Letter {
        wash: &'static str,
        ink: &'static str,
        letter: &'static str,
        dashed: bool,
    },
    /// A dashed rule (a cut-off line).
    Rule {
        colour: &'static str,
        dash: &'static str,
    },
}

const SWATCH: f64 = 28.0;
const SWATCH_GAP: f64 = 6.0;
const ENTRY_GAP: f64 = 18.0;

/// Height a legend of `entries` takes at `width`.
pub(crate) fn legend_height(entries: &[(Swatch, String)], width: f64) -> f64 {
    legend_layout(entries, width).1 * LINE
}

/// One legend entry placed: its index, x offset, first line (counted from 0) and its text
/// broken into lines.
type Placed = (usize, f64, f64, Vec<String>);

/// Places entries left to right, starting a new row when one does not fit; an entry too
/// long for a whole row wraps its words onto several lines. Returns the placements and the
/// number of lines used.
fn legend_layout(entries: &[(Swatch, String)], width: f64) -> (Vec<Placed>, f64) {
    let text_room = (width - SWATCH - SWATCH_GAP).max(CHAR_WIDTH);
    let mut placed = Vec::with_capacity(entries.len());
    let (mut x, mut row, mut row_lines) = (0.0, 0.0, 0.0f64);
    for (i, (_, name)) in entries.iter().enumerate() {
        let lines = wrap(name, text_room);
        let w = SWATCH + SWATCH_GAP + lines.iter().map(|l| text_width(l)).fold(0.0, f64::max);
        if x > 0.0 && x + w > width {
            row += row_lines;
            x = 0.0;
            row_lines = 0.0;
        }
        row_lines = row_lines.max(f64::from(lines.len() as u32));
        placed.push((i, x, row, lines));
        x += w + ENTRY_GAP;
    }
    (placed, row + row_lines)
}

/// Breaks `text` at spaces into lines of at most `width` units (a single word longer
/// than that is cut with an ellipsis).
pub(crate) fn wrap(text: &str, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    lines.push(line);
    lines
        .into_iter()
        .map(|l| crate::layout::fit(&l, width))
        .collect()
}

/// Draws the legend with its top-left corner at (x, y); returns its height.
pub(crate) fn legend(
    svg: &mut Svg,
    entries: &[(Swatch, String)],
    x: f64,
    y: f64,
    width: f64,
) -> f64 {
    let (placed, lines) = legend_layout(entries, width);
    for (i, dx, line, text) in placed {
        let Some((swatch, _)) = entries.get(i) else {
            continue;
        };
        let left = x + dx;
        let mid = y + line * LINE + LINE / 2.0;
        draw_swatch(svg, swatch, left, mid);
        for (k, part) in text.iter().enumerate() {
            svg.text(
                left + SWATCH + SWATCH_GAP,
                mid + CENTRE_TEXT + f64::from(k as u32) * LINE,
                part,
                &[],
            );
        }
    }
    lines * LINE
}

fn draw_swatch(svg: &mut Svg, swatch: &Swatch, left: f64, mid: f64) {
    match swatch {
        Swatch::Line {
            colour,
            dash,
            marker: shape,
        } => {
            let mut attrs = vec![("stroke", A::S(colour)), ("stroke-width", A::N(2.5))];
            if let Some(dash) = dash {
                attrs.push(("stroke-dasharray", A::S(dash)));
            }
            svg.line((left, mid), (left + SWATCH, mid), &attrs);
            if let Some(shape) = shape {
                marker(svg, *shape, (left + SWATCH / 2.0, mid), 5.0, colour);
            }
        }
        Swatch::Fill { fill } => svg.rect(
            left + 2.0,
            mid - 9.0,
            SWATCH - 4.0,
            18.0,
            &[
                ("fill", A::S(fill)),
                ("stroke", A::S(INK)),
                ("stroke-width", A::N(0.75)),
            ],
        ),
        Swatch::Letter {
            wash,
            ink,
            letter,
            dashed,
        } => {
            let mut attrs = vec![("fill", A::S(wash)), ("stroke", A::S(MUTED))];
            if *dashed {
                attrs.push(("stroke-dasharray", A::S("3 2")));
            }
            svg.rect(left, mid - 11.0, SWATCH, 22.0, &attrs);
            svg.text(
                left + SWATCH / 2.0,
                mid + CENTRE_TEXT,
                letter,
                &[("text-anchor", A::S("middle")), ("fill", A::S(ink))],
            );
        }
        Swatch::Rule { colour, dash } => svg.line(
            (left, mid),
            (left + SWATCH, mid),
            &[
                ("stroke", A::S(colour)),
                ("stroke-width", A::N(2.0)),
                ("stroke-dasharray", A::S(dash)),
            ],
        ),
    }
}

/// Width of the value labels left of a plot (the widest tick label plus a gap).
pub(crate) fn value_label_width(labels: &[String]) -> f64 {
    labels
        .iter()
        .map(|l| text_width(l))
        .fold(CHAR_WIDTH, f64::max)
        + 8.0
}

/// Horizontal grid lines and value labels at `ticks`, labels right-aligned at `x0 - 6`.
pub(crate) fn value_axis(
    svg: &mut Svg,
    axis: &ValueAxis,
    x0: f64,
    x1: f64,
    ticks: &[(f64, String)],
) {
    for (value, label) in ticks {
        let y = axis.y(*value);
        svg.line(
            (x0, y),
            (x1, y),
            &[("stroke", A::S(GRID)), ("stroke-width", A::N(1.0))],
        );
        svg.text(
            x0 - 6.0,
            y + CENTRE_TEXT,
            label,
            &[("text-anchor", A::S("end"))],
        );
    }
}

/// The session axis: a base line at `y`, session numbers below it, and "Session" under
/// them; returns the height used below `y`.
pub(crate) fn session_axis(svg: &mut Svg, axis: &SessionAxis, y: f64) -> f64 {
    numbered_axis(svg, axis, y, "Session")
}

/// [`session_axis`] with another name under the numbers ("Utterance").
pub(crate) fn numbered_axis(svg: &mut Svg, axis: &SessionAxis, y: f64, name: &str) -> f64 {
    svg.line(
        (axis.x0, y),
        (axis.x1, y),
        &[("stroke", A::S(MUTED)), ("stroke-width", A::N(1.0))],
    );
    let label_y = y + FONT_SIZE + 4.0;
    for session in axis.ticks() {
        let x = axis.centre(session);
        svg.line((x, y), (x, y + 4.0), &[("stroke", A::S(MUTED))]);
        // Labels at the ends stay inside the drawing (every chart keeps PAD outside the axis).
        let label = session.to_string();
        let half = text_width(&label) / 2.0;
        let lx = x.clamp(
            axis.x0 - PAD + half,
            (axis.x1 + PAD - half).max(axis.x0 - PAD + half),
        );
        svg.text(lx, label_y, &label, &[("text-anchor", A::S("middle"))]);
    }
    svg.text(
        (axis.x0 + axis.x1) / 2.0,
        label_y + LINE,
        name,
        &[("text-anchor", A::S("middle")), ("fill", A::S(MUTED))],
    );
    SESSION_AXIS_HEIGHT
}

/// Height [`session_axis`] uses below its base line.
pub(crate) const SESSION_AXIS_HEIGHT: f64 = FONT_SIZE + 4.0 + LINE + 8.0;
