//! Cost of `RuleSet::evaluate` per utterance, on one thread.
//!
//! Texts: the codebook's examples, plus the first column of
//! /work/shared/data/goemotions/dev.tsv when that file is present (set
//! `CIRCLEWORK_BENCH_TSV` to read another one-utterance-per-line TSV).
//! Prints the per-utterance cost for all texts, for texts where no rule fires, and for
//! quiet texts of typical length (60-120 bytes), then runs criterion on the same sets.
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

/// Nanoseconds per utterance of `work` over repeated passes of at least `budget`.
fn per_utterance_ns<R>(texts: &[String], budget: Duration, work: impl Fn(&str) -> R) -> f64 {
    let started = Instant::now();
    let mut evaluated = 0usize;
    while started.elapsed() < budget {
        for text in texts {
            black_box(work(black_box(text)));
        }
        evaluated += texts.len();
    }
    started.elapsed().as_nanos() as f64 / evaluated.max(1) as f64
}

fn report(name: &str, rules: &RuleSet, texts: &[String]) {
    if texts.is_empty() {
        return;
    }
    let mean_len = texts.iter().map(String::len).sum::<usize>() as f64 / texts.len() as f64;
    let ns = per_utterance_ns(texts, Duration::from_secs(2), |text| rules.evaluate(text));
    println!(
        "{name:<28} {:>6} texts, mean {mean_len:>5.1} bytes: {ns:>7.1} ns/utterance ({:.2} M utterances/s)",
        texts.len(),
        1e3 / ns
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
    let yardstick = per_utterance_ns(&typical_quiet, Duration::from_secs(1), str::to_lowercase);
    println!(
        "{:<28} (yardstick: str::to_lowercase on the same texts {yardstick:.1} ns)",
        ""
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
