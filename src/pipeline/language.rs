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

use crate::asr::whisper::LanguageProbs;
use crate::meta::CallMeta;
use crate::transcript::LanguageSource;
use std::collections::HashMap;

/// A window is transcribed in its own detected language rather than the call's at or above
/// this probability...
pub const OWN_LANGUAGE_MIN_PROB: f32 = 0.9;
/// ...or this one, when it holds at least `LONG_WINDOW_S` of speech (enough for Whisper's
/// language guess to mean something: a party who speaks another language through a whole call).
pub const OWN_LANGUAGE_LONG_MIN_PROB: f32 = 0.6;
pub const LONG_WINDOW_S: f64 = 5.0;

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

/// One detected window: seconds of speech in it, and Whisper's probabilities.
pub struct Detection {
    pub speech_s: f64,
    pub probs: LanguageProbs,
}

/// The call's language and each window's, from per-window detections. `None` when nothing
/// was detected (no speech).
pub fn choose(detections: &[Detection]) -> Option<(String, Vec<String>)> {
    let mut total = LanguageProbs::default();
    for d in detections {
        d.probs.accumulate(d.speech_s.max(0.1) as f32, &mut total);
    }
    let (call, _) = total.top()?;
    let per_window = detections
        .iter()
        .map(|d| {
            let needed = if d.speech_s >= LONG_WINDOW_S {
                OWN_LANGUAGE_LONG_MIN_PROB
            } else {
                OWN_LANGUAGE_MIN_PROB
            };
            match d.probs.top() {
                Some((own, p)) if p >= needed => own.to_string(),
                _ => call.to_string(),
            }
        })
        .collect();
    Some((call.to_string(), per_window))
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
        let detections = [
            Detection {
                speech_s: 20.0,
                probs: probs(&[("he", 0.6), ("ar", 0.3)]),
            },
            // A short window heard confidently as something else keeps its own language...
            Detection {
                speech_s: 1.5,
                probs: probs(&[("en", 0.95)]),
            },
            // ...an unsure short one follows the call...
            Detection {
                speech_s: 3.0,
                probs: probs(&[("el", 0.69), ("he", 0.2)]),
            },
            // ...and a long one needs less certainty: a customer answering in English.
            Detection {
                speech_s: 14.0,
                probs: probs(&[("en", 0.82), ("ru", 0.1)]),
            },
            Detection {
                speech_s: 6.0,
                probs: probs(&[("ja", 0.5), ("he", 0.3)]),
            },
        ];
        let (call, windows) = choose(&detections).unwrap();
        assert_eq!(call, "he");
        assert_eq!(windows, ["he", "en", "he", "en", "he"]);
        assert!(choose(&[]).is_none());
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
