//! The audio front end on real files: every committed format decodes to the right length and
//! channel count, and voice activity finds the scripted turns.

mod common;

use callqa::audio::{decode_file, vad, AudioError};
use common::*;

#[test]
fn every_sample_decodes_to_its_scripted_duration_and_channels() {
    for (path, reference) in samples() {
        let audio = decode_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            audio.channels.len(),
            reference.channels,
            "{}",
            reference.file
        );
        // MP3 pads to whole 1152-sample frames plus encoder delay; when the encoder's
        // gapless tag does not cover it (resampling encoders), up to ~0.1 s remains.
        let tolerance = if reference.file.ends_with(".mp3") {
            0.12
        } else {
            0.06
        };
        assert!(
            (audio.duration_s() - reference.duration_s).abs() < tolerance,
            "{}: {} s vs {} s",
            reference.file,
            audio.duration_s(),
            reference.duration_s
        );
        assert!(
            audio.warnings.is_empty(),
            "{}: {:?}",
            reference.file,
            audio.warnings
        );
    }
}

#[test]
fn fixture_formats_decode_with_expected_shape() {
    let data = root().join("tests/data");
    // (file, source rate, channels, approximate seconds)
    let cases = [
        ("hires_96k_24bit.wav", 96_000, 1, None),
        ("tone_440_8k_ulaw.wav", 8000, 1, Some(2.0)),
        ("alaw_8k_mono.wav", 8000, 1, None),
        ("u8_8k_mono.wav", 8000, 1, None),
        ("float32_stereo_44k.wav", 44_100, 2, Some(0.5)),
        ("speech_mono.ogg", 0, 1, None),
        ("silence_half_second.wav", 16_000, 1, Some(0.5)),
        ("three_channel.wav", 0, 3, Some(2.0)),
    ];
    for (name, rate, channels, seconds) in cases {
        let audio = decode_file(&data.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(audio.channels.len(), channels, "{name}");
        if rate != 0 {
            assert_eq!(audio.source_rate, rate, "{name}");
        }
        if let Some(s) = seconds {
            assert!(
                (audio.duration_s() - s).abs() < 0.05,
                "{name}: {}",
                audio.duration_s()
            );
        }
        assert!(audio.duration_s() > 0.0, "{name}");
    }
}

#[test]
fn ulaw_tone_keeps_its_frequency_through_decode_and_resample() {
    let audio = decode_file(&root().join("tests/data/tone_440_8k_ulaw.wav")).unwrap();
    let x = &audio.channels[0];
    let mid = &x[x.len() / 4..x.len() * 3 / 4];
    let crossings = mid
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    let freq = crossings as f64 / 2.0 / (mid.len() as f64 / 16000.0);
    assert!((freq - 440.0).abs() < 3.0, "{freq}");
}

#[test]
fn broken_files_give_specific_errors() {
    let data = root().join("tests/data");
    assert!(matches!(
        decode_file(&data.join("empty.wav")),
        Err(AudioError::Empty)
    ));
    assert!(matches!(
        decode_file(&data.join("not_audio.mp3")),
        Err(AudioError::UnrecognisedFormat(_))
    ));
    // Truncated files keep what decodes (with a warning) or fail cleanly; they never hang.
    for name in ["truncated.wav", "truncated.mp3"] {
        match decode_file(&data.join(name)) {
            Ok(a) => {
                assert!(a.duration_s() > 0.5, "{name}");
                assert!(
                    !a.warnings.is_empty() || name.ends_with(".mp3"),
                    "{name}: no warning"
                );
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn voice_activity_finds_the_scripted_turns_of_a_stereo_call() {
    let (path, reference) = samples()
        .into_iter()
        .find(|(_, r)| r.channels == 2)
        .expect("a stereo sample");
    let audio = decode_file(&path).unwrap();
    let [agent, customer] = vad::detect_stereo(
        &audio.channels[0],
        &audio.channels[1],
        &vad::VadConfig::default(),
    );
    for turn in &reference.turns {
        let regions = if turn.speaker == "agent" {
            &agent
        } else {
            &customer
        };
        // A turn may contain pauses longer than the VAD's gap: it must start a region, and
        // the regions inside it must end where it ends.
        let starts = regions.iter().any(|r| (r.start - turn.start).abs() <= 0.3);
        let ends = regions.iter().any(|r| (r.end - turn.end).abs() <= 0.3);
        assert!(
            starts && ends,
            "{}: turn {:.2}-{:.2} not found in {regions:?}",
            reference.file,
            turn.start,
            turn.end
        );
    }
    // No region outside the turns (no speech invented in silence).
    for (regions, who) in [(&agent, "agent"), (&customer, "customer")] {
        for r in regions.iter() {
            let inside = reference
                .turns
                .iter()
                .any(|t| t.speaker == who && r.start >= t.start - 0.3 && r.end <= t.end + 0.3);
            assert!(
                inside,
                "{who} region {r:?} is outside every scripted {who} turn"
            );
        }
    }
}
