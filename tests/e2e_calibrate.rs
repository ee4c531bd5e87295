//! `callqa calibrate` end to end: two sample calls scored with the default model, a labels file
//! written by hand against the verdicts callqa stored (naming calls by manifest id, file name,
//! hash and hash prefix, with unknown ids, rubrics and criteria among them), every figure checked
//! against a computation from those stored verdicts, the `calibrations` rows, and a verdict sheet
//! from `sample --template` filled in and read back.

mod common;

use common::*;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CALL01: &str = "call01_billing_stereo_8k.wav";
const CALL02: &str = "call02_password_stereo_ulaw.wav";

/// One stored criterion verdict, as `export` gives it.
#[derive(Debug, Clone)]
struct Stored {
    hash: String,
    rubric: String,
    criterion: String,
    result: String,
    evidence: Vec<Value>,
}

fn scored_db(dir: &Path) -> PathBuf {
    let s = root().join("samples");
    let manifest = dir.join("calls.csv");
    std::fs::write(
        &manifest,
        format!(
            "call_id,file,agent_id,customer_id,started_at,queue,direction\n\
             T-100,{s}/{CALL01},alice,C1,2026-03-02T09:00:00Z,billing,inbound\n\
             T-200,{s}/{CALL02},bob,C2,2026-03-03T10:00:00Z,support,inbound\n",
            s = s.display()
        ),
    )
    .unwrap();
    let db = dir.join("qa.db");
    let out = callqa_on(
        &db,
        &["score", "--manifest", manifest.to_str().unwrap(), "-j", "1"],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    db
}

/// Every stored verdict of the latest results, in export order (call, rubric, criterion).
fn stored_verdicts(db: &Path) -> Vec<Stored> {
    let out = callqa_on(db, &["export", "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut all = Vec::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let call: Value = serde_json::from_str(line).unwrap();
        for r in call["rubrics"].as_array().unwrap() {
            for c in r["criteria"].as_array().unwrap() {
                all.push(Stored {
                    hash: call["audio_hash"].as_str().unwrap().to_string(),
                    rubric: r["id"].as_str().unwrap().to_string(),
                    criterion: c["id"].as_str().unwrap().to_string(),
                    result: c["result"].as_str().unwrap().to_string(),
                    evidence: c["evidence"].as_array().unwrap().clone(),
                });
            }
        }
    }
    all
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn other(v: &str) -> &'static str {
    match v {
        "pass" => "fail",
        "fail" => "na",
        _ => "pass",
    }
}

/// The hand computation: (agreement, kappa) of (human, callqa) pairs, kappa undefined (None)
/// when chance agreement is 1.
fn figures(pairs: &[(String, String)]) -> (f64, Option<f64>) {
    let n = pairs.len() as f64;
    let po = pairs.iter().filter(|(h, q)| h == q).count() as f64 / n;
    let pe: f64 = ["pass", "fail", "na"]
        .iter()
        .map(|k| {
            let h = pairs.iter().filter(|(h, _)| h == k).count() as f64 / n;
            let q = pairs.iter().filter(|(_, q)| q == k).count() as f64 / n;
            h * q
        })
        .sum();
    let kappa = (pe < 1.0 - 1e-12).then(|| (po - pe) / (1.0 - pe));
    (po, kappa)
}

fn same(json: &Value, expected: Option<f64>) -> bool {
    match (json.as_f64(), expected) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => json.is_null(),
        _ => false,
    }
}

fn counts(pairs: &[(String, String)]) -> Value {
    let classes = ["pass", "fail", "na"];
    let rows: Vec<Vec<usize>> = classes
        .iter()
        .map(|h| {
            classes
                .iter()
                .map(|q| pairs.iter().filter(|(a, b)| a == h && b == q).count())
                .collect()
        })
        .collect();
    serde_json::json!(rows)
}

fn mm_ss(seconds: f64) -> String {
    let s = seconds.round() as u64;
    format!("{:02}:{:02}", s / 60, s % 60)
}

fn calibrate(db: &Path, labels: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec!["calibrate", "--labels", labels.to_str().unwrap()];
    args.extend_from_slice(more);
    callqa_on(db, &args).output().unwrap()
}

#[test]
fn calibrate_agrees_with_a_hand_computation_and_a_verdict_sheet_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = scored_db(dir.path());
    let stored = stored_verdicts(&db);
    let hashes: Vec<String> = {
        let mut h: Vec<String> = stored.iter().map(|s| s.hash.clone()).collect();
        h.dedup();
        h
    };
    assert_eq!(hashes.len(), 2, "two calls scored");
    let conn = Connection::open(&db).unwrap();
    let hash_of = |file: &str| -> String {
        conn.query_row(
            "SELECT call_id FROM calls WHERE path LIKE '%' || ?1",
            [file],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (h1, h2) = (hash_of(CALL01), hash_of(CALL02));

    // Each call named every way in turn: manifest id, file name, full hash, hash prefix. The
    // human disagrees on every third criterion (in another class each time) and writes verdicts
    // in mixed case.
    let names = |hash: &str| -> [String; 4] {
        let (id, file) = if hash == h1 {
            ("T-100", CALL01)
        } else {
            ("T-200", CALL02)
        };
        [
            id.to_string(),
            file.to_string(),
            hash.to_string(),
            hash[..12].to_uppercase(),
        ]
    };
    let mut labels = String::from("call_id,rubric,criterion,verdict,evaluator,note,reviewed_on\n");
    let mut expected: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    let mut disagreements = 0;
    for (i, s) in stored.iter().enumerate() {
        let human = if i % 3 == 0 {
            disagreements += 1;
            other(&s.result)
        } else {
            s.result.as_str()
        };
        let written = match (i % 4, human) {
            (0, v) => v.to_uppercase(),
            (1, "na") => "N/A".to_string(),
            (_, v) => v.to_string(),
        };
        labels.push_str(&format!(
            "{},{},{},{},{},{},2026-04-01\n",
            names(&s.hash)[i % 4],
            s.rubric,
            s.criterion,
            written,
            if i % 2 == 0 { "ann" } else { "bob" },
            csv_field(&format!("row {i}, \"checked\"")),
        ));
        expected
            .entry((s.rubric.clone(), s.criterion.clone()))
            .or_default()
            .push((human.to_string(), s.result.clone()));
    }
    let first = &stored[0];
    labels.push_str(&format!(
        "T-999,{r},{c},pass,ann,,\n\
         {CALL01},nosuch_rubric,greeting,pass,ann,,\n\
         T-100,{r},nosuch_criterion,fail,ann,,\n\
         T-200,{r},{c},,ann,not judged yet,\n\
         T-200,{r},{c},maybe,ann,,\n",
        r = first.rubric,
        c = first.criterion
    ));
    let labels_path = dir.path().join("labels.csv");
    std::fs::write(&labels_path, &labels).unwrap();

    let out = calibrate(&db, &labels_path, &["--format", "json"]);
    let err = stderr_of(&out);
    assert!(out.status.success(), "unknowns are never fatal: {err}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();

    // Overall, pooled over all pairs.
    let all: Vec<(String, String)> = expected.values().flatten().cloned().collect();
    assert_eq!(all.len(), stored.len());
    let (po, kappa) = figures(&all);
    assert_eq!(json["n"], stored.len());
    assert_eq!(json["calls"], 2);
    assert!(
        same(&json["agreement"], Some(po)),
        "{} vs {po}",
        json["agreement"]
    );
    assert!(
        same(&json["kappa"], kappa),
        "{} vs {kappa:?}",
        json["kappa"]
    );
    assert_eq!(json["confusion"]["counts"], counts(&all));
    let agreement = json["agreement"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&agreement));
    assert!(
        (agreement - (1.0 - disagreements as f64 / stored.len() as f64)).abs() < 1e-9,
        "every third pair was made to disagree"
    );

    // Per criterion.
    let criteria = json["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), expected.len());
    let mut listed_disagreements = 0;
    for c in criteria {
        let key = (
            c["rubric"].as_str().unwrap().to_string(),
            c["criterion"].as_str().unwrap().to_string(),
        );
        let pairs = &expected[&key];
        let (po, kappa) = figures(pairs);
        assert_eq!(c["n"], pairs.len(), "{key:?}");
        assert!(same(&c["agreement"], Some(po)), "{key:?}");
        assert!(
            same(&c["kappa"], kappa),
            "{key:?}: {} vs {kappa:?}",
            c["kappa"]
        );
        assert_eq!(c["confusion"]["counts"], counts(pairs), "{key:?}");
        assert!(c["thresholds"].is_array());
        let wrong = pairs.iter().filter(|(h, q)| h != q).count();
        let ds = c["disagreements"].as_array().unwrap();
        assert_eq!(ds.len(), wrong, "{key:?}");
        listed_disagreements += ds.len();
        for d in ds {
            // callqa's own evidence for its verdict, with its time as mm:ss.
            let hash = d["audio_hash"].as_str().unwrap();
            let s = stored
                .iter()
                .find(|s| s.hash == hash && s.rubric == key.0 && s.criterion == key.1)
                .unwrap();
            assert_eq!(d["callqa"], s.result.as_str());
            assert_eq!(d["human"], other(&s.result));
            let evidence = d["evidence"].as_array().unwrap();
            assert_eq!(evidence.len(), s.evidence.len());
            for (e, se) in evidence.iter().zip(&s.evidence) {
                assert_eq!(e["quote"], se["quote"]);
                assert_eq!(e["speaker"], se["speaker"]);
                assert_eq!(e["time"], mm_ss(se["start"].as_f64().unwrap()).as_str());
            }
            assert!(d["note"].as_str().unwrap().ends_with(", \"checked\""));
            assert!(["ann", "bob"].contains(&d["evaluator"].as_str().unwrap()));
        }
    }
    assert_eq!(listed_disagreements, disagreements);

    // What could not be compared is listed, with one warning line per kind.
    assert_eq!(json["unknown"]["call_ids"], serde_json::json!(["T-999"]));
    assert_eq!(
        json["unknown"]["rubrics"],
        serde_json::json!(["nosuch_rubric"])
    );
    assert_eq!(
        json["unknown"]["criteria"],
        serde_json::json!([format!("{}/nosuch_criterion", first.rubric)])
    );
    assert_eq!(json["blank_rows"], 1);
    assert_eq!(json["invalid_rows"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["invalid_rows"][0]["line"],
        stored.len() + 2 + 4,
        "header, the labels, four rows before it"
    );
    for warning in [
        "1 unknown call id(s), not compared: T-999",
        "1 unknown rubric(s), not compared: nosuch_rubric",
        "1 unknown criterion(s), not compared:",
        "1 row(s) not read, not compared: line",
    ] {
        assert!(err.contains(warning), "missing {warning:?} in: {err}");
    }

    // The run is kept, with the same figures.
    let row: (String, i64, Option<f64>, Option<f64>, String) = conn
        .query_row(
            "SELECT labels_file, n, agreement, kappa, result FROM calibrations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(row.0, labels_path.to_str().unwrap());
    assert_eq!(row.1 as usize, stored.len());
    assert!(same(&json["agreement"], row.2));
    assert!(same(&json["kappa"], row.3));
    assert_eq!(serde_json::from_str::<Value>(&row.4).unwrap(), json);

    // Markdown (default) and HTML say the same.
    let md = calibrate(&db, &labels_path, &[]);
    assert!(md.status.success());
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains(&format!("agreement {:.1} %", po * 100.0)),
        "{md}"
    );
    for (rubric, criterion) in expected.keys() {
        assert!(md.contains(&format!("## {rubric}/{criterion} ")), "{md}");
    }
    assert!(md.contains("unknown call ids: T-999"));
    let html_path = dir.path().join("calibration.html");
    let html = calibrate(
        &db,
        &labels_path,
        &["--format", "html", "--out", html_path.to_str().unwrap()],
    );
    assert!(html.status.success(), "{}", stderr_of(&html));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("&quot;checked&quot;"));
    let runs: i64 = conn
        .query_row("SELECT count(*) FROM calibrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(runs, 3, "every run is kept");

    // The verdict sheet of a sample: one row per call and criterion, verdict empty; filled in
    // and read back.
    let sheet = callqa_on(
        &db,
        &[
            "sample",
            "--n",
            "2",
            "--seed",
            "7",
            "--format",
            "csv",
            "--template",
        ],
    )
    .output()
    .unwrap();
    assert!(sheet.status.success(), "{}", stderr_of(&sheet));
    let mut rdr = csv::Reader::from_reader(sheet.stdout.as_slice());
    assert_eq!(
        rdr.headers().unwrap(),
        vec![
            "call_id",
            "rubric",
            "criterion",
            "verdict",
            "evaluator",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), stored.len());
    let mut filled = csv::Writer::from_writer(Vec::new());
    filled
        .write_record([
            "call_id",
            "rubric",
            "criterion",
            "verdict",
            "evaluator",
            "note",
        ])
        .unwrap();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(&r[3], "", "verdict left for the auditor");
        let hash = if &r[0] == "T-100" {
            &h1
        } else {
            assert_eq!(&r[0], "T-200", "calls named by the manifest id");
            &h2
        };
        let s = stored
            .iter()
            .find(|s| &s.hash == hash && s.rubric == r[1] && s.criterion == r[2])
            .unwrap();
        let verdict = if i == 0 { other(&s.result) } else { &s.result };
        filled
            .write_record([
                &r[0],
                &r[1],
                &r[2],
                verdict,
                "carol",
                "a note, with a comma",
            ])
            .unwrap();
    }
    let sheet_path = dir.path().join("sheet.csv");
    std::fs::write(&sheet_path, filled.into_inner().unwrap()).unwrap();
    let back = calibrate(&db, &sheet_path, &["--format", "json"]);
    assert!(back.status.success(), "{}", stderr_of(&back));
    assert!(
        !stderr_of(&back).contains("warning"),
        "{}",
        stderr_of(&back)
    );
    let back: Value = serde_json::from_slice(&back.stdout).unwrap();
    let n = stored.len() as f64;
    assert_eq!(back["n"], stored.len());
    assert!(same(&back["agreement"], Some((n - 1.0) / n)));
    for list in ["call_ids", "ambiguous_call_ids", "rubrics", "criteria"] {
        assert_eq!(back["unknown"][list], serde_json::json!([]), "{list}");
    }
    assert_eq!(back["not_scored"], serde_json::json!([]));
    let one: Vec<&Value> = back["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["disagreements"].as_array().unwrap())
        .collect();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["call_id"], &rows[0][0]);
    assert_eq!(one[0]["evaluator"], "carol");

    // A verdict sheet is CSV only.
    let bad = callqa_on(&db, &["sample", "--n", "1", "--template"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr_of(&bad).contains("--format csv"));
}
