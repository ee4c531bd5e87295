//! What a batch will do before it does any of it: the input files (folders walked, a manifest
//! read, names matched), each file's metadata, this shard's share, and the inputs that already
//! failed (missing, outside `--confine`, a bad manifest row).

use super::{collect_inputs, confine_check, shard_identity, Shard, ShardError};
use crate::transcript::meta::{self, CallMeta, MetaError, NamePattern};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the batch's inputs come from (the `score` command's flags).
#[derive(Debug, Default, Clone, Copy)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_joins_manifest_names_and_shards_and_keeps_bad_inputs_as_errors() {
        let dir = tempfile::tempdir().unwrap();
        let calls = dir.path().join("calls");
        std::fs::create_dir(&calls).unwrap();
        for f in [
            "AGENT_ann_1.wav",
            "AGENT_bob_2.wav",
            "listed.wav",
            "notes.txt",
        ] {
            std::fs::write(calls.join(f), b"x").unwrap();
        }
        let manifest = dir.path().join("calls.csv");
        std::fs::write(
            &manifest,
            "call_id,file,agent_id\nT-1,calls/listed.wav,carol\nT-2,calls/gone.wav,dave\nT-3,calls/AGENT_ann_1.wav,erin\n",
        )
        .unwrap();
        let inputs = [calls.clone(), dir.path().join("missing")];
        let request = PlanRequest {
            inputs: &inputs,
            manifest: Some(&manifest),
            name_pattern: Some("AGENT_(?P<agent>[a-z]+)_"),
            ..Default::default()
        };
        let whole = plan(&request).unwrap();
        let names: Vec<_> = whole
            .files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["AGENT_ann_1.wav", "AGENT_bob_2.wav", "listed.wav"]);
        let agent = |f: &str| whole.metadata[&calls.join(f)].agent_id.clone();
        // A manifest row wins over the file name; a name the manifest does not list is read.
        assert_eq!(agent("AGENT_ann_1.wav").as_deref(), Some("erin"));
        assert_eq!(agent("AGENT_bob_2.wav").as_deref(), Some("bob"));
        assert_eq!(agent("listed.wav").as_deref(), Some("carol"));
        let failed: Vec<_> = whole.input_errors.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(failed.len(), 2, "{:?}", whole.input_errors);
        assert!(failed.contains(&dir.path().join("missing")), "{failed:?}");
        assert!(failed.contains(&calls.join("gone.wav")), "{failed:?}");

        // Two shards split the files (and the input errors) between them, each file once.
        let shares: Vec<BatchPlan> = ["1/2", "2/2"]
            .iter()
            .map(|s| {
                plan(&PlanRequest {
                    shard: Some(s),
                    ..request
                })
                .unwrap()
            })
            .collect();
        let mut all: Vec<_> = shares.iter().flat_map(|p| p.files.clone()).collect();
        all.sort();
        assert_eq!(all, whole.files);
        let errors: usize = shares.iter().map(|p| p.input_errors.len()).sum();
        assert_eq!(errors, whole.input_errors.len());

        // A bad pattern or shard is the batch's error, before any work.
        assert!(plan(&PlanRequest {
            name_pattern: Some("(?P<agent>"),
            ..request
        })
        .is_err());
        assert!(plan(&PlanRequest {
            shard: Some("3/2"),
            ..request
        })
        .is_err());
    }
}
