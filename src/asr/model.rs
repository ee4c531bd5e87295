//! Where model files come from: resolution order, the local catalogue, and downloads of
//! whisper.cpp's published ggml models for users with internet access.

use sha1::{Digest, Sha1};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub const DEFAULT_MODEL_PATH: &str = "models/ggml-tiny.en.bin";
pub const MODEL_ENV: &str = "CALLQA_MODEL";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no Whisper model at {path} ({source_of_path}; model folders searched in order: {}). Get one with `scripts/setup.sh` (imports tiny.en offline), `callqa model import <CT2_DIR>`, or `callqa model download tiny.en`; or point --model / {MODEL_ENV} at a ggml file", search_order())]
    Missing {
        path: PathBuf,
        source_of_path: &'static str,
    },
    #[error("unknown model {0:?}; known: {1}")]
    Unknown(String, String),
    #[error("download of {url} failed: {reason}")]
    Download { url: String, reason: String },
    #[error("checksum mismatch for {name}: expected sha1 {expected}, got {actual}; the partial file was removed")]
    Checksum {
        name: String,
        expected: String,
        actual: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A whisper.cpp model as published, with the SHA-1 its maintainers list for it.
#[derive(Debug, Clone, Copy)]
pub struct PublishedModel {
    pub name: &'static str,
    pub sha1: &'static str,
    pub size_mib: u32,
}

pub const PUBLISHED: &[PublishedModel] = &[
    PublishedModel {
        name: "tiny.en",
        sha1: "c78c86eb1a8faa21b369bcd33207cc90d64ae9df",
        size_mib: 75,
    },
    PublishedModel {
        name: "tiny",
        sha1: "bd577a113a864445d4c299885e0cb97d4ba92b5f",
        size_mib: 75,
    },
    PublishedModel {
        name: "base.en",
        sha1: "137c40403d78fd54d454da0f9bd998f78703390c",
        size_mib: 142,
    },
    PublishedModel {
        name: "base",
        sha1: "465707469ff3a37a2b9b8d8f89f2f99de7299dac",
        size_mib: 142,
    },
    PublishedModel {
        name: "small.en",
        sha1: "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022",
        size_mib: 466,
    },
    PublishedModel {
        name: "small",
        sha1: "55356645c2b361a969dfd0ef2c5a50d530afd8d5",
        size_mib: 466,
    },
];

const DOWNLOAD_BASE: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

/// `--model` > `CALLQA_MODEL` > `ggml-tiny.en.bin` in the model folders ([`model_dirs`]).
/// A bare name such as `base.en` (or the default's path, `models/ggml-tiny.en.bin`) is looked
/// up as `ggml-NAME.bin` in each model folder in turn, so callqa finds its models from any
/// working directory; a path that exists is used as it is.
pub fn resolve_model(cli: Option<&Path>) -> Result<PathBuf, ModelError> {
    let (path, source_of_path) = match cli {
        Some(p) => (p.to_path_buf(), "from --model"),
        None => match std::env::var_os(MODEL_ENV) {
            Some(p) if !p.is_empty() => (PathBuf::from(p), "from CALLQA_MODEL"),
            _ => (PathBuf::from(DEFAULT_MODEL_PATH), "the default"),
        },
    };
    if path.is_file() {
        return Ok(path);
    }
    // The default path, a bare name, or `models/NAME` relative to a checkout.
    let file_name = match path.to_str() {
        Some(p) if p == DEFAULT_MODEL_PATH => {
            Some(DEFAULT_MODEL_PATH.trim_start_matches("models/").to_string())
        }
        Some(name) if !name.contains('/') && !name.is_empty() => Some(if name.ends_with(".bin") {
            name.to_string()
        } else {
            format!("ggml-{name}.bin")
        }),
        _ => None,
    };
    if let Some(file) = file_name {
        for dir in model_dirs() {
            let candidate = dir.join(&file);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(ModelError::Missing {
        path,
        source_of_path,
    })
}

/// Where models are looked for, in order: `./models`, the user's data folder
/// (`$XDG_DATA_HOME/callqa/models`, else `~/.local/share/callqa/models`; `setup.sh` links the
/// models it makes there), the `models/` of the checkout the binary was built from (so a
/// `cargo install --path .` binary finds them), and the `models/` beside a binary run from a
/// checkout's `target/release/`. Folders that do not exist are listed all the same.
pub fn model_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![models_dir()];
    if let Some(data) = user_data_dir() {
        dirs.push(data.join("models"));
    }
    for checkout in checkouts() {
        dirs.push(checkout.join("models"));
    }
    let mut seen = std::collections::HashSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

/// `$XDG_DATA_HOME/callqa`, else `$HOME/.local/share/callqa`.
pub fn user_data_dir() -> Option<PathBuf> {
    match std::env::var_os("XDG_DATA_HOME") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d).join("callqa")),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".local/share/callqa")),
    }
}

/// Checkouts callqa may ship files from: the one it was built from (when it still exists), and
/// the one around a binary run from its `target/<profile>/`.
pub fn checkouts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if built.is_dir() {
        out.push(built);
    }
    if let Some(beside) = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
    {
        if beside.join("Cargo.toml").is_file() && !out.contains(&beside) {
            out.push(beside);
        }
    }
    out
}

/// The model folders, as error messages and `model list` show them.
pub fn search_order() -> String {
    model_dirs()
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn models_dir() -> PathBuf {
    PathBuf::from("models")
}

#[derive(Debug, Clone)]
pub struct LocalModel {
    pub path: PathBuf,
    pub bytes: u64,
}

pub fn list_local(dir: &Path) -> Vec<LocalModel> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<LocalModel> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("ggml-") && n.ends_with(".bin"))
        })
        .filter_map(|e| {
            Some(LocalModel {
                bytes: e.metadata().ok()?.len(),
                path: e.path(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

pub fn published(name: &str) -> Result<PublishedModel, ModelError> {
    PUBLISHED
        .iter()
        .find(|m| m.name == name)
        .copied()
        .ok_or_else(|| {
            ModelError::Unknown(
                name.to_string(),
                PUBLISHED
                    .iter()
                    .map(|m| m.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
}

/// Downloads a published ggml model into `dir`, verifying its SHA-1 before it is renamed into
/// place, so an interrupted or tampered download never looks like a model.
pub fn download(name: &str, dir: &Path) -> Result<PathBuf, ModelError> {
    let model = published(name)?;
    let url = format!("{DOWNLOAD_BASE}/ggml-{name}.bin");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ModelError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let target = dir.join(format!("ggml-{name}.bin"));
    let partial = dir.join(format!(".ggml-{name}.bin.part"));
    let response = ureq::get(&url).call().map_err(|e| ModelError::Download {
        url: url.clone(),
        reason: e.to_string(),
    })?;
    let mut reader = response.into_body().into_reader();
    let mut file = std::fs::File::create(&partial).map_err(io(&partial))?;
    let mut hasher = Sha1::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf).map_err(|e| ModelError::Download {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(io(&partial))?;
    }
    file.sync_all().map_err(io(&partial))?;
    let actual = hex(&hasher.finalize());
    if actual != model.sha1 {
        let _ = std::fs::remove_file(&partial);
        return Err(ModelError::Checksum {
            name: name.to_string(),
            expected: model.sha1.to_string(),
            actual,
        });
    }
    std::fs::rename(&partial, &target).map_err(io(&target))?;
    Ok(target)
}

/// Lower-case hex of a digest: how model files, audio and rubric texts are named by their
/// sha256.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_path_wins_and_missing_model_says_how_to_get_one() {
        let err = resolve_model(Some(Path::new("/nonexistent/ggml-x.bin"))).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/ggml-x.bin"), "{msg}");
        assert!(msg.contains("scripts/setup.sh"), "{msg}");
        assert!(msg.contains("model download"), "{msg}");
    }

    #[test]
    fn unknown_published_model_lists_known_ones() {
        let msg = published("huge").unwrap_err().to_string();
        assert!(msg.contains("tiny.en") && msg.contains("base"), "{msg}");
    }
}
