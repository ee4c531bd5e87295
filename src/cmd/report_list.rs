//! `callqa report list [--agent ID]` and `callqa report show N [--format md|html|json]`: the
//! coaching reports kept in `coaching_reports`, listed and printed again as they were made.

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::output::one_line;
use callqa::store::Store;
use clap::ValueEnum;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

pub fn list(
    _global: &GlobalArgs,
    store: &Store,
    agent: Option<&str>,
    format: ListFormat,
) -> anyhow::Result<ExitCode> {
    let rows = store.report_listing(agent)?;
    let mut out = callqa::report::output::stdout();
    let text = match format {
        ListFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ListFormat::Table => {
            let mut t = format!(
                "{:>6}  {:<24}  {:<5}  {:<16}  {:<23}  {}\n",
                "report", "created", "scope", "agent", "period", "format"
            );
            for r in &rows {
                t.push_str(&format!(
                    "{:>6}  {:<24}  {:<5}  {:<16}  {:<23}  {}\n",
                    r.report_id,
                    one_line(&r.created_at),
                    one_line(&r.scope),
                    one_line(r.agent_id.as_deref().unwrap_or("-")),
                    format!("{} – {}", one_line(&r.period_from), one_line(&r.period_to)),
                    one_line(&r.format)
                ));
            }
            if rows.is_empty() {
                t.push_str("(no stored reports)\n");
            }
            t
        }
    };
    out.write_all(text.as_bytes()).and_then(|()| out.flush())?;
    Ok(ExitCode::SUCCESS)
}

pub fn show(
    store: &Store,
    id: i64,
    format: Option<&str>,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let (listing, data, body) = store
        .stored_report(id)?
        .with_context(|| format!("no stored report {id} (see callqa report list)"))?;
    let text = match format {
        None => body,
        Some(f) if f == listing.format => body,
        Some("json") => serde_json::to_string_pretty(&data)? + "\n",
        Some(f) => anyhow::bail!(
            "report {id} was stored as {}; it prints as {} (or --format json for its figures), not {f}",
            listing.format,
            listing.format
        ),
    };
    let mut sink = callqa::report::output::sink(out)
        .with_context(|| format!("creating {}", out.unwrap_or(Path::new("-")).display()))?;
    let written = sink.write_all(text.as_bytes()).and_then(|()| sink.flush());
    match out {
        Some(p) => written.with_context(|| format!("writing {}", p.display()))?,
        None => written?,
    }
    Ok(ExitCode::SUCCESS)
}
