//! `callqa score <INPUT>...`: transcribe every call under the inputs, score it against the
//! rubrics and store everything.

use super::{
    emit, print_link_summary, print_rubric_averages, AsrArgs, GlobalArgs, LogFormat, RepeatArgs,
    RubricArgs, EXIT_INTERRUPTED, EXIT_SOME_FAILED,
};
use anyhow::Context;
use callqa::analysis::flags::FlagKind;
use callqa::analysis::pii::{display_message, display_path};
use callqa::asr::cache::CachedTranscriber;
use callqa::asr::{resolve_model, Transcriber, WhisperModel};
use callqa::pipeline::{self, BatchSummary, FileOutcome, StopSignal};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// Audio files and/or folders (searched recursively).
    #[arg(required_unless_present = "manifest")]
    pub inputs: Vec<PathBuf>,
    /// CSV with a header `call_id,file,agent_id,customer_id,started_at,queue,direction`
    /// (extra columns kept; optional `agent_channel` and `language`, e.g. he); `file` is
    /// relative to the manifest.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Regular expression with named groups (call_id, agent, customer, started_at, queue,
    /// direction, language) read from file names, e.g.
    /// 'AGENT_(?P<agent>[^_]+)_DT_(?P<started_at>[0-9T-]+)'. A manifest row takes precedence.
    #[arg(long)]
    pub name_pattern: Option<String>,
    /// Take only this share of the inputs: K/N (1-based, e.g. 2/8), or `auto` to read it from a
    /// Slurm array (SLURM_ARRAY_TASK_ID/_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX
    /// with CALLQA_SHARD_COUNT). Each shard writes its own --db; `callqa merge` joins them.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Spoken language of a queue's calls, QUEUE=LANG (repeatable), e.g. `support-he=he`; a
    /// manifest's `language` column takes precedence, `--language` applies to other queues.
    #[arg(long = "queue-language", value_name = "QUEUE=LANG", value_parser = callqa::pipeline::language::parse_queue_language)]
    pub queue_languages: Vec<(String, String)>,
    /// Longest call accepted, e.g. 14400, 90m, 4h or 1h30m (default 4h): a file whose header
    /// declares more is refused before decoding, and decoding stops once it passes the limit
    /// (the file is that run's error). Memory grows ~3.8 MB per channel-minute up to it.
    #[arg(long, value_name = "DURATION", default_value = "4h", value_parser = callqa::audio::parse_duration)]
    pub max_duration: f64,
    /// Follow symbolic links met while walking folders (default: a link is not followed; one
    /// with an audio extension is reported as that file's error). Inputs named on the command
    /// line are always followed.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Manifest files must lie under the manifest's folder (symbolic links resolved): a row
    /// whose file is an absolute path, or climbs out with `..` or a link, is that row's error.
    #[arg(long, requires = "manifest")]
    pub confine: bool,
    /// Transcribe again even if the same audio is already stored.
    #[arg(long)]
    pub force: bool,
    /// Store card numbers, SSNs, dates of birth, e-mails and phone numbers as spoken (default:
    /// replaced by their kind, e.g. [CARD_NUMBER], before anything is written).
    #[arg(long)]
    pub keep_pii: bool,
    #[command(flatten)]
    pub asr: AsrArgs,
    #[command(flatten)]
    pub rubric: RubricArgs,
    #[command(flatten)]
    pub repeat: RepeatArgs,
}

pub fn run(global: &GlobalArgs, args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.asr.pipeline_config(global, args.force);
    // Contradictory channel flags are a usage error before any work, not one per file.
    config
        .channels
        .resolve()
        .context("--agent-channel/--customer-channel")?;
    config.limits.max_duration_s = args.max_duration;
    config.keep_pii = args.keep_pii;
    config.queue_languages = args.queue_languages.iter().cloned().collect();
    // A broken rubric or topic file is found before an hour of transcription, not after.
    let rubrics = args.rubric.load()?;
    config.asr.vocabulary = rubrics.vocabulary.clone();
    let repeat_config = args.repeat.config()?;
    let topics = args.repeat.topics()?;
    let pipeline::BatchPlan {
        files,
        metadata,
        input_errors,
    } = pipeline::plan(&pipeline::PlanRequest {
        inputs: &args.inputs,
        manifest: args.manifest.as_deref(),
        confine: args.confine,
        name_pattern: args.name_pattern.as_deref(),
        shard: args.shard.as_deref(),
        follow_symlinks: args.follow_symlinks,
    })?;
    config.metadata = metadata;
    args.asr.fit_layout(global, &mut config, files.len());
    report_input_errors(global, &input_errors);
    if args.keep_pii {
        emit(
            global,
            "warn",
            "keep_pii",
            "callqa: WARNING: --keep-pii: card numbers, SSNs, dates of birth, e-mails and phone \
             numbers are stored AS SPOKEN in the database and its exports",
            json!({}),
        );
    }
    let model_path = resolve_model(global.model.as_deref())?;
    let model = WhisperModel::load(&model_path, &config.asr)?;
    let cached = CachedTranscriber::from_env(&model, &model.path);
    let transcriber: &dyn Transcriber = match &cached {
        Some(c) => c,
        None => &model,
    };
    let mut store = global.open_store()?;
    let arguments = std::env::args().collect::<Vec<_>>().join(" ");
    let run_id = store.begin_run(&arguments)?;
    for (path, reason) in &input_errors {
        store.record_file_error(run_id, &path.display().to_string(), reason)?;
    }
    log::info!(
        "{} file(s), model {} on {}, {} job(s) × {} thread(s)",
        files.len(),
        model.name,
        model.backend,
        config.jobs,
        config.asr.threads
    );

    install_stop_handler(&config.stop, global.log_format == LogFormat::Json);

    let mut progress = Progress::new(global, files.len(), &config.metadata);
    let summary = pipeline::run_batch(
        &files,
        transcriber,
        &rubrics,
        &mut store,
        run_id,
        &config,
        &mut |path, outcome| progress.on_file(path, outcome),
    )?;
    progress.finish_bar();
    let mut counts = summary.counts;
    counts.failed += input_errors.len();
    let status = if summary.interrupted {
        "interrupted"
    } else if counts.failed == 0 {
        "ok"
    } else {
        "partial"
    };
    // The run's record is closed before linking: the calls are stored whatever linking meets.
    store.finish_run(run_id, counts, status)?;
    // Repeat calls: this run's customers, against every call of theirs stored on any night.
    let customers = store.customers_of(&summary.call_ids)?;
    let linked = if customers.is_empty() {
        None
    } else {
        Some(
            pipeline::link_repeats(&mut store, Some(&customers), &topics, &repeat_config)
                .context("linking repeat calls (the calls are stored; `callqa link` retries)")?,
        )
    };
    progress.report_distress();
    if !global.quiet {
        print_summary(global, &summary, input_errors.len(), &model);
        if let Some(l) = &linked {
            print_link_summary(global, l);
        }
        print_rubric_averages(global, &store, &summary.call_ids)?;
    }
    if summary.interrupted {
        emit(
            global,
            "warn",
            "run_interrupted",
            &format!(
                "callqa: interrupted: {} call(s) stored, {} left for the next run (run the same command again)",
                counts.done, summary.left
            ),
            json!({"done": counts.done, "left": summary.left}),
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(if counts.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SOME_FAILED)
    })
}

/// One `callqa: error:` line per file the plan rejected (bad manifest row, path outside
/// `--confine`, ...), its personal data redacted.
fn report_input_errors(global: &GlobalArgs, input_errors: &[(PathBuf, String)]) {
    for (path, reason) in input_errors {
        let (file, reason) = (display_path(path), display_message(reason));
        emit(
            global,
            "error",
            "file_failed",
            &format!("callqa: error: {file}: {reason}"),
            json!({"file": file, "error": reason}),
        );
    }
}

/// Ctrl-C / SIGTERM (cron, a scheduler stopping the job): the first stops new calls and lets
/// the in-flight ones finish and commit; the second abandons those; the third leaves at once
/// (SQLite's journal keeps every committed call either way).
fn install_stop_handler(stop: &Arc<StopSignal>, json: bool) {
    let stop = Arc::clone(stop);
    let handler = ctrlc::set_handler(move || {
        let (event, message) = match stop.request() {
            1 => ("stop_requested", "callqa: stopping: no new calls; in-flight calls finish and are stored (press Ctrl-C again to abandon them)"),
            2 => ("abandon_requested", "callqa: abandoning in-flight calls; they are done on the next run (Ctrl-C once more quits at once)"),
            _ => std::process::exit(130),
        };
        if json {
            eprintln!(
                "{}",
                json!({"level": "warn", "event": event, "message": message})
            );
        } else {
            eprintln!("{message}");
        }
    });
    if let Err(e) = handler {
        log::warn!("cannot catch Ctrl-C ({e}); an interrupted run keeps what it committed");
    }
}

/// What the person or the log collector sees while the batch runs: a progress bar on a
/// terminal, otherwise one line (text or JSON, through `emit`) per file; and the customers in
/// distress, repeated at the end.
struct Progress<'g> {
    global: &'g GlobalArgs,
    bar: Option<ProgressBar>,
    started: std::time::Instant,
    audio_s: f64,
    // Customers in distress are never left to a line scrolling past: they are repeated at the
    // end, even with -q; possible distress right after them, never dropped.
    distress: Vec<String>,
    possible_distress: Vec<String>,
    /// Per file, what the manifest or name said: the user's own call id for log lines.
    metadata: &'g std::collections::HashMap<std::path::PathBuf, callqa::transcript::meta::CallMeta>,
}

impl<'g> Progress<'g> {
    fn new(
        global: &'g GlobalArgs,
        files: usize,
        metadata: &'g std::collections::HashMap<
            std::path::PathBuf,
            callqa::transcript::meta::CallMeta,
        >,
    ) -> Progress<'g> {
        let bar = (!global.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(files as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:30}] {pos}/{len} calls · ETA {eta} · {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            global,
            bar,
            started: std::time::Instant::now(),
            audio_s: 0.0,
            distress: Vec::new(),
            possible_distress: Vec::new(),
            metadata,
        }
    }

    /// One finished file: the bar moves, or its line is written.
    fn on_file(&mut self, path: &std::path::Path, outcome: &FileOutcome) {
        let global = self.global;
        // Named as the database names it: a card number in a file name stays out of the logs.
        let file = display_path(path);
        // The user's own call id for this file (manifest or name pattern), when given.
        let user_id = self.metadata.get(path).and_then(|m| m.external_id.clone());
        if let FileOutcome::Transcribed(t, analysis, _) = outcome {
            self.audio_s += t.duration_s();
            for f in &analysis.flags {
                let line = || format!("{file} ({})", f.detail);
                match f.kind {
                    FlagKind::Distress => self.distress.push(line()),
                    FlagKind::PossibleDistress => self.possible_distress.push(line()),
                    _ => {}
                }
            }
        }
        let event = match outcome {
            FileOutcome::Failed(reason) => {
                let reason = display_message(reason);
                let msg = format!("callqa: error: {file}: {reason}");
                match (&self.bar, global.log_format) {
                    (Some(b), LogFormat::Text) => b.println(msg),
                    _ => emit(
                        global,
                        "error",
                        "file_failed",
                        &msg,
                        json!({"file": file, "call_id": user_id, "error": reason}),
                    ),
                }
                None
            }
            FileOutcome::Transcribed(t, analysis, _) => Some((
                "call_scored",
                format!(
                    "ok {file} ({:.1} s, {} utterances, roles {}){}{}{}",
                    t.duration_s(),
                    t.utterances.len(),
                    t.roles.as_str(),
                    analysis
                        .results
                        .iter()
                        .map(|r| format!(
                            " {} {}{}",
                            r.rubric_id,
                            r.score.map_or("n/a".into(), |s| format!("{s:.0}")),
                            if r.critical_failed {
                                " (critical fail)"
                            } else {
                                ""
                            }
                        ))
                        .collect::<String>(),
                    analysis
                        .flags
                        .iter()
                        .map(|f| format!(" [{}]", f.kind))
                        .collect::<String>(),
                    if t.warnings.is_empty() {
                        String::new()
                    } else {
                        format!(" warning: {}", t.warnings.join("; "))
                    }
                ),
                json!({
                    "file": file,
                    "call_id": user_id.as_deref().unwrap_or(&t.call_id),
                    "audio_hash": t.call_id,
                    "duration_s": t.duration_s(),
                    "utterances": t.utterances.len(),
                    "roles": t.roles.as_str(),
                    "scores": analysis.results.iter().map(|r| (r.rubric_id.clone(), json!(r.score))).collect::<serde_json::Map<_, _>>(),
                    "critical_failed": analysis.results.iter().filter(|r| r.critical_failed).map(|r| r.rubric_id.clone()).collect::<Vec<_>>(),
                    "flags": analysis.flags.iter().map(|f| f.kind.as_str()).collect::<Vec<_>>(),
                    "warnings": t.warnings,
                }),
            )),
            FileOutcome::Skipped { call_id } => Some((
                "call_skipped",
                format!(
                    "skip {file} (already stored as {})",
                    user_id
                        .as_deref()
                        .unwrap_or(&call_id[..12.min(call_id.len())])
                ),
                json!({"file": file, "call_id": user_id.as_deref().unwrap_or(call_id), "audio_hash": call_id, "reason": "already stored"}),
            )),
            FileOutcome::Duplicate { call_id, of } => {
                let of = display_path(of);
                Some((
                    "call_skipped",
                    format!(
                        "skip {file} (same audio as {of}, {})",
                        &call_id[..12.min(call_id.len())]
                    ),
                    json!({"file": file, "call_id": user_id.as_deref().unwrap_or(call_id), "audio_hash": call_id, "reason": "same audio as another input", "same_as": of}),
                ))
            }
            FileOutcome::NotStarted | FileOutcome::Abandoned => Some((
                "call_left",
                format!("left for the next run: {file}"),
                json!({"file": file, "reason": if matches!(outcome, FileOutcome::Abandoned) { "abandoned" } else { "not started" }}),
            )),
        };
        match (&self.bar, event) {
            (Some(b), event) => {
                let wall = self.started.elapsed().as_secs_f64();
                let speed = if wall > 0.0 { self.audio_s / wall } else { 0.0 };
                b.set_message(format!(
                    "{:.2} h audio · {speed:.1}x real time{}",
                    self.audio_s / 3600.0,
                    event.map_or(String::new(), |(_, line, _)| format!(" · {line}"))
                ));
                b.inc(1);
            }
            (None, Some((name, line, fields))) if !global.quiet => {
                emit(global, "info", name, &line, fields)
            }
            _ => {}
        }
    }

    fn finish_bar(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    /// The calls with distress, then possible distress, one line each.
    fn report_distress(&self) {
        for d in &self.distress {
            emit(
                self.global,
                "warn",
                "distress",
                &format!("DISTRESS — review first: {d}"),
                json!({"detail": d}),
            );
        }
        for d in &self.possible_distress {
            emit(
                self.global,
                "warn",
                "possible_distress",
                &format!("POSSIBLE DISTRESS — review next: {d}"),
                json!({"detail": d}),
            );
        }
    }
}

fn print_summary(global: &GlobalArgs, s: &BatchSummary, input_errors: usize, model: &WhisperModel) {
    let wall = s.wall.as_secs_f64();
    let st = &s.stages;
    if global.log_format == LogFormat::Json {
        emit(
            global,
            "info",
            "run_finished",
            "run finished",
            json!({
                "transcribed": s.counts.done,
                "skipped": s.counts.skipped,
                "failed": s.counts.failed + input_errors,
                "left": s.left,
                "audio_s": s.audio_s,
                "wall_s": wall,
                "speed_x_real_time": s.speed(),
                "model": model.name,
                "backend": model.backend,
            }),
        );
        return;
    }
    eprintln!(
        "calls: {} transcribed, {} skipped, {} failed | audio {:.2} h ({:.0} s) | wall {:.1} s | \
         speed {:.1}x real time (RTF {:.3}) | model {} on {}",
        s.counts.done,
        s.counts.skipped,
        s.counts.failed + input_errors,
        s.audio_s / 3600.0,
        s.audio_s,
        wall,
        s.speed(),
        if s.audio_s > 0.0 {
            wall / s.audio_s
        } else {
            0.0
        },
        model.name,
        model.backend,
    );
    eprintln!(
        "stages (summed over workers): decode {:.2} s, vad {:.2} s, asr {:.2} s, score {:.3} s, store {:.3} s{}",
        st.decode.as_secs_f64(),
        st.vad.as_secs_f64(),
        st.asr.as_secs_f64(),
        st.score.as_secs_f64(),
        st.store.as_secs_f64(),
        if s.rescored > 0 {
            format!(" | {} stored call(s) rescored for changed rubrics", s.rescored)
        } else {
            String::new()
        }
    );
    for (path, reason) in &s.failures {
        eprintln!(
            "failed: {}: {}",
            display_path(path),
            display_message(reason)
        );
    }
}
