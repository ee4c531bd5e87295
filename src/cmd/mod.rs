//! One file per subcommand: each parses its own flags and calls the library.

mod export;
mod model;
mod report;
mod rescore;
mod rubric;
mod sample;
mod score;
mod show;
mod transcribe;

use anyhow::Context;
use callqa::asr::{AsrConfig, Decoding, Device};
use callqa::audio::{parse_channel, ChannelMap};
use callqa::pipeline::PipelineConfig;
use callqa::rubric::RubricSet;
use callqa::store::Store;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when at least one input file failed (0: all succeeded, 2: usage or fatal error).
pub const EXIT_SOME_FAILED: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "callqa",
    version,
    about = "Call-center quality assurance for recorded calls"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// SQLite database to write.
    #[arg(long, global = true, default_value = "callqa.db")]
    pub db: PathBuf,
    /// Whisper ggml model file (or a name in models/, e.g. base.en). Default: $CALLQA_MODEL, then models/ggml-tiny.en.bin.
    #[arg(long, global = true)]
    pub model: Option<PathBuf>,
    /// Calls transcribed in parallel (default: one per 4 cores, at least 1).
    #[arg(long, short = 'j', global = true)]
    pub jobs: Option<usize>,
    /// More log output (-v info, -vv debug including whisper.cpp).
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Transcribe and score calls against the rubrics, into the database.
    Score(score::ScoreArgs),
    /// Score stored calls again (after a rubric change) without re-transcribing.
    Rescore(rescore::RescoreArgs),
    /// Draw a reproducible random sample of calls for an audit (recorded in audit_samples).
    Sample(sample::SampleArgs),
    /// Every call as JSON Lines or CSV: metadata, transcript, metrics, rubric results, flags.
    Export(export::ExportArgs),
    /// Print one evaluated call: flags, criteria with evidence, metrics, transcript.
    Show(show::ShowArgs),
    /// Coaching reports for an agent or the team (md, html or json; kept in the database).
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Validate rubric files.
    #[command(subcommand)]
    Rubric(rubric::RubricCommand),
    /// Print transcripts of single calls, for debugging; writes nothing.
    Transcribe(transcribe::TranscribeArgs),
    /// Import, download or list Whisper models.
    #[command(subcommand)]
    Model(model::ModelCommand),
}

/// Options shared by every command that runs recognition.
#[derive(Args, Debug, Clone)]
pub struct AsrArgs {
    /// Channel carrying the agent: left, right or a 0-based index.
    #[arg(long, default_value = "left", value_parser = parse_channel)]
    pub agent_channel: usize,
    /// Channel carrying the customer (default: the other of left/right).
    #[arg(long, value_parser = parse_channel)]
    pub customer_channel: Option<usize>,
    /// Decoding: "auto" (beam 5 for ≤ 8 kHz telephone audio, greedy otherwise; see README),
    /// 1 for greedy, or a beam width.
    #[arg(long, default_value = "auto", value_parser = parse_beam)]
    pub beam: Decoding,
    /// Spoken language (multilingual models); default: detect.
    #[arg(long)]
    pub language: Option<String>,
    /// Where to run Whisper.
    #[arg(long, value_enum, default_value = "auto")]
    pub device: Device,
    /// Whisper threads per call (default: cores / jobs).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run Whisper's encoder only over the audio actually present in short windows (faster,
    /// at some accuracy cost; see README).
    #[arg(long)]
    pub trim_encoder: bool,
}

impl AsrArgs {
    pub fn pipeline_config(&self, global: &GlobalArgs, force: bool) -> PipelineConfig {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let jobs = global.jobs.unwrap_or((cores / 4).max(1)).max(1);
        let threads = self.threads.unwrap_or((cores / jobs).max(1));
        let customer = self
            .customer_channel
            .unwrap_or(if self.agent_channel == 1 { 0 } else { 1 });
        PipelineConfig {
            asr: AsrConfig {
                decoding: self.beam,
                threads,
                language: self.language.clone(),
                device: self.device,
                trim_encoder: self.trim_encoder,
                ..AsrConfig::default()
            },
            vad: Default::default(),
            channel_map: ChannelMap {
                agent: self.agent_channel,
                customer,
                explicit: self.customer_channel.is_some() || self.agent_channel > 1,
            },
            jobs,
            force,
            keep_pii: false,
            metadata: Default::default(),
        }
    }
}

/// Which rubrics to score with.
#[derive(Args, Debug, Clone)]
pub struct RubricArgs {
    /// Rubric file or folder of *.yaml rubrics (repeatable). Default: $CALLQA_RUBRICS, then
    /// ./rubrics, then the rubrics shipped beside the callqa checkout.
    #[arg(long = "rubric", value_name = "PATH")]
    pub rubrics: Vec<PathBuf>,
}

impl RubricArgs {
    pub fn paths(&self) -> anyhow::Result<Vec<PathBuf>> {
        if !self.rubrics.is_empty() {
            return Ok(self.rubrics.clone());
        }
        if let Some(p) = std::env::var_os("CALLQA_RUBRICS") {
            return Ok(vec![PathBuf::from(p)]);
        }
        let here = PathBuf::from("rubrics");
        if here.is_dir() {
            return Ok(vec![here]);
        }
        // target/release/callqa → the checkout's rubrics/.
        let shipped = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("rubrics")))
            .filter(|p| p.is_dir());
        shipped
            .map(|p| vec![p])
            .context("no rubrics found: pass --rubric FILE_OR_FOLDER or set CALLQA_RUBRICS")
    }

    pub fn load(&self) -> anyhow::Result<RubricSet> {
        let paths = self.paths()?;
        RubricSet::load(&paths).map_err(|e| anyhow::anyhow!("invalid rubrics:\n{e}"))
    }
}

/// Per-rubric averages over the calls of this run, as `score` and `rescore` end with.
pub fn print_rubric_averages(store: &Store, call_ids: &[String]) -> anyhow::Result<()> {
    let averages = store.rubric_averages(call_ids)?;
    if averages.is_empty() {
        return Ok(());
    }
    eprintln!("rubric averages over {} call(s):", call_ids.len());
    for a in averages {
        let mean = a.mean().map_or("n/a".to_string(), |m| format!("{m:.1}"));
        eprintln!(
            "  {:<14} {:>6}  ({} scored, {} not applicable, {} critical failure(s))",
            a.rubric_id,
            mean,
            a.scored,
            a.calls - a.scored,
            a.critical_failed
        );
    }
    Ok(())
}

/// A day as YYYY-MM-DD, for --from/--to.
pub fn parse_date(s: &str) -> Result<String, String> {
    let ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("expected a date as YYYY-MM-DD, got {s:?}"))
    }
}

fn parse_beam(s: &str) -> Result<Decoding, String> {
    match s {
        "auto" => Ok(Decoding::Auto),
        n => match n.parse::<u32>() {
            Ok(0 | 1) => Ok(Decoding::Greedy),
            Ok(width) => Ok(Decoding::Beam(width)),
            Err(_) => Err(format!("expected auto or a beam width, got {s:?}")),
        },
    }
}

pub fn init_logging(global: &GlobalArgs) {
    let (ours, whisper) = match (global.quiet, global.verbose) {
        (true, _) => ("error", "off"),
        (false, 0) => ("warn", "off"),
        (false, 1) => ("info", "warn"),
        (false, _) => ("debug", "debug"),
    };
    let filter = format!("{ours},whisper_rs={whisper}");
    env_logger::Builder::new()
        .parse_filters(&std::env::var("CALLQA_LOG").unwrap_or(filter))
        .format_timestamp_secs()
        .init();
    // whisper.cpp prints to stderr by default; route it through `log` so -q/-v govern it.
    whisper_rs::install_logging_hooks();
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Score(args) => score::run(&cli.global, args),
        Command::Rescore(args) => rescore::run(&cli.global, args),
        Command::Rubric(args) => rubric::run(&cli.global, args),
        Command::Show(args) => show::run(&cli.global, args),
        Command::Export(args) => export::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
        Command::Sample(args) => sample::run(&cli.global, args),
        Command::Transcribe(args) => transcribe::run(&cli.global, args),
        Command::Model(args) => model::run(&cli.global, args),
    }
}
