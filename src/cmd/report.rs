//! `callqa report agent <ID> | team [--from DATE --to DATE] [--format md|html|json] [--out FILE]`:
//! coaching reports, each kept in `coaching_reports` (see README, "Coaching reports").

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::coaching::{self, Format};
use callqa::transcript::meta::Day;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// One agent's coaching report.
    Agent {
        /// The agent id, as the manifest or file-name pattern gave it.
        agent: String,
        #[command(flatten)]
        opts: ReportOpts,
    },
    /// The team's report, with the leaderboard.
    Team {
        #[command(flatten)]
        opts: ReportOpts,
    },
    /// The stored reports, newest first.
    List {
        /// Only this agent's reports.
        #[arg(long)]
        agent: Option<String>,
        /// table (default) or json.
        #[arg(long, value_enum, default_value = "table")]
        format: super::report_list::ListFormat,
    },
    /// Print a stored report again, as it was generated.
    Show {
        /// The report's id (`report list`).
        id: i64,
        /// The stored text (default), or json for the report's figures.
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct ReportOpts {
    /// First day (YYYY-MM-DD) of the period. Default: 30 days ending at --to.
    #[arg(long, value_parser = super::parse_date)]
    pub from: Option<Day>,
    /// Last day (YYYY-MM-DD, inclusive). Default: the newest stored call's day.
    #[arg(long, value_parser = super::parse_date)]
    pub to: Option<Day>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Folder of review pages (`callqa review`, `sample --review`): each quote links to its
    /// moment in its call's page there (links relative to the report as DIR is given).
    #[arg(long, value_name = "DIR")]
    pub review_dir: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, command: ReportCommand) -> anyhow::Result<ExitCode> {
    let store = global.open_store()?;
    let (agent, opts) = match &command {
        ReportCommand::Agent { agent, opts } => (Some(agent.as_str()), opts),
        ReportCommand::Team { opts } => (None, opts),
        ReportCommand::List { agent, format } => {
            return super::report_list::list(global, &store, agent.as_deref(), *format)
        }
        ReportCommand::Show { id, format, out } => {
            let format = format.map(|f| match f {
                ReportFormat::Md => "md",
                ReportFormat::Html => "html",
                ReportFormat::Json => "json",
            });
            return super::report_list::show(&store, *id, format, out.as_deref());
        }
    };
    let format = match opts.format {
        ReportFormat::Md => Format::Md,
        ReportFormat::Html => Format::Html,
        ReportFormat::Json => Format::Json,
    };
    let (from, to) = (opts.from, opts.to);
    let generated = match agent {
        Some(a) => coaching::generate_agent_linked(
            &store,
            a,
            from,
            to,
            format,
            opts.review_dir.as_deref(),
        )?,
        None => {
            coaching::generate_team_linked(&store, from, to, format, opts.review_dir.as_deref())?
        }
    };
    // A file is created private (0600), never through a symbolic link; standard output on a
    // terminal shows control characters instead of obeying them.
    let mut out = callqa::report::output::sink(opts.out.as_deref()).with_context(|| {
        format!(
            "creating {}",
            opts.out.as_deref().unwrap_or(Path::new("-")).display()
        )
    })?;
    let written = out
        .write_all(generated.body.as_bytes())
        .and_then(|()| out.flush());
    match &opts.out {
        Some(path) => {
            written.with_context(|| format!("writing {}", path.display()))?;
            if !global.quiet {
                eprintln!(
                    "report {} written to {}",
                    generated.report_id,
                    path.display()
                );
            }
        }
        None => written?,
    }
    Ok(ExitCode::SUCCESS)
}
