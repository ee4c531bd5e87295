//! What a customer says a call is about, as terms two calls can share when the customer words
//! the same issue differently ("the screen on my phone keeps flickering" two weeks before "my
//! mobile's display goes dark every few minutes").
//!
//! A call's issue terms are the content words of the customer's opening statement — the first
//! customer utterances that say something, up to [`ISSUE_TERMS`] words — lightly stemmed, with
//! words that say nothing about an issue left out: function words, what every service call
//! says, feelings (the same customer is annoyed about anything), times, numbers, and what a
//! customer repeats on every call whatever it is about — names (capitalised mid-sentence),
//! months, e-mail parts. Each word that belongs to a concept of [`CONCEPTS`] stands for its
//! concept, so "display" and "screen" are one term.
//!
//! Two calls are about the same issue when enough of the shorter statement's terms are in the
//! longer one ([`issue_overlap`], an overlap coefficient: a short statement is not penalised
//! for the longer one's detail) and they share at least [`MIN_SHARED`] terms.

use crate::transcript::{RoleSource, Speaker, Transcript};
use std::collections::BTreeSet;

/// Content words of the opening statement kept per call.
pub const ISSUE_TERMS: usize = 30;
/// Fewer shared terms than this is chance, whatever the ratio.
pub const MIN_SHARED: usize = 2;

/// Synonyms and near-synonyms customers use for the same thing; the first word names the
/// concept. English; other languages compare their own (stemmed) words.
const CONCEPTS: &[&[&str]] = &[
    &["screen", "display", "monitor", "touchscreen"],
    &[
        "phone",
        "mobile",
        "handset",
        "smartphone",
        "cellphone",
        "cell",
    ],
    &[
        "flicker",
        "flickering",
        "flash",
        "flashing",
        "dark",
        "black",
        "blank",
        "dim",
        "frozen",
        "freeze",
        "freezes",
    ],
    &[
        "internet",
        "broadband",
        "wifi",
        "connection",
        "router",
        "modem",
        "signal",
    ],
    &[
        "drop",
        "dropping",
        "dropped",
        "drops",
        "cut",
        "cuts",
        "disconnect",
        "disconnects",
        "disconnected",
    ],
    &[
        "engineer",
        "technician",
        "installer",
        "fitter",
        "man",
        "nobody",
        "plumber",
    ],
    &[
        "come",
        "came",
        "coming",
        "turn",
        "turned",
        "arrive",
        "arrived",
        "show",
        "showed",
        "visit",
        "appointment",
    ],
    &[
        "boiler", "heating", "radiator", "heater", "freezing", "cold",
    ],
    &[
        "fix", "fixed", "repair", "repaired", "look", "looked", "mend", "mended", "sort",
    ],
    &[
        "payment", "paid", "pay", "money", "charge", "charged", "debit", "debited", "took", "taken",
    ],
    &["twice", "double", "duplicate", "times"],
    &[
        "delivery",
        "deliver",
        "delivered",
        "parcel",
        "package",
        "box",
        "order",
        "ordered",
        "shipment",
    ],
    &[
        "medicine",
        "tablets",
        "prescription",
        "medication",
        "pills",
        "drugs",
    ],
    &[
        "login", "log", "sign", "password", "access", "blocked", "locked",
    ],
    &["app", "online", "website", "banking", "portal"],
    &[
        "electricity",
        "power",
        "energy",
        "electric",
        "light",
        "lights",
        "gas",
    ],
    &["refund", "refunded", "reimburse", "credit"],
    &["bill", "invoice", "statement"],
    &["cancel", "cancellation", "close", "terminate", "leave"],
    &["water", "leak", "leaking", "flood"],
];

/// Words that never tell one issue from another.
const NOT_AN_ISSUE: &[&str] = &[
    // function words and what every call says
    "the",
    "and",
    "for",
    "you",
    "your",
    "are",
    "was",
    "were",
    "have",
    "has",
    "had",
    "that",
    "this",
    "with",
    "not",
    "but",
    "can",
    "could",
    "would",
    "will",
    "what",
    "when",
    "where",
    "which",
    "who",
    "how",
    "why",
    "there",
    "here",
    "they",
    "them",
    "their",
    "then",
    "than",
    "from",
    "into",
    "about",
    "just",
    "like",
    "yes",
    "yeah",
    "okay",
    "hello",
    "thank",
    "thanks",
    "please",
    "sorry",
    "good",
    "great",
    "fine",
    "all",
    "any",
    "some",
    "one",
    "get",
    "got",
    "did",
    "does",
    "doe",
    "its",
    "my",
    "me",
    "our",
    "out",
    "off",
    "very",
    "much",
    "really",
    "also",
    "again",
    "want",
    "need",
    "know",
    "think",
    "see",
    "say",
    "said",
    "call",
    "called",
    "calling",
    "help",
    "right",
    "well",
    "bye",
    "goodbye",
    "morning",
    "afternoon",
    "evening",
    "name",
    "account",
    "do",
    "is",
    "am",
    "be",
    "been",
    "being",
    "it",
    "of",
    "to",
    "in",
    "on",
    "at",
    "so",
    "no",
    "or",
    "if",
    "an",
    "a",
    "we",
    "he",
    "she",
    "him",
    "her",
    "his",
    "us",
    "let",
    "make",
    "take",
    "hi",
    "still",
    "keep",
    "every",
    "new",
    "few",
    "getting",
    "go",
    "going",
    "told",
    "tell",
    "nothing",
    "anything",
    "something",
    "everything",
    "way",
    "back",
    "even",
    "only",
    "since",
    "ever",
    "never",
    "always",
    "already",
    "quite",
    "bit",
    "lot",
    "thing",
    "things",
    "should",
    "supposed",
    "meant",
    "try",
    "tried",
    "because",
    "though",
    "over",
    "after",
    "before",
    "while",
    "until",
    "happen",
    "happened",
    "work",
    "working",
    "works",
    "wrong",
    "problem",
    "issue",
    "more",
    "less",
    "same",
    "other",
    "another",
    "someone",
    "anyone",
    "whole",
    "completely",
    "totally",
    "better",
    "worse",
    // feelings: the same customer feels them about anything
    "annoyed",
    "annoying",
    "frustrated",
    "frustrating",
    "worried",
    "worrying",
    "angry",
    "upset",
    "happy",
    "unhappy",
    "pleased",
    "fed",
    "stressed",
    "concerned",
    "disappointed",
    "sad",
    // times
    "day",
    "days",
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "minute",
    "minutes",
    "hour",
    "hours",
    "time",
    "last",
    "next",
    "ago",
    "soon",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "night",
    "nights",
    // what a customer repeats on every call (and the months: `pii::MONTHS`)
    "born",
    "birth",
    "date",
    "email",
    "mail",
    "gmail",
    "yahoo",
    "hotmail",
    "outlook",
    "dot",
    "com",
    "number",
    "postcode",
    "address",
];

fn concept(word: &str) -> Option<&'static str> {
    CONCEPTS
        .iter()
        .find(|group| group.contains(&word))
        .map(|group| group[0])
}

fn light_stem(word: &str) -> &str {
    if !word.is_ascii() {
        return word;
    }
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(s) = word.strip_suffix(suffix) {
            if s.len() >= 3 {
                return s;
            }
        }
    }
    word
}

/// Whether the word at `start` of `text` is written with a capital in mid-sentence: a name.
fn capitalised_mid_sentence(text: &str, start: usize) -> bool {
    let upper = text[start..].chars().next().is_some_and(char::is_uppercase);
    let before = text[..start].trim_end();
    upper && !before.is_empty() && !before.ends_with(['.', '!', '?', ','])
}

/// The issue terms of one call (see the module documentation).
pub fn issue_terms(t: &Transcript) -> BTreeSet<String> {
    let mut terms: Vec<String> = Vec::new();
    for u in &t.utterances {
        // With inferred roles a wrong label must not hide the customer's words.
        if u.speaker != Speaker::Customer && t.roles != RoleSource::Inferred {
            continue;
        }
        let mut said = Vec::new();
        for token in crate::text::normalise(&u.text, &t.language) {
            let w = token.norm.as_str();
            if w.chars().count() < 3
                || NOT_AN_ISSUE.contains(&w)
                || crate::analysis::pii::MONTHS.contains(&w)
                || w.chars()
                    .any(|c| c.is_ascii_digit() || c == '[' || c == '_')
                || capitalised_mid_sentence(&u.text, token.start)
            {
                continue;
            }
            let term = concept(w)
                .or_else(|| concept(light_stem(w)))
                .unwrap_or_else(|| light_stem(w));
            said.push(term.to_string());
        }
        // A greeting or a "yes" before the customer says why they call is not the statement.
        if terms.is_empty() && said.len() < 3 {
            continue;
        }
        terms.extend(said);
        if terms.len() >= ISSUE_TERMS {
            break;
        }
    }
    terms.truncate(ISSUE_TERMS);
    terms.into_iter().collect()
}

/// Share of the smaller set's terms found in the other (0..1) and how many are shared.
pub fn issue_overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> (f64, usize) {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return (0.0, 0);
    }
    let shared = a.intersection(b).count();
    (shared as f64 / smaller as f64, shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{call, utt};
    use Speaker::*;

    fn terms(customer: &[&str]) -> BTreeSet<String> {
        let mut utterances = vec![utt(
            Agent,
            0.0,
            2.0,
            "Thank you for calling, how can I help?",
        )];
        for (i, said) in customer.iter().enumerate() {
            let at = 3.0 + 4.0 * i as f64;
            utterances.push(utt(Customer, at, at + 3.0, said));
        }
        issue_terms(&call(60.0, utterances))
    }

    #[test]
    fn the_same_issue_in_other_words_shares_its_concepts() {
        let first = terms(&[
            "Hi Anna. The screen on my new phone keeps flickering, it's only two weeks old.",
            "Yes, it's seven seven one, five oh nine.",
        ]);
        let again = terms(&[
            "Hi. My mobile's display goes completely dark every few minutes. I did the update like I was told.",
            "Sophie Taylor, thirtieth of August nineteen eighty eight.",
        ]);
        let (overlap, shared) = issue_overlap(&first, &again);
        assert!(shared >= 3 && overlap >= 0.4, "{first:?} {again:?}");
    }

    #[test]
    fn names_dates_and_feelings_are_not_an_issue() {
        let roaming = terms(&[
            "Hi, I'm going to France next week, I'm really annoyed. Can you add roaming to my plan?",
            "Yes, it's Laura Smith, born on the fourth of March nineteen eighty.",
        ]);
        let broadband = terms(&[
            "Hello. The broadband still cuts off at night, I'm really annoyed.",
            "Yes, it's Laura Smith, born on the fourth of March nineteen eighty.",
        ]);
        let (_, shared) = issue_overlap(&roaming, &broadband);
        assert_eq!(shared, 0, "{roaming:?} {broadband:?}");
        assert!(!broadband.contains("annoyed") && !broadband.contains("smith"));
    }

    #[test]
    fn the_statement_starts_where_the_customer_says_something() {
        let t = terms(&[
            "Hi.",
            "Yes.",
            "My boiler is broken and the radiators are cold.",
        ]);
        assert!(t.contains("boiler"), "{t:?}");
    }

    #[test]
    fn an_empty_statement_overlaps_nothing() {
        let none = BTreeSet::new();
        assert_eq!(
            issue_overlap(&none, &terms(&["My boiler is broken."])),
            (0.0, 0)
        );
    }
}
