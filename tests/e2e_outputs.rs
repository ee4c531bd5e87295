//! What callqa writes, through the binary, on hostile stored values — no Whisper: the databases
//! are built with the library, as a night's batch would have stored them.
//! - CSV (export, sample): text cells a spreadsheet would run are defused, numbers stay numbers.
//! - `--out` files are private (0600) and never written through a symbolic link.
//! - `show` and the sample table show control characters instead of sending them.
//! - A manifest whose rows are all bad fails row by row, not as a whole.
//! - `merge` refuses shards scored with --keep-pii unless told, and closes its run before
//!   linking.

mod common;

use callqa::meta::CallMeta;
use callqa::rubric::RubricSet;
use callqa::store::Store;
use callqa::transcript::{LanguageSource, RoleSource, SourceAudio, Speaker, Transcript, Utterance};
use common::*;
use rusqlite::Connection;
use std::path::Path;
use std::process::{Command, Output};

const FORMULA_AGENT: &str = "=cmd|' /C calc'!A0";
const PHONE_CUSTOMER: &str = "+15558675309";
const SUM_QUEUE: &str = "@SUM(1+1)";
const SUM_DIRECTION: &str = "-2+3";
const TERMINAL_AGENT: &str = "ag\u{1b}]0;owned\u{7}\u{1b}[2Jent";

/// `callqa --db DB ARGS` without a model: none of these commands loads one.
fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callqa"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(root())
        .output()
        .expect("run callqa")
}

fn rubrics() -> RubricSet {
    let mut set = RubricSet::default();
    set.add_source(
        "qa.yaml",
        "id: qa\ntitle: QA\nversion: 1\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: greet\n        title: Greeting\n        check: {phrase: {any_of: [hello]}}\n        coach: Greet the customer.\n",
    )
    .unwrap();
    set
}

fn add_call(store: &mut Store, set: &RubricSet, id: &str, meta: &CallMeta) {
    let t = Transcript {
        names: Vec::new(),
        call_id: id.into(),
        source: SourceAudio {
            path: format!("night/{id}.wav"),
            codec: "pcm_s16le".into(),
            sample_rate: 8000,
            channels: 2,
            duration_s: 61.5,
        },
        roles: RoleSource::Mapped,
        language: "en".into(),
        language_source: LanguageSource::Flag,
        model: "tiny.en".into(),
        utterances: vec![
            Utterance {
                speaker: Speaker::Agent,
                channel: 0,
                start: 0.5,
                end: 2.0,
                text: "Hello, how can I help?".into(),
                words: vec![],
                avg_logprob: -0.2,
                no_speech_prob: 0.01,
            },
            Utterance {
                speaker: Speaker::Customer,
                channel: 1,
                start: 2.5,
                end: 4.0,
                text: "=HYPERLINK(\"http://x\") my bill \u{1b}[31m is wrong".into(),
                words: vec![],
                avg_logprob: -0.2,
                no_speech_prob: 0.01,
            },
        ],
        warnings: vec![],
    };
    let a = callqa::analysis::analyse(&t, set);
    store.register_rubrics(&set.rubrics).unwrap();
    store.save_call(&t, &a).unwrap();
    store.set_metadata(id, meta).unwrap();
}

/// A database with one call whose metadata a spreadsheet or terminal would obey.
fn hostile_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("hostile.db");
    let mut store = Store::open(&db).unwrap();
    let set = rubrics();
    add_call(
        &mut store,
        &set,
        "aaaa0000000000000000000000000000000000000000000000000000000000aa",
        &CallMeta {
            agent_id: Some(FORMULA_AGENT.into()),
            customer_id: Some(PHONE_CUSTOMER.into()),
            started_at: Some("2026-11-02T09:00:00Z".into()),
            queue: Some(SUM_QUEUE.into()),
            direction: Some(SUM_DIRECTION.into()),
            ..Default::default()
        },
    );
    add_call(
        &mut store,
        &set,
        "bbbb0000000000000000000000000000000000000000000000000000000000bb",
        &CallMeta {
            agent_id: Some(TERMINAL_AGENT.into()),
            customer_id: Some("C2".into()),
            started_at: Some("2026-11-03T09:00:00Z".into()),
            queue: Some("billing\u{9b}31m".into()),
            ..Default::default()
        },
    );
    db
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr_of(out)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn csv_exports_and_samples_defuse_formulas_and_keep_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let export = ok(&run(&db, &["export", "--format", "csv"]));
    let sample = ok(&run(
        &db,
        &["sample", "--n", "5", "--seed", "1", "--format", "csv"],
    ));
    for (what, text) in [("export", &export), ("sample", &sample)] {
        let rows = csv_rows(text);
        let row = rows
            .iter()
            .find(|r| r["call_id"].starts_with("aaaa"))
            .unwrap_or_else(|| panic!("{what}: no call row in\n{text}"));
        assert_eq!(row["agent_id"], format!("'{FORMULA_AGENT}"), "{what}");
        assert_eq!(row["queue"], format!("'{SUM_QUEUE}"), "{what}");
        let score: f64 = row["qa_score"]
            .parse()
            .expect("a number, not a defused text");
        assert!((0.0..=100.0).contains(&score), "{what}: {score}");
        for cell in row.values() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: {cell:?} would run in a spreadsheet"
            );
        }
    }
    let rows = csv_rows(&export);
    let row = rows
        .iter()
        .find(|r| r["call_id"].starts_with("aaaa"))
        .unwrap();
    assert_eq!(row["customer_id"], format!("'{PHONE_CUSTOMER}"));
    assert_eq!(row["direction"], format!("'{SUM_DIRECTION}"));
    assert_eq!(row["duration_s"], "61.5");
    // JSON Lines carries the values as stored: JSON is not run by spreadsheets.
    let jsonl = ok(&run(&db, &["export"]));
    assert!(jsonl.contains(&serde_json::to_string(FORMULA_AGENT).unwrap()));
}

#[test]
fn show_and_the_sample_table_show_control_characters_instead_of_sending_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let show = ok(&run(&db, &["show", "bbbb"]));
    let table = ok(&run(&db, &["sample", "--n", "5", "--seed", "1"]));
    for (what, text) in [("show", &show), ("sample", &table)] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{what} sent a control character:\n{text:?}"
        );
        assert!(
            text.contains("ag\\u{1b}]0;owned\\u{7}\\u{1b}[2Jent"),
            "{what}: {text}"
        );
    }
    assert!(show.contains("billing\\u{9b}31m"), "{show}");
    assert!(show.contains("my bill \\u{1b}[31m is wrong"), "{show}");
}

#[cfg(unix)]
#[test]
fn out_files_are_private_and_never_written_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let export = dir.path().join("calls.jsonl");
    let report = dir.path().join("team.md");
    ok(&run(&db, &["export", "--out", export.to_str().unwrap()]));
    ok(&run(
        &db,
        &["report", "team", "--out", report.to_str().unwrap()],
    ));
    assert_eq!((mode(&export), mode(&report)), (0o600, 0o600));
    assert_eq!(mode(&db), 0o600);
    assert!(std::fs::read_to_string(&export).unwrap().contains("aaaa"));

    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    for (i, args) in [
        vec!["export", "--format", "csv", "--out"],
        vec!["report", "team", "--out"],
    ]
    .into_iter()
    .enumerate()
    {
        let link = dir.path().join(format!("link{i}"));
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let mut args = args;
        args.push(link.to_str().unwrap());
        let out = run(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("symbolic link"),
            "{}",
            stderr_of(&out)
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }
    // A database is not created through a dangling link either.
    let dangling = dir.path().join("dangling.db");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.db"), &dangling).unwrap();
    let out = run(&dangling, &["export"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(!dir.path().join("elsewhere.db").exists());
}

#[test]
fn a_manifest_of_bad_rows_fails_row_by_row_not_as_a_whole() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("night.csv");
    std::fs::write(dir.path().join("x.wav"), b"RIFF").unwrap();
    std::fs::write(
        &manifest,
        "call_id,file,agent_id,customer_id,started_at,queue,direction,agent_channel\n\
         T-1,,A1,C1,2026-11-02T09:00:00Z,billing,inbound,\n\
         T-2,x.wav,A1,C1,2026-11-02T09:00:00Z,billing,inbound,rigth\n\
         T-3,x.wav,A1,C1,next tuesday,billing,inbound,\n\
         T-4,x.wav,A1,C1,2205-11-02T09:00:00Z,billing,inbound,\n\
         T-5,gone.wav,A1,C1,2026-11-02T09:00:00Z,billing,inbound,\n",
    )
    .unwrap();
    let db = dir.path().join("q.db");
    let out = callqa_on(&db, &["score", "--manifest", manifest.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let name = manifest.display().to_string();
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("callqa: error: "))
        .collect();
    assert_eq!(errors.len(), 5, "{err}");
    for (line, says) in [
        (2, "names no `file`"),
        (3, "agent_channel"),
        (4, "is not a time"),
        (5, "ahead of now"),
    ] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&format!("manifest {name}, line {line}: ")) && e.contains(says)),
            "line {line}: {err}"
        );
    }
    let conn = Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM file_errors", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 5);
    let (status, failed): (String, i64) = conn
        .query_row("SELECT status, calls_failed FROM runs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), failed), ("partial", 5));
}

/// A shard database with one call of customer C1, written by `score` with these arguments.
fn shard(dir: &Path, name: &str, id: &str, arguments: &str) -> std::path::PathBuf {
    let db = dir.join(name);
    let mut store = Store::open(&db).unwrap();
    let run = store.begin_run(arguments).unwrap();
    add_call(
        &mut store,
        &rubrics(),
        id,
        &CallMeta {
            agent_id: Some("A1".into()),
            customer_id: Some("C1".into()),
            started_at: Some("2026-11-02T09:00:00Z".into()),
            ..Default::default()
        },
    );
    store.finish_run(run, Default::default(), "ok").unwrap();
    db
}

fn calls_in(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn merge_refuses_shards_scored_with_keep_pii_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let clean = shard(
        dir.path(),
        "clean.db",
        &"c".repeat(64),
        "callqa score night/",
    );
    let raw = shard(
        dir.path(),
        "raw.db",
        &"d".repeat(64),
        "callqa score --keep-pii night/",
    );
    let main = dir.path().join("main.db");
    let args = |extra: &[&str], shards: &[&Path]| -> Vec<String> {
        let mut v: Vec<String> = vec!["merge".into(), "--into".into(), main.display().to_string()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.extend(shards.iter().map(|p| p.display().to_string()));
        v
    };
    let refuse = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = run(&main, &a);
        assert_eq!(out.status.code(), Some(2), "{a:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("--allow-pii"),
            "{}",
            stderr_of(&out)
        );
    };
    refuse(args(&[], &[&clean, &raw]));
    assert_eq!(
        calls_in(&main),
        0,
        "nothing merged when one shard is refused"
    );
    let a = args(&["--allow-pii"], &[&clean, &raw]);
    ok(&run(
        &main,
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    assert_eq!(calls_in(&main), 2);
    // The merged database holds personal data now: merging it on needs the same consent.
    let onward = dir.path().join("onward.db");
    let out = run(
        &onward,
        &[
            "merge",
            "--into",
            onward.to_str().unwrap(),
            main.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

#[test]
fn merge_closes_its_run_before_linking() {
    let dir = tempfile::tempdir().unwrap();
    let id = "e".repeat(64);
    let bad = shard(dir.path(), "bad.db", &id, "callqa score night/");
    // A stored value no callqa writes: linking reads the transcript and must fail on it.
    Connection::open(&bad)
        .unwrap()
        .execute("UPDATE calls SET language_source = 'guessed'", [])
        .unwrap();
    let main = dir.path().join("main.db");
    let out = run(
        &main,
        &[
            "merge",
            "--into",
            main.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("corrupt") && err.contains("guessed"), "{err}");
    let (status, finished): (String, Option<String>) = Connection::open(&main)
        .unwrap()
        .query_row("SELECT status, finished_at FROM runs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(status, "ok");
    assert!(finished.is_some());
}
