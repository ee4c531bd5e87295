//! `callqa review CALL... --out DIR [--keep-pii] [--no-audio]`: one self-contained HTML page
//! per call (header, flags, scorecards with evidence and tips, transcript in speaker lanes, the
//! audio embedded with personal data muted, a timeline) and an `index.html` listing them.

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::review::{build_page, render_index, ReviewOptions};
use callqa::store::{page_name, Store};
use clap::Args;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// Calls: your call id, the audio hash or a unique prefix of it (4+ hex digits), or the
    /// audio file's stored path.
    #[arg(required = true)]
    pub calls: Vec<String>,
    /// Folder to write the pages into (created, private to its owner, if missing).
    #[arg(long)]
    pub out: std::path::PathBuf,
    #[command(flatten)]
    pub page: PageArgs,
}

/// How review pages are written (also `sample --review`).
#[derive(Args, Debug, Clone, Copy)]
pub struct PageArgs {
    /// Leave personal data audible in the embedded audio and as stored in the text (default:
    /// redacted words' times replaced by a tone, the text redacted).
    #[arg(long)]
    pub keep_pii: bool,
    /// Leave the audio out of the pages.
    #[arg(long)]
    pub no_audio: bool,
}

pub fn run(global: &GlobalArgs, args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open(&global.db)
        .with_context(|| format!("opening database {}", global.db.display()))?;
    let mut hashes = Vec::new();
    for key in &args.calls {
        let id = store.lookup_call(key)?;
        if !hashes.contains(&id) {
            hashes.push(id);
        }
    }
    let title = format!("callqa review: {} call(s)", hashes.len());
    write_pages(global, &store, &hashes, &args.out, args.page, &title)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a page per call (by audio hash) and `index.html` into `dir`; every file 0600.
pub fn write_pages(
    global: &GlobalArgs,
    store: &Store,
    hashes: &[String],
    dir: &Path,
    page: PageArgs,
    title: &str,
) -> anyhow::Result<()> {
    create_private_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut pages: HashMap<String, (String, String)> = HashMap::new();
    for h in hashes {
        let shown = store.display_id(h)?.unwrap_or_else(|| h.clone());
        let name = page_name(&shown, h);
        pages.insert(h.clone(), (shown, name));
    }
    let options = ReviewOptions {
        keep_pii: page.keep_pii,
        no_audio: page.no_audio,
    };
    let mut entries = Vec::new();
    for h in hashes {
        let built = build_page(store, h, options, &pages)?;
        let path = dir.join(&built.entry.page);
        write_private(&path, built.html.as_bytes())?;
        if let Some(note) = &built.audio_note {
            if !page.no_audio {
                log::warn!("{}: no audio in the page ({note})", built.entry.id);
            }
        }
        if !global.quiet {
            eprintln!(
                "wrote {} ({} KiB{})",
                path.display(),
                built.html.len() / 1024,
                if built.muted.is_empty() {
                    String::new()
                } else {
                    format!(", {} span(s) of personal data muted", built.muted.len())
                }
            );
        }
        entries.push(built.entry);
    }
    let index = dir.join("index.html");
    write_private(&index, render_index(title, &entries).as_bytes())?;
    if !global.quiet {
        eprintln!("wrote {}", index.display());
    }
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = callqa::report::output::create_private(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .with_context(|| format!("writing {}", path.display()))
}

/// A folder for pages that hold what customers said: created readable by its owner only.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
