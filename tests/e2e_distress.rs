//! Distress end to end: stored calls re-evaluated by `rescore`, every output showing confirmed
//! distress first and possible distress right after (with what was said, when and by whom),
//! and real audio through Whisper tiny.en: a paraphrased statement with a garbled word is
//! flagged, idioms are not distress.

mod common;

use callqa::analysis;
use callqa::analysis::flags::{self, DISTRESS, POSSIBLE_DISTRESS};
use callqa::analysis::rubric::RubricSet;
use callqa::store::Store;
use callqa::transcript::{
    Evidence, LanguageSource, RoleSource, SourceAudio, Speaker, Transcript, Utterance,
};
use common::*;
use serde_json::Value;
use std::path::Path;

fn utterance(speaker: Speaker, start: f64, text: &str) -> Utterance {
    Utterance {
        speaker,
        channel: if speaker == Speaker::Agent { 0 } else { 1 },
        start,
        end: start + 4.0,
        text: format!(" {text}"),
        words: Vec::new(),
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
    }
}

fn transcript(id: char, customer_says: &str) -> Transcript {
    Transcript {
        names: Vec::new(),
        call_id: id.to_string().repeat(64),
        source: SourceAudio {
            path: format!("/calls/{id}.wav"),
            codec: "pcm_s16le".into(),
            sample_rate: 8000,
            channels: 2,
            duration_s: 30.0,
        },
        roles: RoleSource::Mapped,
        language: "en".into(),
        language_source: LanguageSource::default(),
        model: "tiny.en".into(),
        utterances: vec![
            utterance(
                Speaker::Agent,
                0.5,
                "Thank you for calling, how can I help?",
            ),
            utterance(Speaker::Customer, 6.0, customer_says),
            utterance(Speaker::Agent, 11.0, "I am so sorry to hear that."),
        ],
        warnings: Vec::new(),
    }
}

fn kinds(db: &Path, id: char) -> Vec<String> {
    let store = Store::open(db).unwrap();
    let a = store
        .load_analysis(&id.to_string().repeat(64))
        .unwrap()
        .unwrap();
    a.flags.into_iter().map(|f| f.kind.to_string()).collect()
}

fn run_ok(args: &[&str]) -> String {
    let out = callqa(args);
    assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Calls stored with what the old detector said — a false alarm on "I won't be back", nothing
/// on a customer saying people would be better off if they vanished — are put right by
/// `rescore`, which reads no audio; then every output shows both tiers in order.
#[test]
fn rescore_reevaluates_distress_and_every_output_shows_possible_distress() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let rubrics = RubricSet::load(&[root().join("rubrics")]).unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        store.register_rubrics(&rubrics.rubrics).unwrap();
        let calls = [
            ('a', "I won't be back, I'm switching providers.", true),
            (
                'b',
                "I lost my job. Honestly, people would be better off if I just vanished.",
                false,
            ),
            ('c', "I can't do this anymore.", false),
        ];
        for (id, said, old_false_alarm) in calls {
            let t = transcript(id, said);
            let mut a = analysis::analyse(&t, &rubrics);
            // What the old detector stored.
            a.flags.retain(|f| !f.kind.is_distress());
            if old_false_alarm {
                a.flags.insert(
                    0,
                    flags::Flag {
                        kind: flags::FlagKind::Distress,
                        detail: "customer expressed hopelessness or self-harm 1 time(s)".into(),
                        at: Some(6.0),
                        evidence: vec![Evidence::of(&t.utterances[1])],
                        of_call: None,
                    },
                );
            }
            store.save_call(&t, &a).unwrap();
        }
    }
    assert_eq!(kinds(&db, 'a'), [DISTRESS]);
    assert!(kinds(&db, 'b').is_empty());

    let db_s = db.to_str().unwrap();
    let out = callqa(&["--db", db_s, "rescore"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        !kinds(&db, 'a').iter().any(|k| k.contains("distress")),
        "the old false alarm is gone"
    );
    assert_eq!(kinds(&db, 'b').first().map(String::as_str), Some(DISTRESS));
    assert_eq!(
        kinds(&db, 'c').first().map(String::as_str),
        Some(POSSIBLE_DISTRESS)
    );

    // Export: every flag with its evidence (quote, time, speaker); the CSV has the words too.
    let jsonl = run_ok(&["--db", db_s, "export"]);
    let calls: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let flag_of = |id: char, kind: &str| -> Value {
        let call = calls
            .iter()
            .find(|c| c["call_id"] == id.to_string().repeat(64))
            .unwrap();
        call["flags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == kind)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let d = flag_of('b', DISTRESS);
    assert_eq!(d["evidence"][0]["speaker"], "customer");
    assert_eq!(d["evidence"][0]["start"], 6.0);
    assert!(d["evidence"][0]["quote"]
        .as_str()
        .unwrap()
        .contains("better off if I just vanished"));
    let p = flag_of('c', POSSIBLE_DISTRESS);
    assert_eq!(p["evidence"][0]["quote"], "I can't do this anymore.");
    assert!(flag_of('a', DISTRESS).is_null());

    let csv = run_ok(&["--db", db_s, "export", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    // The audio hash is the last column since call ids became the user's (store v8).
    assert!(
        header.ends_with("flags,distress_evidence,possible_distress_evidence,audio_hash"),
        "{header}"
    );
    let row_c = csv
        .lines()
        .find(|l| l.starts_with(&"c".repeat(64)))
        .unwrap();
    assert!(
        row_c.ends_with(&format!(
            ",possible_distress,,0:06 customer: I can't do this anymore.,{}",
            "c".repeat(64)
        )),
        "{row_c}"
    );

    // show: distress first, every quote with its time and speaker.
    let shown = run_ok(&["--db", db_s, "show", &"c".repeat(12)]);
    assert!(
        shown.contains("POSSIBLE_DISTRESS")
            && shown.contains("0:06 customer: \"I can't do this anymore.\""),
        "{shown}"
    );
    let shown = run_ok(&["--db", db_s, "show", &"b".repeat(12)]);
    let flags_at = shown.find("FLAGS").unwrap();
    assert!(
        shown[flags_at..]
            .trim_start_matches("FLAGS")
            .trim_start()
            .starts_with("DISTRESS"),
        "{shown}"
    );

    // Coaching reports: distress, then possible distress, then everything else.
    for format in ["md", "html", "json"] {
        let body = run_ok(&["--db", db_s, "report", "team", "--format", format]);
        let confirmed = body.find("just vanished").expect("the distress quote");
        let possible = body.find("do this anymore").expect("the possible quote");
        assert!(confirmed < possible, "{format}");
        for later in ["Scores by rubric", "\"rubrics\""] {
            if let Some(at) = body.find(later) {
                assert!(possible < at, "{format}: {later} before possible distress");
            }
        }
    }
}

/// A flag's kind and its evidence (start, lower-cased quote).
type FlagWords = (String, Vec<(f64, String)>);

/// The customer's words in a stored call (lower case) and the call's flags.
fn customer_text(db: &Path, file: &Path) -> (String, Vec<FlagWords>) {
    let store = Store::open(db).unwrap();
    let id = store
        .find_call(file.to_str().unwrap())
        .unwrap()
        .unwrap_or_else(|| panic!("{} not stored", file.display()));
    let t = store.load_transcript(&id).unwrap().unwrap();
    let a = store.load_analysis(&id).unwrap().unwrap();
    let text = t.text_of(Speaker::Customer).to_lowercase();
    let flags = a
        .flags
        .into_iter()
        .map(|f| {
            (
                f.kind.to_string(),
                f.evidence
                    .into_iter()
                    .map(|e| (e.start, e.quote.to_lowercase()))
                    .collect(),
            )
        })
        .collect();
    (text, flags)
}

/// Real audio, Whisper tiny.en: a customer says people would be better off if they just
/// vanished (no phrase list has these words); a frustrated customer uses idioms.
#[test]
fn a_paraphrased_statement_is_flagged_and_idioms_are_not_on_real_audio() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let data = root().join("tests/data/distress");
    let out = callqa_on(&db, &["score", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);

    // The distress call. Whisper tiny.en hears "vanished" as another word on some machines
    // ("managed" here): the frame "people would be better off if I ..." still makes it at least
    // possible distress; with the word heard, it is confirmed.
    let (said, flags) = customer_text(&db, &data.join("call21_distress_vanish_stereo.mp3"));
    assert!(said.contains("better off if i"), "transcript: {said}");
    let (kind, evidence) = flags
        .iter()
        .find(|(k, _)| k == DISTRESS || k == POSSIBLE_DISTRESS)
        .unwrap_or_else(|| panic!("not flagged: {said} / {flags:?}"));
    assert!(
        evidence
            .iter()
            .any(|(start, q)| q.contains("better off") && (12.0..15.0).contains(start)),
        "{evidence:?}"
    );
    if said.contains("vanish") || said.contains("disappear") {
        assert_eq!(kind, DISTRESS, "{said}");
    }
    // The closing summary repeats it even for a quiet run.
    assert!(
        err.contains("DISTRESS") && err.contains("call21_distress_vanish_stereo.mp3"),
        "{err}"
    );
    // Whatever Whisper wrote, one or two further garbled words leave it flagged.
    let line = said
        .split(['.', '?', '!'])
        .find(|s| s.contains("better off"))
        .unwrap()
        .to_string();
    for garbled in [
        line.replace("better off", "better of"),
        line.replace("people", "peoples").replace("would", "wood"),
    ] {
        assert!(
            flags::distress::assess_text(&garbled, "en").is_some(),
            "{garbled}"
        );
    }

    // The idioms call: never confirmed distress.
    let (said, flags) = customer_text(&db, &data.join("call22_idioms_stereo.mp3"));
    for words in ["killing me", "on hold", "until friday"] {
        assert!(said.contains(words), "{words:?} not heard: {said}");
    }
    assert!(
        !flags.iter().any(|(k, _)| k == DISTRESS),
        "false alarm: {flags:?}"
    );
}
