//! Sharded runs: three shards scored in parallel and merged hold exactly what one run over the
//! same inputs holds — calls, transcripts, scores, flags and the repeat link between calls that
//! landed in different shards — and merging again changes nothing.

mod common;

use common::*;
use rusqlite::Connection;
use std::path::Path;
use std::process::Output;

fn ok(out: Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "exit {:?}: {err}", out.status.code());
    err
}

/// Everything a run decides, in a stable order, without the times it ran at.
fn content(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut out = Vec::new();
    let queries = [
        "SELECT 'call', call_id, path, agent_id, coalesce(customer_id, ''), coalesce(started_at, ''),
                coalesce(queue, ''), coalesce(topic, ''), duration_s, language, roles, metadata
         FROM calls ORDER BY call_id",
        "SELECT 'utt', call_id, idx, speaker, start_s, end_s, text, words FROM utterances ORDER BY call_id, idx",
        "SELECT 'metrics', call_id, metrics, sentiment FROM call_metrics ORDER BY call_id",
        "SELECT 'result', call_id, rubric_id, rubric_hash, coalesce(score, -1), critical_failed, sections
         FROM rubric_results ORDER BY call_id, rubric_id, rubric_hash",
        "SELECT 'criterion', r.call_id, r.rubric_id, c.criterion_id, c.result, c.points, c.evidence
         FROM criterion_results c JOIN rubric_results r USING (result_id)
         ORDER BY r.call_id, r.rubric_id, c.criterion_id",
        "SELECT 'flag', call_id, kind, detail, coalesce(at_s, -1), coalesce(of_call, ''), evidence
         FROM flags ORDER BY call_id, kind, detail",
    ];
    for q in queries {
        let mut stmt = conn.prepare(q).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push(format!("{v:?}"));
                }
                Ok(line.join(" | "))
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

#[test]
fn three_shards_merged_equal_one_run_and_merging_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = root().join("samples");
    // C100's billing calls two days apart (a repeat) are in different shards.
    let manifest = dir.path().join("night.csv");
    std::fs::write(
        &manifest,
        format!(
            "call_id,file,agent_id,customer_id,started_at,queue,direction\n\
             n-01,{s}/call01_billing_stereo_8k.wav,A1,C100,2026-11-04T09:00:00Z,billing,inbound\n\
             n-02,{s}/call02_password_stereo_ulaw.wav,A1,C200,2026-11-02T10:00:00Z,support,inbound\n\
             n-03,{s}/call03_cancellation_stereo.mp3,A2,C300,2026-11-01T12:00:00Z,retention,inbound\n\
             n-04,{s}/call04_outage_mono.flac,A1,C200,2026-11-03T11:00:00Z,support,inbound\n\
             n-05,{s}/call05_rude_agent_stereo.mp3,A2,C100,2026-11-02T09:00:00Z,billing,inbound\n\
             n-06,{s}/call06_distress_card_stereo.mp3,A2,,2026-11-03T15:00:00Z,billing,inbound\n",
            s = s.display()
        ),
    )
    .unwrap();
    let m = manifest.to_str().unwrap();
    // One thread per Whisper run everywhere: the same arithmetic, so the same words. The single
    // run transcribes for real (a cache of its own, empty at first: not the suite's, which other
    // tests filled); the shards read its words from that cache. An entry is keyed by every step
    // the call's decoder state took before the window (src/asr/cache.rs), so a state leaking from
    // one call into the next in a shard would miss the cache, run Whisper from another history
    // and make the shards' words differ from the single run's, as without the cache.
    let words = dir.path().join("words");
    let single = dir.path().join("single.db");
    ok(callqa_on(
        &single,
        &["-j", "2", "score", "--threads", "1", "--manifest", m],
    )
    .env(callqa::asr::cache::CACHE_ENV, &words)
    .output()
    .unwrap());

    let shard_dbs: Vec<_> = (1..=3)
        .map(|k| dir.path().join(format!("shard-{k}.db")))
        .collect();
    let children: Vec<_> = shard_dbs
        .iter()
        .enumerate()
        .map(|(k, db)| {
            let shard = format!("{}/3", k + 1);
            callqa_on(
                db,
                &[
                    "-j",
                    "1",
                    "score",
                    "--threads",
                    "1",
                    "--shard",
                    &shard,
                    "--manifest",
                    m,
                ],
            )
            .env(callqa::asr::cache::CACHE_ENV, &words)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        ok(child.wait_with_output().unwrap());
    }
    let per_shard: Vec<i64> = shard_dbs
        .iter()
        .map(|db| {
            Connection::open(db)
                .unwrap()
                .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
                .unwrap()
        })
        .collect();
    assert_eq!(per_shard.iter().sum::<i64>(), 6, "{per_shard:?}");
    assert!(
        per_shard.iter().all(|&n| n >= 1),
        "every shard has work: {per_shard:?}"
    );
    // The repeat pair sits in two shards, so no shard alone could link it.
    let linked_in_shards: i64 = shard_dbs
        .iter()
        .map(|db| {
            Connection::open(db)
                .unwrap()
                .query_row(
                    "SELECT count(*) FROM flags WHERE kind = 'repeat_call'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap()
        })
        .sum();
    assert_eq!(linked_in_shards, 0);

    let merged = dir.path().join("merged.db");
    let mut args = vec!["merge", "--into", merged.to_str().unwrap()];
    args.extend(shard_dbs.iter().map(|p| p.to_str().unwrap()));
    let err = ok(callqa_on(&merged, &args).output().unwrap());
    assert!(err.contains("1 linked"), "{err}");
    let expected = content(&single);
    assert!(
        expected.iter().any(|l| l.contains("\"repeat_call\"")),
        "the single run links the repeat"
    );
    let got = content(&merged);
    if got != expected {
        let missing: Vec<_> = expected
            .iter()
            .filter(|l| !got.contains(l))
            .take(5)
            .collect();
        let extra: Vec<_> = got
            .iter()
            .filter(|l| !expected.contains(l))
            .take(5)
            .collect();
        panic!("merged differs from the single run\nmissing: {missing:#?}\nextra: {extra:#?}");
    }

    // Idempotent: everything again, and one shard a third time.
    ok(callqa_on(&merged, &args).output().unwrap());
    ok(callqa_on(
        &merged,
        &[
            "merge",
            "--into",
            merged.to_str().unwrap(),
            shard_dbs[0].to_str().unwrap(),
        ],
    )
    .output()
    .unwrap());
    assert_eq!(content(&merged), expected);
    let integrity: String = Connection::open(&merged)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");

    // Merging a database into itself is refused, not a corruption.
    let out = callqa_on(
        &merged,
        &[
            "merge",
            "--into",
            merged.to_str().unwrap(),
            merged.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("into itself"));
}
