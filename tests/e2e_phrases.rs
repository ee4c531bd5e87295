//! Key phrases on real audio, both directions, through the default model (tiny.en) and the shipped
//! rubrics (`tests/data/phrases/`, made by `scripts/make_samples.py --phrases`):
//! - an agent who does everything in other words than the phrase lists — "this call is monitored
//!   and recorded", verification inside a question naming the account, "anything at all else",
//!   "thanks so much for calling" — passes;
//! - an agent whose words come close but who never does it — "this call is not recorded", a
//!   balance read out before any check, no offer of help, a goodbye without thanks — fails.

mod common;

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

/// `expected`: "rubric.criterion=verdict"; every mismatch is collected with its evidence.
fn check(db: &Path, file: &str, expected: &[&str], failures: &mut Vec<String>) {
    let a = analysis_of(db, file);
    for e in expected {
        let (key, want) = e.split_once('=').expect("rubric.criterion=verdict");
        let (rubric, id) = key.split_once('.').expect("rubric.criterion");
        let got = a
            .results
            .iter()
            .find(|r| r.rubric_id == rubric)
            .and_then(|r| r.criteria.iter().find(|c| c.id == id));
        match got {
            None => failures.push(format!("{file}: no {key}")),
            Some(c) if c.result.as_str() != want => failures.push(format!(
                "{file} {key}: {} (expected {want}); evidence: {:?}",
                c.result.as_str(),
                c.evidence
            )),
            Some(_) => {}
        }
    }
}

#[test]
fn reworded_steps_pass_and_steps_not_taken_fail_on_real_audio() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let data = root().join("tests/data/phrases");
    let out = callqa_on(&db, &["score", data.to_str().unwrap()])
        .output()
        .unwrap();
    // Failed criteria are verdicts, not file errors: every file succeeded.
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut failures = Vec::new();
    check(
        &db,
        "call31_reworded_stereo_8k.wav",
        &[
            "qa.recording_disclosure=pass",
            "compliance.recording_disclosure=pass",
            "qa.identity_verification=pass",
            "compliance.identity_verification=pass",
            "qa.company_name=pass",
            "qa.closing_further_help=pass",
            "qa.closing_thanks=pass",
        ],
        &mut failures,
    );
    check(
        &db,
        "call32_not_done_stereo_8k.wav",
        &[
            "qa.recording_disclosure=fail",
            "compliance.recording_disclosure=fail",
            "qa.identity_verification=fail",
            "compliance.identity_verification=fail",
            "qa.closing_further_help=fail",
            "qa.closing_thanks=fail",
        ],
        &mut failures,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
