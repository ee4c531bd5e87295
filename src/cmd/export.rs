//! `callqa export --format jsonl|csv [--from DATE] [--to DATE] [--where F] [--out FILE]`: every call with its
//! metadata, transcript, metrics, sentiment, rubric results and flags (see README, "Export").

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::sample::{parse_filter, Filter};
use callqa::report::{write_csv, write_jsonl, ExportError};
use callqa::transcript::meta::Day;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
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
    pub from: Option<Day>,
    /// Last day (YYYY-MM-DD, inclusive).
    #[arg(long, value_parser = super::parse_date)]
    pub to: Option<Day>,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only calls matching, as `sample --where` reads it: flag=KIND, agent=ID, queue=NAME,
    /// language=CODE, critical=RUBRIC, RUBRIC<N (<, <=, >, >=, =). Repeatable; all must hold.
    /// Failed files are left out when a filter is given.
    #[arg(long = "where", value_parser = super::sample::check_filter)]
    pub filters: Vec<String>,
}

pub fn run(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = global.open_store()?;
    let mut sink = callqa::report::output::sink(args.out.as_deref()).with_context(|| {
        format!(
            "creating {}",
            args.out.as_deref().unwrap_or(Path::new("-")).display()
        )
    })?;
    let (from, to) = (args.from, args.to);
    let filters: Vec<Filter> = args
        .filters
        .iter()
        .map(|f| parse_filter(f).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<_>>()?;
    // Rows are written as they are read: memory stays that of one call, whatever the period.
    let written = match args.format {
        ExportFormat::Jsonl => write_jsonl(&store, from, to, &filters, &mut sink),
        ExportFormat::Csv => write_csv(&store, from, to, &filters, &mut sink),
    }
    .and_then(|n| sink.flush().map(|()| n).map_err(ExportError::from));
    let n = written?;
    if !global.quiet && args.out.is_some() {
        eprintln!("exported {n} call(s)");
    }
    Ok(ExitCode::SUCCESS)
}
