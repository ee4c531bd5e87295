//! One file per subcommand: each parses its own flags and calls the library.

mod calibrate;
mod export;
mod link;
mod merge;
mod model;
mod report;
mod report_list;
mod rescore;
mod review;
mod rubric;
mod sample;
mod score;
mod show;
mod transcribe;

use anyhow::Context;
use callqa::analysis::rubric::RubricSet;
use callqa::asr::{AsrConfig, Decoding, Device};
use callqa::audio::{parse_channel, ChannelChoice};
use callqa::pipeline::PipelineConfig;
use callqa::store::Store;
use callqa::transcript::meta::Day;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when at least one input file failed (0: all succeeded, 2: usage or fatal error).
pub const EXIT_SOME_FAILED: u8 = 1;
/// Exit code of a run stopped by Ctrl-C or SIGTERM: what it finished is stored; running the same
/// command again does the rest.
pub const EXIT_INTERRUPTED: u8 = 130;

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
    /// Calls transcribed in parallel (default: one per core on machines of fewer than 4 cores,
    /// else one per 4 cores; never more than there are calls).
    #[arg(long, short = 'j', global = true)]
    pub jobs: Option<usize>,
    /// More log output (-v info, -vv debug including whisper.cpp).
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log lines as plain text or as one JSON object per line (for log collectors under cron).
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

impl GlobalArgs {
    /// The database named by `--db`, opened (created and migrated if need be).
    pub fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.db).with_context(|| format!("opening database {}", self.db.display()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// One event of a batch, printed as a text line or a JSON object on stderr.
pub fn emit(global: &GlobalArgs, level: &str, event: &str, text: &str, fields: serde_json::Value) {
    match global.log_format {
        LogFormat::Text => eprintln!("{text}"),
        LogFormat::Json => {
            let mut obj = serde_json::Map::new();
            obj.insert("ts".into(), now_iso().into());
            obj.insert("level".into(), level.into());
            obj.insert("event".into(), event.into());
            obj.insert("message".into(), text.into());
            if let serde_json::Value::Object(more) = fields {
                obj.extend(more);
            }
            eprintln!("{}", serde_json::Value::Object(obj));
        }
    }
}

fn now_iso() -> String {
    callqa::pipeline::iso_utc(std::time::SystemTime::now()).unwrap_or_default()
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
    /// Compare callqa's criterion verdicts with a human evaluator's (agreement, kappa,
    /// confusion, disagreements with evidence); each run kept in calibrations.
    Calibrate(calibrate::CalibrateArgs),
    /// Print one evaluated call: flags, criteria with evidence, metrics, transcript.
    Show(show::ShowArgs),
    /// Write a self-contained HTML review page per call (audio embedded with personal data
    /// muted, every quote playing its moment, a timeline) and an index.
    Review(review::ReviewArgs),
    /// Recompute repeat-call links and first-contact resolution over every stored call (score
    /// does it for the customers it saw).
    Link(link::LinkArgs),
    /// Merge shard databases into one (idempotent), then link repeat calls over the result.
    Merge(merge::MergeArgs),
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

fn parse_language(s: &str) -> Result<String, String> {
    let code = s.trim().to_ascii_lowercase();
    if code == "auto" || callqa::asr::whisper::is_known_language(&code) {
        Ok(code)
    } else {
        Err(format!(
            "{s:?} is not a language Whisper knows (ISO 639-1 codes such as en, he, ar, ru, or auto)"
        ))
    }
}

/// Options shared by every command that runs recognition.
#[derive(Args, Debug, Clone)]
pub struct AsrArgs {
    /// Channel carrying the agent: left, right or a 0-based index (default: left). A manifest
    /// row's agent_channel wins for its call (logged at -v when it overrides these flags).
    #[arg(long, value_parser = parse_channel)]
    pub agent_channel: Option<usize>,
    /// Channel carrying the customer (default: the other of left/right; must be named when the
    /// agent is on channel 2 or above).
    #[arg(long, value_parser = parse_channel)]
    pub customer_channel: Option<usize>,
    /// Decoding: "auto" (beam 5 for ≤ 8 kHz telephone audio, greedy otherwise; see README),
    /// 1 for greedy, or a beam width.
    #[arg(long, default_value = "auto", value_parser = parse_beam)]
    pub beam: Decoding,
    /// Spoken language of every call (ISO 639-1: en, he, ar, ru, ...; multilingual models),
    /// unless a manifest row or queue says otherwise. Default: detect per call ("auto").
    #[arg(long, value_parser = parse_language)]
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

/// Calls in parallel when `--jobs` is not given. On a small machine one call per core at one
/// thread each: on 2 cores it ran 1.54× faster than one call at two threads, at the same word
/// error rate (README, "Accuracy and speed": whisper.cpp's threads wait on each other at every
/// step, two independent calls do not). Larger machines keep 4 threads per call. Never more
/// calls than the batch has, so that one long call still gets every core.
pub fn default_jobs(cores: usize, calls: usize) -> usize {
    let per_machine = if cores < 4 { cores } else { cores / 4 };
    per_machine.min(calls).max(1)
}

impl AsrArgs {
    /// Jobs × Whisper threads: the flags where given, else [`default_jobs`] and the cores
    /// shared among the jobs.
    fn layout(&self, global: &GlobalArgs, calls: usize) -> (usize, usize) {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let jobs = global.jobs.unwrap_or(default_jobs(cores, calls)).max(1);
        let threads = self.threads.unwrap_or((cores / jobs).max(1));
        (jobs, threads)
    }

    /// The layout for a batch now known to hold `calls` files (a single call gets every core).
    pub fn fit_layout(&self, global: &GlobalArgs, config: &mut PipelineConfig, calls: usize) {
        (config.jobs, config.asr.threads) = self.layout(global, calls);
    }

    /// The channels as the flags name them; [`ChannelChoice::resolve`] is the rule.
    pub fn channels(&self) -> ChannelChoice {
        ChannelChoice {
            agent: self.agent_channel,
            customer: self.customer_channel,
        }
    }

    /// The pipeline's settings, its layout for a batch of unknown size ([`AsrArgs::fit_layout`]
    /// narrows it once the files are known).
    pub fn pipeline_config(&self, global: &GlobalArgs, force: bool) -> PipelineConfig {
        let (jobs, threads) = self.layout(global, usize::MAX);
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
            channels: self.channels(),
            limits: Default::default(),
            jobs,
            force,
            keep_pii: false,
            metadata: Default::default(),
            stop: Default::default(),
            queue_languages: Default::default(),
            language_source: callqa::transcript::LanguageSource::Flag,
        }
    }
}

/// Which rubrics to score with.
#[derive(Args, Debug, Clone)]
pub struct RubricArgs {
    /// Rubric file or folder of *.yaml rubrics (repeatable). Default: $CALLQA_RUBRICS, then
    /// ./rubrics, then $XDG_DATA_HOME/callqa/rubrics, then the rubrics of the checkout callqa
    /// was built from or runs in.
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
        // The user's data folder, then the checkout the binary was built from (an installed
        // binary) or runs from (target/release/callqa).
        let shipped = callqa::asr::model::user_data_dir()
            .map(|d| d.join("rubrics"))
            .into_iter()
            .chain(
                callqa::asr::model::checkouts()
                    .into_iter()
                    .map(|c| c.join("rubrics")),
            )
            .find(|p| p.is_dir());
        shipped
            .map(|p| vec![p])
            .context("no rubrics found: pass --rubric FILE_OR_FOLDER or set CALLQA_RUBRICS")
    }

    pub fn load(&self) -> anyhow::Result<RubricSet> {
        let paths = self.paths()?;
        RubricSet::load(&paths).map_err(|e| anyhow::anyhow!("invalid rubrics:\n{e}"))
    }
}

/// How repeat calls are recognised.
#[derive(Args, Debug, Clone)]
pub struct RepeatArgs {
    /// A call is a repeat when the same customer called about the same issue at most this many
    /// days before.
    #[arg(long, default_value_t = 7.0, value_name = "DAYS")]
    pub repeat_window_days: f64,
    /// A call starting this soon after the previous call ended is a call-back or transfer, not
    /// a repeat.
    #[arg(long, default_value_t = 15.0, value_name = "MINUTES")]
    pub callback_minutes: f64,
    /// Share of the shorter opening statement's issue terms the other call must hold (0-1), at
    /// least two shared, for two calls to be about the same issue when a topic is unknown.
    #[arg(long, default_value_t = 0.3, value_name = "SHARE")]
    pub similarity: f64,
    /// Topic keyword sets (YAML). Default: $CALLQA_TOPICS, then the shipped
    /// rubrics/topics/default.yaml.
    #[arg(long, value_name = "FILE")]
    pub topics: Option<PathBuf>,
}

impl RepeatArgs {
    pub fn config(&self) -> anyhow::Result<callqa::repeat::RepeatConfig> {
        anyhow::ensure!(
            self.repeat_window_days > 0.0,
            "--repeat-window-days must be above 0"
        );
        anyhow::ensure!(
            self.callback_minutes >= 0.0,
            "--callback-minutes must not be negative"
        );
        anyhow::ensure!(
            (0.0..=1.0).contains(&self.similarity),
            "--similarity must be between 0 and 1"
        );
        Ok(callqa::repeat::RepeatConfig {
            window_s: (self.repeat_window_days * 86_400.0).round() as i64,
            callback_s: (self.callback_minutes * 60.0).round() as i64,
            similarity: self.similarity,
        })
    }

    pub fn topics(&self) -> anyhow::Result<callqa::repeat::TopicSet> {
        let path = self
            .topics
            .clone()
            .or_else(|| std::env::var_os("CALLQA_TOPICS").map(PathBuf::from));
        match path {
            Some(p) => Ok(callqa::repeat::TopicSet::load(&p)?),
            None => Ok(callqa::repeat::TopicSet::shipped()),
        }
    }
}

/// One line on what linking found, as `score` and `link` end with.
pub fn print_link_summary(global: &GlobalArgs, s: &callqa::pipeline::LinkSummary) {
    let text = format!(
        "repeat calls: {} linked among {} call(s) of {} customer(s) ({} with a known topic){}",
        s.repeats,
        s.calls,
        s.customers,
        s.with_topic,
        if s.undated.is_empty() {
            String::new()
        } else {
            format!(
                "; {} call(s) left out: start time unreadable",
                s.undated.len()
            )
        }
    );
    emit(
        global,
        "info",
        "repeats_linked",
        &text,
        serde_json::json!({
            "repeats": s.repeats,
            "calls": s.calls,
            "customers": s.customers,
            "with_topic": s.with_topic,
            "undated": s.undated,
        }),
    );
}

/// Per-rubric averages over the calls of this run, as `score` and `rescore` end with.
pub fn print_rubric_averages(
    global: &GlobalArgs,
    store: &Store,
    call_ids: &[String],
) -> anyhow::Result<()> {
    let averages = store.rubric_averages(call_ids)?;
    if averages.is_empty() {
        return Ok(());
    }
    if global.log_format == LogFormat::Json {
        for a in averages {
            emit(
                global,
                "info",
                "rubric_average",
                &format!("rubric {} average", a.rubric_id),
                serde_json::json!({
                    "rubric_id": a.rubric_id,
                    "mean": a.mean(),
                    "calls": a.calls,
                    "scored": a.scored,
                    "critical_failed": a.critical_failed,
                }),
            );
        }
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

/// A day as YYYY-MM-DD, for --from/--to: a real calendar day (not 2025-13-45).
pub fn parse_date(s: &str) -> Result<Day, String> {
    s.parse()
        .map_err(|e: callqa::transcript::meta::NotADay| e.to_string())
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
    // The decoder's own log lines (symphonia: "riff: invalid channel count", file sizes) would
    // repeat each bad file's one `callqa: error:` line, even under -q: heard from -v on.
    let (ours, whisper, decoder) = match (global.quiet, global.verbose) {
        (true, _) => ("error", "off", "off"),
        (false, 0) => ("warn", "off", "off"),
        (false, 1) => ("info", "warn", "warn"),
        (false, _) => ("debug", "debug", "info"),
    };
    let filter = format!("{ours},whisper_rs={whisper},symphonia={decoder}");
    let mut builder = env_logger::Builder::new();
    builder.parse_filters(&std::env::var("CALLQA_LOG").unwrap_or(filter));
    match global.log_format {
        LogFormat::Text => {
            builder.format_timestamp_secs();
        }
        LogFormat::Json => {
            builder.format(|buf, record| {
                use std::io::Write;
                let line = serde_json::json!({
                    "ts": now_iso(),
                    "level": record.level().as_str().to_ascii_lowercase(),
                    "event": "log",
                    "target": record.target(),
                    "message": record.args().to_string(),
                });
                writeln!(buf, "{line}")
            });
        }
    }
    builder.init();
    // whisper.cpp prints to stderr by default; route it through `log` so -q/-v govern it.
    whisper_rs::install_logging_hooks();
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Score(args) => score::run(&cli.global, args),
        Command::Rescore(args) => rescore::run(&cli.global, args),
        Command::Rubric(args) => rubric::run(&cli.global, args),
        Command::Show(args) => show::run(&cli.global, args),
        Command::Review(args) => review::run(&cli.global, args),
        Command::Link(args) => link::run(&cli.global, args),
        Command::Merge(args) => merge::run(&cli.global, args),
        Command::Export(args) => export::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
        Command::Sample(args) => sample::run(&cli.global, args),
        Command::Calibrate(args) => calibrate::run(&cli.global, args),
        Command::Transcribe(args) => transcribe::run(&cli.global, args),
        Command::Model(args) => model::run(&cli.global, args),
    }
}

#[cfg(test)]
mod tests {
    use super::default_jobs;

    #[test]
    fn small_machines_run_a_call_per_core_and_never_more_calls_than_the_batch() {
        assert_eq!(default_jobs(2, 100), 2);
        assert_eq!(default_jobs(2, 1), 1, "one call gets both cores");
        assert_eq!(default_jobs(1, 100), 1);
        assert_eq!(default_jobs(3, 100), 3);
        assert_eq!(default_jobs(4, 100), 1);
        assert_eq!(default_jobs(16, 100), 4);
        assert_eq!(default_jobs(16, 2), 2);
        assert_eq!(default_jobs(2, 0), 1);
    }
}
