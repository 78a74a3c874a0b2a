//! `circlework`: one binary for the web server, the demo, administration and batch work.
//! Each subcommand lives in its own module under `commands/`.

use std::process::ExitCode;

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
    /// Serve the web UI and API against a database.
    Serve(commands::serve::Args),
    /// Seed a synthetic demo organisation (once) and serve it.
    Demo(commands::demo::Args),
    /// Apply pending database migrations and exit.
    Migrate(commands::migrate::Args),
    /// Manage user accounts (the way to create the first admin).
    #[command(subcommand)]
    User(commands::user::Command),
    /// Code utterances for group process (hostility, support, ...), one JSON object per utterance.
    Code(commands::code::Args),
    /// Train the utterance coder from the public corpora.
    Train(commands::train::Args),
    /// Evaluate the coder on the proxy tasks and print precision, recall and F1.
    Eval(commands::eval::Args),
    /// Infer a group's development stages from its GCQ-S session means (CSV), one record per session.
    #[command(
        after_help = "Exit status: 0 on success; 2 when the CSV, the model file or an argument is unusable (the message names the row and column, or the model field); 1 when the output cannot be written."
    )]
    Stages(commands::stages::Args),
    /// Print a stored group's session features, stages and alerts as JSON.
    #[command(
        after_help = "Exit status: 0 on success; 2 when the database or the group cannot be read."
    )]
    Analyze(commands::analyze::Args),
    /// Check the tamper-evident audit log.
    #[command(subcommand)]
    Audit(commands::audit::Command),
    /// Score an answers CSV offline (PHQ-9, GAD-7, GCQ-S): totals, subscales, bands, validity.
    Score(commands::score::Args),
    /// List and show instruments; load an organisation's definitions and licensed wording.
    #[command(subcommand)]
    Instruments(commands::instruments::Command),
    /// Copy a live SQLite database to a checked backup file (PostgreSQL: use pg_dump).
    Backup(commands::backup::Args),
    /// Check a backup file and put it in place as the SQLite database (PostgreSQL: use pg_restore).
    Restore(commands::restore::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => commands::run_async(commands::serve::run(args)),
        Command::Demo(args) => commands::run_async(commands::demo::run(args)),
        Command::Migrate(args) => commands::run_async(commands::migrate::run(args)),
        Command::User(command) => commands::run_async(commands::user::run(command)),
        Command::Code(args) => commands::code::run(args),
        Command::Train(args) => commands::train::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Stages(args) => commands::stages::run(args),
        Command::Analyze(args) => commands::run_async(commands::analyze::run(args)),
        Command::Audit(command) => commands::run_async(commands::audit::run(command)),
        Command::Score(args) => commands::score::run(args),
        Command::Instruments(command) => commands::run_async(commands::instruments::run(command)),
        Command::Backup(args) => commands::backup::run(args),
        Command::Restore(args) => commands::restore::run(args),
    };
    commands::exit_code(outcome)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_help() {
        let cli = super::Cli::command();
        for sub in cli.get_subcommands() {
            assert!(
                sub.get_about().is_some(),
                "{} has no help text",
                sub.get_name()
            );
            for nested in sub.get_subcommands() {
                assert!(
                    nested.get_about().is_some(),
                    "{} {} has no help text",
                    sub.get_name(),
                    nested.get_name()
                );
            }
        }
    }
}
