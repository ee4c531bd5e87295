//! The nightly batch QA staff can trust: repeat calls linked across two nights' runs (with a
//! decoy, a call-back and a call past the window), JSON log lines under cron, and runs stopped by
//! Ctrl-C or killed with SIGKILL that the next run completes exactly once.

mod common;

use common::*;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A copy of a WAV sample with one audio byte changed: new bytes (a new call to callqa), the
/// same words — a customer saying the same thing again.
fn wav_variant(sample: &str, out: &Path) -> PathBuf {
    let mut bytes = std::fs::read(root().join("samples").join(sample)).unwrap();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        if &bytes[at..at + 4] == b"data" {
            bytes[at + 8 + size - 1] ^= 1;
            break;
        }
        at += 8 + size + (size & 1);
    }
    std::fs::write(out, &bytes).unwrap();
    out.to_path_buf()
}

fn flags(conn: &Connection, kinds: &[&str]) -> Vec<(String, String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT c.metadata, f.kind, coalesce(o.metadata, ''), f.detail FROM flags f
             JOIN calls c ON c.call_id = f.call_id LEFT JOIN calls o ON o.call_id = f.of_call
             ORDER BY f.kind, c.started_at",
        )
        .unwrap();
    let external = |meta: String| -> String {
        serde_json::from_str::<serde_json::Value>(&meta)
            .ok()
            .and_then(|v| v["external_call_id"].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .filter(|(_, kind, _, _)| kinds.contains(&kind.as_str()))
    .map(|(c, kind, o, detail)| (external(c), kind, external(o), detail))
    .collect()
}

const LINK_KINDS: &[&str] = &["repeat_call", "unresolved_first_contact"];

#[test]
fn repeat_calls_link_across_two_nights_and_the_decoys_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let s = root().join("samples");
    wav_variant(
        "call01_billing_stereo_8k.wav",
        &dir.path().join("billing_old.wav"),
    );
    wav_variant(
        "call02_password_stereo_ulaw.wav",
        &dir.path().join("password_callback.wav"),
    );
    let header = "call_id,file,agent_id,customer_id,started_at,queue,direction\n";
    // Night 1. C100 called about billing on Oct 20 and again on Nov 2 (13 days: past the
    // window, not a repeat).
    let night1 = format!(
        "{header}old-billing,billing_old.wav,A1,C100,2026-10-20T09:00:00Z,billing,inbound\n\
         rude-billing,{s}/call05_rude_agent_stereo.mp3,A2,C100,2026-11-02T09:00:00Z,billing,inbound\n\
         password,{s}/call02_password_stereo_ulaw.wav,A1,C200,2026-11-02T10:00:00Z,support,inbound\n\
         cancel,{s}/call03_cancellation_stereo.mp3,A2,C300,2026-11-01T12:00:00Z,retention,inbound\n",
        s = s.display()
    );
    // Night 2. C100 calls about billing again 2 days after the rude call: a repeat, and the rude
    // call's first contact is unresolved. C200 calls back 8 minutes after the password call
    // ended (a call-back, not a repeat), then about an outage the next day (same customer,
    // different issue: the decoy). The distress call has no customer id.
    let night2 = format!(
        "{header}billing-again,{s}/call01_billing_stereo_8k.wav,A1,C100,2026-11-04T09:00:00Z,billing,inbound\n\
         password-callback,password_callback.wav,A2,C200,2026-11-02T10:08:00Z,support,inbound\n\
         outage,{s}/call04_outage_mono.flac,A1,C200,2026-11-03T11:00:00Z,support,inbound\n\
         distress,{s}/call06_distress_card_stereo.mp3,A2,,2026-11-03T15:00:00Z,billing,inbound\n",
        s = s.display()
    );
    let m1 = dir.path().join("night1.csv");
    let m2 = dir.path().join("night2.csv");
    std::fs::write(&m1, night1).unwrap();
    std::fs::write(&m2, night2).unwrap();

    let run1 = callqa_on(&db, &["score", "--manifest", m1.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run1.status.success(), "{}", stderr_of(&run1));
    let conn = Connection::open(&db).unwrap();
    assert!(
        flags(&conn, LINK_KINDS).is_empty(),
        "13 days apart is past the 7-day window: {:?}",
        flags(&conn, LINK_KINDS)
    );
    let topic = |id: &str| -> Option<String> {
        conn.query_row(
            "SELECT topic FROM calls WHERE json_extract(metadata, '$.external_call_id') = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(topic("old-billing").as_deref(), Some("billing"));
    assert_eq!(topic("rude-billing").as_deref(), Some("billing"));
    assert_eq!(topic("password").as_deref(), Some("account_access"));
    assert_eq!(topic("cancel").as_deref(), Some("cancellation"));

    // Night 2 under cron: JSON log lines.
    let run2 = callqa_on(
        &db,
        &[
            "--log-format",
            "json",
            "score",
            "--manifest",
            m2.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    let err = stderr_of(&run2);
    assert!(run2.status.success(), "{err}");
    let events: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let scored = events
        .iter()
        .filter(|e| e["event"] == "call_scored")
        .count();
    assert_eq!(scored, 4, "{err}");
    assert!(events.iter().any(|e| e["event"] == "distress"), "{err}");
    assert!(events.iter().any(|e| e["event"] == "run_finished"), "{err}");

    assert_eq!(topic("outage").as_deref(), Some("technical"));
    assert_eq!(
        topic("password-callback").as_deref(),
        Some("account_access")
    );
    let linked = flags(&conn, LINK_KINDS);
    let pairs: Vec<(&str, &str, &str)> = linked
        .iter()
        .map(|(c, k, o, _)| (c.as_str(), k.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("billing-again", "repeat_call", "rude-billing"),
            ("rude-billing", "unresolved_first_contact", "billing-again"),
        ],
        "{linked:#?}"
    );
    assert!(
        linked[0].3.contains("about billing") && linked[0].3.contains("2.0 days"),
        "{}",
        linked[0].3
    );

    // Linking again (or after a merge) changes nothing.
    let again = callqa_on(&db, &["link"]).output().unwrap();
    assert!(again.status.success(), "{}", stderr_of(&again));
    assert!(
        stderr_of(&again).contains("1 linked"),
        "{}",
        stderr_of(&again)
    );
    assert_eq!(flags(&conn, LINK_KINDS), linked);

    // A shorter window unlinks it; the default links it again.
    let narrow = callqa_on(&db, &["link", "--repeat-window-days", "1"])
        .output()
        .unwrap();
    assert!(narrow.status.success());
    assert!(flags(&conn, LINK_KINDS).is_empty());
    callqa_on(&db, &["link"]).output().unwrap();
    assert_eq!(flags(&conn, LINK_KINDS), linked);

    // Exports carry the links; `show` lists them.
    let export = callqa_on(&db, &["export", "--format", "jsonl"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&export.stdout);
    let repeat_line = text
        .lines()
        .find(|l| l.contains("\"repeat_call\""))
        .expect("a call with a repeat_call flag in the export");
    let v: serde_json::Value = serde_json::from_str(repeat_line).unwrap();
    let flag = v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "repeat_call")
        .unwrap();
    // `of_call` names the earlier call by the id the export gives it (the manifest's, since
    // store v8): a row with that call_id is in the same export.
    let of_call = flag["of_call"].as_str().expect("of_call");
    assert_ne!(of_call, v["call_id"].as_str().unwrap(), "{flag}");
    assert!(
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .any(|row| row["call_id"] == of_call
                && row["audio_hash"].as_str().is_some_and(|h| h.len() == 64)),
        "no exported call {of_call}: {flag}"
    );

    // Nothing was counted twice across the two nights.
    let calls: i64 = conn
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(calls, 8);
    let runs: Vec<(String, i64)> = conn
        .prepare("SELECT status, calls_done FROM runs ORDER BY run_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(runs, vec![("ok".to_string(), 4), ("ok".to_string(), 4)]);
}

fn count(db: &Path, sql: &str) -> i64 {
    // The writer holds WAL locks only briefly; a reader never blocks it.
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY);
    conn.and_then(|c| {
        c.busy_timeout(Duration::from_secs(5))?;
        c.query_row(sql, [], |r| r.get(0))
    })
    .unwrap_or(0)
}

/// Waits until at least `n` calls are committed (or the run ends); false if it never happened.
fn wait_for_calls(child: &mut Child, db: &Path, n: i64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        if db.exists() && count(db, "SELECT count(*) FROM calls") >= n {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn score_samples(db: &Path) -> Child {
    // Whisper for real: the signals must land while calls are being transcribed.
    callqa_on(db, &["-j", "1", "score", "samples"])
        .env_remove(callqa::asr::cache::CACHE_ENV)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn interrupted_and_killed_runs_lose_nothing_and_the_next_run_does_the_rest_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let total = samples().len() as i64;

    // Ctrl-C after the first call is committed: the in-flight call finishes, nothing new starts.
    let mut run = score_samples(&db);
    assert!(wait_for_calls(&mut run, &db, 1), "no call committed");
    let sent = Command::new("kill")
        .args(["-INT", &run.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = run.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let after_interrupt = count(&db, "SELECT count(*) FROM calls");
    assert!(
        (1..total).contains(&after_interrupt),
        "{after_interrupt} of {total} stored: {err}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM runs WHERE status = 'interrupted' AND finished_at IS NOT NULL"
        ),
        1
    );

    // SIGKILL while the next call is being worked on.
    let mut run = score_samples(&db);
    let progressed = wait_for_calls(&mut run, &db, after_interrupt + 1);
    run.kill().unwrap();
    run.wait().unwrap();
    let after_kill = count(&db, "SELECT count(*) FROM calls");
    assert!(progressed && after_kill > after_interrupt, "{after_kill}");

    // The next run completes the rest, exactly once.
    let out = callqa_on(&db, &["score", "samples"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let conn = Connection::open(&db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(count(&db, "SELECT count(*) FROM calls"), total);
    let (done, skipped): (i64, i64) = conn
        .query_row(
            "SELECT calls_done, calls_skipped FROM runs ORDER BY run_id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((done, skipped), (total - after_kill, after_kill));
    // Every call whole: utterances, metrics and one result per rubric, none twice.
    assert_eq!(
        count(&db, "SELECT count(*) FROM calls c WHERE NOT EXISTS (SELECT 1 FROM utterances u WHERE u.call_id = c.call_id)"),
        0
    );
    assert_eq!(count(&db, "SELECT count(*) FROM call_metrics"), total);
    assert_eq!(
        count(&db, "SELECT count(*) FROM latest_rubric_results"),
        total * 3
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM (SELECT call_id, rubric_id, rubric_hash FROM rubric_results GROUP BY 1, 2, 3 HAVING count(*) > 1)"),
        0
    );
    // The killed run is left as it died (status 'running', no end): visible, not hidden.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM runs WHERE status = 'running' AND finished_at IS NULL"
        ),
        1
    );
}
