//! The call's audio as a review page embeds it: 8 kHz G.711 µ-law WAV (telephone quality, one
//! byte per sample: 8 KB per second and channel, 0.64 MB per minute mono and 1.28 MB stereo as
//! a base64 data URI), with every span of personal data replaced by a tone.

use crate::transcript::{Speaker, Transcript};

/// Embedded sample rate.
pub const RATE: u32 = 8_000;
/// Seconds of margin muted before and after each redacted word's time.
pub const MUTE_MARGIN_S: f64 = 0.25;
/// The tone that replaces personal data: 1 kHz at −20 dBFS.
pub const TONE_HZ: f64 = 1_000.0;
pub const TONE_AMPLITUDE: f32 = 0.1;

/// A time span in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub start: f64,
    pub end: f64,
}

/// Where personal data was spoken: each redacted word's time (a word whose text is a
/// placeholder such as `[CARD_NUMBER]`) widened by [`MUTE_MARGIN_S`]; an utterance whose text
/// holds a placeholder but whose words do not (a word dropped as unlocatable) is muted whole.
/// Overlapping spans are joined.
pub fn pii_spans(t: &Transcript) -> Vec<Span> {
    let mut spans = Vec::new();
    for u in &t.utterances {
        if !has_placeholder(&u.text) {
            continue;
        }
        let before = spans.len();
        let numeric = number_words(&u.words);
        for w in u.words.iter().filter(|w| has_placeholder(&w.text)) {
            // Digits said next to a redacted number belong to it, whatever the detector kept
            // ("491 tick, [CARD_NUMBER]" read back): they are muted with it.
            let (mut start, mut end) = (w.start, w.end);
            loop {
                let mut grown = false;
                let digits = u.words.iter().zip(&numeric).filter(|(_, &d)| d);
                for (n, _) in digits {
                    if n.start < start && start - n.end <= NUMBER_GAP_S {
                        start = n.start;
                        grown = true;
                    }
                    if n.end > end && n.start - end <= NUMBER_GAP_S {
                        end = n.end;
                        grown = true;
                    }
                }
                if !grown {
                    break;
                }
            }
            spans.push(Span {
                start: start - MUTE_MARGIN_S,
                end: end + MUTE_MARGIN_S,
            });
        }
        if spans.len() == before {
            spans.push(Span {
                start: u.start - MUTE_MARGIN_S,
                end: u.end + MUTE_MARGIN_S,
            });
        }
    }
    for s in &mut spans {
        s.start = s.start.max(0.0);
    }
    spans.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut joined: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match joined.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => joined.push(s),
        }
    }
    joined
}

/// How far apart (seconds) digits and a redacted number may be and still be muted together.
pub const NUMBER_GAP_S: f64 = 3.0;

/// Which of an utterance's words say digits, by the recogniser redaction uses
/// ([`crate::text::digit_runs`] over the words as the utterance's text joins them): the same
/// rule in every language it knows ("four five", "четыре пять", "ארבע חמש", "اربعة خمسة",
/// "٤٥"), and a word is judged with its neighbours ("double oh seven", "ו" + "שש").
fn number_words(words: &[crate::transcript::Word]) -> Vec<bool> {
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(words.len());
    for w in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(&w.text);
        ranges.push(start..text.len());
    }
    let runs = crate::text::digit_runs(&text);
    ranges
        .iter()
        .map(|r| {
            runs.iter()
                .any(|run| run.start < r.end && r.start < run.end)
        })
        .collect()
}

/// `[CARD_NUMBER]`, `[DATE_OF_BIRTH]`: what redaction writes in place of personal data.
fn has_placeholder(text: &str) -> bool {
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            return false;
        };
        let inner = &after[..close];
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            return true;
        }
        rest = &after[close..];
    }
    false
}

/// Which decoded channels to embed, in order: agent then customer when each party has a
/// channel of its own (mapped roles), else the first channel alone.
pub fn channels_to_embed(t: &Transcript, available: usize) -> Vec<usize> {
    let of = |who: Speaker| {
        t.utterances
            .iter()
            .find(|u| u.speaker == who)
            .map(|u| u.channel)
    };
    match (of(Speaker::Agent), of(Speaker::Customer)) {
        (Some(a), Some(c))
            if a != c
                && a < available
                && c < available
                && t.roles == crate::transcript::RoleSource::Mapped =>
        {
            vec![a, c]
        }
        _ if available > 0 => vec![0],
        _ => Vec::new(),
    }
}

/// 16 kHz → 8 kHz: a windowed-sinc low-pass below 3.8 kHz, then every other sample.
pub fn to_8k(signal: &[f32]) -> Vec<f32> {
    const HALF: usize = 16;
    let cutoff = 3_800.0 / 16_000.0; // cycles per input sample
    let taps: Vec<f32> = (0..=2 * HALF)
        .map(|i| {
            let n = i as f64 - HALF as f64;
            let sinc = if n == 0.0 {
                2.0 * cutoff
            } else {
                (2.0 * std::f64::consts::PI * cutoff * n).sin() / (std::f64::consts::PI * n)
            };
            let window =
                0.54 - 0.46 * (2.0 * std::f64::consts::PI * i as f64 / (2 * HALF) as f64).cos();
            (sinc * window) as f32
        })
        .collect();
    let gain: f32 = taps.iter().sum();
    (0..signal.len() / 2)
        .map(|k| {
            let centre = 2 * k;
            let mut acc = 0.0f32;
            for (j, tap) in taps.iter().enumerate() {
                let idx = centre as isize + j as isize - HALF as isize;
                if idx >= 0 && (idx as usize) < signal.len() {
                    acc += tap * signal[idx as usize];
                }
            }
            acc / gain
        })
        .collect()
}

/// Replaces every span with the tone, in every channel (a party's words leak into the other
/// channel as echo). Samples at [`RATE`].
pub fn mute(channels: &mut [Vec<f32>], spans: &[Span]) {
    for s in spans {
        let from = (s.start * f64::from(RATE)).floor().max(0.0) as usize;
        let to = (s.end * f64::from(RATE)).ceil().max(0.0) as usize;
        for ch in channels.iter_mut() {
            let to = to.min(ch.len());
            for (i, x) in ch.iter_mut().enumerate().take(to).skip(from) {
                let t = i as f64 / f64::from(RATE);
                *x = TONE_AMPLITUDE * (2.0 * std::f64::consts::PI * TONE_HZ * t).sin() as f32;
            }
        }
    }
}

/// G.711 µ-law of one sample in [-1, 1].
pub fn mulaw(x: f32) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32_635;
    let pcm = (x.clamp(-1.0, 1.0) * 32_767.0) as i32;
    let sign = if pcm < 0 { 0x80 } else { 0 };
    let mag = pcm.abs().min(CLIP) + BIAS;
    let exponent = (7 - (mag as u32).leading_zeros().saturating_sub(17).min(7)) as i32;
    let mantissa = (mag >> (exponent + 3)) & 0x0F;
    !((sign | (exponent << 4) | mantissa) as u8)
}

/// The sample a µ-law byte stands for, in [-1, 1].
pub fn mulaw_decode(b: u8) -> f32 {
    let b = !b;
    let sign = b & 0x80;
    let exponent = i32::from((b >> 4) & 0x07);
    let mantissa = i32::from(b & 0x0F);
    let mag = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    let v = if sign != 0 { -mag } else { mag };
    v as f32 / 32_768.0
}

/// A WAV file (format 7, µ-law) of these channels at [`RATE`], interleaved.
pub fn wav_mulaw(channels: &[Vec<f32>]) -> Vec<u8> {
    let n_ch = channels.len().max(1) as u16;
    let frames = channels.iter().map(Vec::len).min().unwrap_or(0);
    let data_len = frames as u32 * u32::from(n_ch);
    let mut out = Vec::with_capacity(58 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(50 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&18u32.to_le_bytes());
    out.extend_from_slice(&7u16.to_le_bytes()); // WAVE_FORMAT_MULAW
    out.extend_from_slice(&n_ch.to_le_bytes());
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * u32::from(n_ch)).to_le_bytes());
    out.extend_from_slice(&n_ch.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // cbSize
    out.extend_from_slice(b"fact");
    out.extend_from_slice(&4u32.to_le_bytes());
    out.extend_from_slice(&(frames as u32).to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        for ch in channels {
            out.push(mulaw(ch[i]));
        }
    }
    if data_len % 2 == 1 {
        out.push(0);
    }
    out
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The embedded audio of a call: the decoded channels (16 kHz) as a µ-law WAV data URI, with
/// `spans` replaced by the tone.
pub fn data_uri(decoded: &[Vec<f32>], channels: &[usize], spans: &[Span]) -> String {
    let mut chosen: Vec<Vec<f32>> = channels
        .iter()
        .filter_map(|&c| decoded.get(c))
        .map(|c| to_8k(c))
        .collect();
    mute(&mut chosen, spans);
    format!("data:audio/wav;base64,{}", base64(&wav_mulaw(&chosen)))
}

/// Share of a signal's energy at `hz` (Goertzel), 0..1.
pub fn tone_share(x: &[f32], hz: f64, rate: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * hz / rate;
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &v in x {
        let s = f64::from(v) + 2.0 * w.cos() * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    let power = s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2;
    let energy: f64 = x.iter().map(|v| f64::from(*v).powi(2)).sum();
    if energy == 0.0 {
        return 0.0;
    }
    (2.0 * power / x.len() as f64) / energy
}

/// Standard base64 back to bytes (what a page's data URI holds); other characters are read as 0.
pub fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let n = chunk.iter().fold(0u32, |acc, &c| (acc << 6) | val(c));
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{RoleSource, Utterance, Word};

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn mulaw_round_trips_within_its_step() {
        for i in -100..=100 {
            let x = i as f32 / 100.0;
            let back = mulaw_decode(mulaw(x));
            assert!((back - x).abs() <= 0.02 + x.abs() * 0.07, "{x} -> {back}");
        }
        assert_eq!(mulaw(0.0), 0xFF);
    }

    fn transcript() -> Transcript {
        let word = |text: &str, start: f64, end: f64| Word {
            text: text.into(),
            start,
            end,
            probability: 0.9,
        };
        Transcript {
            call_id: "h".into(),
            source: crate::transcript::SourceAudio {
                path: "x.wav".into(),
                codec: "pcm".into(),
                sample_rate: 8000,
                channels: 2,
                duration_s: 16.0,
            },
            roles: RoleSource::Mapped,
            language: "en".into(),
            language_source: Default::default(),
            model: "tiny.en".into(),
            utterances: vec![
                Utterance {
                    speaker: Speaker::Agent,
                    channel: 0,
                    start: 0.0,
                    end: 1.0,
                    text: "Your card number?".into(),
                    words: vec![word("Your", 0.0, 0.3)],
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                },
                Utterance {
                    speaker: Speaker::Customer,
                    channel: 1,
                    start: 2.0,
                    end: 5.0,
                    text: "It is [CARD_NUMBER].".into(),
                    words: vec![
                        word(" It", 2.0, 2.2),
                        word(" is", 2.2, 2.4),
                        word(" [CARD_NUMBER]", 2.5, 4.5),
                    ],
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                },
                Utterance {
                    speaker: Speaker::Agent,
                    channel: 0,
                    start: 10.0,
                    end: 16.0,
                    text: "Read back: 491 tick, [CARD_NUMBER], thanks.".into(),
                    words: vec![
                        word(" Read", 10.0, 10.3),
                        word(" back:", 10.3, 10.6),
                        word(" 491", 10.9, 11.4),
                        word(" tick,", 11.7, 12.1),
                        word(" [CARD_NUMBER],", 12.2, 14.0),
                        word(" thanks.", 14.2, 14.6),
                    ],
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                },
            ],
            warnings: vec![],
            names: vec![],
        }
    }

    #[test]
    fn redacted_words_are_the_spans_to_mute() {
        let t = transcript();
        let spans = pii_spans(&t);
        assert_eq!(spans.len(), 2);
        assert!((spans[0].start - 2.25).abs() < 1e-9 && (spans[0].end - 4.75).abs() < 1e-9);
        // The digits read just before the redacted number are muted with it.
        assert!((spans[1].start - 10.65).abs() < 1e-9 && (spans[1].end - 14.25).abs() < 1e-9);
        assert_eq!(channels_to_embed(&t, 2), vec![0, 1]);
        assert_eq!(channels_to_embed(&t, 1), vec![0]);
        assert!(!has_placeholder("a [b] c [Card]"));
        assert!(has_placeholder("x [DATE_OF_BIRTH]"));
    }

    /// One customer turn of `said` (words 0.5 s apart, 0.4 s long, from 1 s), the rest of a
    /// transcript as `transcript()`'s.
    fn turn(said: &[&str]) -> Transcript {
        let words: Vec<Word> = said
            .iter()
            .enumerate()
            .map(|(i, w)| Word {
                text: format!(" {w}"),
                start: 1.0 + i as f64 * 0.5,
                end: 1.4 + i as f64 * 0.5,
                probability: 0.9,
            })
            .collect();
        let mut t = transcript();
        t.utterances = vec![Utterance {
            speaker: Speaker::Customer,
            channel: 1,
            start: 1.0,
            end: 1.4 + (said.len() - 1) as f64 * 0.5,
            text: words
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            words,
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        }];
        t
    }

    /// Digits said as words next to a redacted number are muted in every language redaction
    /// reads them in; the words after them are not. Before, only English number words were.
    #[test]
    fn number_words_next_to_a_redacted_number_are_muted_in_every_language() {
        // Each: the words, and how many after the placeholder (index 1) say digits.
        for (said, digits) in [
            (
                &[
                    "номер",
                    "[CARD_NUMBER]",
                    "четыре",
                    "пять",
                    "три",
                    "два",
                    "спасибо",
                ][..],
                4,
            ),
            (
                &["מספר", "[CARD_NUMBER]", "ארבע", "חמש", "ושש", "תודה"][..],
                3,
            ),
            (
                &["رقم", "[CARD_NUMBER]", "اربعة", "خمسة", "وستة", "شكرا"][..],
                3,
            ),
            (&["رقم", "[CARD_NUMBER]", "٤٥٣٢", "شكرا"][..], 1),
            (
                &["number", "[CARD_NUMBER]", "double", "oh", "seven", "thanks"][..],
                3,
            ),
        ] {
            let t = turn(said);
            let spans = pii_spans(&t);
            let last = &t.utterances[0].words[1 + digits];
            let next = &t.utterances[0].words[2 + digits];
            assert_eq!(spans.len(), 1, "{said:?}: {spans:?}");
            assert!(
                (spans[0].start - (1.5 - MUTE_MARGIN_S)).abs() < 1e-9,
                "{said:?}: {spans:?}"
            );
            assert!(
                (spans[0].end - (last.end + MUTE_MARGIN_S)).abs() < 1e-9,
                "{said:?}: {spans:?} should end after {:?}",
                last.text
            );
            assert!(spans[0].end < next.end, "{said:?}: {:?} muted", next.text);
        }
        // Words that say no digits stay audible in any language.
        for said in [
            &["номер", "[CARD_NUMBER]", "спасибо", "большое"][..],
            &["מספר", "[CARD_NUMBER]", "שלום", "וברכה"][..],
        ] {
            let spans = pii_spans(&turn(said));
            assert!(
                (spans[0].end - (1.9 + MUTE_MARGIN_S)).abs() < 1e-9,
                "{said:?}: {spans:?}"
            );
        }
    }

    /// Speech-like noise in, a WAV out whose muted span is the tone alone and whose other
    /// samples still carry the signal.
    #[test]
    fn the_muted_span_holds_only_the_tone() {
        let mut seed = 1u64;
        let mut noise = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as f64 / (1u64 << 31) as f64 - 0.5) as f32 * 0.6
        };
        let decoded: Vec<Vec<f32>> = (0..2)
            .map(|_| (0..16_000 * 6).map(|_| noise()).collect())
            .collect();
        let spans = pii_spans(&transcript());
        let uri = data_uri(&decoded, &[0, 1], &spans);
        let b64 = uri.strip_prefix("data:audio/wav;base64,").unwrap();
        assert_eq!(b64.len() % 4, 0);
        let wav = decode_base64(b64);
        let audio = crate::audio::decode_bytes(&wav, Some("wav")).unwrap();
        assert_eq!(audio.source_rate, RATE);
        assert_eq!(audio.channels.len(), 2);
        let rate = 16_000.0;
        for ch in &audio.channels {
            // Well inside the span (the resampler's edges left out): the tone only.
            let inside = &ch[(2.4 * rate) as usize..(4.6 * rate) as usize];
            assert!(
                tone_share(inside, TONE_HZ, rate) > 0.97,
                "{}",
                tone_share(inside, TONE_HZ, rate)
            );
            let outside = &ch[(0.2 * rate) as usize..(2.0 * rate) as usize];
            assert!(tone_share(outside, TONE_HZ, rate) < 0.1);
            let rms = (outside.iter().map(|v| v * v).sum::<f32>() / outside.len() as f32).sqrt();
            assert!(rms > 0.05, "the rest is kept: rms {rms}");
        }
    }
}
