//! What a batch will do before it does any of it: the input files (folders walked, a manifest
//! read, names matched), each file's metadata, this shard's share, and the inputs that already
//! failed (missing, outside `--confine`, a bad manifest row).

use super::{collect_inputs, confine_check, shard_identity, Shard, ShardError};
use crate::transcript::meta::{self, CallMeta, MetaError, NamePattern};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the batch's inputs come from (the `score` command's flags).
#[derive(Debug, Default)]
pub struct PlanRequest<'a> {
    /// Files and folders named on the command line.
    pub inputs: &'a [PathBuf],
    pub manifest: Option<&'a Path>,
    /// Manifest files must lie under the manifest's folder.
    pub confine: bool,
    /// A regular expression reading metadata from file names.
    pub name_pattern: Option<&'a str>,
    /// `K/N` or `auto` (read from Slurm or a Kubernetes Indexed Job).
    pub shard: Option<&'a str>,
    pub follow_symlinks: bool,
}

/// The files a batch transcribes, what is known about each, and the inputs that failed.
#[derive(Debug, Default)]
pub struct BatchPlan {
    pub files: Vec<PathBuf>,
    pub metadata: HashMap<PathBuf, CallMeta>,
    /// Each input that cannot be done, with why; they count as failed files of the run.
    pub input_errors: Vec<(PathBuf, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Meta(#[from] MetaError),
    #[error(transparent)]
    Shard(#[from] ShardError),
}

/// Reads the manifest, walks the inputs, applies the name pattern (a manifest row wins) and
/// keeps this shard's share. Only an unreadable manifest, a bad pattern or a bad shard spec is
/// an error; a bad input is one of `input_errors`.
pub fn plan(request: &PlanRequest) -> Result<BatchPlan, PlanError> {
    let mut inputs = request.inputs.to_vec();
    let mut metadata = HashMap::new();
    let mut listed_but_missing = Vec::new();
    if let Some(path) = request.manifest {
        let manifest = meta::read_manifest(path)?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        for (file, meta) in manifest.entries {
            if request.confine {
                if let Err(reason) = confine_check(&folder, &file) {
                    listed_but_missing.push((file, reason));
                    continue;
                }
            }
            inputs.push(file.clone());
            metadata.insert(file, meta);
        }
        listed_but_missing.extend(manifest.missing);
    }
    let (files, mut input_errors) = collect_inputs(&inputs, request.follow_symlinks);
    input_errors.extend(listed_but_missing);
    if let Some(pattern) = request.name_pattern {
        let pattern = NamePattern::new(pattern)?;
        for f in &files {
            if !metadata.contains_key(f) {
                if let Some(meta) = pattern.meta(f) {
                    metadata.insert(f.clone(), meta);
                }
            }
        }
    }
    // A shard of a Kubernetes Indexed Job or Slurm array takes its share, and only its share.
    let shard = match request.shard {
        None => None,
        Some("auto") => Some(Shard::from_env(|name| std::env::var(name).ok())?),
        Some(spec) => Some(Shard::parse(spec)?),
    };
    let (files, input_errors) = match shard {
        None => (files, input_errors),
        Some(shard) => {
            let mine = |path: &Path, meta: Option<&CallMeta>| {
                let external = meta.and_then(|m| m.external_id.as_deref());
                shard.owns(&shard_identity(path, external))
            };
            let files: Vec<_> = files
                .into_iter()
                .filter(|f| mine(f, metadata.get(f)))
                .collect();
            let input_errors: Vec<_> = input_errors
                .into_iter()
                .filter(|(p, _)| mine(p, None))
                .collect();
            log::info!("shard {shard}: {} file(s) of the batch", files.len());
            (files, input_errors)
        }
    };
    Ok(BatchPlan {
        files,
        metadata,
        input_errors,
    })
}
