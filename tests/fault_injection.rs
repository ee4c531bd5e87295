//! Fault injection against the real binary: a read-only database (file, folder, file system), a
//! full disk, a model file cut mid-tensor, a rubric alias bomb and `kill -9` while calls are being
//! committed. Each ends with a clear message and a database that passes `PRAGMA integrity_check`
//! and holds only whole calls. (`kill -9` during transcription is covered by e2e_batch.)
//!
//! The full-disk and read-only-file-system cases mount a small tmpfs, which needs root (or
//! CAP_SYS_ADMIN); elsewhere they fall back to a file-size limit (`ulimit -f`, a real EFBIG from
//! the kernel) and to file permissions, and print which branch ran.

mod common;

use common::*;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_callqa")
}

fn cmd(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(["--db", db.to_str().unwrap()])
        .args(["--model", model().to_str().unwrap()])
        .args(args)
        .env_remove("CALLQA_MODEL")
        .current_dir(root());
    c
}

/// A database with one real transcribed call (speech: utterances, metrics, three rubric results)
/// and one silent call, built once and copied by every test.
fn fixture() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("callqa-fault-fixture-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("fixture.db");
        let _ = std::fs::remove_file(&db);
        let out = cmd(
            &db,
            &[
                "-q",
                "score",
                "tests/data/speech_mono.ogg",
                "tests/data/silence_half_second.wav",
            ],
        )
        .output()
        .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        // Fold the WAL into the file so a copy of the one file is the whole database.
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        drop(conn);
        db
    })
}

fn copy_fixture(dir: &Path) -> PathBuf {
    let db = dir.join("qa.db");
    std::fs::copy(fixture(), &db).unwrap();
    db
}

/// A copy of the silent WAV with one sample byte changed: a new call (new sha256) that needs no
/// Whisper time, so commits follow each other quickly.
fn silent_variant(dir: &Path, n: u32) -> PathBuf {
    let mut bytes = std::fs::read(root().join("tests/data/silence_half_second.wav")).unwrap();
    let len = bytes.len();
    bytes[len - 2 - (n as usize % 4000) * 2] ^= 1 + (n / 4000) as u8;
    let path = dir.join(format!("silent_{n:04}.wav"));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn q(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// integrity_check is ok and every stored call is whole: metrics and one current result per
/// rubric; the speech call has its utterances. Returns the number of calls.
fn assert_intact(db: &Path) -> i64 {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .or_else(|_| Connection::open(db))
        .unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "{}", db.display());
    let calls = q(&conn, "SELECT count(*) FROM calls");
    assert_eq!(q(&conn, "SELECT count(*) FROM call_metrics"), calls);
    let rubrics = q(
        &conn,
        "SELECT count(DISTINCT rubric_id) FROM rubric_results",
    );
    assert_eq!(rubrics, 3);
    assert_eq!(
        q(&conn, "SELECT count(*) FROM calls c WHERE (SELECT count(DISTINCT rubric_id) FROM latest_rubric_results r WHERE r.call_id = c.call_id) <> 3"),
        0,
        "a call without a result per rubric"
    );
    assert_eq!(
        q(&conn, "SELECT count(*) FROM calls c WHERE c.path LIKE '%speech_mono%' AND NOT EXISTS (SELECT 1 FROM utterances u WHERE u.call_id = c.call_id)"),
        0,
        "the speech call lost its utterances"
    );
    calls
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A size-limited tmpfs at a fresh folder, unmounted on drop; None (with the reason printed)
/// where mounting is not allowed.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size_kib: u64) -> Option<Tmpfs> {
        let at = dir.join("fs");
        std::fs::create_dir_all(&at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_kib}k"), "tmpfs"])
            .arg(&at)
            .output()
            .ok()?;
        if out.status.success() {
            Some(Tmpfs(at))
        } else {
            println!(
                "tmpfs branch skipped: mount refused ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            None
        }
    }

    fn remount(&self, opts: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn sha(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

fn assert_read_only_refused(out: &Output, db: &Path) {
    let err = stderr_of(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
}

#[test]
fn a_read_only_database_is_refused_with_a_clear_message_and_left_intact() {
    let dir = tempfile::tempdir().unwrap();
    let new_call = silent_variant(dir.path(), 1);
    let mut branches = 0;

    // A read-only file system (what a read-only mount or a full-disk remount gives): needs root.
    if let Some(fs) = Tmpfs::mount(dir.path(), 4096) {
        let db = copy_fixture(&fs.0);
        let before = sha(&db);
        fs.remount("ro");
        let out = cmd(&db, &["score", new_call.to_str().unwrap()])
            .output()
            .unwrap();
        assert_read_only_refused(&out, &db);
        assert_eq!(sha(&db), before, "the database changed");
        assert_eq!(assert_intact(&db), 2);
        fs.remount("rw");
        branches += 1;
    }

    // File and folder permissions: root is not bound by them, so only as another user.
    if is_root() {
        println!("permission branches skipped: running as root, file modes do not bind root");
    } else {
        use std::os::unix::fs::PermissionsExt;
        let sub = dir.path().join("file");
        std::fs::create_dir_all(&sub).unwrap();
        let db = copy_fixture(&sub);
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
        let before = sha(&db);
        let out = cmd(&db, &["score", new_call.to_str().unwrap()])
            .output()
            .unwrap();
        assert_read_only_refused(&out, &db);
        assert_eq!(sha(&db), before);
        assert_eq!(assert_intact(&db), 2);

        let sub = dir.path().join("folder");
        std::fs::create_dir_all(&sub).unwrap();
        let db = copy_fixture(&sub);
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
        let before = sha(&db);
        let out = cmd(&db, &["score", new_call.to_str().unwrap()])
            .output()
            .unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_read_only_refused(&out, &db);
        assert!(stderr_of(&out).contains("folder"), "{}", stderr_of(&out));
        assert_eq!(sha(&db), before);
        assert_eq!(assert_intact(&db), 2);
        branches += 2;
    }
    assert!(branches > 0, "no read-only branch could run here");
}

/// Scores one new call with `space_kib` KiB left on a full tmpfs; returns whether it failed.
fn score_on_full_tmpfs(dir: &Path, space_kib: u64, call: &Path) -> Option<bool> {
    let fs = Tmpfs::mount(dir, 1024)?;
    let db = copy_fixture(&fs.0);
    // Fill what is left but `space_kib`.
    let avail = {
        let out = Command::new("df")
            .args(["-B1", "--output=avail"])
            .arg(&fs.0)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    let fill = avail.saturating_sub(space_kib * 1024);
    std::fs::write(fs.0.join("fill"), vec![0u8; fill as usize]).unwrap();
    let out = cmd(&db, &["score", call.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let failed = !out.status.success();
    if failed {
        assert!(matches!(out.status.code(), Some(1) | Some(2)), "{err}");
        assert!(
            err.contains("disk is full") || err.contains("disk I/O error"),
            "space {space_kib} KiB: {err}"
        );
        // Never an "ok" line for a call that was not stored.
        let name = call.display().to_string();
        assert!(
            !stdout
                .lines()
                .chain(err.lines())
                .any(|l| l.starts_with("ok ") && l.contains(&name)),
            "space {space_kib} KiB: reported ok but failed:\n{stdout}\n{err}"
        );
    }
    // Space again: the database is intact, and the same command stores the call.
    std::fs::remove_file(fs.0.join("fill")).unwrap();
    let calls = assert_intact(&db);
    assert!(calls == 2 || (calls == 3 && !failed), "{calls} calls");
    let again = cmd(&db, &["-q", "score", call.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr_of(&again));
    assert_eq!(assert_intact(&db), 3);
    Some(failed)
}

#[test]
fn a_full_disk_fails_clearly_and_the_database_stays_intact() {
    let dir = tempfile::tempdir().unwrap();
    let call = silent_variant(dir.path(), 2);
    let mut failures = 0;
    let mut ran = false;
    // From "no room for the -shm file" (fails at open) through "room for the WAL header but not
    // the transaction" (fails at commit) to enough room.
    for space in [16, 40, 44, 48, 56, 64, 96, 160] {
        let sub = dir.path().join(format!("space{space}"));
        std::fs::create_dir_all(&sub).unwrap();
        match score_on_full_tmpfs(&sub, space, &call) {
            Some(failed) => {
                ran = true;
                failures += usize::from(failed);
            }
            None => break,
        }
    }
    if ran {
        assert!(failures > 0, "the disk was never full enough to fail");
        return;
    }
    // No tmpfs: a file-size limit gives the same kind of write failure (EFBIG) without root.
    println!("full disk simulated with ulimit -f instead of a small tmpfs");
    let db = copy_fixture(dir.path());
    let size_blocks = std::fs::metadata(&db).unwrap().len() / 512 + 1;
    let model = model();
    let script = format!(
        "trap '' XFSZ; ulimit -f {size_blocks}; exec \"$0\" --db '{}' --model '{}' score '{}'",
        db.display(),
        model.display(),
        call.display()
    );
    let out = Command::new("sh")
        .args(["-c", &script, bin()])
        .current_dir(root())
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(!out.status.success(), "{err}");
    assert!(matches!(out.status.code(), Some(1) | Some(2)), "{err}");
    assert!(err.contains("disk") || err.contains("large"), "{err}");
    assert_eq!(assert_intact(&db), 2);
}

#[test]
fn a_model_cut_mid_tensor_is_refused_naming_the_file_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(model()).unwrap();
    // Past the header and vocabulary, inside the weights.
    let cut = dir.path().join("ggml-cut.bin");
    std::fs::write(&cut, &full[..full.len() / 2 + 12_345]).unwrap();
    drop(full);
    let db = copy_fixture(dir.path());
    let before = sha(&db);
    let started = Instant::now();
    let out = Command::new(bin())
        .args([
            "--db",
            db.to_str().unwrap(),
            "--model",
            cut.to_str().unwrap(),
        ])
        .args(["score", "tests/data/u8_8k_mono.wav"])
        .current_dir(root())
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&cut.display().to_string()), "{err}");
    assert!(err.contains("model"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(sha(&db), before, "something was written");
    assert_eq!(assert_intact(&db), 2);
    // A new database is not even created.
    let fresh = dir.path().join("fresh.db");
    let out = Command::new(bin())
        .args([
            "--db",
            fresh.to_str().unwrap(),
            "--model",
            cut.to_str().unwrap(),
        ])
        .args(["score", "tests/data/u8_8k_mono.wav"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!fresh.exists());
}

/// Billion laughs (nested aliases) and its linear cousin (one long string through many aliases).
fn alias_bombs() -> Vec<(&'static str, String)> {
    let mut nested = String::from("id: bomb\ntitle: Bomb\nversion: 1\nlanguages:\n");
    nested.push_str("  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        nested.push_str(&format!("  - &{} [{refs}]\n", w[1]));
    }
    nested.push_str("  - *i\n");
    let long = "l".repeat(1_000_000);
    let aliases = vec!["*s"; 5_000].join(", ");
    let linear = format!(
        "id: bomb\ntitle: Bomb\nversion: 1\ndescription: x\nlanguages: [&s {long}, {aliases}]\n"
    );
    // Many small aliases: a million replayed strings.
    let many = format!(
        "id: bomb\ntitle: Bomb\nversion: 1\nlanguages: [&m [{}], {}]\n",
        vec!["en"; 100].join(", "),
        vec!["*m"; 40_000].join(", ")
    );
    vec![("nested", nested), ("linear", linear), ("many", many)]
}

#[test]
fn a_rubric_alias_bomb_is_refused_quickly_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy_fixture(dir.path());
    let before = sha(&db);
    for (kind, yaml) in alias_bombs() {
        let file = dir.path().join(format!("{kind}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        // 1 GiB of address space: an expansion that escaped the limits would die here instead of
        // taking the machine (rubric check loads no model).
        let started = Instant::now();
        let out = Command::new("sh")
            .args([
                "-c",
                "ulimit -v 1048576; exec \"$0\" rubric check \"$1\"",
                bin(),
                file.to_str().unwrap(),
            ])
            .current_dir(root())
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{kind}: {err}");
        assert!(err.contains(&file.display().to_string()), "{kind}: {err}");
        assert!(
            err.contains("budget")
                || err.contains("alias")
                || err.contains("expected string")
                || err.contains("invalid type"),
            "{kind}: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(10), "{kind}: slow");
        // score refuses it before touching the database.
        let out = cmd(
            &db,
            &[
                "score",
                "--rubric",
                file.to_str().unwrap(),
                "tests/data/silence_half_second.wav",
            ],
        )
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(2), "{kind}: {}", stderr_of(&out));
        assert_eq!(sha(&db), before);
    }
}

#[test]
fn kill_9_during_commits_leaves_only_whole_calls() {
    let dir = tempfile::tempdir().unwrap();
    let calls_dir = dir.path().join("calls");
    std::fs::create_dir_all(&calls_dir).unwrap();
    let n = 150;
    for i in 0..n {
        silent_variant(&calls_dir, 100 + i);
    }
    // Kill moments spread over a run's commits (a silent call commits every few ms); each round
    // starts from the fixture so every kill lands mid-batch.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut rng = seed | 1;
    let mut killed_mid_batch = 0;
    let mut last = PathBuf::new();
    for round in 0..5 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let sub = dir.path().join(format!("round{round}"));
        std::fs::create_dir_all(&sub).unwrap();
        let db = copy_fixture(&sub);
        let mut child = cmd(
            &db,
            &["-q", "-j", "1", "score", calls_dir.to_str().unwrap()],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        // Wait for the first new commit, then a random 0-80 ms more.
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            let conn = Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY);
            if conn.is_ok_and(|c| {
                c.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0))
                    .is_ok_and(|v| v > 2)
            }) {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(rng % 80));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        child.wait().unwrap();
        let after = assert_intact(&db);
        println!("round {round} (seed {seed}): 2 -> {after} calls, finished first: {finished}");
        if !finished && after < 2 + n as i64 {
            killed_mid_batch += 1;
        }
        last = db;
    }
    assert!(killed_mid_batch > 0, "every run finished before the kill");
    // The next run completes the rest exactly once.
    let out = cmd(&last, &["-q", "score", calls_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(assert_intact(&last), 2 + n as i64);
    let conn = Connection::open(&last).unwrap();
    assert_eq!(
        q(&conn, "SELECT count(*) FROM (SELECT call_id, rubric_id, rubric_hash FROM rubric_results GROUP BY 1, 2, 3 HAVING count(*) > 1)"),
        0,
        "a result stored twice"
    );
}
