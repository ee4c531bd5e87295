//! `callqa link`: recompute repeat-call links and first-contact resolution over every stored
//! call (after merging databases, or with another window or topic file).

use super::{print_link_summary, GlobalArgs, RepeatArgs};
use callqa::pipeline::link_repeats;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct LinkArgs {
    #[command(flatten)]
    pub repeat: RepeatArgs,
}

pub fn run(global: &GlobalArgs, args: LinkArgs) -> anyhow::Result<ExitCode> {
    let config = args.repeat.config()?;
    let topics = args.repeat.topics()?;
    let mut store = global.open_store()?;
    let summary = link_repeats(&mut store, None, &topics, &config)?;
    if !global.quiet {
        print_link_summary(global, &summary);
    }
    Ok(ExitCode::SUCCESS)
}
