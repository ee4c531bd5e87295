//! `callqa rubric check FILE...`: validate rubric files, reporting every problem with
//! file:line:column.

use super::GlobalArgs;
use callqa::analysis::rubric::{rubric_files, RubricSet};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum RubricCommand {
    /// Check rubric files (or folders of them) and list each one's criteria.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run(global: &GlobalArgs, command: RubricCommand) -> anyhow::Result<ExitCode> {
    let RubricCommand::Check { files } = command;
    let files = rubric_files(&files)?;
    let mut bad = 0;
    let mut out = std::io::stdout().lock();
    // One at a time, so every file's problems are reported, not just the first file's.
    for file in &files {
        match RubricSet::load(std::slice::from_ref(file)) {
            Ok(set) => {
                if !global.quiet {
                    for r in &set.rubrics {
                        let criteria = r.criteria().count();
                        let critical = r.criteria().filter(|(_, c)| c.critical).count();
                        writeln!(
                            out,
                            "ok {}: {} v{} \"{}\": {} section(s), {} criteria ({} critical), {} condition(s)",
                            file.display(),
                            r.id,
                            r.version,
                            r.title,
                            r.sections.len(),
                            criteria,
                            critical,
                            r.conditions.len()
                        )?;
                    }
                }
            }
            Err(e) => {
                bad += 1;
                for issue in e.issues() {
                    eprintln!("{issue}");
                }
            }
        }
    }
    if bad > 0 {
        eprintln!("callqa: {bad} of {} rubric file(s) invalid", files.len());
        Ok(ExitCode::from(super::EXIT_SOME_FAILED))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
