//! Findings that are not scores: a customer in distress, personal data spoken aloud, a long
//! call of mostly small talk, a transfer. Each comes with the evidence that raised it.
//!
//! Distress favours recall (`distress`): what the detector is sure of is `distress`, what it is
//! unsure of `possible_distress`, listed right after — never dropped. It reads the customer's
//! side, or both sides when roles were only inferred, because a wrong role must not hide it.

pub mod distress;

use crate::analysis::metrics::CallMetrics;
use crate::analysis::pii::{self, PiiKind};
use crate::analysis::Context;
use crate::text::Token;
use crate::transcript::{Evidence, RoleSource, Speaker, Transcript};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a flag is about. The store keeps a kind as its text ([`FlagKind::as_str`]), the same
/// text the kinds had as string constants, and reads it back with [`str::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    Distress,
    /// What the distress detector is unsure of: shown right after `distress`, for a person to
    /// judge.
    PossibleDistress,
    PiiSpoken,
    Transfer,
    OffTopicLong,
    /// Raised by the repeat-call stage on the later call of a pair.
    RepeatCall,
    /// Raised by the repeat-call stage on the earlier call: the customer had to call again.
    UnresolvedFirstContact,
}

impl FlagKind {
    /// Analysis's kinds in report order (distress first, possible distress next), then the
    /// repeat-call stage's.
    pub const ALL: [FlagKind; 7] = [
        FlagKind::Distress,
        FlagKind::PossibleDistress,
        FlagKind::PiiSpoken,
        FlagKind::Transfer,
        FlagKind::OffTopicLong,
        FlagKind::RepeatCall,
        FlagKind::UnresolvedFirstContact,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            FlagKind::Distress => "distress",
            FlagKind::PossibleDistress => "possible_distress",
            FlagKind::PiiSpoken => "pii_spoken",
            FlagKind::Transfer => "transfer",
            FlagKind::OffTopicLong => "off_topic_long",
            FlagKind::RepeatCall => "repeat_call",
            FlagKind::UnresolvedFirstContact => "unresolved_first_contact",
        }
    }

    /// Distress or possible distress: listed first wherever flags are shown, never dropped.
    pub fn is_distress(self) -> bool {
        matches!(self, FlagKind::Distress | FlagKind::PossibleDistress)
    }
}

impl std::fmt::Display for FlagKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored flag kind this callqa does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown flag kind {0:?}")]
pub struct UnknownFlagKind(pub String);

impl std::str::FromStr for FlagKind {
    type Err = UnknownFlagKind;

    fn from_str(s: &str) -> Result<FlagKind, UnknownFlagKind> {
        FlagKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownFlagKind(s.to_string()))
    }
}

pub const DISTRESS: &str = FlagKind::Distress.as_str();
pub const POSSIBLE_DISTRESS: &str = FlagKind::PossibleDistress.as_str();
pub const PII_SPOKEN: &str = FlagKind::PiiSpoken.as_str();
pub const OFF_TOPIC_LONG: &str = FlagKind::OffTopicLong.as_str();
pub const TRANSFER: &str = FlagKind::Transfer.as_str();
/// Every flag kind this module raises, in report order (distress first, possible distress next).
pub const FLAG_KINDS: &[&str] = &[
    DISTRESS,
    POSSIBLE_DISTRESS,
    PII_SPOKEN,
    TRANSFER,
    OFF_TOPIC_LONG,
];

/// Calls shorter than this are never "long" small-talk calls.
pub const OFF_TOPIC_MIN_S: f64 = 600.0;
/// Share of the customer's talk that is small talk for `off_topic_long`.
pub const OFF_TOPIC_SHARE: f64 = 0.5;

const SERVICE_WORDS: &[&str] = &[
    "bill",
    "billing",
    "account",
    "payment",
    "pay",
    "paid",
    "charge",
    "charged",
    "refund",
    "order",
    "delivery",
    "cancel",
    "password",
    "login",
    "log",
    "internet",
    "service",
    "connection",
    "problem",
    "issue",
    "error",
    "card",
    "plan",
    "contract",
    "fee",
    "invoice",
    "balance",
    "subscription",
    "membership",
    "outage",
    "broken",
    "fix",
    "ticket",
    "booking",
    "reservation",
    "price",
    "phone",
    "number",
    "email",
    "address",
    "network",
    "signal",
    "router",
    "modem",
    "socket",
    "cable",
    "plugged",
    "unplugged",
    "wifi",
    "broadband",
    "reset",
    "restart",
    "engineer",
    "technician",
    "appointment",
    "meter",
    "tariff",
    "laptop",
    "website",
];

const SMALL_TALK_WORDS: &[&str] = &[
    "weather",
    "rain",
    "sunny",
    "snow",
    "grandson",
    "granddaughter",
    "grandchildren",
    "grandkids",
    "daughter",
    "son",
    "family",
    "wife",
    "husband",
    "garden",
    "dog",
    "cat",
    "holiday",
    "vacation",
    "church",
    "football",
    "game",
    "tv",
    "television",
    "news",
    "lonely",
    "alone",
    "weekend",
    "cooking",
    "recipe",
    "neighbor",
    "neighbour",
    "friend",
    "friends",
    "doctor",
    "knees",
    "walk",
    "remember",
    "young",
    "music",
    "book",
    "birds",
    "tea",
    "visit",
    "grandchild",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "nephew",
    "niece",
    "cousin",
    "aunt",
    "uncle",
    "aunties",
    "mother",
    "father",
    "mum",
    "mom",
    "dad",
    "sister",
    "brother",
    "children",
    "kids",
    "married",
    "wedding",
    "christmas",
    "birthday",
    "easter",
    "beach",
    "cats",
    "dogs",
    "pets",
    "puppy",
    "kitten",
    "terrier",
    "gardener",
    "gardening",
    "roses",
    "flowers",
    "daffodils",
    "tomatoes",
    "greenhouse",
    "allotment",
    "knitting",
    "sewing",
    "crossword",
    "quiz",
    "film",
    "films",
    "movie",
    "movies",
    "radio",
    "song",
    "songs",
    "dance",
    "danced",
    "dancing",
    "vicar",
    "choir",
    "bingo",
    "cake",
    "cakes",
    "baking",
    "kettle",
    "biscuit",
    "biscuits",
    "raining",
    "sunshine",
    "chat",
    "chatting",
    "memories",
    "cricket",
    "golf",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub detail: String,
    /// When it first happened (seconds into the call), for ordering rules and reports.
    pub at: Option<f64>,
    pub evidence: Vec<Evidence>,
    /// Another call this flag refers to (repeat-call links); `None` for single-call flags.
    #[serde(default)]
    pub of_call: Option<String>,
}

/// PII spans of every utterance, each read with what was said around it (`pii::scan_call`).
pub fn pii_by_utterance(ctx: &Context) -> Vec<Vec<pii::PiiSpan>> {
    pii::scan_call(ctx.transcript, &ctx.tokens).spans
}

/// Every flag of the call, distress first (`FLAG_KINDS` order).
pub fn detect(ctx: &Context, metrics: &CallMetrics, pii_spans: &[Vec<pii::PiiSpan>]) -> Vec<Flag> {
    let (t, tokens, cues) = (ctx.transcript, ctx.tokens.as_slice(), ctx.cues.as_slice());
    let mut flags = Vec::new();
    let roles_known = t.roles == RoleSource::Mapped;
    flags.extend(distress_flags(t, tokens));

    let mut kinds = BTreeSet::new();
    let mut evidence = Vec::new();
    for (u, spans) in t.utterances.iter().zip(pii_spans) {
        if spans.is_empty() {
            continue;
        }
        kinds.extend(spans.iter().map(|s| s.kind));
        let mut e = Evidence::of(u);
        // A flag about personal data must not repeat it.
        e.quote = pii::redact(&u.text, spans).trim().to_string();
        evidence.push(e);
    }
    if let Some(first) = evidence.first() {
        flags.push(Flag {
            kind: FlagKind::PiiSpoken,
            detail: kinds
                .iter()
                .map(|k: &PiiKind| k.as_str())
                .collect::<Vec<_>>()
                .join(","),
            at: Some(first.start),
            evidence,
            of_call: None,
        });
    }

    let transfers: Vec<Evidence> = t
        .utterances
        .iter()
        .zip(cues)
        .filter(|(u, _)| !roles_known || u.speaker == Speaker::Agent)
        .filter(|(_, c)| c.transfer)
        .map(|(u, _)| Evidence::of(u))
        .collect();
    if let Some(last) = transfers.last() {
        flags.push(Flag {
            kind: FlagKind::Transfer,
            detail: format!("agent transferred the call at {}", clock(last.start)),
            at: Some(last.start),
            evidence: transfers,
            of_call: None,
        });
    }

    if let Some(flag) = off_topic(t, metrics, tokens) {
        flags.push(flag);
    }
    flags
}

/// `distress` and `possible_distress`, each with the utterances it rests on (an utterance in
/// confirmed evidence is not repeated as possible).
fn distress_flags(t: &Transcript, tokens: &[Vec<Token>]) -> Vec<Flag> {
    let findings = distress::assess_call(t, tokens);
    let mut out = Vec::new();
    let mut shown: BTreeSet<usize> = BTreeSet::new();
    for (tier, kind) in [
        (distress::Tier::Confirmed, FlagKind::Distress),
        (distress::Tier::Possible, FlagKind::PossibleDistress),
    ] {
        let mut utterances: BTreeSet<usize> = BTreeSet::new();
        let mut what: Vec<String> = Vec::new();
        for f in findings.iter().filter(|f| f.tier == tier) {
            let new: Vec<usize> = f
                .utterances
                .iter()
                .copied()
                .filter(|u| !shown.contains(u))
                .collect();
            if new.is_empty() {
                continue;
            }
            utterances.extend(new);
            let mut line = f.categories.join(", ");
            if !f.note.is_empty() {
                line = format!("{line} ({})", f.note);
            }
            if !what.contains(&line) {
                what.push(line);
            }
        }
        shown.extend(utterances.iter().copied());
        let evidence: Vec<Evidence> = utterances
            .iter()
            .filter_map(|&i| t.utterances.get(i))
            .map(Evidence::of)
            .collect();
        let Some(first) = evidence.first() else {
            continue;
        };
        let head = match tier {
            distress::Tier::Confirmed => "customer expressed hopelessness or self-harm",
            distress::Tier::Possible => "possible distress, to be reviewed",
        };
        out.push(Flag {
            kind,
            detail: format!(
                "{head} in {} utterance(s); first at {}: {}",
                evidence.len(),
                clock(first.start),
                what.join("; ")
            ),
            at: Some(first.start),
            evidence,
            of_call: None,
        });
    }
    out
}

fn off_topic(t: &Transcript, metrics: &CallMetrics, tokens: &[Vec<Token>]) -> Option<Flag> {
    if metrics.duration_s < OFF_TOPIC_MIN_S || metrics.customer_talk_s <= 0.0 {
        return None;
    }
    let has =
        |words: &[Token], list: &[&str]| words.iter().any(|w| list.contains(&w.norm.as_str()));
    let mut small_talk_s = 0.0;
    let mut evidence = Vec::new();
    // A chat goes on over turns that name neither its subject nor the service ("Oh, he has.
    // He's a big ginger thing"): a customer turn continues the small talk before it unless
    // either party has come back to the service in between.
    let mut chatting = false;
    let mut service_since = false;
    for (u, words) in t.utterances.iter().zip(tokens) {
        let service = has(words, SERVICE_WORDS);
        if u.speaker != Speaker::Customer {
            service_since |= service;
            continue;
        }
        let small = !service && (has(words, SMALL_TALK_WORDS) || (chatting && !service_since));
        if small {
            small_talk_s += u.end - u.start;
            if evidence.len() < 2 && has(words, SMALL_TALK_WORDS) {
                evidence.push(Evidence::of(u));
            }
        }
        chatting = small;
        service_since = false;
    }
    let share = small_talk_s / metrics.customer_talk_s;
    (share >= OFF_TOPIC_SHARE).then(|| Flag {
        kind: FlagKind::OffTopicLong,
        detail: format!(
            "small talk is {:.0} % of the customer's talk in a {:.1} min call",
            share * 100.0,
            metrics.duration_s / 60.0
        ),
        at: evidence.first().map(|e| e.start),
        evidence,
        of_call: None,
    })
}

/// m:ss, how reports show times.
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{call, utt};
    use crate::analysis::metrics::{self};
    use distress::{assess_text, Tier};
    use Speaker::{Agent as A, Customer as C};

    #[test]
    fn flag_kinds_read_back_as_stored_and_match_the_other_stages_text() {
        for k in FlagKind::ALL {
            assert_eq!(k.as_str().parse::<FlagKind>(), Ok(k));
            assert_eq!(k.to_string(), k.as_str());
        }
        assert!("Distress".parse::<FlagKind>().is_err());
        assert_eq!(FlagKind::RepeatCall.as_str(), crate::repeat::REPEAT_CALL);
        assert_eq!(
            FlagKind::UnresolvedFirstContact.as_str(),
            crate::repeat::UNRESOLVED_FIRST_CONTACT
        );
        let analysis: Vec<&str> = FlagKind::ALL[..FLAG_KINDS.len()]
            .iter()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(analysis, FLAG_KINDS);
    }

    fn flags_of(t: &Transcript) -> Vec<Flag> {
        let ctx = Context::of(t);
        let m = metrics::compute(&ctx);
        detect(&ctx, &m, &pii_by_utterance(&ctx))
    }

    #[test]
    fn distress_is_caught_in_many_phrasings() {
        for text in [
            "Honestly I just want to end it all.",
            "Sometimes I think everyone would be better off without me",
            "I've been thinking about killing myself",
            "I dont want to live like this",
        ] {
            assert_eq!(assess_text(text, "en"), Some(Tier::Confirmed), "{text}");
        }
        // Frustration as often as despair: shown for review, not confirmed.
        for text in [
            "I can't take it anymore.",
            "I feel so hopeless about everything",
        ] {
            assert_eq!(assess_text(text, "en"), Some(Tier::Possible), "{text}");
        }
        for text in [
            "I want to cancel my plan",
            "I can take it from here",
            "this is the third time",
            "it died",
            "I won't be back",
            "I won't be able to pay until Friday",
        ] {
            assert_eq!(assess_text(text, "en"), None, "false alarm: {text}");
        }
    }

    #[test]
    fn distress_flag_comes_first_with_evidence() {
        let t = call(
            60.0,
            vec![
                utt(A, 0.0, 3.0, "How can I help?"),
                utt(
                    C,
                    4.0,
                    9.0,
                    "My card is 4532 0151 1283 0366 and they'd all be better off without me.",
                ),
                utt(
                    A,
                    10.0,
                    14.0,
                    "I'm going to transfer you to our support team.",
                ),
                // Long after, alone: frustration as likely as despair.
                utt(C, 50.0, 53.0, "I can't go on like this."),
            ],
        );
        let flags = flags_of(&t);
        let kinds: Vec<&str> = flags.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, [DISTRESS, POSSIBLE_DISTRESS, PII_SPOKEN, TRANSFER]);
        assert_eq!(flags[0].evidence[0].start, 4.0);
        assert_eq!(flags[0].evidence.len(), 1);
        assert_eq!(flags[1].evidence[0].start, 50.0);
        assert_eq!(flags[1].evidence[0].speaker, Some(C));
        assert!(flags[1].detail.contains("0:50"), "{}", flags[1].detail);
        assert_eq!(flags[2].detail, "card_number");
        assert!(flags[2].evidence[0].quote.contains("[CARD_NUMBER]"));
        assert!(!flags[2].evidence[0].quote.contains("4532"));
    }

    #[test]
    fn inferred_roles_do_not_hide_distress() {
        let mut t = call(20.0, vec![utt(A, 0.0, 3.0, "I want to die")]);
        assert!(flags_of(&t).is_empty());
        t.roles = RoleSource::Inferred;
        assert_eq!(flags_of(&t)[0].kind, FlagKind::Distress);
    }

    #[test]
    fn long_small_talk_call() {
        let mut utterances = Vec::new();
        for k in 0..20 {
            let s = k as f64 * 40.0;
            utterances.push(utt(A, s, s + 5.0, "oh really"));
            utterances.push(utt(
                C,
                s + 6.0,
                s + 36.0,
                "my grandson visited at the weekend and we walked the dog in the garden",
            ));
        }
        utterances.push(utt(C, 801.0, 806.0, "anyway my bill was wrong"));
        let t = call(810.0, utterances);
        let flags = flags_of(&t);
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].kind, FlagKind::OffTopicLong);
        let short = call(
            300.0,
            vec![utt(C, 0.0, 200.0, "my grandson and the weather")],
        );
        assert!(flags_of(&short).is_empty());
    }

    #[test]
    fn a_chat_continues_over_turns_that_do_not_name_its_subject() {
        let mut utterances = Vec::new();
        for k in 0..20 {
            let s = k as f64 * 40.0;
            utterances.push(utt(A, s, s + 5.0, "Oh, lovely. And what is his name?"));
            let said = if k % 3 == 0 {
                "We had a terrier when the children were young."
            } else {
                "He comes and sits on my windowsill in the mornings and looks at me."
            };
            utterances.push(utt(C, s + 6.0, s + 36.0, said));
        }
        let flags = flags_of(&call(810.0, utterances));
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].kind, FlagKind::OffTopicLong);
        // Evidence a manager can read: the turns that name the chat's subject.
        assert!(flags[0].evidence[0].quote.contains("terrier"));
    }

    #[test]
    fn a_long_troubleshooting_call_is_on_task() {
        let mut utterances = vec![utt(
            C,
            0.0,
            20.0,
            "My broadband stopped working on Sunday and my son can't do his homework.",
        )];
        for k in 1..20 {
            let s = k as f64 * 40.0;
            utterances.push(utt(
                A,
                s,
                s + 5.0,
                "Now unplug the router and plug it into the test socket.",
            ));
            utterances.push(utt(
                C,
                s + 6.0,
                s + 36.0,
                "Okay. It's flashing orange. Now it's gone green.",
            ));
        }
        assert!(flags_of(&call(810.0, utterances)).is_empty());
    }
}
