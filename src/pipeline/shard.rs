//! Sharded runs: each worker of a Kubernetes Indexed Job or a Slurm array takes a deterministic,
//! balanced share of the inputs and writes its own database; `callqa merge` joins them.
//!
//! A file's share is decided by a hash of its identity — the manifest's `call_id` when there is
//! one, else the file's name — not by its position in a listing, so every worker agrees without
//! talking to the others, whatever path the calls are mounted at, and adding files never moves
//! the ones already assigned. Hashing the audio bytes would say the same but makes every worker
//! read every file.

use sha2::{Digest, Sha256};
use std::path::Path;

/// One share of a batch: number `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ShardError {
    #[error("--shard expects K/N with 1 <= K <= N (e.g. 2/8), or auto; got {0:?}")]
    Syntax(String),
    #[error("--shard auto: {0}")]
    Environment(String),
}

impl Shard {
    /// "K/N", 1-based as people count (`2/8` is the second of eight).
    pub fn parse(s: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError::Syntax(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard {
            index: k - 1,
            count: n,
        })
    }

    /// The share a batch engine gives this process, from its environment:
    /// Slurm arrays (`SLURM_ARRAY_TASK_ID` - `SLURM_ARRAY_TASK_MIN` of `SLURM_ARRAY_TASK_COUNT`)
    /// or Kubernetes Indexed Jobs (`JOB_COMPLETION_INDEX`, 0-based, of `CALLQA_SHARD_COUNT`,
    /// which the Job sets to its `completions`: Kubernetes does not pass the count).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let number = |name: &str| -> Result<Option<u64>, ShardError> {
            match var(name) {
                None => Ok(None),
                Some(v) => v.trim().parse().map(Some).map_err(|_| {
                    ShardError::Environment(format!("{name}={v:?} is not a whole number"))
                }),
            }
        };
        let shard = if let Some(task) = number("SLURM_ARRAY_TASK_ID")? {
            let count = number("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
                ShardError::Environment(
                    "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not".into(),
                )
            })?;
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            Shard {
                index: task.checked_sub(min).ok_or_else(|| {
                    ShardError::Environment(format!(
                        "SLURM_ARRAY_TASK_ID {task} is below SLURM_ARRAY_TASK_MIN {min}"
                    ))
                })?,
                count,
            }
        } else if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let count = number("CALLQA_SHARD_COUNT")?.ok_or_else(|| {
                ShardError::Environment(
                    "JOB_COMPLETION_INDEX is set but CALLQA_SHARD_COUNT is not (set it to the Job's completions)"
                        .into(),
                )
            })?;
            Shard { index, count }
        } else {
            return Err(ShardError::Environment(
                "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set".into(),
            ));
        };
        if shard.count == 0 || shard.index >= shard.count {
            return Err(ShardError::Environment(format!(
                "index {} is outside a count of {} (array indexes must be contiguous)",
                shard.index, shard.count
            )));
        }
        Ok(shard)
    }

    /// Whether the file with this identity is this shard's.
    pub fn owns(&self, identity: &str) -> bool {
        let digest = Sha256::digest(identity.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index
    }
}

/// A file's identity for sharding: the manifest's call id, else its file name.
pub fn identity(path: &Path, external_call_id: Option<&str>) -> String {
    match external_call_id {
        Some(id) => format!("call:{id}"),
        None => format!(
            "file:{}",
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        ),
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index + 1, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn parses_k_of_n() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 1, count: 8 }));
        assert_eq!(Shard::parse("1/1").unwrap().to_string(), "1/1");
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_slurm_and_kubernetes_environments() {
        let env = |pairs: &[(&str, &str)]| {
            let map: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            move |name: &str| map.get(name).cloned()
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ]);
        assert_eq!(Shard::from_env(slurm), Ok(Shard { index: 4, count: 8 }));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0"), ("CALLQA_SHARD_COUNT", "3")]);
        assert_eq!(Shard::from_env(k8s), Ok(Shard { index: 0, count: 3 }));
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).is_err());
        assert!(Shard::from_env(env(&[
            ("JOB_COMPLETION_INDEX", "3"),
            ("CALLQA_SHARD_COUNT", "3")
        ]))
        .is_err());
        assert!(Shard::from_env(env(&[])).is_err());
        assert!(Shard::from_env(env(&[
            ("SLURM_ARRAY_TASK_ID", "x"),
            ("SLURM_ARRAY_TASK_COUNT", "2")
        ]))
        .is_err());
    }

    #[test]
    fn every_file_has_exactly_one_shard_and_shares_are_balanced() {
        let n = 4;
        let shards: Vec<Shard> = (0..n).map(|index| Shard { index, count: n }).collect();
        let mut sizes = vec![0usize; n as usize];
        for i in 0..4000 {
            let id = identity(
                Path::new(&format!("/calls/2026-11-0{}/call{i}.wav", i % 7)),
                None,
            );
            let owners: Vec<usize> = (0..n as usize).filter(|&k| shards[k].owns(&id)).collect();
            assert_eq!(owners.len(), 1);
            sizes[owners[0]] += 1;
        }
        assert!(
            sizes.iter().all(|&s| (850..=1150).contains(&s)),
            "{sizes:?}"
        );
    }

    #[test]
    fn the_share_depends_on_the_name_not_the_mount_point_or_the_other_files() {
        let s = Shard { index: 0, count: 3 };
        let a = identity(Path::new("/mnt/a/calls/x.wav"), None);
        let b = identity(Path::new("/data/x.wav"), None);
        assert_eq!(s.owns(&a), s.owns(&b));
        assert_ne!(
            identity(Path::new("x.wav"), Some("c-1")),
            identity(Path::new("x.wav"), None)
        );
    }
}
