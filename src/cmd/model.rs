//! `callqa model import|download|list`.

use super::GlobalArgs;
use anyhow::Context;
use callqa::asr::ggml::{import_ct2, Quantization};
use callqa::asr::model::{self, models_dir};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ModelCommand {
    /// Convert a CTranslate2 (faster-whisper) Whisper model folder to a whisper.cpp ggml file.
    Import {
        /// Folder with model.bin, config.json and tokenizer.json.
        ct2_dir: PathBuf,
        /// Output file (default: models/ggml-<size>[.en][-quant].bin).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Weight format for the matrices: f16, q8_0 or q5_1.
        #[arg(long, default_value = "f16")]
        quantize: Quantization,
    },
    /// Download one of whisper.cpp's published ggml models (needs internet), checksum-verified.
    Download {
        /// tiny.en, tiny, base.en, base, small.en, small.
        name: String,
        #[arg(long, default_value = "models")]
        dir: PathBuf,
    },
    /// List the model folders in search order, the models in them, and the published ones
    /// that can be downloaded.
    List {
        /// Only this folder.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

pub fn run(_global: &GlobalArgs, command: ModelCommand) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match command {
        ModelCommand::Import {
            ct2_dir,
            out,
            quantize,
        } => {
            let dir = models_dir();
            let target = match out {
                Some(p) => p,
                None => {
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                    dir.join(".import-in-progress.bin")
                }
            };
            let summary = import_ct2(&ct2_dir, &target, quantize)
                .with_context(|| format!("importing {}", ct2_dir.display()))?;
            let final_path = if target.ends_with(".import-in-progress.bin") {
                let size = match summary.n_audio_layer {
                    4 => "tiny",
                    6 => "base",
                    12 => "small",
                    24 => "medium",
                    _ => "large",
                };
                let lang = if summary.multilingual { "" } else { ".en" };
                let quant = match quantize {
                    Quantization::F16 => String::new(),
                    q => format!("-{q}"),
                };
                let p = dir.join(format!("ggml-{size}{lang}{quant}.bin"));
                std::fs::rename(&target, &p)
                    .with_context(|| format!("moving model to {}", p.display()))?;
                p
            } else {
                target
            };
            writeln!(
                stdout,
                "wrote {} ({} tensors, {:.1} MiB, n_vocab {}, {} mels, {})",
                final_path.display(),
                summary.tensors_written,
                summary.bytes_written as f64 / (1024.0 * 1024.0),
                summary.n_vocab,
                summary.n_mels,
                if summary.multilingual {
                    "multilingual"
                } else {
                    "English-only"
                }
            )?;
        }
        ModelCommand::Download { name, dir } => {
            let path = model::download(&name, &dir)?;
            writeln!(stdout, "downloaded {}", path.display())?;
        }
        ModelCommand::List { dir } => {
            // Without --dir: every folder the default model is looked up in, in that order.
            let dirs = match dir {
                Some(d) => vec![d],
                None => model::model_dirs(),
            };
            writeln!(
                stdout,
                "model folders, searched in this order (after --model and {}):",
                model::MODEL_ENV
            )?;
            for (i, d) in dirs.iter().enumerate() {
                writeln!(
                    stdout,
                    "  {}. {}{}",
                    i + 1,
                    d.display(),
                    if d.is_dir() { "" } else { " (missing)" }
                )?;
            }
            let local: Vec<_> = dirs.iter().flat_map(|d| model::list_local(d)).collect();
            if local.is_empty() {
                writeln!(stdout, "no local models")?;
            }
            for m in local {
                writeln!(
                    stdout,
                    "{}\t{:.1} MiB",
                    m.path.display(),
                    m.bytes as f64 / (1024.0 * 1024.0)
                )?;
            }
            writeln!(stdout, "\npublished (callqa model download NAME):")?;
            for m in model::PUBLISHED {
                writeln!(stdout, "  {}\t~{} MiB", m.name, m.size_mib)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
