//! `callqa score <INPUT>...`: transcribe every call under the inputs, score it against the
//! rubrics and store everything.

use super::{print_rubric_averages, AsrArgs, GlobalArgs, RubricArgs, EXIT_SOME_FAILED};
use anyhow::Context;
use callqa::asr::{resolve_model, WhisperModel};
use callqa::pipeline::{self, BatchSummary, FileOutcome};
use callqa::store::Store;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// Audio files and/or folders (searched recursively).
    #[arg(required_unless_present = "manifest")]
    pub inputs: Vec<PathBuf>,
    /// CSV with a header `call_id,file,agent_id,customer_id,started_at,queue,direction`
    /// (extra columns kept; optional `agent_channel`); `file` is relative to the manifest.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Regular expression with named groups (call_id, agent, customer, started_at, queue,
    /// direction) read from file names, e.g.
    /// 'AGENT_(?P<agent>[^_]+)_DT_(?P<started_at>[0-9T-]+)'. A manifest row takes precedence.
    #[arg(long)]
    pub name_pattern: Option<String>,
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
}

pub fn run(global: &GlobalArgs, args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.asr.pipeline_config(global, args.force);
    config.keep_pii = args.keep_pii;
    // A broken rubric is found before an hour of transcription, not after.
    let rubrics = args.rubric.load()?;
    let mut inputs = args.inputs.clone();
    let mut metadata = std::collections::HashMap::new();
    let mut listed_but_missing = Vec::new();
    if let Some(path) = &args.manifest {
        let manifest = callqa::meta::read_manifest(path)?;
        for (file, meta) in manifest.entries {
            inputs.push(file.clone());
            metadata.insert(file, meta);
        }
        listed_but_missing = manifest.missing;
    }
    let (files, mut input_errors) = pipeline::collect_inputs(&inputs);
    input_errors.extend(listed_but_missing);
    if let Some(pattern) = &args.name_pattern {
        let pattern = callqa::meta::NamePattern::new(pattern)?;
        for f in &files {
            if !metadata.contains_key(f) {
                if let Some(meta) = pattern.meta(f) {
                    metadata.insert(f.clone(), meta);
                }
            }
        }
    }
    config.metadata = metadata;
    for (path, reason) in &input_errors {
        eprintln!("callqa: error: {}: {reason}", path.display());
    }
    let model_path = resolve_model(global.model.as_deref())?;
    let model = WhisperModel::load(&model_path, &config.asr)?;
    let mut store = Store::open(&global.db)
        .with_context(|| format!("opening database {}", global.db.display()))?;
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

    let bar = (!global.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let quiet = global.quiet;
    // Customers in distress are never left to a line scrolling past: they are repeated at the
    // end, even with -q.
    let mut distress: Vec<String> = Vec::new();
    let mut report = |path: &std::path::Path, outcome: &FileOutcome| {
        if let FileOutcome::Transcribed(_, analysis, _) = outcome {
            if let Some(f) = analysis.flags.iter().find(|f| f.kind == "distress") {
                distress.push(format!("{} ({})", path.display(), f.detail));
            }
        }
        let line = match outcome {
            FileOutcome::Failed(reason) => {
                let msg = format!("callqa: error: {}: {reason}", path.display());
                match &bar {
                    Some(b) => b.println(msg),
                    None => eprintln!("{msg}"),
                }
                None
            }
            FileOutcome::Transcribed(t, analysis, _) => Some(format!(
                "ok {} ({:.1} s, {} utterances, roles {}){}{}{}",
                path.display(),
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
            )),
            FileOutcome::Skipped { call_id } => Some(format!(
                "skip {} (already stored as {})",
                path.display(),
                &call_id[..12.min(call_id.len())]
            )),
            FileOutcome::Duplicate { call_id } => Some(format!(
                "skip {} (same audio as another input, {})",
                path.display(),
                &call_id[..12.min(call_id.len())]
            )),
        };
        match (&bar, line) {
            (Some(b), line) => {
                if let Some(l) = line {
                    b.set_message(l);
                }
                b.inc(1);
            }
            (None, Some(l)) if !quiet => eprintln!("{l}"),
            _ => {}
        }
    };
    let summary = pipeline::run_batch(
        &files,
        &model,
        &rubrics,
        &mut store,
        run_id,
        &config,
        &mut report,
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut counts = summary.counts;
    counts.failed += input_errors.len();
    let status = if counts.failed == 0 { "ok" } else { "partial" };
    store.finish_run(run_id, counts, status)?;
    for d in &distress {
        eprintln!("DISTRESS — review first: {d}");
    }
    if !global.quiet {
        print_summary(&summary, input_errors.len(), &model);
        print_rubric_averages(&store, &summary.call_ids)?;
    }
    Ok(if counts.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SOME_FAILED)
    })
}

fn print_summary(s: &BatchSummary, input_errors: usize, model: &WhisperModel) {
    let wall = s.wall.as_secs_f64();
    let st = &s.stages;
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
        eprintln!("failed: {}: {reason}", path.display());
    }
}
