//! The analysis stage: everything computed from a transcript without audio — metrics,
//! sentiment, personal data, conversation cues, flags and rubric results. It is cheap and
//! deterministic, so `rescore` can redo it for stored calls at will.
//!
//! [`Context`] reads a call once (each utterance normalised, then matched against the rubric
//! set's phrases and the conversation cues in one pass); every scorer reads that context, and
//! [`analyse`] runs them in order. Tests go through the same context as production, so there is
//! one path to test.

pub mod cues;
pub mod flags;
pub mod metrics;
pub mod pii;
pub mod rubric;
pub mod sentiment;

use crate::text::{digit_runs, PhraseId, Token};
use crate::transcript::{Evidence, Speaker, Transcript};
use cues::Cues;
use flags::Flag;
use metrics::CallMetrics;
use pii::{PiiKind, PiiSpan, Topics};
use rubric::{RubricResult, RubricSet};
use sentiment::CallSentiment;
use serde::{Deserialize, Serialize};

/// A call read once for every scorer: each utterance's normalised tokens, and what the rubric
/// set's matcher found in it (rubric phrases and conversation cues, from one pass).
pub struct Context<'t> {
    pub transcript: &'t Transcript,
    /// Each utterance's tokens (`Transcript::normalised`).
    pub tokens: Vec<Vec<Token>>,
    /// Rubric phrase ids found in each utterance, ascending.
    pub phrases: Vec<Vec<PhraseId>>,
    /// Hold and transfer cues in each utterance.
    pub cues: Vec<Cues>,
}

#[cfg(test)]
impl<'t> Context<'t> {
    /// A call read as production reads it, with no rubrics: the conversation cues only.
    pub(crate) fn of(transcript: &'t Transcript) -> Context<'t> {
        Context::new(transcript, &RubricSet::default())
    }
}

impl<'t> Context<'t> {
    /// Reads `transcript` with `rubrics`' matcher; `RubricSet::default()` still finds the
    /// conversation cues (they are registered in every set's matcher).
    pub fn new(transcript: &'t Transcript, rubrics: &RubricSet) -> Context<'t> {
        // Normalised once, read by every scorer.
        let tokens = transcript.normalised();
        // One matcher pass finds rubric phrases and conversation cues alike.
        let matches = rubrics.match_utterances(transcript, &tokens);
        Context {
            transcript,
            tokens,
            phrases: matches.phrases,
            cues: matches.cues,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAnalysis {
    pub metrics: CallMetrics,
    pub sentiment: CallSentiment,
    /// Distress first, then the other kinds (`flags::FLAG_KINDS` order).
    pub flags: Vec<Flag>,
    pub results: Vec<RubricResult>,
}

pub fn analyse(transcript: &Transcript, rubrics: &RubricSet) -> CallAnalysis {
    let ctx = Context::new(transcript, rubrics);
    let metrics = metrics::compute(&ctx);
    let sentiment = sentiment::analyse(&ctx);
    let pii = flags::pii_by_utterance(&ctx);
    let flags = flags::detect(&ctx, &metrics, &pii);
    let facts = rubrics.facts(&ctx, &metrics, &sentiment, &flags, &pii);
    let results = rubrics.score(&facts);
    CallAnalysis {
        metrics,
        sentiment,
        flags,
        results,
    }
}

/// Removes personal data from a call before it is stored: every utterance's text and words
/// have card numbers, SSNs, dates, e-mail addresses, phone and ID numbers and any other run of
/// seven digits or more replaced by their kind (`[CARD_NUMBER]`, `[NUMBER]`), and every
/// evidence quote is redacted on its own (`redact_quote`), so a quote that is not the whole
/// utterance cannot let them through. Analyse first: the scorers need to know what was said;
/// the placeholders keep saying it when rescored.
pub fn redact(transcript: &mut Transcript, analysis: &mut CallAnalysis) {
    let sources = redact_transcript(transcript);
    let language = transcript.language.clone();
    for f in &mut analysis.flags {
        for e in &mut f.evidence {
            e.quote = redact_quote(e, &sources, &language);
        }
    }
    for r in &mut analysis.results {
        for c in &mut r.criteria {
            for e in &mut c.evidence {
                e.quote = redact_quote(e, &sources, &language);
            }
        }
    }
}

/// An utterance as it was said, with the personal data found in it: what quotes taken from it
/// are checked against.
#[derive(Debug, Clone)]
pub struct SpokenSource {
    pub speaker: Speaker,
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub spans: Vec<PiiSpan>,
    pub context: Topics,
}

/// Redacts every utterance's text and words (what `transcribe` prints and `score` stores) and
/// returns the utterances as they were said, for redacting quotes.
pub fn redact_transcript(transcript: &mut Transcript) -> Vec<SpokenSource> {
    let tokens = transcript.normalised();
    let found = pii::scan_call(transcript, &tokens);
    let mut sources = Vec::with_capacity(transcript.utterances.len());
    for (i, u) in transcript.utterances.iter_mut().enumerate() {
        let spans = found.spans.get(i).cloned().unwrap_or_default();
        sources.push(SpokenSource {
            speaker: u.speaker,
            start: u.start,
            end: u.end,
            text: u.text.clone(),
            spans: spans.clone(),
            context: found.context.get(i).copied().unwrap_or_default(),
        });
        if spans.is_empty() {
            continue;
        }
        let redacted = pii::redact(&u.text, &spans);
        redact_words(&u.text, &mut u.words, &spans);
        u.text = redacted;
    }
    sources
}

/// An evidence quote with its personal data removed, judged on its own words: the detector runs
/// on the quote with the context of the utterances it was taken from (same speaker, same
/// time); what was found in those utterances is removed wherever the quote repeats it or cuts
/// into it ("...1283 0366", "laura.smith@exam"); and digits of such a number that survive in
/// any other shape go too.
pub fn redact_quote(e: &Evidence, sources: &[SpokenSource], language: &str) -> String {
    let quote = e.quote.as_str();
    if e.speaker.is_none() {
        // callqa's own finding ("agent_talk_ratio = 0.59, must be between 0.2 and 0.8"), not
        // words anyone said: only the detector looks at it. Matching its figures against the
        // digits of a card said nearby turned thresholds into [CARD_NUMBER].
        let tokens = crate::text::normalise(quote, language);
        return pii::redact(
            quote,
            &pii::merge(pii::detect_with_topics(quote, &tokens, Topics::default())),
        );
    }
    let from: Vec<&SpokenSource> = sources
        .iter()
        .filter(|s| {
            e.speaker.is_none_or(|sp| sp == s.speaker)
                && s.start <= e.end + 0.01
                && s.end >= e.start - 0.01
        })
        .collect();
    let mut spans: Vec<PiiSpan> = Vec::new();
    // The quote as a piece of an utterance: that utterance's spans, clipped to the piece.
    let core = quote.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '\u{2026}'));
    let core_at = quote.len()
        - quote
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '\u{2026}'))
            .len();
    if !core.is_empty() {
        for s in from.iter().filter(|s| !s.spans.is_empty()) {
            for (at, _) in s.text.match_indices(core) {
                let end = at + core.len();
                for p in s.spans.iter().filter(|p| p.start < end && p.end > at) {
                    spans.push(PiiSpan {
                        kind: p.kind,
                        start: core_at + p.start.max(at) - at,
                        end: core_at + p.end.min(end) - at,
                    });
                }
            }
        }
    }
    // What was found there, wherever the quote repeats it.
    let said: Vec<(&str, PiiKind)> = from
        .iter()
        .flat_map(|s| {
            s.spans
                .iter()
                .filter_map(|p| s.text.get(p.start..p.end).map(|raw| (raw.trim(), p.kind)))
        })
        .filter(|(raw, _)| !raw.is_empty())
        .collect();
    for (raw, kind) in &said {
        for (at, _) in quote.match_indices(raw) {
            spans.push(PiiSpan {
                kind: *kind,
                start: at,
                end: at + raw.len(),
            });
        }
    }
    // The detector on the quote itself, with the conversation the utterances had around them.
    let context = from
        .iter()
        .fold(Topics::default(), |acc, s| acc | s.context);
    let tokens = crate::text::normalise(quote, language);
    spans.extend(pii::detect_with_topics(quote, &tokens, context));
    // Any other digits of a number found there ("4532 01 51" quoted across two turns).
    let secret_digits: Vec<(String, PiiKind)> = said
        .iter()
        .map(|(raw, kind)| {
            let digits: String = digit_runs(raw).into_iter().map(|r| r.digits).collect();
            (digits, *kind)
        })
        .filter(|(d, _)| !d.is_empty())
        .collect();
    for r in digit_runs(quote) {
        if let Some((_, kind)) = secret_digits
            .iter()
            .find(|(d, _)| r.digits.len() >= 2 && d.contains(&r.digits))
        {
            spans.push(PiiSpan {
                kind: *kind,
                start: r.start,
                end: r.end,
            });
        }
    }
    pii::redact(quote, &pii::merge(spans))
}

/// Words are the utterance text's pieces in order; those inside a span collapse into one word
/// holding the placeholder, timed from the first to the last.
fn redact_words(text: &str, words: &mut Vec<crate::transcript::Word>, spans: &[PiiSpan]) {
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
    use crate::analysis::metrics::tests::{call, utt};
    use crate::transcript::{Evidence, Speaker, Word};

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
            .any(|f| f.kind == crate::analysis::flags::FlagKind::PiiSpoken
                && f.detail == "card_number"));
    }

    #[test]
    fn findings_keep_their_figures_beside_a_card_said_in_the_call() {
        let said = "It is 4532 0151 1283 0366.";
        let t = call(30.0, vec![utt(Speaker::Customer, 1.0, 6.0, said)]);
        let mut t = t;
        let sources = redact_transcript(&mut t);
        let finding = Evidence {
            speaker: None,
            start: 0.0,
            end: 30.0,
            quote: "agent_talk_ratio = 0.59, must be between 0.25 and 0.7".into(),
        };
        assert_eq!(redact_quote(&finding, &sources, "en"), finding.quote);
        // A quote of the customer's words is still redacted.
        let quote = Evidence {
            speaker: Some(Speaker::Customer),
            start: 1.0,
            end: 6.0,
            quote: said.into(),
        };
        assert_eq!(redact_quote(&quote, &sources, "en"), "It is [CARD_NUMBER].");
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

    #[test]
    fn quotes_are_redacted_on_their_own_not_by_matching_the_utterance() {
        let set = RubricSet::default();
        let first = "Sure, it's 4532 01";
        let second = "51 1283 0366, and my email is laura.smith@example.com, that's it.";
        let mut t = call(
            60.0,
            vec![
                utt(
                    Speaker::Agent,
                    1.0,
                    3.0,
                    "What's the long number on the front?",
                ),
                utt(Speaker::Customer, 4.0, 6.0, first),
                utt(Speaker::Customer, 7.0, 12.0, second),
            ],
        );
        t.utterances[1].words = words(first, 4.0);
        t.utterances[2].words = words(second, 7.0);
        let mut a = analyse(&t, &set);
        // Quotes as a scorer might cut them: part of an utterance, two utterances joined, a
        // note with no speaker.
        let quotes = [
            (Some(Speaker::Customer), 4.0, 6.0, "it's 4532 01"),
            (
                Some(Speaker::Customer),
                7.0,
                12.0,
                "1283 0366, and my email",
            ),
            (
                Some(Speaker::Customer),
                7.0,
                12.0,
                "...0366, and my email is laura.smith@example",
            ),
            (Some(Speaker::Customer), 4.0, 12.0, "4532 01 51 1283 0366"),
            (None, 0.0, 60.0, "the customer said 45320151 somewhere"),
        ];
        a.flags.push(Flag {
            kind: crate::analysis::flags::FlagKind::Transfer,
            detail: "evidence quotes to redact".into(),
            at: None,
            evidence: quotes
                .iter()
                .map(|(speaker, start, end, quote)| Evidence {
                    speaker: *speaker,
                    start: *start,
                    end: *end,
                    quote: quote.to_string(),
                })
                .collect(),
            of_call: None,
        });
        redact(&mut t, &mut a);
        let test_flag = a
            .flags
            .iter()
            .find(|f| f.detail == "evidence quotes to redact")
            .unwrap();
        for e in &test_flag.evidence {
            assert!(
                crate::text::digit_runs(&e.quote)
                    .iter()
                    .all(|r| r.digits.len() < 2),
                "digits left in {:?}",
                e.quote
            );
            assert!(!e.quote.contains("laura.smith"), "{:?}", e.quote);
        }
        assert_eq!(test_flag.evidence[0].quote, "it's [CARD_NUMBER]");
        assert_eq!(test_flag.evidence[1].quote, "[CARD_NUMBER], and my email");
        // Both pieces of the number, in the text and the words.
        for u in &t.utterances[1..] {
            assert!(u.text.contains("[CARD_NUMBER]"), "{}", u.text);
            let words: String = u.words.iter().map(|w| w.text.as_str()).collect();
            assert!(
                crate::text::digit_runs(&words).is_empty(),
                "digits left in words {words:?}"
            );
        }
        // The customer's words flagged as personal data spoken, quotes redacted.
        let pii = a
            .flags
            .iter()
            .find(|f| f.kind == crate::analysis::flags::FlagKind::PiiSpoken)
            .unwrap();
        assert!(pii.detail.contains("card_number"), "{}", pii.detail);
        assert!(pii.detail.contains("email"), "{}", pii.detail);
    }
}
