//! Personal data said the hard way, end to end on real audio: nothing of it may reach the
//! database or an export.
//!
//! The calls (tests/data/pii/, made by `scripts/make_samples.py --pii`) are synthetic: the agent
//! asks for "the long number on the front" (the word "card" is never said), the customer
//! dictates it in two turns with the agent's "go on" between them — the first piece six digits,
//! no number on its own — and gives a date of birth two turns after the question ("Let me
//! think." / "Take your time!"). English is scored with tiny.en, Russian (RHVoice) with
//! multilingual base. The English run also carries card numbers in a file name, in a file that
//! fails, and in a manifest's extra column.
//!
//! Whisper writes digits its own way ("483 7, 3 7", "4 6, 8 7 6", "счет 439846", "1979-74"), so
//! nothing here expects exact digits. The property is: every text value in every table, and
//! every value `export` writes, read as the redactor reads numbers (digits or number words, in
//! any script, across separators), holds no run of seven digits or more and no three
//! consecutive digits of a dictated number, nor the year of birth.

mod common;

use common::*;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::path::Path;

/// What the English call's customer dictates, and the year they were born.
const EN_CARD: &str = "4837374687695676";
const EN_YEAR: &str = "1985";
/// The Russian call's.
const RU_CARD: &str = "4398463538395379";
const RU_YEAR: &str = "1974";
/// Card numbers in the English run's file names and manifest (Luhn-valid).
const FILE_CARD: &str = "5369648746748946";
const MANIFEST_CARD: &str = "3897473874654543";

fn data(name: &str) -> std::path::PathBuf {
    root().join("tests/data/pii").join(name)
}

/// A text value's strings: JSON is walked (numbers are measurements, not speech), and a list
/// of words (`[{text, start, ...}]`) is read joined, as it was said, so digits split into one
/// word each are still one number.
fn strings_of(text: &str, out: &mut Vec<String>) {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v @ (serde_json::Value::Array(_) | serde_json::Value::Object(_))) => walk(&v, out),
        _ => out.push(text.to_string()),
    }
}

fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::String(s) => strings_of(s, out),
        Value::Array(items) => {
            let texts: Option<Vec<&str>> = items
                .iter()
                .map(|i| i.get("text").and_then(Value::as_str))
                .collect();
            if let Some(texts) = texts.filter(|t| !t.is_empty()) {
                out.push(texts.concat());
                out.push(texts.join(" "));
            }
            items.iter().for_each(|i| walk(i, out));
        }
        Value::Object(map) => map.values().for_each(|x| walk(x, out)),
        _ => {}
    }
}

/// Every text value of every table.
fn database_strings(db: &Path) -> Vec<(String, String)> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(tables.len() >= 10, "{tables:?}");
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for (i, column) in columns.iter().enumerate() {
                if let ValueRef::Text(bytes) = row.get_ref(i).unwrap() {
                    let mut found = Vec::new();
                    strings_of(&String::from_utf8_lossy(bytes), &mut found);
                    out.extend(found.into_iter().map(|s| (format!("{table}.{column}"), s)));
                }
            }
        }
    }
    out
}

/// Our own ids, clocks and measurements, which are not the caller's: sha256 call ids and
/// rubric hashes, the run's timestamps (this century's; a year of birth is last century's),
/// and the rubric engine's metric statements ("silence_s = 4.83, must be at most 30").
fn ours(text: &str) -> String {
    let ids = regex::Regex::new(r"\b[0-9a-f]{64}\b").unwrap();
    let clocks = regex::Regex::new(r"\b20\d\d-\d\d-\d\d(T[0-9:.]+Z?)?").unwrap();
    let metrics = regex::Regex::new(
        r"\b[a-z_]+ = -?\d+(\.\d+)?(, must be (at (least|most)|between) [0-9. and]+)?",
    )
    .unwrap();
    let text = ids.replace_all(text, " ");
    let text = clocks.replace_all(&text, " ");
    metrics.replace_all(&text, " ").into_owned()
}

/// What of the secrets a string still says, read as the redactor reads numbers.
fn leaks(text: &str, secrets: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for run in callqa::text::digit_runs(&ours(text)) {
        let d = run.digits;
        if d.len() >= 7 {
            found.push(format!("{d} (seven digits or more)"));
            continue;
        }
        for secret in secrets {
            let window = if secret.len() == 4 { 4 } else { 3 };
            if d.len() >= window
                && (0..=d.len() - window).any(|i| secret.contains(&d[i..i + window]))
            {
                found.push(format!("{d} (from {secret})"));
            }
        }
    }
    found
}

/// The checker read the places where a transcript is kept (else it could not fail).
fn assert_read_transcripts(strings: &[(String, String)]) {
    for place in ["utterances.text", "utterances.words", "flags.evidence"] {
        assert!(
            strings
                .iter()
                .any(|(p, s)| p == place && (s.contains("[CARD_NUMBER]") || s.contains("[NUMBER]"))),
            "no redacted number read from {place}"
        );
    }
}

fn assert_no_leaks(what: &str, strings: &[(String, String)], secrets: &[&str]) {
    let bad: Vec<String> = strings
        .iter()
        .flat_map(|(place, s)| {
            leaks(s, secrets)
                .into_iter()
                .map(move |l| format!("{place}: {l} in {s:?}"))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds personal data:\n{}",
        bad.join("\n")
    );
}

fn export(db: &Path, model: &Path, format: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callqa"))
        .arg("--db")
        .arg(db)
        .arg("--model")
        .arg(model)
        .args(["export", "--format", format])
        .env_remove("CALLQA_MODEL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Every string `export` writes: JSON Lines walked like the database, CSV cell by cell (a
/// cell that is a decimal number is a metric).
fn export_strings(db: &Path, model: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let jsonl = export(db, model, "jsonl");
    assert!(jsonl.lines().count() >= 1, "{jsonl}");
    for line in jsonl.lines() {
        let mut found = Vec::new();
        strings_of(line, &mut found);
        out.extend(found.into_iter().map(|s| ("export jsonl".to_string(), s)));
    }
    let csv = export(db, model, "csv");
    for cell in csv.lines().flat_map(|l| l.split(',')) {
        let cell = cell.trim_matches('"');
        if !(cell.contains('.') && cell.parse::<f64>().is_ok()) {
            out.push(("export csv".to_string(), cell.to_string()));
        }
    }
    out
}

/// The stored customer utterances (to show that the numbers were heard, and replaced).
fn stored_texts(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT text FROM utterances ORDER BY call_id, idx")
        .unwrap();
    let texts = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    texts
}

fn pii_flag(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    conn.query_row(
        "SELECT detail FROM flags WHERE kind = 'pii_spoken'",
        [],
        |r| r.get(0),
    )
    .unwrap_or_else(|e| panic!("no pii_spoken flag: {e}"))
}

/// The flag names the card and the date, whichever kind each was recognised as.
fn assert_flagged(db: &Path) {
    let detail = pii_flag(db);
    let kinds: Vec<&str> = detail.split(',').collect();
    assert!(
        kinds
            .iter()
            .any(|k| matches!(*k, "card_number" | "number" | "phone")),
        "{detail}"
    );
    assert!(
        kinds.iter().any(|k| matches!(*k, "date_of_birth" | "date")),
        "{detail}"
    );
    let texts = stored_texts(db).join("\n");
    assert!(
        texts.contains("[CARD_NUMBER]") || texts.contains("[NUMBER]"),
        "{texts}"
    );
    assert!(
        texts.contains("[DATE_OF_BIRTH]") || texts.contains("[DATE]"),
        "{texts}"
    );
}

#[test]
fn the_checker_sees_digits_in_every_shape() {
    // A test that cannot fail proves nothing: each of these must count as a leak.
    for text in [
        "Sure, it is 483 7, 3 7,",
        "4.8.3.7.3.7",
        "four eight three seven",
        "/calls/refund_5369648746748946.mp3",
        "born in 1985",
        "четыре три девять восемь",
        "12 октября 1974 года",
        "it is 1234567",
    ] {
        assert!(
            !leaks(text, &[EN_CARD, EN_YEAR, RU_CARD, RU_YEAR, FILE_CARD]).is_empty(),
            "{text}"
        );
    }
    // Ours, and short numbers, are not.
    for text in [
        "2026-11-30T09:00:00Z",
        "ab12cd34ab12cd34ab12cd34ab12cd34ab12cd34ab12cd34ab12cd34ab12cd34",
        "agent_wpm = 148.37, must be at most 180",
        "silence_s = 4.83, must be between 0.5 and 30 (estimate: both parties on one channel)",
        "[CARD_NUMBER] and [DATE_OF_BIRTH]",
    ] {
        assert!(leaks(text, &[EN_CARD, EN_YEAR]).is_empty(), "{text}");
    }
    let mut words = Vec::new();
    strings_of(
        r#"[{"text":" 4","start":1.0},{"text":" 8","start":1.2},{"text":" 3","start":1.4}]"#,
        &mut words,
    );
    assert!(
        words.iter().any(|w| !leaks(w, &[EN_CARD]).is_empty()),
        "{words:?}"
    );
}

#[test]
fn english_card_over_two_turns_and_late_date_of_birth_never_reach_disk() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pii.db");
    // The same call under a name with a card number in it, and a file that fails, likewise.
    let audio = dir.path().join(format!("refund_{FILE_CARD}.mp3"));
    std::fs::copy(data("pii01_en_card_dob_stereo.mp3"), &audio).unwrap();
    std::fs::create_dir(dir.path().join("failed")).unwrap();
    let broken = dir
        .path()
        .join(format!("failed/chargeback_{FILE_CARD}.wav"));
    std::fs::write(&broken, "not audio at all\n".repeat(40)).unwrap();
    let manifest = dir.path().join("calls.csv");
    std::fs::write(
        &manifest,
        format!(
            "call_id,file,agent_id,customer_id,started_at,queue,card_on_file\n\
             T-1,{},anna,C-1,2026-11-30T09:00:00Z,billing,\"{} {} {} {}\"\n\
             T-2,{},anna,C-2,2026-11-30T09:10:00Z,billing,{MANIFEST_CARD}\n",
            audio.file_name().unwrap().to_str().unwrap(),
            &MANIFEST_CARD[..4],
            &MANIFEST_CARD[4..8],
            &MANIFEST_CARD[8..12],
            &MANIFEST_CARD[12..],
            "failed/".to_string() + broken.file_name().unwrap().to_str().unwrap(),
        ),
    )
    .unwrap();
    let out = callqa_on(&db, &["score", "--manifest", manifest.to_str().unwrap()])
        .output()
        .unwrap();
    // The broken file fails; the call is stored.
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let conn = Connection::open(&db).unwrap();
    let (calls, errors): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM calls), (SELECT count(*) FROM file_errors)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((calls, errors), (1, 1));
    // The user's own ids stay.
    let (customer, metadata): (String, String) = conn
        .query_row("SELECT customer_id, metadata FROM calls", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(customer, "C-1");
    assert!(metadata.contains("[CARD_NUMBER]"), "{metadata}");
    assert!(metadata.contains("T-1"), "{metadata}");

    assert_flagged(&db);
    let secrets = [EN_CARD, EN_YEAR, FILE_CARD, MANIFEST_CARD];
    let stored = database_strings(&db);
    assert_read_transcripts(&stored);
    assert_no_leaks("the database", &stored, &secrets);
    assert_no_leaks("export", &export_strings(&db, &model()), &secrets);
}

#[test]
fn russian_card_over_two_turns_and_late_date_of_birth_never_reach_disk() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pii.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callqa"))
        .arg("--db")
        .arg(&db)
        .arg("--model")
        .arg(base_model())
        .args(["score", "--language", "ru"])
        .arg(data("pii02_ru_card_dob_stereo.mp3"))
        .env_remove("CALLQA_MODEL")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_flagged(&db);
    let secrets = [RU_CARD, RU_YEAR];
    let stored = database_strings(&db);
    assert_read_transcripts(&stored);
    assert_no_leaks("the database", &stored, &secrets);
    assert_no_leaks("export", &export_strings(&db, &base_model()), &secrets);
}

#[test]
fn transcribe_prints_no_personal_data_unless_asked() {
    let model = model();
    let call = data("pii01_en_card_dob_stereo.mp3");
    let print = |keep: bool| {
        let mut args = vec![model.to_str().unwrap(), "transcribe", "--format", "json"];
        if keep {
            args.push("--keep-pii");
        }
        args.push(call.to_str().unwrap());
        let out = callqa(&[&["--model"][..], &args].concat());
        assert!(out.status.success(), "{}", stderr_of(&out));
        let mut strings = Vec::new();
        strings_of(&String::from_utf8(out.stdout).unwrap(), &mut strings);
        strings
            .into_iter()
            .map(|s| ("transcribe".to_string(), s))
            .collect::<Vec<_>>()
    };
    assert_no_leaks("transcribe", &print(false), &[EN_CARD, EN_YEAR]);
    // As spoken when asked: the same check finds the card.
    let spoken = print(true);
    assert!(
        spoken
            .iter()
            .any(|(_, s)| !leaks(s, &[EN_CARD, EN_YEAR]).is_empty()),
        "{spoken:?}"
    );
}
