//! `callqa merge --into MAIN.db SHARD.db...`: join the databases of a sharded run, then link
//! repeat calls over the merged data (a customer's calls may have landed in different shards).

use super::{emit, print_link_summary, GlobalArgs, RepeatArgs};
use anyhow::Context;
use callqa::pipeline::link_repeats;
use callqa::store::{RunCounts, Store};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The database to merge into (created if missing).
    #[arg(long, value_name = "MAIN.db")]
    pub into: PathBuf,
    /// Shard databases (each written by `callqa score --shard`).
    #[arg(required = true, value_name = "SHARD.db")]
    pub shards: Vec<PathBuf>,
    /// Leave repeat-call linking for later (`callqa link`).
    #[arg(long)]
    pub no_link: bool,
    /// Merge shards scored with --keep-pii too (their transcripts hold personal data as
    /// spoken); without it such a shard is refused. The merged database is then marked as
    /// holding personal data, and merging it further needs --allow-pii again.
    #[arg(long)]
    pub allow_pii: bool,
    #[command(flatten)]
    pub repeat: RepeatArgs,
}

pub fn run(global: &GlobalArgs, args: MergeArgs) -> anyhow::Result<ExitCode> {
    let config = args.repeat.config()?;
    let topics = args.repeat.topics()?;
    let mut store = Store::open(&args.into)
        .with_context(|| format!("opening database {}", args.into.display()))?;
    for shard in &args.shards {
        anyhow::ensure!(
            shard.is_file(),
            "{}: no such shard database",
            shard.display()
        );
        let same = std::fs::canonicalize(shard).ok() == std::fs::canonicalize(&args.into).ok();
        anyhow::ensure!(
            !same,
            "{}: cannot merge a database into itself",
            shard.display()
        );
    }
    if !args.allow_pii {
        for shard in &args.shards {
            let found = Store::open(shard)
                .and_then(|s| s.unredacted_run())
                .with_context(|| format!("opening shard {}", shard.display()))?;
            if let Some((run, arguments)) = found {
                anyhow::bail!(
                    "{}: run {run} stored personal data unredacted ({arguments}); merging it would \
                     bring card numbers, dates of birth and the like into {} — pass --allow-pii to \
                     merge it anyway",
                    shard.display(),
                    args.into.display()
                );
            }
        }
    }
    let arguments = std::env::args().collect::<Vec<_>>().join(" ");
    let run_id = store.begin_run(&arguments)?;
    let mut total = RunCounts::default();
    let merged = merge_shards(global, &mut store, &args.shards, run_id, &mut total);
    // The run is closed before linking, as `score` does: a linking failure must not leave it
    // `running`. A shard that failed leaves the ones before it merged (each is one
    // transaction): `partial`.
    store.finish_run(run_id, total, if merged.is_ok() { "ok" } else { "partial" })?;
    merged?;
    if !args.no_link {
        let linked = link_repeats(&mut store, None, &topics, &config)?;
        if !global.quiet {
            print_link_summary(global, &linked);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn merge_shards(
    global: &GlobalArgs,
    store: &mut Store,
    shards: &[PathBuf],
    run_id: i64,
    total: &mut RunCounts,
) -> anyhow::Result<()> {
    for shard in shards {
        let counts = store
            .merge_from(shard, run_id)
            .with_context(|| format!("merging {}", shard.display()))?;
        total.done += counts.merged;
        total.skipped += counts.unchanged;
        if global.quiet {
            continue;
        }
        emit(
            global,
            "info",
            "shard_merged",
            &format!(
                "merged {}: {} call(s) in, {} already present, {} failed-file record(s)",
                shard.display(),
                counts.merged,
                counts.unchanged,
                counts.file_errors
            ),
            json!({
                "shard": shard.display().to_string(),
                "merged": counts.merged,
                "unchanged": counts.unchanged,
                "file_errors": counts.file_errors,
            }),
        );
    }
    Ok(())
}
