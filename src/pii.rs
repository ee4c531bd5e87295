//! Personal data spoken on a call: card numbers (Luhn-checked), social security numbers,
//! national ID numbers (Israeli ID, Russian SNILS/INN/passport, Arab national and residence
//! IDs), dates of birth, e-mail addresses and phone numbers — written as digits or said as
//! words ("four five three two ...", "john dot smith at gmail dot com", "ארבע חמש שלוש",
//! "дана собака gmail точка com") in English, Hebrew, Arabic or Russian, mixed in one call.
//!
//! Detection returns byte ranges in the original text, so the same spans serve flags, rubric
//! checks (an agent reading a full card number back) and redaction.

use crate::text::morph::for_each_remainder;
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
    /// A national identity number other than a US SSN: Israeli ID (תעודת זהות), Russian
    /// passport, SNILS or INN, Arab national or residence ID.
    NationalId,
}

impl PiiKind {
    pub const ALL: [PiiKind; 6] = [
        PiiKind::CardNumber,
        PiiKind::Ssn,
        PiiKind::DateOfBirth,
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::NationalId,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::CardNumber => "card_number",
            PiiKind::Ssn => "ssn",
            PiiKind::DateOfBirth => "date_of_birth",
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::NationalId => "national_id",
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

fn has_any(tokens: &[Token], words: &[&str]) -> bool {
    tokens.iter().any(|t| is_one_of(&t.norm, words))
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
    let about = |words: &[&str]| has_any(tokens, words) || has_any(context_tokens, words);
    // ת"ז typed with an ASCII quote, or "ת.ז", splits into letters ("הת" "ז" with the article).
    let split_id = |t: &[Token]| {
        t.windows(2)
            .any(|w| matches!(w[0].norm.as_str(), "ת" | "הת" | "ות") && w[1].norm == "ז")
    };
    let phone_words = about(PHONE_WORDS);
    let context = Context {
        ssn: about(SSN_WORDS),
        dob: about(DOB_WORDS),
        phone: phone_words || about(NUMBER_WORDS),
        phone_words,
        card: about(CARD_WORDS),
        id: about(ID_WORDS) || split_id(tokens) || split_id(context_tokens),
    };

    for run in if has_digits {
        digit_runs(text)
    } else {
        Vec::new()
    } {
        if let Some(kind) = classify_digits(&run, text, &context) {
            spans.push(PiiSpan {
                kind,
                start: run.start,
                end: run.end,
            });
        }
    }
    spans.extend(written_emails(text));
    spans.extend(spoken_emails(tokens));
    if context.dob {
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

/// What the utterance and the one before it talk about.
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
    if dob_context && (n == 8 || n == 6) {
        return Some(PiiKind::DateOfBirth);
    }
    // A misheard digit breaks the checksum, not the exposure; only a phone said in the same
    // breath makes the number a phone instead (passports have ten digits like phones).
    if context.id && !context.phone_words && (6..=14).contains(&n) {
        return Some(PiiKind::NationalId);
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
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// "the fourth of March nineteen eighty five", "March 4, 1985": a month with numbers around it.
fn spoken_dates(tokens: &[Token]) -> Vec<PiiSpan> {
    let mut spans = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !is_month(&t.norm) {
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
        // Amounts and order numbers are not personal data.
        assert!(kinds_in("he", "זה עלה לי ארבע מאות שקל", "").is_empty());
        assert!(kinds_in("he", "מספר ההזמנה 4532 0151 1283 0367", "").is_empty());
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
        assert!(kinds_in("ru", "номер заказа 4532 0151 1283 0367", "").is_empty());
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
        assert!(kinds_in("ar", "رقم الطلب 4532 0151 1283 0367", "").is_empty());
    }

    #[test]
    fn redaction_covers_spoken_digits_exactly() {
        let text =
            "כן, ארבע חמש שלוש שתיים אפס אחת חמש אחת אחת שתיים שמונה שלוש אפס שלוש שש ושש, תודה";
        let spans = detect(text, "he", "מה מספר כרטיס האשראי");
        assert_eq!(redact(text, &spans), "כן, [CARD_NUMBER], תודה");
    }
}
