//! Numbers as people say them and as Whisper writes them.
//!
//! Two readings are needed. Matching wants cardinal values ("twenty one" = "21"); PII detection
//! wants digit strings as dictated ("four five three two", "double oh seven", "forty two ten").

use super::{fold_word, raw_words, Token};
use std::collections::HashMap;
use std::sync::OnceLock;

fn unit(w: &str) -> Option<u64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        _ => return None,
    })
}

fn teen(w: &str) -> Option<u64> {
    Some(match w {
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens(w: &str) -> Option<u64> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn ordinal(w: &str) -> Option<u64> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

// --- Hebrew, Arabic, Russian ---------------------------------------------------------------

/// What a Hebrew, Arabic or Russian number word contributes. Tables hold folded spellings
/// (`fold_word`: Arabic ة → ه, أ/إ/آ → ا, ى → ي).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intl {
    Unit(u64),
    /// Hebrew עשר/עשרה, Arabic عشر/عشرة: ten alone, +10 after a unit ("חמש עשרה" = 15).
    Ten,
    Teen(u64),
    Tens(u64),
    /// A whole hundreds value ("двести", "מאתיים", "ثلاثمئة").
    Hundreds(u64),
    /// Hebrew מאות: multiplies the unit before it ("שלוש מאות").
    HundredsOf,
    /// Multiplies what comes before; `alone` is its value with nothing before ("אלף" = 1000).
    Scale {
        mul: u64,
        alone: Option<u64>,
    },
}

/// Folded spelling → what the word contributes, over every table in [`intl_tables`].
fn intl_word(w: &str) -> Option<Intl> {
    static WORDS: OnceLock<HashMap<&'static str, Intl>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            intl_tables::ALL
                .iter()
                .flat_map(|table| table.iter())
                .flat_map(|(words, kind)| words.iter().map(move |w| (*w, *kind)))
                .collect()
        })
        .get(w)
        .copied()
}

/// The Hebrew, Arabic and Russian number words, one row per value: every spelling that means it.
mod intl_tables {
    use super::Intl::{self, *};

    /// With nothing before it, a thousand ("тысяча", "אלף", "الف").
    const THOUSAND: Intl = Scale {
        mul: 1_000,
        alone: Some(1_000),
    };
    /// Thousands only after a count ("три тысячи", "שלושת אלפים").
    const THOUSANDS: Intl = Scale {
        mul: 1_000,
        alone: None,
    };
    /// The dual: two thousand in one word ("אלפיים", "الفين").
    const TWO_THOUSAND: Intl = Scale {
        mul: 2_000,
        alone: Some(2_000),
    };
    const MILLION: Intl = Scale {
        mul: 1_000_000,
        alone: Some(1_000_000),
    };
    const MILLIONS: Intl = Scale {
        mul: 1_000_000,
        alone: None,
    };

    pub(super) const ALL: [&[(&[&str], Intl)]; 3] = [RU, HE, AR];

    /// Russian.
    pub(super) const RU: &[(&[&str], Intl)] = &[
        (&["ноль", "нуль"], Unit(0)),
        (&["один", "одна", "одно", "одну"], Unit(1)),
        (&["два", "две"], Unit(2)),
        (&["три"], Unit(3)),
        (&["четыре"], Unit(4)),
        (&["пять"], Unit(5)),
        (&["шесть"], Unit(6)),
        (&["семь"], Unit(7)),
        (&["восемь"], Unit(8)),
        (&["девять"], Unit(9)),
        (&["десять"], Teen(10)),
        (&["одиннадцать"], Teen(11)),
        (&["двенадцать"], Teen(12)),
        (&["тринадцать"], Teen(13)),
        (&["четырнадцать"], Teen(14)),
        (&["пятнадцать"], Teen(15)),
        (&["шестнадцать"], Teen(16)),
        (&["семнадцать"], Teen(17)),
        (&["восемнадцать"], Teen(18)),
        (&["девятнадцать"], Teen(19)),
        (&["двадцать"], Tens(20)),
        (&["тридцать"], Tens(30)),
        (&["сорок"], Tens(40)),
        (&["пятьдесят"], Tens(50)),
        (&["шестьдесят"], Tens(60)),
        (&["семьдесят"], Tens(70)),
        (&["восемьдесят"], Tens(80)),
        (&["девяносто"], Tens(90)),
        (&["сто"], Hundreds(100)),
        (&["двести"], Hundreds(200)),
        (&["триста"], Hundreds(300)),
        (&["четыреста"], Hundreds(400)),
        (&["пятьсот"], Hundreds(500)),
        (&["шестьсот"], Hundreds(600)),
        (&["семьсот"], Hundreds(700)),
        (&["восемьсот"], Hundreds(800)),
        (&["девятьсот"], Hundreds(900)),
        (&["тысяча", "тысячу"], THOUSAND),
        (&["тысячи", "тысяч"], THOUSANDS),
        (&["миллион"], MILLION),
        (&["миллиона", "миллионов"], MILLIONS),
    ];
    /// Hebrew: masculine and feminine, absolute and construct forms.
    pub(super) const HE: &[(&[&str], Intl)] = &[
        (&["אפס"], Unit(0)),
        (&["אחת", "אחד"], Unit(1)),
        (&["שתיים", "שתים", "שניים", "שתי", "שני"], Unit(2)),
        (&["שלוש", "שלושה", "שלש", "שלשה", "שלושת"], Unit(3)),
        (&["ארבע", "ארבעה", "ארבעת"], Unit(4)),
        (&["חמש", "חמישה", "חמשה", "חמשת"], Unit(5)),
        (&["שש", "שישה", "ששה", "ששת"], Unit(6)),
        (&["שבע", "שבעה", "שבעת"], Unit(7)),
        (&["שמונה", "שמונת"], Unit(8)),
        (&["תשע", "תשעה", "תשעת"], Unit(9)),
        (&["עשר", "עשרה", "עשרת"], Ten),
        (&["עשרים"], Tens(20)),
        (&["שלושים", "שלשים"], Tens(30)),
        (&["ארבעים"], Tens(40)),
        (&["חמישים"], Tens(50)),
        (&["שישים", "ששים"], Tens(60)),
        (&["שבעים"], Tens(70)),
        (&["שמונים"], Tens(80)),
        (&["תשעים"], Tens(90)),
        (&["מאה"], Hundreds(100)),
        (&["מאתיים"], Hundreds(200)),
        (&["מאות"], HundredsOf),
        (&["אלף"], THOUSAND),
        (&["אלפים"], THOUSANDS),
        (&["אלפיים"], TWO_THOUSAND),
        (&["מיליון"], MILLION),
        (&["מיליונים"], MILLIONS),
    ];
    /// Arabic: standard and the colloquial spellings Whisper writes.
    pub(super) const AR: &[(&[&str], Intl)] = &[
        (&["صفر"], Unit(0)),
        (&["واحد", "واحده"], Unit(1)),
        (
            &[
                "اثنان",
                "اثنين",
                "اثنتان",
                "اثنتين",
                "اثنا",
                "اثني",
                "اتنين",
            ],
            Unit(2),
        ),
        (&["ثلاثه", "ثلاث", "تلاته", "تلات"], Unit(3)),
        (&["اربعه", "اربع"], Unit(4)),
        (&["خمسه", "خمس"], Unit(5)),
        (&["سته", "ست"], Unit(6)),
        (&["سبعه", "سبع"], Unit(7)),
        (&["ثمانيه", "ثماني", "ثمان", "تمانيه", "تمنيه"], Unit(8)),
        (&["تسعه", "تسع"], Unit(9)),
        (&["عشره", "عشر"], Ten),
        (&["حداشر"], Teen(11)),
        (&["اتناشر", "اطناشر"], Teen(12)),
        (&["تلتاشر", "تلطاشر"], Teen(13)),
        (&["اربعتاشر", "اربعطاشر"], Teen(14)),
        (&["خمستاشر", "خمسطاشر"], Teen(15)),
        (&["ستاشر", "سطاشر"], Teen(16)),
        (&["سبعتاشر", "سبعطاشر"], Teen(17)),
        (&["تمنتاشر", "تمنطاشر"], Teen(18)),
        (&["تسعتاشر", "تسعطاشر"], Teen(19)),
        (&["عشرون", "عشرين"], Tens(20)),
        (&["ثلاثون", "ثلاثين", "تلاتين"], Tens(30)),
        (&["اربعون", "اربعين"], Tens(40)),
        (&["خمسون", "خمسين"], Tens(50)),
        (&["ستون", "ستين"], Tens(60)),
        (&["سبعون", "سبعين"], Tens(70)),
        (&["ثمانون", "ثمانين", "تمانين"], Tens(80)),
        (&["تسعون", "تسعين"], Tens(90)),
        (&["مئه", "مائه", "ميه"], Hundreds(100)),
        (
            &["مئتان", "مئتين", "مائتان", "مائتين", "ميتين"],
            Hundreds(200),
        ),
        (&["ثلاثمئه", "ثلاثمائه", "تلتميه"], Hundreds(300)),
        (&["اربعمئه", "اربعمائه", "ربعميه"], Hundreds(400)),
        (&["خمسمئه", "خمسمائه", "خمسميه"], Hundreds(500)),
        (&["ستمئه", "ستمائه", "ستميه"], Hundreds(600)),
        (&["سبعمئه", "سبعمائه", "سبعميه"], Hundreds(700)),
        (&["ثمانمئه", "ثمانمائه", "تمنميه"], Hundreds(800)),
        (&["تسعمئه", "تسعمائه", "تسعميه"], Hundreds(900)),
        (&["الف"], THOUSAND),
        (&["الاف"], THOUSANDS),
        (&["الفين", "الفان"], TWO_THOUSAND),
        (&["مليون"], MILLION),
        (&["ملايين"], MILLIONS),
    ];
}

/// Hebrew ו and Arabic و: "and", written onto the next word ("עשרים ואחת", "واحد وعشرين").
fn strip_conjunction(w: &str) -> Option<&str> {
    w.strip_prefix('ו')
        .or_else(|| w.strip_prefix('و'))
        .filter(|rest| !rest.is_empty())
}

fn is_conjunction_word(w: &str) -> bool {
    matches!(w, "ו" | "و")
}

/// A number word, possibly with an attached conjunction (second value true).
fn intl_lookup(w: &str) -> Option<(Intl, bool)> {
    if let Some(k) = intl_word(w) {
        return Some((k, false));
    }
    strip_conjunction(w).and_then(intl_word).map(|k| (k, true))
}

/// Parses the longest Hebrew, Arabic or Russian cardinal at the start of `words`: value and
/// words used. Word order differs (ru "двадцать один", he "עשרים ואחת", ar "واحد وعشرين")
/// and all are accepted. With `scales` false, thousands end the number: dictated digit groups
/// ("восемь девятьсот шестнадцать") never run into them.
fn parse_intl(words: &[&str], scales: bool) -> Option<(u64, usize)> {
    #[derive(PartialEq, Clone, Copy)]
    enum Last {
        Nothing,
        Unit,
        Teen,
        Tens,
        /// Tens after their unit (Arabic order): the number's last two digits are complete.
        UnitTens,
        Hundred,
        Scale,
    }
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut last = Last::Nothing;
    let mut used = 0;
    let mut end = 0;
    let mut pending_conj = false;
    while used < words.len() {
        let w = words[used];
        if is_conjunction_word(w) && last != Last::Nothing {
            pending_conj = true;
            used += 1;
            continue;
        }
        let Some((kind, attached)) = intl_lookup(w) else {
            break;
        };
        let conj = attached || pending_conj;
        pending_conj = false;
        let ok = match kind {
            Intl::Unit(u) => {
                let fits = match last {
                    Last::Nothing => true,
                    Last::Tens | Last::Hundred | Last::Scale => u > 0,
                    _ => false,
                };
                if fits {
                    current += u;
                    last = Last::Unit;
                }
                fits
            }
            Intl::Ten => {
                // After a unit it makes a teen ("חמש עשרה"); otherwise it is ten.
                let teen = last == Last::Unit && !conj && current % 100 < 10;
                let fits = teen || matches!(last, Last::Nothing | Last::Hundred | Last::Scale);
                if fits {
                    current += 10;
                    last = Last::Teen;
                }
                fits
            }
            Intl::Teen(v) | Intl::Tens(v)
                if matches!(last, Last::Nothing | Last::Hundred | Last::Scale) =>
            {
                current += v;
                last = if v < 20 { Last::Teen } else { Last::Tens };
                true
            }
            Intl::Tens(t) if last == Last::Unit && conj && current % 100 < 10 => {
                current += t;
                last = Last::UnitTens;
                true
            }
            Intl::Teen(_) | Intl::Tens(_) => false,
            Intl::Hundreds(100) if last == Last::Unit && !conj && current < 10 => {
                current *= 100;
                last = Last::Hundred;
                true
            }
            Intl::Hundreds(h) if matches!(last, Last::Nothing | Last::Scale) && current == 0 => {
                current = h;
                last = Last::Hundred;
                true
            }
            Intl::Hundreds(_) => false,
            Intl::HundredsOf if last == Last::Unit && current < 10 => {
                current *= 100;
                last = Last::Hundred;
                true
            }
            Intl::HundredsOf => false,
            Intl::Scale { .. } if !scales => false,
            Intl::Scale { mul, .. }
                if current > 0 && !matches!(last, Last::Nothing | Last::Scale) =>
            {
                total = total.saturating_add(current.saturating_mul(mul));
                current = 0;
                last = Last::Scale;
                true
            }
            Intl::Scale { alone: Some(v), .. } if last == Last::Nothing => {
                total = v;
                last = Last::Scale;
                true
            }
            Intl::Scale { .. } => false,
        };
        if !ok {
            break;
        }
        used += 1;
        end = used;
    }
    (end > 0).then(|| (total.saturating_add(current), end))
}

/// "4th", "1st", "22nd" → "4th", "1th", "22th": one ordinal spelling for matching.
fn digit_ordinal(w: &str) -> Option<String> {
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(d) = w.strip_suffix(suffix) {
            if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) {
                return Some(format!("{d}th"));
            }
        }
    }
    None
}

fn digits_token(w: &str) -> Option<String> {
    let first = w.chars().next()?;
    if !first.is_ascii_digit() {
        return None;
    }
    if w.chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Some(w.replace(',', ""));
    }
    digit_ordinal(w)
}

/// Replaces runs of number words with one digit token spanning them; digit tokens are cleaned
/// ("4,000" → "4000"). Spoken digit strings ("four five") stay separate tokens ("4" "5").
pub(super) fn unify_numbers(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    // Hebrew, Arabic and Russian number words are looked up only when a text has words outside
    // ASCII at all.
    let norms: Vec<&str> = if tokens.iter().any(|t| !t.norm.is_ascii()) {
        tokens.iter().map(|t| t.norm.as_str()).collect()
    } else {
        Vec::new()
    };
    let mut i = 0;
    while i < tokens.len() {
        let w = tokens[i].norm.as_str();
        if let Some(d) = digits_token(w) {
            out.push(Token {
                norm: d,
                ..tokens[i].clone()
            });
            i += 1;
            continue;
        }
        let parsed = if w.is_ascii() {
            parse_cardinal(&tokens[i..])
        } else {
            parse_intl(&norms[i..], true).map(|(v, used)| (v.to_string(), used))
        };
        match parsed {
            Some((text, used)) => {
                out.push(Token {
                    norm: text,
                    start: tokens[i].start,
                    end: tokens[i + used - 1].end,
                });
                i += used;
            }
            None => {
                out.push(tokens[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Parses the longest cardinal (or ordinal) number at the start of `tokens`.
fn parse_cardinal(tokens: &[Token]) -> Option<(String, usize)> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    // What the last consumed word was, to know whether the next one continues the number.
    #[derive(PartialEq, Clone, Copy)]
    enum Last {
        Nothing,
        Unit,
        Teen,
        Tens,
        Hundred,
        Scale,
    }
    let mut last = Last::Nothing;
    let mut used = 0;
    while used < tokens.len() {
        let w = tokens[used].norm.as_str();
        if let Some(v) = ordinal(w) {
            let ok = match last {
                Last::Nothing | Last::Hundred | Last::Scale => true,
                Last::Tens => v < 10,
                _ => false,
            };
            if !ok {
                break;
            }
            return Some((format!("{}th", total + current + v), used + 1));
        }
        if let Some(v) = unit(w) {
            if matches!(last, Last::Unit | Last::Teen) {
                break;
            }
            current += v;
            last = Last::Unit;
        } else if let Some(v) = teen(w) {
            if !matches!(last, Last::Nothing | Last::Hundred | Last::Scale) {
                break;
            }
            current += v;
            last = Last::Teen;
        } else if let Some(v) = tens(w) {
            if !matches!(last, Last::Nothing | Last::Hundred | Last::Scale) {
                break;
            }
            current += v;
            last = Last::Tens;
        } else if w == "hundred" && matches!(last, Last::Unit | Last::Teen) && current < 100 {
            current *= 100;
            last = Last::Hundred;
        } else if (w == "thousand" || w == "million")
            && matches!(last, Last::Unit | Last::Teen | Last::Tens | Last::Hundred)
        {
            let scale = if w == "thousand" { 1_000 } else { 1_000_000 };
            total += current * scale;
            current = 0;
            last = Last::Scale;
        } else if w == "and"
            && matches!(last, Last::Hundred | Last::Scale)
            && tokens.get(used + 1).is_some_and(|t| {
                let n = t.norm.as_str();
                unit(n).is_some() || teen(n).is_some() || tens(n).is_some() || ordinal(n).is_some()
            })
        {
            // "one hundred and five"
        } else {
            break;
        }
        used += 1;
    }
    (used > 0 && last != Last::Nothing).then(|| ((total + current).to_string(), used))
}

/// A run of consecutive digits as dictated, with the byte range of the words that said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitRun {
    pub digits: String,
    pub start: usize,
    pub end: usize,
}

/// Digits a single dictated word stands for, looking ahead for "forty two" and "double five".
/// Returns the digits and how many words were used.
fn dictated(words: &[String]) -> Option<(String, usize)> {
    let w = words.first()?.as_str();
    if w.bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
        && w.starts_with(|c: char| c.is_ascii_digit())
    {
        return Some((w.replace([',', '.'], ""), 1));
    }
    if let Some(v) = unit(w) {
        return Some((v.to_string(), 1));
    }
    if w == "oh" || w == "o" {
        return Some(("0".into(), 1));
    }
    if let Some(v) = teen(w) {
        return Some((v.to_string(), 1));
    }
    if let Some(v) = tens(w) {
        if let Some(u) = words.get(1).and_then(|n| unit(n)).filter(|u| *u > 0) {
            return Some(((v + u).to_string(), 2));
        }
        return Some((v.to_string(), 1));
    }
    let repeat = match w {
        "double" => 2,
        "triple" => 3,
        _ => 0,
    };
    if repeat > 0 {
        let next = words.get(1)?;
        let d = unit(next)
            .map(|u| u.to_string())
            .or_else(|| (next == "oh" || next == "o").then(|| "0".to_string()))?;
        return Some((d.repeat(repeat), 2));
    }
    if w == "hundred" {
        return Some(("00".into(), 1));
    }
    if w == "thousand" {
        return Some(("000".into(), 1));
    }
    if !w.is_ascii() {
        let ws: Vec<&str> = words.iter().take(4).map(String::as_str).collect();
        return parse_intl(&ws, false).map(|(v, used)| (v.to_string(), used));
    }
    None
}

/// Finds every run of dictated digits in `text`: "4532 0151", "four five three two",
/// "555-0134", "double oh seven". Words that are only "oh"/"o" never start a run on their own.
pub fn digit_runs(text: &str) -> Vec<DigitRun> {
    let raw = raw_words(text);
    let folded: Vec<String> = raw.iter().map(|w| fold_word(w.text)).collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let mut digits = String::new();
        let mut j = i;
        while j < raw.len() {
            // Only whitespace, dashes, dots, commas or slashes may separate dictated digits.
            if j > i {
                let gap = &text[raw[j - 1].end..raw[j].start];
                if !gap.chars().all(|c| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            '-' | '.' | ',' | '/' | '(' | ')' | '\u{05BE}' | '\u{060C}'
                        )
                }) {
                    break;
                }
            }
            match dictated(&folded[j..]) {
                Some((d, used)) => {
                    digits.push_str(&d);
                    j += used;
                }
                None => break,
            }
        }
        let lone_oh = j == i + 1 && matches!(folded[i].as_str(), "oh" | "o");
        if j > i && !lone_oh {
            runs.push(DigitRun {
                digits,
                start: raw[i].start,
                end: raw[j - 1].end,
            });
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(s: &str) -> Vec<String> {
        digit_runs(s).into_iter().map(|r| r.digits).collect()
    }

    /// A spelling in two rows would keep only one meaning, silently.
    #[test]
    fn every_number_word_spelling_is_listed_once_and_folded() {
        let mut seen = std::collections::HashSet::new();
        for (words, kind) in intl_tables::ALL.iter().flat_map(|t| t.iter()) {
            for w in *words {
                assert!(seen.insert(*w), "{w} is listed twice");
                assert_eq!(fold_word(w), *w, "{w} is not in its folded spelling");
                assert_eq!(intl_word(w), Some(*kind), "{w}");
            }
        }
        assert_eq!(intl_word("hello"), None);
    }

    #[test]
    fn dictated_digits_become_digit_strings() {
        assert_eq!(
            runs("it's four five three two, oh one five one"),
            ["45320151"]
        );
        assert_eq!(runs("4532 0151 1283 0366"), ["4532015112830366"]);
        assert_eq!(runs("call 555-0134 please"), ["5550134"]);
        assert_eq!(runs("double oh seven"), ["007"]);
        assert_eq!(runs("forty two ten"), ["4210"]);
        assert_eq!(runs("oh well"), Vec::<String>::new());
        assert_eq!(runs("one. two. three"), ["123"]);
        assert_eq!(runs("I have two cats and three dogs"), ["2", "3"]);
    }

    #[test]
    fn offsets_cover_the_spoken_number() {
        let text = "my card is four five three two thanks";
        let r = &digit_runs(text)[0];
        assert_eq!(&text[r.start..r.end], "four five three two");
    }

    fn cardinal(s: &str, language: &str) -> String {
        super::super::normalise_words(s, language).join(" ")
    }

    #[test]
    fn russian_cardinals() {
        assert_eq!(cardinal("двадцать один день", "ru"), "21 день");
        assert_eq!(cardinal("сто", "ru"), "100");
        assert_eq!(cardinal("тысяча рублей", "ru"), "1000 рублей");
        assert_eq!(cardinal("две тысячи двадцать четыре", "ru"), "2024");
        assert_eq!(cardinal("тысяча девятьсот восемьдесят пять", "ru"), "1985");
        assert_eq!(cardinal("триста пять", "ru"), "305");
        assert_eq!(cardinal("пятнадцать минут", "ru"), "15 минут");
        // Dictated digits stay separate tokens, like English.
        assert_eq!(cardinal("четыре пять", "ru"), "4 5");
    }

    #[test]
    fn hebrew_cardinals_both_genders() {
        assert_eq!(cardinal("עשרים ואחת", "he"), "21");
        assert_eq!(cardinal("עשרים ואחד", "he"), "21");
        assert_eq!(cardinal("שלוש מאות שקל", "he"), "300 שקל");
        assert_eq!(cardinal("שלושה ימים", "he"), cardinal("שלוש ימים", "he"));
        assert_eq!(cardinal("שתיים", "he"), cardinal("שניים", "he"));
        assert_eq!(cardinal("חמש עשרה דקות", "he"), "15 דקות");
        assert_eq!(cardinal("אחד עשר אלף", "he"), "11000");
        assert_eq!(cardinal("אלף תשע מאות שמונים וחמש", "he"), "1985");
        assert_eq!(cardinal("אלפיים עשרים וארבע", "he"), "2024");
        assert_eq!(cardinal("מאה ואחת", "he"), "101");
        assert_eq!(cardinal("ארבע חמש", "he"), "4 5");
    }

    #[test]
    fn arabic_cardinals_and_colloquial_spellings() {
        assert_eq!(cardinal("واحد وعشرين", "ar"), "21");
        assert_eq!(cardinal("واحد و عشرين يوم", "ar"), "21 يوم");
        assert_eq!(cardinal("ثلاثة", "ar"), cardinal("تلاتة", "ar"));
        assert_eq!(cardinal("أربعة", "ar"), cardinal("اربعه", "ar"));
        assert_eq!(cardinal("إثنين", "ar"), "2");
        assert_eq!(cardinal("عشرة", "ar"), "10");
        assert_eq!(cardinal("ثلاثة عشر", "ar"), "13");
        assert_eq!(cardinal("خمستاشر", "ar"), "15");
        assert_eq!(cardinal("ثلاث مئة", "ar"), "300");
        assert_eq!(cardinal("ثلاثمئة وخمسة وعشرين", "ar"), "325");
        assert_eq!(cardinal("ألفين وأربعة وعشرين", "ar"), "2024");
        assert_eq!(cardinal("عشرين الف", "ar"), "20000");
        // A trailing "and" is not part of the number.
        assert_eq!(cardinal("عشرين و شكرا", "ar"), "20 و شكرا");
    }

    #[test]
    fn dictated_digits_in_hebrew_arabic_russian() {
        assert_eq!(
            runs("המספר הוא ארבע חמש שלוש שתיים, אפס אחת חמש אחת"),
            ["45320151"]
        );
        assert_eq!(runs("ארבע חמש ושש"), ["456"]);
        assert_eq!(runs("четыре пять три два ноль один"), ["453201"]);
        assert_eq!(runs("нуль семь"), ["07"]);
        assert_eq!(runs("اربعة خمسة ثلاثة اثنين صفر"), ["45320"]);
        assert_eq!(runs("واحد وستة"), ["16"]);
        // Digit groups as Russians and Israelis read phone numbers.
        assert_eq!(
            runs("восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь"),
            ["89161234567"]
        );
        assert_eq!(runs("אפס חמישים ושתיים"), ["052"]);
        assert_eq!(runs("اثنين وخمسين"), ["52"]);
        assert_eq!(runs("٤٥٣٢ ٠١٥١"), ["45320151"]);
        // Not numbers.
        assert!(runs("שלום וברכה").is_empty());
        assert!(runs("спасибо большое").is_empty());
    }

    #[test]
    fn dictated_offsets_in_other_scripts() {
        let text = "כן, ארבע חמש שלוש שתיים תודה";
        let r = &digit_runs(text)[0];
        assert_eq!(&text[r.start..r.end], "ארבע חמש שלוש שתיים");
        let text = "رقم البطاقة اربعة خمسة وستة شكرا";
        let r = &digit_runs(text)[0];
        assert_eq!(&text[r.start..r.end], "اربعة خمسة وستة");
    }
}
