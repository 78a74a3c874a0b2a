//! Benchmark: session features, stage posteriors (filtered, smoothed, Viterbi) and every
//! alert rule for many groups, on one thread, from pre-computed per-session inputs.
//!
//!   cargo run --release -p circlework-alerts --example engine_throughput -- [GROUPS] [SESSIONS] [MEMBERS] [CHUNK]
//!
//! Defaults: 10000 groups × 52 sessions × 12 members, generated in chunks of 1000 groups
//! (generation is not timed; a chunk's inputs are made before its clock starts). Prints the
//! wall and on-CPU time of each phase (on-CPU from the scheduler, so a busy machine's waiting
//! is not counted) and the process's peak resident memory (VmHWM). Run it pinned to one core
//! with `taskset -c 0`.

use std::time::{Duration, Instant};

use circlework_alerts::{
    CompareOp, Cutoff, Direction, GroupEvidence, InstrumentRole, InstrumentRule, RaisedAlert,
    RiskAnswer, Sourced, Thresholds, evaluate,
};
use domain::{GroupId, MemberId, ProcessCode};
use rand::{Rng, SeedableRng, rngs::StdRng};
use stages::features::{
    MemberSession, OutcomeScore, Presence, ProcessBasis, ProcessCounts, SessionFeatures,
    SessionInput,
};
use stages::{Climate, Hmm, Horizon, Model, StageProbs, Timeline};

/// One group's pre-computed inputs.
struct GroupInput {
    horizon: Horizon,
    sessions: Vec<SessionInput>,
    risk: Vec<RiskAnswer>,
}

fn arg(position: usize, default: usize) -> usize {
    std::env::args()
        .nth(position)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn instruments() -> Vec<InstrumentRule> {
    let sourced = |value: f64| Sourced {
        value,
        source: "benchmark".to_owned(),
    };
    vec![
        InstrumentRule {
            id: "phq9".to_owned(),
            scale: "total".to_owned(),
            role: InstrumentRole::Outcome,
            direction: Direction::LowerBetter,
            rci: Some(sourced(6.0)),
            cutoff: Some(Cutoff {
                op: CompareOp::Ge,
                value: 10.0,
                source: "benchmark".to_owned(),
            }),
        },
        InstrumentRule {
            id: "gsrs".to_owned(),
            scale: "total".to_owned(),
            role: InstrumentRole::Alliance,
            direction: Direction::HigherBetter,
            rci: Some(sourced(5.0)),
            cutoff: Some(Cutoff {
                op: CompareOp::Lt,
                value: 36.0,
                source: "benchmark".to_owned(),
            }),
        },
    ]
}

fn generate(
    rng: &mut StdRng,
    model: &Model,
    index: usize,
    sessions: u32,
    members: usize,
) -> GroupInput {
    let horizon = if index.is_multiple_of(2) {
        Horizon::Planned(sessions)
    } else {
        Horizon::OpenEnded
    };
    let (_, climate) = stages::simulate::simulate(model, horizon, sessions, rng);
    // Per member: PHQ-9 intake and weekly change, and a usual alliance level.
    let baseline: Vec<(f64, f64, f64)> = (0..members)
        .map(|_| {
            (
                rng.random_range(5.0..22.0),
                rng.random_range(-0.3..0.1),
                rng.random_range(38.0..44.0),
            )
        })
        .collect();
    let leaves_after = if index.is_multiple_of(4) {
        sessions / 2
    } else {
        sessions
    };
    let mut risk = Vec::new();
    let sessions = climate
        .iter()
        .zip(1u32..)
        .map(|(group, number)| {
            let mut outcomes = Vec::with_capacity(members * 2);
            let mut member_talk = 0;
            let members: Vec<MemberSession> = (0..members)
                .map(|m| {
                    let enrolled = m + 1 < members || number <= leaves_after;
                    let roll = rng.random_range(0..100);
                    let presence = match roll {
                        0..=4 => Presence::Absent,
                        5..=7 => Presence::Excused,
                        _ => Presence::Attended,
                    };
                    if !enrolled || !presence.attended() {
                        return MemberSession {
                            enrolled,
                            presence: enrolled.then_some(presence),
                            ..MemberSession::default()
                        };
                    }
                    let mut noisy = |v: Option<f64>| {
                        v.map(|v| (v + rng.random_range(-0.8..0.8)).clamp(0.0, 6.0))
                    };
                    let climate = Climate {
                        engaged: noisy(group.engaged),
                        avoiding: noisy(group.avoiding),
                        conflict: noisy(group.conflict),
                    };
                    let talk = rng.random_range(5..20);
                    member_talk += talk;
                    let (intake, weekly, alliance) =
                        baseline.get(m).copied().unwrap_or((10.0, 0.0, 38.0));
                    let phq9 = intake + weekly * f64::from(number) + rng.random_range(-2.0..2.0);
                    outcomes.push(OutcomeScore {
                        instrument: 0,
                        member: m,
                        score: phq9.round().clamp(0.0, 27.0),
                    });
                    outcomes.push(OutcomeScore {
                        instrument: 1,
                        member: m,
                        score: (alliance + rng.random_range(-2.0..2.0)).clamp(0.0, 40.0),
                    });
                    if rng.random_range(0..500) == 0 {
                        risk.push(RiskAnswer {
                            session: number,
                            member: m,
                            instrument: "phq9".to_owned(),
                            item: 9,
                            value: 1.0,
                            lowest: 0.0,
                        });
                    }
                    MemberSession {
                        enrolled,
                        presence: Some(presence),
                        climate,
                        talk: Some(talk),
                        aimed_at: None,
                    }
                })
                .collect();
            let mut process = ProcessCounts::new(ProcessBasis::Utterances, member_talk + 30);
            process.set(ProcessCode::Hostility, rng.random_range(0..4));
            process.set(ProcessCode::Judgment, rng.random_range(0..3));
            process.set(ProcessCode::Support, rng.random_range(0..10));
            SessionInput {
                number,
                members,
                process: Some(process),
                outcomes,
            }
        })
        .collect();
    GroupInput {
        horizon,
        sessions,
        risk,
    }
}

/// Time this thread has spent on a CPU (Linux scheduler statistics), so a busy machine's
/// waiting is not counted; `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Wall and on-CPU time of one phase, summed over chunks.
#[derive(Debug, Default, Clone, Copy)]
struct Spent {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Spent {
    /// Runs `work`, adding its wall time and this thread's on-CPU time.
    fn time<T>(&mut self, work: impl FnOnce() -> T) -> T {
        let (cpu_before, start) = (thread_cpu(), Instant::now());
        let out = work();
        self.wall += start.elapsed();
        let used = cpu_before
            .zip(thread_cpu())
            .map(|(before, after)| after.saturating_sub(before));
        self.cpu = match (self.cpu, used) {
            (Some(sum), Some(used)) => Some(sum + used),
            (None, Some(used)) => Some(used),
            (sum, None) => sum,
        };
        out
    }

    fn line(&self, name: &str, note: &str) {
        let cpu = self
            .cpu
            .map_or_else(|| "n/a".to_owned(), |c| format!("{:.3} s", c.as_secs_f64()));
        println!(
            "{name:<9} wall {:>7.3} s   on-CPU {cpu:>9}   {note}",
            self.wall.as_secs_f64()
        );
    }
}

fn main() {
    let groups = arg(1, 10_000);
    let sessions = u32::try_from(arg(2, 52)).unwrap_or(52);
    let members = arg(3, 12);
    let chunk = arg(4, 1_000).max(1);
    let model = Model::domain();
    let hmm = Hmm::domain();
    let thresholds = Thresholds::default();
    let instruments = instruments();
    let member_ids: Vec<MemberId> = (1..=members as i64).map(MemberId).collect();
    let mut rng = StdRng::seed_from_u64(10);
    let (mut t_features, mut t_stages, mut t_alerts) =
        (Spent::default(), Spent::default(), Spent::default());
    let (mut raised, mut checksum) = (0usize, 0.0f64);
    let mut by_rule = std::collections::BTreeMap::new();
    let mut done = 0;
    while done < groups {
        let count = chunk.min(groups - done);
        // Not timed: this chunk's pre-computed per-session inputs.
        let inputs: Vec<GroupInput> = (done..done + count)
            .map(|i| generate(&mut rng, &model, i, sessions, members))
            .collect();
        // Each phase runs over the whole chunk, so its time is measured on its own.
        let features: Vec<Vec<SessionFeatures>> = t_features.time(|| {
            inputs
                .iter()
                .map(|g| stages::features::compute(&g.sessions))
                .collect()
        });
        let timelines: Vec<Timeline> = t_stages.time(|| {
            inputs
                .iter()
                .zip(&features)
                .map(|(group, features)| {
                    let observations: Vec<Climate> =
                        features.iter().map(|f| f.climate.observation()).collect();
                    hmm.timeline(group.horizon, &observations)
                })
                .collect()
        });
        let alerts: Vec<Vec<RaisedAlert>> = t_alerts.time(|| {
            inputs
                .iter()
                .zip(&features)
                .zip(&timelines)
                .enumerate()
                .map(|(offset, ((group, features), timeline))| {
                    let filtered: Vec<StageProbs> =
                        timeline.sessions.iter().map(|s| s.posterior).collect();
                    let evidence = GroupEvidence {
                        group: GroupId(i64::try_from(done + offset).unwrap_or(0)),
                        members: &member_ids,
                        planned_sessions: match group.horizon {
                            Horizon::Planned(n) => Some(n),
                            Horizon::OpenEnded => None,
                        },
                        sessions: &group.sessions,
                        features,
                        stages: &filtered,
                        instruments: &instruments,
                        risk_answers: &group.risk,
                        safety_events: &[],
                    };
                    evaluate(&evidence, &thresholds)
                })
                .collect()
        });
        for group_alerts in &alerts {
            raised += group_alerts.len();
            for alert in group_alerts {
                *by_rule.entry(alert.rule.as_str()).or_insert(0usize) += 1;
            }
        }
        for timeline in &timelines {
            checksum += timeline.log_likelihood
                + timeline.sessions.last().map_or(0.0, |s| s.smoothed.working);
        }
        done += count;
    }
    println!(
        "{groups} groups × {sessions} sessions × {members} members, one thread, inputs generated in chunks of {chunk} (not timed)"
    );
    t_features.line("features", "");
    t_stages.line("stages", "(forward filter, forward–backward, Viterbi)");
    t_alerts.line("alerts", &format!("({raised} alerts raised)"));
    let total = Spent {
        wall: t_features.wall + t_stages.wall + t_alerts.wall,
        cpu: t_features
            .cpu
            .zip(t_stages.cpu)
            .zip(t_alerts.cpu)
            .map(|((a, b), c)| a + b + c),
    };
    total.line(
        "total",
        &format!(
            "({:.0} groups/s on-CPU)",
            groups as f64 / total.cpu.unwrap_or(total.wall).as_secs_f64()
        ),
    );
    println!("alerts by rule: {by_rule:?}");
    match peak_memory_kib() {
        Some(kib) => println!(
            "peak resident memory (VmHWM) {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory: /proc/self/status not readable"),
    }
    if !checksum.is_finite() {
        println!("warning: a non-finite result (checksum {checksum})");
    }
}
