//! What callqa writes for people and other programs: files that are private to their owner and
//! never written through a symbolic link, standard output that cannot steer a terminal, and CSV
//! cells a spreadsheet will not run as formulas. Exports and reports carry what customers said,
//! and their metadata comes from telephony systems callqa does not control.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Creates (or empties) `path` for writing, readable and writable by its owner only (mode 0600).
/// A symbolic link at `path` is refused, never followed: a link planted where a report is
/// written would otherwise let callqa overwrite whatever it points to. An existing file is made
/// 0600 as well, since what is written into it is as private as a new file's content.
pub fn create_private(path: &Path) -> io::Result<File> {
    refuse_link(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    no_follow_private(&mut options);
    let file = options.open(path).map_err(|e| link_error(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = file.metadata()?;
        // Only a regular file: `--out /dev/null` or a named pipe keeps its mode.
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// Creates `path` empty and private (0600) unless something is already there; never through a
/// symbolic link (a dangling link is refused). Leaves existing content alone: two runs creating
/// the same database at once must both go on.
pub fn create_private_if_missing(path: &Path) -> io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    refuse_link(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    no_follow_private(&mut options);
    options
        .open(path)
        .map(drop)
        .map_err(|e| link_error(path, e))
}

fn refuse_link(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(symlink_refused(path)),
        _ => Ok(()),
    }
}

fn symlink_refused(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is a symbolic link; callqa does not write through links (remove it or choose another path)",
            path.display()
        ),
    )
}

/// A link put in place between the check and the open fails the open (`O_NOFOLLOW`): the same
/// message.
fn link_error(path: &Path, e: io::Error) -> io::Error {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return symlink_refused(path);
    }
    let _ = path;
    e
}

fn no_follow_private(options: &mut std::fs::OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// Where a command's output goes: the file `out` (created with [`create_private`]) or standard
/// output, which on a terminal passes through [`TerminalSafe`].
pub fn sink(out: Option<&Path>) -> io::Result<Box<dyn Write>> {
    Ok(match out {
        Some(path) => Box::new(io::BufWriter::new(create_private(path)?)),
        None => stdout(),
    })
}

/// Standard output, buffered; on a terminal every control character but line breaks and tabs is
/// written as a visible escape.
pub fn stdout() -> Box<dyn Write> {
    let out = io::stdout();
    if out.is_terminal() {
        Box::new(TerminalSafe::new(io::BufWriter::new(out.lock())))
    } else {
        Box::new(io::BufWriter::new(out.lock()))
    }
}

/// `s` with every control character (C0, DEL, C1) written as a visible escape (`\u{1b}`, `\n`),
/// for a value shown on one line of a table or a listing: an agent id such as
/// `"\x1b]0;owned\x07\x1b[2J"` from a manifest cannot retitle or clear the reader's terminal,
/// nor break a line to forge the next one.
pub fn one_line(s: &str) -> Cow<'_, str> {
    escape_controls(s, |_| false)
}

/// [`one_line`] keeping line breaks and tabs, for text of several lines.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_controls(s, |c| c == '\n' || c == '\t')
}

fn escape_controls(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && !keep(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer for a terminal: bytes of control characters other than `\n` and `\t` (C0, DEL, and
/// C1 as UTF-8 encodes them) are written as escapes, as [`text`] writes them; everything else
/// passes unchanged.
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// A 0xC2 byte whose next byte decides whether it starts a C1 control.
    pending_c2: bool,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe {
            inner,
            pending_c2: false,
        }
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        for &b in buf {
            if self.pending_c2 {
                self.pending_c2 = false;
                if (0x80..=0x9f).contains(&b) {
                    out.extend(char::from(b).escape_default().to_string().bytes());
                    continue;
                }
                out.push(0xc2);
            }
            match b {
                0xc2 => self.pending_c2 = true,
                b'\n' | b'\t' => out.push(b),
                0..=0x1f | 0x7f => out.extend(char::from(b).escape_default().to_string().bytes()),
                _ => out.push(b),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        if self.pending_c2 {
            let _ = self.inner.write_all(&[0xc2]);
        }
        let _ = self.inner.flush();
    }
}

/// A CSV text cell as a spreadsheet may safely open it: one starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be run as a formula (`=cmd|' /C calc'!A0`, `@SUM(1+1)`), so
/// it gets a leading `'`, which spreadsheets read as "text". Only for text: numbers callqa
/// writes as numbers (a negative score or trend) stay numbers.
pub fn csv_text(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_plain_text_is_not() {
        for (cell, safe) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+15558675309", "'+15558675309"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(csv_text(cell), safe);
        }
        for plain in ["ChrisL", "2025-02-19T06:01:22", "", "a=b", "billing-2"] {
            assert!(matches!(csv_text(plain), Cow::Borrowed(_)), "{plain}");
        }
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let hostile = "x\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\r\nnext";
        let shown = one_line(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(
            shown,
            "x\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{9b}31m\\r\\nnext"
        );
        assert_eq!(text("a\n\tb\u{7}"), "a\n\tb\\u{7}");
        assert!(matches!(one_line("שלום, Привет"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_terminal_writer_escapes_what_the_string_helper_escapes() {
        let hostile = "ok\u{1b}[2J \u{85}é\u{9b}\r\n\tשלום\u{7f}";
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out);
            // Byte by byte: a C1 control split across writes is still caught.
            for b in hostile.as_bytes() {
                w.write_all(std::slice::from_ref(b)).unwrap();
            }
        }
        assert_eq!(String::from_utf8(out).unwrap(), text(hostile));
    }

    #[cfg(unix)]
    #[test]
    fn output_files_are_private_and_links_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        let mut f = create_private(&path).unwrap();
        f.write_all(b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);

        let shared = dir.path().join("shared.csv");
        std::fs::write(&shared, b"old").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
        create_private(&shared).unwrap();
        assert_eq!(mode(&shared), 0o600);
        assert_eq!(std::fs::read(&shared).unwrap(), b"");

        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = create_private(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");

        let dangling = dir.path().join("dangling.db");
        std::os::unix::fs::symlink(dir.path().join("elsewhere.db"), &dangling).unwrap();
        assert!(create_private_if_missing(&dangling).is_err());
        assert!(!dir.path().join("elsewhere.db").exists());
        let db = dir.path().join("new.db");
        create_private_if_missing(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
    }
}
