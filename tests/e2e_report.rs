//! `callqa report agent|team` end to end: the sample calls scored once for two agents over two
//! periods, then every format, checked against what the database holds.

mod common;

use common::*;
use rusqlite::Connection;
use serde_json::Value;
use std::path::Path;

const FROM: &str = "2026-03-01";
const TO: &str = "2026-03-30";

/// Scores the samples: alice has call01, call03 (same customer) and call06 (distress) in March
/// and call04 in February; bob has call05 in March and call02 in February.
fn scored_db(dir: &Path) -> std::path::PathBuf {
    let s = root().join("samples");
    let s = s.to_str().unwrap();
    let manifest = dir.join("calls.csv");
    std::fs::write(
        &manifest,
        format!(
            "call_id,file,agent_id,customer_id,started_at,queue,direction\n\
             A1,{s}/call01_billing_stereo_8k.wav,alice,C1,2026-03-02T09:00:00Z,billing,inbound\n\
             B0,{s}/call02_password_stereo_ulaw.wav,bob,C2,2026-02-10T10:00:00Z,support,inbound\n\
             A2,{s}/call03_cancellation_stereo.mp3,alice,C1,2026-03-20T11:00:00Z,billing,inbound\n\
             A0,{s}/call04_outage_mono.flac,alice,,2026-02-12T12:00:00Z,support,inbound\n\
             B1,{s}/call05_rude_agent_stereo.mp3,bob,C3,2026-03-22T13:00:00Z,billing,inbound\n\
             A3,{s}/call06_distress_card_stereo.mp3,alice,,2026-03-25T14:00:00Z,billing,inbound\n"
        ),
    )
    .unwrap();
    let db = dir.join("qa.db");
    let model = model();
    let out = callqa(&[
        "--db",
        db.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "score",
        "--manifest",
        manifest.to_str().unwrap(),
        s,
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    // What repeat-call detection records: call03 repeats call01, so call01 was not resolved.
    let conn = Connection::open(&db).unwrap();
    let id = |file: &str| -> String {
        conn.query_row(
            "SELECT call_id FROM calls WHERE path LIKE '%' || ?1",
            [file],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (first, second) = (
        id("call01_billing_stereo_8k.wav"),
        id("call03_cancellation_stereo.mp3"),
    );
    conn.execute(
        "INSERT INTO flags (call_id, kind, detail, of_call, evidence) VALUES
         (?1, 'repeat_call', 'same customer, same topic', ?2, '[]'),
         (?2, 'unresolved_first_contact', 'called again', ?1, '[]')",
        [&second, &first],
    )
    .unwrap();
    db
}

fn report(db: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--db", db.to_str().unwrap(), "report"];
    all.extend_from_slice(args);
    callqa(&all)
}

fn stdout_of(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        stderr_of(o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn close(a: &Value, b: Option<f64>) -> bool {
    match (a.as_f64(), b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
        (None, None) => a.is_null(),
        _ => false,
    }
}

/// Mean latest score per rubric of an agent's calls in [from, to], straight from SQL.
fn sql_means(conn: &Connection, agent: &str, from: &str, to: &str) -> Vec<(String, Option<f64>)> {
    let mut stmt = conn
        .prepare(
            "SELECT r.rubric_id, avg(r.score) FROM latest_rubric_results r
             JOIN calls c ON c.call_id = r.call_id
             WHERE c.agent_id = ?1 AND substr(c.started_at, 1, 10) BETWEEN ?2 AND ?3
             GROUP BY r.rubric_id ORDER BY r.rubric_id",
        )
        .unwrap();
    stmt.query_map([agent, from, to], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Mean of per-call mean scores of an agent's calls in March.
fn sql_agent_mean(conn: &Connection, agent: &str) -> f64 {
    conn.query_row(
        "SELECT avg(m) FROM (SELECT avg(r.score) AS m FROM latest_rubric_results r
             JOIN calls c ON c.call_id = r.call_id
             WHERE c.agent_id = ?1 AND substr(c.started_at, 1, 10) BETWEEN ?2 AND ?3
               AND r.score IS NOT NULL GROUP BY r.call_id)",
        [agent, FROM, TO],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn agent_and_team_reports_match_the_stored_results() {
    let dir = tempfile::tempdir().unwrap();
    let db = scored_db(dir.path());
    let conn = Connection::open(&db).unwrap();

    // JSON: the figures.
    let json: Value = serde_json::from_str(&stdout_of(&report(
        &db,
        &[
            "agent", "alice", "--from", FROM, "--to", TO, "--format", "json",
        ],
    )))
    .unwrap();
    assert_eq!(json["calls"], 3);
    assert_eq!(json["previous_period"]["from"], "2026-01-30");
    assert_eq!(json["previous_period"]["to"], "2026-02-28");
    let now = sql_means(&conn, "alice", FROM, TO);
    let before = sql_means(&conn, "alice", "2026-01-30", "2026-02-28");
    let rubrics = json["rubrics"].as_array().unwrap();
    assert_eq!(rubrics.len(), now.len());
    for (r, (id, mean)) in rubrics.iter().zip(&now) {
        assert_eq!(r["rubric_id"], id.as_str());
        assert!(close(&r["mean"], *mean), "{r} vs {mean:?}");
        let prev = before.iter().find(|b| &b.0 == id).and_then(|b| b.1);
        assert!(close(&r["previous_mean"], prev), "{r} vs {prev:?}");
        assert!(
            close(&r["trend"], mean.zip(prev).map(|(a, b)| a - b)),
            "{r}"
        );
    }
    assert!((json["mean_score"].as_f64().unwrap() - sql_agent_mean(&conn, "alice")).abs() < 1e-6);

    // Weakest criteria: pass rates as counted in SQL, lowest first, with tips and quotes.
    let weakest = json["weakest"].as_array().unwrap();
    assert!(!weakest.is_empty());
    let mut last = -1.0;
    for w in weakest {
        let (pass, fail): (i64, i64) = conn
            .query_row(
                "SELECT sum(k.result = 'pass'), sum(k.result = 'fail')
                 FROM latest_rubric_results r JOIN calls c ON c.call_id = r.call_id
                 JOIN criterion_results k ON k.result_id = r.result_id
                 WHERE c.agent_id = 'alice' AND substr(c.started_at, 1, 10) BETWEEN ?1 AND ?2
                   AND r.rubric_id = ?3 AND k.criterion_id = ?4",
                [
                    FROM,
                    TO,
                    w["rubric_id"].as_str().unwrap(),
                    w["criterion_id"].as_str().unwrap(),
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (w["pass"].as_i64(), w["fail"].as_i64()),
            (Some(pass), Some(fail))
        );
        assert!(fail > 0);
        let rate = w["pass_rate"].as_f64().unwrap();
        assert!((rate - pass as f64 / (pass + fail) as f64).abs() < 1e-9);
        assert!(rate >= last);
        last = rate;
        assert!(w["quotes"].as_array().unwrap().len() <= 2);
    }
    assert!(weakest.iter().any(|w| w["coach"].is_string()));
    assert!(json["strongest"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["pass"].as_i64() > Some(0)));

    // Repeat calls and first-contact resolution from the flags.
    assert_eq!(json["repeat"]["repeat_calls"], 1);
    assert_eq!(json["repeat"]["calls_with_customer"], 2);
    assert!(close(&json["repeat"]["fcr_rate"], Some(0.5)));
    assert!(close(&json["repeat"]["repeat_call_rate"], Some(1.0 / 3.0)));

    // call06's distress, and the card read back as a compliance miss.
    let distress_call: String = conn
        .query_row(
            "SELECT f.call_id FROM flags f JOIN calls c ON c.call_id = f.call_id
             WHERE f.kind = 'distress' AND c.path LIKE '%call06%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Reports name calls by the manifest's call id (call06 is A3), not by the audio hash.
    let short = "A3";
    assert_eq!(json["distress"][0]["call_id"], short);
    let response: Option<String> = conn
        .query_row(
            "SELECT k.result FROM latest_rubric_results r
             JOIN criterion_results k ON k.result_id = r.result_id
             WHERE r.call_id = ?1 AND k.criterion_id = 'distress_response'",
            [&distress_call],
            |r| r.get(0),
        )
        .ok();
    assert_eq!(
        json["distress"][0]["response"].as_str(),
        response.as_deref()
    );
    assert!(json["distress"][0]["next_agent_utterance"]["quote"].is_string());
    // Compliance misses: every failing compliance criterion of alice's March calls.
    let mut expected: Vec<(String, String)> = conn
        .prepare(
            "SELECT coalesce(c.external_id, substr(c.call_id, 1, 12)), k.criterion_id
             FROM latest_rubric_results r JOIN calls c ON c.call_id = r.call_id
             JOIN criterion_results k ON k.result_id = r.result_id
             WHERE c.agent_id = 'alice' AND substr(c.started_at, 1, 10) BETWEEN ?1 AND ?2
               AND r.rubric_id = 'compliance' AND k.result = 'fail'",
        )
        .unwrap()
        .query_map([FROM, TO], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut misses: Vec<(String, String)> = json["compliance_misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["call_id"].as_str().unwrap().to_string(),
                m["criterion_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    expected.sort();
    misses.sort();
    assert_eq!(misses, expected);

    // Metrics: handle time is the mean duration.
    let duration: f64 = conn
        .query_row(
            "SELECT avg(duration_s) FROM calls WHERE agent_id = 'alice' AND substr(started_at, 1, 10) BETWEEN ?1 AND ?2",
            [FROM, TO],
            |r| r.get(0),
        )
        .unwrap();
    assert!(close(&json["metrics"]["avg_handle_time_s"], Some(duration)));

    // Rank: against bob's mean.
    let expected_rank = if sql_agent_mean(&conn, "bob") > sql_agent_mean(&conn, "alice") {
        2
    } else {
        1
    };
    assert_eq!(json["rank"], expected_rank);
    assert_eq!(json["ranked_agents"], 2);

    // Markdown: distress listed first.
    let md = stdout_of(&report(
        &db,
        &["agent", "alice", "--from", FROM, "--to", TO],
    ));
    let d = md.find("Customers in distress").expect("distress section");
    assert!(d < md.find("## Summary").unwrap() && d < md.find("## Scores by rubric").unwrap());
    assert!(md.contains(short), "{md}");

    // HTML: one self-contained file with SVG charts.
    let html_path = dir.path().join("alice.html");
    let out = report(
        &db,
        &[
            "agent",
            "alice",
            "--from",
            FROM,
            "--to",
            TO,
            "--format",
            "html",
            "--out",
            html_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.matches("<svg").count() >= 2, "two charts");
    assert!(html.contains("<polyline") || html.contains("<circle"));
    for external in ["http:", "https:", "<script", "src=", "url(", "<link"] {
        assert!(!html.contains(external), "{external} in the HTML");
    }
    assert!(html.contains(r#"dir="auto""#));
    assert!(html.find("Customers in distress").unwrap() < html.find("Scores by rubric").unwrap());

    // Team: the leaderboard.
    let team: Value = serde_json::from_str(&stdout_of(&report(
        &db,
        &["team", "--from", FROM, "--to", TO, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(team["calls"], 4);
    assert_eq!(team["agents"], 2);
    let board = team["leaderboard"].as_array().unwrap();
    assert_eq!(board.len(), 2);
    for row in board {
        let agent = row["agent_id"].as_str().unwrap();
        assert!((row["mean_score"].as_f64().unwrap() - sql_agent_mean(&conn, agent)).abs() < 1e-6);
    }
    assert!(board[0]["mean_score"].as_f64() >= board[1]["mean_score"].as_f64());
    assert_eq!(
        board[if expected_rank == 1 { 0 } else { 1 }]["agent_id"],
        "alice"
    );
    let team_md = stdout_of(&report(&db, &["team", "--from", FROM, "--to", TO]));
    assert!(team_md.contains("## Leaderboard"));

    // Every report is kept.
    let rows: Vec<(String, Option<String>, String, String, String)> = conn
        .prepare("SELECT scope, agent_id, period_from, period_to, format FROM coaching_reports ORDER BY report_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let formats: Vec<&str> = rows.iter().map(|r| r.4.as_str()).collect();
    assert_eq!(formats, ["json", "md", "html", "json", "md"]);
    assert_eq!(rows[0].1.as_deref(), Some("alice"));
    assert_eq!((rows[3].0.as_str(), rows[3].1.as_deref()), ("team", None));
    assert!(rows.iter().all(|r| r.2 == FROM && r.3 == TO));
    let stored_html: String = conn
        .query_row(
            "SELECT body FROM coaching_reports WHERE format = 'html'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored_html, html);

    // An agent without calls in the period: a clear error, exit 2, nothing stored.
    let out = report(&db, &["agent", "nobody", "--from", FROM, "--to", TO]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("no stored calls"),
        "{}",
        stderr_of(&out)
    );
    // Default period: 30 days ending at the newest call (2026-03-25).
    let default: Value =
        serde_json::from_str(&stdout_of(&report(&db, &["team", "--format", "json"]))).unwrap();
    assert_eq!(default["period"]["from"], "2026-02-24");
    assert_eq!(default["period"]["to"], "2026-03-25");
}
