//! Fuzzy phrase matching that survives ASR noise but not a change of meaning.
//!
//! A phrase matches a text when a stretch of the text's tokens aligns with the phrase's tokens
//! within a small edit budget: no errors for phrases of up to four words, one for five to eight,
//! two beyond. Tokens are equal when they are the same word, share a stem by their script
//! (English "recorded"/"recording", Russian "записывается"/"записываем", Hebrew and Arabic
//! words with their clitics and endings removed, see `morph`), or (words of five letters or
//! more, four in Hebrew and Arabic, that no phrase uses as they are) differ by one letter, the
//! typical ASR misspelling. Negations are never skipped, inserted or substituted, so "this call may not be
//! recorded" does not match "this call may be recorded".
//!
//! Speed matters (rescoring thousands of calls a second): phrase words are interned once, text
//! words are looked up through an exact, stem and one-deletion index, and only phrases with
//! enough of their words present are aligned.

use super::morph::{self, Script};
use super::{is_negation, normalise, Token};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub type PhraseId = u32;

/// Written in a phrase, stands for one proper name: "my name is {name}", "welcome to {name}".
/// It matches a capitalised word that does not start a sentence, or — because ASR often writes
/// names in lower case or mishears them ("city power", "son gym") — any lower-case word that is
/// not a common English word; in scripts without letter case, any word. So a greeting can be
/// checked for a name without listing every agent and brand.
pub const NAME_SLOT: &str = "{name}";
const NAME_TOKEN: &str = "\u{0}name";
/// Slots that mean a particular kind of name; matched like `{name}` (known values of them, from
/// a rubric's vocabulary or the manifest, are recognised as heard: `KnownNames`).
pub const NAME_ALIASES: &[&str] = &["{company}", "{agent_name}"];

/// Written between words of a phrase, lets up to `GAP_MAX` other words (not negations) stand
/// there: "call ... recorded" matches "this call is monitored and recorded" and "calls to this
/// line are recorded", not "this call is not recorded". The words around a gap still follow the
/// usual rules (stems, one-letter slips, the phrase's edit budget).
pub const GAP: &str = "...";
pub const GAP_MAX: usize = 4;
const GAP_TOKEN: &str = "\u{0}gap";

/// Proper names known to be said in a call — the company, the agent, products (a rubric's
/// `vocabulary:`, the manifest's `company` and `agent_name`). Where ASR wrote one lower-cased
/// ("city power"), run together ("citypower") or with a one-letter slip in a longer word
/// ("Citi Power"), its words still fill a `{name}` slot: a brand made of common words is
/// otherwise no name to the matcher.
#[derive(Debug, Clone, Default)]
pub struct KnownNames {
    names: Vec<Vec<String>>,
}

impl KnownNames {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>, language: &str) -> KnownNames {
        let mut out: Vec<Vec<String>> = Vec::new();
        for name in names {
            let words: Vec<String> = normalise(name, language)
                .into_iter()
                .map(|t| t.norm)
                .filter(|w| !is_article(w))
                .collect();
            if !words.is_empty() && !out.contains(&words) {
                out.push(words);
            }
        }
        KnownNames { names: out }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// For each token, whether it is part of a known name as heard.
    fn marks(&self, tokens: &[&str]) -> Vec<bool> {
        let mut marks = vec![false; tokens.len()];
        let heard_as = |heard: &str, known: &str| {
            heard == known
                || stem(heard).is_some_and(|s| stem(known) == Some(s))
                || (heard.chars().count() >= 4
                    && known.chars().count() >= 4
                    && within_one_edit(heard, known))
        };
        for name in &self.names {
            let joined: String = name.concat();
            for j in 0..tokens.len() {
                if name.len() > 1 && heard_as(tokens[j], &joined) {
                    marks[j] = true;
                }
                if j + name.len() <= tokens.len()
                    && name.iter().zip(&tokens[j..]).all(|(k, h)| heard_as(h, k))
                {
                    marks[j..j + name.len()].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        marks
    }
}

/// Words that are capitalised without being names.
const NOT_NAMES: &[&str] = &[
    "I", "I'm", "I've", "I'll", "I'd", "OK", "Okay", "Mr", "Mrs", "Ms", "Dr",
];

/// Common words that are never taken for a name when written in lower case.
const COMMON_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "so",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "about",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "am",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "shall",
    "should",
    "must",
    "i",
    "you",
    "he",
    "she",
    "it",
    "we",
    "they",
    "me",
    "him",
    "her",
    "us",
    "them",
    "my",
    "your",
    "his",
    "its",
    "our",
    "their",
    "this",
    "that",
    "these",
    "those",
    "here",
    "there",
    "what",
    "who",
    "how",
    "why",
    "when",
    "where",
    "which",
    "not",
    "no",
    "yes",
    "all",
    "any",
    "some",
    "very",
    "just",
    "now",
    "today",
    "again",
    "please",
    "thank",
    "thanks",
    "hello",
    "hi",
    "good",
    "great",
    "fine",
    "ok",
    "okay",
    "well",
    "right",
    "sorry",
    "help",
    "call",
    "calling",
    "called",
    "speaking",
    "name",
    "morning",
    "afternoon",
    "evening",
    "day",
    "if",
    "then",
    "than",
    "too",
    "also",
    "really",
    "sure",
    "one",
    "time",
    "third",
    "first",
    "last",
    "new",
    "wrong",
    "important",
    "possible",
    "customer",
    "service",
    "team",
    "support",
    "department",
    "line",
    "back",
    "after",
    "before",
    "up",
    "down",
    "out",
    "over",
    // What a short sentence of its own says when it is not a name ("Lovely, thanks.").
    "lovely",
    "perfect",
    "brilliant",
    "excellent",
    "wonderful",
    "fantastic",
    "absolutely",
    "certainly",
    "course",
    "problem",
    "alright",
    "cheers",
    "bye",
    "goodbye",
    "nice",
    "exactly",
    "definitely",
    "indeed",
    "anyway",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "nobody",
    "anyone",
    "nothing",
    "something",
    "everything",
    "anything",
    "click",
    "sign",
    "come",
    "look",
];

fn common_words() -> &'static HashSet<&'static str> {
    static WORDS: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| COMMON_WORDS.iter().copied().collect())
}

/// A lower-case English word of a past participle's or adverb's form ("worried", "really"):
/// "I'm worried about you" is no introduction. Names with these endings (Beverly) are written
/// capitalised when Whisper knows them as names.
fn looks_like_verb_or_adverb(word: &str) -> bool {
    word.is_ascii() && word.len() >= 5 && (word.ends_with("ed") || word.ends_with("ly"))
}

fn is_name_like(text: &str, t: &Token) -> bool {
    let word = &text[t.start..t.end];
    let Some(first) = word.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() || NOT_NAMES.contains(&word) {
        return false;
    }
    if first.is_lowercase() {
        return !common_words().contains(t.norm.as_str())
            && !is_negation(&t.norm)
            && !t.norm.starts_with(|c: char| c.is_ascii_digit())
            && !looks_like_verb_or_adverb(&t.norm);
    }
    if !first.is_uppercase() {
        return true; // no letter case in this script
    }
    // A capital after a full stop (or at the very start) only starts a sentence.
    let before = text[..t.start].trim_end();
    !(before.is_empty() || before.ends_with(['.', '?', '!', ':', '"']))
}

/// For each token that is not an article, whether it can fill a `{name}` slot. A capitalised
/// word that starts a sentence is a name too when the next word is one of the same name
/// ("Morning. North Mobile, Tom here."): a multi-word name is capitalised throughout, a sentence
/// is not.
fn name_marks(text: &str, tokens: &[Token]) -> Vec<bool> {
    let kept: Vec<&Token> = tokens.iter().filter(|t| !is_article(&t.norm)).collect();
    let mut marks: Vec<bool> = kept.iter().map(|t| is_name_like(text, t)).collect();
    short_sentence_names(text, &kept, &mut marks);
    introduction_names(text, &kept, &mut marks);
    for k in 0..kept.len().saturating_sub(1) {
        let (word, next) = (kept[k], kept[k + 1]);
        let capitalised = |t: &Token| {
            text.get(t.start..t.end)
                .is_some_and(|w| w.starts_with(char::is_uppercase))
        };
        // Tokens of one written word (a contraction) share its span.
        let joined = text
            .get(word.end..next.start)
            .is_some_and(|gap| gap.chars().all(char::is_whitespace));
        if !marks[k]
            && marks[k + 1]
            && joined
            && capitalised(word)
            && capitalised(next)
            && !text
                .get(word.start..word.end)
                .is_some_and(|w| NOT_NAMES.contains(&w))
        {
            marks[k] = true;
        }
    }
    marks
}

/// A capitalised word that would be a name were it not at a sentence's start: not a common
/// word, a negation, or a verb's or adverb's form once lower-cased.
fn is_capitalised_name_word(text: &str, t: &Token) -> bool {
    let word = text.get(t.start..t.end).unwrap_or("");
    word.starts_with(char::is_uppercase)
        && !NOT_NAMES.contains(&word)
        && !common_words().contains(t.norm.as_str())
        && !is_negation(&t.norm)
        && !looks_like_verb_or_adverb(&t.norm)
}

/// Words after which a capitalised word that starts a sentence is the speaker's name ("Rachel
/// speaking, for quality purposes ...", "Anna here.").
const INTRODUCTION_WORDS: &[&str] = &["speaking", "here"];

/// A sentence-initial capitalised word followed by an introduction word is a name, unless a
/// lower-case one would not be ("Generally speaking", "Nothing here").
fn introduction_names(text: &str, kept: &[&Token], marks: &mut [bool]) {
    for k in 0..kept.len().saturating_sub(1) {
        if !marks[k]
            && INTRODUCTION_WORDS.contains(&kept[k + 1].norm.as_str())
            && is_capitalised_name_word(text, kept[k])
        {
            marks[k] = true;
        }
    }
}

/// Longest sentence whose capitalised first word may be a name.
const SHORT_SENTENCE: usize = 3;

/// An agent's opening is often fragments — "Morning. Riverside Water. David here." — whose
/// first word is capitalised only because it starts a sentence, yet is a name. A capitalised
/// first word of a sentence of up to three words is a name when a lower-case one would be:
/// not a common word ("Lovely, thanks."), a negation, a number or a verb's or adverb's form.
fn short_sentence_names(text: &str, kept: &[&Token], marks: &mut [bool]) {
    let ends_sentence = |j: usize| {
        let until = kept.get(j + 1).map_or(text.len(), |t| t.start);
        text.get(kept[j].end..until)
            .is_none_or(|gap| gap.contains(['.', '?', '!']))
    };
    let mut start = 0;
    while start < kept.len() {
        let mut end = start;
        while end + 1 < kept.len() && !ends_sentence(end) {
            end += 1;
        }
        if !marks[start]
            && end - start < SHORT_SENTENCE
            && is_capitalised_name_word(text, kept[start])
        {
            marks[start] = true;
        }
        start = end + 1;
    }
}

#[derive(Debug, Clone)]
struct Phrase {
    tokens: Vec<u32>,
    /// Negations and name slots must be matched exactly, never skipped or substituted.
    exact: Vec<bool>,
    /// Optional free words (a `...` gap): any non-negation text word, or none, at no cost.
    gap: Vec<bool>,
    distinct: usize,
    allowed_errors: usize,
}

/// An interned set of phrases, matched together against texts.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    vocab: HashMap<String, u32>,
    words: Vec<String>,
    stems: HashMap<String, Vec<u32>>,
    deletes: HashMap<String, Vec<u32>>,
    phrases: Vec<Phrase>,
    by_tokens: HashMap<Vec<u32>, PhraseId>,
    postings: Vec<Vec<PhraseId>>,
}

/// A text's tokens (articles left out) with, for each, the phrase words it counts as.
#[derive(Debug, Clone, Default)]
pub struct EncodedText {
    negation: Vec<bool>,
    /// Candidate phrase words of all tokens, back to back; token `j`'s are
    /// `ids[ends[j - 1]..ends[j]]` (one allocation per text, not per word).
    ids: Vec<u32>,
    ends: Vec<u32>,
}

impl EncodedText {
    fn candidates(&self, j: usize) -> &[u32] {
        let start = if j == 0 { 0 } else { self.ends[j - 1] as usize };
        &self.ids[start..self.ends[j] as usize]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The phrase-word ids (`Matcher::word_id`) token `j` counts as: itself, its stems and
    /// script keys, a one-letter slip. For detectors that align words their own way.
    pub fn word_candidates(&self, j: usize) -> &[u32] {
        self.candidates(j)
    }

    /// Tokens encoded (articles left out).
    pub fn token_count(&self) -> usize {
        self.len()
    }
}

/// Edit budget for a phrase of `n` words.
fn allowed_errors(n: usize) -> usize {
    match n {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Articles carry no meaning a phrase check needs, and ASR swaps them freely ("removed a
/// charge" / "removed the charge"): they are left out of phrases and texts alike.
fn is_article(word: &str) -> bool {
    matches!(word, "a" | "an" | "the")
}

/// A light English stem: enough to equate "record", "records", "recorded", "recording".
fn stem(word: &str) -> Option<&str> {
    if !word.is_ascii() || word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    for suffix in ["ing", "ed", "es", "s", "ly"] {
        if let Some(s) = word.strip_suffix(suffix) {
            if s.len() >= 3 {
                return Some(s);
            }
        }
    }
    Some(word)
}

/// Unvocalised Hebrew and Arabic words are short ("תודה", "شكرا" are four letters) and a
/// single misheard letter is as common there, so their threshold is one lower.
fn fuzzy_eligible(word: &str) -> bool {
    word.chars().count() >= 5 && !word.starts_with(|c: char| c.is_ascii_digit())
}

/// Calls `f` with each stem key of a word: the English stem for ASCII words, the script's keys
/// (`morph::for_each_key`) otherwise.
fn for_each_stem(word: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    if word.is_ascii() {
        if let Some(s) = stem(word) {
            f(s);
        }
        return;
    }
    if morph::script_of(word) == Script::Latin {
        return;
    }
    morph::for_each_key(word, buf, |k, _| f(k));
}

fn one_deletions(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_deletion(word, &mut String::new(), |d| out.push(d.to_string()));
    out
}

/// Calls `f` with each string made by deleting one character of `word`, reusing `buf`.
fn for_each_deletion(word: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    for (at, c) in word.char_indices() {
        buf.clear();
        buf.push_str(&word[..at]);
        buf.push_str(&word[at + c.len_utf8()..]);
        f(buf);
    }
}

/// True when the edit distance between `a` and `b` is at most one.
fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return within_one_edit_slices(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Hebrew and Arabic roots are dense: swapping one consonant for any other nearly always
    // makes another real word ("اللعنة" curse / "اللعبة" game, "يهمني" / "بهمني"). What does
    // vary in how a word is written — by speakers and by Whisper — is its vowel letters (Hebrew
    // ו י א, Arabic ا و ي: "תוכנית" / "תכנית") and letters that sound alike ("מוקלטת" /
    // "מוקלתת", "ثلاثة" / "تلاتة"). So for these scripts a slip is one of those, never the first
    // letter (a clitic or the verb's person).
    if a.iter().chain(&b).any(|&c| morph::is_semitic_char(c)) {
        return semitic_slip(&a, &b);
    }
    within_one_edit_slices(&a, &b)
}

/// Letters a listener (or Whisper) cannot tell apart by sound: Hebrew ט/ת, כ/ק/ח, ס/ש, א/ע,
/// ב/ו; Arabic as most dialects say them (ث as ت or س, ذ as د or ز, ظ as ض or ز, ق as ء, ص
/// and ط and ض as their plain forms).
fn sound_alike(x: char, y: char) -> bool {
    const CLASSES: &[&[char]] = &[
        &['ט', 'ת'],
        &['כ', 'ך', 'ק', 'ח'],
        &['ס', 'ש'],
        &['א', 'ע'],
        &['ב', 'ו'],
        &['ت', 'ث', 'ط'],
        &['س', 'ث', 'ص'],
        &['د', 'ذ', 'ض'],
        &['ز', 'ذ', 'ظ'],
        &['ض', 'ظ'],
        &['ق', 'ء', 'ك'],
        &['ه', 'ح'],
    ];
    CLASSES.iter().any(|c| c.contains(&x) && c.contains(&y))
}

fn semitic_slip(a: &[char], b: &[char]) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let split = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if split == 0 {
        return false;
    }
    if long.len() == short.len() + 1 {
        matches!(long[split], 'ו' | 'י' | 'א' | 'ا' | 'و' | 'ي')
            && short[split..] == long[split + 1..]
    } else {
        long.len() == short.len()
            && sound_alike(short[split], long[split])
            && short[split + 1..] == long[split + 1..]
    }
}

fn within_one_edit_slices<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    if short.len() == long.len() {
        return short
            .iter()
            .zip(long.iter())
            .filter(|(x, y)| x != y)
            .count()
            <= 1;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    short[prefix..] == long[prefix + 1..]
}

impl Matcher {
    pub fn new() -> Matcher {
        Matcher::default()
    }

    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.vocab.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.to_string());
        self.vocab.insert(word.to_string(), id);
        self.postings.push(Vec::new());
        if word == NAME_TOKEN || word == GAP_TOKEN {
            return id;
        }
        let mut buf = String::new();
        let stems = &mut self.stems;
        for_each_stem(word, &mut buf, |s| {
            let ids = stems.entry(s.to_string()).or_default();
            // One word can yield the same key twice (with and without a clitic).
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        });
        if fuzzy_eligible(word) {
            for d in one_deletions(word) {
                self.deletes.entry(d).or_default().push(id);
            }
            self.deletes.entry(word.to_string()).or_default().push(id);
        }
        id
    }

    /// Adds a phrase (normalised with the rules of `language`) and returns its id; the same
    /// normalised phrase added twice gets the same id. `None` when nothing is left to match.
    pub fn add(&mut self, phrase: &str, language: &str) -> Option<PhraseId> {
        let mut words: Vec<String> = Vec::new();
        // `{company}` and `{agent_name}` read better in a rubric; to the matcher each is a name.
        let phrase = NAME_ALIASES
            .iter()
            .fold(phrase.to_string(), |p, alias| p.replace(alias, NAME_SLOT));
        for (g, stretch) in phrase.split(GAP).enumerate() {
            let mut part_words = Vec::new();
            for (i, part) in stretch.split(NAME_SLOT).enumerate() {
                if i > 0 {
                    part_words.push(NAME_TOKEN.to_string());
                }
                part_words.extend(
                    normalise(part, language)
                        .into_iter()
                        .map(|t| t.norm)
                        .filter(|w| !is_article(w)),
                );
            }
            // A gap only between words: leading and trailing ones mean nothing.
            if g > 0 && !words.is_empty() && !part_words.is_empty() {
                words.extend(std::iter::repeat_n(GAP_TOKEN.to_string(), GAP_MAX));
            }
            words.extend(part_words);
        }
        if words.is_empty() {
            return None;
        }
        let tokens: Vec<u32> = words.iter().map(|w| self.intern(w)).collect();
        if let Some(&id) = self.by_tokens.get(&tokens) {
            return Some(id);
        }
        let id = self.phrases.len() as PhraseId;
        let gap_id = self.vocab.get(GAP_TOKEN).copied();
        let distinct: HashSet<u32> = tokens
            .iter()
            .copied()
            .filter(|&t| Some(t) != gap_id)
            .collect();
        for &t in &distinct {
            self.postings[t as usize].push(id);
        }
        let exact = words
            .iter()
            .map(|w| is_negation(w) || w == NAME_TOKEN)
            .collect();
        let gap: Vec<bool> = words.iter().map(|w| w == GAP_TOKEN).collect();
        let real = gap.iter().filter(|&&g| !g).count();
        self.phrases.push(Phrase {
            exact,
            gap,
            allowed_errors: allowed_errors(real),
            distinct: distinct.len(),
            tokens: tokens.clone(),
        });
        self.by_tokens.insert(tokens, id);
        Some(id)
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// The id of a word some phrase uses (as normalised), for `EncodedText::word_candidates`.
    pub fn word_id(&self, word: &str) -> Option<u32> {
        self.vocab.get(word).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The phrase words a text word counts as.
    /// `key_buf` is scratch space for stem keys, reused across tokens.
    fn candidates(&self, word: &str, out: &mut Vec<u32>, key_buf: &mut String) {
        out.clear();
        let exact = self.vocab.get(word).copied();
        out.extend(exact);
        for_each_stem(word, key_buf, |s| {
            if let Some(ids) = self.stems.get(s) {
                out.extend(ids);
            }
        });
        // A dropped initial /h/: the weakest sound on a narrowband line and silent in many
        // accents ("a brief 'old", "sorry to 'ear that"). Only for words that are no phrase word
        // themselves and phrase words of four letters or more, so "as"/"is"/"it" never become
        // "has"/"his"/"hit".
        if exact.is_none() && word.len() >= 3 && word.is_ascii() && !word.starts_with('h') {
            let aspirated = format!("h{word}");
            out.extend(self.vocab.get(&aspirated).copied());
            if let Some(ids) = stem(&aspirated).and_then(|s| self.stems.get(s)) {
                out.extend(ids);
            }
        }
        // A word that is itself a phrase word was heard as that word; one-letter neighbours
        // are for words ASR misspelt into something no phrase uses.
        if exact.is_none() && fuzzy_eligible(word) {
            let mut consider = |ids: Option<&Vec<u32>>| {
                for &id in ids.into_iter().flatten() {
                    if within_one_edit(word, &self.words[id as usize]) {
                        out.push(id);
                    }
                }
            };
            // Same length or one shorter than a phrase word: the text word itself is indexed.
            consider(self.deletes.get(word));
            // One longer, or one letter substituted: one of its deletions is indexed.
            let mut buf = String::with_capacity(word.len());
            for_each_deletion(word, &mut buf, |d| consider(self.deletes.get(d)));
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Prepares a text for matching against every phrase of this matcher.
    pub fn encode(&self, text: &str, language: &str) -> EncodedText {
        self.encode_tokens(text, &normalise(text, language))
    }

    /// Like `encode`, from tokens already normalised (a call's utterances are normalised once
    /// and matched by several phrase sets).
    pub fn encode_tokens(&self, text: &str, tokens: &[Token]) -> EncodedText {
        self.encode_tokens_with_names(text, tokens, &KnownNames::default())
    }

    /// Like `encode_tokens`, with the call's known names filling `{name}` slots as heard.
    pub fn encode_tokens_with_names(
        &self,
        text: &str,
        tokens: &[Token],
        known: &KnownNames,
    ) -> EncodedText {
        let kept: Vec<&str> = tokens
            .iter()
            .filter(|t| !is_article(&t.norm))
            .map(|t| t.norm.as_str())
            .collect();
        let known_marks = if known.is_empty() {
            Vec::new()
        } else {
            known.marks(&kept)
        };
        let mut ids = Vec::with_capacity(tokens.len() * 2);
        let mut ends = Vec::with_capacity(tokens.len());
        let mut negation = Vec::with_capacity(tokens.len());
        let mut buf = Vec::new();
        let mut key_buf = String::new();
        let name_id = self.vocab.get(NAME_TOKEN).copied();
        let names = if name_id.is_some() {
            name_marks(text, tokens)
        } else {
            Vec::new()
        };
        for (k, t) in tokens.iter().filter(|t| !is_article(&t.norm)).enumerate() {
            negation.push(is_negation(&t.norm));
            self.candidates(&t.norm, &mut buf, &mut key_buf);
            let known_name = known_marks.get(k).copied().unwrap_or(false);
            let name_like = names.get(k).copied().unwrap_or(false);
            if let Some(id) = name_id.filter(|_| known_name || name_like) {
                buf.push(id);
                buf.sort_unstable();
            }
            ids.extend_from_slice(&buf);
            ends.push(ids.len() as u32);
        }
        EncodedText {
            negation,
            ids,
            ends,
        }
    }

    /// Ids of every phrase found in the text, ascending.
    pub fn find_all(&self, text: &EncodedText) -> Vec<PhraseId> {
        let mut present: Vec<u32> = text.ids.clone();
        present.sort_unstable();
        present.dedup();
        // Phrases sharing words with the text, counted once per shared distinct word. A counter
        // per phrase, not a sorted list of hits: a common word ("your", "I") posts to hundreds
        // of phrases, and sorting those hits for every utterance cost more than the matching.
        thread_local! {
            static SHARED: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            if shared.len() < self.phrases.len() {
                shared.resize(self.phrases.len(), 0);
            }
            let mut touched: Vec<PhraseId> = Vec::new();
            for &id in &present {
                for &p in &self.postings[id as usize] {
                    let n = &mut shared[p as usize];
                    if *n == 0 {
                        touched.push(p);
                    }
                    *n = n.saturating_add(1);
                }
            }
            touched.sort_unstable();
            let mut found = Vec::new();
            for p in touched {
                let count = std::mem::take(&mut shared[p as usize]) as usize;
                let phrase = &self.phrases[p as usize];
                if count + phrase.allowed_errors >= phrase.distinct && self.aligns(phrase, text) {
                    found.push(p);
                }
            }
            found
        })
    }

    /// Semi-global alignment: the phrase against any stretch of the text, within its budget.
    fn aligns(&self, phrase: &Phrase, text: &EncodedText) -> bool {
        const NEVER: usize = usize::MAX / 4;
        let n = phrase.tokens.len();
        let budget = phrase.allowed_errors;
        let phrase_neg = &phrase.exact;
        let gap = &phrase.gap;
        // prev[i]: cost of aligning phrase[..i] ending just before the current text token.
        let mut prev: Vec<usize> = (0..=n)
            .map(|i| {
                if phrase_neg[..i].iter().any(|&x| x) {
                    NEVER
                } else {
                    gap[..i].iter().filter(|&&g| !g).count()
                }
            })
            .collect();
        let mut cur = vec![0usize; n + 1];
        for j in 0..text.len() {
            let cands = text.candidates(j);
            let text_neg = text.negation[j];
            cur[0] = 0;
            for i in 1..=n {
                if gap[i - 1] {
                    // Take this text word into the gap, or leave the gap slot empty: both free.
                    let take = if text_neg { NEVER } else { prev[i - 1] };
                    cur[i] = take.min(cur[i - 1]).min(NEVER);
                    continue;
                }
                let want = phrase.tokens[i - 1];
                let same = cands.binary_search(&want).is_ok();
                let sub = if same {
                    prev[i - 1]
                } else if text_neg || phrase_neg[i - 1] {
                    NEVER
                } else {
                    prev[i - 1] + 1
                };
                let insert_text = if text_neg { NEVER } else { prev[i] + 1 };
                let drop_phrase = if phrase_neg[i - 1] {
                    NEVER
                } else {
                    cur[i - 1] + 1
                };
                cur[i] = sub.min(insert_text).min(drop_phrase).min(NEVER);
            }
            if cur[n] <= budget {
                return true;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(phrase: &str, text: &str) -> bool {
        let mut m = Matcher::new();
        let id = m.add(phrase, "en").unwrap();
        m.find_all(&m.encode(text, "en")).contains(&id)
    }

    #[test]
    fn exact_and_normalised_matches() {
        assert!(matches(
            "this call may be recorded",
            "Hi! This call may be recorded for quality."
        ));
        assert!(matches(
            "I am sorry",
            "I'm so sorry... I'm sorry about that."
        ));
        assert!(matches(
            "thank you for holding",
            "Thanks for holding. Thank you for holding!"
        ));
        assert!(matches("twenty one days", "within 21 days"));
        assert!(matches("removed the charge", "I have removed a charge."));
    }

    #[test]
    fn survives_typical_asr_errors() {
        // One word substituted in a five-word phrase.
        assert!(matches(
            "this call may be recorded",
            "this call will be recorded"
        ));
        // One word dropped.
        assert!(matches(
            "this call may be recorded",
            "this call be recorded for training"
        ));
        // An extra word inserted.
        assert!(matches(
            "this call may be recorded",
            "this call may also be recorded"
        ));
        // Misspelt / mis-heard word forms.
        assert!(matches(
            "this call may be recorded",
            "this call may be recordid"
        ));
        assert!(matches(
            "this call is being recorded",
            "this call is been recording"
        ));
        assert!(matches(
            "is there anything else I can help you with",
            "is there anything else i can help with today"
        ));
        // A dropped /h/ (8 kHz lines, accents), with another slip in the same phrase.
        assert!(matches(
            "may I place you on a brief hold",
            "may I please you on a brief old while I check"
        ));
        assert!(matches("sorry to hear that", "so sorry to 'ear that"));
        assert!(matches("thank you for holding", "thank you for olding"));
        // Not for short words, and not where the heard word is a phrase word itself.
        assert!(!matches("he has paid", "he as paid"));
        assert!(!matches("hold on", "gold on"));
    }

    #[test]
    fn near_misses_do_not_match() {
        assert!(!matches(
            "this call may be recorded",
            "this call may not be recorded"
        ));
        assert!(!matches("thank you for holding", "thank you for calling"));
        assert!(!matches(
            "this call may be recorded",
            "the bill may be wrong"
        ));
        assert!(!matches("calm down", "come down"));
        assert!(!matches(
            "is there anything else I can help you with",
            "there is nothing else"
        ));
        assert!(!matches("I can help", "I can not help"));
        assert!(!matches("may I place you on hold", "may I have your name"));
    }

    #[test]
    fn many_phrases_share_one_index() {
        let mut m = Matcher::new();
        let a = m.add("place you on hold", "en").unwrap();
        let b = m.add("thank you for holding", "en").unwrap();
        let c = m.add("Place you on hold!", "en").unwrap();
        assert_eq!(a, c);
        let found = m.find_all(&m.encode("Thanks so much. Thank you for holding.", "en"));
        assert_eq!(found, vec![b]);
        assert!(m.add("...", "en").is_none());
    }

    #[test]
    fn gaps_take_up_to_four_words_but_no_negation() {
        assert!(matches(
            "call ... recorded",
            "Please be aware that this call is monitored and recorded."
        ));
        assert!(matches(
            "call ... recorded",
            "Calls to this line are recorded."
        ));
        assert!(matches("call ... recorded", "this call recorded"));
        assert!(matches("call ... recorded", "This call may be recordid."));
        assert!(!matches("call ... recorded", "This call is not recorded."));
        assert!(!matches(
            "call ... recorded",
            "This call will never be recorded."
        ));
        assert!(!matches(
            "call ... recorded",
            "I will call you when the new meter reading is recorded"
        ));
        assert!(!matches(
            "call ... recorded",
            "It was recorded on the call."
        ));
        // A gap is no error: the words around it keep the phrase's budget (none for two).
        assert!(!matches("call ... recorded", "this cat is recorded"));
        assert!(matches(
            "anything ... else ... help",
            "Is there anything at all else I can help with?"
        ));
        // Leading and trailing gaps are ignored.
        assert!(matches("... anything else ...", "anything else?"));
    }

    fn matches_knowing(phrase: &str, text: &str, names: &[&str]) -> bool {
        let mut m = Matcher::new();
        let id = m.add(phrase, "en").unwrap();
        let known = KnownNames::new(names.iter().copied(), "en");
        let tokens = normalise(text, "en");
        m.find_all(&m.encode_tokens_with_names(text, &tokens, &known))
            .contains(&id)
    }

    #[test]
    fn known_names_fill_name_slots_as_heard() {
        // A brand made of common words is no name to the matcher, unless the call is known to
        // use it.
        let company = ["Great Service"];
        assert!(!matches(
            "thank you for calling {name}",
            "thank you for calling great service"
        ));
        assert!(matches_knowing(
            "thank you for calling {company}",
            "thank you for calling great service",
            &company
        ));
        // One letter off in a word of four letters or more.
        assert!(matches_knowing(
            "thank you for calling {company}",
            "thank you for calling great servise",
            &company
        ));
        assert!(!matches("my name is {name}", "my name is will"));
        assert!(matches_knowing(
            "my name is {agent_name}",
            "my name is will",
            &["Will"]
        ));
        // Half of a known name is not the name, and other common words stay common.
        assert!(!matches_knowing(
            "thank you for calling {company}",
            "thank you for calling the great",
            &company
        ));
        assert!(!matches_knowing(
            "this is {agent_name}",
            "this is the third time",
            &["Will"]
        ));
    }

    #[test]
    fn name_slots_match_proper_names_only() {
        assert!(matches(
            "my name is {name}",
            "Hi, my name is John, how can I help?"
        ));
        assert!(matches(
            "thank you for calling {name}",
            "Thank you for calling City Power."
        ));
        assert!(!matches(
            "thank you for calling {name}",
            "Thank you for calling. How can I help?"
        ));
        assert!(!matches("my name is {name}", "my name is not important"));
        assert!(!matches("this is {name}", "This is the third time."));
        assert!(!matches("this is {name}", "this is not right"));
        assert!(!matches("I am {name}", "I'm worried about you."));
        assert!(!matches("I am {name}", "I'm really sorry"));
        assert!(matches("I am {name}", "Hi, I'm Beverly, how can I help?"));
        assert!(matches(
            "thank you for calling {name}",
            "thank you for calling city power"
        ));
        assert!(matches(
            "this is {name}",
            "Good morning, this is Anna at North Mobile."
        ));
        assert!(matches("שמי {name}", "שלום, שמי דנה"));
        // A name of two capitalised words at the start of a sentence.
        assert!(matches(
            "morning {name}",
            "morning. North Mobile, Tom here."
        ));
        assert!(!matches("morning {name}", "Good morning. How can I help?"));
        assert!(!matches("morning {name}", "Good morning. I can Help."));
        // The first word of a short sentence of the opening, unless it is a common word.
        assert!(matches(
            "{name} here",
            "Morning. Riverside water. David here. This line is recorded."
        ));
        assert!(matches(
            "morning {name}",
            "Morning. Riverside water. David here."
        ));
        assert!(!matches("morning {name}", "Good morning. Lovely, thanks."));
        // A sentence that opens with the name and an introduction word, however long.
        assert!(matches(
            "{name} speaking",
            "Welcome to Maple Home Store. Rachel speaking, for quality purposes this call is recorded."
        ));
        assert!(!matches(
            "{name} speaking",
            "Thanks for waiting. Generally speaking, the bill comes on the first."
        ));
        assert!(!matches(
            "{name} here",
            "Sorry about that. Nothing here shows a payment."
        ));
        assert!(!matches(
            "morning {name}",
            "Good morning. Sorry about that."
        ));
        assert!(!matches(
            "morning {name}",
            "Good morning. Thanks for waiting today, how can I help?"
        ));
    }

    fn matches_in(language: &str, phrase: &str, text: &str) -> bool {
        let mut m = Matcher::new();
        let id = m.add(phrase, language).unwrap();
        m.find_all(&m.encode(text, language)).contains(&id)
    }

    #[test]
    fn russian_inflections_match() {
        assert!(matches_in(
            "ru",
            "разговор записывается",
            "Здравствуйте, наш разговор записываем для качества"
        ));
        assert!(matches_in(
            "ru",
            "спасибо за ожидание",
            "Спасибо за ожидания!"
        ));
        assert!(matches_in("ru", "чем могу помочь", "Чем могу помочь вам?"));
        assert!(matches_in(
            "ru",
            "ваша карта заблокирована",
            "Вашу карту заблокировали"
        ));
        assert!(!matches_in(
            "ru",
            "разговор записывается",
            "разговор не записывается"
        ));
        assert!(!matches_in("ru", "мы записали", "мы записки"));
        assert!(!matches_in("ru", "карта", "картина"));
        // The call's language tag does not matter: the script decides.
        assert!(matches_in(
            "en",
            "спасибо за ожидание",
            "ok спасибо за ожидание"
        ));
    }

    #[test]
    fn hebrew_and_arabic_slips_are_vowel_letters_and_sound_alikes_only() {
        let slip = |a: &str, b: &str| within_one_edit(a, b);
        assert!(slip("תוכנית", "תכנית"));
        assert!(slip("מוקלטת", "מוקלתת"));
        assert!(slip("ثلاثة", "تلاثة") || slip("ثلاثة", "ثلاتة"));
        assert!(slip("مساعدتك", "مساعدتك"));
        // A changed consonant is another word, and the first letter is grammar.
        assert!(!slip("اللعنة", "اللعبة"));
        assert!(!slip("يهمني", "بهمني"));
        assert!(!slip("מספרים", "מספרות"));
        assert!(!slip("ומספר", "המספר"));
        assert!(!matches_in("he", "שלום", "אני רוצה לשלם"));
    }

    #[test]
    fn hebrew_clitics_and_articles_match() {
        assert!(matches_in(
            "he",
            "השיחה מוקלטת",
            "שלום, שיחה מוקלטת לצורך בקרה"
        ));
        assert!(matches_in(
            "he",
            "תודה רבה על ההמתנה",
            "אז ותודה רבה על המתנה"
        ));
        assert!(matches_in("he", "בדקתי את החשבון", "בדקתי את החשבונות שלך"));
        assert!(matches_in("he", "מספר הלקוח", "ומספר לקוח"));
        assert!(matches_in("he", "השיחה מוקלטת", "השיחה מוקלתת"));
        assert!(!matches_in("he", "השיחה מוקלטת", "השיחה לא מוקלטת"));
        assert!(!matches_in("he", "השיחה מוקלטת", "השיחה ולא מוקלטת"));
        assert!(!matches_in("he", "מספר", "ספר"));
        assert!(!matches_in("he", "שמי", "מי"));
        // Mixed with English in one sentence, under an English call tag.
        assert!(matches_in("en", "ההזמנה בוטלה", "yes, הזמנה בוטלה ok"));
    }

    #[test]
    fn arabic_clitics_and_endings_match() {
        assert!(matches_in("ar", "شكرا على الانتظار", "شكرا على انتظارك"));
        assert!(matches_in("ar", "تم الغاء البطاقة", "تم إلغاء بطاقتك"));
        assert!(matches_in("ar", "المكالمة مسجلة", "هذه المكالمه مسجله"));
        assert!(matches_in("ar", "سيتم التحويل", "يتم تحويل"));
        assert!(!matches_in("ar", "المكالمة مسجلة", "المكالمة ليست مسجلة"));
        assert!(!matches_in("ar", "المكالمة مسجلة", "المكالمة ولا مسجلة"));
        assert!(!matches_in("ar", "الحساب", "السحاب"));
    }

    #[test]
    fn edit_distance_helper() {
        assert!(within_one_edit("recorded", "recordid"));
        assert!(within_one_edit("record", "records"));
        assert!(within_one_edit("hold", "hold"));
        assert!(!within_one_edit("charge", "chargers"));
        assert!(!within_one_edit("abcdef", "abcfed"));
    }
}
