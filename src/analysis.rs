//! Everything computed from a transcript without audio: metrics, sentiment, flags and rubric
//! results. It is cheap and deterministic, so `rescore` can redo it for stored calls at will.

use crate::flags::{self, Flag};
use crate::metrics::{self, CallMetrics};
use crate::rubric::{RubricResult, RubricSet};
use crate::sentiment::{self, CallSentiment};
use crate::transcript::Transcript;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAnalysis {
    pub metrics: CallMetrics,
    pub sentiment: CallSentiment,
    /// Distress first, then the other kinds (`flags::FLAG_KINDS` order).
    pub flags: Vec<Flag>,
    pub results: Vec<RubricResult>,
}

pub fn analyse(transcript: &Transcript, rubrics: &RubricSet) -> CallAnalysis {
    // Normalised once, read by every scorer.
    let tokens = transcript.normalised();
    // One matcher pass finds rubric phrases and conversation cues alike.
    let matches = rubrics.match_utterances(transcript, &tokens);
    let metrics = metrics::compute_with(transcript, &matches.cues);
    let sentiment = sentiment::analyse_with(transcript, &tokens);
    let pii = flags::pii_by_utterance_with(transcript, &tokens);
    let flags = flags::detect_with(transcript, &metrics, &pii, &tokens, &matches.cues);
    let facts = rubrics.facts_with(
        transcript,
        &metrics,
        &sentiment,
        &flags,
        &pii,
        matches.phrases,
    );
    let results = rubrics.score(&facts);
    CallAnalysis {
        metrics,
        sentiment,
        flags,
        results,
    }
}

/// Removes personal data from a call before it is stored: every utterance's text and words, and
/// every evidence quote taken from them, have card numbers, SSNs, dates of birth, e-mail
/// addresses and phone numbers replaced by their kind (`[CARD_NUMBER]`). Analyse first: the
/// scorers need to know what was said; the placeholders keep saying it when rescored.
pub fn redact(transcript: &mut Transcript, analysis: &mut CallAnalysis) {
    let spans = flags::pii_by_utterance(transcript);
    let mut replaced: Vec<(String, String)> = Vec::new();
    for (u, spans) in transcript.utterances.iter_mut().zip(&spans) {
        if spans.is_empty() {
            continue;
        }
        let redacted = crate::pii::redact(&u.text, spans);
        replaced.push((u.text.trim().to_string(), redacted.trim().to_string()));
        redact_words(&u.text, &mut u.words, spans);
        u.text = redacted;
    }
    if replaced.is_empty() {
        return;
    }
    let fix = |quote: &mut String| {
        if let Some((_, clean)) = replaced.iter().find(|(raw, _)| raw == quote) {
            *quote = clean.clone();
        }
    };
    for f in &mut analysis.flags {
        f.evidence.iter_mut().for_each(|e| fix(&mut e.quote));
    }
    for r in &mut analysis.results {
        for c in &mut r.criteria {
            c.evidence.iter_mut().for_each(|e| fix(&mut e.quote));
        }
    }
}

/// Words are the utterance text's pieces in order; those inside a span collapse into one word
/// holding the placeholder, timed from the first to the last.
fn redact_words(
    text: &str,
    words: &mut Vec<crate::transcript::Word>,
    spans: &[crate::pii::PiiSpan],
) {
    let mut cursor = 0;
    let mut located = Vec::with_capacity(words.len());
    for w in words.iter() {
        let piece = w.text.trim();
        let at = text[cursor..].find(piece).map(|i| cursor + i);
        if let Some(at) = at {
            cursor = at + piece.len();
        }
        located.push(at.map(|a| (a, a + piece.len())));
    }
    let mut out: Vec<crate::transcript::Word> = Vec::with_capacity(words.len());
    let mut open: Option<usize> = None; // index of the span the last kept word stands for
    for (w, range) in words.drain(..).zip(located) {
        let span = range.and_then(|(s, e)| spans.iter().position(|p| s < p.end && e > p.start));
        match (span, open) {
            (Some(k), Some(o)) if k == o => {
                if let Some(last) = out.last_mut() {
                    last.end = w.end;
                }
            }
            (Some(k), _) => {
                out.push(crate::transcript::Word {
                    text: format!(" {}", spans[k].kind.placeholder()),
                    ..w
                });
                open = Some(k);
            }
            (None, _) => {
                // A word that could not be located keeps its text only if it holds no digits.
                let risky =
                    range.is_none() && w.text.chars().any(|c| c.is_ascii_digit() || c == '@');
                if !risky {
                    out.push(w);
                }
                open = None;
            }
        }
    }
    *words = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tests::{call, utt};
    use crate::transcript::{Speaker, Word};

    fn words(text: &str, start: f64) -> Vec<Word> {
        text.split(' ')
            .enumerate()
            .map(|(i, w)| Word {
                text: format!(" {w}"),
                start: start + i as f64 * 0.3,
                end: start + i as f64 * 0.3 + 0.25,
                probability: 0.9,
            })
            .collect()
    }

    #[test]
    fn redaction_clears_text_words_and_evidence_and_rescoring_still_sees_it() {
        let mut set = RubricSet::default();
        set.add_source(
            "c.yaml",
            "id: c\ntitle: C\nversion: 1\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: no_full_card_readback\n        title: No readback\n        check: {pii: {said_by: agent, none_of: [card_number]}}\n",
        )
        .unwrap();
        let said = "That is 4532 0151 1283 0366, right?";
        let mut t = call(
            30.0,
            vec![
                utt(Speaker::Customer, 1.0, 4.0, "Can I pay by card?"),
                utt(Speaker::Agent, 5.0, 9.0, said),
            ],
        );
        t.utterances[1].words = words(said, 5.0);
        let mut a = analyse(&t, &set);
        assert_eq!(a.results[0].criteria[0].result.as_str(), "fail");
        redact(&mut t, &mut a);

        let u = &t.utterances[1];
        assert_eq!(u.text, "That is [CARD_NUMBER], right?");
        let w: Vec<&str> = u.words.iter().map(|w| w.text.trim()).collect();
        assert_eq!(w, ["That", "is", "[CARD_NUMBER]", "right?"]);
        assert!(
            (u.words[2].end - (5.0 + 5.0 * 0.3 + 0.25)).abs() < 1e-9,
            "placeholder spans the digits"
        );
        let stored = serde_json::to_string(&(&t, &a)).unwrap();
        assert!(
            !stored.contains("4532") && !stored.contains("0366"),
            "{stored}"
        );
        assert!(stored.contains("[CARD_NUMBER]"));

        // Rescored from the redacted transcript: same verdict, same flag.
        let again = analyse(&t, &set);
        assert_eq!(again.results[0].criteria[0].result.as_str(), "fail");
        assert!(again
            .flags
            .iter()
            .any(|f| f.kind == "pii_spoken" && f.detail == "card_number"));
    }

    #[test]
    fn every_pii_kind_is_redacted_in_digits_and_in_words() {
        let set = RubricSet::default();
        // (the agent's question, the customer's answer, what must not survive, placeholder)
        let cases = [
            (
                "What is the card number?",
                "It is 4532 0151 1283 0366.",
                vec!["4532", "0366"],
                "[CARD_NUMBER]",
            ),
            (
                "Can you read me the card number?",
                "Four five three two, zero one five one, one two eight three, zero three six six.",
                vec!["four five three two", "zero three six six"],
                "[CARD_NUMBER]",
            ),
            (
                "And your social security number?",
                "It is 123-45-6789.",
                vec!["123-45-6789", "6789"],
                "[SSN]",
            ),
            (
                "What is your social security number?",
                "One two three four five six seven eight nine.",
                vec!["seven eight nine"],
                "[SSN]",
            ),
            (
                "Can I have your date of birth?",
                "The fourth of March nineteen eighty five.",
                vec!["nineteen eighty five"],
                "[DATE_OF_BIRTH]",
            ),
            (
                "And your email?",
                "It is laura.smith@example.com.",
                vec!["laura.smith", "example.com"],
                "[EMAIL]",
            ),
            (
                "And your email?",
                "It's laura dot smith at gmail dot com.",
                vec!["laura dot smith", "gmail dot com"],
                "[EMAIL]",
            ),
            (
                "A good phone number?",
                "Call me on 555 867 5309.",
                vec!["867", "5309"],
                "[PHONE]",
            ),
            (
                "What's a good phone number?",
                "Sure, it's five five five, eight six seven, five three zero nine.",
                vec!["five three zero nine"],
                "[PHONE]",
            ),
        ];
        for (question, answer, secrets, placeholder) in cases {
            let mut t = call(
                30.0,
                vec![
                    utt(Speaker::Agent, 1.0, 3.0, question),
                    utt(Speaker::Customer, 4.0, 9.0, answer),
                ],
            );
            t.utterances[1].words = words(answer, 4.0);
            let mut a = analyse(&t, &set);
            redact(&mut t, &mut a);
            let stored = serde_json::to_string(&(&t, &a)).unwrap().to_lowercase();
            for secret in &secrets {
                assert!(
                    !stored.contains(secret),
                    "{answer:?} left {secret:?}: {}",
                    t.utterances[1].text
                );
            }
            assert!(
                t.utterances[1].text.contains(placeholder),
                "{answer:?} -> {:?}, expected {placeholder}",
                t.utterances[1].text
            );
        }
    }
}
