//! Cost of `RuleSet::evaluate` per utterance, on one thread.
//!
//! Texts: the codebook's examples, plus the first column of
//! /work/shared/data/goemotions/dev.tsv when that file is present (set
//! `CIRCLEWORK_BENCH_TSV` to read another one-utterance-per-line TSV).
//! Prints the per-utterance cost for all texts, for texts where no rule fires, and for
//! quiet texts of typical length (60-120 bytes) -- the fastest of several rounds, as
//! wall-clock and on-CPU time -- then runs criterion on the same sets.
//!
//! Run: `cargo bench -p circlework-coding --bench rules`

use std::hint::black_box;
use std::time::{Duration, Instant};

use circlework_coding::codebook::Codebook;
use circlework_coding::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const DEFAULT_TSV: &str = "/work/shared/data/goemotions/dev.tsv";

fn texts() -> Vec<String> {
    let mut texts: Vec<String> = Codebook::embedded()
        .map(|book| book.examples().map(|(_, ex)| ex.text.clone()).collect())
        .unwrap_or_default();
    let path = std::env::var("CIRCLEWORK_BENCH_TSV").unwrap_or_else(|_| DEFAULT_TSV.to_string());
    match std::fs::read_to_string(&path) {
        Ok(tsv) => texts.extend(
            tsv.lines()
                .filter_map(|line| line.split('\t').next())
                .filter(|text| !text.is_empty())
                .map(str::to_string),
        ),
        Err(err) => eprintln!("note: {path} not read ({err}); codebook examples only"),
    }
    texts
}

/// Nanoseconds this thread has spent on a CPU (Linux), so time other processes take
/// on a shared machine is not counted; `None` elsewhere.
fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Per-utterance cost of `work`: the fastest of several rounds of at least `round`
/// each, so interference from other processes on a shared machine mostly drops out.
/// Returns (wall-clock ns, on-CPU ns when the platform reports it).
fn per_utterance_ns<R>(
    texts: &[String],
    round: Duration,
    work: impl Fn(&str) -> R,
) -> (f64, Option<f64>) {
    let mut best_wall = f64::INFINITY;
    let mut best_cpu: Option<f64> = None;
    for _ in 0..ROUNDS {
        let cpu_before = on_cpu_ns();
        let started = Instant::now();
        let mut evaluated = 0usize;
        while started.elapsed() < round {
            for text in texts {
                black_box(work(black_box(text)));
            }
            evaluated += texts.len();
        }
        let count = evaluated.max(1) as f64;
        best_wall = best_wall.min(started.elapsed().as_nanos() as f64 / count);
        let cpu = on_cpu_ns()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before) as f64 / count);
        best_cpu = match (best_cpu, cpu) {
            (Some(best), Some(now)) => Some(best.min(now)),
            (best, now) => best.or(now),
        };
    }
    (best_wall, best_cpu)
}

const ROUNDS: usize = 8;

fn report(name: &str, rules: &RuleSet, texts: &[String]) {
    if texts.is_empty() {
        return;
    }
    let mean_len = texts.iter().map(String::len).sum::<usize>() as f64 / texts.len() as f64;
    let (wall, cpu) = per_utterance_ns(texts, Duration::from_millis(400), |text| {
        rules.evaluate(text)
    });
    let cpu = cpu.map_or_else(String::new, |ns| format!(", {ns:.1} ns on-CPU"));
    println!(
        "{name:<22} {:>5} texts, mean {mean_len:>5.1} bytes: {wall:>7.1} ns/utterance wall{cpu} ({:.2} M/s wall)",
        texts.len(),
        1e3 / wall
    );
}

fn bench_rules(c: &mut Criterion) {
    let rules = RuleSet::new();
    let all = texts();
    let quiet: Vec<String> = all
        .iter()
        .filter(|text| rules.evaluate(text).is_empty())
        .cloned()
        .collect();
    let typical_quiet: Vec<String> = quiet
        .iter()
        .filter(|text| (60..=120).contains(&text.len()))
        .cloned()
        .collect();
    let fired = all.len() - quiet.len();
    println!(
        "\nrules fired on {fired} of {} texts ({:.1}%)",
        all.len(),
        100.0 * fired as f64 / all.len().max(1) as f64
    );
    report("all texts", &rules, &all);
    report("quiet texts", &rules, &quiet);
    report("quiet, 60-120 bytes", &rules, &typical_quiet);
    // A yardstick for how busy this machine is: lowercasing the same texts.
    let (yardstick, _) = per_utterance_ns(
        &typical_quiet,
        Duration::from_millis(200),
        str::to_lowercase,
    );
    println!(
        "(yardstick: str::to_lowercase on the 60-120 byte texts takes {yardstick:.1} ns wall)"
    );
    println!();

    let mut group = c.benchmark_group("rules");
    for (name, set) in [("all", &all), ("quiet_60_120", &typical_quiet)] {
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                for text in set.iter() {
                    black_box(rules.evaluate(black_box(text)));
                }
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = bench_rules
}
criterion_main!(benches);
