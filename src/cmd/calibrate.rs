//! `callqa calibrate --labels FILE [--format md|json|html] [--out FILE]`: callqa's latest
//! criterion verdicts against a human evaluator's, each run kept in `calibrations` (see README,
//! "Calibrating against your evaluators").

use super::{emit, GlobalArgs};
use anyhow::Context;
use callqa::report::calibrate::{calibrate_store, render_html, render_markdown, Calibration};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalibrateFormat {
    Md,
    Json,
    Html,
}

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// CSV with a header: call_id,rubric,criterion,verdict[,evaluator][,note]; call_id is your
    /// call id, the file name or the audio hash (or a prefix of >= 8 hex digits); verdict is
    /// pass, fail or na.
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,
    #[arg(long, value_enum, default_value = "md")]
    pub format: CalibrateFormat,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// One warning line per kind of label that could not be compared.
fn warn_not_compared(global: &GlobalArgs, c: &Calibration) {
    if global.quiet {
        return;
    }
    let u = &c.unknown;
    let not_scored: Vec<String> = c
        .not_scored
        .iter()
        .map(|n| format!("{} {}/{}", n.call_id, n.rubric, n.criterion))
        .collect();
    let invalid: Vec<String> = c
        .invalid_rows
        .iter()
        .map(|r| format!("line {}: {}", r.line, r.reason))
        .collect();
    for (kind, what, list) in [
        ("call_ids", "unknown call id(s)", &u.call_ids),
        (
            "ambiguous_call_ids",
            "call id(s) matching more than one call",
            &u.ambiguous_call_ids,
        ),
        ("rubrics", "unknown rubric(s)", &u.rubrics),
        ("criteria", "unknown criterion(s)", &u.criteria),
        (
            "not_scored",
            "label(s) for a criterion the call was not scored against",
            &not_scored,
        ),
        ("invalid_rows", "row(s) not read", &invalid),
    ] {
        if list.is_empty() {
            continue;
        }
        emit(
            global,
            "warn",
            "calibrate_not_compared",
            &format!(
                "callqa: warning: {}: {} {what}, not compared: {}",
                c.labels_file,
                list.len(),
                list.join(", ")
            ),
            serde_json::json!({ "labels_file": c.labels_file, "kind": kind, "items": list }),
        );
    }
}

pub fn run(global: &GlobalArgs, args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let store = global.open_store()?;
    let file = std::fs::File::open(&args.labels)
        .with_context(|| format!("reading labels {}", args.labels.display()))?;
    let name = args.labels.display().to_string();
    let (result, id) = calibrate_store(&store, &name, std::io::BufReader::new(file))?;
    warn_not_compared(global, &result);
    let body = match args.format {
        CalibrateFormat::Md => render_markdown(&result),
        CalibrateFormat::Html => render_html(&result),
        CalibrateFormat::Json => format!("{}\n", serde_json::to_string_pretty(&result)?),
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &body).with_context(|| format!("writing {}", path.display()))?;
            if !global.quiet {
                eprintln!("calibration {id} written to {}", path.display());
            }
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(body.as_bytes()).and_then(|()| out.flush())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
