//! The `callqa` binary: parse arguments, set up logging, hand off to a subcommand.

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    cmd::init_logging(&cli.global);
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("callqa: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
