//! Chart 4: the attendance heat map, members × sessions. Every status has its own letter in
//! its cell as well as its colour, so the map reads without colour. Long runs of sessions
//! wrap into blocks, so cells stay wide enough for their letters at phone width.

use domain::AttendanceStatus;

use crate::chart::{Chart, Table};
use crate::format;
use crate::layout::{CENTRE_TEXT, CHAR_WIDTH, LINE, Layout, PAD, fit, text_width};
use crate::palette::{
    CAUTION_INK, CAUTION_WASH, GRID, MUTED, NEUTRAL_WASH, OK_INK, OK_WASH, RISK, WHITE,
};
use crate::parts::{self, Swatch};
use crate::svg::{A, Svg};

/// One member's attendance at one session, with the two states the roster adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttendanceMark {
    Present,
    Late,
    LeftEarly,
    Excused,
    Absent,
    /// Not on the roster at the time of the session.
    NotEnrolled,
    /// Enrolled, but no attendance was recorded.
    NotRecorded,
}

impl From<AttendanceStatus> for AttendanceMark {
    fn from(status: AttendanceStatus) -> Self {
        match status {
            AttendanceStatus::Present => Self::Present,
            AttendanceStatus::Late => Self::Late,
            AttendanceStatus::LeftEarly => Self::LeftEarly,
            AttendanceStatus::Excused => Self::Excused,
            AttendanceStatus::Absent => Self::Absent,
        }
    }
}

impl AttendanceMark {
    pub const ALL: [AttendanceMark; 7] = [
        Self::Present,
        Self::Late,
        Self::LeftEarly,
        Self::Excused,
        Self::Absent,
        Self::NotEnrolled,
        Self::NotRecorded,
    ];

    /// The status in words.
    pub const fn words(self) -> &'static str {
        match self {
            Self::Present => "present",
            Self::Late => "late",
            Self::LeftEarly => "left early",
            Self::Excused => "excused",
            Self::Absent => "absent",
            Self::NotEnrolled => "not enrolled",
            Self::NotRecorded => "not recorded",
        }
    }

    /// The letter in the cell.
    pub const fn letter(self) -> &'static str {
        match self {
            Self::Present => "P",
            Self::Late => "L",
            Self::LeftEarly => "LE",
            Self::Excused => "Ex",
            Self::Absent => "A",
            Self::NotEnrolled => "–",
            Self::NotRecorded => "?",
        }
    }

    /// In the room for some of the session.
    pub const fn attended(self) -> bool {
        matches!(self, Self::Present | Self::Late | Self::LeftEarly)
    }

    /// On the roster and recorded.
    const fn recorded(self) -> bool {
        !matches!(self, Self::NotEnrolled | Self::NotRecorded)
    }

    /// (cell fill, letter colour); each pair keeps 4.5:1.
    const fn colours(self) -> (&'static str, &'static str) {
        match self {
            Self::Present => (OK_WASH, OK_INK),
            Self::Late | Self::LeftEarly => (CAUTION_WASH, CAUTION_INK),
            Self::Excused => (NEUTRAL_WASH, MUTED),
            Self::Absent => (RISK, WHITE),
            Self::NotEnrolled | Self::NotRecorded => (WHITE, MUTED),
        }
    }

    const fn key(self) -> &'static str {
        match self {
            Self::Present => "p",
            Self::Late => "l",
            Self::LeftEarly => "le",
            Self::Excused => "ex",
            Self::Absent => "a",
            Self::NotEnrolled => "ne",
            Self::NotRecorded => "nr",
        }
    }
}

/// One member's row: a mark per session of [`AttendanceInput::sessions`], in that order
/// (marks missing at the end read as not recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    /// The member as the viewer may see them: the member code, or the alias for facilitators.
    pub member: String,
    pub marks: Vec<AttendanceMark>,
}

/// The heat map's data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttendanceInput {
    /// Session numbers, in order (the columns).
    pub sessions: Vec<u32>,
    pub members: Vec<AttendanceRow>,
}

impl AttendanceRow {
    fn mark(&self, column: usize) -> AttendanceMark {
        self.marks
            .get(column)
            .copied()
            .unwrap_or(AttendanceMark::NotRecorded)
    }

    /// Recorded sessions not attended, counted back from the latest recorded one.
    fn missed_in_a_row(&self, columns: usize) -> usize {
        (0..columns)
            .rev()
            .map(|c| self.mark(c))
            .filter(|m| m.recorded())
            .take_while(|m| !m.attended())
            .count()
    }
}

/// "Members came to 82% of their sessions (12 sessions); 8 of 9 came to session 12;
/// M-7K2Q has missed the last 3 sessions."
pub fn attendance_reading(input: &AttendanceInput) -> String {
    format::one_line(&reading(input))
}

fn reading(input: &AttendanceInput) -> String {
    let columns = input.sessions.len();
    let (mut attended, mut recorded) = (0usize, 0usize);
    for row in &input.members {
        for c in 0..columns {
            let mark = row.mark(c);
            recorded += usize::from(mark.recorded());
            attended += usize::from(mark.attended());
        }
    }
    if recorded == 0 {
        return "No attendance recorded yet.".to_owned();
    }
    let noun = if columns == 1 { "session" } else { "sessions" };
    let mut text = format!(
        "Members came to {} of the sessions they were enrolled in ({columns} {noun})",
        format::percent(attended as f64 / recorded as f64)
    );
    if let Some((last_column, last_session)) = input
        .sessions
        .iter()
        .enumerate()
        .rev()
        .find(|(c, _)| input.members.iter().any(|r| r.mark(*c).recorded()))
    {
        let enrolled = input
            .members
            .iter()
            .filter(|r| r.mark(last_column).recorded())
            .count();
        let came = input
            .members
            .iter()
            .filter(|r| r.mark(last_column).attended())
            .count();
        text.push_str(&format!(
            "; {came} of {enrolled} came to session {last_session}"
        ));
    }
    let mut missing: Vec<(usize, &str)> = input
        .members
        .iter()
        .map(|r| (r.missed_in_a_row(columns), r.member.as_str()))
        .filter(|(n, _)| *n >= 2)
        .collect();
    missing.sort_by_key(|m| std::cmp::Reverse(m.0));
    match missing.as_slice() {
        [] => {}
        [(n, member)] => text.push_str(&format!("; {member} has missed the last {n} sessions")),
        many => {
            let named: Vec<String> = many
                .iter()
                .take(3)
                .map(|(n, member)| format!("{member} ({n})"))
                .collect();
            let rest = many.len().saturating_sub(3);
            let others = if rest > 0 {
                format!(" and {rest} more")
            } else {
                String::new()
            };
            text.push_str(&format!(
                "; missed two or more sessions in a row up to now: {}{others}",
                named.join(", ")
            ));
        }
    }
    text.push('.');
    text
}

fn table(input: &AttendanceInput) -> Table {
    let mut table = Table::new(
        "Attendance by member: how many sessions, and which",
        &[
            "Member",
            "Came",
            "Late",
            "Left early",
            "Excused",
            "Absent",
            "Not recorded",
        ],
    );
    let columns = input.sessions.len();
    for row in &input.members {
        let enrolled = (0..columns)
            .filter(|c| row.mark(*c) != AttendanceMark::NotEnrolled)
            .count();
        let came = (0..columns).filter(|c| row.mark(*c).attended()).count();
        let mut cells = vec![row.member.clone(), format!("{came} of {enrolled}")];
        for mark in [
            AttendanceMark::Late,
            AttendanceMark::LeftEarly,
            AttendanceMark::Excused,
            AttendanceMark::Absent,
            AttendanceMark::NotRecorded,
        ] {
            let which: Vec<String> = input
                .sessions
                .iter()
                .enumerate()
                .filter(|(c, _)| row.mark(*c) == mark)
                .map(|(_, s)| s.to_string())
                .collect();
            cells.push(match which.len() {
                0 => "0".to_owned(),
                1 => format!("1 (session {})", which.join(", ")),
                n => format!("{n} (sessions {})", which.join(", ")),
            });
        }
        table.rows.push(cells);
    }
    table
}

/// Chart 4: the attendance heat map.
pub fn attendance_chart(id: &str, input: &AttendanceInput) -> Chart {
    let reading = attendance_reading(input);
    let title = "Attendance by member and session";
    Chart {
        wide: draw(id, Layout::Wide, input, title, &reading),
        narrow: draw(id, Layout::Narrow, input, title, &reading),
        table: table(input),
        reading,
    }
}

fn draw(id: &str, layout: Layout, input: &AttendanceInput, title: &str, reading: &str) -> String {
    let width = layout.width();
    let cell = match layout {
        Layout::Wide => 28.0,
        Layout::Narrow => 26.0,
    };
    let widest_label = input
        .members
        .iter()
        .map(|r| text_width(&r.member))
        .fold(text_width("M-WWWW"), f64::max);
    let label_width = widest_label.min(match layout {
        Layout::Wide => 170.0,
        Layout::Narrow => 80.0,
    }) + 8.0;
    let fits = (((width - 2.0 * PAD - label_width) / cell).floor() as usize).max(1);
    let columns = input.sessions.len();
    let blocks = columns.div_ceil(fits).max(1);
    // Even blocks (6 + 6 rather than 9 + 3).
    let per_block = columns.div_ceil(blocks).max(1);
    let block_height = LINE + cell * input.members.len() as f64 + LINE / 2.0;
    let shown: Vec<AttendanceMark> = AttendanceMark::ALL
        .into_iter()
        .filter(|m| {
            *m != AttendanceMark::NotRecorded
                || input
                    .members
                    .iter()
                    .any(|r| (0..columns).any(|c| r.mark(c) == AttendanceMark::NotRecorded))
        })
        .collect();
    let entries: Vec<(Swatch, String)> = shown
        .iter()
        .map(|m| {
            let (wash, ink) = m.colours();
            (
                Swatch::Letter {
                    wash,
                    ink,
                    letter: m.letter(),
                    dashed: *m == AttendanceMark::NotRecorded,
                },
                m.words().to_owned(),
            )
        })
        .collect();
    let legend_width = width - 2.0 * PAD;
    let legend_h = parts::legend_height(&entries, legend_width);
    let grid_top = PAD + legend_h + LINE / 2.0;
    let height = grid_top + block_height * blocks as f64 + PAD;

    let mut svg = Svg::new(id, layout, height, title, reading);
    svg.open("defs", &[]);
    for mark in AttendanceMark::ALL {
        let (wash, ink) = mark.colours();
        let name = svg.id(&format!("m-{}", mark.key()));
        svg.open("g", &[("id", A::S(&name))]);
        let mut attrs = vec![("fill", A::S(wash)), ("stroke", A::S(GRID))];
        if mark == AttendanceMark::NotRecorded {
            attrs = vec![
                ("fill", A::S(wash)),
                ("stroke", A::S(MUTED)),
                ("stroke-dasharray", A::S("3 2")),
            ];
        }
        svg.rect(1.0, 1.0, cell - 2.0, cell - 2.0, &attrs);
        svg.text(
            cell / 2.0,
            cell / 2.0 + CENTRE_TEXT,
            mark.letter(),
            &[("text-anchor", A::S("middle")), ("fill", A::S(ink))],
        );
        svg.close("g");
    }
    svg.close("defs");
    parts::legend(&mut svg, &entries, PAD, PAD, legend_width);

    let x0 = PAD + label_width;
    let session_label_width = input
        .sessions
        .iter()
        .map(|s| text_width(&s.to_string()))
        .fold(CHAR_WIDTH, f64::max);
    let label_every = if session_label_width + 4.0 <= cell {
        1
    } else if session_label_width + 4.0 <= 2.0 * cell {
        2
    } else {
        5
    };
    for block in 0..blocks {
        let top = grid_top + block as f64 * block_height;
        let first = block * per_block;
        let these = input
            .sessions
            .iter()
            .enumerate()
            .skip(first)
            .take(per_block);
        svg.text(
            x0 - 8.0,
            top + LINE / 2.0 + CENTRE_TEXT,
            "Session",
            &[("text-anchor", A::S("end")), ("fill", A::S(MUTED))],
        );
        for (k, (_, session)) in these.clone().enumerate() {
            if k % label_every == 0 {
                svg.text(
                    x0 + (k as f64 + 0.5) * cell,
                    top + LINE / 2.0 + CENTRE_TEXT,
                    &session.to_string(),
                    &[("text-anchor", A::S("middle"))],
                );
            }
        }
        for (r, row) in input.members.iter().enumerate() {
            let y = top + LINE + r as f64 * cell;
            svg.text(
                x0 - 8.0,
                y + cell / 2.0 + CENTRE_TEXT,
                &fit(&row.member, label_width - 8.0),
                &[("text-anchor", A::S("end"))],
            );
            for (k, (column, _)) in these.clone().enumerate() {
                let mark = row.mark(column);
                svg.use_def(
                    &format!("m-{}", mark.key()),
                    x0 + k as f64 * cell,
                    y,
                    "cell",
                );
            }
        }
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;
    use AttendanceMark::*;

    fn input() -> AttendanceInput {
        AttendanceInput {
            sessions: vec![1, 2, 3, 4],
            members: vec![
                AttendanceRow {
                    member: "M-7K2Q".to_owned(),
                    marks: vec![Present, Present, Absent, Excused],
                },
                AttendanceRow {
                    member: "M-ABCD".to_owned(),
                    marks: vec![Present, Late, LeftEarly, Present],
                },
                AttendanceRow {
                    member: "M-WXYZ".to_owned(),
                    marks: vec![NotEnrolled, NotEnrolled, Present],
                },
            ],
        }
    }

    #[test]
    fn the_reading_gives_the_rate_the_last_session_and_who_is_missing() {
        assert_eq!(
            attendance_reading(&input()),
            "Members came to 78% of the sessions they were enrolled in (4 sessions); 1 of 2 \
             came to session 4; M-7K2Q has missed the last 2 sessions."
        );
        assert_eq!(
            attendance_reading(&AttendanceInput::default()),
            "No attendance recorded yet."
        );
    }

    #[test]
    fn one_cell_per_member_and_session_with_letters() {
        let chart = attendance_chart("attendance", &input());
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            assert_eq!(check::count(&doc, "cell"), 12);
            let texts = check::texts(&doc);
            for word in ["present", "left early", "not recorded", "LE", "Ex"] {
                assert!(texts.contains(word), "{word}");
            }
        }
        assert_eq!(
            chart.table.rows[0],
            [
                "M-7K2Q",
                "2 of 4",
                "0",
                "0",
                "1 (session 4)",
                "1 (session 3)",
                "0"
            ]
        );
        assert_eq!(chart.table.rows[2][1], "1 of 2");
        assert_eq!(chart.table.rows[2][6], "1 (session 4)");
    }

    #[test]
    fn many_sessions_wrap_into_blocks() {
        let sessions: Vec<u32> = (1..=52).collect();
        let members = (0..12)
            .map(|m| AttendanceRow {
                member: format!("M-{m:04}"),
                marks: (0..52).map(|s| AttendanceMark::ALL[(s + m) % 7]).collect(),
            })
            .collect();
        let chart = attendance_chart("a", &AttendanceInput { sessions, members });
        let doc = check::valid(&chart.narrow);
        assert_eq!(check::count(&doc, "cell"), 52 * 12);
        // Every block repeats the member labels.
        assert!(check::texts(&doc).matches("M-0003").count() > 1);
    }

    #[test]
    fn hostile_member_labels_are_escaped() {
        let mut data = input();
        data.members[0].member = "<script>alert('x')</script>".to_owned();
        let chart = attendance_chart("a", &data);
        assert!(!chart.wide.contains("<script"));
        assert!(check::texts(&check::valid(&chart.wide)).contains("<script>alert("));
        assert_eq!(chart.table.rows[0][0], "<script>alert('x')</script>");
    }
}
