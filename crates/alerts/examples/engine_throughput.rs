//! Benchmark: session features, stage posteriors (filtered, smoothed, Viterbi) and every
//! alert rule for many groups, on one thread, from pre-computed per-session inputs.
//!
//!   cargo run --release -p circlework-alerts --example engine_throughput -- [GROUPS] [SESSIONS] [MEMBERS] [CHUNK]
//!
//! Defaults: 10000 groups × 52 sessions × 12 members, generated in chunks of 1000 groups
//! (generation is not timed; a chunk's inputs are made before its clock starts). Prints the
//! time of each phase and the process's peak resident memory (VmHWM). Run it pinned to one
//! core with `taskset -c 0` to be sure nothing else helps.

use std::time::{Duration, Instant};

use circlework_alerts::{
    CompareOp, Cutoff, Direction, GroupEvidence, InstrumentRole, InstrumentRule, RiskAnswer,
    Sourced, Thresholds, evaluate,
};
use domain::{GroupId, MemberId, ProcessCode};
use rand::{Rng, SeedableRng, rngs::StdRng};
use stages::features::{
    MemberSession, OutcomeScore, Presence, ProcessBasis, ProcessCounts, SessionInput,
};
use stages::{Climate, Hmm, Horizon, Model};

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
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut raised, mut checksum) = (0usize, 0.0f64);
    let mut by_rule = std::collections::BTreeMap::new();
    let mut done = 0;
    let mut cpu = Some(Duration::ZERO);
    while done < groups {
        let count = chunk.min(groups - done);
        let inputs: Vec<GroupInput> = (done..done + count)
            .map(|i| generate(&mut rng, &model, i, sessions, members))
            .collect();
        let cpu_before = thread_cpu();
        for (offset, group) in inputs.iter().enumerate() {
            let start = Instant::now();
            let features = stages::features::compute(&group.sessions);
            let after_features = Instant::now();
            let observations: Vec<Climate> =
                features.iter().map(|f| f.climate.observation()).collect();
            let timeline = hmm.timeline(group.horizon, &observations);
            let filtered: Vec<_> = timeline.sessions.iter().map(|s| s.posterior).collect();
            let after_stages = Instant::now();
            let evidence = GroupEvidence {
                group: GroupId(i64::try_from(done + offset).unwrap_or(0)),
                members: &member_ids,
                planned_sessions: match group.horizon {
                    Horizon::Planned(n) => Some(n),
                    Horizon::OpenEnded => None,
                },
                sessions: &group.sessions,
                features: &features,
                stages: &filtered,
                instruments: &instruments,
                risk_answers: &group.risk,
                safety_events: &[],
            };
            let alerts = evaluate(&evidence, &thresholds);
            let end = Instant::now();
            t_features += after_features - start;
            t_stages += after_stages - after_features;
            t_alerts += end - after_stages;
            raised += alerts.len();
            for alert in &alerts {
                *by_rule.entry(alert.rule.as_str()).or_insert(0usize) += 1;
            }
            checksum += timeline.log_likelihood
                + timeline.sessions.last().map_or(0.0, |s| s.smoothed.working);
        }
        cpu = cpu
            .zip(cpu_before.zip(thread_cpu()))
            .map(|(sum, (before, after))| sum + after.saturating_sub(before));
        done += count;
    }
    let total = t_features + t_stages + t_alerts;
    println!(
        "{groups} groups × {sessions} sessions × {members} members, one thread, inputs generated in chunks of {chunk} (not timed)"
    );
    println!("features  {:>8.3} s", t_features.as_secs_f64());
    println!(
        "stages    {:>8.3} s  (forward filter, forward–backward, Viterbi)",
        t_stages.as_secs_f64()
    );
    println!(
        "alerts    {:>8.3} s  ({raised} alerts raised)",
        t_alerts.as_secs_f64()
    );
    println!(
        "total     {:>8.3} s  ({:.0} groups/s)",
        total.as_secs_f64(),
        groups as f64 / total.as_secs_f64()
    );
    if let Some(cpu) = cpu {
        println!(
            "on-CPU time of the timed work {:>8.3} s (wall time above includes waiting for a busy machine)",
            cpu.as_secs_f64()
        );
    }
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
