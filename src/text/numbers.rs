//! Numbers as people say them and as Whisper writes them.
//!
//! Two readings are needed. Matching wants cardinal values ("twenty one" = "21"); PII detection
//! wants digit strings as dictated ("four five three two", "double oh seven", "forty two ten").

use super::{fold_word, raw_words, Token};

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
        match parse_cardinal(&tokens[i..]) {
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
                if !gap
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '-' | '.' | ',' | '/' | '(' | ')'))
                {
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
}
