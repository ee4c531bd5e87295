//! Human-readable renderings of a transcript, for `callqa transcribe`.

use super::Transcript;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Json,
    Text,
    Srt,
    Vtt,
}

pub fn render(t: &Transcript, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => serde_json::to_string_pretty(t).unwrap_or_default() + "\n",
        OutputFormat::Text => text(t),
        OutputFormat::Srt => srt(t),
        OutputFormat::Vtt => vtt(t),
    }
}

fn text(t: &Transcript) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({:.1} s, {} ch, {} Hz, roles {})",
        t.source.path,
        t.source.duration_s,
        t.source.channels,
        t.source.sample_rate,
        t.roles.as_str()
    );
    for w in &t.warnings {
        let _ = writeln!(out, "# warning: {w}");
    }
    for u in &t.utterances {
        let _ = writeln!(
            out,
            "[{} - {}] {:>8}: {}",
            clock(u.start, '.'),
            clock(u.end, '.'),
            u.speaker.as_str(),
            u.text
        );
    }
    out
}

fn srt(t: &Transcript) -> String {
    let mut out = String::new();
    for (i, u) in t.utterances.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}\n{} --> {}\n{}: {}\n",
            i + 1,
            clock(u.start, ','),
            clock(u.end, ','),
            u.speaker.as_str(),
            u.text
        );
    }
    out
}

fn vtt(t: &Transcript) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for u in &t.utterances {
        let _ = writeln!(
            out,
            "{} --> {}\n<v {}>{}\n",
            clock(u.start, '.'),
            clock(u.end, '.'),
            u.speaker.as_str(),
            u.text
        );
    }
    out
}

/// `HH:MM:SS.mmm`, with the separator SRT and VTT disagree on.
fn clock(seconds: f64, millis_sep: char) -> String {
    let total_ms = (seconds.max(0.0) * 1000.0).round() as u64;
    let (h, rem) = (total_ms / 3_600_000, total_ms % 3_600_000);
    let (m, rem) = (rem / 60_000, rem % 60_000);
    let (s, ms) = (rem / 1000, rem % 1000);
    format!("{h:02}:{m:02}:{s:02}{millis_sep}{ms:03}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::*;

    fn sample() -> Transcript {
        Transcript {
            names: Vec::new(),
            call_id: "abc".into(),
            source: SourceAudio {
                path: "x.wav".into(),
                codec: "pcm_s16le".into(),
                sample_rate: 8000,
                channels: 2,
                duration_s: 10.0,
            },
            roles: RoleSource::Mapped,
            language: "en".into(),
            language_source: Default::default(),
            model: "tiny.en".into(),
            utterances: vec![Utterance {
                speaker: Speaker::Agent,
                channel: 0,
                start: 61.5,
                end: 3725.25,
                text: "Hello.".into(),
                words: vec![],
                avg_logprob: -0.2,
                no_speech_prob: 0.0,
            }],
            warnings: vec![],
        }
    }

    #[test]
    fn clock_formats_hours_minutes_and_millis() {
        assert_eq!(clock(3725.25, ','), "01:02:05,250");
        assert_eq!(clock(0.0, '.'), "00:00:00.000");
    }

    #[test]
    fn srt_and_vtt_carry_speaker_and_times() {
        let t = sample();
        let srt = render(&t, OutputFormat::Srt);
        assert!(srt.starts_with("1\n00:01:01,500 --> 01:02:05,250\nagent: Hello."));
        let vtt = render(&t, OutputFormat::Vtt);
        assert!(vtt.starts_with("WEBVTT\n\n00:01:01.500 --> 01:02:05.250\n<v agent>Hello."));
        let json: Transcript = serde_json::from_str(&render(&t, OutputFormat::Json)).unwrap();
        assert_eq!(json, t);
    }
}
