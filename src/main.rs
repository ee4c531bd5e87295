//! The `callqa` binary: parse arguments, set up logging, hand off to a subcommand.

mod cmd;

use clap::Parser;
use std::io::ErrorKind;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    cmd::init_logging(&cli.global);
    match cmd::run(cli) {
        Ok(code) => code,
        // A reader that went away (`callqa export | head`) has what it wanted. Subcommands
        // write standard output through `?`; this is the one place that tells it apart.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // A path in the error (a shard, a labels file, the database) goes through the same
            // redaction as input file names: stderr ends up in log collectors.
            let message = callqa::analysis::pii::display_message(&format!("{err:#}"));
            eprintln!("callqa: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Whether `err` is, or was caused by, writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        if let Some(e) = e.downcast_ref::<std::io::Error>() {
            e.kind() == ErrorKind::BrokenPipe
        } else if let Some(e) = e.downcast_ref::<callqa::report::ExportError>() {
            e.is_broken_pipe()
        } else if let Some(e) = e.downcast_ref::<serde_json::Error>() {
            e.io_error_kind() == Some(ErrorKind::BrokenPipe)
        } else {
            false
        }
    })
}
