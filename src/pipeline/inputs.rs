//! The batch's inputs: files and folders walked into audio files, manifest paths kept under
//! their folder, and a call's identity (the hash of its bytes).

use super::*;

/// Extensions picked up when walking folders (files named explicitly are always tried).
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac", "aif", "aiff", "caf",
    "mka", "webm",
];

/// Expands files and folders (recursively) into the audio files to process, sorted, without
/// duplicates. Inputs that do not exist are returned as errors for the caller to report.
/// Symbolic links met while walking a folder are followed only with `follow_symlinks`: a link
/// in a recordings folder can point anywhere (a link to /etc/shadow was opened and its size
/// logged). A skipped link with an audio extension is reported as that file's error; inputs
/// named explicitly are always followed.
pub fn collect_inputs(
    inputs: &[PathBuf],
    follow_symlinks: bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input).follow_links(follow_symlinks) {
                match entry {
                    Ok(e) if e.file_type().is_file() && has_audio_extension(e.path()) => {
                        files.push(e.into_path())
                    }
                    Ok(e) if e.path_is_symlink() && !follow_symlinks => {
                        if has_audio_extension(e.path()) {
                            errors.push((
                                e.into_path(),
                                "a symbolic link, not followed (--follow-symlinks follows links in folders)"
                                    .to_string(),
                            ));
                        } else {
                            log::info!(
                                "{}: symbolic link not followed",
                                crate::analysis::pii::display_path(e.path())
                            );
                        }
                    }
                    Ok(_) => {}
                    Err(err) => errors.push((
                        err.path().unwrap_or(input).to_path_buf(),
                        format!("cannot list: {err}"),
                    )),
                }
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            errors.push((input.clone(), "no such file or directory".to_string()));
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// `--confine`: a manifest's file must stay under the manifest's folder, links resolved (an
/// absolute path, a `..` or a symbolic link leading out of it is that row's error). Returns
/// the reason when it does not.
pub fn confine_check(folder: &Path, file: &Path) -> Result<(), String> {
    let outside = || {
        format!(
            "outside the manifest's folder {} (--confine)",
            folder.display()
        )
    };
    let folder = folder
        .canonicalize()
        .map_err(|e| format!("cannot resolve the manifest's folder: {e}"))?;
    match file.canonicalize() {
        Ok(real) if real.starts_with(&folder) => Ok(()),
        Ok(_) => Err(outside()),
        // Not there: judge the path as written.
        Err(_) if lexically_under(file, &folder) => Ok(()),
        Err(_) => Err(outside()),
    }
}

/// Whether `path` (absolute, or relative to the current directory) stays under `folder` once
/// `.` and `..` are applied, without touching the file system.
fn lexically_under(path: &Path, folder: &Path) -> bool {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(dir) => dir.join(path),
            Err(_) => return false,
        }
    };
    let mut parts: Vec<Component> = Vec::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(parts.last(), Some(Component::Normal(_))) {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect::<PathBuf>().starts_with(folder)
}

fn has_audio_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// SHA-256 of the file's bytes: a call's identity, whatever its path or name.
pub fn audio_hash(path: &Path) -> Result<String, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::asr::model::hex(&hasher.finalize()))
}
