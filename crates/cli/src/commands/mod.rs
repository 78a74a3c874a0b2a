//! One module per subcommand: its arguments and its `run`.

pub mod code;
pub mod eval;
mod model_file;
pub mod train;
