//! Personal data spoken on a call: card numbers (Luhn-checked), social security numbers,
//! national ID numbers (Israeli ID, Russian SNILS/INN/passport, Arab national and residence
//! IDs), dates of birth, e-mail addresses and phone numbers — written as digits or said as
//! words ("four five three two ...", "john dot smith at gmail dot com", "ארבע חמש שלוש",
//! "дана собака gmail точка com") in English, Hebrew, Arabic or Russian, mixed in one call.
//!
//! Two rules need no context, because ASR loses the words that give it ("card" heard as
//! "color", the question two turns back): any run of seven digits or more is personal data
//! (`Number` when nothing says what it is), and so is any full date with a year (`Date`). The
//! rest is judged with what both parties said in the last `CONTEXT_S` seconds, found by the
//! fuzzy matcher (`topics_of`), and a number dictated over several turns of one party is judged
//! whole (`scan_call`).
//!
//! Detection returns byte ranges in the original text, so the same spans serve flags, rubric
//! checks (an agent reading a full card number back) and redaction. `redact_field` applies
//! stricter rules to values that are not speech: manifest columns and file paths.

use crate::text::morph::for_each_remainder;
use crate::text::{digit_runs, normalise, DigitRun, Matcher, Token};
use crate::transcript::{RoleSource, Speaker, Transcript};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    CardNumber,
    Ssn,
    DateOfBirth,
    Email,
    Phone,
    /// A national identity number other than a US SSN: Israeli ID (תעודת זהות), Russian
    /// passport, SNILS or INN, Arab national or residence ID.
    NationalId,
    /// A full date with a year (day, month and year) said without a birth in the conversation:
    /// a date of birth whose question was not heard looks exactly like this.
    Date,
    /// Any other run of seven digits or more: an account, a card whose words were misheard, a
    /// phone said without "phone". Nobody dictates seven digits that are not an identifier.
    Number,
}

impl PiiKind {
    pub const ALL: [PiiKind; 8] = [
        PiiKind::CardNumber,
        PiiKind::Ssn,
        PiiKind::DateOfBirth,
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::NationalId,
        PiiKind::Date,
        PiiKind::Number,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::CardNumber => "card_number",
            PiiKind::Ssn => "ssn",
            PiiKind::DateOfBirth => "date_of_birth",
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::NationalId => "national_id",
            PiiKind::Date => "date",
            PiiKind::Number => "number",
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

/// The Israeli ID check digit: Luhn over the number padded to nine digits.
pub fn israeli_id_valid(digits: &str) -> bool {
    if !(5..=9).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    luhn_valid(&format!("{digits:0>9}"))
}

fn digit_values(digits: &str) -> Option<Vec<u32>> {
    digits.chars().map(|c| c.to_digit(10)).collect()
}

/// The Russian SNILS checksum: the last two digits check the first nine.
pub fn snils_valid(digits: &str) -> bool {
    let Some(d) = digit_values(digits).filter(|d| d.len() == 11) else {
        return false;
    };
    let sum: u32 = d[..9].iter().zip((1..=9).rev()).map(|(x, w)| x * w).sum();
    let check = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => (sum % 101) % 100,
    };
    check == d[9] * 10 + d[10]
}

/// The Russian INN check digits (10 digits for companies, 12 for people).
pub fn inn_valid(digits: &str) -> bool {
    let Some(d) = digit_values(digits) else {
        return false;
    };
    let check = |weights: &[u32], at: usize| {
        let sum: u32 = d.iter().zip(weights).map(|(x, w)| x * w).sum();
        sum % 11 % 10 == d[at]
    };
    match d.len() {
        10 => check(&[2, 4, 10, 3, 5, 9, 4, 6, 8], 9),
        12 => {
            check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10)
                && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11)
        }
        _ => false,
    }
}

/// A token is one of `words`: as written, or (Hebrew, Arabic) once a proclitic is removed
/// ("הכרטיס", "בכרטיס" → "כרטיס"; "بالبطاقه" → "بطاقه"). Inflected Russian forms are listed.
fn is_one_of(token: &str, words: &[&str]) -> bool {
    if words.contains(&token) {
        return true;
    }
    if token.is_ascii() {
        return false;
    }
    let mut found = false;
    for_each_remainder(token, |rest| found |= words.contains(&rest));
    found
}

const SSN_WORDS: &[&str] = &["social", "ssn", "security"];

const DOB_WORDS: &[&str] = &[
    "born",
    "birth",
    "birthday",
    "dob",
    "birthdate",
    // ru
    "рождения",
    "рождение",
    "рождении",
    "родился",
    "родилась",
    "родились",
    // he
    "לידה",
    "הולדת",
    "נולדתי",
    "נולדת",
    "נולד",
    "נולדה",
    // ar
    "ميلاد",
    "ميلادي",
    "ميلادك",
    "مواليد",
    "ولدت",
];

/// Words that really say "phone" (not just "number").
const PHONE_WORDS: &[&str] = &[
    "phone",
    "call",
    "cell",
    "mobile",
    "telephone",
    "reach",
    // ru
    "телефон",
    "телефона",
    "телефону",
    "мобильный",
    "мобильного",
    "сотовый",
    "сотового",
    "позвонить",
    "перезвонить",
    // he
    "טלפון",
    "נייד",
    "פלאפון",
    "סלולרי",
    "להתקשר",
    // ar
    "هاتف",
    "هاتفك",
    "هاتفي",
    "جوال",
    "جوالك",
    "جوالي",
    "موبايل",
    "تلفون",
    "تليفون",
    "اتصال",
];

const NUMBER_WORDS: &[&str] = &["number", "номер", "номера", "מספר", "رقم", "رقمي", "رقمك"];

const CARD_WORDS: &[&str] = &[
    "card",
    "visa",
    "mastercard",
    "amex",
    "credit",
    "debit",
    // ru
    "карта",
    "карты",
    "карту",
    "картой",
    "карте",
    "карточка",
    "карточки",
    "карточку",
    "кредитка",
    "кредитки",
    "кредитку",
    "кредитная",
    "кредитной",
    "кредитную",
    "дебетовая",
    "дебетовой",
    "дебетовую",
    "виза",
    "визы",
    "мастеркард",
    // he
    "כרטיס",
    "כרטיסי",
    "אשראי",
    "ויזה",
    "מאסטרקארד",
    "ישראכרט",
    // ar
    "بطاقه",
    "بطاقتي",
    "بطاقتك",
    "بطاقات",
    "ائتمان",
    "فيزا",
    "ماستركارد",
    "كارت",
    "كرت",
];

/// Words that say a number is a national ID.
const ID_WORDS: &[&str] = &[
    // ru
    "паспорт",
    "паспорта",
    "паспорту",
    "паспортные",
    "снилс",
    "инн",
    // he: תעודת זהות, ת"ז (one word, folded without its gershayim; with the article too short
    // for the prefix rule)
    "זהות",
    "תז",
    "התז",
    // ar
    "هويه",
    "هويتي",
    "هويتك",
    "الوطني",
    "وطني",
    "جواز",
    "اقامه",
    "اقامتي",
];

/// Spoken "@": "at", Hebrew "שטרודל", Russian "собака", Arabic "آت".
const AT_WORDS: &[&str] = &["at", "שטרודל", "собака", "собачка", "ات"];

/// Spoken ".".
const DOT_WORDS: &[&str] = &["dot", "נקודה", "דוט", "точка", "дот", "نقطه", "دوت"];

fn is_at(token: &str) -> bool {
    AT_WORDS.contains(&token)
}

fn is_dot(token: &str) -> bool {
    DOT_WORDS.contains(&token)
}

/// English month names and abbreviations (dates of birth, and the repeat detector's words that
/// say nothing about an issue).
pub(crate) const MONTHS: &[&str] = &[
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

const MONTHS_OTHER: &[&str] = &[
    // ru, genitive (as in dates) and nominative
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
    // he
    "ינואר",
    "פברואר",
    "מרץ",
    "מרס",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
    // ar, Egyptian/Gulf and Levantine names
    "يناير",
    "فبراير",
    "مارس",
    "ابريل",
    "مايو",
    "يونيو",
    "يوليو",
    "اغسطس",
    "سبتمبر",
    "اكتوبر",
    "نوفمبر",
    "ديسمبر",
    "كانون",
    "شباط",
    "اذار",
    "نيسان",
    "ايار",
    "حزيران",
    "تموز",
    "ايلول",
    "تشرين",
];

fn is_month(token: &str) -> bool {
    MONTHS.contains(&token) || !token.is_ascii() && is_one_of(token, MONTHS_OTHER)
}

const TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "de", "fr", "il", "ru",
    "info", "biz", "me", // as Whisper writes them in other scripts
    "קום", "ком", "كوم", "ру",
];

// --- Context: what the conversation is about -------------------------------------------------

/// Topics of conversation that change what a number is, as bits.
const T_SSN: u8 = 1;
const T_DOB: u8 = 2;
const T_PHONE: u8 = 4;
const T_NUMBER: u8 = 8;
const T_CARD: u8 = 16;
const T_ID: u8 = 32;

/// What the words around a number talk about: a social security number, a birth, a phone, a
/// "number", a card, an identity document. Found by the project's fuzzy matcher, so inflected
/// and misheard forms count ("cards", "berth", "карту", "בכרטיס").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Topics(u8);

impl std::ops::BitOr for Topics {
    type Output = Topics;
    fn bitor(self, other: Topics) -> Topics {
        Topics(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for Topics {
    fn bitor_assign(&mut self, other: Topics) {
        self.0 |= other.0;
    }
}

impl Topics {
    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

struct ContextWords {
    matcher: Matcher,
    /// Topic bits of each phrase id (one word can belong to two lists).
    topics: Vec<u8>,
}

fn context_words() -> &'static ContextWords {
    static WORDS: OnceLock<ContextWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut matcher = Matcher::new();
        let mut topics: Vec<u8> = Vec::new();
        for (list, bit) in [
            (SSN_WORDS, T_SSN),
            (DOB_WORDS, T_DOB),
            (PHONE_WORDS, T_PHONE),
            (NUMBER_WORDS, T_NUMBER),
            (CARD_WORDS, T_CARD),
            (ID_WORDS, T_ID),
        ] {
            for word in list {
                // The words' scripts decide their folding; the language tag only matters for
                // English contractions, which no context word has.
                if let Some(id) = matcher.add(word, "") {
                    let id = id as usize;
                    if topics.len() <= id {
                        topics.resize(id + 1, 0);
                    }
                    topics[id] |= bit;
                }
            }
        }
        ContextWords { matcher, topics }
    })
}

/// The topics one utterance's words talk about.
pub fn topics_of(tokens: &[Token]) -> Topics {
    if tokens.is_empty() {
        return Topics::default();
    }
    let words = context_words();
    // The text only serves name slots, which no context word has.
    let encoded = words.matcher.encode_tokens("", tokens);
    let mut bits = 0;
    for id in words.matcher.find_all(&encoded) {
        bits |= words.topics.get(id as usize).copied().unwrap_or(0);
    }
    // ת"ז typed with an ASCII quote, or "ת.ז", splits into letters ("הת" "ז" with the article).
    if tokens
        .windows(2)
        .any(|w| matches!(w[0].norm.as_str(), "ת" | "הת" | "ות") && w[1].norm == "ז")
    {
        bits |= T_ID;
    }
    Topics(bits)
}

/// How far back the conversation counts as context: a question, "let me think", "take your
/// time", the answer.
pub const CONTEXT_S: f64 = 30.0;

/// A dictated number may continue in the same party's next turn when it starts within this
/// many seconds of the last one ending (a pause to read the next group, the agent's "go on").
pub const CONTINUATION_S: f64 = 15.0;

/// Finds personal data in `text`. `context` is text said around it on the call (the question
/// before the answer): "What is your date of birth?" makes the answer's date a birth date.
pub fn detect(text: &str, language: &str, context: &str) -> Vec<PiiSpan> {
    detect_tokens(
        text,
        &normalise(text, language),
        &normalise(context, language),
    )
}

/// `detect` from tokens already normalised (the text's and its context's).
pub fn detect_tokens(text: &str, tokens: &[Token], context_tokens: &[Token]) -> Vec<PiiSpan> {
    detect_with_topics(text, tokens, topics_of(tokens) | topics_of(context_tokens))
}

/// Personal data in one call: the spans of every utterance, each utterance read with what both
/// parties said in the `CONTEXT_S` seconds before it (and while it was said), and numbers
/// dictated across turns of one party ("4532 01" ... "51 1283 0366") joined before they are
/// judged.
#[derive(Debug, Clone, Default)]
pub struct CallPii {
    pub spans: Vec<Vec<PiiSpan>>,
    /// Each utterance's context topics (its own words and those around it).
    pub context: Vec<Topics>,
}

pub fn scan_call(t: &Transcript, tokens: &[Vec<Token>]) -> CallPii {
    let n = t.utterances.len().min(tokens.len());
    let own: Vec<Topics> = tokens[..n].iter().map(|tk| topics_of(tk)).collect();
    let mut context = Vec::with_capacity(n);
    for (i, u) in t.utterances[..n].iter().enumerate() {
        let mut topics = own[i];
        for (j, v) in t.utterances[..n].iter().enumerate() {
            if j != i && v.start <= u.end && v.end >= u.start - CONTEXT_S {
                topics |= own[j];
            }
        }
        context.push(topics);
    }
    // A number judged whole across turns says better what it is than each piece alone ("five
    // one, one two eight three, zero three six six" would be a phone): its spans go first, and
    // `merge` keeps the first of equal spans.
    let mut spans: Vec<Vec<PiiSpan>> = vec![Vec::new(); n];
    for (i, span) in continued_numbers(t, n, &context) {
        spans[i].push(span);
    }
    for (i, s) in spans.iter_mut().enumerate() {
        s.extend(detect_with_topics(
            &t.utterances[i].text,
            &tokens[i],
            context[i],
        ));
        *s = merge(std::mem::take(s));
    }
    spans.resize(t.utterances.len(), Vec::new());
    CallPii { spans, context }
}

/// One piece of a number dictated over several turns.
#[derive(Debug, Clone)]
struct Piece {
    utterance: usize,
    start: usize,
    end: usize,
}

/// A number said over several turns of one party: each turn ends (or starts) with digits that
/// the next continues. Together they are judged as one number; each piece is then redacted.
fn continued_numbers(t: &Transcript, n: usize, context: &[Topics]) -> Vec<(usize, PiiSpan)> {
    struct Chain {
        pieces: Vec<Piece>,
        digits: String,
        last_end: f64,
    }
    let mut out = Vec::new();
    let finish = |chain: Chain, out: &mut Vec<(usize, PiiSpan)>| {
        if chain.pieces.len() < 2 {
            return;
        }
        let last = chain.pieces[chain.pieces.len() - 1].utterance;
        let Some(kind) = classify_joined(&chain.digits, context[last]) else {
            return;
        };
        for p in chain.pieces {
            out.push((
                p.utterance,
                PiiSpan {
                    kind,
                    start: p.start,
                    end: p.end,
                },
            ));
        }
    };
    // Roles only inferred (one mixed channel): a dictation may be split between the two
    // "speakers", so both share one chain.
    let roles_known = t.roles == RoleSource::Mapped;
    let mut open: [Option<Chain>; 2] = [None, None];
    for (i, u) in t.utterances[..n].iter().enumerate() {
        let party = if roles_known && u.speaker == Speaker::Customer {
            1
        } else {
            0
        };
        let (lead, trail) = edge_runs(&u.text);
        let mut chain = open[party].take();
        if let Some(c) = chain.take() {
            match &lead {
                Some(l) if u.start - c.last_end <= CONTINUATION_S => {
                    let mut c = c;
                    c.pieces.push(Piece {
                        utterance: i,
                        start: l.start,
                        end: l.end,
                    });
                    c.digits.push_str(&l.digits);
                    c.last_end = u.end;
                    chain = Some(c);
                }
                _ => finish(c, &mut out),
            }
        }
        // The number goes on only when its piece here also ends the turn.
        let continues = matches!((&lead, &trail), (Some(l), Some(r)) if l.start == r.start);
        if chain.is_some() && !continues {
            if let Some(c) = chain.take() {
                finish(c, &mut out);
            }
        }
        if chain.is_none() {
            chain = trail.map(|r| Chain {
                pieces: vec![Piece {
                    utterance: i,
                    start: r.start,
                    end: r.end,
                }],
                digits: r.digits,
                last_end: u.end,
            });
        }
        open[party] = chain;
    }
    for c in open.into_iter().flatten() {
        finish(c, &mut out);
    }
    out
}

/// Words (not punctuation) in a stretch of text.
fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The digit run that opens a turn and the one that closes it (at most two words such as "and",
/// "okay" or "that's it" around them), which may carry a number across turns.
fn edge_runs(text: &str) -> (Option<DigitRun>, Option<DigitRun>) {
    let runs = digit_runs(text);
    let lead = runs
        .first()
        .filter(|r| word_count(&text[..r.start]) <= 2)
        .cloned();
    let trail = runs
        .last()
        .filter(|r| word_count(&text[r.end..]) <= 2)
        .cloned();
    (lead, trail)
}

/// What a number joined from several turns is.
fn classify_joined(d: &str, topics: Topics) -> Option<PiiKind> {
    let n = d.len();
    if (12..=19).contains(&n) && (luhn_valid(d) || topics.has(T_CARD)) {
        return Some(PiiKind::CardNumber);
    }
    if n == 9 && topics.has(T_SSN) {
        return Some(PiiKind::Ssn);
    }
    if (7..=13).contains(&n) && topics.has(T_PHONE) {
        return Some(PiiKind::Phone);
    }
    (n >= MIN_DIGITS).then_some(PiiKind::Number)
}

/// A run of this many digits is personal data whatever was said around it.
pub const MIN_DIGITS: usize = 7;

/// Sorts spans and keeps the widest where detections overlap.
pub fn merge(mut spans: Vec<PiiSpan>) -> Vec<PiiSpan> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut merged: Vec<PiiSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Personal data in one text whose conversation is about `topics`.
pub fn detect_with_topics(text: &str, tokens: &[Token], topics: Topics) -> Vec<PiiSpan> {
    let mut spans = Vec::new();
    // Most utterances hold no number, no "at" and no month: nothing to look for.
    let has_digits = tokens
        .iter()
        .any(|t| t.norm.starts_with(|c: char| c.is_ascii_digit()));
    let has_month = tokens.iter().any(|t| is_month(&t.norm));
    let has_at = text.contains('@') || tokens.iter().any(|t| is_at(&t.norm));
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
    let phone_words = topics.has(T_PHONE);
    let context = Context {
        ssn: topics.has(T_SSN),
        dob: topics.has(T_DOB),
        phone: phone_words || topics.has(T_NUMBER),
        phone_words,
        card: topics.has(T_CARD),
        id: topics.has(T_ID),
    };

    if has_digits {
        for run in digit_runs(text) {
            if let Some(kind) = classify_digits(&run, text, &context) {
                spans.push(PiiSpan {
                    kind,
                    start: run.start,
                    end: run.end,
                });
            }
        }
    }
    spans.extend(written_emails(text));
    spans.extend(spoken_emails(tokens));
    if has_month {
        spans.extend(spoken_dates(tokens, context.dob));
    }
    merge(spans)
}

/// What the conversation around a number is about.
struct Context {
    ssn: bool,
    dob: bool,
    /// A phone or a number.
    phone: bool,
    /// A phone itself, not just a number.
    phone_words: bool,
    card: bool,
    id: bool,
}

/// "03/04/1985", "4.3.85", "1985-03-04": day, month and year in digits.
fn numeric_date(slice: &str) -> bool {
    let Some(sep) = slice.chars().find(|c| matches!(c, '/' | '.' | '-')) else {
        return false;
    };
    let parts: Vec<&str> = slice.split(sep).collect();
    if parts.len() != 3 || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    let small = |p: &str| p.parse::<u32>().is_ok_and(|v| (1..=31).contains(&v));
    let year = |p: &str| p.parse::<u32>().is_ok_and(|v| (1000..=2999).contains(&v));
    match lens.as_slice() {
        [1 | 2, 1 | 2, 4] => small(parts[0]) && small(parts[1]) && year(parts[2]),
        [4, 1 | 2, 1 | 2] => year(parts[0]) && small(parts[1]) && small(parts[2]),
        // A two-digit year only where a dash would rather be a phone's ("555-12-34").
        [1 | 2, 1 | 2, 2] => sep != '-' && small(parts[0]) && small(parts[1]),
        _ => false,
    }
}

/// "one hundred twenty five thousand": a spoken amount reads as digits with its scale words'
/// zeros ("1" "00" "25" "000"), which is not a dictated number.
fn is_spoken_amount(slice: &str) -> bool {
    let lower = slice.to_lowercase();
    if !["hundred", "thousand"].iter().any(|w| lower.contains(w)) {
        return false;
    }
    let tokens = normalise(slice, "en");
    tokens.len() == 1 && tokens[0].norm.len() < MIN_DIGITS
}

fn classify_digits(run: &DigitRun, text: &str, context: &Context) -> Option<PiiKind> {
    let Context {
        ssn: ssn_context,
        dob: dob_context,
        phone: phone_context,
        card: card_context,
        ..
    } = *context;
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
    // In an ID conversation a number that passes its national checksum is that ID, even where
    // it could be a phone number (Israeli landlines have nine digits too).
    if context.id
        && (n == 9 && israeli_id_valid(d)
            || n == 11 && snils_valid(d)
            || (n == 10 || n == 12) && inn_valid(d))
    {
        return Some(PiiKind::NationalId);
    }
    let slice = &text[run.start..run.end];
    let ssn_shaped = {
        let parts: Vec<&str> = slice.split('-').map(str::trim).collect();
        parts.len() == 3 && parts.iter().map(|p| p.len()).eq([3, 2, 4])
    };
    if n == 9 && (ssn_context || ssn_shaped) {
        return Some(PiiKind::Ssn);
    }
    if numeric_date(slice) {
        return Some(if dob_context {
            PiiKind::DateOfBirth
        } else {
            PiiKind::Date
        });
    }
    if dob_context && (n == 8 || n == 6) {
        return Some(PiiKind::DateOfBirth);
    }
    // A misheard digit breaks the checksum, not the exposure; only a phone said in the same
    // breath makes the number a phone instead (passports have ten digits like phones).
    if context.id && !context.phone_words && (6..=14).contains(&n) {
        return Some(PiiKind::NationalId);
    }
    let plus = text[..run.start].trim_end().ends_with('+');
    if n == 10 || (n == 11 && d.starts_with('1')) || (11..=13).contains(&n) && plus {
        return Some(PiiKind::Phone);
    }
    if phone_context && (7..=13).contains(&n) {
        return Some(PiiKind::Phone);
    }
    if n >= MIN_DIGITS && !is_spoken_amount(slice) {
        return Some(PiiKind::Number);
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
    let joiner = |w: &str| is_dot(w) || matches!(w, "underscore" | "dash" | "hyphen" | "period");
    for (i, t) in tokens.iter().enumerate() {
        if !is_at(&t.norm) || i == 0 {
            continue;
        }
        // Domain: word (dot word)* ending in a top-level domain, within a few words.
        let mut j = i + 1;
        let mut end = None;
        while j + 2 < tokens.len() + 1 && j < i + 8 {
            if j + 1 < tokens.len() && is_dot(&tokens[j + 1].norm) {
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
        while s >= 2 && joiner(&tokens[s - 1].norm) {
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
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) || is_day_word(&t.norm)
}

/// Days said as ordinal words where numbers are not written for them: Russian genitive
/// ("пятого марта", "двадцать пятого"), Arabic ("الخامس من مايو"). English ordinals are
/// normalised to "5th" already.
const DAY_WORDS: &[&str] = &[
    "первого",
    "второго",
    "третьего",
    "четвертого",
    "пятого",
    "шестого",
    "седьмого",
    "восьмого",
    "девятого",
    "десятого",
    "одиннадцатого",
    "двенадцатого",
    "тринадцатого",
    "четырнадцатого",
    "пятнадцатого",
    "шестнадцатого",
    "семнадцатого",
    "восемнадцатого",
    "девятнадцатого",
    "двадцатого",
    "тридцатого",
    "الاول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
    "العاشر",
    "الحادي",
    "عشر",
    "والعشرين",
    "العشرين",
    "والثلاثين",
    "الثلاثين",
];

fn is_day_word(token: &str) -> bool {
    !token.is_ascii() && DAY_WORDS.contains(&token)
}

/// "of" between a day and its month: English, Arabic ("الخامس من مايو").
fn is_date_joiner(token: &str) -> bool {
    matches!(token, "of" | "من")
}

/// A day of the month among a date's numbers.
fn is_day(t: &Token) -> bool {
    is_day_word(&t.norm)
        || t.norm
            .trim_end_matches("th")
            .parse::<u32>()
            .is_ok_and(|v| (1..=31).contains(&v))
}

/// A year among a date's numbers: "1985", or "19" "85" as "nineteen eighty five" normalises.
fn has_year(numbers: &[&Token]) -> bool {
    let value = |t: &Token| t.norm.parse::<u32>().ok();
    numbers
        .iter()
        .any(|t| t.norm.len() == 4 && value(t).is_some_and(|v| (1000..=2999).contains(&v)))
        || numbers.windows(2).any(|w| {
            matches!(w[0].norm.as_str(), "19" | "20") && value(w[1]).is_some_and(|v| v < 100)
        })
}

/// "the fourth of March nineteen eighty five", "March 4, 1985", "5 марта 1985": a month with
/// numbers around it. A full date (day, month, year) is personal data whatever the context;
/// a month with a day alone only when the conversation is about a birth.
fn spoken_dates(tokens: &[Token], dob: bool) -> Vec<PiiSpan> {
    let mut spans = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !is_month(&t.norm) {
            continue;
        }
        let mut s = i;
        while s > 0
            && i - s < 3
            && (is_day_or_year(&tokens[s - 1]) || is_date_joiner(&tokens[s - 1].norm))
        {
            s -= 1;
        }
        while s < i && is_date_joiner(&tokens[s].norm) {
            s += 1;
        }
        let mut e = i;
        while e + 1 < tokens.len() && e - i < 4 && is_day_or_year(&tokens[e + 1]) {
            e += 1;
        }
        if s == i && e == i {
            continue;
        }
        let numbers: Vec<&Token> = tokens[s..=e].iter().filter(|t| is_day_or_year(t)).collect();
        let full = numbers.iter().any(|t| is_day(t)) && has_year(&numbers);
        let kind = if dob {
            PiiKind::DateOfBirth
        } else if full {
            PiiKind::Date
        } else {
            continue;
        };
        spans.push(PiiSpan {
            kind,
            start: tokens[s].start,
            end: tokens[e].end,
        });
    }
    spans
}

// --- Fields: manifest values and file paths ---------------------------------------------------

/// Personal data in a value that is not speech — a manifest column (`label` is its name, which
/// says what it holds: `card_on_file`, `caller_phone`, `dob`) or a file path (no label) —
/// replaced by its kind. Stricter than for speech, since file names and manifests are full of
/// timestamps, counters and ids the user chose: only what is recognisably personal goes — a
/// Luhn-valid card number with a card's leading digits, an SSN or phone number by its shape
/// (`123-45-6789`, `555-867-5309`, `+15558675309`), an e-mail address, and, when the column's
/// name or the value's own words say so, a card, phone, SSN, ID number or date of birth.
pub fn redact_field(value: &str, label: &str) -> String {
    if !value.contains('@') && !value.chars().any(char::is_numeric) {
        return value.to_string();
    }
    let mut words = String::with_capacity(label.len() + 4);
    let mut lower_before = false;
    for c in label.chars() {
        // "cardOnFile" says "card on file".
        if c.is_uppercase() && lower_before {
            words.push(' ');
        }
        lower_before = c.is_lowercase();
        words.push(c);
    }
    // A free-text column's own words may say what a number is ("DOB 03/04/1985"); a path's
    // words are folder names ("calls", "cards"), not a conversation.
    let own = if label.is_empty() {
        Topics::default()
    } else {
        topics_of(&normalise(value, ""))
    };
    let topics = topics_of(&normalise(&words, "")) | own;
    let mut spans = written_emails(value);
    let mut push = |run: &DigitRun| {
        if let Some(kind) = classify_field(run, value, topics) {
            spans.push(PiiSpan {
                kind,
                start: run.start,
                end: run.end,
            });
            true
        } else {
            false
        }
    };
    for run in digit_runs(value) {
        let slice = &value[run.start..run.end];
        if push(&run) || !slice.contains('/') {
            continue;
        }
        // A slash joins dictated digits ("03/04/1985"), and so a path's dated folders to the
        // number in its file name ("2024/03/05/4532…"): each piece is judged on its own too.
        let mut at = run.start;
        for piece in slice.split('/') {
            for sub in digit_runs(piece) {
                push(&DigitRun {
                    digits: sub.digits,
                    start: at + sub.start,
                    end: at + sub.end,
                });
            }
            at += piece.len() + 1;
        }
    }
    for run in glued_numbers(value) {
        push(&run);
    }
    redact(value, &merge(spans))
}

/// Numbers written against letters ("card4532015112830366.wav", "id8675309x"): the word reader
/// sees one word there, not digits. Digit groups may be joined by single dashes.
fn glued_numbers(value: &str) -> Vec<DigitRun> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < b.len()
            && (b[end].is_ascii_digit()
                || (b[end] == b'-' && b.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        let letter_before = value[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
        let letter_after = value[end..].chars().next().is_some_and(char::is_alphabetic);
        if letter_before || letter_after {
            out.push(DigitRun {
                digits: value[start..end].replace('-', ""),
                start,
                end,
            });
        }
        i = end;
    }
    out
}

/// An input file as callqa names it on stderr and in logs: the path with what
/// [`redact_field`] finds in it replaced, as `calls.path` and `file_errors` store it. Log
/// collectors keep stderr longer and wider than the database; the user still recognises the
/// file by its folder, its other words and the placeholder.
pub fn display_path(path: &std::path::Path) -> String {
    redact_field(&path.display().to_string(), "")
}

/// A message about an input file (a failure reason, a note) as callqa prints it: the reasons of
/// the OS, the folder walker and the manifest reader can repeat the path, or a manifest value.
pub fn display_message(message: &str) -> String {
    redact_field(message, "")
}

/// Issuer prefixes of payment cards: 2 (Mastercard 2221-2720, Mir 2200-2204), 3 (Amex, JCB,
/// Diners), 4 (Visa), 5 (Mastercard), 6 (Discover, UnionPay, Maestro). A timestamp
/// ("20240305...") is none of them.
fn card_prefix(d: &str) -> bool {
    matches!(d.as_bytes().first(), Some(b'3'..=b'6'))
        || d.get(..2)
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| (22..=27).contains(&p))
}

/// Digit group lengths of a number as written ("555-867-5309" → 3, 3, 4).
fn groups(slice: &str) -> Vec<usize> {
    slice
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect()
}

fn classify_field(run: &DigitRun, text: &str, topics: Topics) -> Option<PiiKind> {
    let d = run.digits.as_str();
    let n = d.len();
    let slice = &text[run.start..run.end];
    if (13..=19).contains(&n) && luhn_valid(d) && card_prefix(d) {
        return Some(PiiKind::CardNumber);
    }
    if topics.has(T_CARD) && (12..=19).contains(&n) {
        return Some(PiiKind::CardNumber);
    }
    let shape = groups(slice);
    if shape == [3, 2, 4] && slice.contains('-') || topics.has(T_SSN) && n == 9 {
        return Some(PiiKind::Ssn);
    }
    if topics.has(T_DOB) && (numeric_date(slice) || n == 6 || n == 8) {
        return Some(PiiKind::DateOfBirth);
    }
    if topics.has(T_ID) && (5..=14).contains(&n) {
        return Some(PiiKind::NationalId);
    }
    let plus = text[..run.start].trim_end().ends_with('+');
    if plus && (8..=15).contains(&n)
        || shape == [3, 3, 4]
        || shape == [1, 3, 3, 4] && d.starts_with('1')
        || topics.has(T_PHONE) && (7..=15).contains(&n)
    {
        return Some(PiiKind::Phone);
    }
    None
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
        // Fails the checksum: an order number, not a card, but still sixteen digits nobody
        // needs in a transcript.
        assert_eq!(kinds("order 4532 0151 1283 0367", ""), ["number"]);
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

    fn kinds_in(language: &str, text: &str, context: &str) -> Vec<&'static str> {
        detect(text, language, context)
            .into_iter()
            .map(|s| s.kind.as_str())
            .collect()
    }

    #[test]
    fn national_id_checksums() {
        assert!(israeli_id_valid("000000018"));
        assert!(israeli_id_valid("123456782"));
        assert!(!israeli_id_valid("123456789"));
        assert!(snils_valid("11223344595"));
        assert!(!snils_valid("11223344596"));
        assert!(inn_valid("7707083893"));
        assert!(inn_valid("500100732259"));
        assert!(!inn_valid("7707083894"));
        assert!(!inn_valid("12a4567890"));
        assert_eq!(PiiKind::parse("national_id"), Some(PiiKind::NationalId));
        assert_eq!(PiiKind::NationalId.placeholder(), "[NATIONAL_ID]");
    }

    #[test]
    fn hebrew_personal_data() {
        // A card read digit by digit, feminine forms, with a conjunction on the last digit.
        assert_eq!(
            kinds_in(
                "he",
                "המספר הוא ארבע חמש שלוש שתיים אפס אחת חמש אחת אחת שתיים שמונה שלוש אפס שלוש שש ושש",
                "מה מספר הכרטיס"
            ),
            ["card_number"]
        );
        assert_eq!(
            kinds_in("he", "כרטיס האשראי שלי 4532 0151 1283 036", ""),
            ["card_number"]
        );
        assert_eq!(
            kinds_in("he", "תעודת זהות שלי 123456782", ""),
            ["national_id"]
        );
        assert_eq!(
            kinds_in(
                "he",
                "אחת שתיים שלוש ארבע חמש שש שבע שמונה שתיים",
                "מה מספר הת\"ז שלך"
            ),
            ["national_id"]
        );
        assert_eq!(kinds_in("he", "הטלפון שלי 052 123 4567", ""), ["phone"]);
        assert_eq!(
            kinds_in(
                "he",
                "אפס חמישים ושתיים שלוש ארבע חמש שש שבע שמונה תשע",
                "מספר נייד בבקשה"
            ),
            ["phone"]
        );
        assert_eq!(kinds_in("he", "נולדתי ב-12/05/1985", ""), ["date_of_birth"]);
        assert_eq!(
            kinds_in("he", "חמישה במרץ 1985", "מה תאריך הלידה שלך"),
            ["date_of_birth"]
        );
        assert_eq!(
            kinds_in("he", "המייל שלי dana שטרודל gmail נקודה com", ""),
            ["email"]
        );
        assert_eq!(
            kinds_in("he", "זה dana.cohen at gmail dot com תודה", ""),
            ["email"]
        );
        // Amounts are not personal data; a sixteen-digit order number is redacted as a number.
        assert!(kinds_in("he", "זה עלה לי ארבע מאות שקל", "").is_empty());
        assert_eq!(
            kinds_in("he", "מספר ההזמנה 4532 0151 1283 0367", ""),
            ["number"]
        );
        assert!(kinds_in("he", "שילמתי אלף תשע מאות שמונים וחמש שקל", "").is_empty());
    }

    #[test]
    fn russian_personal_data() {
        assert_eq!(
            kinds_in(
                "ru",
                "четыре пять три два ноль один пять один один два восемь три ноль три шесть шесть",
                ""
            ),
            ["card_number"]
        );
        assert_eq!(
            kinds_in("ru", "номер карты 4916 3815 2079 402", ""),
            ["card_number"]
        );
        assert_eq!(
            kinds_in("ru", "мой СНИЛС 112-233-445 95", ""),
            ["national_id"]
        );
        assert_eq!(
            kinds_in("ru", "серия и номер 4510 123456", "продиктуйте ваш паспорт"),
            ["national_id"]
        );
        assert_eq!(
            kinds_in(
                "ru",
                "восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь",
                "какой у вас номер телефона"
            ),
            ["phone"]
        );
        assert_eq!(
            kinds_in("ru", "дата рождения 05.03.1985", ""),
            ["date_of_birth"]
        );
        assert_eq!(
            kinds_in("ru", "я родился 5 марта 1985", ""),
            ["date_of_birth"]
        );
        assert_eq!(
            kinds_in("ru", "почта ivan собака mail точка ru", ""),
            ["email"]
        );
        assert_eq!(
            kinds_in("ru", "номер заказа 4532 0151 1283 0367", ""),
            ["number"]
        );
        assert!(kinds_in("ru", "с меня сняли тысячу двести рублей", "").is_empty());
        assert!(kinds_in("ru", "собака лает", "").is_empty());
    }

    #[test]
    fn arabic_personal_data() {
        assert_eq!(
            kinds_in(
                "ar",
                "اربعة خمسة ثلاثة اثنين صفر واحد خمسة واحد واحد اثنين ثمانية ثلاثة صفر ثلاثة ستة وستة",
                "ما هو رقم البطاقة"
            ),
            ["card_number"]
        );
        assert_eq!(
            kinds_in("ar", "رقم بطاقتي ٤٥٣٢ ٠١٥١ ١٢٨٣ ٠٣٦", ""),
            ["card_number"]
        );
        assert_eq!(kinds_in("ar", "رقم الهوية 1012345678", ""), ["national_id"]);
        assert_eq!(kinds_in("ar", "رقم جوالي 0501234567", ""), ["phone"]);
        assert_eq!(
            kinds_in("ar", "تاريخ الميلاد 12/05/1985", ""),
            ["date_of_birth"]
        );
        assert_eq!(
            kinds_in("ar", "الايميل ahmed آت gmail نقطة com", ""),
            ["email"]
        );
        assert!(kinds_in("ar", "دفعت ثلاثمئة وخمسين ريال", "").is_empty());
        assert_eq!(
            kinds_in("ar", "رقم الطلب 4532 0151 1283 0367", ""),
            ["number"]
        );
    }

    #[test]
    fn redaction_covers_spoken_digits_exactly() {
        let text =
            "כן, ארבע חמש שלוש שתיים אפס אחת חמש אחת אחת שתיים שמונה שלוש אפס שלוש שש ושש, תודה";
        let spans = detect(text, "he", "מה מספר כרטיס האשראי");
        assert_eq!(redact(text, &spans), "כן, [CARD_NUMBER], תודה");
    }

    // --- Rules that need no context: seven digits and more, full dates ------------------------

    #[test]
    fn seven_digits_or_more_are_personal_data_whatever_the_context() {
        // The card whose "card" Whisper heard as "color": fifteen digits, fails Luhn.
        assert_eq!(
            kinds("4.5.3.2.0151.1.2.8.3.0.3.6.", "what's the color number"),
            ["number"]
        );
        assert_eq!(kinds("It is 4.5.3.2.0151.1.2.8.3.0.3.6.", ""), ["number"]);
        assert_eq!(kinds("it's 8675309", ""), ["number"]);
        assert_eq!(
            kinds("seven seven three, one two nine four", ""),
            ["number"]
        );
        assert_eq!(kinds_in("he", "זה 8675309", ""), ["number"]);
        assert_eq!(
            kinds_in("he", "ארבע חמש שלוש שתיים אפס אחת חמש", ""),
            ["number"]
        );
        assert_eq!(
            kinds_in("ru", "четыре пять три два ноль один пять", ""),
            ["number"]
        );
        assert_eq!(
            kinds_in("ar", "اربعة خمسة ثلاثة اثنين صفر واحد خمسة", ""),
            ["number"]
        );
        assert_eq!(kinds_in("ar", "٤٥٣٢٠١٥١", ""), ["number"]);
        // Numbers that long are identifiers even when they are money: seven digits of amount
        // are rare on a service call, and a dictated number is never safe to keep.
        assert_eq!(kinds("they took $1,250,000 from us", ""), ["number"]);
    }

    #[test]
    fn amounts_times_and_short_numbers_are_not_personal_data() {
        for text in [
            "the bill was 125,000 dollars",
            "one hundred twenty five thousand dollars",
            "two hundred and fifty thousand",
            "it costs $4,000.50 a year",
            "call me back at 10:30 or 11:45",
            "the card ending in 0366",
            "the last four are zero three six six",
            // Six dictated digits without a card, birth, ID or phone around them.
            "four five three two zero one",
            "I have 2 cats and 3 dogs",
            "in March 2024 we moved",
            "the outage started on the fourth of March",
        ] {
            assert!(kinds(text, "").is_empty(), "{text}: {:?}", kinds(text, ""));
        }
        for (language, text) in [
            ("ru", "сто двадцать пять тысяч рублей"),
            ("ru", "в 10:30 утра"),
            ("ru", "с меня сняли 125 000 рублей"),
            ("he", "מאה עשרים וחמישה אלף שקל"),
            ("he", "שילמתי 125,000 שקל"),
            ("ar", "مئة وخمسة وعشرين الف ريال"),
            ("ar", "دفعت ١٢٥٠٠٠ ريال"),
        ] {
            assert!(
                kinds_in(language, text, "").is_empty(),
                "{text}: {:?}",
                kinds_in(language, text, "")
            );
        }
    }

    #[test]
    fn full_dates_with_a_year_are_dates_whatever_the_context() {
        assert_eq!(kinds("March 4, 1985.", ""), ["date"]);
        assert_eq!(
            kinds("the fourth of March nineteen eighty five", ""),
            ["date"]
        );
        assert_eq!(kinds("it was 03/04/1985", ""), ["date"]);
        assert_eq!(kinds("on 1985-03-04", ""), ["date"]);
        assert_eq!(kinds("on 4.3.85", ""), ["date"]);
        assert_eq!(kinds_in("ru", "5 марта 1985 года", ""), ["date"]);
        assert_eq!(kinds_in("ru", "05.03.1985", ""), ["date"]);
        assert_eq!(kinds_in("he", "חמישה במרץ 1985", ""), ["date"]);
        assert_eq!(kinds_in("ar", "الخامس من مايو 1985", ""), ["date"]);
        assert_eq!(kinds_in("ar", "5 مايو 1985", ""), ["date"]);
        // With a birth in the conversation they are dates of birth.
        assert_eq!(
            kinds("March 4, 1985.", "and your date of birth?"),
            ["date_of_birth"]
        );
        // Redacted whole, year and all.
        let text = "Sure, March 4, 1985, I think.";
        assert_eq!(
            redact(text, &detect(text, "en", "")),
            "Sure, [DATE], I think."
        );
        // A phone number's groups are not a date.
        assert_eq!(kinds("555-12-34", "what phone"), ["phone"]);
    }

    fn utterance(speaker: Speaker, start: f64, text: &str) -> crate::transcript::Utterance {
        crate::transcript::Utterance {
            speaker,
            channel: usize::from(speaker == Speaker::Customer),
            start,
            end: start + 2.0,
            text: text.to_string(),
            words: Vec::new(),
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
        }
    }

    fn call_of(language: &str, turns: &[(Speaker, f64, &str)]) -> Transcript {
        Transcript {
            names: Vec::new(),
            call_id: "c".into(),
            source: crate::transcript::SourceAudio {
                path: "c.wav".into(),
                codec: "pcm".into(),
                sample_rate: 8000,
                channels: 2,
                duration_s: 120.0,
            },
            roles: RoleSource::Mapped,
            language: language.into(),
            language_source: Default::default(),
            model: "m".into(),
            utterances: turns.iter().map(|(s, t, x)| utterance(*s, *t, x)).collect(),
            warnings: Vec::new(),
        }
    }

    /// Each utterance as redacted by a call-level scan.
    fn scanned(t: &Transcript) -> Vec<String> {
        let tokens = t.normalised();
        let found = scan_call(t, &tokens);
        t.utterances
            .iter()
            .zip(&found.spans)
            .map(|(u, s)| redact(&u.text, s))
            .collect()
    }

    use Speaker::{Agent, Customer};

    #[test]
    fn a_date_of_birth_two_turns_after_the_question_is_one() {
        // (language, question, "let me think", "take your time", the answer, what remains)
        let cases = [
            (
                "en",
                "Can I have your date of birth?",
                "Let me think.",
                "Take your time!",
                "The fourth of March.",
                "The [DATE_OF_BIRTH].",
            ),
            (
                // The question misheard ("berth"): the fuzzy matcher still hears a birth.
                "en",
                "And what's your date of berth?",
                "Hmm, one moment.",
                "No rush.",
                "March fourth.",
                "[DATE_OF_BIRTH].",
            ),
            (
                "ru",
                "Назовите, пожалуйста, дату рождения.",
                "Сейчас, минутку.",
                "Не торопитесь.",
                "5 марта.",
                "[DATE_OF_BIRTH].",
            ),
            (
                "he",
                "מה תאריך הלידה שלך?",
                "רגע, אני חושב.",
                "קח את הזמן.",
                "חמישה במרץ.",
                "[DATE_OF_BIRTH].",
            ),
            (
                "ar",
                "ما هو تاريخ ميلادك؟",
                "لحظة من فضلك.",
                "خذ وقتك.",
                "5 مايو.",
                "[DATE_OF_BIRTH].",
            ),
        ];
        for (language, question, think, wait, answer, expected) in cases {
            let t = call_of(
                language,
                &[
                    (Agent, 1.0, question),
                    (Customer, 4.0, think),
                    (Agent, 7.0, wait),
                    (Customer, 12.0, answer),
                ],
            );
            assert_eq!(scanned(&t)[3], expected, "{language}: {answer}");
            // The same answer a minute after the question is a date like any other.
            let late = call_of(
                language,
                &[
                    (Agent, 1.0, question),
                    (Customer, 4.0, think),
                    (Agent, 7.0, wait),
                    (Customer, 60.0, answer),
                ],
            );
            assert_eq!(scanned(&late)[3], answer, "{language}: late {answer}");
        }
        // A six-digit date of birth two turns after the question.
        let t = call_of(
            "en",
            &[
                (Agent, 1.0, "What is your birthday?"),
                (Customer, 4.0, "Let me think."),
                (Agent, 7.0, "Take your time!"),
                (Customer, 10.0, "Oh three oh four eight five."),
            ],
        );
        assert_eq!(scanned(&t)[3], "[DATE_OF_BIRTH].");
    }

    #[test]
    fn a_number_dictated_across_turns_is_redacted_in_every_turn() {
        // (language, the agent's question (no card word), first piece, agent, second piece)
        let cases = [
            (
                "en",
                "What's the long number on the front?",
                "It's four five three two, zero one",
                "Mm-hmm, go on.",
                "five one, one two eight three, zero three six six.",
            ),
            ("en", "Go ahead.", "4532-01", "Okay.", "51-1283-0366."),
            (
                "ru",
                "Продиктуйте номер на лицевой стороне.",
                "Четыре пять три два ноль один",
                "Да, дальше.",
                "пять один один два восемь три ноль три шесть шесть.",
            ),
            (
                "he",
                "מה המספר שמופיע מלפנים?",
                "ארבע חמש שלוש שתיים אפס אחת",
                "כן, תמשיך.",
                "חמש אחת אחת שתיים שמונה שלוש אפס שלוש שש שש.",
            ),
            (
                "ar",
                "ما هو الرقم في الامام؟",
                "اربعة خمسة ثلاثة اثنين صفر واحد",
                "نعم، تفضل.",
                "خمسة واحد واحد اثنين ثمانية ثلاثة صفر ثلاثة ستة ستة.",
            ),
        ];
        for (language, question, first, agent, second) in cases {
            let t = call_of(
                language,
                &[
                    (Agent, 1.0, question),
                    (Customer, 4.0, first),
                    (Agent, 7.0, agent),
                    (Customer, 9.0, second),
                ],
            );
            let out = scanned(&t);
            for piece in [&out[1], &out[3]] {
                assert!(
                    piece.contains("[CARD_NUMBER]"),
                    "{language}: {piece:?} of {out:?}"
                );
                assert!(
                    digit_runs(piece).iter().all(|r| r.digits.len() < 2),
                    "{language}: digits left in {piece:?}"
                );
            }
            let tokens = t.normalised();
            assert!(scan_call(&t, &tokens).spans[1]
                .iter()
                .all(|s| s.kind == PiiKind::CardNumber));
        }
    }

    #[test]
    fn numbers_in_separate_thoughts_are_not_joined() {
        let keep = |turns: &[(Speaker, f64, &str)]| {
            let t = call_of("en", turns);
            let out = scanned(&t);
            for (u, o) in t.utterances.iter().zip(&out) {
                assert_eq!(&u.text, o);
            }
        };
        // Too few digits together.
        keep(&[
            (Customer, 1.0, "I have 2 cats"),
            (Customer, 4.0, "and 3 dogs."),
        ]);
        // Words between the numbers and the turn's edge.
        keep(&[
            (Customer, 1.0, "four five three two is what I paid"),
            (Customer, 4.0, "and one two three was the fee"),
        ]);
        // Too long a pause.
        keep(&[
            (Customer, 1.0, "four five three two"),
            (Customer, 30.0, "zero one five"),
        ]);
        // The other party does not continue the customer's number.
        keep(&[
            (Customer, 1.0, "four five three two"),
            (Agent, 4.0, "zero one five, sorry?"),
        ]);
    }

    /// What stderr and the logs name a file by: the stored form, still recognisable.
    #[test]
    fn displayed_paths_and_messages_lose_card_numbers_and_keep_the_rest() {
        use std::path::Path;
        let card = "4532015112830366";
        for (path, shown) in [
            (
                format!("/night/card_{card}.wav"),
                "/night/card_[CARD_NUMBER].wav",
            ),
            (
                format!("/night/2024/03/05/{card}.wav"),
                "/night/2024/03/05/[CARD_NUMBER].wav",
            ),
            (
                "calls/+15558675309_20240305.wav".to_string(),
                "calls/+[PHONE]_20240305.wav",
            ),
            (
                format!("/night/card{card}.wav"),
                "/night/card[CARD_NUMBER].wav",
            ),
            (
                format!("/night/x{card}y_20240305T101500.wav"),
                "/night/x[CARD_NUMBER]y_20240305T101500.wav",
            ),
            (
                "/night/cust4532-0151-1283-0366.wav".to_string(),
                "/night/cust[CARD_NUMBER].wav",
            ),
        ] {
            assert_eq!(display_path(Path::new(&path)), shown);
            assert_eq!(display_path(Path::new(&path)), redact_field(&path, ""));
        }
        for kept in [
            "/data/calls/2024-03-05/AGENT_a17_CUST_c93_20240305T101500.wav",
            "tests/data/name with spaces ünïcødé.wav",
            "/night/rate_4294967291.wav",
        ] {
            assert_eq!(display_path(Path::new(kept)), kept);
        }
        assert_eq!(
            display_message(&format!(
                "cannot list: IO error for operation on /night/card_{card}: Permission denied"
            )),
            "cannot list: IO error for operation on /night/card_[CARD_NUMBER]: Permission denied"
        );
        let reason = "sample rate 4294967291 Hz is outside the 4000-192000 Hz callqa accepts";
        assert_eq!(display_message(reason), reason);
    }

    #[test]
    fn fields_lose_what_is_personal_and_keep_identifiers_and_timestamps() {
        let card = "4532015112830366";
        assert_eq!(redact_field(card, "card_on_file"), "[CARD_NUMBER]");
        assert_eq!(
            redact_field("4532 0151 1283 0366", "notes"),
            "[CARD_NUMBER]"
        );
        // A card number that fails Luhn is still one under a card column.
        assert_eq!(
            redact_field("4532 0151 1283 0367", "cardOnFile"),
            "[CARD_NUMBER]"
        );
        assert_eq!(
            redact_field("/calls/4532-0151-1283-0366.wav", ""),
            "/calls/[CARD_NUMBER].wav"
        );
        assert_eq!(
            redact_field("/calls/+15558675309_20240305.wav", ""),
            "/calls/+[PHONE]_20240305.wav"
        );
        assert_eq!(redact_field("555-867-5309", "callback"), "[PHONE]");
        assert_eq!(redact_field("8675309", "caller_phone"), "[PHONE]");
        assert_eq!(redact_field("123-45-6789", "x"), "[SSN]");
        assert_eq!(redact_field("03/04/1985", "dob"), "[DATE_OF_BIRTH]");
        assert_eq!(
            redact_field("customer DOB 03/04/1985", "notes"),
            "customer DOB [DATE_OF_BIRTH]"
        );
        assert_eq!(
            redact_field("mail laura@example.com", "notes"),
            "mail [EMAIL]"
        );
        assert_eq!(redact_field("123456782", "teudat_zehut_id"), "123456782");
        assert_eq!(redact_field("123456782", "תעודת זהות"), "[NATIONAL_ID]");
        // Timestamps, counters and the user's own ids stay.
        for (value, label) in [
            (
                "/data/calls/2024-03-05/AGENT_a17_CUST_c93_20240305T101500.wav",
                "",
            ),
            ("/data/calls/20240305101500123.wav", ""),
            ("/data/calls/1709632500.wav", ""),
            ("100234567", "order_id"),
            ("2026-11-30T09:00:00Z", "ended_at"),
            ("support-he", "queue"),
            ("visa ending 0366", "card_on_file"),
        ] {
            assert_eq!(redact_field(value, label), value, "{label}");
        }
    }
}
