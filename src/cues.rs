//! Conversation cues searched for in every utterance: an agent announcing a hold, an agent
//! transferring the call, a customer expressing hopelessness or self-harm. All cue phrases
//! share one matcher, so each utterance is matched once for all of them.

use crate::text::{Matcher, PhraseId, Token};
use crate::transcript::Transcript;
use std::sync::OnceLock;

/// What agents say when they put a caller on hold (matched fuzzily, per language).
pub const HOLD_ANNOUNCEMENTS: &[(&str, &[&str])] = &[(
    "en",
    &[
        "place you on hold",
        "put you on hold",
        "place you on a brief hold",
        "put you on a brief hold",
        "put you on a short hold",
        "hold on a moment",
        "hold on a second",
        "hold on",
        "please hold",
        "hold please",
        "bear with me",
        "one moment please",
        "just a moment",
        "give me a moment",
        "let me check that for you",
        "i will be right back",
        "be right back with you",
    ],
)];

/// Hopelessness and self-harm, phrased many ways: distress detection favours recall.
pub const DISTRESS_PHRASES: &[(&str, &[&str])] = &[(
    "en",
    &[
        "I want to die",
        "I wanna die",
        "I wish I was dead",
        "I wish I were dead",
        "better off dead",
        "better off without me",
        "end it all",
        "end my life",
        "kill myself",
        "killing myself",
        "take my own life",
        "suicide",
        "suicidal",
        "I do not want to live",
        "I do not want to be here anymore",
        "no reason to live",
        "nothing to live for",
        "not worth living",
        "I can not go on",
        "I can not take it anymore",
        "I can not do this anymore",
        "hurt myself",
        "harm myself",
        "self harm",
        "hopeless",
        "no point anymore",
        "there is no point",
        "no way out",
        "I give up",
        "nobody would miss me",
        "no one would miss me",
        "I will not be around",
        "I just want it to stop",
        "I have nothing left",
        "end of my rope",
        "I am desperate",
    ],
)];

pub const TRANSFER_PHRASES: &[(&str, &[&str])] = &[(
    "en",
    &[
        // What an agent says when actually transferring; offers ("I can connect you with a
        // specialist") are not transfers.
        "I am transferring you",
        "I will transfer you",
        "I will transfer you now",
        "let me transfer you",
        "I am going to transfer you",
        "transferring your call",
        "I will put you through to",
        "let me put you through",
        "I am putting you through",
        "I will pass you over to",
        "I will hand you over to",
    ],
)];

/// Which cues one utterance contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cues {
    pub hold: bool,
    pub transfer: bool,
    pub distress: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hold,
    Transfer,
    Distress,
}

/// The cue phrases' ids in a matcher they were added to. Rubric sets add them to their own
/// matcher, so one pass over an utterance finds rubric phrases and cues together.
#[derive(Debug, Clone)]
pub struct CuePhrases {
    lists: Vec<(Kind, &'static str, Vec<PhraseId>)>,
}

impl CuePhrases {
    pub fn register(matcher: &mut Matcher) -> CuePhrases {
        let mut lists = Vec::new();
        for (kind, source) in [
            (Kind::Hold, HOLD_ANNOUNCEMENTS),
            (Kind::Transfer, TRANSFER_PHRASES),
            (Kind::Distress, DISTRESS_PHRASES),
        ] {
            for (lang, phrases) in source {
                let ids = phrases
                    .iter()
                    .filter_map(|p| matcher.add(p, lang))
                    .collect();
                lists.push((kind, *lang, ids));
            }
        }
        CuePhrases { lists }
    }

    /// Cues among the phrase ids found in one utterance (ascending), counting phrases of the
    /// call's language and English (calls mix them).
    pub fn of_found(&self, found: &[PhraseId], language: &str) -> Cues {
        let mut cues = Cues::default();
        if found.is_empty() {
            return cues;
        }
        for (kind, lang, ids) in &self.lists {
            if (*lang == language || *lang == "en")
                && ids.iter().any(|id| found.binary_search(id).is_ok())
            {
                match kind {
                    Kind::Hold => cues.hold = true,
                    Kind::Transfer => cues.transfer = true,
                    Kind::Distress => cues.distress = true,
                }
            }
        }
        cues
    }
}

fn book() -> &'static (Matcher, CuePhrases) {
    static BOOK: OnceLock<(Matcher, CuePhrases)> = OnceLock::new();
    BOOK.get_or_init(|| {
        let mut matcher = Matcher::new();
        let phrases = CuePhrases::register(&mut matcher);
        (matcher, phrases)
    })
}

/// Cues in one utterance.
pub fn of_tokens(text: &str, tokens: &[Token], language: &str) -> Cues {
    let (matcher, phrases) = book();
    phrases.of_found(
        &matcher.find_all(&matcher.encode_tokens(text, tokens)),
        language,
    )
}

pub fn of_text(text: &str, language: &str) -> Cues {
    of_tokens(text, &crate::text::normalise(text, language), language)
}

/// Cues of every utterance of a call, from its normalised tokens (`Transcript::normalised`).
pub fn of_call(t: &Transcript, tokens: &[Vec<Token>]) -> Vec<Cues> {
    t.utterances
        .iter()
        .zip(tokens)
        .map(|(u, tok)| of_tokens(&u.text, tok, &t.language))
        .collect()
}

/// Whether a text expresses hopelessness or self-harm.
pub fn expresses_distress(text: &str, language: &str) -> bool {
    of_text(text, language).distress
}

/// Whether an utterance announces a hold.
pub fn announces_hold(text: &str, language: &str) -> bool {
    of_text(text, language).hold
}
