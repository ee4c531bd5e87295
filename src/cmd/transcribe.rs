//! `callqa transcribe <FILE>...`: print transcripts without touching the database, personal
//! data redacted unless `--keep-pii`.

use super::{AsrArgs, GlobalArgs, EXIT_SOME_FAILED};
use callqa::analysis::pii::{display_message, display_path};
use callqa::asr::cache::CachedTranscriber;
use callqa::asr::{resolve_model, Transcriber, WhisperModel};
use callqa::pipeline;
use callqa::transcript::{render, OutputFormat};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TranscribeArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Print personal data as spoken (default: redacted as `score` stores it, [CARD_NUMBER] etc.)
    #[arg(long)]
    pub keep_pii: bool,
    #[command(flatten)]
    pub asr: AsrArgs,
}

pub fn run(global: &GlobalArgs, args: TranscribeArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.asr.pipeline_config(global, true);
    // One file after another: each gets every core.
    args.asr.fit_layout(global, &mut config, 1);
    let model = WhisperModel::load(&resolve_model(global.model.as_deref())?, &config.asr)?;
    let cached = CachedTranscriber::from_env(&model, &model.path);
    let transcriber: &dyn Transcriber = match &cached {
        Some(c) => c,
        None => &model,
    };
    let mut failed = 0;
    for path in &args.files {
        let result = pipeline::audio_hash(path)
            .map_err(pipeline::PipelineError::from)
            .and_then(|id| pipeline::transcribe_file(path, id, transcriber, &config));
        match result {
            Ok((mut t, _)) => {
                // A terminal, a pipe into a file or a ticket: printed text is as exposed as
                // stored text.
                if !args.keep_pii {
                    callqa::analysis::redact_transcript(&mut t);
                }
                let mut out = std::io::stdout().lock();
                write!(out, "{}", render(&t, args.format)).and_then(|()| out.flush())?;
            }
            Err(e) => {
                failed += 1;
                eprintln!(
                    "callqa: error: {}: {}",
                    display_path(path),
                    display_message(&e.to_string())
                );
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SOME_FAILED)
    })
}
