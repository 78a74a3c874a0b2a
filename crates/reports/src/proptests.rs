//! Property tests: any input, however odd (empty, one session, 52 sessions × 12 members,
//! NaN and infinite numbers, huge session numbers, hostile labels), renders every chart
//! without panicking, as valid XML that keeps the shared rules (see check.rs).

use domain::ProcessCode;
use measures::{Direction, Outcome, Spread};
use proptest::prelude::*;
use stages::features::{ProcessBasis, ProcessRates};
use stages::{Stage, StageProbs};

use crate::check;
use crate::*;

/// Any number, the awkward ones often.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -5.0..40.0f64,
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
    ]
}

fn session() -> impl Strategy<Value = u32> {
    prop_oneof![8 => 0u32..60, 1 => any::<u32>()]
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9 -]{0,12}",
        1 => Just("<script>alert(1)</script>".to_owned()),
        1 => "[\\x00-\\x1f<>&\"'\u{fffe}\u{ffff} ]{1,6}",
        1 => any::<String>(),
    ]
}

fn stage() -> impl Strategy<Value = Stage> {
    (0usize..4).prop_map(Stage::from_index)
}

fn spread() -> impl Strategy<Value = Option<Spread>> {
    proptest::option::of((0usize..20, number(), number(), number(), number())).prop_map(|o| {
        o.map(|(n, mean, sd, min, max)| Spread {
            n,
            mean,
            sd,
            min,
            max,
        })
    })
}

fn outcome() -> impl Strategy<Value = Option<Outcome>> {
    proptest::option::of(prop_oneof![
        Just(Outcome::Recovered),
        Just(Outcome::Improved),
        Just(Outcome::Unchanged),
        Just(Outcome::Deteriorated),
    ])
}

fn mark() -> impl Strategy<Value = AttendanceMark> {
    (0usize..7).prop_map(|i| AttendanceMark::ALL[i])
}

fn assert_chart(chart: &Chart) {
    for svg in [&chart.wide, &chart.narrow] {
        check::valid(svg);
    }
    assert!(!chart.reading.is_empty() && !chart.reading.contains('\n'));
    for row in &chart.table.rows {
        assert_eq!(row.len(), chart.table.columns.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_trajectory_renders(
        name in label(),
        range in (number(), number()),
        baseline in proptest::option::of(number()),
        delta in proptest::option::of(number()),
        cutoffs in proptest::collection::vec((number(), label()), 0..3),
        bands in proptest::collection::vec((number(), number(), label()), 0..6),
        points in proptest::collection::vec(
            (session(), proptest::option::of(number()), proptest::option::of(label()), outcome()),
            0..53,
        ),
        higher_better in any::<bool>(),
    ) {
        let input = TrajectoryInput {
            name,
            range,
            direction: if higher_better { Direction::HigherBetter } else { Direction::LowerBetter },
            cutoffs: cutoffs.into_iter().map(|(value, label)| CutoffLine { value, label }).collect(),
            bands: bands.into_iter().map(|(min, max, label)| SeverityBand { min, max, label }).collect(),
            baseline,
            reliable_change: delta,
            points: points
                .into_iter()
                .map(|(session, value, band, outcome)| ScorePoint { session, value, band, outcome })
                .collect(),
        };
        let chart = trajectory_chart("t", &input);
        assert_chart(&chart);
        prop_assert_eq!(chart.table.rows.len(), input.points.len());
    }

    #[test]
    fn any_climate_renders(
        sessions in proptest::collection::vec((session(), spread(), spread(), spread()), 0..53),
        sd in any::<bool>(),
    ) {
        let sessions: Vec<ClimateSession> = sessions
            .into_iter()
            .map(|(session, engaged, avoiding, conflict)| ClimateSession { session, engaged, avoiding, conflict })
            .collect();
        let whiskers = if sd { Whiskers::Sd } else { Whiskers::Range };
        let chart = climate_chart("c", &sessions, whiskers);
        assert_chart(&chart);
        prop_assert_eq!(chart.table.rows.len(), sessions.len());
    }

    #[test]
    fn any_stage_timeline_renders(
        sessions in proptest::collection::vec(
            (session(), [number(), number(), number(), number()], stage(), proptest::option::of(stage()), any::<bool>()),
            0..53,
        ),
    ) {
        let sessions: Vec<StageSession> = sessions
            .into_iter()
            .map(|(session, probs, model_call, facilitator_call, forced_ending)| StageSession {
                session,
                posterior: StageProbs::from_array(probs),
                model_call,
                facilitator_call,
                forced_ending,
            })
            .collect();
        let chart = stage_chart("s", &sessions);
        assert_chart(&chart);
        let doc = check::valid(&chart.wide);
        prop_assert_eq!(check::count(&doc, "bar"), sessions.len());
    }

    #[test]
    fn any_attendance_renders(
        columns in 0usize..=52,
        rows in proptest::collection::vec((label(), proptest::collection::vec(mark(), 0..56)), 0..=12),
    ) {
        let input = AttendanceInput {
            sessions: (1..=columns as u32).collect(),
            members: rows.into_iter().map(|(member, marks)| AttendanceRow { member, marks }).collect(),
        };
        let chart = attendance_chart("a", &input);
        assert_chart(&chart);
        for svg in [&chart.wide, &chart.narrow] {
            let doc = check::valid(svg);
            prop_assert_eq!(check::count(&doc, "cell"), columns * input.members.len());
        }
    }

    #[test]
    fn any_profile_renders(
        sessions in proptest::collection::vec(
            (session(), proptest::option::of((any::<bool>(), any::<u32>(), proptest::collection::vec(number(), 14)))),
            0..53,
        ),
    ) {
        let sessions: Vec<ProfileSession> = sessions
            .into_iter()
            .map(|(session, rates)| ProfileSession {
                session,
                rates: rates.map(|(tally, units, values)| {
                    let mut per_100 = [0.0; 14];
                    for (slot, v) in per_100.iter_mut().zip(values) {
                        *slot = v;
                    }
                    ProcessRates {
                        basis: if tally { ProcessBasis::TalliedEvents } else { ProcessBasis::Utterances },
                        units,
                        per_100,
                    }
                }),
            })
            .collect();
        let chart = profile_chart("p", &sessions);
        assert_chart(&chart);
    }

    #[test]
    fn any_session_timeline_renders(
        utterances in proptest::collection::vec(
            (proptest::option::of(number()), proptest::collection::vec(0usize..14, 0..3)),
            0..400,
        ),
        min_count in 0usize..6,
        window in 0usize..30,
    ) {
        let utterances: Vec<TimelineUtterance> = utterances
            .into_iter()
            .map(|(start, codes)| TimelineUtterance {
                start,
                codes: codes.into_iter().filter_map(|i| ProcessCode::ALL.get(i).copied()).collect(),
            })
            .collect();
        let rule = BurstRule { min_count, window };
        let chart = timeline_chart("u", &utterances, rule);
        assert_chart(&chart);
        prop_assert_eq!(chart.table.rows.len(), session_bursts(&utterances, rule).len());
    }
}

/// A year of weekly sessions for 12 members, and no sessions at all: every chart draws the
/// right number of marks, and says so in words when there is nothing.
#[test]
fn a_year_of_sessions_and_an_empty_group() {
    let sessions: Vec<u32> = (1..=52).collect();
    let spread = |m: f64| measures::spread([m - 0.5, m, m + 0.5]);
    let climate: Vec<ClimateSession> = sessions
        .iter()
        .map(|&s| ClimateSession {
            session: s,
            engaged: spread(3.0),
            avoiding: spread(2.0),
            conflict: (s % 10 != 0).then(|| spread(1.0)).flatten(),
        })
        .collect();
    let stages: Vec<StageSession> = sessions
        .iter()
        .map(|&s| StageSession {
            session: s,
            posterior: StageProbs::certain(Stage::from_index((s / 13) as usize)),
            model_call: Stage::from_index((s / 13) as usize),
            facilitator_call: None,
            forced_ending: s > 44,
        })
        .collect();
    let attendance = AttendanceInput {
        sessions: sessions.clone(),
        members: (0..12)
            .map(|m| AttendanceRow {
                member: format!("M-{m:04}"),
                marks: vec![AttendanceMark::Present; 52],
            })
            .collect(),
    };
    let mut per_100 = [0.0; 14];
    per_100[ProcessCode::Support as usize] = 5.0;
    let profile: Vec<ProfileSession> = sessions
        .iter()
        .map(|&s| ProfileSession {
            session: s,
            rates: (s % 4 != 0).then_some(ProcessRates {
                basis: ProcessBasis::Utterances,
                units: 100,
                per_100,
            }),
        })
        .collect();

    let doc_counts = |chart: &Chart, class: &str| {
        [&chart.wide, &chart.narrow].map(|svg| check::count(&check::valid(svg), class))
    };
    let chart = climate_chart("c", &climate, Whiskers::Range);
    assert_eq!(doc_counts(&chart, "point"), [52 * 3 - 5; 2]);
    // Conflict breaks at sessions 10, 20, 30, 40, 50: six runs; the others one each.
    assert_eq!(doc_counts(&chart, "segment"), [1 + 1 + 6; 2]);
    let chart = stage_chart("s", &stages);
    assert_eq!(doc_counts(&chart, "bar"), [52; 2]);
    assert_eq!(doc_counts(&chart, "forced-ending"), [1; 2]);
    let chart = attendance_chart("a", &attendance);
    assert_eq!(doc_counts(&chart, "cell"), [52 * 12; 2]);
    let chart = profile_chart("p", &profile);
    assert_eq!(doc_counts(&chart, "support"), [39; 2]);
    assert_eq!(doc_counts(&chart, "not-coded"), [13; 2]);

    let empty = [
        climate_chart("c", &[], Whiskers::Range),
        stage_chart("s", &[]),
        attendance_chart("a", &AttendanceInput::default()),
        profile_chart("p", &[]),
        timeline_chart("u", &[], BurstRule::DEFAULT),
    ];
    let readings: Vec<&str> = empty.iter().map(|c| c.reading.as_str()).collect();
    assert_eq!(
        readings,
        [
            "No climate answers yet.",
            "No sessions yet, so no stage estimate.",
            "No attendance recorded yet.",
            "No coded transcripts or tallies yet.",
            "No coded utterances.",
        ]
    );
    for chart in &empty {
        assert_chart(chart);
        assert!(chart.table.rows.is_empty());
    }
}
