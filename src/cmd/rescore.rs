//! `callqa rescore [CALL_ID...]`: score stored transcripts again with the current rubrics —
//! after a rubric edit, no audio is touched. Results of earlier rubric versions stay as history.

use super::{print_rubric_averages, GlobalArgs, RubricArgs};
use callqa::analysis;
use clap::Args;
use rayon::prelude::*;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct RescoreArgs {
    /// Calls to rescore (your call ids, audio hashes or unique hash prefixes, or stored paths);
    /// default: every stored call.
    pub calls: Vec<String>,
    #[command(flatten)]
    pub rubric: RubricArgs,
}

/// Calls analysed together between database commits.
const CHUNK: usize = 256;

pub fn run(global: &GlobalArgs, args: RescoreArgs) -> anyhow::Result<ExitCode> {
    let rubrics = args.rubric.load()?;
    let mut store = global.open_store()?;
    let ids: Vec<String> = if args.calls.is_empty() {
        store.call_ids()?
    } else {
        args.calls
            .iter()
            .map(|want| Ok(store.lookup_call(want)?))
            .collect::<anyhow::Result<_>>()?
    };
    store.register_rubrics(&rubrics.rubrics)?;
    let started = Instant::now();
    let mut analysis_time = 0.0;
    for chunk in ids.chunks(CHUNK) {
        let transcripts = chunk
            .iter()
            .map(|id| store.load_transcript(id))
            .collect::<Result<Vec<_>, _>>()?;
        let t0 = Instant::now();
        let analyses: Vec<_> = transcripts
            .par_iter()
            .flatten()
            .map(|t| (t.call_id.clone(), analysis::analyse(t, &rubrics)))
            .collect();
        analysis_time += t0.elapsed().as_secs_f64();
        store.save_analyses(&analyses)?;
    }
    let wall = started.elapsed().as_secs_f64();
    if !global.quiet {
        eprintln!(
            "rescored {} call(s) with {} rubric(s) in {:.2} s ({:.0} calls/s; scoring alone {:.0} calls/s)",
            ids.len(),
            rubrics.rubrics.len(),
            wall,
            ids.len() as f64 / wall.max(1e-9),
            ids.len() as f64 / analysis_time.max(1e-9),
        );
        print_rubric_averages(global, &store, &ids)?;
    }
    Ok(ExitCode::SUCCESS)
}
