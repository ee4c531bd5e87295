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
    let arguments = std::env::args().collect::<Vec<_>>().join(" ");
    let run_id = store.begin_run(&arguments)?;
    let mut total = RunCounts::default();
    for shard in &args.shards {
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
    if !args.no_link {
        let linked = link_repeats(&mut store, None, &topics, &config)?;
        if !global.quiet {
            print_link_summary(global, &linked);
        }
    }
    store.finish_run(run_id, total, "ok")?;
    Ok(ExitCode::SUCCESS)
}
