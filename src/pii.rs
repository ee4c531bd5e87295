//! Personal data spoken on a call: card numbers (Luhn-checked), social security numbers, dates
//! of birth, e-mail addresses and phone numbers — written as digits or said as words
//! ("four five three two ...", "john dot smith at gmail dot com").
//!
//! Detection returns byte ranges in the original text, so the same spans serve flags, rubric
//! checks (an agent reading a full card number back) and redaction.

use crate::text::{digit_runs, normalise, DigitRun, Token};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    CardNumber,
    Ssn,
    DateOfBirth,
    Email,
    Phone,
}

impl PiiKind {
    pub const ALL: [PiiKind; 5] = [
        PiiKind::CardNumber,
        PiiKind::Ssn,
        PiiKind::DateOfBirth,
        PiiKind::Email,
        PiiKind::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::CardNumber => "card_number",
            PiiKind::Ssn => "ssn",
            PiiKind::DateOfBirth => "date_of_birth",
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<PiiKind> {
        PiiKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What redaction writes in place of the data.
    pub fn placeholder(self) -> String {
        format!("[{}]", self.as_str().to_uppercase())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiSpan {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// The Luhn checksum every payment card number satisfies.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn has_any(tokens: &[Token], words: &[&str]) -> bool {
    tokens.iter().any(|t| words.contains(&t.norm.as_str()))
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "de", "fr", "il", "ru",
    "info", "biz", "me",
];

/// Finds personal data in `text`. `context` is the text just before it on the call (usually the
/// other party's question): "What is your date of birth?" makes the answer's date a birth date.
pub fn detect(text: &str, language: &str, context: &str) -> Vec<PiiSpan> {
    detect_tokens(
        text,
        &normalise(text, language),
        &normalise(context, language),
    )
}

/// `detect` from tokens already normalised (the text's and its context's).
pub fn detect_tokens(text: &str, tokens: &[Token], context_tokens: &[Token]) -> Vec<PiiSpan> {
    let mut spans = Vec::new();
    // Most utterances hold no number, no "at" and no month: nothing to look for.
    let has_digits = tokens
        .iter()
        .any(|t| t.norm.starts_with(|c: char| c.is_ascii_digit()));
    let has_month = tokens.iter().any(|t| MONTHS.contains(&t.norm.as_str()));
    let has_at = text.contains('@') || tokens.iter().any(|t| t.norm == "at");
    // Stored transcripts are redacted: a placeholder still says what was spoken there, so
    // rescoring a redacted call finds the same personal data.
    if text.contains('[') {
        for kind in PiiKind::ALL {
            let placeholder = kind.placeholder();
            for (at, _) in text.match_indices(&placeholder) {
                spans.push(PiiSpan {
                    kind,
                    start: at,
                    end: at + placeholder.len(),
                });
            }
        }
    }
    if !has_digits && !has_month && !has_at {
        spans.sort_by_key(|s| s.start);
        return spans;
    }
    let about = |words: &[&str]| has_any(tokens, words) || has_any(context_tokens, words);
    let ssn_context = about(&["social", "ssn", "security"]);
    let dob_context = about(&["born", "birth", "birthday", "dob", "birthdate"]);
    let phone_context = about(&[
        "phone",
        "number",
        "call",
        "cell",
        "mobile",
        "telephone",
        "reach",
    ]);
    let card_context = about(&["card", "visa", "mastercard", "amex", "credit", "debit"]);

    for run in if has_digits {
        digit_runs(text)
    } else {
        Vec::new()
    } {
        if let Some(kind) = classify_digits(
            &run,
            text,
            ssn_context,
            dob_context,
            phone_context,
            card_context,
        ) {
            spans.push(PiiSpan {
                kind,
                start: run.start,
                end: run.end,
            });
        }
    }
    spans.extend(written_emails(text));
    spans.extend(spoken_emails(tokens));
    if dob_context {
        spans.extend(spoken_dates(tokens));
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    // Keep the widest span where detections overlap.
    let mut merged: Vec<PiiSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

fn classify_digits(
    run: &DigitRun,
    text: &str,
    ssn_context: bool,
    dob_context: bool,
    phone_context: bool,
    card_context: bool,
) -> Option<PiiKind> {
    let d = run.digits.as_str();
    let n = d.len();
    if (13..=19).contains(&n) && luhn_valid(d) {
        return Some(PiiKind::CardNumber);
    }
    // Talking about a card, a card-length number is a card number even when digits were
    // misheard, dropped or doubled (ASR errors break the checksum and the length, not the
    // exposure): 12 digits and up, since cards run 13-19 and ASR drops a digit or two.
    if card_context && (12..=19).contains(&n) {
        return Some(PiiKind::CardNumber);
    }
    // A card number followed by more digits (expiry, CVV) in one breath.
    if n > 19
        && n <= 26
        && [16, 15, 19, 13, 14, 17, 18]
            .iter()
            .any(|&k| luhn_valid(&d[..k]))
    {
        return Some(PiiKind::CardNumber);
    }
    let slice = &text[run.start..run.end];
    let ssn_shaped = {
        let parts: Vec<&str> = slice.split('-').map(str::trim).collect();
        parts.len() == 3 && parts.iter().map(|p| p.len()).eq([3, 2, 4])
    };
    if n == 9 && (ssn_context || ssn_shaped) {
        return Some(PiiKind::Ssn);
    }
    if dob_context && (n == 8 || n == 6) {
        return Some(PiiKind::DateOfBirth);
    }
    if n == 10 || (n == 11 && d.starts_with('1')) || (12..=13).contains(&n) && slice.contains('+') {
        return Some(PiiKind::Phone);
    }
    if phone_context && (7..=13).contains(&n) {
        return Some(PiiKind::Phone);
    }
    None
}

fn written_emails(text: &str) -> Vec<PiiSpan> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let mut spans = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut s = at;
        while s > 0 && local(bytes[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < bytes.len() && domain(bytes[e]) {
            e += 1;
        }
        while e > at + 1 && bytes[e - 1] == b'.' {
            e -= 1;
        }
        if s < at && text[at + 1..e].contains('.') {
            spans.push(PiiSpan {
                kind: PiiKind::Email,
                start: s,
                end: e,
            });
        }
    }
    spans
}

/// "john dot smith at gmail dot com": a name part, "at", a domain with "dot" and a known ending.
fn spoken_emails(tokens: &[Token]) -> Vec<PiiSpan> {
    let mut spans = Vec::new();
    let joiners = ["dot", "underscore", "dash", "hyphen", "period"];
    for (i, t) in tokens.iter().enumerate() {
        if t.norm != "at" || i == 0 {
            continue;
        }
        // Domain: word (dot word)* ending in a top-level domain, within a few words.
        let mut j = i + 1;
        let mut end = None;
        while j + 2 < tokens.len() + 1 && j < i + 8 {
            if j + 1 < tokens.len() && tokens[j + 1].norm == "dot" {
                if let Some(next) = tokens.get(j + 2) {
                    if TLDS.contains(&next.norm.as_str()) {
                        end = Some(next.end);
                    }
                }
                j += 2;
            } else {
                break;
            }
        }
        let Some(end) = end else { continue };
        let mut s = i - 1;
        while s >= 2 && joiners.contains(&tokens[s - 1].norm.as_str()) {
            s -= 2;
        }
        spans.push(PiiSpan {
            kind: PiiKind::Email,
            start: tokens[s].start,
            end,
        });
    }
    spans
}

fn is_day_or_year(t: &Token) -> bool {
    let n = t.norm.trim_end_matches("th");
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// "the fourth of March nineteen eighty five", "March 4, 1985": a month with numbers around it.
fn spoken_dates(tokens: &[Token]) -> Vec<PiiSpan> {
    let mut spans = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !MONTHS.contains(&t.norm.as_str()) {
            continue;
        }
        let mut s = i;
        while s > 0 && i - s < 3 && (is_day_or_year(&tokens[s - 1]) || tokens[s - 1].norm == "of") {
            s -= 1;
        }
        while s < i && tokens[s].norm == "of" {
            s += 1;
        }
        let mut e = i;
        while e + 1 < tokens.len() && e - i < 4 && is_day_or_year(&tokens[e + 1]) {
            e += 1;
        }
        if s < i || e > i {
            spans.push(PiiSpan {
                kind: PiiKind::DateOfBirth,
                start: tokens[s].start,
                end: tokens[e].end,
            });
        }
    }
    spans
}

/// Replaces every detected span with its placeholder ("[CARD_NUMBER]").
pub fn redact(text: &str, spans: &[PiiSpan]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        if s.start < at || s.end > text.len() {
            continue;
        }
        out.push_str(&text[at..s.start]);
        out.push_str(&s.kind.placeholder());
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, context: &str) -> Vec<&'static str> {
        detect(text, "en", context)
            .into_iter()
            .map(|s| s.kind.as_str())
            .collect()
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("4532015112830366"));
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("4532015112830367"));
        assert!(!luhn_valid("12a4"));
    }

    #[test]
    fn card_numbers_in_digits_and_words() {
        assert_eq!(kinds("my card is 4532 0151 1283 0366", ""), ["card_number"]);
        assert_eq!(
            kinds("it's four five three two, zero one five one, one two eight three, oh three six six", ""),
            ["card_number"]
        );
        // Fails the checksum: an order number, not a card.
        assert!(kinds("order 4532 0151 1283 0367", "").is_empty());
        // ... unless the conversation is about a card: one misheard digit still exposes it.
        assert_eq!(
            kinds(
                "I will read it back 4-9-1-6, 3-8-1-9, 2-0-7-9, 4-0-2-4",
                "can I pay with my card"
            ),
            ["card_number"]
        );
        // Two digits dropped by ASR ("4916 3815 2079 4024" heard as 14 digits).
        assert_eq!(
            kinds(
                "Can I pay part of it with my card? The number is 4-1-6-3-8-1-5-207-4-024.",
                ""
            ),
            ["card_number"]
        );
        // The last four digits only.
        assert!(kinds("the card ending in zero three six six", "").is_empty());
    }

    #[test]
    fn ssn_phone_email_dob() {
        assert_eq!(kinds("it is 123-45-6789", ""), ["ssn"]);
        assert_eq!(
            kinds(
                "one two three four five six seven eight nine",
                "what is your social security number"
            ),
            ["ssn"]
        );
        assert_eq!(kinds("call me on 555 867 5309", ""), ["phone"]);
        assert_eq!(
            kinds(
                "sure, it's five five five, one two three four",
                "what's a good phone number"
            ),
            ["phone"]
        );
        assert_eq!(
            kinds("write to laura.smith@example.com please", ""),
            ["email"]
        );
        assert_eq!(
            kinds("it's laura dot smith at gmail dot com", ""),
            ["email"]
        );
        assert_eq!(
            kinds(
                "the fourth of March nineteen eighty five",
                "can I have your date of birth"
            ),
            ["date_of_birth"]
        );
        assert_eq!(kinds("I was born on 03/04/1985", ""), ["date_of_birth"]);
        // A date without a birth context is just a date.
        assert!(kinds("the outage started on the fourth of March", "").is_empty());
        assert!(kinds("I have two cats and it is at home", "").is_empty());
    }

    #[test]
    fn redaction_replaces_spans_and_placeholders_are_recognised() {
        let text = "card 4532 0151 1283 0366, email a@b.co";
        let spans = detect(text, "en", "");
        let redacted = redact(text, &spans);
        assert_eq!(redacted, "card [CARD_NUMBER], email [EMAIL]");
        // Rescoring a redacted transcript finds the same kinds where they were.
        assert_eq!(kinds(&redacted, ""), ["card_number", "email"]);
        assert_eq!(redact(&redacted, &detect(&redacted, "en", "")), redacted);
    }
}
