//! Cost of drawing the group dashboard's charts (stage timeline, climate, attendance heat
//! map, process profile) for a group of 52 sessions × 12 members, each chart drawn wide and
//! narrow with its reading and table; and of a member's trajectory and a 600-utterance
//! session timeline. First prints the p50, p99 and worst of 1000 rounds of the dashboard's
//! set (wall-clock, one thread), then runs criterion on each chart.
//!
//! Run: `cargo bench -p circlework-reports --bench charts`

#[path = "../examples/support/dataset.rs"]
mod dataset;

use std::hint::black_box;
use std::time::{Duration, Instant};

use circlework_reports::{
    BurstRule, Chart, Whiskers, attendance_chart, climate_chart, profile_chart, stage_chart,
    timeline_chart, trajectory_chart,
};
use criterion::{Criterion, criterion_group};

fn dashboard(data: &dataset::Dataset) -> [Chart; 4] {
    [
        stage_chart("stages", &data.stages),
        climate_chart("climate", &data.climate, Whiskers::Range),
        attendance_chart("attendance", &data.attendance),
        profile_chart("profile", &data.profile),
    ]
}

/// Nanoseconds this thread has spent on a CPU (Linux), so time other processes take on a
/// shared machine is not counted; `None` elsewhere.
fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// p50, p99 and worst of sorted times, in milliseconds.
fn summary(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(i).copied().unwrap_or(f64::NAN) * 1e3
    };
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, worst {:.2} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    )
}

fn percentiles() {
    let data = dataset::dataset(52, 12);
    let charts = dashboard(&data);
    let bytes: usize = charts.iter().map(|c| c.wide.len() + c.narrow.len()).sum();
    let rounds = 1000;
    let mut wall = Vec::with_capacity(rounds);
    let cpu_before = on_cpu_ns();
    for _ in 0..rounds {
        let start = Instant::now();
        black_box(dashboard(black_box(&data)));
        wall.push(start.elapsed().as_secs_f64());
    }
    let cpu = cpu_before
        .zip(on_cpu_ns())
        .map(|(a, b)| Duration::from_nanos(b.saturating_sub(a)).as_secs_f64() / rounds as f64);
    println!(
        "dashboard set, 52 sessions × 12 members (4 charts, wide + narrow, {} KiB of SVG), \
         {rounds} rounds on one thread:",
        bytes / 1024
    );
    println!("  wall-clock: {}", summary(&mut wall));
    // The scheduler's per-thread clock is too coarse for one round; over all of them it
    // gives the mean cost with other processes' time left out.
    if let Some(cpu) = cpu {
        println!("  on-CPU mean: {:.2} ms", cpu * 1e3);
    }
}

fn charts(c: &mut Criterion) {
    let data = dataset::dataset(52, 12);
    let mut group = c.benchmark_group("52 sessions × 12 members");
    group.bench_function("dashboard set", |b| b.iter(|| dashboard(black_box(&data))));
    group.bench_function("stage timeline", |b| {
        b.iter(|| stage_chart("stages", black_box(&data.stages)))
    });
    group.bench_function("climate", |b| {
        b.iter(|| climate_chart("climate", black_box(&data.climate), Whiskers::Range))
    });
    group.bench_function("attendance", |b| {
        b.iter(|| attendance_chart("attendance", black_box(&data.attendance)))
    });
    group.bench_function("profile", |b| {
        b.iter(|| profile_chart("profile", black_box(&data.profile)))
    });
    if let Some(line) = &data.trajectory {
        group.bench_function("trajectory", |b| {
            b.iter(|| trajectory_chart("phq9", black_box(line)))
        });
    }
    group.bench_function("session timeline, 600 utterances", |b| {
        b.iter(|| timeline_chart("timeline", black_box(&data.utterances), BurstRule::DEFAULT))
    });
    group.finish();
}

criterion_group!(benches, charts);

fn main() {
    percentiles();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
