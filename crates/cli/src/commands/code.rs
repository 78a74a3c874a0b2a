//! `circlework code`: code utterances for group process, one result per utterance.
//!
//! `lines` input (the evaluation contract) is streamed in batches and coded on a pool of
//! `--threads` workers, results written in input order; transcript formats are read whole by
//! the transcript readers.

mod output;
mod stream;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use coding::coder::Coder;
use coding::transcript::{self, TranscriptFormat};

use output::{OutputFormat, Record, Writer};

/// Arguments of `circlework code`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Transcript files; standard input when none.
    files: Vec<PathBuf>,
    /// lines | plain | vtt | srt | csv (default: from the file extension; `lines` on standard input).
    #[arg(long)]
    input_format: Option<String>,
    /// jsonl | csv | table. JSONL: one object per utterance, `codes` and `scores` for all 14
    /// codes; transcripts add `speaker`, `start` and `end` (seconds) and `text`.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    output_format: OutputFormat,
    /// A model file to use instead of the shipped one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// Show, for each decided code, the features or the rule that drove it.
    #[arg(long)]
    explain: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let model = super::model_file::load(args.model.as_deref())?;
    let coder = Coder::new(model);
    let threads = match args.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let requested = args
        .input_format
        .as_deref()
        .map(str::parse::<TranscriptFormat>)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let stdout = std::io::stdout();
    let mut writer = Writer::new(
        args.output_format,
        args.explain,
        std::io::BufWriter::with_capacity(1 << 20, stdout.lock()),
    )?;
    let progress = std::io::stderr().is_terminal();

    if args.files.is_empty() {
        let format = requested.unwrap_or(TranscriptFormat::Lines);
        let stdin = std::io::stdin();
        code_input(
            &coder,
            &pool,
            format,
            stdin.lock(),
            None,
            progress,
            &mut writer,
        )?;
    } else {
        for path in &args.files {
            let format = match requested.or_else(|| TranscriptFormat::from_extension(path)) {
                Some(format) => format,
                None => bail!(
                    "{}: cannot tell the format from the extension; give --input-format",
                    path.display()
                ),
            };
            let file =
                std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            let size = file.metadata().map(|m| m.len()).ok();
            code_input(&coder, &pool, format, file, size, progress, &mut writer)
                .with_context(|| format!("coding {}", path.display()))?;
        }
    }
    writer.finish()?;
    Ok(())
}

fn code_input<W: Write>(
    coder: &Coder,
    pool: &rayon::ThreadPool,
    format: TranscriptFormat,
    mut input: impl Read,
    size: Option<u64>,
    progress: bool,
    writer: &mut Writer<W>,
) -> anyhow::Result<()> {
    if format == TranscriptFormat::Lines {
        return stream::code_lines(coder, pool, input, size, progress, writer);
    }
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .context("reading the transcript")?;
    let text = String::from_utf8_lossy(&bytes);
    let utterances = transcript::read(format, &text)?;
    let explain = writer.explains();
    let coded: Vec<_> = pool.install(|| {
        use rayon::prelude::*;
        utterances
            .par_iter()
            .map(|u| {
                if explain {
                    let (coded, why) = coder.explain(&u.text, 5);
                    (coded, Some(why))
                } else {
                    (coder.code(&u.text), None)
                }
            })
            .collect()
    });
    for (utterance, (coded, why)) in utterances.iter().zip(&coded) {
        writer.write(&Record {
            index: utterance.index,
            speaker: utterance.speaker.as_deref(),
            start_ms: utterance.start_ms,
            end_ms: utterance.end_ms,
            text: Some(&utterance.text),
            coded,
            explanation: why.as_deref(),
        })?;
    }
    Ok(())
}
