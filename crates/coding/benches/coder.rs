//! Per-utterance cost of the shipped coder: features, model and rules for one line, and the
//! features alone. `cargo bench -p circlework-coding --bench coder`.

use std::hint::black_box;

use circlework_coding::classifier::FeatureBuf;
use circlework_coding::coder::Coder;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Team-written lines of the lengths group talk has.
const LINES: &[&str] = &[
    "yeah.",
    "I don't really want to talk about that right now.",
    "So what I'm hearing is that the week felt heavier than you expected.",
    "Honestly you never listen to anyone in here, it's pointless.",
    "Thank you for saying that, it means a lot to me that you noticed.",
    "Maybe you could try writing it down before the next session and see if that helps?",
];

fn bench(c: &mut Criterion) {
    let Ok(coder) = Coder::embedded() else {
        eprintln!("the shipped model did not load");
        return;
    };
    let mut group = c.benchmark_group("coder");
    group.throughput(Throughput::Elements(LINES.len() as u64));
    let mut scratch = coder.scratch();
    group.bench_function("code_with (features + model + rules), 6 lines", |b| {
        b.iter(|| {
            for line in LINES {
                black_box(coder.code_with(black_box(line), &mut scratch));
            }
        })
    });
    let mut featurizer = coder.model().featurizer();
    let mut buf = FeatureBuf::default();
    group.bench_function("features only, 6 lines", |b| {
        b.iter(|| {
            for line in LINES {
                featurizer.extract(black_box(line), &mut buf);
                black_box(buf.words.len() + buf.chars.len());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
