//! Which language each call — and each window of it — is transcribed in.
//!
//! A call's language comes, in this order, from its manifest row, its queue's setting, the
//! `--language` flag, or Whisper's detection. Detection runs on every window and the call's
//! language is the one most probable over all its speech, weighted by duration: a lone short
//! window is too little audio to trust (a two-second "okay" in a Hebrew call may be heard as
//! anything), while the whole call rarely is. A window keeps a language of its own when Whisper
//! is sure of it — very sure for a short window, fairly sure for one with several seconds of
//! speech — which is how a caller who answers in English is transcribed in English: decoding a
//! window in the wrong language does not fail, Whisper *translates* it.
//!
//! Each detection costs an encoder pass, as much as transcribing the window, so a party's
//! windows are detected only until `PARTY_EVIDENCE_S` of their speech has been heard; that
//! party's later windows take the language their speech so far was in.

use crate::asr::whisper::LanguageProbs;
use crate::transcript::meta::CallMeta;
use crate::transcript::{LanguageSource, Speaker};
use std::collections::HashMap;

/// A window is transcribed in its own detected language rather than the call's at or above
/// this probability...
pub const OWN_LANGUAGE_MIN_PROB: f32 = 0.9;
/// ...or this one, when it holds at least `LONG_WINDOW_S` of speech (enough for Whisper's
/// language guess to mean something: a party who speaks another language through a whole call).
pub const OWN_LANGUAGE_LONG_MIN_PROB: f32 = 0.6;
pub const LONG_WINDOW_S: f64 = 5.0;
/// Seconds of a party's speech after which their further windows are not detected.
pub const PARTY_EVIDENCE_S: f64 = 15.0;
/// A party's undetected windows take the party's language when it holds this share of the
/// party's detected probability mass; otherwise the call's.
pub const PARTY_LANGUAGE_MIN_SHARE: f32 = 0.6;

/// The language a call is fixed to before any audio is heard, and who fixed it; `None` means
/// detect.
pub fn fixed_language(
    meta: Option<&CallMeta>,
    queue_languages: &HashMap<String, String>,
    flag: Option<&str>,
) -> Option<(String, LanguageSource)> {
    let from_meta = meta
        .and_then(|m| m.language.as_deref())
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "auto");
    if let Some(l) = from_meta {
        return Some((l.to_ascii_lowercase(), LanguageSource::Manifest));
    }
    let from_queue = meta
        .and_then(|m| m.queue.as_deref())
        .and_then(|q| queue_languages.get(q));
    if let Some(l) = from_queue {
        return Some((l.clone(), LanguageSource::Queue));
    }
    flag.filter(|l| *l != "auto")
        .map(|l| (l.to_ascii_lowercase(), LanguageSource::Flag))
}

/// Parses `QUEUE=LANG` (the `--queue-language` flag).
pub fn parse_queue_language(s: &str) -> Result<(String, String), String> {
    let (queue, language) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected QUEUE=LANGUAGE, e.g. billing-he=he"))?;
    let (queue, language) = (queue.trim(), language.trim().to_ascii_lowercase());
    if queue.is_empty() {
        return Err(format!("{s:?}: the queue name is empty"));
    }
    if !crate::asr::whisper::is_known_language(&language) {
        return Err(format!(
            "{language:?} is not a language Whisper knows (ISO 639-1 codes such as en, he, ar, ru)"
        ));
    }
    Ok((queue.to_string(), language))
}

/// One window: whose speech, how many seconds of it, and Whisper's probabilities when the
/// window was detected.
pub struct Detection {
    pub speaker: Speaker,
    pub speech_s: f64,
    pub probs: Option<LanguageProbs>,
}

/// Whether a party's next window needs detecting, given the seconds of their speech detected
/// so far.
pub fn needs_detection(detected_s: f64) -> bool {
    detected_s < PARTY_EVIDENCE_S
}

/// The call's language and each window's. `None` when nothing was detected (no speech).
pub fn choose(detections: &[Detection]) -> Option<(String, Vec<String>)> {
    let mut total = LanguageProbs::default();
    let mut by_party: [LanguageProbs; 2] = Default::default();
    for d in detections {
        if let Some(probs) = &d.probs {
            let weight = d.speech_s.max(0.1) as f32;
            probs.accumulate(weight, &mut total);
            probs.accumulate(weight, &mut by_party[party(d.speaker)]);
        }
    }
    let (call, _) = total.top()?;
    let party_language: Vec<&str> = by_party
        .iter()
        .map(|p| {
            let mass: f32 = p.0.iter().sum();
            match p.top() {
                Some((l, top)) if mass > 0.0 && top / mass >= PARTY_LANGUAGE_MIN_SHARE => l,
                _ => call,
            }
        })
        .collect();
    let per_window = detections
        .iter()
        .map(|d| {
            let Some(probs) = &d.probs else {
                return party_language[party(d.speaker)].to_string();
            };
            let needed = if d.speech_s >= LONG_WINDOW_S {
                OWN_LANGUAGE_LONG_MIN_PROB
            } else {
                OWN_LANGUAGE_MIN_PROB
            };
            match probs.top() {
                Some((own, p)) if p >= needed => own.to_string(),
                _ => call.to_string(),
            }
        })
        .collect();
    Some((call.to_string(), per_window))
}

fn party(speaker: Speaker) -> usize {
    match speaker {
        Speaker::Agent => 0,
        Speaker::Customer => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probs(pairs: &[(&str, f32)]) -> LanguageProbs {
        let mut v = vec![0.0; 100];
        for (code, p) in pairs {
            let id = whisper_rs::get_lang_id(code).unwrap() as usize;
            v[id] = *p;
        }
        LanguageProbs(v)
    }

    #[test]
    fn the_call_language_weighs_windows_by_their_speech() {
        let detected = |speech_s, pairs: &[(&str, f32)]| Detection {
            speaker: Speaker::Agent,
            speech_s,
            probs: Some(probs(pairs)),
        };
        let detections = [
            detected(20.0, &[("he", 0.6), ("ar", 0.3)]),
            // A short window heard confidently as something else keeps its own language...
            detected(1.5, &[("en", 0.95)]),
            // ...an unsure short one follows the call...
            detected(3.0, &[("el", 0.69), ("he", 0.2)]),
            // ...and a long one needs less certainty: a customer answering in English.
            detected(14.0, &[("en", 0.82), ("ru", 0.1)]),
            detected(6.0, &[("ja", 0.5), ("he", 0.3)]),
        ];
        let (call, windows) = choose(&detections).unwrap();
        assert_eq!(call, "he");
        assert_eq!(windows, ["he", "en", "he", "en", "he"]);
        assert!(choose(&[]).is_none());
    }

    #[test]
    fn undetected_windows_take_their_partys_language() {
        let window = |speaker, probs: Option<LanguageProbs>| Detection {
            speaker,
            speech_s: 20.0,
            probs,
        };
        let detections = [
            window(Speaker::Agent, Some(probs(&[("ru", 0.99)]))),
            window(Speaker::Agent, None),
            window(Speaker::Customer, Some(probs(&[("en", 0.7), ("ru", 0.2)]))),
            window(Speaker::Customer, None),
        ];
        let (call, windows) = choose(&detections).unwrap();
        assert_eq!(call, "ru");
        assert_eq!(windows, ["ru", "ru", "en", "en"]);
        // A party heard as no language in particular follows the call.
        let unsure = [
            window(Speaker::Agent, Some(probs(&[("he", 0.9)]))),
            window(
                Speaker::Customer,
                Some(probs(&[("mn", 0.16), ("el", 0.15)])),
            ),
            window(Speaker::Customer, None),
        ];
        assert_eq!(choose(&unsure).unwrap().1, ["he", "he", "he"]);
        assert!(needs_detection(0.0) && needs_detection(14.9) && !needs_detection(15.0));
    }

    #[test]
    fn manifest_then_queue_then_flag() {
        let queues = HashMap::from([("billing-ru".to_string(), "ru".to_string())]);
        let mut meta = CallMeta {
            queue: Some("billing-ru".into()),
            ..Default::default()
        };
        assert_eq!(
            fixed_language(Some(&meta), &queues, Some("he")),
            Some(("ru".into(), LanguageSource::Queue))
        );
        meta.language = Some("AR".into());
        assert_eq!(
            fixed_language(Some(&meta), &queues, Some("he")),
            Some(("ar".into(), LanguageSource::Manifest))
        );
        assert_eq!(
            fixed_language(None, &queues, Some("he")),
            Some(("he".into(), LanguageSource::Flag))
        );
        assert_eq!(fixed_language(None, &queues, Some("auto")), None);
        assert_eq!(fixed_language(None, &queues, None), None);
    }

    #[test]
    fn queue_language_flags_are_checked() {
        assert_eq!(
            parse_queue_language("support-he=he").unwrap(),
            ("support-he".to_string(), "he".to_string())
        );
        assert!(parse_queue_language("support").is_err());
        assert!(parse_queue_language("=he").is_err());
        assert!(parse_queue_language("q=hebrew").is_err());
        assert!(parse_queue_language("q=x\0").is_err());
    }
}
