//! Review pages and the user's call ids end to end, on one database scored once from a sample
//! call with a spoken card number (call06, tiny.en) named `TEL-06` by its manifest:
//! - every command names and finds the call by the manifest's id (show, export, sample,
//!   export --where, reports, report list/show);
//! - `review` and `sample --review` write private, self-contained pages: no network reference,
//!   every transcript line and evidence item with its time, no personal data in the text, and
//!   the embedded audio (decoded back here) holding only the tone over every redacted span —
//!   unless `--keep-pii`;
//! - in headless Chromium (skipped, saying so, when `chromium` is not installed): the page loads
//!   with no network request, clicking an evidence item sets the player's time to its start
//!   (± 0.1 s), and the timeline draws.

mod common;

use callqa::report::review::audio::{decode_base64, pii_spans, tone_share, NUMBER_GAP_S, TONE_HZ};
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const CALL: &str = "TEL-06";

/// The database, scored once for all tests of this file.
fn db() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let audio = root().join("samples/call06_distress_card_stereo.mp3");
        let manifest = dir.path().join("calls.csv");
        std::fs::write(
            &manifest,
            format!(
                "call_id,file,agent_id,customer_id,started_at,queue,direction\n\
                 {CALL},{},alice,C9,2026-03-25T14:00:00Z,billing,inbound\n",
                audio.display()
            ),
        )
        .unwrap();
        let db = dir.path().join("qa.db");
        let out = callqa_on(
            &db,
            &["score", "--manifest", manifest.to_str().unwrap(), "-j", "1"],
        )
        .output()
        .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        (dir, db)
    })
    .1
}

fn run(args: &[&str]) -> String {
    let out = callqa_on(db(), args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// The page's embedded audio, decoded (16 kHz channels).
fn page_audio(html: &str) -> Vec<Vec<f32>> {
    let start = html.find("data:audio/wav;base64,").expect("embedded audio") + 22;
    let end = start + html[start..].find('"').unwrap();
    let wav = decode_base64(&html[start..end]);
    callqa::audio::decode_bytes(&wav, Some("wav"))
        .expect("the embedded WAV decodes")
        .channels
}

/// The text a reader sees: the page without its audio.
fn without_audio(html: &str) -> String {
    match html.find("data:audio/wav;base64,") {
        Some(start) => {
            let end = start + html[start..].find('"').unwrap();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn every_command_names_and_finds_the_call_by_the_manifest_id() {
    let export: Vec<Value> = run(&["export"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(export.len(), 1);
    assert_eq!(export[0]["call_id"], CALL);
    let hash = export[0]["audio_hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    let show = run(&["show", CALL]);
    assert!(show.starts_with(&format!("call {CALL}\n")), "{show}");
    assert!(show.contains(&hash));
    // The hash and a prefix still find it.
    assert!(run(&["show", &hash[..8]]).starts_with(&format!("call {CALL}")));
    let json: Value = serde_json::from_str(&run(&["show", CALL, "--format", "json"])).unwrap();
    assert_eq!(json["call"]["call_id"], CALL);
    assert_eq!(json["call"]["audio_hash"], hash.as_str());
    let sample: Value = serde_json::from_str(&run(&[
        "sample", "--n", "1", "--seed", "1", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(sample["calls"][0]["call_id"], CALL);
    let csv = run(&["export", "--format", "csv"]);
    assert!(csv.lines().nth(1).unwrap().starts_with(&format!("{CALL},")));
    assert!(csv.lines().next().unwrap().ends_with(",audio_hash"));
    // export --where reads filters as sample does.
    assert_eq!(
        run(&["export", "--where", "flag=distress"]).lines().count(),
        1
    );
    assert_eq!(
        run(&["export", "--where", "agent=nobody"]).lines().count(),
        0
    );
    assert_eq!(
        run(&["export", "--where", "qa>=0", "--where", "agent=alice"])
            .lines()
            .count(),
        1
    );
    let bad = callqa_on(db(), &["export", "--where", "flag"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let unknown = callqa_on(db(), &["show", "TEL-99"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr_of(&unknown).contains("no stored call matches \"TEL-99\""));

    // Reports name it too, are listed and print again.
    let md = run(&["report", "agent", "alice"]);
    assert!(md.contains(&format!("`{CALL}`")), "{md}");
    let team = run(&["report", "team", "--format", "json"]);
    let listing: Value =
        serde_json::from_str(&run(&["report", "list", "--format", "json"])).unwrap();
    let rows = listing.as_array().unwrap();
    assert!(rows.len() >= 2);
    let newest = rows[0]["report_id"].as_i64().unwrap();
    assert_eq!(rows[0]["scope"], "team");
    assert_eq!(run(&["report", "show", &newest.to_string()]), team);
    let alice: Value = serde_json::from_str(&run(&[
        "report", "list", "--agent", "alice", "--format", "json",
    ]))
    .unwrap();
    assert!(alice
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["agent_id"] == "alice"));
    let table = run(&["report", "list"]);
    assert!(table.lines().count() > rows.len(), "{table}");
    let none = callqa_on(db(), &["report", "show", "9999"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn review_pages_are_private_self_contained_and_mute_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pages");
    run(&["review", CALL, "--out", out_dir.to_str().unwrap()]);
    let page = out_dir.join(format!("{CALL}.html"));
    let html = std::fs::read_to_string(&page).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [&page, &out_dir.join("index.html"), &out_dir] {
            let mode = std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{} is {mode:o}", p.display());
        }
    }
    // Structure: header, flags before the scorecards, a timeline, the transcript's lines.
    assert!(html.contains(r#"<span id="call-id">TEL-06</span>"#));
    assert!(html.contains("Content-Security-Policy"));
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at(r#"id="flags""#) < at(r#"id="scorecards""#));
    assert!(at(r#"class="flag distress""#) > 0);
    assert!(at(r#"<svg class="timeline""#) > 0);
    let lines = html.matches(r#"<div class="u "#).count();
    let timed = html.matches(r#"seek" tabindex="0" data-start=""#).count();
    assert!(lines >= 8 && timed == lines, "{lines} lines, {timed} timed");
    assert!(html.matches(r#"class="ev seek""#).count() >= 10);
    // Nothing is fetched: no address outside the page.
    let store = callqa::store::Store::open(db()).unwrap();
    let hash = store.lookup_call(CALL).unwrap();
    let text = without_audio(&html).replace(&hash[..16], "HASH");
    for bad in [
        "src=\"http",
        "href=\"http",
        "url(",
        "@import",
        "src=\"//",
        "href=\"//",
    ] {
        assert!(!text.contains(bad), "{bad}");
    }
    // No personal data readable: no run of 7 digits or more (card numbers) anywhere.
    let mut run_len = 0;
    for (i, c) in text.char_indices() {
        run_len = if c.is_ascii_digit() { run_len + 1 } else { 0 };
        assert!(
            run_len < 7,
            "a long digit run in the page: {}",
            &text[i.saturating_sub(60)..i + 1]
        );
    }
    assert!(text.contains("[CARD_NUMBER]"));

    // The audio: every redacted span is the tone alone, on both channels.
    let t = store.load_transcript(&hash).unwrap().unwrap();
    let spans = pii_spans(&t);
    assert!(
        !spans.is_empty(),
        "the card number was redacted, so its time is known"
    );
    let audio = page_audio(&html);
    assert_eq!(audio.len(), 2, "agent and customer channels");
    let rate = 16_000.0;
    let span_of = |ch: &[f32], s: &callqa::report::review::audio::Span| -> Vec<f32> {
        // 50 ms inside each edge: the decoder's resampler smears the boundary.
        let a = ((s.start + 0.05) * rate) as usize;
        let b = (((s.end - 0.05) * rate) as usize).min(ch.len());
        ch[a..b].to_vec()
    };
    for s in &spans {
        for ch in &audio {
            let share = tone_share(&span_of(ch, s), TONE_HZ, rate);
            assert!(share > 0.95, "span {s:?}: tone share {share}");
        }
    }
    // With --keep-pii the same spans are the call's own sound.
    let kept = dir.path().join("kept");
    run(&[
        "review",
        CALL,
        "--out",
        kept.to_str().unwrap(),
        "--keep-pii",
    ]);
    let kept_html = std::fs::read_to_string(kept.join(format!("{CALL}.html"))).unwrap();
    let kept_audio = page_audio(&kept_html);
    let s = &spans[0];
    let share = tone_share(&span_of(&kept_audio[1], s), TONE_HZ, rate).max(tone_share(
        &span_of(&kept_audio[0], s),
        TONE_HZ,
        rate,
    ));
    assert!(share < 0.5, "--keep-pii: tone share {share}");
    // Size: 8 kHz µ-law stereo in base64 is about 1.28 MB per minute of call.
    let per_minute = html.len() as f64 / (t.source.duration_s / 60.0);
    assert!(
        (1.0e6..1.6e6).contains(&per_minute),
        "{per_minute} bytes per minute"
    );
    eprintln!(
        "page: {} bytes, {per_minute:.0} per minute of audio",
        html.len()
    );

    // sample --review: the index links the call's page and each failed criterion's second.
    let sampled = dir.path().join("sampled");
    run(&[
        "sample",
        "--n",
        "5",
        "--seed",
        "3",
        "--review",
        sampled.to_str().unwrap(),
        "--no-audio",
    ]);
    let index = std::fs::read_to_string(sampled.join("index.html")).unwrap();
    assert!(index.contains(&format!(r#"href="{CALL}.html""#)), "{index}");
    assert!(
        index.contains(&format!(r#"href="{CALL}.html#t="#)),
        "{index}"
    );
    let small = std::fs::read_to_string(sampled.join(format!("{CALL}.html"))).unwrap();
    assert!(!small.contains("data:audio") && small.contains("no audio"));

    // A coaching report beside the pages links its quotes to them.
    let report = run(&[
        "report",
        "agent",
        "alice",
        "--format",
        "html",
        "--review-dir",
        sampled.to_str().unwrap(),
    ]);
    assert!(
        report.contains(&format!("/{CALL}.html#t=")),
        "quotes link to the pages"
    );
}

/// A Russian call (tests/data/pii, multilingual base): the customer's turns dictating the card
/// and the date of birth are tone in the page's audio, every redacted word's span is the tone
/// alone, any word near one that says digits (in digits or Russian number words) is muted with
/// it, and the page's text holds no long digit run. (Base writes this call's digits as digits
/// and redaction takes them all, so no number word is left beside a placeholder here; the
/// number-word rule itself is `review::audio`'s unit test.)
#[test]
fn a_russian_calls_page_mutes_its_card_number_and_the_digits_around_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ru.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callqa"))
        .arg("--db")
        .arg(&db)
        .arg("--model")
        .arg(base_model())
        .args(["-j", "1", "score", "--language", "ru"])
        .arg(root().join("tests/data/pii/pii02_ru_card_dob_stereo.mp3"))
        .env_remove("CALLQA_MODEL")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let store = callqa::store::Store::open(&db).unwrap();
    let hash = store.call_ids().unwrap().remove(0);
    let pages = dir.path().join("pages");
    let out = callqa_on(&db, &["review", &hash, "--out", pages.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let page = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n != "index.html"))
        .unwrap();
    let html = std::fs::read_to_string(page).unwrap();
    let text = without_audio(&html).replace(&hash[..16], "HASH");
    let mut run_len = 0;
    for c in text.chars() {
        run_len = if c.is_ascii_digit() { run_len + 1 } else { 0 };
        assert!(run_len < 7, "a long digit run in the page");
    }

    let t = store.load_transcript(&hash).unwrap().unwrap();
    let spans = pii_spans(&t);
    assert!(!spans.is_empty(), "the card number was redacted");
    // Each word read as digits (on its own, as the redactor reads numbers) within 3 s of a
    // redacted word of its turn lies inside a muted span.
    let placeholder = |w: &str| w.trim().starts_with('[') && w.contains(']');
    let mut near = 0;
    for u in &t.utterances {
        for w in &u.words {
            let close = u.words.iter().any(|p| {
                placeholder(&p.text) && (w.start - p.end).max(p.start - w.end) <= NUMBER_GAP_S
            });
            if close && !callqa::text::digit_runs(&w.text).is_empty() {
                near += 1;
                assert!(
                    spans.iter().any(|s| s.start <= w.start && w.end <= s.end),
                    "{:?} at {:.2}-{:.2} is audible: {spans:?}",
                    w.text,
                    w.start,
                    w.end
                );
            }
        }
    }
    eprintln!("{near} digit word(s) next to redacted numbers, all muted");
    // What a listener hears: the customer's turns that dictate the card and the date of birth
    // (the reference script's times) are at least 80 % tone.
    let script: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/pii/pii02_ru_card_dob_stereo.json"))
            .unwrap(),
    )
    .unwrap();
    let dictated: Vec<(f64, f64)> = script["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|turn| {
            let said = turn["text"].as_str().unwrap();
            turn["speaker"] == "customer"
                && (said.starts_with("Четыре")
                    || said.starts_with("Три")
                    || said.contains("октября"))
        })
        .map(|turn| {
            (
                turn["start"].as_f64().unwrap(),
                turn["end"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(dictated.len(), 3, "{script}");
    for (start, end) in dictated {
        let muted: f64 = spans
            .iter()
            .map(|s| (s.end.min(end) - s.start.max(start)).max(0.0))
            .sum();
        assert!(
            muted >= 0.8 * (end - start),
            "{start:.2}-{end:.2}: {muted:.2} s muted of {:.2}: {spans:?}",
            end - start
        );
    }
    let audio = page_audio(&html);
    let rate = 16_000.0;
    for s in &spans {
        for ch in &audio {
            let a = ((s.start + 0.05) * rate) as usize;
            let b = (((s.end - 0.05) * rate) as usize).min(ch.len());
            let share = tone_share(&ch[a..b], TONE_HZ, rate);
            assert!(share > 0.95, "span {s:?}: tone share {share}");
        }
    }
}

/// The page in a real browser. Needs Debian's `chromium`; without it the test says so and
/// passes (CI machines may lack it; `scripts/setup.sh` does not install a browser).
#[test]
fn in_chromium_a_click_plays_the_evidence_moment_and_nothing_is_fetched() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("SKIPPED: no chromium on PATH (apt-get install chromium to run this test)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pages");
    run(&["review", CALL, "--out", out_dir.to_str().unwrap()]);
    let html = std::fs::read_to_string(out_dir.join(format!("{CALL}.html"))).unwrap();
    // A probe appended to a copy of the page: once the audio is ready it clicks the first
    // failed criterion's evidence, waits for the seek, and writes what it saw into the page.
    let probe = r#"<script>
(function(){
var p=document.getElementById('player');
function done(extra){var r=document.createElement('pre');r.id='probe';
 var res=performance.getEntriesByType('resource').map(function(e){return e.name.slice(0,40);});
 r.textContent=JSON.stringify(Object.assign({resources:res,
  svg_rects:document.querySelectorAll('svg.timeline rect').length,
  markers:document.querySelectorAll('svg.timeline .marker').length,
  duration:p.duration},extra));document.body.appendChild(r);}
function go(){var ev=document.querySelector('tr.fail .ev[data-start]')||document.querySelector('.ev[data-start]');
 var want=parseFloat(ev.getAttribute('data-start'));
 p.addEventListener('seeked',function(){done({want:want,now:p.currentTime});},{once:true});
 ev.click();}
if(p.readyState>=1)go();else{p.addEventListener('loadedmetadata',go,{once:true});p.addEventListener('error',function(){done({error:String(p.error&&p.error.code)});});}
})();
</script></body>"#;
    let probed = html.replacen("</body>", probe, 1);
    let path = dir.path().join("probe.html");
    std::fs::write(&path, probed).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", path.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find(r#"<pre id="probe">"#).unwrap_or_else(|| {
        panic!(
            "the probe did not report; chromium said:\n{}",
            stderr_of(&out)
        )
    }) + 16;
    let end = start + dom[start..].find("</pre>").unwrap();
    let probe: Value = serde_json::from_str(&dom[start..end].replace("&quot;", "\"")).unwrap();
    assert!(
        probe.get("error").is_none(),
        "the audio did not load: {probe}"
    );
    assert_eq!(
        probe["resources"],
        serde_json::json!([]),
        "network requests: {probe}"
    );
    let (want, now) = (
        probe["want"].as_f64().unwrap(),
        probe["now"].as_f64().unwrap(),
    );
    assert!((want - now).abs() <= 0.1, "clicked {want}, player at {now}");
    assert!(probe["duration"].as_f64().unwrap() > 60.0, "{probe}");
    assert!(probe["svg_rects"].as_u64().unwrap() >= 10, "{probe}");
    assert!(probe["markers"].as_u64().unwrap() >= 2, "{probe}");
    eprintln!("chromium: {probe}");
}
