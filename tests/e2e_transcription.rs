//! End to end with the real imported Whisper model on the committed sample calls: word error
//! rate per party, speaker attribution and utterance timing against each call's script.

mod common;

use callqa::transcript::{Speaker, Transcript};
use common::*;

fn transcribe(model: &std::path::Path, extra: &[&str], path: &std::path::Path) -> Transcript {
    let mut args = vec![
        "--model",
        model.to_str().unwrap(),
        "transcribe",
        "--format",
        "json",
        // Word error rate is measured against the scripts as spoken, card numbers included.
        "--keep-pii",
        path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = callqa(&args);
    assert!(
        out.status.success(),
        "transcribe {} failed: {}",
        path.display(),
        stderr_of(&out)
    );
    serde_json::from_slice(&out.stdout).expect("transcript JSON")
}

/// The default setup (tiny.en, automatic decoding). Whisper tiny.en on 8 kHz telephone audio is
/// measurably worse than on wideband audio (README, "Accuracy and speed"), so its per-channel bar
/// follows the source bandwidth: 25 % for wideband, 30 % for telephone-band sources; the mean
/// over all twelve channels is held to 16 %.
///
/// Margins: one channel is 40-60 words, so one word is 2-2.5 points, and a CPU with other float
/// bits may flip a word or two. Measured (native AVX-512 build): worst wideband channel 17.7 %,
/// worst 8 kHz channel 23.9 %, mean 13.1 %; each bar is at least 2-3 words away.
#[test]
fn default_model_transcribes_every_sample_with_the_right_speakers_and_times() {
    check_samples(
        &model(),
        &[],
        |rate| if rate >= 16_000 { 0.25 } else { 0.30 },
        0.16,
    );
}

/// The configuration the README recommends for telephone audio — Whisper base (multilingual,
/// imported by `setup.sh --multilingual`), beam 5 — holds every channel of every sample to 25 %
/// and their mean to 16 %. Measured: worst channel 19.6 % (call01's customer; the former 20 %
/// bar sat one word away from it), mean 12.9 %.
#[test]
fn base_model_with_beam_search_keeps_every_channel_within_25_and_the_mean_within_16_percent() {
    check_samples(
        &base_model(),
        &["--beam", "5", "--language", "en"],
        |_| 0.25,
        0.16,
    );
}

fn check_samples(model: &std::path::Path, extra: &[&str], bar: impl Fn(u32) -> f64, mean_bar: f64) {
    let mut rates = Vec::new();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (path, reference) in samples() {
        let t = transcribe(model, extra, &path);
        let name = reference.file.clone();
        assert_eq!(
            t.source.channels, reference.channels,
            "{name}: channel count"
        );
        assert!(
            (t.source.duration_s - reference.duration_s).abs() < 0.1,
            "{name}: duration {} vs {}",
            t.source.duration_s,
            reference.duration_s
        );

        for speaker in [Speaker::Agent, Speaker::Customer] {
            let truth = reference
                .turns
                .iter()
                .filter(|turn| turn.speaker == speaker.as_str())
                .map(|turn| turn.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let heard = t.text_of(speaker);
            let rate = wer(&truth, &heard);
            rates.push(rate);
            report.push(format!("{name} {speaker}: WER {:.1}%", rate * 100.0));
            let limit = bar(reference.sample_rate);
            if rate > limit {
                failures.push(format!(
                    "{name} {speaker}: WER {:.1}% > {:.0}%\n  truth: {truth}\n  heard: {heard}",
                    rate * 100.0,
                    limit * 100.0
                ));
            }
        }

        // Each utterance belongs to the scripted turn it coincides with most; it must carry that
        // turn's speaker and start within a second of it.
        for u in &t.utterances {
            let best = reference
                .turns
                .iter()
                .max_by(|a, b| {
                    // Intersection over union: when the other party talks over a turn (calls
                    // with overtalk), the utterance still belongs to the turn it coincides with.
                    let iou = |turn: &Turn| {
                        let inter = (turn.end.min(u.end) - turn.start.max(u.start)).max(0.0);
                        inter / (turn.end.max(u.end) - turn.start.min(u.start)).max(1e-9)
                    };
                    iou(a).total_cmp(&iou(b))
                })
                .expect("turns");
            let overlap = (best.end.min(u.end) - best.start.max(u.start)).max(0.0);
            if overlap <= 0.0 {
                failures.push(format!(
                    "{name}: utterance at {:.2}s matches no scripted turn: {}",
                    u.start, u.text
                ));
                continue;
            }
            if u.speaker.as_str() != best.speaker {
                failures.push(format!(
                    "{name}: utterance at {:.2}s attributed to {} but the script has {}: {}",
                    u.start, u.speaker, best.speaker, u.text
                ));
            }
            if (u.start - best.start).abs() > 1.0 {
                failures.push(format!(
                    "{name}: utterance starts at {:.2}s, scripted turn at {:.2}s",
                    u.start, best.start
                ));
            }
        }
        // And no scripted turn goes missing.
        for turn in &reference.turns {
            if !t
                .utterances
                .iter()
                .any(|u| (u.start - turn.start).abs() <= 1.0)
            {
                failures.push(format!(
                    "{name}: no utterance starts within 1 s of the {} turn at {:.2}s",
                    turn.speaker, turn.start
                ));
            }
        }
    }
    let mean = rates.iter().sum::<f64>() / rates.len().max(1) as f64;
    report.push(format!(
        "mean over {} channels: WER {:.1}%",
        rates.len(),
        mean * 100.0
    ));
    if mean > mean_bar {
        failures.push(format!(
            "mean WER {:.1}% > {:.0}%",
            mean * 100.0,
            mean_bar * 100.0
        ));
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn wer_helper_counts_substitutions_insertions_and_deletions() {
    assert_eq!(wer("thank you for calling", "Thank you, for calling!"), 0.0);
    assert_eq!(wer("a b c d", "a x c"), 0.5);
    assert_eq!(wer("a b", "a b c d"), 1.0);
    assert_eq!(wer("forty two Maple Street", "42 Maple Street."), 0.0);
    assert_eq!(wer("one hundred and five", "105"), 0.25);
    assert_eq!(
        wer("four nine one six, three eight one five", "4916 3815"),
        0.0
    );
    assert_eq!(wer("North Mobile, I can not", "NorthMobile. I cannot"), 0.0);
}
