//! `callqa score` as QA staff run it: a folder in, a database out, idempotent re-runs, and a
//! batch that survives bad files with one clear line each and an honest exit code.

mod common;

use callqa::store::Store;
use common::*;
use rusqlite::Connection;

fn score(
    db: &std::path::Path,
    inputs: &[&std::path::Path],
    extra: &[&str],
) -> std::process::Output {
    let model = model();
    let mut args = vec![
        "--db",
        db.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "score",
    ];
    args.extend_from_slice(extra);
    for i in inputs {
        args.push(i.to_str().unwrap());
    }
    callqa(&args)
}

#[test]
fn scoring_samples_stores_every_call_and_a_rerun_transcribes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let samples_dir = root().join("samples");
    let expected = samples().len();

    let first = score(&db, &[&samples_dir], &[]);
    let err = stderr_of(&first);
    assert!(
        first.status.success(),
        "exit {:?}: {err}",
        first.status.code()
    );
    assert!(err.contains("real time"), "summary missing: {err}");

    let conn = Connection::open(&db).unwrap();
    let calls: i64 = conn
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(calls as usize, expected);
    let (agent, customer): (i64, i64) = conn
        .query_row(
            "SELECT sum(speaker = 'agent'), sum(speaker = 'customer') FROM utterances",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        agent >= expected as i64 * 2 && customer >= expected as i64 * 2,
        "{agent} {customer}"
    );
    let inferred: i64 = conn
        .query_row(
            "SELECT count(*) FROM calls WHERE roles = 'inferred'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        inferred >= 1,
        "the mono sample's roles must be marked inferred"
    );
    // Every call is scored against every shipped rubric, and the run ends with averages.
    let results: i64 = conn
        .query_row("SELECT count(*) FROM latest_rubric_results", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(results as usize, expected * 3);
    assert!(err.contains("rubric averages over"), "{err}");
    assert!(
        err.contains("DISTRESS — review first:") && err.contains("call06_distress_card_stereo.mp3"),
        "{err}"
    );
    // What the default model decides robustly: a disclosure never spoken is missing whatever
    // the ASR quality, and the distressed customer is flagged.
    let (qa_score, critical): (Option<f64>, bool) = conn
        .query_row(
            "SELECT r.score, r.critical_failed FROM latest_rubric_results r JOIN calls c USING (call_id)
             WHERE r.rubric_id = 'qa' AND c.path LIKE '%call05_rude_agent_stereo.mp3'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((qa_score, critical), (Some(0.0), true));
    let distress: i64 = conn
        .query_row(
            "SELECT count(*) FROM flags f JOIN calls c USING (call_id)
             WHERE f.kind = 'distress' AND c.path LIKE '%call06_distress_card_stereo.mp3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(distress, 1);
    // One call as QA staff read it, found by an id prefix.
    let id: String = conn
        .query_row(
            "SELECT call_id FROM calls WHERE path LIKE '%call06_distress_card_stereo.mp3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let shown = callqa(&["--db", db.to_str().unwrap(), "show", &id[..10]]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{}", stderr_of(&shown));
    // The rubric's header as show prints it: "compliance v<its version>".
    let compliance = std::fs::read_to_string(root().join("rubrics/compliance.yaml")).unwrap();
    let version = compliance
        .lines()
        .find_map(|l| l.strip_prefix("version: "))
        .expect("a version");
    let compliance_header = format!("compliance v{}", version.trim());
    for part in [
        "FLAGS",
        "DISTRESS",
        compliance_header.as_str(),
        "distress_response",
        "METRICS",
        "TRANSCRIPT",
    ] {
        assert!(text.contains(part), "show lacks {part}:\n{text}");
    }
    assert!(
        text.find("DISTRESS") < text.find(compliance_header.as_str()),
        "distress is listed first"
    );

    // Auditor samples: the same seed gives the same calls; every draw is recorded.
    let db_s = db.to_str().unwrap();
    let draw = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            db_s,
            "sample",
            "--format",
            "json",
            "--auditor",
            "ana",
        ];
        args.extend_from_slice(extra);
        let out = callqa(&args);
        assert!(out.status.success(), "{}", stderr_of(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["call_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let a = draw(&["--n", "3", "--seed", "42"]);
    assert_eq!(a.len(), 3);
    assert_eq!(a, draw(&["--n", "3", "--seed", "42"]));
    assert_eq!(
        draw(&["--n", "5", "--where", "flag=distress"]),
        vec![id.clone()]
    );
    assert_eq!(
        draw(&["--n", "4", "--seed", "1", "--stratify", "score-band"]).len(),
        4
    );
    let conn = Connection::open(&db).unwrap();
    let (drawn, auditor, params): (i64, String, String) = conn
        .query_row(
            "SELECT count(*), max(auditor), max(parameters) FROM audit_samples",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((drawn, auditor.as_str()), (4, "ana"));
    assert!(params.contains("\"seed\""), "{params}");
    drop(conn);

    // Same audio again, and the same audio under a new name: nothing is transcribed twice.
    let renamed_dir = tempfile::tempdir().unwrap();
    let (first_sample, _) = &samples()[0];
    let renamed = copy_into(renamed_dir.path(), first_sample, "renamed copy.wav");
    let second = score(&db, &[&samples_dir, &renamed], &[]);
    let err = stderr_of(&second);
    assert!(second.status.success(), "{err}");
    assert!(
        err.contains(&format!("0 transcribed, {} skipped", expected + 1)),
        "{err}"
    );
    // Unchanged rubrics: nothing is rescored either.
    assert!(!err.contains("rescored"), "{err}");

    let store = Store::open(&db).unwrap();
    assert_eq!(store.call_count().unwrap() as usize, expected);
    let conn = Connection::open(&db).unwrap();
    let runs: Vec<(i64, i64, String)> = conn
        .prepare("SELECT calls_done, calls_skipped, status FROM runs ORDER BY run_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        runs,
        vec![
            (expected as i64, 0, "ok".into()),
            (0, expected as i64 + 1, "ok".into())
        ]
    );
}

#[test]
fn bad_files_fail_one_by_one_and_the_batch_goes_on() {
    let data = root().join("tests/data");
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("night");
    std::fs::create_dir(&batch).unwrap();
    for name in [
        "empty.wav",
        "not_audio.mp3",
        "truncated.wav",
        "truncated.mp3",
        "silence_half_second.wav",
        "three_channel.wav",
        "hires_96k_24bit.wav",
        "name with spaces ünïcødé.wav",
    ] {
        copy_into(&batch, &data.join(name), name);
    }
    let db = dir.path().join("qa.db");
    let out = score(&db, &[&batch], &[]);
    let err = stderr_of(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "some files failed, so exit 1: {err}"
    );

    let error_lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("callqa: error:"))
        .collect();
    let failed_for = |name: &str| error_lines.iter().find(|l| l.contains(name)).copied();
    let empty =
        failed_for("empty.wav").unwrap_or_else(|| panic!("no error line for empty.wav: {err}"));
    assert!(empty.contains("empty"), "{empty}");
    let text =
        failed_for("not_audio.mp3").unwrap_or_else(|| panic!("no error for not_audio.mp3: {err}"));
    assert!(text.contains("not a recognised audio format"), "{text}");
    let three =
        failed_for("three_channel.wav").unwrap_or_else(|| panic!("no error for 3 channels: {err}"));
    assert!(three.contains("3 channels"), "{three}");
    assert_eq!(
        error_lines.len(),
        3 + error_lines
            .iter()
            .filter(|l| l.contains("truncated"))
            .count(),
        "{err}"
    );

    let conn = Connection::open(&db).unwrap();
    let stored: Vec<(String, i64)> = conn
        .prepare("SELECT path, (SELECT count(*) FROM utterances u WHERE u.call_id = c.call_id) FROM calls c")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let utterances_of = |name: &str| {
        stored
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, n)| *n)
            .unwrap_or_else(|| panic!("{name} not stored: {stored:?}"))
    };
    assert_eq!(
        utterances_of("silence_half_second.wav"),
        0,
        "silence is a call with no speech"
    );
    assert!(utterances_of("hires_96k_24bit.wav") >= 1);
    assert!(utterances_of("name with spaces ünïcødé.wav") >= 1);
    // A truncated file either yields what decoded (with a warning) or fails with a clear line.
    for name in ["truncated.wav", "truncated.mp3"] {
        let stored_it = stored.iter().any(|(p, _)| p.ends_with(name));
        assert!(
            stored_it || failed_for(name).is_some(),
            "{name}: neither stored nor reported"
        );
        // MPEG audio has no defined end: without a Xing/LAME frame count a cut stream is
        // just a shorter stream, so only the WAV (whose header states its size) must warn.
        if stored_it && name.ends_with(".wav") {
            let warnings: String = conn
                .query_row(
                    "SELECT warnings FROM calls WHERE path LIKE ?1",
                    [format!("%{name}")],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(warnings.contains("truncated"), "{name}: {warnings}");
        }
    }
    let recorded: i64 = conn
        .query_row("SELECT count(*) FROM file_errors", [], |r| r.get(0))
        .unwrap();
    assert_eq!(recorded as usize, error_lines.len());
    drop(conn);

    // The export contract: one JSON object per call — stored and failed alike — with the
    // documented keys (README, "Export").
    let out = callqa(&["--db", db.to_str().unwrap(), "export", "--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), stored.len() + error_lines.len());
    for v in &lines {
        for key in [
            "call_id",
            "file",
            "audio_hash",
            "agent_id",
            "customer_id",
            "started_at",
            "queue",
            "duration_s",
            "channels",
            "roles",
            "language",
            "language_source",
            "status",
            "error",
            "utterances",
            "metrics",
            "sentiment",
            "rubrics",
            "flags",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {v}");
        }
        match v["status"].as_str() {
            Some("scored") => {
                assert!(v["error"].is_null() && v["started_at"].is_string(), "{v}");
                assert_eq!(v["audio_hash"], v["call_id"]);
                assert!(["mapped", "inferred"].contains(&v["roles"].as_str().unwrap()));
                // tiny.en hears only English, and says so.
                assert_eq!(
                    (&v["language"], &v["language_source"]),
                    (&"en".into(), &"model".into()),
                    "{v}"
                );
                assert_eq!(v["rubrics"].as_array().unwrap().len(), 3, "{v}");
                for r in v["rubrics"].as_array().unwrap() {
                    for c in r["criteria"].as_array().unwrap() {
                        assert!(["pass", "fail", "na"].contains(&c["result"].as_str().unwrap()));
                        assert!(c["evidence"].is_array());
                    }
                }
                assert!(v["metrics"]["duration_s"].is_number());
            }
            Some("failed") => assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}"),
            other => panic!("status {other:?}"),
        }
    }
    let csv = callqa(&["--db", db.to_str().unwrap(), "export", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    let mut rows = csv.lines();
    let header = rows.next().unwrap();
    assert!(
        header.starts_with("call_id,file,agent_id") && header.contains("qa_score"),
        "{header}"
    );
    assert_eq!(rows.count(), lines.len());
}

#[test]
fn a_missing_model_is_a_clear_fatal_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = callqa(&[
        "--db",
        dir.path().join("x.db").to_str().unwrap(),
        "--model",
        "/nonexistent/model.bin",
        "score",
        "samples",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("/nonexistent/model.bin") && err.contains("setup.sh"),
        "{err}"
    );
}

#[test]
fn manifest_and_file_names_give_calls_their_metadata() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("audio")).unwrap();
    let (call01, _) = &samples()[0];
    let (call02, _) = &samples()[1];
    copy_into(&dir.path().join("audio"), call01, "a.wav");
    let named = copy_into(
        dir.path(),
        call02,
        "Auto0_GUID7_000_AGENT_ChrisL_DT_2025-02-19T06-01-22.wav",
    );
    let manifest = dir.path().join("calls.csv");
    std::fs::write(
        &manifest,
        "call_id,file,agent_id,customer_id,started_at,queue,direction,campaign,agent_channel\n\
         T-1,audio/a.wav,agent7,C42,2025-03-01T09:30:00Z,billing,inbound,spring,right\n\
         T-2,audio/missing.wav,agent7,C43,2025-03-01T10:00:00Z,billing,inbound,spring,\n",
    )
    .unwrap();
    let db = dir.path().join("meta.db");
    let out = score(
        &db,
        &[&named],
        &[
            "--manifest",
            manifest.to_str().unwrap(),
            "--name-pattern",
            r"AGENT_(?P<agent>[^_]+)_DT_(?P<started_at>[0-9T-]+)$",
        ],
    );
    let err = stderr_of(&out);
    // The missing row is one failure among successes: reported, not fatal.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("missing.wav") && err.contains("not found"),
        "{err}"
    );
    assert!(err.contains("2 transcribed"), "{err}");

    let export = callqa(&["--db", db.to_str().unwrap(), "export"]);
    let calls: Vec<serde_json::Value> = String::from_utf8_lossy(&export.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let find = |suffix: &str| {
        calls
            .iter()
            .find(|c| c["file"].as_str().is_some_and(|f| f.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix} not exported: {calls:?}"))
    };
    let a = find("a.wav");
    assert_eq!(a["agent_id"], "agent7");
    assert_eq!(a["customer_id"], "C42");
    assert_eq!(a["queue"], "billing");
    assert_eq!(a["direction"], "inbound");
    assert_eq!(a["started_at"], "2025-03-01T09:30:00Z");
    // The manifest put this call's agent on the right channel: the greeting (left channel)
    // is now the customer's.
    let first = &a["utterances"][0];
    assert_eq!(first["speaker"], "customer", "{first}");
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("thank you for calling"),
        "{first}"
    );
    let b = find("2025-02-19T06-01-22.wav");
    assert_eq!(b["agent_id"], "ChrisL");
    assert_eq!(b["started_at"], "2025-02-19T06:01:22");
    let missing = find("missing.wav");
    assert_eq!(missing["status"], "failed");
    // Extra manifest columns are kept.
    let conn = Connection::open(&db).unwrap();
    let extra: String = conn
        .query_row(
            "SELECT metadata FROM calls WHERE agent_id = 'agent7'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        extra.contains("\"campaign\":\"spring\"") && extra.contains("T-1"),
        "{extra}"
    );
}

#[test]
fn two_runs_on_one_database_at_once_both_land_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let data = root().join("tests/data");
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    std::fs::create_dir(&one).unwrap();
    std::fs::create_dir(&two).unwrap();
    copy_into(&one, &data.join("u8_8k_mono.wav"), "a.wav");
    copy_into(&two, &data.join("alaw_8k_mono.wav"), "b.wav");
    let model = model();
    let spawn = |input: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_callqa"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "--model",
                model.to_str().unwrap(),
            ])
            .args([
                "--jobs",
                "1",
                "score",
                "--threads",
                "1",
                input.to_str().unwrap(),
            ])
            .current_dir(root())
            .output()
    };
    let (first, second) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn(&one));
        let b = s.spawn(|| spawn(&two));
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(first.status.success(), "{}", stderr_of(&first));
    assert!(second.status.success(), "{}", stderr_of(&second));
    let conn = Connection::open(&db).unwrap();
    let calls: i64 = conn
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    let runs: i64 = conn
        .query_row("SELECT count(*) FROM runs WHERE status = 'ok'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!((calls, runs, integrity.as_str()), (2, 2, "ok"));
}
