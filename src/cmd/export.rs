//! `callqa export --format jsonl|csv [--from DATE] [--to DATE] [--out FILE]`: every call with its
//! metadata, transcript, metrics, sentiment, rubric results and flags (see README, "Export").

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::{export_values, write_csv, write_jsonl, ExportError};
use callqa::store::Store;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// First day (YYYY-MM-DD) of calls to include, by when they started.
    #[arg(long, value_parser = super::parse_date)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, inclusive).
    #[arg(long, value_parser = super::parse_date)]
    pub to: Option<String>,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open(&global.db)
        .with_context(|| format!("opening database {}", global.db.display()))?;
    let values = export_values(&store, args.from.as_deref(), args.to.as_deref())?;
    let mut sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = match args.format {
        ExportFormat::Jsonl => write_jsonl(&values, &mut sink),
        ExportFormat::Csv => write_csv(&values, &mut sink),
    }
    .and_then(|()| sink.flush().map_err(Into::into));
    match written {
        Ok(()) => {}
        // `callqa export | head`: the reader has what it wanted.
        Err(ExportError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS)
        }
        Err(ExportError::Json(e)) if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) => {
            return Ok(ExitCode::SUCCESS)
        }
        Err(e) => return Err(e.into()),
    }
    if !global.quiet && args.out.is_some() {
        eprintln!("exported {} call(s)", values.len());
    }
    Ok(ExitCode::SUCCESS)
}
