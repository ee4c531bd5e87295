//! Hebrew, Arabic and Russian calls end to end with multilingual Whisper base: the language each
//! call was transcribed in and who decided it, the script of the stored words, word error rate
//! per language, and the rubric results the calls were built to produce where the recognition
//! is good enough to decide them.
//!
//! The calls (tests/data/multilingual/, made by scripts/make_samples.py) are synthetic: Russian
//! by RHVoice, which Whisper base hears well; Hebrew and Arabic by MBROLA diphone voices, which it
//! hears poorly (see the WER bounds below). So the Hebrew call's language comes from its manifest
//! row — Whisper base cannot even tell that synthetic voice is Hebrew — while the Arabic and
//! Russian calls' languages are detected. Criterion assertions on the Hebrew and Arabic calls
//! are limited to what holds despite the recognition: a greeting heard, and no prohibited-language
//! false alarm on garbled words.

mod common;

use callqa::analysis::rubric::CriterionVerdict;
use callqa::analysis::CallAnalysis;
use callqa::store::Store;
use common::*;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    root().join("tests/data/multilingual").join(name)
}

#[derive(serde::Deserialize)]
struct Reference {
    language: String,
    turns: Vec<Turn>,
}

fn reference(name: &str) -> Reference {
    let path = data(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Word error rate with the matcher's own normalisation for the language (niqqud and harakat,
/// alef/ya/ta-marbuta variants, ё/е, numbers), so spelling variants are not counted as errors.
fn wer_in(language: &str, reference: &str, hypothesis: &str) -> f64 {
    wer_of_words(
        &callqa::text::normalise_words(reference, language),
        &callqa::text::normalise_words(hypothesis, language),
    )
}

struct Stored {
    call_id: String,
    language: String,
    language_source: String,
}

fn stored(db: &Path, file: &str) -> Stored {
    let conn = Connection::open(db).unwrap();
    conn.query_row(
        "SELECT call_id, language, language_source FROM calls WHERE path LIKE '%' || ?1",
        [file],
        |r| {
            Ok(Stored {
                call_id: r.get(0)?,
                language: r.get(1)?,
                language_source: r.get(2)?,
            })
        },
    )
    .unwrap_or_else(|e| panic!("{file} not stored: {e}"))
}

fn verdict(a: &CallAnalysis, rubric: &str, criterion: &str) -> CriterionVerdict {
    a.results
        .iter()
        .find(|r| r.rubric_id == rubric)
        .and_then(|r| r.criteria.iter().find(|c| c.id == criterion))
        .map(|c| c.result)
        .unwrap_or_else(|| panic!("no {rubric}/{criterion}"))
}

fn letters_in(text: &str, range: std::ops::RangeInclusive<u32>) -> usize {
    text.chars()
        .filter(|c| range.contains(&(*c as u32)))
        .count()
}

#[test]
fn hebrew_arabic_and_russian_calls_are_transcribed_and_scored_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ml.db");
    let manifest = dir.path().join("calls.csv");
    let he = "call11_he_billing_stereo.mp3";
    let ar = "call12_ar_card_stereo.mp3";
    let ru = "call13_ru_rude_agent_stereo_ulaw.wav";
    let mixed = "call14_ru_en_mixed_stereo.mp3";
    std::fs::write(
        &manifest,
        format!(
            "call_id,file,agent_id,customer_id,started_at,queue,language\n\
             T-11,{},dana,C-11,2026-11-30T09:00:00Z,billing-he,he\n\
             T-12,{},ahmad,C-12,2026-11-30T09:10:00Z,support-ar,\n\
             T-13,{},ivan,C-13,2026-11-30T09:20:00Z,billing-ru,\n\
             T-14,{},ivan,C-14,2026-11-30T09:30:00Z,billing-ru,\n",
            data(he).display(),
            data(ar).display(),
            data(ru).display(),
            data(mixed).display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callqa"))
        .arg("--db")
        .arg(&db)
        .arg("--model")
        .arg(base_model())
        .args(["score", "--manifest", manifest.to_str().unwrap()])
        .env_remove("CALLQA_MODEL")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));

    // Who decided each call's language, and that the words are in its script. Whisper base
    // hears the synthetic Hebrew and Arabic poorly (WER ~86-91 %), and which wrong words it
    // writes differs between CPUs (an AVX-512 Xeon wrote a Cyrillic word into the Hebrew call:
    // 127 of 153 letters Hebrew, 83 %), so for them the property held is that most letters are
    // in the call's script; the well-heard Russian call keeps 90 % and a word error bound.
    let scripts = [
        (he, "he", "manifest", 0x0590..=0x05FF, 0.5),
        (ar, "ar", "detected", 0x0600..=0x06FF, 0.5),
        (ru, "ru", "detected", 0x0400..=0x04FF, 0.9),
    ];
    let store = Store::open(&db).unwrap();
    for (file, language, source, range, share) in scripts {
        let s = stored(&db, file);
        assert_eq!(
            (s.language.as_str(), s.language_source.as_str()),
            (language, source),
            "{file}"
        );
        let t = store.load_transcript(&s.call_id).unwrap().unwrap();
        let text: String = t.utterances.iter().map(|u| u.text.as_str()).collect();
        let own = letters_in(&text, range);
        let all = text.chars().filter(|c| c.is_alphabetic()).count();
        assert!(
            all > 0 && own as f64 > all as f64 * share,
            "{file}: {own} of {all} letters in the {language} script: {text}"
        );
        let r = reference(&file.replace(".mp3", ".json").replace(".wav", ".json"));
        assert_eq!(r.language, language);
        let reference_text: Vec<&str> = r.turns.iter().map(|t| t.text.as_str()).collect();
        let wer = wer_in(language, &reference_text.join(" "), &text);
        eprintln!("{file}: WER {:.1} %", wer * 100.0);
        // Measured with base (beam 5 for the 8 kHz µ-law call): 4.1 % on two x86-64 builds.
        // The synthetic Hebrew and Arabic have no word error bound: at ~90 % any bound tight
        // enough to mean something sits inside the spread between CPUs.
        if language == "ru" {
            assert!(wer <= 0.12, "{file}: WER {wer:.2} above 0.12");
        }
    }

    let ru_call = store
        .load_analysis(&stored(&db, ru).call_id)
        .unwrap()
        .unwrap();
    // The rude Russian agent: no greeting, name or recording disclosure, "Успокойтесь. Это не моя
    // проблема.", the bill changed without asking who is calling, no empathy for an upset
    // customer, no offer of further help.
    for (rubric, criterion, want) in [
        ("qa", "greeting", CriterionVerdict::Fail),
        ("qa", "agent_name", CriterionVerdict::Fail),
        ("qa", "recording_disclosure", CriterionVerdict::Fail),
        ("compliance", "recording_disclosure", CriterionVerdict::Fail),
        ("qa", "identity_verification", CriterionVerdict::Fail),
        ("qa", "empathy", CriterionVerdict::Fail),
        ("qa", "closing_further_help", CriterionVerdict::Fail),
        (
            "etiquette",
            "no_prohibited_language",
            CriterionVerdict::Fail,
        ),
        (
            "compliance",
            "no_full_card_readback",
            CriterionVerdict::Pass,
        ),
    ] {
        assert_eq!(
            verdict(&ru_call, rubric, criterion),
            want,
            "ru {rubric}/{criterion}"
        );
    }
    let prohibited = ru_call
        .results
        .iter()
        .flat_map(|r| &r.criteria)
        .find(|c| c.id == "no_prohibited_language")
        .unwrap();
    let quote = &prohibited.evidence[0];
    assert!(
        quote.quote.contains("не моя проблема") && (quote.start - 8.76).abs() < 1.0,
        "{quote:?}"
    );
    for r in ru_call
        .results
        .iter()
        .filter(|r| r.rubric_id != "etiquette")
    {
        assert!(r.critical_failed, "{} should critically fail", r.rubric_id);
    }

    let he_call = store
        .load_analysis(&stored(&db, he).call_id)
        .unwrap()
        .unwrap();
    assert_eq!(
        verdict(&he_call, "qa", "greeting"),
        CriterionVerdict::Pass,
        "'שלום, תודה' is heard"
    );
    let ar_call = store
        .load_analysis(&stored(&db, ar).call_id)
        .unwrap()
        .unwrap();
    for a in [&he_call, &ar_call] {
        assert_eq!(
            verdict(a, "etiquette", "no_prohibited_language"),
            CriterionVerdict::Pass,
            "garbled words are not insults"
        );
    }

    // A mixed call: the Russian agent is transcribed in Russian and the customer, who answers in
    // English throughout, in English (forced into Russian, Whisper would translate it); the call
    // is as Russian as most of its speech, and its Russian agent's call flow is scored. (The
    // customer's "I am really upset" is heard as "really obsessed", so empathy is not due.)
    let m = stored(&db, mixed);
    assert_eq!(
        (m.language.as_str(), m.language_source.as_str()),
        ("ru", "detected")
    );
    let t = store.load_transcript(&m.call_id).unwrap().unwrap();
    for u in &t.utterances {
        let cyrillic = letters_in(&u.text, 0x0400..=0x04FF);
        let latin = u.text.chars().filter(|c| c.is_ascii_alphabetic()).count();
        match u.speaker {
            callqa::transcript::Speaker::Agent => assert!(cyrillic > latin, "{u:?}"),
            callqa::transcript::Speaker::Customer => assert!(latin > 0 && cyrillic == 0, "{u:?}"),
        }
    }
    let r = reference("call14_ru_en_mixed_stereo.json");
    let reference_text: Vec<&str> = r.turns.iter().map(|t| t.text.as_str()).collect();
    let text: Vec<&str> = t.utterances.iter().map(|u| u.text.as_str()).collect();
    let wer = wer_in("ru", &reference_text.join(" "), &text.join(" "));
    eprintln!("{mixed}: WER {:.1} %", wer * 100.0);
    assert!(wer <= 0.30, "{mixed}: WER {wer:.2}");
    let mixed_call = store.load_analysis(&m.call_id).unwrap().unwrap();
    for (rubric, criterion) in [
        ("qa", "greeting"),
        ("qa", "agent_name"),
        ("qa", "recording_disclosure"),
        ("qa", "identity_verification"),
        ("qa", "closing_further_help"),
        ("qa", "closing_thanks"),
        ("etiquette", "no_prohibited_language"),
    ] {
        assert_eq!(
            verdict(&mixed_call, rubric, criterion),
            CriterionVerdict::Pass,
            "mixed {rubric}/{criterion}"
        );
    }

    // Exports carry right-to-left text exactly as stored.
    let export = callqa_on(&db, &["export", "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", stderr_of(&export));
    let he_id = stored(&db, he).call_id;
    let he_text = store.load_transcript(&he_id).unwrap().unwrap().utterances[0]
        .text
        .clone();
    let exported = String::from_utf8(export.stdout).unwrap();
    let row: serde_json::Value = exported
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|row| row["audio_hash"] == he_id.as_str())
        .expect("Hebrew call exported");
    assert_eq!(row["language"], "he");
    assert_eq!(row["language_source"], "manifest");
    assert_eq!(row["utterances"][0]["text"], he_text.as_str());

    // An auditor's sample of one language.
    let sample = callqa_on(
        &db,
        &[
            "sample",
            "--n",
            "10",
            "--seed",
            "7",
            "--where",
            "language=ru",
            "--format",
            "csv",
        ],
    )
    .output()
    .unwrap();
    assert!(sample.status.success(), "{}", stderr_of(&sample));
    let csv = String::from_utf8(sample.stdout).unwrap();
    let files: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(files.len(), 2, "{csv}");
    assert!(
        files
            .iter()
            .all(|l| l.contains("call13") || l.contains("call14")),
        "{csv}"
    );
}

#[test]
fn a_non_english_call_needs_a_multilingual_model() {
    // The English-only default model must refuse a call its queue says is Hebrew, per file,
    // rather than store English gibberish; the batch goes on and says so in its exit code.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let manifest = dir.path().join("calls.csv");
    let english = root().join("samples/call01_billing_stereo_8k.wav");
    std::fs::write(
        &manifest,
        format!(
            "file,agent_id,queue,language\n{},dana,support-he,\n{},dana,billing,klingon\n",
            data("call11_he_billing_stereo.mp3").display(),
            root()
                .join("samples/call02_password_stereo_ulaw.wav")
                .display()
        ),
    )
    .unwrap();
    let out = callqa_on(
        &db,
        &[
            "score",
            "--manifest",
            manifest.to_str().unwrap(),
            "--queue-language",
            "support-he=he",
            english.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("call11_he_billing_stereo.mp3") && err.contains("needs a multilingual model"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("call02_password_stereo_ulaw.wav")
                && l.contains("\"klingon\" from the manifest is not a language Whisper knows")),
        "{err}"
    );
    let conn = Connection::open(&db).unwrap();
    let languages: Vec<(String, String)> = conn
        .prepare("SELECT language, language_source FROM calls")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(languages, [("en".to_string(), "model".to_string())]);

    // `transcribe` says what an English-only model did, whatever it was told.
    let told = callqa_on(
        &db,
        &[
            "transcribe",
            "--format",
            "json",
            "--language",
            "he",
            english.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(told.status.success(), "{}", stderr_of(&told));
    let t: callqa::transcript::Transcript = serde_json::from_slice(&told.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&told.stdout)));
    assert_eq!(
        (t.language.as_str(), t.language_source),
        ("en", callqa::transcript::LanguageSource::Model)
    );

    let bad = callqa_on(
        &db,
        &["score", "--language", "klingon", english.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", stderr_of(&bad));
    assert!(stderr_of(&bad).contains("not a language Whisper knows"));
}
