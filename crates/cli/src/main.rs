//! `circlework`: one binary for the web server, the demo, administration and batch work.
//! Each subcommand lives in its own module under `commands/`.

use clap::{Parser, Subcommand};

mod commands;

#[derive(Debug, Parser)]
#[command(name = "circlework", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Code utterances for group process (hostility, support, ...), one JSON object per utterance.
    Code(commands::code::Args),
    /// Train the utterance coder from the public corpora.
    Train(commands::train::Args),
    /// Evaluate the coder on the proxy tasks and print precision, recall and F1.
    Eval(commands::eval::Args),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Code(args) => commands::code::run(args),
        Command::Train(args) => commands::train::run(args),
        Command::Eval(args) => commands::eval::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
