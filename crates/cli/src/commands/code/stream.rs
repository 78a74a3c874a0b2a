//! Streaming `lines` input: read a batch of lines, code it on the pool, write it in order.

use std::io::{Read, Write};

use anyhow::Context;
use coding::coder::Coder;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::output::{Record, Writer};

/// Bytes read per batch: big enough to keep every worker busy, small enough to stream.
const BATCH_BYTES: usize = 4 << 20;
/// Lines per unit of parallel work.
const LINES_PER_TASK: usize = 2048;

pub fn code_lines<W: Write>(
    coder: &Coder,
    pool: &rayon::ThreadPool,
    mut input: impl Read,
    size: Option<u64>,
    progress: bool,
    writer: &mut Writer<W>,
) -> anyhow::Result<()> {
    let bar = progress.then(|| progress_bar(size));
    let mut buffer: Vec<u8> = Vec::with_capacity(BATCH_BYTES + 4096);
    let mut index = 0usize;
    let mut scratch = coder.scratch();
    let serial = pool.current_num_threads() <= 1;
    loop {
        let filled = fill(&mut input, &mut buffer, BATCH_BYTES)?;
        let at_end = filled == 0;
        // Code every complete line; keep a partial last line for the next read.
        let complete = if at_end {
            buffer.len()
        } else {
            match buffer.iter().rposition(|b| *b == b'\n') {
                Some(last) => last + 1,
                None => continue,
            }
        };
        let (batch, _) = buffer.split_at(complete);
        let lines: Vec<&[u8]> = split_lines(batch);
        if serial && !writer.explains() && writer.is_jsonl() {
            for line in &lines {
                let text = String::from_utf8_lossy(line);
                let coded = coder.code_with(&text, &mut scratch);
                writer.write_jsonl_fast(&coded)?;
            }
        } else if writer.is_jsonl() && !writer.explains() {
            let chunks: Vec<Vec<u8>> = pool.install(|| {
                lines
                    .par_chunks(LINES_PER_TASK)
                    .map_init(
                        || coder.scratch(),
                        |scratch, chunk| {
                            let mut out = Vec::with_capacity(chunk.len() * 300);
                            for line in chunk {
                                let text = String::from_utf8_lossy(line);
                                super::output::jsonl_scores(
                                    &coder.code_with(&text, scratch),
                                    &mut out,
                                );
                            }
                            out
                        },
                    )
                    .collect()
            });
            for chunk in chunks {
                writer.write_raw(&chunk)?;
            }
        } else {
            let explain = writer.explains();
            let coded: Vec<_> = pool.install(|| {
                lines
                    .par_iter()
                    .map(|line| {
                        let text = String::from_utf8_lossy(line).into_owned();
                        let (coded, why) = if explain {
                            let (coded, why) = coder.explain(&text, 5);
                            (coded, Some(why))
                        } else {
                            (coder.code(&text), None)
                        };
                        (text, coded, why)
                    })
                    .collect()
            });
            for (offset, (text, coded, why)) in coded.iter().enumerate() {
                writer.write(&Record {
                    index: index + offset,
                    speaker: None,
                    start_ms: None,
                    end_ms: None,
                    text: if writer.is_jsonl() { None } else { Some(text) },
                    coded,
                    explanation: why.as_deref(),
                })?;
            }
        }
        index += lines.len();
        if let Some(bar) = &bar {
            match size {
                Some(_) => bar.inc(complete as u64),
                None => bar.set_position(index as u64),
            }
        }
        buffer.drain(..complete);
        if at_end {
            break;
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

/// The lines of a batch: split on `\n`, a trailing `\r` dropped; a final line without `\n`
/// counts, an empty remainder after the last `\n` does not.
fn split_lines(batch: &[u8]) -> Vec<&[u8]> {
    if batch.is_empty() {
        return Vec::new();
    }
    let body = batch.strip_suffix(b"\n").unwrap_or(batch);
    body.split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .collect()
}

/// Appends up to `want` more bytes (fewer at the end of input); returns how many.
fn fill(input: &mut impl Read, buffer: &mut Vec<u8>, want: usize) -> anyhow::Result<usize> {
    let mut total = 0;
    while total < want {
        let filled = buffer.len();
        buffer.resize(filled + (want - total).min(1 << 20), 0);
        let n = input
            .read(buffer.get_mut(filled..).unwrap_or(&mut []))
            .context("reading standard input")?;
        buffer.truncate(filled + n);
        if n == 0 {
            break;
        }
        total += n;
    }
    Ok(total)
}

fn progress_bar(size: Option<u64>) -> ProgressBar {
    match size {
        Some(bytes) => {
            let bar = ProgressBar::new(bytes);
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos} lines coded ({per_sec})")
            {
                bar.set_style(style);
            }
            bar
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_the_contract_says() {
        assert_eq!(split_lines(b""), Vec::<&[u8]>::new());
        assert_eq!(split_lines(b"a\n"), vec![b"a".as_slice()]);
        assert_eq!(split_lines(b"a\n\nb"), vec![b"a".as_slice(), b"", b"b"]);
        assert_eq!(split_lines(b"a\r\n\n"), vec![b"a".as_slice(), b""]);
    }
}
