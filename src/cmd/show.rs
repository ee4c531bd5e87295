//! `callqa show CALL_ID`: one evaluated call — metadata, flags, every criterion with its
//! evidence and coaching tip, metrics, transcript.

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::render_call;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Your call id (manifest or file-name pattern), the audio hash or a unique prefix of it
    /// (4+ hex digits), or the audio file's stored path.
    pub call: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

pub fn run(global: &GlobalArgs, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = global.open_store()?;
    let id = store.lookup_call(&args.call)?;
    let t = store
        .load_transcript(&id)?
        .with_context(|| format!("call {id} vanished"))?;
    let a = store.load_analysis(&id)?;
    let meta = store.call_row(&id)?;
    let text = match args.format {
        ShowFormat::Text => render_call(&t, meta.as_ref(), a.as_ref()),
        ShowFormat::Json => {
            serde_json::to_string_pretty(
                &serde_json::json!({"call": meta.map(|m| serde_json::json!({
                "call_id": m.id(),
                "audio_hash": m.call_id,
                "agent_id": m.agent_id,
                "customer_id": m.customer_id,
                "started_at": m.started_at,
                "queue": m.queue,
                "direction": m.direction,
                "topic": m.topic,
                "path": m.path,
                "transcribed_at": m.transcribed_at,
            })), "transcript": t, "analysis": a}),
            )? + "\n"
        }
    };
    // On a terminal, control characters in stored values are shown, not obeyed.
    let mut out = callqa::report::output::stdout();
    out.write_all(text.as_bytes()).and_then(|()| out.flush())?;
    Ok(ExitCode::SUCCESS)
}
