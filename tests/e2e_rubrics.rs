//! The rubric engine end to end: real sample audio through the real model, scored with the
//! shipped rubrics, and the exact criterion results the sample calls were designed to produce
//! (samples/README.md says which call is built to pass or fail what).
//!
//! The designed-failure assertions use Whisper base with beam search, the configuration the
//! README recommends for telephone audio: with tiny.en, ASR slips ("calm down" heard as "come
//! down") decide some criteria instead of the agent's behaviour. The default model's run is
//! checked for the results it gets right robustly in `e2e_score.rs`.

mod common;

use callqa::analysis::rubric::{CriterionVerdict, RubricResult};
use callqa::analysis::CallAnalysis;
use callqa::store::Store;
use common::*;
use rusqlite::Connection;
use std::path::Path;

fn analysis_of(db: &Path, file: &str) -> CallAnalysis {
    let conn = Connection::open(db).unwrap();
    let id: String = conn
        .query_row(
            "SELECT call_id FROM calls WHERE path LIKE '%' || ?1",
            [file],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{file} not stored: {e}"));
    Store::open(db)
        .unwrap()
        .load_analysis(&id)
        .unwrap()
        .unwrap_or_else(|| panic!("{file} has no analysis"))
}

fn rubric<'a>(a: &'a CallAnalysis, id: &str) -> &'a RubricResult {
    a.results
        .iter()
        .find(|r| r.rubric_id == id)
        .unwrap_or_else(|| panic!("no {id} result"))
}

/// Checks `expected` ("criterion=pass|fail|na") against one rubric result; collects mismatches
/// with the evidence so a failure explains itself.
fn check(file: &str, r: &RubricResult, expected: &[&str], failures: &mut Vec<String>) {
    for e in expected {
        let (id, want) = e.split_once('=').expect("criterion=verdict");
        let Some(c) = r.criteria.iter().find(|c| c.id == id) else {
            failures.push(format!("{file} {}: no criterion {id}", r.rubric_id));
            continue;
        };
        if c.result.as_str() != want {
            failures.push(format!(
                "{file} {}.{id}: {} (expected {want}); evidence: {:?}",
                r.rubric_id,
                c.result.as_str(),
                c.evidence
            ));
        }
    }
}

fn scripted_start(file: &str, containing: &str) -> f64 {
    let (_, reference) = samples()
        .into_iter()
        .find(|(p, _)| p.ends_with(file))
        .expect("sample");
    reference
        .turns
        .iter()
        .find(|t| t.text.contains(containing))
        .unwrap_or_else(|| panic!("{file}: no turn with {containing:?}"))
        .start
}

#[test]
fn sample_calls_get_the_results_they_were_designed_for_and_rescoring_keeps_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let db_s = db.to_str().unwrap();
    let base = base_model();
    let out = callqa(&[
        "--db",
        db_s,
        "--model",
        base.to_str().unwrap(),
        "score",
        "--beam",
        "5",
        "--language",
        "en",
        "samples",
    ]);
    let err = stderr_of(&out);
    assert!(out.status.success(), "score failed: {err}");
    assert!(err.contains("rubric averages over 6 call(s)"), "{err}");

    let mut failures = Vec::new();

    let a = analysis_of(&db, "call01_billing_stereo_8k.wav");
    check(
        "call01",
        rubric(&a, "qa"),
        &[
            "greeting=pass",
            "recording_disclosure=pass",
            "identity_verification=pass",
            "empathy=na",
            "hold_permission=na",
            "hold_thanks=na",
            "closing_further_help=pass",
            "closing_thanks=pass",
        ],
        &mut failures,
    );
    assert_eq!(rubric(&a, "compliance").score, Some(100.0));

    let a = analysis_of(&db, "call02_password_stereo_ulaw.wav");
    assert_eq!(a.metrics.hold_count, 1, "call02 has one 3.5 s hold");
    check(
        "call02",
        rubric(&a, "qa"),
        &[
            "recording_disclosure=pass",
            "hold_permission=pass",
            "hold_thanks=pass",
            "empathy=na",
        ],
        &mut failures,
    );

    let a = analysis_of(&db, "call03_cancellation_stereo.mp3");
    check(
        "call03",
        rubric(&a, "qa"),
        &[
            "empathy=pass",
            "identity_verification=pass",
            "recording_disclosure=pass",
        ],
        &mut failures,
    );

    let a = analysis_of(&db, "call04_outage_mono.flac");
    check(
        "call04",
        rubric(&a, "qa"),
        &[
            "recording_disclosure=pass",
            "identity_verification=pass",
            "closing_further_help=pass",
        ],
        &mut failures,
    );
    assert!(
        a.metrics
            .estimated
            .iter()
            .any(|m| m == "interruptions_by_agent"),
        "mono metrics are estimates"
    );

    // The rude agent: every designed failure.
    let a = analysis_of(&db, "call05_rude_agent_stereo.mp3");
    let qa = rubric(&a, "qa");
    check(
        "call05",
        qa,
        &[
            "greeting=pass",
            "agent_name=pass",
            "recording_disclosure=fail",
            "identity_verification=fail",
            "empathy=fail",
            "hold_permission=fail",
            "hold_thanks=fail",
            "closing_further_help=fail",
            "closing_thanks=fail",
        ],
        &mut failures,
    );
    assert!(
        qa.critical_failed && qa.score == Some(0.0),
        "qa: {:?}",
        qa.score
    );
    let etiquette = rubric(&a, "etiquette");
    check(
        "call05",
        etiquette,
        &[
            "no_prohibited_language=fail",
            "politeness=fail",
            "no_interrupting=fail",
            "no_dead_air=fail",
            "talk_balance=pass",
        ],
        &mut failures,
    );
    let rude = etiquette
        .criteria
        .iter()
        .find(|c| c.id == "no_prohibited_language")
        .unwrap();
    let calm_down = scripted_start("call05_rude_agent_stereo.mp3", "Calm down");
    assert!(
        rude.evidence
            .iter()
            .any(|e| (e.start - calm_down).abs() < 1.0
                && e.quote.to_lowercase().contains("calm down")),
        "evidence should quote 'calm down' at {calm_down:.1}s: {:?}",
        rude.evidence
    );
    assert!(
        rude.coach.is_some(),
        "a failed criterion carries its coaching tip"
    );
    assert_eq!(a.metrics.interruptions_by_agent, 3);
    assert_eq!(a.metrics.dead_air_count, 1);
    let compliance = rubric(&a, "compliance");
    check(
        "call05",
        compliance,
        &[
            "recording_disclosure=fail",
            "identity_verification=fail",
            "no_full_card_readback=pass",
            "distress_response=na",
        ],
        &mut failures,
    );

    // Distress handled well, card number read back.
    let a = analysis_of(&db, "call06_distress_card_stereo.mp3");
    assert_eq!(
        a.flags.first().map(|f| f.kind.as_str()),
        Some("distress"),
        "distress is listed first: {:?}",
        a.flags
    );
    let hopeless = scripted_start("call06_distress_card_stereo.mp3", "hopeless");
    assert!(
        (a.flags[0].evidence[0].start - hopeless).abs() < 1.0,
        "{:?}",
        a.flags[0]
    );
    let pii = a
        .flags
        .iter()
        .find(|f| f.kind.as_str() == "pii_spoken")
        .expect("pii_spoken flag");
    assert!(pii.detail.contains("card_number"), "{pii:?}");
    let compliance = rubric(&a, "compliance");
    check(
        "call06",
        compliance,
        &[
            "recording_disclosure=pass",
            "identity_verification=na",
            "no_full_card_readback=fail",
            "distress_response=pass",
        ],
        &mut failures,
    );
    assert!(compliance.critical_failed && compliance.score == Some(0.0));
    let readback = compliance
        .criteria
        .iter()
        .find(|c| c.id == "no_full_card_readback")
        .unwrap();
    let read_at = scripted_start("call06_distress_card_stereo.mp3", "read it back");
    assert!(
        readback
            .evidence
            .iter()
            .any(|e| (e.start - read_at).abs() < 1.0),
        "{:?}",
        readback.evidence
    );
    for e in &readback.evidence {
        assert!(
            e.quote.contains("[CARD_NUMBER]")
                && !e.quote.contains("4-9-1-6")
                && !e.quote.contains("4916"),
            "evidence must not repeat the card: {}",
            e.quote
        );
    }
    check(
        "call06",
        rubric(&a, "qa"),
        &[
            "empathy=pass",
            "recording_disclosure=pass",
            "closing_further_help=pass",
        ],
        &mut failures,
    );

    // Nothing of the card number reached the database: not the transcript, its words, the
    // evidence or the flags.
    let conn = Connection::open(&db).unwrap();
    // Only the words said, not the times and probabilities beside them ("0.16491623" is no card).
    let said_in = |json: &str, key: &str| -> String {
        serde_json::from_str::<Vec<serde_json::Value>>(json)
            .unwrap()
            .iter()
            .filter_map(|v| v[key].as_str().map(str::to_string))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut stored: Vec<String> = Vec::new();
    let mut utterances = conn
        .prepare(
            "SELECT u.text, u.words FROM utterances u JOIN calls c USING (call_id)
             WHERE c.path LIKE '%call06_distress_card_stereo.mp3'",
        )
        .unwrap();
    for row in utterances
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (text, words) = row.unwrap();
        stored.push(format!("{text} | {}", said_in(&words, "text")));
    }
    let mut stmt = conn
        .prepare("SELECT evidence FROM criterion_results UNION ALL SELECT evidence FROM flags")
        .unwrap();
    for row in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        stored.push(said_in(&row.unwrap(), "quote"));
    }
    assert!(stored.iter().any(|s| s.contains("[CARD_NUMBER]")));
    for s in &stored {
        let spoken = [
            "4916",
            "4-9-1-6",
            "4, 9, 1, 6",
            "3815",
            "3-8-1-5",
            "2079",
            "2-0-7-9",
        ];
        assert!(
            !spoken.iter().any(|d| s.contains(d)),
            "card digits stored: {s}"
        );
    }
    drop(utterances);
    drop(stmt);
    drop(conn);

    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The shipped pace limit (260 words a minute of speech) passes the scripted agent's
    // ordinary pace; the edit below must turn that into a failure on rescoring.
    let shipped_pace = rubric(
        &analysis_of(&db, "call01_billing_stereo_8k.wav"),
        "etiquette",
    )
    .criteria
    .iter()
    .find(|c| c.id == "speaking_pace")
    .map(|c| c.result);
    assert_eq!(shipped_pace, Some(CriterionVerdict::Pass));

    // A rubric edit, rescored without touching audio: new results, old ones kept as history.
    let shipped_etiquette = shipped_version("etiquette.yaml");
    let rubrics = dir.path().join("rubrics");
    std::fs::create_dir(&rubrics).unwrap();
    for f in ["qa.yaml", "etiquette.yaml", "compliance.yaml"] {
        let text = std::fs::read_to_string(root().join("rubrics").join(f)).unwrap();
        let text = if f == "etiquette.yaml" {
            assert!(text.contains("at_most: 260"));
            text.replace(
                &format!("version: {shipped_etiquette}"),
                &format!("version: {}", shipped_etiquette + 1),
            )
            .replace("at_most: 260", "at_most: 100")
        } else {
            text
        };
        std::fs::write(rubrics.join(f), text).unwrap();
    }
    let conn = Connection::open(&db).unwrap();
    let utterances_before: i64 = conn
        .query_row("SELECT count(*) FROM utterances", [], |r| r.get(0))
        .unwrap();
    let out = callqa(&[
        "--db",
        db_s,
        "rescore",
        "--rubric",
        rubrics.to_str().unwrap(),
    ]);
    let err = stderr_of(&out);
    assert!(out.status.success(), "rescore failed: {err}");
    assert!(
        err.contains("rescored 6 call(s)") && err.contains("rubric averages"),
        "{err}"
    );
    let a = analysis_of(&db, "call01_billing_stereo_8k.wav");
    let etiquette = rubric(&a, "etiquette");
    assert_eq!(etiquette.version, shipped_etiquette + 1);
    let pace = etiquette
        .criteria
        .iter()
        .find(|c| c.id == "speaking_pace")
        .unwrap();
    // No agent speaks under 100 words a minute of speech: the edited limit fails them all.
    assert_eq!(pace.result, CriterionVerdict::Fail, "{:?}", pace.evidence);
    // Rescored from the redacted transcript, the card read-back is still found.
    let a = analysis_of(&db, "call06_distress_card_stereo.mp3");
    let readback = rubric(&a, "compliance")
        .criteria
        .iter()
        .find(|c| c.id == "no_full_card_readback")
        .unwrap();
    assert_eq!(
        readback.result,
        CriterionVerdict::Fail,
        "{:?}",
        readback.evidence
    );
    let (versions, rows): (i64, i64) = conn
        .query_row(
            "SELECT count(DISTINCT rubric_version), count(*) FROM rubric_results WHERE rubric_id = 'etiquette'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((versions, rows), (2, 12), "both versions' results are kept");
    let utterances_after: i64 = conn
        .query_row("SELECT count(*) FROM utterances", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        utterances_before, utterances_after,
        "rescoring does not re-transcribe"
    );
}

#[test]
fn rubric_check_accepts_the_shipped_rubrics_and_points_at_mistakes() {
    let out = callqa(&["rubric", "check", "rubrics"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    for id in ["qa", "etiquette", "compliance"] {
        assert!(listed.contains(&format!(": {id} v")), "{listed}");
    }

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "id: bad\ntitle: Bad\nversion: 1\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: c\n        title: C\n        applies_when: hold\n        check: {metric: {name: agent_speed, at_most: 3}}\n",
    )
    .unwrap();
    let out = callqa(&["rubric", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    let name = bad.display().to_string();
    assert!(
        err.contains(&format!("{name}:10:23: unknown condition \"hold\"")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:11:32: unknown metric \"agent_speed\"")),
        "{err}"
    );

    // score refuses a broken rubric before any transcription, naming the place.
    let db = dir.path().join("x.db");
    let out = callqa(&[
        "--db",
        db.to_str().unwrap(),
        "--model",
        model().to_str().unwrap(),
        "score",
        "--rubric",
        bad.to_str().unwrap(),
        "samples",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains(&format!("{name}:11:32")),
        "{}",
        stderr_of(&out)
    );
}

/// The `version:` a shipped rubric file declares.
fn shipped_version(file: &str) -> u32 {
    let text = std::fs::read_to_string(root().join("rubrics").join(file)).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("version: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{file} has no version"))
}
